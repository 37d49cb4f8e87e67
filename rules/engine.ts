import type { PartnerlinkConfig, Waiver } from "./config-types";
import { CHECKS } from "./checks";
import type { RawFinding, RuleContext } from "./checks/context";
import { isPartnerId, parseGuid, parseSubscriptionId } from "./identifiers";
import { RULE_ID_RANGE, RULES, ruleMeta } from "./metadata";
import { isUnresolved, type Estate, type Finding, type PrincipalType, type Severity, type Subscription } from "./model";
import { buildRoleCatalog } from "./roles";
import { sensitiveRedactor } from "./sensitive";
import { WaiverSet } from "./waivers";

/**
 * The rules engine: runs the rules (rules/checks/, one file per rule) over an estate, applies per-rule severity
 * overrides ("off" disables a rule), waivers (suppressed, never dropped) and returns findings in a
 * deterministic order plus notices (what was inferred, what was not evaluated, expired waivers).
 */

export interface EvaluateOptions {
  /** Rule IDs or names to run (default: all). */
  only?: string[];
  /** "Today" for waiver expiry (default: now). */
  now?: Date;
  /** Waivers declared next to the resources (template metadata, resource tags, Pulumi options). */
  inlineWaivers?: Waiver[];
  /** The config file's name, used as the source of config-declared subscriptions. */
  configFile?: string;
  /**
   * Add a notice for each waiver that covered no finding although its rule ran on its resource (WaiverSet
   * `unusedNotices`). For a caller that evaluates the whole input at once (`partnerlink check`); one that evaluates
   * a rule or a resource at a time (the policy pack, the audit per subscription) would see every waiver as unused.
   */
  reportUnusedWaivers?: boolean;
}

export interface EvaluationResult {
  findings: Finding[];
  notices: string[];
  /**
   * Rules that did not run, and why: a report must not show them as passed (JUnit skips their test cases, SARIF
   * names them in a configuration notification). Rules left out of `only` are not listed.
   */
  notEvaluated: { ruleId: string; reason: string }[];
}

/**
 * Rules that look at one delegation (or partner link, or subscription) at a time: Pulumi resource-level policies.
 * PL010 and PL012 check every element of the estate they are given, delegations or not.
 */
export const perDelegationRules: readonly string[] = ["PL001", "PL002", "PL003", "PL004", "PL005", "PL006", "PL009", "PL010", "PL012"];
/** Rules that need the whole estate (delegations with links and subscriptions): Pulumi stack-level policies. */
export const estateRules: readonly string[] = ["PL007", "PL008", "PL011", "PL013", "PL014"];

const PEC_RULES = ["PL001", "PL002", "PL003", "PL007", "PL008", "PL014"];

/** Why the PEC rules did not run (EvaluationResult.notEvaluated): no PEC principal is known to judge them by. */
export const NO_PEC_PRINCIPAL_REASON = "no PEC principal is configured and no PartnerLink declares an objectId";

function lowerGuids(list: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const s of list ?? []) {
    const g = parseGuid(s);
    if (g) out.push(g);
  }
  return out;
}

/** estate.subscriptions merged with config.subscriptions by ID; config facts (agreement, dpor) win. */
export function mergeSubscriptions(estate: Estate, config: PartnerlinkConfig, configFile?: string): Subscription[] {
  const out: Subscription[] = [];
  const byId = new Map<string, number>();
  for (const s of estate.subscriptions) {
    const id = isUnresolved(s.subscriptionId) ? undefined : parseSubscriptionId(s.subscriptionId);
    if (id !== undefined) {
      const at = byId.get(id);
      if (at !== undefined) {
        // The same subscription twice in the input: keep the first, fill in what it does not say.
        const prev = out[at];
        out[at] = { ...prev, agreement: prev.agreement === "unknown" ? s.agreement : prev.agreement, dpor: prev.dpor ?? s.dpor };
        continue;
      }
      byId.set(id, out.length);
    }
    out.push(s);
  }
  (config.subscriptions ?? []).forEach((decl, i) => {
    const id = parseSubscriptionId(decl.subscriptionId);
    if (id === undefined) return; // config validation rejects it first
    const at = byId.get(id);
    if (at !== undefined) {
      const prev = out[at];
      out[at] = { ...prev, agreement: decl.agreement ?? prev.agreement, dpor: decl.dpor ?? prev.dpor };
      return;
    }
    const name = decl.name ?? id;
    const source = configFile === undefined ? { path: `$.subscriptions[${i}]`, resource: name } : { file: configFile, path: `$.subscriptions[${i}]`, resource: name };
    const sub: Subscription = { name, source, subscriptionId: id, agreement: decl.agreement ?? "unknown" };
    if (decl.dpor !== undefined) sub.dpor = decl.dpor;
    byId.set(id, out.length);
    out.push(sub);
  });
  return out;
}

/** Builds the rule context: catalog view, PEC/linked/service principals, merged subscriptions. */
export function buildRuleContext(estate: Estate, config: PartnerlinkConfig, notices: string[], configFile?: string): RuleContext {
  const partnerId = config.partnerId;
  const linked = new Set<string>(lowerGuids(config.palLinkedPrincipals));
  const maybeLinked = new Set<string>();
  const wrong = new Map<string, string>();
  const linkObjects: string[] = [];
  let anonymousLinks = false;
  for (const l of estate.partnerLinks) {
    let status: "match" | "maybe" | "wrong";
    if (partnerId === undefined) status = "match";
    else if (isUnresolved(l.partnerId) || !isPartnerId(l.partnerId)) status = "maybe";
    else status = l.partnerId === partnerId ? "match" : "wrong";
    const oid = l.objectId === undefined || isUnresolved(l.objectId) ? undefined : parseGuid(l.objectId);
    if (oid === undefined) {
      if (status !== "wrong") anonymousLinks = true;
      continue;
    }
    linkObjects.push(oid);
    if (status === "match") linked.add(oid);
    else if (status === "maybe") maybeLinked.add(oid);
    else wrong.set(oid, l.partnerId as string);
  }
  for (const p of linked) maybeLinked.delete(p);

  let pec = lowerGuids(config.pecPrincipals);
  if (pec.length === 0 && linkObjects.length > 0) {
    pec = [...new Set(linkObjects)];
    notices.push(
      `PEC principals inferred from the objectIds of the declared PartnerLinks: ${pec.join(", ")}. Fix: state them with pecPrincipals in partnerlink config or --pec-principal <objectId>.`,
    );
  }
  const pecSet = new Set(pec);

  const types = new Map<string, PrincipalType>();
  for (const [k, v] of Object.entries(estate.principalTypes ?? {})) {
    const g = parseGuid(k);
    if (g) types.set(g, v);
  }
  const sps = new Set<string>([...lowerGuids(config.servicePrincipals), ...pecSet]);
  for (const [k, v] of types) if (v === "ServicePrincipal") sps.add(k);

  return {
    config,
    catalog: buildRoleCatalog(config.roles ?? []),
    pecPrincipals: pecSet,
    linkedPrincipals: linked,
    maybeLinkedPrincipals: maybeLinked,
    anonymousLinks,
    wrongPartnerLinks: wrong,
    servicePrincipals: sps,
    principalTypes: types,
    subscriptions: mergeSubscriptions(estate, config, configFile),
    cache: new Map(),
    shared: new Map(),
  };
}

/** The resource names a finding of this evaluation can carry: delegations, their assignments, links, subscriptions. */
function checkedResources(estate: Estate, ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  for (const d of estate.delegations) {
    names.add(d.name);
    for (const a of d.assignments) if (a.resource !== undefined) names.add(a.resource);
  }
  for (const l of estate.partnerLinks) names.add(l.name);
  for (const s of ctx.subscriptions) names.add(s.name);
  return names;
}

function compareFindings(a: Finding, b: Finding): number {
  const keys: (keyof Finding)[] = ["file", "resource", "path", "ruleId", "message"];
  for (const k of keys) {
    const x = (a[k] as string | undefined) ?? "";
    const y = (b[k] as string | undefined) ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The config's per-rule severities (`rules: {PL003: {severity: "off"}}`, by ID or name), keyed by rule ID. */
export function severityOverrides(config: PartnerlinkConfig): Map<string, Severity | "off"> {
  const overrides = new Map<string, Severity | "off">();
  for (const [key, v] of Object.entries(config.rules ?? {})) {
    const m = ruleMeta(key);
    if (m && v.severity !== undefined) overrides.set(m.id, v.severity);
  }
  return overrides;
}

/**
 * Runs the rules over an estate.
 *
 * @example
 *   const { findings, notices } = evaluate(estate, loadConfigFile("partnerlink.config.yaml"));
 *   const errors = findings.filter((f) => f.severity === "error" && !f.suppressed);
 */
// The rules walk the estate with index loops rather than for-of: in a one-shot CLI run those loops run before V8
// optimizes them, and an unoptimized for-of allocates an iterator result per element (bench/check.ts).
export function evaluate(estate: Estate, config: PartnerlinkConfig, options: EvaluateOptions = {}): EvaluationResult {
  const notices: string[] = [];
  let selected: Set<string> | undefined;
  if (options.only) {
    selected = new Set();
    for (const r of options.only) {
      const m = ruleMeta(r);
      if (m) selected.add(m.id);
      else notices.push(`Unknown rule '${r}' in the rule selection is ignored. Fix: use a rule ID (${RULE_ID_RANGE}) or name.`);
    }
  }
  const overrides = severityOverrides(config);
  const enabled = RULES.filter((r) => (selected === undefined || selected.has(r.id)) && overrides.get(r.id) !== "off");
  const enabledIds = new Set(enabled.map((r) => r.id));
  const notEvaluated: EvaluationResult["notEvaluated"] = [];
  for (const r of RULES) if ((selected === undefined || selected.has(r.id)) && overrides.get(r.id) === "off") notEvaluated.push({ ruleId: r.id, reason: "turned off in config (severity: off)" });

  const ctxNotices: string[] = [];
  const ctx = buildRuleContext(estate, config, ctxNotices, options.configFile);
  const pecRulesRun = PEC_RULES.filter((id) => enabledIds.has(id));
  if (pecRulesRun.length > 0) {
    if (ctx.pecPrincipals.size === 0) {
      for (const id of pecRulesRun) notEvaluated.push({ ruleId: id, reason: NO_PEC_PRINCIPAL_REASON });
      notices.push(
        `${pecRulesRun.join(", ")} ${pecRulesRun.length === 1 ? "was" : "were"} not evaluated: ${NO_PEC_PRINCIPAL_REASON}. ` +
          `Fix: set pecPrincipals (the objectId of the PAL-linked service principal) in partnerlink config or the policy pack's config, or pass --pec-principal <objectId> to partnerlink check or audit.`,
      );
    } else notices.push(...ctxNotices);
  }

  const waivers = new WaiverSet(config.waivers ?? [], options.inlineWaivers ?? [], options.now ?? new Date());
  notices.push(...waivers.notices);

  // Every finding passes here, whichever rule reports it: a value the input marks sensitive is never printed.
  const redact = sensitiveRedactor(estate.sensitiveValues);
  const findings: Finding[] = [];
  for (const meta of enabled) {
    const check = CHECKS[meta.id];
    if (!check) continue;
    const override = overrides.get(meta.id);
    check(estate, ctx, (raw: RawFinding) => {
      const f: Finding = {
        ruleId: meta.id,
        ruleName: meta.name,
        severity: override !== undefined && override !== "off" ? override : (raw.severity ?? meta.severity),
        message: redact ? redact(raw.message) : raw.message,
        resource: redact ? redact(raw.resource) : raw.resource,
        path: redact ? redact(raw.path) : raw.path,
      };
      if (raw.source.file !== undefined) f.file = raw.source.file;
      if (raw.partialAssociation !== undefined)
        f.partialAssociation = { resourceGroups: redact ? raw.partialAssociation.resourceGroups.map(redact) : [...raw.partialAssociation.resourceGroups] };
      const s = waivers.match(f);
      if (s) f.suppressed = s;
      findings.push(f);
    });
  }
  // A waiver of PL007 on a subscription associated at resource groups only (PL014's finding, part of PL007 before
  // PL014 was a rule) waives nothing there, and would hide a "not associated" error should its delegations go.
  if (waivers.size > 0)
    for (const f of findings) {
      if (f.ruleId !== "PL014") continue;
      for (const kind of waivers.explain("PL007", f.resource, f.file))
        notices.push(
          `The ${kind} waiver for PL007 (subscription-not-associated) on '${f.resource}' waives nothing there: the subscription is associated at resource groups only, which PL014 (subscription-associated-at-resource-groups) reports, and the waiver would hide a PL007 error on it should those delegations go. ` +
            `Fix: waive PL014 on '${f.resource}' instead, and remove the PL007 waiver.`,
        );
    }
  // The resource names are gathered only when there is a waiver to judge (a large estate has 10,000s).
  if (options.reportUnusedWaivers && waivers.size > 0) {
    const skipped = new Set(notEvaluated.map((n) => n.ruleId));
    const evaluated = new Set<string>();
    for (const r of enabled) if (!skipped.has(r.id)) evaluated.add(r.id);
    notices.push(...waivers.unusedNotices(checkedResources(estate, ctx), evaluated));
  }
  findings.sort(compareFindings);
  notEvaluated.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return { findings, notices: redact ? notices.map(redact) : notices, notEvaluated };
}
