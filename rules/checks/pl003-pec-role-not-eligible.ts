/**
 * PL003 pec-role-not-eligible: a PEC principal's permanent roles include one that is PEC-eligible AND usable in
 * Lighthouse.
 *
 * Semantics:
 * - Applies to delegations where some PEC principal has permanent authorizations; reported when none of those
 *   authorizations has a role that is PEC-eligible (Partner Center table) and accepted by Lighthouse as a permanent
 *   authorization (catalog `lighthouse: "yes"`, after config `roles` overrides). Owner is PEC-eligible but rejected
 *   by Lighthouse, Reader is accepted but not eligible: both fail.
 * - Unknown/custom roles are not in the PEC table: they earn no PEC, so they do not satisfy the rule.
 * - If any of those roles is unresolved or malformed, the rule cannot decide and skips the delegation
 *   (PL012/PL010 report the value). Likewise when a permanent authorization whose principalId is unresolved holds a
 *   PEC-eligible, usable or undeterminable role: that principal may be the PEC principal.
 * - One finding per delegation, at the first permanent PEC authorization's roleDefinitionId, listing the roles held.
 */
import { DEFAULT_PEC_ROLE_ID, RECOMMENDED_PEC_ROLE_IDS, describeRole, lookupRole } from "../roles";
import type { Check } from "./context";
import { pecAnalyses } from "./pec-analysis";
import { authSource, propName, propPath, roleLabel, wherePath } from "./paths";

const RECOMMENDED = RECOMMENDED_PEC_ROLE_IDS.map((id) => describeRole(lookupRole(id), id)).join(", ");

export const pl003PecRoleNotEligible: Check = (estate, ctx, report) => {
  if (ctx.pecPrincipals.size === 0) return;
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const a = analyses[dIndex]!;
    if (a.permanent.size === 0 || a.usable.size > 0 || a.roleUndetermined.size > 0 || a.unresolvedPrincipalMayEarn) continue;
    const refs = [...a.permanent.values()].flat();
    const first = refs[0];
    const path = propPath(first.path, "roleDefinitionId", first.auth.source);
    const held = [...new Set(refs.map((r) => roleLabel(ctx.catalog, r.auth.roleDefinitionId)))].join(", ");
    report({
      resource: d.name,
      source: authSource(d, first.auth),
      path,
      message:
        `Delegation '${d.name}'${wherePath(path)}: the PEC principal holds only ${held}, none PEC-eligible and usable in Lighthouse: the delegation earns no Partner Earned Credit. ` +
        `Fix: set ${propName("roleDefinitionId", first.auth.source)} to ${DEFAULT_PEC_ROLE_ID} (Contributor) or another PEC-eligible Lighthouse role (${RECOMMENDED}).`,
    });
  }
};
