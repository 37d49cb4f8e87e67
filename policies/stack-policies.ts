import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { estateRules, evaluate } from "../rules/engine";
import { RULES, type RuleMetadata } from "../rules/metadata";
import { estateOfStack, rawProps, withDeclaredPecPrincipals, type PulumiResource } from "./adapters";
import { POLICY_CONFIG_SCHEMA, resolvePolicyConfig } from "./config";
import { policyBase, reportFindings } from "./report";

/**
 * Rules that need the whole stack (rules/engine.ts `estateRules`: PL007 every subscription associated, PL008
 * every PEC principal PAL-linked, PL011 DPOR only for EA), as StackValidationPolicies. Findings are reported
 * on the resource they name, or on the stack when they name a configured subscription or principal.
 */

function toPulumiResource(r: PolicyResource): PulumiResource {
  const deps = new Set<string>();
  for (const d of r.dependencies ?? []) deps.add(d.urn);
  for (const list of Object.values(r.propertyDependencies ?? {})) for (const d of list) deps.add(d.urn);
  return { type: r.type, name: r.name, urn: r.urn, props: rawProps(r.props), dependencies: [...deps] };
}

/** Runs one estate rule over the stack and reports its findings. Exported for the tests and the root stack. */
export function validateStackWithRule(
  meta: RuleMetadata,
  args: StackValidationArgs,
  report: ReportViolation,
  now?: Date,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  const cfg = resolvePolicyConfig(args.getConfig<Record<string, unknown>>(), meta.name);
  if (!cfg.ok) {
    report(cfg.message);
    return;
  }
  const { estate, urnByName, adapted, pecPrincipals, inlineWaivers } = estateOfStack(args.resources.map(toPulumiResource));
  if (adapted === 0 && (cfg.config.subscriptions ?? []).length === 0 && (cfg.config.pecPrincipals ?? []).length === 0) {
    args.notApplicable("no partner-association resources in the stack and nothing declared in config");
    return;
  }
  const config = withDeclaredPecPrincipals(cfg.config, pecPrincipals);
  const { findings, notices } = evaluate(estate, config, { only: [meta.id], inlineWaivers, ...(now ? { now } : {}) });
  // What the engine could not evaluate (e.g. no PEC principal known) goes with the pack's output, once per run.
  for (const n of notices) log(`partnerlink (${meta.name}): ${n}`);
  reportFindings(
    findings.filter((f) => f.ruleId === meta.id),
    report,
    (f) => urnByName.get(f.resource),
    meta.severity,
  );
}

export function stackPolicy(meta: RuleMetadata): StackValidationPolicy {
  return {
    ...policyBase(meta, POLICY_CONFIG_SCHEMA),
    validateStack: (args, report) => validateStackWithRule(meta, args, report),
  };
}

/** One StackValidationPolicy per estate-level rule, in rule order. */
export const stackPolicies: StackValidationPolicy[] = RULES.filter((m) => estateRules.includes(m.id)).map(stackPolicy);
