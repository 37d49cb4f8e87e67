/**
 * PL001 pec-principal-missing: every delegation carries an authorization for a PEC principal.
 *
 * Semantics:
 * - Runs only when PEC principals are known (config.pecPrincipals, else inferred from PartnerLink objectIds);
 *   otherwise the engine emits a notice instead.
 * - With several PEC principals, one of them appearing is enough (each delegation needs one PAL-linked identity).
 * - Reported when no PEC principal appears in `authorizations` NOR in `eligibleAuthorizations`; appearing only as
 *   eligible is PL002's finding, a non-eligible role is PL003's.
 * - An authorization whose principalId is unresolved may be the PEC principal: no finding (PL012 reports the value).
 * - A malformed principalId never matches a PEC principal (PL010 reports it); the remaining authorizations decide.
 */
import { DEFAULT_PEC_ROLE_ID } from "../roles";
import type { Check } from "./context";
import { pecAnalyses } from "./pec-analysis";
import { basePath, listSome, propName, propPath, wherePath } from "./paths";

export const pl001PecPrincipalMissing: Check = (estate, ctx, report) => {
  if (ctx.pecPrincipals.size === 0) return;
  const pec = [...ctx.pecPrincipals];
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const a = analyses[dIndex]!;
    if (a.permanent.size > 0 || a.eligible.size > 0) continue;
    if (a.unresolvedPermanentPrincipal || a.unresolvedEligiblePrincipal) continue;
    const path = propPath(basePath(d.source), "authorizations", d.source);
    // The fix in the input's own names: `authorization` / `principal_id` in an azurerm plan.
    const n = (prop: string): string => propName(prop, d.source);
    report({
      resource: d.name,
      source: d.source,
      path,
      message:
        `Delegation '${d.name}'${wherePath(path)} has no authorization for the PEC principal ${listSome(pec)}: no Partner Earned Credit in its scope. ` +
        `Fix: add {"${n("principalId")}": "${pec[0]}", "${n("roleDefinitionId")}": "${DEFAULT_PEC_ROLE_ID}"} (Contributor) to ${n("authorizations")} (not ${n("eligibleAuthorizations")}).`,
    });
  }
};
