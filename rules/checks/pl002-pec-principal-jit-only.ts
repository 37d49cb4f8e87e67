/**
 * PL002 pec-principal-jit-only: a PEC principal does not appear only as an eligible (just-in-time) authorization.
 *
 * Semantics:
 * - Reported when PEC principals appear in `eligibleAuthorizations` of a delegation and none appears in its
 *   permanent `authorizations`: a just-in-time role never earns PEC. One finding per delegation, at the first
 *   eligible authorization of a PEC principal.
 * - When a permanent authorization has an unresolved principalId (it may be the PEC principal): no finding.
 * - Azure also rejects service principals as eligible principals: that is PL005's finding, reported as well.
 */
import type { Check } from "./context";
import { pecAnalyses } from "./pec-analysis";
import { authSource, propName, propPath, roleLabel, wherePath } from "./paths";

export const pl002PecPrincipalJitOnly: Check = (estate, ctx, report) => {
  if (ctx.pecPrincipals.size === 0) return;
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const a = analyses[dIndex]!;
    if (a.permanent.size > 0 || a.eligible.size === 0 || a.unresolvedPermanentPrincipal) continue;
    const [principal, refs] = [...a.eligible][0];
    const ref = refs[0];
    const path = propPath(ref.path, "principalId", ref.auth.source);
    report({
      resource: d.name,
      source: authSource(d, ref.auth),
      path,
      message:
        `Delegation '${d.name}'${wherePath(path)}: the PEC principal ${principal} appears only as an eligible (just-in-time) authorization with ${roleLabel(ctx.catalog, ref.auth.roleDefinitionId)}; just-in-time roles earn no Partner Earned Credit. ` +
        `Fix: move it from ${propName("eligibleAuthorizations", d.source)} to ${propName("authorizations", d.source)}, keeping a PEC-eligible role such as Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c).`,
    });
  }
};
