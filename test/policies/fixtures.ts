/** Pulumi inputs for each kind of resource the pack reads, built from one description of a delegation. */
import { AZURE_CLASSIC_TYPES, AZURE_NATIVE_TYPES, PARTNERLINK_TYPES } from "../../policies/adapters";
import { DEF_GUID, PEC, ROLES, SUB, TENANT } from "./util";

export interface AuthSpec {
  principalId: string;
  roleDefinitionId: string;
  delegatedRoleDefinitionIds?: string[];
}

export interface EligibleSpec extends AuthSpec {
  mfa?: string;
  duration?: string;
  approvers?: string[];
}

export interface DelegationSpec {
  tenant?: string;
  /** Permanent authorizations. For a LighthouseOnboarding the first one is its `pecAuthorization`. */
  auths?: AuthSpec[];
  eligible?: EligibleSpec[];
  /** Definition scope (azure-native/classic); a LighthouseOnboarding always uses /subscriptions/{subscriptionId}. */
  scope?: string;
  subscriptionId?: string;
}

export interface DefinitionKind {
  label: string;
  type: string;
  props(spec: DelegationSpec): Record<string, unknown>;
}

const defaults = (s: DelegationSpec) => ({
  tenant: s.tenant ?? TENANT,
  auths: s.auths ?? [{ principalId: PEC, roleDefinitionId: ROLES.contributor }],
  eligible: s.eligible ?? [],
  subscriptionId: s.subscriptionId ?? SUB,
  scope: s.scope ?? `/subscriptions/${s.subscriptionId ?? SUB}`,
});

function armAuth(a: AuthSpec): Record<string, unknown> {
  const o: Record<string, unknown> = { principalId: a.principalId, principalIdDisplayName: "someone", roleDefinitionId: a.roleDefinitionId };
  if (a.delegatedRoleDefinitionIds) o.delegatedRoleDefinitionIds = a.delegatedRoleDefinitionIds;
  return o;
}

function armEligible(e: EligibleSpec): Record<string, unknown> {
  return {
    ...armAuth(e),
    justInTimeAccessPolicy: {
      multiFactorAuthProvider: e.mfa ?? "Azure",
      maximumActivationDuration: e.duration ?? "PT8H",
      managedByTenantApprovers: (e.approvers ?? []).map((p) => ({ principalId: p, principalIdDisplayName: "approver" })),
    },
  };
}

export const azureNativeDefinition: DefinitionKind = {
  label: "azure-native RegistrationDefinition",
  type: AZURE_NATIVE_TYPES.registrationDefinition,
  props(spec) {
    const s = defaults(spec);
    return {
      scope: s.scope,
      registrationDefinitionId: DEF_GUID,
      properties: {
        registrationDefinitionName: "Contoso managed services",
        managedByTenantId: s.tenant,
        authorizations: s.auths.map(armAuth),
        eligibleAuthorizations: s.eligible.map(armEligible),
      },
    };
  },
};

export const classicDefinition: DefinitionKind = {
  label: "classic azure lighthouse.Definition",
  type: AZURE_CLASSIC_TYPES.lighthouseDefinition,
  props(spec) {
    const s = defaults(spec);
    return {
      name: "Contoso managed services",
      scope: s.scope,
      lighthouseDefinitionId: DEF_GUID,
      managingTenantId: s.tenant,
      authorizations: s.auths.map((a) => {
        const o: Record<string, unknown> = { principalId: a.principalId, principalDisplayName: "someone", roleDefinitionId: a.roleDefinitionId };
        if (a.delegatedRoleDefinitionIds) o.delegatedRoleDefinitionIds = a.delegatedRoleDefinitionIds;
        return o;
      }),
      eligibleAuthorizations: s.eligible.map((e) => ({
        principalId: e.principalId,
        principalDisplayName: "someone",
        roleDefinitionId: e.roleDefinitionId,
        justInTimeAccessPolicy: {
          multiFactorAuthProvider: e.mfa ?? "Azure",
          maximumActivationDuration: e.duration ?? "PT8H",
          approvers: (e.approvers ?? []).map((p) => ({ principalId: p, principalDisplayName: "approver" })),
        },
      })),
    };
  },
};

export const lighthouseOnboarding: DefinitionKind = {
  label: "partnerlink LighthouseOnboarding",
  type: PARTNERLINK_TYPES.lighthouseOnboarding,
  props(spec) {
    const s = defaults(spec);
    const [pec, ...rest] = s.auths;
    return {
      managingTenantId: s.tenant,
      customerTenantId: "77777777-7777-4777-8777-777777777777",
      subscriptionId: s.subscriptionId,
      resourceGroups: [],
      offerName: "Contoso managed services",
      pecAuthorization: { principalId: pec.principalId, principalDisplayName: "PEC automation", roleDefinitionId: pec.roleDefinitionId },
      authorizations: rest.map(armAuth),
      eligibleAuthorizations: s.eligible.map(armEligible),
      customerConnection: { tenantId: "77777777-7777-4777-8777-777777777777", clientId: "x", clientSecret: "do-not-print" },
    };
  },
};

export const DEFINITION_KINDS: DefinitionKind[] = [azureNativeDefinition, classicDefinition, lighthouseOnboarding];
