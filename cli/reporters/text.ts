import { SEVERITY_ORDER, type Finding } from "../../rules/model";
import { displayPath, summarize, type CheckReport } from "./report";

const COLORS = { error: "\x1b[31m", warning: "\x1b[33m", info: "\x1b[36m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" };

/** `--format text`: findings grouped by file, most severe first; colour only when the caller says so (TTY, no NO_COLOR). */
export function renderText(report: CheckReport): string {
  const c = (k: keyof typeof COLORS, s: string): string => (report.color ? `${COLORS[k]}${s}${COLORS.reset}` : s);
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const key = displayPath(f.file, report.cwd) ?? "(configuration)";
    const list = byFile.get(key) ?? [];
    list.push(f);
    byFile.set(key, list);
  }
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(c("bold", file));
    list.sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
    for (const f of list) {
      const sev = f.suppressed ? c("dim", "waived ") : c(f.severity, f.severity.padEnd(7));
      lines.push(`  ${sev} ${f.ruleId} ${f.ruleName}  ${f.resource}${f.path ? c("dim", `  ${f.path}`) : ""}`);
      lines.push(`          ${f.message}`);
      if (f.suppressed) lines.push(c("dim", `          waived (${f.suppressed.kind}): ${f.suppressed.reason}${f.suppressed.expires ? `, until ${f.suppressed.expires}` : ""}`));
    }
    lines.push("");
  }
  for (const n of report.notices) lines.push(c("dim", `note: ${n}`));
  const s = summarize(report);
  // The problems themselves went to stderr as they were found; the summary says they happened.
  const unreadable = s.unreadable > 0 ? `; ${c("error", `${s.unreadable} file(s) could not be checked`)} (listed on stderr)` : "";
  lines.push(
    `${s.files} file(s) checked: ${c("error", `${s.error} error(s)`)}, ${c("warning", `${s.warning} warning(s)`)}, ${c("info", `${s.info} info`)}, ${s.suppressed} waived${unreadable}`,
  );
  return lines.join("\n") + "\n";
}
