import type { PolicyConfigSchema, ReportViolation } from "@pulumi/policy";
import type { RuleMetadata } from "../rules/metadata";
import { SEVERITY_ORDER, type Finding, type Severity } from "../rules/model";

/** partnerlink severity -> Pulumi policy severity. */
export const PULUMI_SEVERITY: Record<Severity, "low" | "medium" | "high"> = {
  error: "high",
  warning: "medium",
  info: "low",
};

/**
 * What every partnerlink policy declares, from its row in rules/metadata.ts. The fix and the reference go in
 * @pulumi/policy's `remediationSteps` and `url` (policy.d.ts, sent in the analyzer's PolicyInfo), where Pulumi
 * shows a policy's remediation, as pulumi/pulumi-policy-aws's policies carry theirs.
 */
export function policyBase(meta: RuleMetadata, configSchema: PolicyConfigSchema) {
  return {
    name: meta.name,
    description: `${meta.id} ${meta.summary} Cost: ${meta.cost}`,
    enforcementLevel: meta.enforcement,
    severity: PULUMI_SEVERITY[meta.severity],
    remediationSteps: meta.fix,
    url: meta.reference,
    configSchema,
  } as const;
}

/** One line per finding: the rule ID and the engine's message, which names the resource, the property path and the fix. */
export function violationMessage(f: Finding): string {
  return `${f.ruleId} ${f.message}`;
}

/**
 * Reports the findings that are not waived as violations. Waived findings are not violations (the waiver
 * exists to let the deployment through) but are never dropped silently: each is written to stderr, which the
 * Pulumi CLI shows with the policy pack's output. So is a finding below its rule's severity (a PL004 warning: an
 * unknown role, a delegated role Azure may refuse): a policy's enforcement is per policy, not per violation, and a
 * mandatory policy would otherwise block on what `partnerlink check` passes at its default threshold.
 */
export function reportFindings(
  findings: Finding[],
  report: ReportViolation,
  urnOf: (f: Finding) => string | undefined,
  ruleSeverity: Severity,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  for (const f of findings) {
    if (f.suppressed) {
      const until = f.suppressed.expires ? ` until ${f.suppressed.expires}` : "";
      log(`partnerlink: ${f.ruleId} waived on '${f.resource}'${until}: ${f.suppressed.reason} (${violationMessage(f)})`);
      continue;
    }
    if (SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[ruleSeverity]) {
      log(`partnerlink: ${f.ruleId} ${f.severity} on '${f.resource}' (not a violation: below the rule's ${ruleSeverity}): ${violationMessage(f)}`);
      continue;
    }
    const urn = urnOf(f);
    if (urn === undefined) report(violationMessage(f));
    else report(violationMessage(f), urn);
  }
}
