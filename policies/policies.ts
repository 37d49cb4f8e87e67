import type { Policies } from "@pulumi/policy";
import { RULES } from "../rules/metadata";
import { resourcePolicies } from "./resource-policies";
import { stackPolicies } from "./stack-policies";

/** The pack's name, as `pulumi preview` prints it and `--policy-pack-config` does not need. */
export const POLICY_PACK_NAME = "partnerlink";

export const POLICY_PACK_DESCRIPTION =
  "Stops a Pulumi deployment that would lose Microsoft partner recognition or Partner Earned Credit, or that Azure would reject (Partner Admin Link, Azure Lighthouse, PEC, DPOR).";

/**
 * Every partnerlink policy, one per rule in rules/metadata.ts, in rule order. Importing this module does not
 * start anything; only policies/index.ts constructs the PolicyPack.
 */
export const policies: Policies = RULES.map((m) => {
  const p = [...resourcePolicies, ...stackPolicies].find((x) => x.name === m.name);
  if (!p) throw new Error(`partnerlink policy pack: rule ${m.id} is neither a resource nor a stack rule in rules/engine.ts`);
  return p;
});
