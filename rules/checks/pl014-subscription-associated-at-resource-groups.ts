/**
 * PL014 subscription-associated-at-resource-groups: a subscription whose only associating delegations are assigned at
 * resource groups (none at the subscription, no DPOR) is associated, but Partner Earned Credit is earned on those
 * groups' consumption alone (rules/checks/subscription-association.ts, with the sources). An info, with the groups as
 * data (Finding.partialAssociation: check's JSON and SARIF, the audit's row).
 *
 * A rule of its own, not a lesser finding of PL007: a waiver of this one ("only these groups are managed, on purpose")
 * or its severity in config must not hide or change a later "not associated" error on the same subscription.
 */
import type { Check } from "./context";
import { listSome, wherePath } from "./paths";
import { unassociatedSubscriptions } from "./subscription-association";

/** Case-insensitive order of resource group names (ARM's are case-insensitive). */
function byName(a: { name: string }, b: { name: string }): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export const pl014SubscriptionAssociatedAtResourceGroups: Check = (estate, ctx, report) => {
  for (const u of unassociatedSubscriptions(estate, ctx)) {
    if (!u.groups) continue;
    const { subscription: s, id, path } = u;
    const groups = [...u.groups.values()].sort(byName);
    const resourceGroups = groups.map((g) => g.name);
    const delegations = [...new Set(groups.flatMap((g) => g.delegations))].sort();
    const plural = resourceGroups.length === 1 ? "resource group" : "resource groups";
    report({
      resource: s.name,
      source: s.source,
      path,
      partialAssociation: { resourceGroups },
      message:
        `Subscription '${s.name}'${wherePath(path)}: associated at resource groups only: the delegations that give a PAL-linked PEC principal (${[...ctx.pecPrincipals].join(", ")}) a permanent PEC-eligible Lighthouse role (${listSome(delegations.map((d) => `'${d}'`))}) have their scope at ${plural} ${listSome(resourceGroups, 10)}, none at /subscriptions/${id}: ` +
        `Partner Earned Credit is earned on the consumption of ${resourceGroups.length === 1 ? "that resource group" : "those resource groups"} only, not on the rest of the subscription. ` +
        `Fix: if the partner manages the whole subscription, assign the delegation at /subscriptions/${id} (the scope of its registration assignment); if only these resource groups are managed, nothing is wrong: waive PL014 on '${s.name}' (waivers in partnerlink config).`,
    });
  }
};
