/**
 * PL011 dpor-agreement-mismatch: DPOR only on EA subscriptions; EA subscriptions carry it when required.
 *
 * Semantics (over ctx.subscriptions: estate plus config, merged by ID):
 * - `dpor: true` on an MCA or CSP subscription -> finding (DPOR is EA-only; PAL is the mechanism there).
 * - With config.requireDporForEa, an EA subscription without `dpor: true` -> finding.
 * - Agreement "unknown": nothing to say.
 */
import type { Check } from "./context";
import { basePath, propPath, wherePath } from "./paths";

export const pl011DporAgreementMismatch: Check = (_estate, ctx, report) => {
  for (const s of ctx.subscriptions) {
    const base = basePath(s.source, "$.subscriptions");
    if (s.dpor === true && (s.agreement === "MCA" || s.agreement === "CSP")) {
      const path = propPath(base, "dpor", s.source);
      report({
        resource: s.name,
        source: s.source,
        path,
        message: `Subscription '${s.name}'${wherePath(path)}: DPOR is declared on a ${s.agreement} subscription, but Digital Partner of Record applies to Enterprise Agreement subscriptions only. Fix: remove dpor and rely on Partner Admin Link with a Lighthouse delegation.`,
      });
    } else if (ctx.config.requireDporForEa === true && s.agreement === "EA" && s.dpor !== true) {
      const path = propPath(base, "dpor", s.source);
      report({
        resource: s.name,
        source: s.source,
        path,
        message: `Subscription '${s.name}'${wherePath(path)}: EA subscription without a declared Digital Partner of Record (requireDporForEa is set). Fix: have the customer's EA account owner set the partner of record in the portal, then declare dpor: true.`,
      });
    }
  }
};
