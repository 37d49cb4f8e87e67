import type { PartnerlinkConfig } from "../config-types";
import type { Delegation, Estate, PartialAssociation, PrincipalType, Severity, SourceLocation, Subscription } from "../model";
import type { RoleCatalog } from "../roles";

/**
 * What every rule receives besides the estate: the configuration and the facts derived from it once per
 * evaluation (resolved PEC principals, PAL-linked principals, service principals, the role catalog view).
 * Principal IDs in the sets are lower-case GUIDs.
 */
export interface RuleContext {
  config: PartnerlinkConfig;
  /** The role catalog with config `roles` overrides applied. */
  catalog: RoleCatalog;
  /** PEC principals: config.pecPrincipals, else inferred from PartnerLink objectIds; empty when neither. */
  pecPrincipals: ReadonlySet<string>;
  /** Principals proven PAL-linked to the partner ID: PartnerLink objectIds (matching partnerId) + palLinkedPrincipals. */
  linkedPrincipals: ReadonlySet<string>;
  /** Principals whose link cannot be confirmed (link partnerId unresolved or malformed). */
  maybeLinkedPrincipals: ReadonlySet<string>;
  /** Some PartnerLink (with a matching or unknown partnerId) has no known objectId: it may link any principal. */
  anonymousLinks: boolean;
  /** Principal -> the other partner ID it is linked to (when config.partnerId is set and differs). */
  wrongPartnerLinks: ReadonlyMap<string, string>;
  /** Principals known to be service principals (config, estate principalTypes, PEC principals). */
  servicePrincipals: ReadonlySet<string>;
  /** Principal types known from the input, keyed by lower-case GUID. */
  principalTypes: ReadonlyMap<string, PrincipalType>;
  /** estate.subscriptions merged with config.subscriptions by subscription ID. */
  subscriptions: readonly Subscription[];
  /**
   * Per-delegation cache for analyses several rules share (one pass per delegation). A Map, not a WeakMap: it
   * lives as long as one evaluation, and 10,000s of WeakMap entries cost the garbage collector (bench/check.ts).
   * The built-in rules keep their per-delegation analyses in `shared` instead, as arrays by delegation index
   * (pec-analysis.ts): cheaper than a lookup per rule and delegation.
   */
  cache: Map<Delegation, unknown>;
  /** Estate-wide analyses several rules share, computed once per evaluation (e.g. "field-problems"). */
  shared: Map<string, unknown>;
}

/** A finding as a rule reports it; the engine adds the rule name, severity overrides and waivers. */
export interface RawFinding {
  resource: string;
  source: SourceLocation;
  /** JSON path of the offending property. */
  path: string;
  message: string;
  /** When the rule reports below its default severity (PL004 for unknown or custom roles). */
  severity?: Severity;
  /** PL014: the subscription is associated at these resource groups only (Finding.partialAssociation). */
  partialAssociation?: PartialAssociation;
}

export type Report = (f: RawFinding) => void;

/** A rule: a pure function over the estate and the context. */
export type Check = (estate: Estate, ctx: RuleContext, report: Report) => void;
