import { armGuid } from "../rules/identifiers";
import type { EmulatorSeed, StateSnapshot } from "../emulator";

/** The partner of bench/audit's estate, and its PAL-linked service principal. */
export const BENCH_PARTNER = "11111111-1111-4111-8111-111111111111";
export const BENCH_SP = { objectId: "1a000000-0000-4000-8000-000000000001", appId: "1a000000-0000-4000-8000-0000000000a1", secret: "bench-secret" };
const PARTNER = BENCH_PARTNER;
const SP = BENCH_SP;
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/** N customer subscriptions (100 per customer tenant), each delegated to the partner; 5% give the PEC principal Reader only. */
export function estate(n: number): { seed: EmulatorSeed; state: StateSnapshot } {
  const tenants = Math.max(1, Math.ceil(n / 100));
  const seed: EmulatorSeed = {
    tenants: [{ tenantId: PARTNER, displayName: "Partner" }, ...Array.from({ length: tenants }, (_, t) => ({ tenantId: armGuid("tenant", String(t)), displayName: `Customer ${t}` }))],
    principals: [{ objectId: SP.objectId, tenantId: PARTNER, type: "ServicePrincipal", displayName: "Provider Automation Account", appId: SP.appId, clientSecret: SP.secret }],
    subscriptions: [],
  };
  const state: StateSnapshot = { partnerLinks: [], registrationDefinitions: [], registrationAssignments: [], operations: [] };
  const now = new Date().toISOString();
  state.partnerLinks.push({ tenantId: PARTNER, objectId: SP.objectId, partnerId: "1234567", version: 1, createdTime: now, updatedTime: now, state: "Active" });
  for (let i = 0; i < n; i++) {
    const sub = armGuid("sub", String(i));
    seed.subscriptions.push({ subscriptionId: sub, tenantId: armGuid("tenant", String(i % tenants)), displayName: `customer sub ${i}`, owners: [] });
    const defName = armGuid("offer", String(i));
    const defId = `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${defName}`;
    // 5% of the estate gives the PEC principal Reader only (PL003): the audit must find them.
    state.registrationDefinitions.push({
      id: defId,
      subscriptionId: sub,
      name: defName,
      properties: { registrationDefinitionName: `offer ${i}`, managedByTenantId: PARTNER, authorizations: [{ principalId: SP.objectId, roleDefinitionId: i % 20 === 0 ? READER : CONTRIBUTOR }] },
    });
    const asg = armGuid("assignment", String(i));
    state.registrationAssignments.push({
      id: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationAssignments/${asg}`,
      scope: `/subscriptions/${sub}`,
      subscriptionId: sub,
      name: asg,
      registrationDefinitionId: defId,
      provisioningState: "Succeeded",
    });
  }
  return { seed, state };
}

