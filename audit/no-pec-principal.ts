import type { PartnerlinkConfig } from "../rules/config-types";
import { severityOverrides } from "../rules/engine";
import { ruleMeta } from "../rules/metadata";
import type { Agreement, Finding } from "../rules/model";
import { WaiverSet } from "../rules/waivers";

/**
 * A subscription judged when the audit knows no PEC principal: none is configured and no identity it signed in as
 * has a PAL link to infer one from. The rules engine then skips PL007 (it says so in a notice), and "no PL007
 * finding" must not be read as "associated": with no PAL-linked principal known, no delegation can associate the
 * subscription. Only a declared DPOR (EA, or an unknown agreement, as PL007 counts it) does.
 *
 * The finding is PL007's, with the config's severity override ("off": nothing is judged, associated null) and waivers
 * applied as the engine applies them, so exit codes and reports treat it like any other not-associated subscription.
 */
export interface WithoutPecPrincipal {
  /** null when PL007 is turned off in config: nothing judged the association (run-audit reports it "not judged"). */
  associated: boolean | null;
  finding?: Finding;
}

export function judgeWithoutPecPrincipal(
  sub: { subscriptionId: string; displayName: string; agreement: Agreement; dpor?: boolean },
  config: PartnerlinkConfig,
  waivers: WaiverSet,
): WithoutPecPrincipal {
  const meta = ruleMeta("PL007")!;
  const override = severityOverrides(config).get(meta.id);
  if (override === "off") return { associated: null };
  const eaLike = sub.agreement === "EA" || sub.agreement === "unknown";
  if (sub.dpor === true && eaLike) return { associated: true };
  const finding: Finding = {
    ruleId: meta.id,
    ruleName: meta.name,
    severity: override ?? meta.severity,
    resource: sub.displayName,
    path: `/subscriptions/${sub.subscriptionId}`,
    message:
      `Subscription '${sub.displayName}' (${sub.subscriptionId}): no PAL link was found for any identity the audit signed in as and no PEC principal is configured, so no delegation can make it associated${eaLike ? ", and no DPOR is declared" : ""}: the partner is neither recognised nor paid for it. ` +
      `Fix: link the PEC principal (\`az managementpartner create --partner-id <id>\` signed in as it) and audit as it, or name it with --pec-principal <objectId> (pecPrincipals in config) and, when it is linked but the audit does not sign in as it, list it in palLinkedPrincipals.`,
  };
  const suppressed = waivers.match(finding);
  if (suppressed) finding.suppressed = suppressed;
  return { associated: false, finding };
}

/** The config's waivers, prepared once per audit (expired ones are dropped, as the engine drops them). */
export function auditWaivers(config: PartnerlinkConfig, now = new Date()): WaiverSet {
  return new WaiverSet(config.waivers ?? [], [], now);
}
