import { displayPath, summarize, type CheckReport } from "./report";

/**
 * `--format json`: exactly
 * `{"findings":[{ruleId, ruleName, severity, message, file, resource, path, suppressed?, partialAssociation?}], "summary":{...}, "notices":[...],
 * "inputErrors":[{file, path, message}], "notEvaluated":[{ruleId, reason}]}`: inputErrors are the files that could not be
 * checked (exit 2); notEvaluated the rules that did not run.
 */
export function renderJson(report: CheckReport): string {
  const findings = report.findings.map((f) => {
    const o: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      severity: f.severity,
      message: f.message,
      file: displayPath(f.file, report.cwd) ?? null,
      resource: f.resource,
      path: f.path ?? null,
    };
    if (f.suppressed) o.suppressed = f.suppressed;
    if (f.partialAssociation) o.partialAssociation = f.partialAssociation;
    return o;
  });
  const inputErrors = report.inputErrors.map((e) => ({ file: displayPath(e.file, report.cwd), path: e.path ?? null, message: e.message }));
  return JSON.stringify({ findings, summary: summarize(report), notices: report.notices, inputErrors, notEvaluated: report.notEvaluated }, null, 2) + "\n";
}
