import type { CustomerOnboarding } from "../../templates";

/** Identifiers used across the template tests (made up; shaped like real ones). */
export const SUB = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const TENANT = "0b5f7a3e-2c1d-4e6f-9a8b-7c6d5e4f3a2b";
export const PEC_SP = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
export const OPS_GROUP = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
export const ONCALL_GROUP = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const VM_CONTRIBUTOR = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c";
export const SUPPORT_REQUEST_CONTRIBUTOR = "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export function contoso(extra: Partial<CustomerOnboarding> = {}): CustomerOnboarding {
  return {
    customer: "Contoso Ltd",
    subscriptionId: SUB,
    managingTenantId: TENANT,
    pecPrincipalId: PEC_SP,
    authorizations: [{ principalId: OPS_GROUP, roleDefinitionId: READER, principalIdDisplayName: "Ops" }],
    ...extra,
  };
}

export const SAMPLES = "/work/shared/azure-contract/Azure__Azure-Lighthouse-samples/templates";
