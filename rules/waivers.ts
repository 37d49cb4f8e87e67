import type { Waiver } from "./config-types";
import { RULE_ID_RANGE, ruleMeta } from "./metadata";
import type { Finding, Suppression } from "./model";

/**
 * Waivers: config waivers and inline waivers (declared next to a resource), matched by rule ID or name and by
 * resource name or `*`. A waived finding keeps all its data and gains `suppressed`; it is never dropped.
 * A waiver applies through the end (UTC) of its `expires` day; after that it does not apply and the engine
 * reports a notice. A config waiver wins over an inline one; among waivers of one kind, an exact resource match
 * wins over `*`. An inline waiver applies only to findings in the files its resource was read from.
 */

interface Prepared {
  ruleId: string;
  /** The rule's name, for notices. */
  ruleName: string;
  resource: string;
  /** Inline waivers: the files the finding must be in (see {@link Waiver.files}). */
  files?: readonly string[];
  suppression: Suppression;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export class WaiverSet {
  /** Rule + resource -> the waivers for it, config waivers first, each in declaration order. */
  private readonly byKey = new Map<string, Prepared[]>();
  /** Whether any waiver applies (the others were refused with a notice). */
  get size(): number {
    return this.byKey.size;
  }

  /** The waivers that covered at least one finding (whether or not another waiver won it). */
  private readonly used = new Set<Prepared>();
  /** The waivers a caller's notice explained ({@link explain}): not reported as unused. */
  private readonly explained = new Set<Prepared>();
  readonly notices: string[] = [];

  constructor(configWaivers: readonly Waiver[], inlineWaivers: readonly Waiver[], now: Date) {
    const add = (w: Waiver, kind: "config" | "inline"): void => {
      const where = kind === "config" ? "config waiver" : "inline waiver";
      const meta = ruleMeta(w.rule);
      if (!meta) {
        this.notices.push(`The ${where} for rule '${w.rule}' on '${w.resource}' names no known rule and is ignored. Fix: use a rule ID (${RULE_ID_RANGE}) or name.`);
        return;
      }
      if (w.expires !== undefined) {
        const end = DATE_RE.test(w.expires) ? Date.parse(`${w.expires}T23:59:59.999Z`) : Number.NaN;
        // Date.parse rolls an impossible day over (2026-11-31 is December 1st): the date must read back the same.
        if (Number.isNaN(end) || new Date(end).toISOString().slice(0, 10) !== w.expires) {
          const why = DATE_RE.test(w.expires) ? "is not a date in the calendar" : "is not a date in the form YYYY-MM-DD";
          this.notices.push(`The ${where} for ${meta.id} on '${w.resource}' has an invalid expiry '${w.expires}' (it ${why}) and is ignored. Fix: use a real date, YYYY-MM-DD.`);
          return;
        }
        if (now.getTime() > end) {
          this.notices.push(`The ${where} for ${meta.id} (${meta.name}) on '${w.resource}' expired on ${w.expires} and no longer applies (reason was: ${w.reason}). Fix: resolve the finding, or renew the waiver with a new expiry.`);
          return;
        }
      }
      const key = `${meta.id}\u0000${w.resource}`;
      const suppression: Suppression = w.expires === undefined ? { reason: w.reason, kind } : { reason: w.reason, kind, expires: w.expires };
      const prepared: Prepared = { ruleId: meta.id, ruleName: meta.name, resource: w.resource, suppression };
      if (kind === "inline" && w.files !== undefined) prepared.files = w.files;
      const list = this.byKey.get(key);
      if (list) list.push(prepared);
      else this.byKey.set(key, [prepared]);
    };
    for (const w of configWaivers) add(w, "config");
    for (const w of inlineWaivers) add(w, "inline");
  }

  /** The suppression for a finding, or undefined: the first config waiver that covers it, else the first inline one. */
  match(f: Pick<Finding, "ruleId" | "resource" | "file">): Suppression | undefined {
    const exact = this.byKey.get(`${f.ruleId}\u0000${f.resource}`);
    const any = this.byKey.get(`${f.ruleId}\u0000*`);
    if (exact) for (const w of exact) if (covers(w, f)) this.used.add(w);
    if (any) for (const w of any) if (covers(w, f)) this.used.add(w);
    return (first(exact, f, "config") ?? first(any, f, "config") ?? first(exact, f, "inline") ?? first(any, f, "inline"))?.suppression;
  }

  /**
   * The kinds of the waivers of `ruleId` that name `resource` itself (not `*`) and cover a finding of file `file`, now
   * explained by the caller's own notice: {@link unusedNotices} leaves them out.
   */
  explain(ruleId: string, resource: string, file: string | undefined): Suppression["kind"][] {
    const kinds: Suppression["kind"][] = [];
    for (const w of this.byKey.get(`${ruleId}\u0000${resource}`) ?? []) {
      if (!covers(w, { file })) continue;
      this.explained.add(w);
      kinds.push(w.suppression.kind);
    }
    return kinds;
  }

  /**
   * Notices for the waivers that covered no finding although their rule ran on their resource: the problem they
   * waive is gone, and a waiver left in place would hide the next one on that resource unseen (ESLint reports its
   * unused disable directives for the same reason). Only a waiver that names a resource the run checked
   * (`checked`) and a rule that ran (`evaluated`) is reported: a config shared by several folders names resources
   * that are elsewhere, and a `*` waiver may be for another folder's resources, so neither is reported.
   */
  unusedNotices(checked: ReadonlySet<string>, evaluated: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const list of this.byKey.values())
      for (const w of list) {
        if (this.used.has(w) || this.explained.has(w) || w.resource === "*" || !checked.has(w.resource) || !evaluated.has(w.ruleId)) continue;
        const where = w.suppression.kind === "config" ? "config waiver" : "inline waiver";
        out.push(
          `The ${where} for ${w.ruleId} (${w.ruleName}) on '${w.resource}' matched no finding: ${w.ruleId} ran and reported nothing on '${w.resource}'. ` +
            `Fix: remove the waiver (reason was: ${w.suppression.reason}), so that it does not hide a new ${w.ruleId} finding on '${w.resource}'.`,
        );
      }
    return out;
  }
}

/** Whether waiver `w` (of the finding's rule and resource, or `*`) covers the finding's file. */
function covers(w: Prepared, f: Pick<Finding, "file">): boolean {
  return w.files === undefined || f.file === undefined || w.files.includes(f.file);
}

function first(list: readonly Prepared[] | undefined, f: Pick<Finding, "file">, kind: Suppression["kind"]): Prepared | undefined {
  if (!list) return undefined;
  for (const w of list) {
    if (w.suppression.kind !== kind) continue;
    if (covers(w, f)) return w;
  }
  return undefined;
}
