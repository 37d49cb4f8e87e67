import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { evaluate, perDelegationRules } from "../rules/engine";
import { RULES, type RuleMetadata } from "../rules/metadata";
import type { Finding } from "../rules/model";
import { adapterFor, estateOfResource, pecPrincipalsOf, rawProps, withDeclaredPecPrincipals, type AdaptedResource, type PulumiResource, type ResourceKind } from "./adapters";
import { POLICY_CONFIG_SCHEMA, resolvePolicyConfig } from "./config";
import { policyBase, reportFindings } from "./report";

/**
 * Rules that look at one resource at a time (rules/engine.ts `perDelegationRules`), as
 * ResourceValidationPolicies. A definition (or a LighthouseOnboarding) is checked by every one of them; an
 * assignment, a Partner Admin Link or a subscription only for well-formed identifiers (PL010) and values
 * unknown until apply (PL012): the rest needs the definition, which the stack-level policies join in.
 */
const KIND_RULES: Record<ResourceKind, readonly string[]> = {
  definition: perDelegationRules,
  onboarding: perDelegationRules,
  assignment: ["PL010", "PL012"],
  partnerLink: ["PL010", "PL012"],
  subscription: ["PL010", "PL012"],
};

/**
 * An assignment alone is checked only for its own values (`$.scope`, `$.assignmentId`, and the input that names its
 * definition: `$.properties.registrationDefinitionId`, `$.lighthouseDefinitionId`): what the rules say about the
 * definition it stands in for belongs to the definition's resource.
 */
const ASSIGNMENT_OWN_PATHS: ReadonlySet<string> = new Set(["$.scope", "$.assignmentId"]);

function isOwnFinding(adapted: AdaptedResource, f: Finding): boolean {
  if (adapted.kind !== "assignment") return true;
  return f.path !== undefined && (ASSIGNMENT_OWN_PATHS.has(f.path) || f.path === adapted.ref.definitionRefPath);
}

const writeStderr = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The notices already written, per log: the analyzer calls a policy once per resource, a notice is said once. */
const noticesLogged = new WeakMap<(line: string) => void, Set<string>>();

/**
 * Runs one rule on one resource and reports its findings. What the engine could not evaluate (no PEC principal in
 * this policy's config, so PL001..PL003 judge nothing) and its other notices (an expired waiver) go to `log`, once
 * per policy and run, as the stack policies write theirs: a policy given no PEC principal must not pass in silence.
 * Exported for the tests and the root stack.
 */
export function validateResourceWithRule(
  meta: RuleMetadata,
  args: ResourceValidationArgs,
  report: ReportViolation,
  now?: Date,
  log: (line: string) => void = writeStderr,
): void {
  const entry = adapterFor(args.type);
  if (!entry || !KIND_RULES[entry.kind].includes(meta.id)) {
    args.notApplicable(
      entry
        ? `${meta.id} does not apply to ${/^[aeiou]/.test(entry.kind) ? "an" : "a"} ${entry.kind} resource on its own (${args.type})`
        : `not a partner-association resource (${args.type})`,
    );
    return;
  }
  const cfg = resolvePolicyConfig(args.getConfig<Record<string, unknown>>(), meta.name);
  if (!cfg.ok) {
    report(cfg.message);
    return;
  }
  const r: PulumiResource = { type: args.type, name: args.name, urn: args.urn, props: rawProps(args.props) };
  const adapted = entry.adapt(r);
  const estate = estateOfResource(r, adapted);
  const config = withDeclaredPecPrincipals(cfg.config, pecPrincipalsOf(adapted));
  const inlineWaivers = adapted.kind === "onboarding" ? (adapted.inlineWaivers ?? []) : [];
  const { findings, notices } = evaluate(estate, config, { only: [meta.id], inlineWaivers, ...(now ? { now } : {}) });
  let said = noticesLogged.get(log);
  if (!said) noticesLogged.set(log, (said = new Set()));
  for (const n of notices) {
    const line = `partnerlink (${meta.name}): ${n}`;
    if (said.has(line)) continue;
    said.add(line);
    log(line);
  }
  reportFindings(
    findings.filter((f) => f.ruleId === meta.id && f.resource === r.name && isOwnFinding(adapted, f)),
    report,
    () => undefined,
    meta.severity,
    log,
  );
}

export function resourcePolicy(meta: RuleMetadata): ResourceValidationPolicy {
  return {
    ...policyBase(meta, POLICY_CONFIG_SCHEMA),
    validateResource: (args, report) => validateResourceWithRule(meta, args, report),
  };
}

/** One ResourceValidationPolicy per resource-level rule, in rule order. */
export const resourcePolicies: ResourceValidationPolicy[] = RULES.filter((m) => perDelegationRules.includes(m.id)).map(
  resourcePolicy,
);
