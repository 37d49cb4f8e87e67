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
 * - Not reported when the answer depends on a value that is unknown: a delegation that might qualify (unresolved
 *   principal or role, or a link whose partner ID or objectId is unknown) assigned in that subscription, or a
 *   qualifying delegation whose scope is unresolved. PL012 reports those values.
 * - Needs PEC principals; without them the engine says in a notice that PL007 was not evaluated.
 * - A subscription whose ID is unresolved or malformed is skipped (PL012/PL010).
 */
import { parseScope, parseSubscriptionId } from "../identifiers";
import { isUnresolved, type Delegation, type Val } from "../model";
import type { Check, RuleContext } from "./context";
import { analyzePec } from "./pec-analysis";
import { basePath } from "./paths";

type Status = "qualifies" | "maybe" | "no";

function delegationStatus(d: Delegation, ctx: RuleContext): Status {
  const a = analyzePec(d, ctx);
  let maybe = a.unresolvedPermanentPrincipal || a.roleUndetermined.size > 0;
  for (const p of a.usable) {
    if (ctx.linkedPrincipals.has(p)) return "qualifies";
    if (ctx.maybeLinkedPrincipals.has(p) || ctx.anonymousLinks) maybe = true;
  }
  return maybe ? "maybe" : "no";
}

/** Subscription IDs a delegation applies to; `unknown` when one of its scopes is unresolved. */
function delegationSubscriptions(d: Delegation): { subs: string[]; unknown: boolean } {
  const scopes: (Val<string> | undefined)[] = d.assignments.length > 0 ? d.assignments.map((a) => a.scope) : [d.definitionScope];
  const subs: string[] = [];
  let unknown = false;
  for (const s of scopes) {
    if (s === undefined) continue;
    if (isUnresolved(s)) {
      unknown = true;
      continue;
    }
    const sc = parseScope(s);
    if (sc) subs.push(sc.subscriptionId);
  }
  return { subs, unknown };
}

export const pl007SubscriptionNotAssociated: Check = (estate, ctx, report) => {
  if (ctx.pecPrincipals.size === 0 || ctx.subscriptions.length === 0) return;
  const covered = new Set<string>();
  const maybe = new Set<string>();
  let maybeAnywhere = false;
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const st = delegationStatus(d, ctx);
    if (st === "no") continue;
    const { subs, unknown } = delegationSubscriptions(d);
    if (unknown) maybeAnywhere = true;
    for (const s of subs) (st === "qualifies" ? covered : maybe).add(s);
  }
  if (maybeAnywhere) return;
  for (const s of ctx.subscriptions) {
    if (isUnresolved(s.subscriptionId)) continue;
    const id = parseSubscriptionId(s.subscriptionId);
    if (id === undefined || covered.has(id) || maybe.has(id)) continue;
    if (s.dpor === true && (s.agreement === "EA" || s.agreement === "unknown")) continue;
    const path = basePath(s.source, "$.subscriptions");
    report({
      resource: s.name,
      source: s.source,
      path,
      message:
        `Subscription '${s.name}' (${path}): no delegation assigned in ${id} gives a PAL-linked PEC principal (${[...ctx.pecPrincipals].join(", ")}) a permanent PEC-eligible Lighthouse role${s.agreement === "EA" || s.agreement === "unknown" ? ", and no DPOR is declared" : ""}: the partner is neither recognised nor paid for it. ` +
        `Fix: onboard it through Lighthouse with the PEC principal as Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c)${s.agreement === "EA" || s.agreement === "unknown" ? ", or (EA) have the customer set the Digital Partner of Record and declare dpor: true" : ""}.`,
    });
  }
};
