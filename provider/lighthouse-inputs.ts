/**
 * LighthouseOnboarding inputs as the provider receives them (Outputs resolved), their normalization (defaults
 * applied once, in check) and the registration definition body they describe.
 */
import type { LighthouseAuthorization, LighthouseEligibleAuthorization, RegistrationDefinitionBody } from "../arm";
import type { PartnerlinkConfig } from "../rules/config-types";
import { DEFAULT_PEC_ROLE_ID } from "../rules/roles";
import type { ProviderConnection } from "./connection-args";

/** The PAL-linked identity's permanent authorization (the one that earns Partner Earned Credit). */
export interface PecAuthorization {
  /** Object ID of the PAL-linked identity (typically the Provider Automation Account service principal). */
  principalId: string;
  /** Shown to the customer. */
  principalDisplayName: string;
  /** Default Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c): PEC-eligible and accepted by Lighthouse. */
  roleDefinitionId?: string;
}

export interface LighthouseOnboardingInputs {
  managingTenantId: string;
  customerTenantId: string;
  subscriptionId: string;
  /**
   * One assignment per resource group; left out: one assignment at the subscription. An empty list is refused by
   * check() (rules/resource-groups.ts); normalized state holds [] for "left out".
   */
  resourceGroups?: string[];
  offerName: string;
  offerDescription?: string;
  authorizations?: LighthouseAuthorization[];
  eligibleAuthorizations?: LighthouseEligibleAuthorization[];
  pecAuthorization: PecAuthorization;
  /** An identity of the CUSTOMER tenant with Owner on the subscription: onboarding is deployed there. */
  customerConnection: ProviderConnection;
  /** partnerlink configuration for the rules (allowed managing tenants, waivers, severity overrides...). */
  rulesConfig?: PartnerlinkConfig;
}

/**
 * The input that holds each model property of a LighthouseOnboarding's delegation (rules/model.ts SourceLocation
 * properties), so findings name what the user wrote: the definition's scope is built from subscriptionId, its
 * managing tenant is managingTenantId. Read by the provider's check() and the policy pack's adapter.
 */
export const LIGHTHOUSE_INPUT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  managedByTenantId: "managingTenantId",
  registrationDefinitionName: "offerName",
  description: "offerDescription",
  definitionScope: "subscriptionId",
});

export interface LighthouseOnboardingOutputs extends LighthouseOnboardingInputs {
  resourceGroups: string[];
  authorizations: LighthouseAuthorization[];
  eligibleAuthorizations: LighthouseEligibleAuthorization[];
  /** `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid(offerName)}` */
  definitionId: string;
  /** One per scope, in the order of `resourceGroups` (or the subscription's). */
  assignmentIds: string[];
  /** "Succeeded" when the definition and every assignment exist; otherwise what is missing ("Incomplete"). */
  provisioningState: string;
  manageeTenantId: string;
}

/** Defaults applied once (check), so state, diff and the ARM body agree. */
export function normalizeInputs<T extends Record<string, unknown>>(news: T): T {
  const out: Record<string, unknown> = { ...news };
  out.resourceGroups = Array.isArray(news.resourceGroups) ? news.resourceGroups : news.resourceGroups ?? [];
  out.authorizations = news.authorizations ?? [];
  out.eligibleAuthorizations = news.eligibleAuthorizations ?? [];
  const pec = news.pecAuthorization;
  if (pec && typeof pec === "object" && !Array.isArray(pec)) {
    const p = pec as Record<string, unknown>;
    out.pecAuthorization = { ...p, roleDefinitionId: p.roleDefinitionId ?? DEFAULT_PEC_ROLE_ID };
  }
  return out as T;
}

/** The PEC authorization as ARM writes it. */
export function pecAsAuthorization(pec: PecAuthorization): LighthouseAuthorization {
  return {
    principalId: pec.principalId,
    principalIdDisplayName: pec.principalDisplayName,
    roleDefinitionId: pec.roleDefinitionId ?? DEFAULT_PEC_ROLE_ID,
  };
}

const same = (a: string | undefined, b: string | undefined): boolean => (a ?? "").toLowerCase() === (b ?? "").toLowerCase();

/**
 * The permanent authorizations: the PEC one first, always, then the others as given. One that repeats another exactly
 * is refused by check() (lighthouse-check.ts repeatFailures), so what is sent is what the inputs say and read() maps it
 * back to them unchanged.
 */
export function effectiveAuthorizations(inputs: LighthouseOnboardingInputs): LighthouseAuthorization[] {
  return [pecAsAuthorization(inputs.pecAuthorization), ...(inputs.authorizations ?? [])];
}

/** The registration definition PUT body (api-version 2022-10-01). */
export function definitionBody(inputs: LighthouseOnboardingInputs): RegistrationDefinitionBody {
  const body: RegistrationDefinitionBody = {
    registrationDefinitionName: inputs.offerName,
    managedByTenantId: inputs.managingTenantId,
    authorizations: effectiveAuthorizations(inputs),
  };
  if (inputs.offerDescription !== undefined) body.description = inputs.offerDescription;
  if ((inputs.eligibleAuthorizations ?? []).length > 0) body.eligibleAuthorizations = inputs.eligibleAuthorizations;
  return body;
}

/** The GUID at the end of a role definition ID (or the ID itself). */
export function roleGuid(id: string | undefined): string {
  const s = (id ?? "").trim();
  const i = s.lastIndexOf("/");
  return (i >= 0 ? s.slice(i + 1) : s).toLowerCase();
}

/**
 * The inverse of {@link effectiveAuthorizations} for what ARM holds: the PEC authorization (when present) and the
 * others. Used by read() so refreshed outputs have the inputs' shape and drift shows in the next diff.
 */
export function splitAuthorizations(
  held: readonly LighthouseAuthorization[],
  pec: PecAuthorization,
): { pecAuthorization: PecAuthorization | null; authorizations: LighthouseAuthorization[] } {
  const wantRole = roleGuid(pec.roleDefinitionId ?? DEFAULT_PEC_ROLE_ID);
  let idx = held.findIndex((a) => same(a.principalId, pec.principalId) && roleGuid(a.roleDefinitionId) === wantRole && !a.delegatedRoleDefinitionIds?.length);
  if (idx < 0) idx = held.findIndex((a) => same(a.principalId, pec.principalId) && !a.delegatedRoleDefinitionIds?.length);
  if (idx < 0) return { pecAuthorization: null, authorizations: held.map(cleanAuthorization) };
  const a = held[idx];
  return {
    pecAuthorization: { principalId: pec.principalId, principalDisplayName: a.principalIdDisplayName ?? pec.principalDisplayName, roleDefinitionId: a.roleDefinitionId },
    authorizations: held.filter((_, i) => i !== idx).map(cleanAuthorization),
  };
}

function cleanAuthorization(a: LighthouseAuthorization): LighthouseAuthorization {
  const out: LighthouseAuthorization = { principalId: a.principalId, roleDefinitionId: a.roleDefinitionId };
  if (a.principalIdDisplayName !== undefined) out.principalIdDisplayName = a.principalIdDisplayName;
  if (a.delegatedRoleDefinitionIds !== undefined && a.delegatedRoleDefinitionIds.length > 0) out.delegatedRoleDefinitionIds = a.delegatedRoleDefinitionIds;
  return out;
}

/** JSON with sorted keys: equal values, equal text (for diff). */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === "object" && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}
