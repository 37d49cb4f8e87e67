import * as path from "node:path";
import { RULES } from "../../rules/metadata";
import { SEVERITY_ORDER, type Finding } from "../../rules/model";
import { displayPath, type CheckReport } from "./report";

/**
 * `--format junit`: one testsuite per rule, one testcase per rule x resource (every resource the check read, from
 * `report.resources`, and any other a finding names; a resource is a name in a file, casesByResource); a testcase fails when the rule reported an unsuppressed
 * finding for the resource at or above `--severity-threshold`, is skipped when every finding for it was waived or
 * the rule did not run (no PEC principal for the PEC rules, turned off in config): a rule that did not run never
 * passes; else it passes, with the findings below the threshold in its system-out. A failed test is what fails
 * the pipeline (Azure DevOps' PublishTestResults with failTaskOnFailedTests), so it fails exactly when the exit
 * code does: an info note (PL012 on every template deployed at subscription level) is no failed test in a run that
 * passes. An input that could not be checked is an errored testcase of the suite "inputs"; each notice of the run a
 * passing testcase of the suite "notices".
 */
export function renderJunit(report: CheckReport): string {
  const { cases: resources, findingsOf } = casesByResource(report);
  let totalTests = 0;
  let totalFailures = 0;
  let totalSkipped = 0;
  const suites: string[] = [];
  const notRun = new Map(report.notEvaluated.map((n) => [n.ruleId, n.reason]));
  for (const rule of RULES) {
    const whyNotRun = notRun.get(rule.id);
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (const res of resources) {
      const list = findingsOf(rule.id, res);
      const open = list.filter((f) => !f.suppressed);
      const failing = open.filter((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[report.threshold ?? "error"]);
      const text = (found: Finding[]) =>
        found.map((f) => `${f.severity}: ${f.message}${f.file ? `\n  at ${displayPath(f.file, report.cwd)}${f.path ? ` ${f.path}` : ""}` : ""}`).join("\n");
      let body = "";
      if (failing.length > 0) {
        failures++;
        body = `<failure message="${esc(failing[0]!.message)}" type="${failing[0]!.severity}">${esc(text(open))}</failure>`;
      } else if (open.length > 0) {
        body = `<system-out>${esc(text(open))}</system-out>`;
      } else if (list.length > 0) {
        skipped++;
        body = `<skipped message="${esc(`waived: ${list[0]!.suppressed!.reason}`)}"/>`;
      } else if (whyNotRun !== undefined) {
        skipped++;
        body = `<skipped message="${esc(`not evaluated: ${whyNotRun}`)}"/>`;
      }
      cases.push(`    <testcase classname="${esc(`${rule.id}.${rule.name}`)}" name="${esc(res.title)}">${body}</testcase>`);
    }
    totalTests += cases.length;
    totalFailures += failures;
    totalSkipped += skipped;
    suites.push(
      `  <testsuite name="${esc(`${rule.id} ${rule.name}`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">\n${cases.join("\n")}${cases.length ? "\n" : ""}  </testsuite>`,
    );
  }
  // The run's notices (what was inferred, skipped or not evaluated, waivers that expired: the text report's `note:`
  // lines): a suite "notices" with one passing testcase each, named by the notice, the whole notice in its system-out.
  // A test tab (Azure DevOps' PublishTestResults, GitHub's JUnit report actions) lists test cases by name and shows
  // a case's system-out as that result's output; a <testsuite>'s own system-out or <properties> belong to no test
  // result, and readers that import results per test case have no place to show them. Not <skipped>:
  // a notice is no test that did not run (a rule that did not run already skips its cases, above), and skipped
  // counts read as coverage lost. Passing, so the failures, the errors and the exit code stay what they were.
  if (report.notices.length > 0) {
    const cases = report.notices.map(
      (n) => `    <testcase classname="partnerlink.notices" name="${esc(noticeName(n))}"><system-out>${esc(n)}</system-out></testcase>`,
    );
    totalTests += cases.length;
    suites.unshift(`  <testsuite name="notices" tests="${cases.length}" failures="0" errors="0" skipped="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  // Inputs that could not be checked: one errored testcase each (JUnit's <error>: the test could not run).
  const errors = report.inputErrors.length;
  if (errors > 0) {
    const cases = report.inputErrors.map(
      (e) => `    <testcase classname="partnerlink.inputs" name="${esc(displayPath(e.file, report.cwd)!)}"><error message="${esc(e.message)}" type="InputError">${esc(e.message)}</error></testcase>`,
    );
    totalTests += cases.length;
    suites.unshift(`  <testsuite name="inputs" tests="${cases.length}" failures="0" errors="${errors}" skipped="0">\n${cases.join("\n")}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="partnerlink" tests="${totalTests}" failures="${totalFailures}" errors="${errors}" skipped="${totalSkipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** One resource's test cases: the resource in its file, and the title its cases are listed under. */
interface ResourceCase {
  name: string;
  file?: string;
  title: string;
}

/**
 * The test cases' resources, each a resource name in a file, and the findings of each rule on each. A name alone is
 * not a resource: a template copied per customer (`customers/a/onboarding.json`, `customers/b/onboarding.json`)
 * holds the same names in each copy, and keyed by name the copies' cases were one, one customer's failure shown
 * under the other's or hidden. A finding belongs to the resource of its name declared in its file, else to the one
 * whose parts were read from it (an ARM parameters file holding a template's authorizations); a finding on a
 * resource the check did not list gets a case of its own.
 *
 * The title names the file as well as the resource (`customers/a/onboarding.json: Contoso`), so the two cases tell
 * apart where a test tab lists them: Azure DevOps' Tests tab shows a result's title, the test case's `name`
 * (PublishTestResults, result format mapping for JUnit), not its `classname`; GitHub's JUnit report actions
 * (dorny/test-reporter, mikepenz/action-junit-report) list cases by name under their suite. The `classname` stays
 * the rule's, so `classname.name` (Azure DevOps' automated test name, which its test history follows from run to
 * run) is one test's alone: a file's resource is a case in every rule's suite.
 */
function casesByResource(report: CheckReport): { cases: ResourceCase[]; findingsOf(ruleId: string, c: ResourceCase): Finding[] } {
  const abs = (file: string | undefined): string => (file === undefined ? "" : path.resolve(report.cwd, file));
  const key = (name: string, file: string | undefined): string => `${name}\u0000${abs(file)}`;
  const cases = new Map<string, ResourceCase>();
  /** Resource name and a file its parts were read from, to the cases of resources declared elsewhere. */
  const partsIn = new Map<string, ResourceCase[]>();
  const add = (name: string, file: string | undefined): ResourceCase => {
    const k = key(name, file);
    let c = cases.get(k);
    if (c === undefined) {
      const shown = displayPath(file, report.cwd);
      c = { name, ...(file !== undefined ? { file } : {}), title: shown === undefined ? name : `${shown}: ${name}` };
      cases.set(k, c);
    }
    return c;
  };
  for (const r of report.resources) {
    const c = add(r.name, r.file);
    for (const other of r.otherFiles ?? []) {
      const k = key(r.name, other);
      const list = partsIn.get(k) ?? [];
      if (!list.includes(c)) list.push(c);
      partsIn.set(k, list);
    }
  }
  const byCase = new Map<ResourceCase, Map<string, Finding[]>>();
  for (const f of report.findings) {
    const k = key(f.resource, f.file);
    const owners = cases.has(k) ? [cases.get(k)!] : (partsIn.get(k) ?? [add(f.resource, f.file)]);
    for (const c of owners) {
      const rules = byCase.get(c) ?? new Map<string, Finding[]>();
      byCase.set(c, rules);
      const list = rules.get(f.ruleId) ?? [];
      list.push(f);
      rules.set(f.ruleId, list);
    }
  }
  return { cases: [...cases.values()], findingsOf: (ruleId, c) => byCase.get(c)?.get(ruleId) ?? [] };
}

/** A notice as a test case name: its first sentence, at most 200 characters (test tabs list names on one line). */
function noticeName(notice: string): string {
  const end = notice.indexOf(". ");
  const first = end < 0 ? notice : notice.slice(0, end + 1);
  return first.length <= 200 ? first : `${first.slice(0, 199)}\u2026`;
}

function esc(s: string): string {
  // XML 1.0 (section 2.2, Char) forbids most control characters even when escaped, U+FFFE, U+FFFF and lone surrogates.
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
