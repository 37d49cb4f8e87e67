/**
 * Policy pack cost per resource, in process (no gRPC): every resource policy on each of N azure-native
 * RegistrationDefinitions + N RegistrationAssignments (what `pulumi preview --policy-pack` asks per resource), then
 * the three stack policies over the whole 2N-resource stack once (what it asks at the end of the preview).
 *
 * Run: npx tsc -p . && npx node dist/bench/policy-pack.js [N]
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { armGuid } from "../rules/identifiers";
import { policies } from "../policies/policies";

const PEC = "11111111-1111-4111-8111-111111111111";
const TENANT = "44444444-4444-4444-8444-444444444444";
const CONFIG = { pecPrincipals: [PEC], palLinkedPrincipals: [PEC], allowedManagingTenants: [TENANT] };

function resources(n: number): { type: string; name: string; props: Record<string, unknown> }[] {
  const out: { type: string; name: string; props: Record<string, unknown> }[] = [];
  for (let i = 0; i < n; i++) {
    const sub = armGuid("sub", String(i));
    const def = armGuid("def", String(i));
    out.push({
      type: "azure-native:managedservices:RegistrationDefinition",
      name: `offer-${i}`,
      props: {
        scope: `/subscriptions/${sub}`,
        registrationDefinitionId: def,
        properties: {
          managedByTenantId: TENANT,
          authorizations: [
            { principalId: PEC, roleDefinitionId: i % 10 === 0 ? "acdd72a7-3385-48ef-bd42-f606fba81ae7" : "b24988ac-6180-42a0-ab88-20f7382dd24c" },
            { principalId: armGuid("group", String(i % 50)), roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7" },
          ],
        },
      },
    });
    out.push({
      type: "azure-native:managedservices:RegistrationAssignment",
      name: `assign-${i}`,
      props: {
        scope: `/subscriptions/${sub}`,
        properties: { registrationDefinitionId: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${def}` },
      },
    });
  }
  return out;
}

function main(): void {
  const n = Number(process.argv[2] ?? 1000);
  const rs = resources(n);
  let violations = 0;
  const report = (): void => {
    violations++;
  };
  const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p && !!p.validateResource);
  const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p && !!p.validateStack);
  const notApplicable = (): never => {
    throw new Error("n/a");
  };
  const c0 = process.cpuUsage();
  for (const r of rs) {
    for (const p of resourcePolicies) {
      const args = { ...r, urn: r.name, getConfig: () => CONFIG, notApplicable } as unknown as ResourceValidationArgs;
      try {
        void (p.validateResource as (a: ResourceValidationArgs, rep: () => void) => void)(args, report);
      } catch {
        // not applicable
      }
    }
  }
  const c1 = process.cpuUsage();
  const stackArgs = {
    resources: rs.map((r) => ({ ...r, urn: r.name, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource),
    getConfig: () => CONFIG,
    notApplicable,
  } as unknown as StackValidationArgs;
  for (const p of stackPolicies) void (p.validateStack as (a: StackValidationArgs, rep: () => void) => void)(stackArgs, report);
  const c2 = process.cpuUsage();
  // CPU time (user+system), not wall time: the machine is shared.
  const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage): number => (b.user - a.user + b.system - a.system) / 1000;
  const resMs = cpuMs(c0, c1);
  const stackMs = cpuMs(c1, c2);
  process.stdout.write(
    `${rs.length} resources x ${resourcePolicies.length} resource policies: ${resMs.toFixed(0)} ms CPU (${((resMs * 1000) / rs.length).toFixed(0)} us/resource); ` +
      `${stackPolicies.length} stack policies over the stack: ${stackMs.toFixed(0)} ms CPU; ${violations} violations; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`,
  );
}

main();
