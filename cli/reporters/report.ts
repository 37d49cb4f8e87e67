import * as path from "node:path";
import type { Finding } from "../../rules/model";

/** Everything a reporter needs: findings (suppressed ones included) and the context of the run. */
export interface CheckReport {
  findings: Finding[];
  notices: string[];
  /** Input files read, as given (absolute or relative). */
  files: string[];
  /** Names of every resource checked (delegations, links, subscriptions), for JUnit's rule x resource cases. */
  resources: string[];
  /** Base for relative paths in the output. */
  cwd: string;
  version: string;
  /** Text reporter only: ANSI colours. */
  color: boolean;
}

/** A file path as shown in reports: relative to cwd, forward slashes. */
export function displayPath(file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return (rel === "" ? "." : rel).split(path.sep).join("/");
}

export function summarize(report: CheckReport): { error: number; warning: number; info: number; suppressed: number; files: number } {
  const s = { error: 0, warning: 0, info: 0, suppressed: 0, files: report.files.length };
  for (const f of report.findings) {
    if (f.suppressed) s.suppressed++;
    else s[f.severity]++;
  }
  return s;
}
