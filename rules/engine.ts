import type { PartnerlinkConfig, Waiver } from "./config-types";
import type { Estate, Finding } from "./model";

export interface EvaluateOptions {
  /** Rule IDs or names to run (default: all). */
  only?: string[];
  /** "Today" for waiver expiry (default: now). */
  now?: Date;
  /** Waivers declared next to the resources (template metadata, resource tags, Pulumi options). */
  inlineWaivers?: Waiver[];
}

export interface EvaluationResult {
  findings: Finding[];
  notices: string[];
}

/** Rules that look at one delegation (or link/subscription) at a time: Pulumi resource-level policies. */
export const perDelegationRules: readonly string[] = ["PL001", "PL002", "PL003", "PL004", "PL005", "PL006", "PL009", "PL010", "PL012"];
/** Rules that need the whole estate: Pulumi stack-level policies. */
export const estateRules: readonly string[] = ["PL007", "PL008", "PL011"];

export function evaluate(estate: Estate, config: PartnerlinkConfig, options: EvaluateOptions = {}): EvaluationResult {
  void estate; void config; void options;
  return { findings: [], notices: [] };
}
