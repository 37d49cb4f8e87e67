/**
 * PL005 eligible-authorization-invalid: eligible (just-in-time) authorizations follow Azure's rules
 * (learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations; azure-apis.md section 2).
 *
 * Semantics, one finding per offending property:
 * - principalId of a service principal -> error. A principal is a service principal when its principalType says
 *   so, the estate's principalTypes say so, it is in config.servicePrincipals, or it is a PEC principal (taken for
 *   one, as the PAL-linked automation identity, and the message says it was taken so); a principal declared a user
 *   or group is not one.
 * - Owner or User Access Administrator (catalog `eligibleAllowed: false`) -> error.
 * - Non-empty delegatedRoleDefinitionIds -> error.
 * - More than 10 managedByTenantApprovers -> error; an approver that is a service principal -> error.
 * - maximumActivationDuration outside PT30M..PT8H -> error (a malformed duration is PL010's).
 * - multiFactorAuthProvider other than `Azure` or `None` (compared case-insensitively, as ARM compares enums) -> error.
 *   Where azurerm sends it (the adapter marks the source `provider: "azurerm"`), anything but `Azure`, letter for
 *   letter -> error: azurerm accepts only that and sends `None` when the attribute is left out, which is the fix
 *   for "None" (rules/facts.ts, AZURERM_MFA_PROVIDERS, with its source). azapi bodies are ARM's.
 * - Unresolved values are skipped (PL012).
 */
import { parseGuid, parseIsoDuration } from "../identifiers";
import { ARM_MFA_PROVIDERS, MAX_ACTIVATION_MINUTES, MAX_APPROVERS, MIN_ACTIVATION_MINUTES, acceptedMfaProvider, isoMinutes, mfaProviderFact, type MfaProviderFact } from "../facts";
import { isUnresolved, type Delegation, type EligibleAuthorization, type JustInTimeAccessPolicy, type PrincipalType, type SourceLocation, type Val } from "../model";
import { describeRole } from "../roles";
import type { Check, Report, RuleContext } from "./context";
import { authPath, authSource, basePath, propName, propPath, wherePath } from "./paths";

/**
 * Why a principal counts as a service principal here, or undefined when it does not: declared one (its
 * principalType, the estate's principalTypes, config.servicePrincipals), or taken for one because it is a PEC principal.
 * A principal declared a user or group is none, PEC principal or not.
 */
function servicePrincipalBasis(ctx: RuleContext, id: Val<string>, declared: PrincipalType | undefined): "declared" | "pec" | undefined {
  if (declared === "ServicePrincipal") return "declared";
  if (declared !== undefined || isUnresolved(id)) return undefined;
  const g = parseGuid(id);
  if (g === undefined) return undefined;
  const known = ctx.principalTypes.get(g);
  if (known !== undefined) return known === "ServicePrincipal" ? "declared" : undefined;
  if (ctx.pecPrincipals.has(g)) return "pec";
  return ctx.servicePrincipals.has(g) ? "declared" : undefined;
}

function isServicePrincipal(ctx: RuleContext, id: Val<string>, declared: PrincipalType | undefined): boolean {
  return servicePrincipalBasis(ctx, id, declared) !== undefined;
}

export const pl005EligibleAuthorizationInvalid: Check = (estate, ctx, report) => {
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const list = d.eligibleAuthorizations;
    for (let i = 0; i < list.length; i++) checkEligible(d, list[i], i, ctx, report);
  }
};

/** Reports a finding on eligible authorization `e` of `d`. */
function emit(report: Report, d: Delegation, e: EligibleAuthorization, path: string, message: string): void {
  report({ resource: d.name, source: authSource(d, e), path, message: `Delegation '${d.name}'${wherePath(path)}: ${message}` });
}

/** The path of the `i`-th eligible authorization `e` of `d`. */
function eligiblePath(d: Delegation, e: EligibleAuthorization, i: number): string {
  return authPath(d, e, "eligibleAuthorizations", i);
}

/** The path of the justInTimeAccessPolicy of the `i`-th eligible authorization `e` of `d`. */
function jitPath(d: Delegation, e: EligibleAuthorization, i: number, jit: JustInTimeAccessPolicy): string {
  return basePath(jit.source, propPath(eligiblePath(d, e, i), "justInTimeAccessPolicy", e.source));
}

function checkEligible(d: Delegation, e: EligibleAuthorization, i: number, ctx: RuleContext, report: Report): void {
  // Paths and messages are built only for a finding (most eligible authorizations have none), by the functions
  // above rather than by closures made here: those were two or three allocations per eligible authorization.

  const basis = servicePrincipalBasis(ctx, e.principalId, e.principalType);
  if (basis !== undefined) {
    // A PEC principal is taken for a service principal (the PAL-linked automation identity) unless declared otherwise:
    // say that it is an assumption, not a fact read from the input.
    const what =
      basis === "pec"
        ? `${String(e.principalId)} is the PEC principal, which partnerlink takes for a service principal (the PAL-linked automation identity) unless its principalType says otherwise`
        : `${String(e.principalId)} is a service principal${ctx.pecPrincipals.has(String(e.principalId).toLowerCase()) ? " (the PEC principal)" : ""}`;
    emit(
      report,
      d,
      e,
      propPath(eligiblePath(d, e, i), "principalId", e.source),
      `${what}; Azure accepts only users and groups as eligible principals. Fix: move it to ${propName("authorizations", d.source)}, or use a user or group here.`,
    );
  }
  if (!isUnresolved(e.roleDefinitionId)) {
    const role = ctx.catalog.lookup(e.roleDefinitionId); // undefined for a malformed ID (PL010) or an unknown role
    if (role && !role.eligibleAllowed) {
      emit(
        report,
        d,
        e,
        propPath(eligiblePath(d, e, i), "roleDefinitionId", e.source),
        `${describeRole(role, role.id)} is not allowed in an eligible authorization (Azure: restricted role definition). Fix: use another built-in role, e.g. Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c).`,
      );
    }
  }
  if (e.delegatedRoleDefinitionIds !== undefined && e.delegatedRoleDefinitionIds.length > 0) {
    const delegated = propName("delegatedRoleDefinitionIds", e.source);
    emit(
      report,
      d,
      e,
      propPath(eligiblePath(d, e, i), "delegatedRoleDefinitionIds", e.source),
      `${delegated} are not allowed in an eligible authorization. Fix: remove them (User Access Administrator with delegated roles belongs in ${propName("authorizations", d.source)}).`,
    );
  }
  const jit = e.justInTimeAccessPolicy;
  if (!jit) return;
  const approvers = jit.managedByTenantApprovers;
  if (approvers.length > MAX_APPROVERS.value) {
    emit(report, d, e, propPath(jitPath(d, e, i, jit), "managedByTenantApprovers", jit.source), `${approvers.length} approvers; Azure allows at most ${MAX_APPROVERS.value}. Fix: use a group as approver instead of many users.`);
  }
  for (let k = 0; k < approvers.length; k++) {
    const ap = approvers[k];
    if (isServicePrincipal(ctx, ap.principalId, ap.principalType)) {
      const app = propPath(basePath(ap.source, `${propPath(jitPath(d, e, i, jit), "managedByTenantApprovers", jit.source)}[${k}]`), "principalId", ap.source);
      emit(report, d, e, app, `approver ${String(ap.principalId)} is a service principal; approvers must be users or groups. Fix: use a user or group.`);
    }
  }
  const dur = jit.maximumActivationDuration;
  if (dur !== undefined && !isUnresolved(dur)) {
    const minutes = parseIsoDuration(dur);
    if (minutes !== undefined && (minutes < MIN_ACTIVATION_MINUTES.value || minutes > MAX_ACTIVATION_MINUTES.value)) {
      const [min, max] = [isoMinutes(MIN_ACTIVATION_MINUTES.value), isoMinutes(MAX_ACTIVATION_MINUTES.value)];
      emit(report, d, e, propPath(jitPath(d, e, i, jit), "maximumActivationDuration", jit.source), `'${dur}' is outside ${min}..${max}, which Azure rejects. Fix: use a duration from ${min} to ${max}, e.g. ${max}.`);
    }
  }
  const mfa = jit.multiFactorAuthProvider;
  if (mfa !== undefined && !isUnresolved(mfa)) {
    const fact = mfaProviderFact(jit.source);
    if (acceptedMfaProvider(fact, mfa) === undefined) emit(report, d, e, propPath(jitPath(d, e, i, jit), "multiFactorAuthProvider", jit.source), mfaProblem(fact, mfa, jit.source));
  }
}

/** Why `mfa` is refused and the fix, in the terms of whoever refuses it (Azure, or azurerm before Azure sees it). */
function mfaProblem(fact: MfaProviderFact, mfa: string, src: SourceLocation): string {
  const quoted = fact.accepted.map((v) => `"${v}"`);
  if (fact.sentWhenAbsent === undefined) {
    return `'${mfa}' is not a multi-factor authentication provider ${fact.acceptedBy} accepts. Fix: use ${quoted.join(" or ")}.`;
  }
  // A provider that accepts fewer values than ARM and sends one of ARM's when the attribute is left out (azurerm: None).
  const attr = propName("multiFactorAuthProvider", src);
  const refused = `'${mfa}' is not a value ${fact.acceptedBy} accepts for ${attr} (only ${quoted.join(" or ")}${fact.caseSensitive ? ", letter for letter" : ""}), so terraform plan refuses it.`;
  const arm = acceptedMfaProvider(ARM_MFA_PROVIDERS, mfa);
  if (arm === fact.sentWhenAbsent) return `${refused} Fix: leave out ${attr}: ${fact.acceptedBy} sends ${fact.sentWhenAbsent} when it is absent (or use ${quoted.join(" or ")} to require MFA).`;
  const same = arm === undefined ? undefined : acceptedMfaProvider(fact, arm);
  if (same !== undefined) return `${refused} Fix: write "${same}".`;
  return `${refused} Fix: use ${quoted.join(" or ")}, or leave out ${attr} for ${fact.sentWhenAbsent} (${fact.acceptedBy} sends it when the attribute is absent).`;
}
