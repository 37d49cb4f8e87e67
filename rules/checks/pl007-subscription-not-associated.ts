/**
 * PL007 subscription-not-associated: every subscription in scope is associated with the partner.
 *
 * Semantics:
 * - Subscriptions: estate.subscriptions plus config.subscriptions, merged by subscription ID (ctx.subscriptions).
 * - A subscription is covered by a delegation assigned in it (any assignment at the subscription or one of its
 *   resource groups; a delegation without assignments counts at its definitionScope) that gives a PEC principal
 *   which is PAL-linked (PartnerLink objectId with the configured partner ID, or palLinkedPrincipals) a permanent
 *   authorization with a PEC-eligible, Lighthouse-usable role.
 * - Or by a declared DPOR (`dpor: true`) on an EA or unknown-agreement subscription (DPOR on MCA/CSP is PL011's).
 * - Covered only at resource groups (every qualifying delegation assigned in it is assigned at a resource group, none
 *   at the subscription nor without assignments, and no DPOR covers it): associated, but a finding of severity "info" names the resource groups
 *   and carries them in `partialAssociation` (the audit lists them on its row). Partner Earned Credit follows the PEC
 *   principal's access: Microsoft Learn, "Partner earned credit troubleshooting guide"
 *   (learn.microsoft.com/partner-center/billing/partner-earned-credit-troubleshoot), asks for "a valid ... Azure
 *   role-based access control (Azure RBAC) role for the subscription/resource group/resource" and, with Azure
 *   Lighthouse, that the linked account "has access to that customer's subscription/resource group". A delegation
 *   gives access at its assignment's scope, a subscription or a resource group (REST spec, registrationAssignments
 *   `{scope}`; shared/reference/azure-apis.md section 2), so the rest of the subscription earns none. Many customers
 *   delegate only some groups on purpose: it is not "not associated", and the fix is subscription scope when the
 *   partner manages the whole subscription, else a waiver. Not reported when a delegation that might qualify is
 *   assigned in the subscription (the groups, or coverage at the subscription, would be a guess).
 * - Not reported when the answer depends on a value that is unknown: a delegation that might qualify (unresolved
 *   principal or role, or a link whose partner ID or objectId is unknown) assigned in that subscription, or a
 *   qualifying delegation whose scope is unresolved. PL012 reports those values.
 * - Needs PEC principals; without them the engine says in a notice that PL007 was not evaluated.
 * - A subscription whose ID is unresolved or malformed is skipped (PL012/PL010).
 */
import { parseScope, parseSubscriptionId } from "../identifiers";
import { isUnresolved, type Delegation, type SourceLocation, type Val } from "../model";
import type { Check, Report, RuleContext } from "./context";
import { pecAnalyses, type PecAnalysis } from "./pec-analysis";
import { basePath, listSome, wherePath } from "./paths";

type Status = "qualifies" | "maybe" | "no";

function delegationStatus(a: PecAnalysis, ctx: RuleContext): Status {
  let maybe = a.unresolvedPermanentPrincipal || a.roleUndetermined.size > 0;
  for (const p of a.usable) {
    if (ctx.linkedPrincipals.has(p)) return "qualifies";
    if (ctx.maybeLinkedPrincipals.has(p) || ctx.anonymousLinks) maybe = true;
  }
  return maybe ? "maybe" : "no";
}

/** Where a delegation applies: subscription ID and, for an assignment at a resource group, the group's name. */
interface Applies {
  subscriptionId: string;
  resourceGroup?: string;
}

/**
 * Where a delegation applies; `unknown` when one of its scopes is unresolved. A delegation without assignments counts
 * at its definition's subscription, as a whole: a definition is created at a subscription (one in a resource group is
 * PL006's, and Azure rejects it), and where it will be assigned is not in the input.
 */
function delegationScopes(d: Delegation): { at: Applies[]; unknown: boolean } {
  const assigned = d.assignments.length > 0;
  const scopes: (Val<string> | undefined)[] = assigned ? d.assignments.map((a) => a.scope) : [d.definitionScope];
  const at: Applies[] = [];
  let unknown = false;
  for (const s of scopes) {
    if (s === undefined) continue;
    if (isUnresolved(s)) {
      unknown = true;
      continue;
    }
    const sc = parseScope(s);
    if (sc) at.push(sc.resourceGroup === undefined || !assigned ? { subscriptionId: sc.subscriptionId } : { subscriptionId: sc.subscriptionId, resourceGroup: sc.resourceGroup });
  }
  return { at, unknown };
}

/** The resource groups where qualifying delegations are assigned in one subscription, by lower-case name (ARM's are case-insensitive). */
type GroupCoverage = Map<string, { name: string; delegations: string[] }>;

export const pl007SubscriptionNotAssociated: Check = (estate, ctx, report) => {
  if (ctx.pecPrincipals.size === 0 || ctx.subscriptions.length === 0) return;
  /** Subscriptions a qualifying delegation is assigned to at subscription scope. */
  const covered = new Set<string>();
  /** Subscriptions qualifying delegations are assigned in at resource groups only (so far), with the groups. */
  const byGroup = new Map<string, GroupCoverage>();
  const maybe = new Set<string>();
  let maybeAnywhere = false;
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const st = delegationStatus(analyses[dIndex]!, ctx);
    if (st === "no") continue;
    const { at, unknown } = delegationScopes(d);
    if (unknown) maybeAnywhere = true;
    for (const a of at) {
      if (st === "maybe") maybe.add(a.subscriptionId);
      else if (a.resourceGroup === undefined) covered.add(a.subscriptionId);
      else {
        let groups = byGroup.get(a.subscriptionId);
        if (!groups) byGroup.set(a.subscriptionId, (groups = new Map()));
        const key = a.resourceGroup.toLowerCase();
        const g = groups.get(key);
        if (!g) groups.set(key, { name: a.resourceGroup, delegations: [d.name] });
        else if (!g.delegations.includes(d.name)) g.delegations.push(d.name);
      }
    }
  }
  if (maybeAnywhere) return;
  for (const s of ctx.subscriptions) {
    if (isUnresolved(s.subscriptionId)) continue;
    const id = parseSubscriptionId(s.subscriptionId);
    if (id === undefined || covered.has(id) || maybe.has(id)) continue;
    const eaLike = s.agreement === "EA" || s.agreement === "unknown";
    // A DPOR is the subscription's as a whole: the partner is recognised for all of it.
    if (s.dpor === true && eaLike) continue;
    const path = basePath(s.source, "$.subscriptions");
    const groups = byGroup.get(id);
    if (groups) {
      reportGroupsOnly(s.name, s.source, path, id, [...groups.values()], ctx, report);
      continue;
    }
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

/** The info finding on a subscription associated through delegations at resource groups only. */
function reportGroupsOnly(
  name: string,
  source: SourceLocation,
  path: string,
  id: string,
  groups: { name: string; delegations: string[] }[],
  ctx: RuleContext,
  report: Report,
): void {
  groups.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
  const resourceGroups = groups.map((g) => g.name);
  const delegations = [...new Set(groups.flatMap((g) => g.delegations))].sort();
  const plural = resourceGroups.length === 1 ? "resource group" : "resource groups";
  report({
    resource: name,
    source,
    path,
    severity: "info",
    partialAssociation: { resourceGroups },
    message:
      `Subscription '${name}'${wherePath(path)}: associated at resource groups only: the delegations that give a PAL-linked PEC principal (${[...ctx.pecPrincipals].join(", ")}) a permanent PEC-eligible Lighthouse role (${listSome(delegations.map((d) => `'${d}'`))}) have their scope at ${plural} ${listSome(resourceGroups, 10)}, none at /subscriptions/${id}: ` +
      `Partner Earned Credit is earned on the consumption of ${resourceGroups.length === 1 ? "that resource group" : "those resource groups"} only, not on the rest of the subscription. ` +
      `Fix: if the partner manages the whole subscription, assign the delegation at /subscriptions/${id} (the scope of its registration assignment); if only these resource groups are managed, nothing is wrong: waive PL007 on '${name}' (waivers in partnerlink config).`,
  });
}
