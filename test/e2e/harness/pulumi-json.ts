/**
 * The shapes of the Pulumi CLI's JSON output that the e2e suite reads, and small queries over them.
 * `pulumi preview --json` prints a PreviewDigest (pulumi/pulumi pkg/display/json.go at pkg/v3.259.0); policy
 * events are NOT in it ("we don't handle policy events in JSON serialization", pkg/backend/display/json.go), so
 * policy results are read from the text output. `pulumi stack export` prints a deployment (apitype
 * UntypedDeployment, version 3).
 */

export type StepOp =
  | "same" | "create" | "update" | "delete" | "replace" | "create-replacement" | "delete-replaced"
  | "read" | "refresh" | "import" | "discard" | "remove-pending-replace" | string;

export interface PreviewStep {
  op: StepOp;
  urn: string;
  provider?: string;
  oldState?: StateResource;
  newState?: StateResource;
  diffReasons?: string[];
  replaceReasons?: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }> | null;
}

export interface PreviewDigest {
  config?: Record<string, string>;
  steps?: PreviewStep[];
  diagnostics?: { urn?: string; prefix?: string; message?: string; severity?: string }[];
  changeSummary?: Record<string, number>;
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
}

export interface StackExport {
  version: number;
  deployment: { resources?: StateResource[]; secrets_providers?: unknown };
}

/** The resource name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
export function urnName(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The resource type in a URN (the last `$`-separated part of the type segment). */
export function urnType(urn: string): string {
  const parts = urn.split("::");
  const t = parts[parts.length - 2] ?? "";
  return t.slice(t.lastIndexOf("$") + 1);
}

/** Ops of the steps that touch resources (the stack resource itself left out), as `op name` strings, sorted. */
export function resourceOps(digest: PreviewDigest): string[] {
  return (digest.steps ?? [])
    .filter((s) => urnType(s.urn) !== "pulumi:pulumi:Stack")
    .map((s) => `${s.op} ${urnName(s.urn)}`)
    .sort();
}

/** Steps for resources of a given type token. */
export function stepsOfType(digest: PreviewDigest, type: string): PreviewStep[] {
  return (digest.steps ?? []).filter((s) => urnType(s.urn) === type);
}

/** Custom resources in an exported stack, the provider resources left out. */
export function stateResources(exp: StackExport, type?: string): StateResource[] {
  return (exp.deployment.resources ?? []).filter(
    (r) => r.custom && !r.type.startsWith("pulumi:providers:") && (!type || r.type === type),
  );
}
