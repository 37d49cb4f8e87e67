import type { Waiver } from "./config-types";
import { ruleMeta } from "./metadata";
import type { Finding, Suppression } from "./model";

/**
 * Waivers: config waivers and inline waivers (declared next to a resource), matched by rule ID or name and by
 * resource name or `*`. A waived finding keeps all its data and gains `suppressed`; it is never dropped.
 * A waiver applies through the end (UTC) of its `expires` day; after that it does not apply and the engine
 * reports a notice. An exact resource match wins over `*`; a config waiver wins over an inline one.
 */

interface Prepared {
  ruleId: string;
  resource: string;
  suppression: Suppression;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export class WaiverSet {
  private readonly byKey = new Map<string, Prepared>();
  readonly notices: string[] = [];

  constructor(configWaivers: readonly Waiver[], inlineWaivers: readonly Waiver[], now: Date) {
    const add = (w: Waiver, kind: "config" | "inline"): void => {
      const where = kind === "config" ? "config waiver" : "inline waiver";
      const meta = ruleMeta(w.rule);
      if (!meta) {
        this.notices.push(`The ${where} for rule '${w.rule}' on '${w.resource}' names no known rule and is ignored. Fix: use a rule ID (PL001..PL012) or name.`);
        return;
      }
      if (w.expires !== undefined) {
        const end = DATE_RE.test(w.expires) ? Date.parse(`${w.expires}T23:59:59.999Z`) : Number.NaN;
        if (Number.isNaN(end)) {
          this.notices.push(`The ${where} for ${meta.id} on '${w.resource}' has an invalid expiry '${w.expires}' and is ignored. Fix: use YYYY-MM-DD.`);
          return;
        }
        if (now.getTime() > end) {
          this.notices.push(`The ${where} for ${meta.id} (${meta.name}) on '${w.resource}' expired on ${w.expires} and no longer applies (reason was: ${w.reason}). Fix: resolve the finding, or renew the waiver with a new expiry.`);
          return;
        }
      }
      const key = `${meta.id}\u0000${w.resource}`;
      if (this.byKey.has(key)) return; // first declaration wins (config before inline)
      const suppression: Suppression = w.expires === undefined ? { reason: w.reason, kind } : { reason: w.reason, kind, expires: w.expires };
      this.byKey.set(key, { ruleId: meta.id, resource: w.resource, suppression });
    };
    for (const w of configWaivers) add(w, "config");
    for (const w of inlineWaivers) add(w, "inline");
  }

  /** The suppression for a finding, or undefined. */
  match(f: Pick<Finding, "ruleId" | "resource">): Suppression | undefined {
    return (this.byKey.get(`${f.ruleId}\u0000${f.resource}`) ?? this.byKey.get(`${f.ruleId}\u0000*`))?.suppression;
  }
}
