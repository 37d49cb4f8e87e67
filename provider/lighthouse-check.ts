/**
 * check() for LighthouseOnboarding: the inputs mapped to the normalized model (rules/model.ts) and judged by the
 * shared rules, the per-delegation ones (rules/engine.ts perDelegationRules), before any ARM call. Findings of
 * severity "error" that no waiver suppresses become CheckFailures carrying the rule's message.
 * Values unknown during preview become Unresolved (rule PL012 reports them; nothing is guessed).
 */
import { evaluate, perDelegationRules } from "../rules/engine";
import { isPlaceholderGuid, parseGuid } from "../rules/identifiers";
import type { PartnerlinkConfig } from "../rules/config-types";
import { validateConfig } from "../rules/config";
import { unresolved, type Authorization, type Delegation, type EligibleAuthorization, type Estate, type Finding, type Val } from "../rules/model";
import { describeRole, lookupRole } from "../rules/roles";
import { ARM_JIT_POLICY_DEFAULTS } from "../rules/facts";
import { authorizationKey, eligibleAuthorizationKey, repeatsIn } from "../rules/same-authorization";
import type { LighthouseAuthorization, LighthouseEligibleAuthorization } from "../arm";
import type { InputFailure } from "./input-validation";
import { isUnknown } from "./input-validation";
import { assignmentScopes, definitionGuid, subscriptionScope } from "./lighthouse-ids";
import { LIGHTHOUSE_INPUT_NAMES, pecAsAuthorization, roleGuid, type LighthouseOnboardingInputs } from "./lighthouse-inputs";

const PREVIEW = "known only after apply (a Pulumi preview unknown)";

function val<T>(v: T): Val<T> {
  return isUnknown(v) ? unresolved(PREVIEW) : v;
}

/** LIGHTHOUSE_INPUT_NAMES, and the definition ID, which check() derives from offerName (guid(offerName)). */
const INPUT_NAMES: Readonly<Record<string, string>> = Object.freeze({ ...LIGHTHOUSE_INPUT_NAMES, definitionId: "offerName" });

/** The inputs as one Delegation of the normalized model. */
export function delegationOf(inputs: LighthouseOnboardingInputs, resourceName: string): Delegation {
  const resource = resourceName;
  const sub = inputs.subscriptionId;
  const rgs = inputs.resourceGroups;
  const knownSub = !isUnknown(sub);
  const scopes: { scope: Val<string>; path: string }[] =
    !knownSub || isUnknown(rgs)
      ? [{ scope: unresolved(PREVIEW), path: "resourceGroups" }]
      : parseGuid(sub) === undefined
        ? // A malformed subscriptionId is reported once, as the definition's scope: the assignment scopes built from it
          // would only repeat it.
          [{ scope: unresolved(`the assignment scopes are built from subscriptionId '${sub}', which is not a GUID`), path: "subscriptionId" }]
        : assignmentScopes(sub, (rgs ?? []).map((rg) => (isUnknown(rg) ? "(unknown)" : rg))).map((scope, i) => ({
            scope: isUnknown((rgs ?? [])[i]) ? unresolved(PREVIEW) : scope,
            path: (rgs ?? []).length > 0 ? `resourceGroups[${i}]` : "subscriptionId",
          }));
  const pec = inputs.pecAuthorization;
  const pecAuth: Authorization = {
    principalId: val(pec.principalId),
    principalIdDisplayName: val(pec.principalDisplayName),
    roleDefinitionId: val(pecAsAuthorization(pec).roleDefinitionId),
    source: { resource, path: "pecAuthorization" },
  };
  const authorizations: Authorization[] = [pecAuth];
  (Array.isArray(inputs.authorizations) ? inputs.authorizations : []).forEach((a, i) => {
    const x: Authorization = {
      principalId: val(a.principalId),
      roleDefinitionId: val(a.roleDefinitionId),
      source: { resource, path: `authorizations[${i}]` },
    };
    if (a.principalIdDisplayName !== undefined) x.principalIdDisplayName = val(a.principalIdDisplayName);
    if (a.delegatedRoleDefinitionIds !== undefined) x.delegatedRoleDefinitionIds = a.delegatedRoleDefinitionIds.map(val);
    authorizations.push(x);
  });
  const eligibleAuthorizations: EligibleAuthorization[] = (Array.isArray(inputs.eligibleAuthorizations) ? inputs.eligibleAuthorizations : []).map((e, i) => {
    const path = `eligibleAuthorizations[${i}]`;
    const x: EligibleAuthorization = {
      principalId: val(e.principalId),
      roleDefinitionId: val(e.roleDefinitionId),
      source: { resource, path },
    };
    if (e.principalIdDisplayName !== undefined) x.principalIdDisplayName = val(e.principalIdDisplayName);
    const d = (e as { delegatedRoleDefinitionIds?: string[] }).delegatedRoleDefinitionIds;
    if (d !== undefined) x.delegatedRoleDefinitionIds = d.map(val);
    const jit = e.justInTimeAccessPolicy;
    if (jit) {
      x.justInTimeAccessPolicy = {
        multiFactorAuthProvider: val(jit.multiFactorAuthProvider),
        managedByTenantApprovers: (jit.managedByTenantApprovers ?? []).map((ap, j) => ({
          principalId: val(ap.principalId),
          ...(ap.principalIdDisplayName !== undefined ? { principalIdDisplayName: val(ap.principalIdDisplayName) } : {}),
          source: { resource, path: `${path}.justInTimeAccessPolicy.managedByTenantApprovers[${j}]` },
        })),
        source: { resource, path: `${path}.justInTimeAccessPolicy` },
      };
      if (jit.maximumActivationDuration !== undefined) x.justInTimeAccessPolicy.maximumActivationDuration = val(jit.maximumActivationDuration);
    }
    return x;
  });
  const d: Delegation = {
    name: resource,
    // Findings name this resource's inputs (property paths from the root ""), not the model's ARM names.
    source: { resource, path: "", properties: INPUT_NAMES },
    managedByTenantId: val(inputs.managingTenantId),
    registrationDefinitionName: val(inputs.offerName),
    definitionScope: knownSub ? subscriptionScope(sub) : unresolved(PREVIEW),
    // An assignment's scope is the resource group (or the subscription) it is made from: the finding points there.
    assignments: scopes.map((s) => ({ scope: s.scope, source: { resource, path: s.path, properties: { scope: "" } } })),
    authorizations,
    eligibleAuthorizations,
  };
  if (inputs.offerDescription !== undefined) d.description = val(inputs.offerDescription);
  if (!isUnknown(inputs.offerName)) d.definitionId = definitionGuid(inputs.offerName);
  return d;
}

/** The rules config for this resource: the user's, with the PEC principal added (it is one by definition). */
export function rulesConfigOf(inputs: LighthouseOnboardingInputs): PartnerlinkConfig {
  const base: PartnerlinkConfig = inputs.rulesConfig ? validateConfig(inputs.rulesConfig, "LighthouseOnboarding rulesConfig") : {};
  const pecId = inputs.pecAuthorization.principalId;
  const pecPrincipals = [...(base.pecPrincipals ?? [])];
  if (!isUnknown(pecId) && !pecPrincipals.some((p) => p.toLowerCase() === pecId.toLowerCase())) pecPrincipals.push(pecId);
  return { ...base, pecPrincipals };
}

/**
 * customerTenantId, which no rule reads (the model has no customer tenant): a GUID, and the tenant
 * customerConnection signs in to when its credential names one. A tenant ID mistyped here was found only at apply,
 * by the sign-in check; it is now refused at preview, with both properties named.
 */
export function customerTenantFailures(inputs: LighthouseOnboardingInputs, resourceLabel: string): InputFailure[] {
  const t = inputs.customerTenantId;
  if (isUnknown(t)) return [];
  const tenant = parseGuid(t);
  // Not a GUID, or the placeholder the samples ship (rules/identifiers.ts PLACEHOLDER_GUIDS): no tenant has it.
  const problem = tenant === undefined ? "is not a GUID (8-4-4-4-12 hex digits)" : isPlaceholderGuid(tenant) ? "is a placeholder GUID, not a tenant ID" : undefined;
  if (problem !== undefined)
    return [{ property: "customerTenantId", reason: `${resourceLabel}: customerTenantId '${t}' ${problem}. Fix: use the customer's Entra tenant ID (az account show --query tenantId).` }];
  const credential = (inputs.customerConnection as { credential?: { tenantId?: unknown } } | undefined)?.credential;
  const signsIn = credential?.tenantId;
  if (typeof signsIn !== "string" || isUnknown(signsIn) || signsIn === "") return [];
  if (parseGuid(signsIn) === tenant) return [];
  return [
    {
      property: "customerTenantId",
      reason:
        `${resourceLabel}: customerTenantId ${t} is not the tenant customerConnection signs in to (${signsIn}): onboarding is deployed by an identity of the customer's tenant. ` +
        `Fix: correct customerTenantId, or give customerConnection a deployer of tenant ${t}.`,
    },
  ];
}

/** Runs the per-delegation rules; error findings (not waived) -> failures carrying the rule's message. */
export function ruleFailures(inputs: LighthouseOnboardingInputs, resourceName: string): { failures: InputFailure[]; findings: Finding[] } {
  let config: PartnerlinkConfig;
  try {
    config = rulesConfigOf(inputs);
  } catch (err) {
    return { failures: [{ property: "rulesConfig", reason: err instanceof Error ? err.message : String(err) }], findings: [] };
  }
  const estate: Estate = { delegations: [delegationOf(inputs, resourceName)], partnerLinks: [], subscriptions: [] };
  const { findings } = evaluate(estate, config, { only: [...perDelegationRules] });
  const failures = findings
    .filter((f) => f.severity === "error" && !f.suppressed)
    .map((f) => ({ property: (f.path ?? "").replace(/^\$\.?/, "") || "authorizations", reason: `${f.ruleId} ${f.ruleName}: ${f.message}` }));
  return { failures, findings };
}

/** Whether a value holds a preview unknown anywhere: its identity cannot be told yet. */
function holdsUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(holdsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(holdsUnknown);
  return false;
}

function permanentKey(a: LighthouseAuthorization): string | undefined {
  return holdsUnknown([a.principalId, a.roleDefinitionId, a.delegatedRoleDefinitionIds ?? []]) ? undefined : authorizationKey(a);
}

function eligibleKey(e: LighthouseEligibleAuthorization): string | undefined {
  const p = e.justInTimeAccessPolicy;
  const identity = [e.principalId, e.roleDefinitionId, p?.multiFactorAuthProvider, p?.maximumActivationDuration, (p?.managedByTenantApprovers ?? []).map((a) => a.principalId)];
  return holdsUnknown(identity) ? undefined : eligibleAuthorizationKey(e);
}

/**
 * An authorization that repeats another exactly is refused, naming both and the fix: one equal to pecAuthorization
 * (which the resource always sends first) or to an earlier entry of `authorizations`, and an eligible authorization
 * equal to an earlier one. "Equal" is rules/same-authorization.ts, the definition the generators apply when they
 * leave such an entry out. A resource refuses instead: its inputs are recorded as given, and read() maps what ARM
 * holds back to them (splitAuthorizations), so an entry the provider left out would come back missing on every
 * refresh and show as a change in every diff. Entries holding a preview unknown are compared once it is known.
 */
export function repeatFailures(inputs: LighthouseOnboardingInputs, resourceLabel: string): InputFailure[] {
  const failures: InputFailure[] = [];
  const given = Array.isArray(inputs.authorizations) ? inputs.authorizations : [];
  const pec = inputs.pecAuthorization;
  const pecAuth = pec && typeof pec === "object" ? pecAsAuthorization(pec) : undefined;
  // pecAuthorization is entry 0, authorizations[i] entry i + 1 (the order the definition lists them in).
  const permanent: (LighthouseAuthorization | undefined)[] = [pecAuth, ...given];
  for (const { index, first } of repeatsIn(permanent, (a) => (a === undefined ? undefined : permanentKey(a)))) {
    const at = `authorizations[${index - 1}]`;
    const repeated =
      first === 0
        ? `pecAuthorization (the same principalId and roleDefinitionId, ${describeRole(lookupRole(pecAuth!.roleDefinitionId), roleGuid(pecAuth!.roleDefinitionId))}, and no delegatedRoleDefinitionIds), which the resource always sends as the first authorization`
        : `authorizations[${first - 1}] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds)`;
    failures.push({ property: at, reason: `${resourceLabel}: ${at} repeats ${repeated}; a registration definition lists each authorization once. Remove ${at}.` });
  }
  const eligible = Array.isArray(inputs.eligibleAuthorizations) ? inputs.eligibleAuthorizations : [];
  for (const { index, first } of repeatsIn(eligible, eligibleKey)) {
    const at = `eligibleAuthorizations[${index}]`;
    failures.push({
      property: at,
      reason: `${resourceLabel}: ${at} repeats eligibleAuthorizations[${first}] (the same principalId, roleDefinitionId and just-in-time policy, a policy property left out read as Azure's default: multiFactorAuthProvider ${ARM_JIT_POLICY_DEFAULTS.multiFactorAuthProvider}, maximumActivationDuration ${ARM_JIT_POLICY_DEFAULTS.maximumActivationDuration}); a registration definition lists each eligible authorization once. Remove ${at}.`,
    });
  }
  return failures;
}
