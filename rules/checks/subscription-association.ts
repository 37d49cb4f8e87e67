/**
 * Whether each subscription in scope is associated with the partner: the one judgment PL007
 * (subscription-not-associated) and PL014 (subscription-associated-at-resource-groups) report from, made once per
 * evaluation (cached on the context).
 *
 * - Subscriptions: estate.subscriptions plus config.subscriptions, merged by subscription ID (ctx.subscriptions).
 * - A subscription is covered by a delegation assigned in it (any assignment at the subscription or one of its
 *   resource groups; a delegation without assignments counts at its definitionScope) that gives a PEC principal
 *   which is PAL-linked (PartnerLink objectId with the configured partner ID, or palLinkedPrincipals) a permanent
 *   authorization with a PEC-eligible, Lighthouse-usable role.
 * - Or by a declared DPOR (`dpor: true`) on an EA or unknown-agreement subscription (DPOR on MCA/CSP is PL011's).
 * - Covered only at resource groups (every qualifying delegation assigned in it is assigned at a resource group, none
 *   at the subscription nor without assignments, and no DPOR covers it): associated, at those groups (PL014). Partner
 *   Earned Credit follows the PEC principal's access: Microsoft Learn, "Partner earned credit troubleshooting guide"
 *   (learn.microsoft.com/partner-center/billing/partner-earned-credit-troubleshoot), asks for "a valid ... Azure
 *   role-based access control (Azure RBAC) role for the subscription/resource group/resource" and, with Azure
 *   Lighthouse, that the linked account "has access to that customer's subscription/resource group". A delegation
 *   gives access at its assignment's scope, a subscription or a resource group (REST spec, registrationAssignments
 *   `{scope}`; shared/reference/azure-apis.md section 2), so the rest of the subscription earns none. Many customers
 *   delegate only some groups on purpose. Not judged so when a delegation that might qualify is assigned in the
 *   subscription (the groups, or coverage at the subscription, would be a guess).
 * - Not judged when the answer depends on a value that is unknown: a delegation that might qualify (unresolved
 *   principal or role, or a link whose partner ID or objectId is unknown) assigned in that subscription, or a
 *   qualifying delegation whose scope is unresolved (then no subscription is judged). PL012 reports those values.
 * - Needs PEC principals; without them the engine says in a notice that the rules were not evaluated.
 * - A subscription whose ID is unresolved or malformed is skipped (PL012/PL010).
 */
import { parseScope, parseSubscriptionId } from "../identifiers";
import { isUnresolved, type Delegation, type Estate, type Subscription, type Val } from "../model";
import type { RuleContext } from "./context";
import { pecAnalyses, type PecAnalysis } from "./pec-analysis";
import { basePath } from "./paths";

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

/** A resource group where qualifying delegations are assigned in a subscription, as first written, with them. */
export interface GroupCoverage {
  name: string;
  delegations: string[];
}

/** A subscription in scope that no qualifying delegation covers at subscription scope, and no DPOR covers. */
export interface UnassociatedSubscription {
  subscription: Subscription;
  /** Its lower-case GUID. */
  id: string;
  /** Its JSON path (where the subscription is declared). */
  path: string;
  /** EA or an unknown agreement: a declared DPOR would associate it. */
  eaLike: boolean;
  /** Qualifying delegations assigned at these resource groups in it, by lower-case name; absent when none. */
  groups?: Map<string, GroupCoverage>;
}

const KEY = "subscription-association";

/**
 * The subscriptions in scope that are not associated as a whole (see the file comment), in ctx.subscriptions' order;
 * with `groups` those associated at resource groups only. Empty when nothing can be judged (no PEC principal, no
 * subscription, or a qualifying delegation whose scope is unknown).
 */
export function unassociatedSubscriptions(estate: Estate, ctx: RuleContext): readonly UnassociatedSubscription[] {
  const cached = ctx.shared.get(KEY) as UnassociatedSubscription[] | undefined;
  if (cached) return cached;
  const out: UnassociatedSubscription[] = [];
  ctx.shared.set(KEY, out);
  if (ctx.pecPrincipals.size === 0 || ctx.subscriptions.length === 0) return out;
  /** Subscriptions a qualifying delegation is assigned to at subscription scope. */
  const covered = new Set<string>();
  /** Subscriptions qualifying delegations are assigned in at resource groups only (so far), with the groups. */
  const byGroup = new Map<string, Map<string, GroupCoverage>>();
  const maybe = new Set<string>();
  const analyses = pecAnalyses(estate, ctx);
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const st = delegationStatus(analyses[dIndex]!, ctx);
    if (st === "no") continue;
    const { at, unknown } = delegationScopes(d);
    // A delegation that (maybe) qualifies, with a scope not known before deployment, may cover any of them: none is judged.
    if (unknown) return out;
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
  for (const s of ctx.subscriptions) {
    if (isUnresolved(s.subscriptionId)) continue;
    const id = parseSubscriptionId(s.subscriptionId);
    if (id === undefined || covered.has(id) || maybe.has(id)) continue;
    const eaLike = s.agreement === "EA" || s.agreement === "unknown";
    // A DPOR is the subscription's as a whole: the partner is recognised for all of it.
    if (s.dpor === true && eaLike) continue;
    const u: UnassociatedSubscription = { subscription: s, id, path: basePath(s.source, "$.subscriptions"), eaLike };
    const groups = byGroup.get(id);
    if (groups) u.groups = groups;
    out.push(u);
  }
  return out;
}
