/**
 * PL007 subscription-not-associated: every subscription in scope is associated with the partner, through a
 * delegation or a declared DPOR (rules/checks/subscription-association.ts says what counts, and when nothing is
 * judged). A subscription associated at resource groups only is associated: PL014 says where.
 */
import type { Check } from "./context";
import { wherePath } from "./paths";
import { unassociatedSubscriptions } from "./subscription-association";

export const pl007SubscriptionNotAssociated: Check = (estate, ctx, report) => {
  for (const u of unassociatedSubscriptions(estate, ctx)) {
    if (u.groups) continue;
    const { subscription: s, id, path, eaLike } = u;
    report({
      resource: s.name,
      source: s.source,
      path,
      message:
        `Subscription '${s.name}'${wherePath(path)}: no delegation assigned in ${id} gives a PAL-linked PEC principal (${[...ctx.pecPrincipals].join(", ")}) a permanent PEC-eligible Lighthouse role${eaLike ? ", and no DPOR is declared" : ""}: the partner is neither recognised nor paid for it. ` +
        `Fix: onboard it through Lighthouse with the PEC principal as Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c)${eaLike ? ", or (EA) have the customer set the Digital Partner of Record and declare dpor: true" : ""}.`,
    });
  }
};
