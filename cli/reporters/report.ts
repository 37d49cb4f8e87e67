import * as path from "node:path";
import type { Finding, Severity } from "../../rules/model";

/** Everything a reporter needs: findings (suppressed ones included) and the context of the run. */
export interface CheckReport {
  findings: Finding[];
  notices: string[];
  /** Input files read, as given (absolute or relative); those in `inputErrors` too. */
  files: string[];
  /** Inputs that could not be read or are not what they claim to be (exit 2): one per problem, message as printed. */
  inputErrors: InputProblem[];
  /** Rules that did not run, and why (rules/engine.ts): never reported as passed. */
  notEvaluated: { ruleId: string; reason: string }[];
  /**
   * Every resource checked (delegations, assignments that are resources of their own, links, subscriptions, those
   * the config declares included), for JUnit's rule x resource cases: a resource is its name in its file, as a
   * template copied per customer holds the same names in each copy.
   */
  resources: CheckedResource[];
  /** `--severity-threshold`: the findings that fail the run (exit 1) and, in JUnit, their test case; default "error". */
  threshold?: Severity;
  /** Base for relative paths in the output. */
  cwd: string;
  version: string;
  /** Text reporter only: ANSI colours. */
  color: boolean;
}

/**
 * A resource checked: its name as findings give it, the file it is declared in (absent for an input without a file),
 * and the other files its findings may point at (an ARM parameters file holding its authorizations).
 */
export interface CheckedResource {
  name: string;
  file?: string;
  otherFiles?: string[];
}

/** One input that could not be checked: the file, where in it (a JSON path) when known, and the whole message. */
export interface InputProblem {
  file: string;
  path?: string;
  message: string;
}

/** A file path as shown in reports: relative to cwd, forward slashes. */
export function displayPath(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return (rel === "" ? "." : rel).split(path.sep).join("/");
}

export interface Summary {
  error: number;
  warning: number;
  info: number;
  suppressed: number;
  /** Files checked: read, and found to be what they claim. */
  files: number;
  /** Files that could not be checked (`inputErrors`): the reason the exit code is 2. */
  unreadable: number;
}

export function summarize(report: CheckReport): Summary {
  const bad = new Set(report.inputErrors.map((e) => path.resolve(report.cwd, e.file)));
  const checked = report.files.filter((f) => !bad.has(path.resolve(report.cwd, f))).length;
  const s: Summary = { error: 0, warning: 0, info: 0, suppressed: 0, files: checked, unreadable: bad.size };
  for (const f of report.findings) {
    if (f.suppressed) s.suppressed++;
    else s[f.severity]++;
  }
  return s;
}
