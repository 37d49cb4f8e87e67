/**
 * Microsoft.ManagedServices 2022-10-01 shapes, flattened (`properties` lifted), as the ARM layer returns them.
 * Source: specification/managedservices/resource-manager/Microsoft.ManagedServices/stable/2022-10-01/managedservices.json
 * (definitions RegistrationDefinitionProperties, Authorization, EligibleAuthorization, JustInTimeAccessPolicy,
 * RegistrationAssignmentProperties, RegistrationAssignmentPropertiesRegistrationDefinition).
 */

export const MANAGED_SERVICES_API_VERSION = "2022-10-01";

export interface LighthouseAuthorization {
  principalId: string;
  principalIdDisplayName?: string;
  roleDefinitionId: string;
  delegatedRoleDefinitionIds?: string[];
}

export interface EligibleApprover {
  principalId: string;
  principalIdDisplayName?: string;
}

export interface JustInTimeAccessPolicy {
  /** "Azure" | "None" */
  multiFactorAuthProvider: string;
  /** ISO 8601 duration, PT30M..PT8H */
  maximumActivationDuration?: string;
  managedByTenantApprovers?: EligibleApprover[];
}

export interface LighthouseEligibleAuthorization {
  principalId: string;
  principalIdDisplayName?: string;
  roleDefinitionId: string;
  justInTimeAccessPolicy?: JustInTimeAccessPolicy;
}

/** Marketplace plan: all four fields when present. */
export interface RegistrationPlan {
  name: string;
  publisher: string;
  product: string;
  version: string;
}

/** What putRegistrationDefinition sends. */
export interface RegistrationDefinitionBody {
  registrationDefinitionName: string;
  description?: string;
  managedByTenantId: string;
  authorizations: LighthouseAuthorization[];
  eligibleAuthorizations?: LighthouseEligibleAuthorization[];
  plan?: RegistrationPlan;
}

/** A registration definition as read back. */
export interface RegistrationDefinition extends RegistrationDefinitionBody {
  /** Full resource ID, `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}`. */
  id: string;
  /** The definition GUID. */
  name: string;
  type?: string;
  provisioningState?: string;
  manageeTenantId?: string;
  manageeTenantName?: string;
  managedByTenantName?: string;
}

/** A registration assignment as read back. */
export interface RegistrationAssignment {
  id: string;
  /** The assignment GUID. */
  name: string;
  type?: string;
  /** Full resource ID of the definition it assigns. */
  registrationDefinitionId: string;
  provisioningState?: string;
  /** The scope it was read from or created at: `/subscriptions/{sub}[/resourceGroups/{rg}]`. */
  scope: string;
  /** Present when read with expandDefinition: the definition as seen through the assignment. */
  registrationDefinition?: Omit<RegistrationDefinition, "id" | "name"> & { id?: string; name?: string };
}
