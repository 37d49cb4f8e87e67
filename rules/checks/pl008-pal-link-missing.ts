/**
 * PL008 pal-link-missing: every PEC principal a delegation relies on is PAL-linked to the partner ID.
 *
 * Semantics:
 * - Linked principals: PartnerLink objectIds whose partnerId equals config.partnerId (any partnerId when none is
 *   configured), plus config.palLinkedPrincipals.
 * - For each delegation and each PEC principal that appears in it (permanent or eligible), reported at its first
 *   authorization when no link covers it; the message says when the principal is linked to another partner ID.
 * - A PartnerLink whose partnerId differs from config.partnerId is reported on the link (linked to the wrong ID).
 * - Not guessed: a link with an unresolved or malformed partnerId makes its principal "maybe linked", and a link
 *   without a known objectId ("whoever deploys it") may link any principal; the rule then stays silent for those
 *   principals, and PL012 says what could not be proven.
 * - The delegation part needs PEC principals (notice otherwise); the wrong-ID part needs config.partnerId.
 */
import { isPartnerId } from "../identifiers";
import { isUnresolved, type Delegation } from "../model";
import type { Check, Report, RuleContext } from "./context";
import { pecAnalyses, type AuthRef } from "./pec-analysis";
import { authSource, basePath, propName, propPath, wherePath } from "./paths";

export const pl008PalLinkMissing: Check = (estate, ctx, report) => {
  const partnerId = ctx.config.partnerId;
  if (partnerId !== undefined) {
    for (const l of estate.partnerLinks) {
      if (isUnresolved(l.partnerId) || !isPartnerId(l.partnerId) || l.partnerId === partnerId) continue;
      const path = propPath(basePath(l.source), "partnerId", l.source);
      report({
        resource: l.name,
        source: l.source,
        path,
        message: `Partner link '${l.name}'${wherePath(path)} links to partner ID ${l.partnerId}, not the configured ${partnerId}: its work is credited to another partner. Fix: set the partner ID (${propName("partnerId", l.source)}) to ${partnerId}, or correct partnerId in config.`,
      });
    }
  }
  if (ctx.pecPrincipals.size === 0 || ctx.anonymousLinks) return;
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const a = analyses[dIndex]!;
    // Each PEC principal once: its permanent authorizations first, then those only eligible.
    a.permanent.forEach((list, p) => check(d, p, list, partnerId, ctx, report));
    a.eligible.forEach((list, p) => {
      if (!a.permanent.has(p)) check(d, p, list, partnerId, ctx, report);
    });
  }
};

function check(d: Delegation, p: string, list: readonly AuthRef[], partnerId: string | undefined, ctx: RuleContext, report: Report): void {
  if (ctx.linkedPrincipals.has(p) || ctx.maybeLinkedPrincipals.has(p)) return;
  const path = propPath(list[0].path, "principalId", list[0].auth.source);
  const other = ctx.wrongPartnerLinks.get(p);
  report({
    resource: d.name,
    // The file that holds the authorization (an ARM parameters file), as PL002/PL003 report it.
    source: authSource(d, list[0].auth),
    path,
    message:
      `Delegation '${d.name}'${wherePath(path)}: the PEC principal ${p} is ${other ? `PAL-linked to partner ID ${other}, not ${partnerId}` : "not PAL-linked to the partner ID by any declared PartnerLink or palLinkedPrincipals"}: no recognition, no Partner Earned Credit. ` +
      `Fix: declare a PartnerAdminLink for ${p}${partnerId ? ` with partnerId ${partnerId}` : ""} (or add it to palLinkedPrincipals when it is linked elsewhere), or run \`az managementpartner create --partner-id ${partnerId ?? "<id>"}\` signed in as that principal.`,
  });
}
