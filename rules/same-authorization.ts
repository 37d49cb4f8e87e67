import { ARM_JIT_POLICY_DEFAULTS } from "./facts";
import { parseIsoDuration, parseRoleDefinitionId } from "./identifiers";

/**
 * When two authorizations of one registration definition are the same grant: the one definition every producer of a
 * definition uses (the onboarding planner behind `partnerlink template`, the CDKTF construct and the root stack;
 * the Pulumi provider's check()), so a repeat is found the same way wherever it is written.
 *
 * What Azure does with repeats in a registration definition is not documented: the 2022-10-01 REST spec
 * (Azure/azure-rest-api-specs specification/managedservices/.../stable/2022-10-01/managedservices.json,
 * RegistrationDefinitionProperties.authorizations / eligibleAuthorizations) is a plain array with no uniqueItems and
 * says nothing of repeats; no recording or REST example in ../shared/azure-contract, nor any Azure-Lighthouse-samples
 * parameters file, has one; no issue or doc found reports Azure accepting or refusing them. azurerm declares
 * `authorization` and `eligible_authorization` as sets (pluginsdk.TypeSet in hashicorp/terraform-provider-azurerm
 * internal/services/lighthouse/lighthouse_definition_resource.go), so identical blocks there become one. A repeat
 * grants nothing more, and sending it risks a refusal for no gain: partnerlink never sends one.
 */

/** What decides whether two permanent authorizations are the same grant (the display name is only shown). */
export interface AuthorizationGrant {
  principalId: string;
  roleDefinitionId: string;
  delegatedRoleDefinitionIds?: readonly string[];
}

/** What decides whether two eligible (just-in-time) authorizations are the same grant. */
export interface EligibleAuthorizationGrant {
  principalId: string;
  roleDefinitionId: string;
  justInTimeAccessPolicy?: {
    multiFactorAuthProvider?: string;
    maximumActivationDuration?: string;
    managedByTenantApprovers?: readonly { principalId: string }[];
  };
}

const guidOf = (id: string): string => id.trim().toLowerCase();
/** A role as its GUID, whether written as one or as a role definition resource ID. */
const roleOf = (id: string): string => parseRoleDefinitionId(id) ?? guidOf(id);
const setOf = (ids: readonly string[], norm: (id: string) => string): string[] => [...new Set(ids.map(norm))].sort();

/**
 * The identity of a permanent authorization: the principal and the role (GUIDs compare without case, a role
 * resource ID as its GUID) and the roles it may delegate (a set, compared the same way). Equal keys, the same grant.
 */
export function authorizationKey(a: AuthorizationGrant): string {
  return [guidOf(a.principalId), roleOf(a.roleDefinitionId), ...setOf(a.delegatedRoleDefinitionIds ?? [], roleOf)].join("\n");
}

/**
 * The identity of an eligible authorization as Azure holds it: principal and role as for {@link authorizationKey}, and
 * its just-in-time policy with Azure's defaults applied where it leaves a property out (rules/facts.ts
 * ARM_JIT_POLICY_DEFAULTS: no MFA, PT8H), the MFA provider without case (ARM compares enum values so), the approvers a
 * set. A generator that writes its own defaults (templates/onboarding-plan.ts) keys what it writes.
 */
export function eligibleAuthorizationKey(e: EligibleAuthorizationGrant): string {
  const p = e.justInTimeAccessPolicy ?? {};
  return [
    guidOf(e.principalId),
    roleOf(e.roleDefinitionId),
    (p.multiFactorAuthProvider ?? ARM_JIT_POLICY_DEFAULTS.multiFactorAuthProvider).toLowerCase(),
    durationOf(p.maximumActivationDuration ?? ARM_JIT_POLICY_DEFAULTS.maximumActivationDuration),
    ...setOf((p.managedByTenantApprovers ?? []).map((a) => a.principalId), guidOf),
  ].join("\n");
}

/** A duration as its length in minutes (`PT8H` and `PT480M` are one policy), or as written when it is not one. */
function durationOf(d: string): string {
  const minutes = parseIsoDuration(d);
  return minutes === undefined ? d.toUpperCase() : `${minutes}m`;
}

/** An entry that repeats an earlier one: its index and the index of the first entry with the same key. */
export interface Repeat {
  index: number;
  first: number;
}

/**
 * The entries of `list` that repeat an earlier one, in order. `key` gives an entry's identity
 * ({@link authorizationKey}, {@link eligibleAuthorizationKey}), or undefined when it cannot be told yet (a value
 * known only after apply): such an entry repeats nothing and nothing repeats it.
 */
export function repeatsIn<T>(list: readonly T[], key: (item: T) => string | undefined): Repeat[] {
  const firstOf = new Map<string, number>();
  const out: Repeat[] = [];
  list.forEach((item, index) => {
    const k = key(item);
    if (k === undefined) return;
    const first = firstOf.get(k);
    if (first === undefined) firstOf.set(k, index);
    else out.push({ index, first });
  });
  return out;
}
