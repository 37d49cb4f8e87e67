/**
 * What the LighthouseOnboarding provider does, operation by operation, over arm/ (Microsoft.ManagedServices
 * 2022-10-01; assignment create/delete are long-running operations polled by arm/ with @azure/core-lro).
 * The serialized provider (lighthouse-onboarding.ts) loads this module at run time (`partnerlink/provider`).
 *
 * Onboarding is deployed in the CUSTOMER's tenant by an identity with Owner on the subscription (azure-apis.md
 * section 2): every call here signs in with `customerConnection`.
 *
 * No orphan, no duplicate: IDs are deterministic (lighthouse-ids.ts), so every step adopts what a previous,
 * interrupted run left. A failure after the definition exists is reported as a partial create (the error carries
 * `id` and `properties`), so Pulumi records the resource and the next run completes it (or `destroy` removes it).
 * Delete removes the assignments before the definition.
 */
import type * as pulumi from "@pulumi/pulumi";
import {
  createRegistrationAssignment,
  deleteRegistrationAssignment,
  deleteRegistrationDefinition,
  getRegistrationAssignment,
  getRegistrationDefinition,
  putRegistrationDefinition,
  whoAmI,
  type RegistrationAssignment,
  type RegistrationDefinition,
} from "../arm";
import { emptyResourceGroupsProblem } from "../rules/resource-groups";
import { describeConnection, providerError, ProviderError, type ProviderConnection } from "./connection-args";
import { engineFailures, isUnknown, PROVIDER_INPUT_VALIDATORS, validateInputs } from "./input-validation";
import { customerTenantFailures, repeatFailures, ruleFailures } from "./lighthouse-check";
import {
  assignmentGuid,
  assignmentResourceId,
  assignmentScopes,
  definitionGuid,
  definitionResourceId,
  parseAssignmentResourceId,
  parseDefinitionResourceId,
} from "./lighthouse-ids";
import {
  definitionBody,
  normalizeInputs,
  splitAuthorizations,
  stableJson,
  type LighthouseOnboardingInputs,
  type LighthouseOnboardingOutputs,
} from "./lighthouse-inputs";

const LABEL = "LighthouseOnboarding";

/** Test hook: LRO poll interval (ms) for assignment create/delete; default arm/'s (Azure's Retry-After). */
export interface OperationOptions {
  updateIntervalInMs?: number;
}

function label(inputs: { offerName?: unknown }): string {
  return typeof inputs.offerName === "string" && !isUnknown(inputs.offerName) ? `${LABEL} '${inputs.offerName}'` : LABEL;
}

// ---- check / diff ---------------------------------------------------------------------------------------

export async function check(_olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  const inputs = normalizeInputs(news);
  const failures = validateInputs(PROVIDER_INPUT_VALIDATORS.lighthouseOnboarding, news, label(news));
  // Judged as given, before normalizeInputs reads a missing list as [] (the subscription).
  const emptyRgs = emptyResourceGroupsProblem(news.resourceGroups, "resourceGroups");
  if (emptyRgs !== undefined) failures.push({ property: "resourceGroups", reason: `${label(news)}: ${emptyRgs}` });
  if (failures.length === 0) {
    const valid = inputs as unknown as LighthouseOnboardingInputs;
    const resource = label(news);
    failures.push(...customerTenantFailures(valid, resource));
    // An exact repeat is refused, not left out: see repeatFailures.
    failures.push(...repeatFailures(valid, resource));
    // The rules name the delegation by its offer name ("Delegation 'Contoso managed services'"): the failure is
    // already the resource's.
    const offer = typeof news.offerName === "string" && !isUnknown(news.offerName) ? news.offerName : LABEL;
    failures.push(...ruleFailures(valid, offer).failures);
  }
  return failures.length > 0 ? { inputs, failures: engineFailures(failures) } : { inputs };
}

/** Properties whose change means another definition: replace. */
const REPLACE_ON = ["managingTenantId", "subscriptionId", "offerName"] as const;
/**
 * Properties updated in place (definition PUT, assignments added/removed). customerTenantId is one: the subscription
 * names the customer, and a subscription is in one tenant, so a changed tenant ID is a correction (or a typo).
 * update() signs in first and checks the tenant before any write; a replacement deleted the delegation first and
 * then failed that check, leaving the customer offboarded.
 */
const UPDATE_ON = ["offerDescription", "authorizations", "eligibleAuthorizations", "pecAuthorization", "customerConnection", "customerTenantId", "rulesConfig"] as const;

export async function diff(id: string, olds: LighthouseOnboardingOutputs, news: LighthouseOnboardingInputs): Promise<pulumi.dynamic.DiffResult> {
  const n = normalizeInputs(news as unknown as Record<string, unknown>) as unknown as LighthouseOnboardingInputs;
  const o = olds as unknown as Record<string, unknown>;
  const nn = n as unknown as Record<string, unknown>;
  // The registration definition the new inputs name (guid(offerName) in the subscription), when known.
  const newDefId =
    typeof n.offerName === "string" && !isUnknown(n.offerName) && typeof n.subscriptionId === "string" && !isUnknown(n.subscriptionId)
      ? definitionResourceId(n.subscriptionId, definitionGuid(n.offerName))
      : undefined;
  const sameDefinition = newDefId !== undefined && parseDefinitionResourceId(id) !== undefined && sameId(newDefId, id);
  // An offer name that differs from the recorded one while naming this very definition is the definition's
  // display name changed behind Pulumi's back (refresh reads it from ARM): an update (the PUT restores it). A
  // replacement would create "the new" by adopting this definition and its assignments, then delete them with
  // "the old".
  const replaces = REPLACE_ON.filter((k) => !sameValue(k, o[k], nn[k]) && !(k === "offerName" && sameDefinition));
  // A GUID compares without case (read() records the tenant ID as ARM spells it).
  const updates: string[] = UPDATE_ON.filter((k) => (k === "customerTenantId" ? !sameValue(k, o[k], nn[k]) : stableJson(o[k] ?? null) !== stableJson(nn[k] ?? null)));
  if (sameDefinition && !sameValue("offerName", o.offerName, nn.offerName)) updates.push("offerName");
  const oldRgs = [...((olds.resourceGroups as string[] | undefined) ?? [])].sort();
  const newRgs = isUnknown(n.resourceGroups) ? undefined : [...(n.resourceGroups ?? [])].sort();
  if (!newRgs || stableJson(oldRgs) !== stableJson(newRgs)) updates.push("resourceGroups");
  // An earlier run stopped half-way (partial create/update) or refresh found assignments missing: complete it.
  const expected = newRgs ? Math.max(newRgs.length, 1) : -1;
  if (olds.provisioningState !== "Succeeded" || (expected >= 0 && (olds.assignmentIds ?? []).length !== expected)) updates.push("provisioningState");
  if (replaces.length === 0) return { changes: updates.length > 0 };
  // Same offer in the same subscription: the replacement has the same definition/assignment IDs, so the old one
  // must go first (create-before-delete would adopt and then delete the new resource's objects).
  const sameIds = sameDefinition || (!replaces.includes("offerName") && !replaces.includes("subscriptionId"));
  return { changes: true, replaces: [...replaces], deleteBeforeReplace: sameIds };
}

function sameValue(key: string, a: unknown, b: unknown): boolean {
  if (isUnknown(b)) return false;
  if (typeof a === "string" && typeof b === "string" && key !== "offerName") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

// ---- create / update ------------------------------------------------------------------------------------

export async function create(raw: LighthouseOnboardingInputs, options: OperationOptions = {}): Promise<pulumi.dynamic.CreateResult> {
  const inputs = normalizeInputs(raw as unknown as Record<string, unknown>) as unknown as LighthouseOnboardingInputs;
  const conn = inputs.customerConnection;
  await verifyCustomerIdentity(inputs);
  const defGuid = definitionGuid(inputs.offerName);
  const defId = definitionResourceId(inputs.subscriptionId, defGuid);
  // 1. The definition (PUT is idempotent on the deterministic ID: a leftover from an earlier run is adopted).
  const def = await call(inputs, "create: registration definition", () =>
    putRegistrationDefinition(conn, inputs.subscriptionId, defGuid, definitionBody(inputs)),
  );
  // 2. The assignments. From here on a failure is a partial create: the definition exists.
  const done: RegistrationAssignment[] = [];
  try {
    for (const scope of assignmentScopes(inputs.subscriptionId, inputs.resourceGroups)) {
      done.push(await ensureAssignment(inputs, scope, defId, options));
    }
  } catch (err) {
    throw partial(err, defId, outputsOf(inputs, def, done, "Incomplete"));
  }
  return { id: defId, outs: outputsOf(inputs, def, done, "Succeeded") };
}

export async function update(
  id: string,
  olds: LighthouseOnboardingOutputs,
  raw: LighthouseOnboardingInputs,
  options: OperationOptions = {},
): Promise<pulumi.dynamic.UpdateResult> {
  const news = normalizeInputs(raw as unknown as Record<string, unknown>) as unknown as LighthouseOnboardingInputs;
  const conn = news.customerConnection;
  await verifyCustomerIdentity(news);
  const defGuid = definitionGuid(news.offerName);
  const defId = definitionResourceId(news.subscriptionId, defGuid);
  const def = await call(news, "update: registration definition", () => putRegistrationDefinition(conn, news.subscriptionId, defGuid, definitionBody(news)));
  const wanted = assignmentScopes(news.subscriptionId, news.resourceGroups);
  const wantedKeys = new Set(wanted.map((s) => s.toLowerCase()));
  // Assignments no longer wanted (a resource group removed, subscription scope <-> resource groups): what the
  // old state recorded, and what its inputs imply (a partial run may have left one unrecorded).
  const leftover = new Map<string, { scope: string; guid: string }>();
  const oldGuid = typeof olds.offerName === "string" ? assignmentGuid(olds.offerName) : undefined;
  if (oldGuid && olds.subscriptionId) {
    for (const scope of assignmentScopes(olds.subscriptionId, olds.resourceGroups)) leftover.set(scope.toLowerCase(), { scope, guid: oldGuid });
  }
  for (const r of recordedAssignments(olds)) leftover.set(r.scope.toLowerCase(), r);
  for (const k of wantedKeys) leftover.delete(k);
  const done: RegistrationAssignment[] = [];
  try {
    for (const scope of wanted) done.push(await ensureAssignment(news, scope, defId, options));
    for (const [k, { scope, guid }] of [...leftover]) {
      await call(news, `update: remove assignment at ${scope}`, () => deleteRegistrationAssignment(conn, scope, guid, lro(options)));
      leftover.delete(k);
    }
  } catch (err) {
    // Record what exists: the assignments made so far and the unwanted ones not yet removed (the next run removes them).
    const outs = outputsOf(news, def, done, "Incomplete");
    outs.assignmentIds = [...outs.assignmentIds, ...[...leftover.values()].map((l) => assignmentResourceId(l.scope, l.guid))];
    throw partial(err, id || defId, outs);
  }
  return { outs: outputsOf(news, def, done, "Succeeded") };
}

// ---- read -----------------------------------------------------------------------------------------------

/**
 * The definition and assignments as they are. Definition gone: the resource is gone. Otherwise the outputs carry
 * what ARM holds (authorizations, description, assignments found), so a refresh shows drift and the next diff
 * repairs it. Import: `pulumi import` passes the definition resource ID; the connection comes from the inputs.
 */
export async function read(id: string, props: Partial<LighthouseOnboardingOutputs>): Promise<pulumi.dynamic.ReadResult> {
  const conn = props.customerConnection;
  if (!conn) {
    throw providerError(LABEL, `cannot read ${id}: no customerConnection in the resource's inputs; declare the resource with its inputs before importing it`, []);
  }
  const parsed = parseDefinitionResourceId(id);
  const subscriptionId = parsed?.subscriptionId ?? props.subscriptionId;
  if (!parsed || !subscriptionId) {
    throw providerError(LABEL, `cannot read "${id}": the ID must be /subscriptions/<sub>/providers/Microsoft.ManagedServices/registrationDefinitions/<guid>`, [conn]);
  }
  const inputs = normalizeInputs({ ...props, subscriptionId } as Record<string, unknown>) as unknown as LighthouseOnboardingInputs;
  const def = await call(inputs, "read: registration definition", () => getRegistrationDefinition(conn, subscriptionId, parsed.guid));
  if (!def) return { id: "" };
  const offerName = def.registrationDefinitionName ?? inputs.offerName;
  const guid = offerName ? assignmentGuid(offerName) : parsed.guid;
  const scopes = new Map<string, string>();
  for (const s of assignmentScopes(subscriptionId, inputs.resourceGroups)) scopes.set(s.toLowerCase(), guid);
  for (const r of recordedAssignments(props)) scopes.set(r.scope.toLowerCase(), r.guid);
  const found: RegistrationAssignment[] = [];
  for (const [scope, g] of scopes) {
    const a = await call(inputs, `read: assignment at ${scope}`, () => getRegistrationAssignment(conn, scope, g));
    if (a && sameId(a.registrationDefinitionId, def.id) && a.provisioningState !== "Failed") found.push(a);
  }
  const pec = inputs.pecAuthorization ?? { principalId: "", principalDisplayName: "" };
  const split = splitAuthorizations(def.authorizations ?? [], pec);
  const reality: LighthouseOnboardingInputs = {
    ...inputs,
    offerName,
    managingTenantId: def.managedByTenantId,
    authorizations: split.authorizations,
    eligibleAuthorizations: def.eligibleAuthorizations ?? [],
    pecAuthorization: split.pecAuthorization as LighthouseOnboardingInputs["pecAuthorization"],
    resourceGroups: found.map((a) => resourceGroupOf(a.scope)).filter((rg): rg is string => rg !== undefined),
  };
  if (def.description !== undefined) reality.offerDescription = def.description;
  else delete reality.offerDescription;
  const complete = found.length === assignmentScopes(subscriptionId, inputs.resourceGroups).length;
  return { id: def.id, props: outputsOf(reality, def, found, complete ? "Succeeded" : "Incomplete") };
}

// ---- delete ---------------------------------------------------------------------------------------------

/** Assignments first (each an LRO), then the definition. Absent objects are fine: delete converges on retry. */
export async function remove(id: string, props: LighthouseOnboardingOutputs, options: OperationOptions = {}): Promise<void> {
  const conn = props.customerConnection;
  const parsed = parseDefinitionResourceId(id);
  const subscriptionId = parsed?.subscriptionId ?? props.subscriptionId;
  const defGuid = parsed?.guid ?? definitionGuid(props.offerName);
  const targets = new Map<string, string>();
  if (props.offerName) {
    for (const s of assignmentScopes(subscriptionId, props.resourceGroups)) targets.set(s.toLowerCase(), assignmentGuid(props.offerName));
  }
  for (const r of recordedAssignments(props)) targets.set(r.scope.toLowerCase(), r.guid);
  for (const [scope, guid] of targets) {
    const a = await call(props, `delete: assignment at ${scope}`, () => getRegistrationAssignment(conn, scope, guid));
    // Only what assigns this definition is this resource's.
    if (a && !sameId(a.registrationDefinitionId, definitionResourceId(subscriptionId, defGuid))) continue;
    if (a) await call(props, `delete: assignment at ${scope}`, () => deleteRegistrationAssignment(conn, scope, guid, lro(options)));
  }
  await call(props, "delete: registration definition", () => deleteRegistrationDefinition(conn, subscriptionId, defGuid));
}

// ---- helpers --------------------------------------------------------------------------------------------

async function ensureAssignment(inputs: LighthouseOnboardingInputs, scope: string, defId: string, options: OperationOptions): Promise<RegistrationAssignment> {
  const conn = inputs.customerConnection;
  const guid = assignmentGuid(inputs.offerName);
  const existing = await call(inputs, `assignment at ${scope}`, () => getRegistrationAssignment(conn, scope, guid));
  if (existing && !sameId(existing.registrationDefinitionId, defId)) {
    throw providerError(
      label(inputs),
      `assignment ${assignmentResourceId(scope, guid)} exists and assigns another definition (${existing.registrationDefinitionId}): ` +
        `an offer named "${inputs.offerName}" was onboarded differently; remove that assignment or choose another offerName`,
      [conn],
    );
  }
  if (existing && existing.provisioningState === "Succeeded") return existing;
  return call(inputs, `create: assignment at ${scope}`, () => createRegistrationAssignment(conn, scope, guid, defId, lro(options)));
}

/**
 * The customer connection must sign in to the customer's tenant (onboarding is deployed there). Checked before
 * any write, so a partner credential passed by mistake fails with what to do instead of a bare 403.
 */
async function verifyCustomerIdentity(inputs: LighthouseOnboardingInputs): Promise<void> {
  const conn = inputs.customerConnection;
  const me = await call(inputs, "sign-in", () => whoAmI(conn));
  if (me.tenantId.toLowerCase() !== inputs.customerTenantId.toLowerCase()) {
    throw providerError(
      label(inputs),
      `customerConnection (${describeConnection(conn)}) signs in to tenant ${me.tenantId}, but customerTenantId is ${inputs.customerTenantId}: ` +
        `onboarding must be deployed by an identity of the CUSTOMER tenant with Owner on subscription ${inputs.subscriptionId} ` +
        `(a customer-side deployer, or the CSP partner's admin access in that tenant), not by the partner's identity`,
      [conn],
    );
  }
}

function lro(options: OperationOptions): { updateIntervalInMs?: number } {
  return options.updateIntervalInMs !== undefined ? { updateIntervalInMs: options.updateIntervalInMs } : {};
}

function outputsOf(inputs: LighthouseOnboardingInputs, def: RegistrationDefinition, assignments: RegistrationAssignment[], state: string): LighthouseOnboardingOutputs {
  const managee =
    def.manageeTenantId ?? assignments.find((a) => a.registrationDefinition?.manageeTenantId)?.registrationDefinition?.manageeTenantId ?? inputs.customerTenantId;
  return {
    ...inputs,
    resourceGroups: inputs.resourceGroups ?? [],
    authorizations: inputs.authorizations ?? [],
    eligibleAuthorizations: inputs.eligibleAuthorizations ?? [],
    definitionId: def.id,
    assignmentIds: assignments.map((a) => a.id),
    provisioningState: state === "Succeeded" ? (def.provisioningState ?? "Succeeded") : state,
    manageeTenantId: managee,
  };
}

function recordedAssignments(o: Partial<LighthouseOnboardingOutputs>): { scope: string; guid: string }[] {
  return (o.assignmentIds ?? []).map(parseAssignmentResourceId).filter((x): x is { scope: string; guid: string } => x !== undefined);
}

function resourceGroupOf(scope: string): string | undefined {
  return /\/resourceGroups\/([^/]+)$/i.exec(scope)?.[1];
}

function sameId(a: string | undefined, b: string | undefined): boolean {
  return (a ?? "").toLowerCase() === (b ?? "").toLowerCase();
}

function partial(err: unknown, id: string, properties: LighthouseOnboardingOutputs): ProviderError {
  const e = err instanceof ProviderError ? err : providerError(label(properties), err, [properties.customerConnection]);
  e.id = id;
  e.properties = properties as unknown as Record<string, unknown>;
  e.reasons = [e.message];
  return e;
}

/** One ARM-layer call; its failure leaves as a ProviderError naming the resource and step, secrets removed. */
async function call<T>(inputs: { offerName?: unknown; customerConnection?: ProviderConnection }, step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw providerError(`${label(inputs)} ${step}`, err, [inputs.customerConnection]);
  }
}
