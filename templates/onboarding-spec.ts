import type { Agreement } from "../rules/model";

/**
 * What a partner declares for one customer's Lighthouse onboarding. The template generator, the
 * `partnerlink template` command and the CDKTF `LighthouseOnboarding` construct all start from it.
 * Validated by templates/schemas/customer-onboarding.schema.json (ajv) before use.
 */
export interface CustomerOnboarding {
  /** Customer name: shown in the guide, used for the output folder and the default offer name. */
  customer: string;
  /** The customer subscription to delegate (the registration definition is always created here). */
  subscriptionId: string;
  /**
   * Resource groups to delegate instead of the whole subscription; left out: the subscription. An empty list is
   * refused, not read as left out (rules/resource-groups.ts): a computed list that matched nothing would otherwise
   * delegate the whole subscription.
   */
  resourceGroups?: string[];
  /** The partner (managing) tenant. */
  managingTenantId: string;
  /** Object ID of the PAL-linked identity (normally a service principal) that earns PEC. */
  pecPrincipalId: string;
  /** Shown to the customer; default "Partner Earned Credit identity". */
  pecPrincipalDisplayName?: string;
  /** PEC-eligible built-in role for the PEC principal; default Contributor. */
  pecRoleId?: string;
  /** Offer (registration definition) name; its guid() names the definition. Default "<customer> managed services". */
  offerName?: string;
  offerDescription?: string;
  /** Further permanent authorizations. */
  authorizations?: OnboardingAuthorization[];
  /** Just-in-time authorizations: users and groups only. */
  eligibleAuthorizations?: OnboardingEligibleAuthorization[];
  /** The customer's agreement; EA adds the DPOR steps to the guide. */
  agreement?: Exclude<Agreement, "unknown">;
  /** The partner's Associated Partner ID (needed for the DPOR steps). */
  partnerId?: string;
}

export interface OnboardingAuthorization {
  principalId: string;
  roleDefinitionId: string;
  principalIdDisplayName?: string;
  /** Only with User Access Administrator. */
  delegatedRoleDefinitionIds?: string[];
}

export interface OnboardingApprover {
  principalId: string;
  principalIdDisplayName?: string;
}

export interface OnboardingEligibleAuthorization {
  principalId: string;
  roleDefinitionId: string;
  principalIdDisplayName?: string;
  /** Azure accepts only users and groups as eligible principals. */
  principalType?: "User" | "Group";
  justInTimeAccessPolicy?: {
    multiFactorAuthProvider?: "Azure" | "None";
    maximumActivationDuration?: string;
    managedByTenantApprovers?: OnboardingApprover[];
  };
}
