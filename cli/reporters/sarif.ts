import * as fs from "node:fs";
import * as path from "node:path";
import { blankJsonComments } from "../../formats/json-comments";
import { jsonPathLines, lineOf } from "../../formats/json-lines";
import { RULES } from "../../rules/metadata";
import type { Finding } from "../../rules/model";
import { checkoutRoot, pathInCheckout } from "./checkout-root";
import { CHECK_FINGERPRINT_KEY, checkFingerprints } from "./fingerprint";
import type { CheckReport } from "./report";

/**
 * `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it
 * (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning):
 * tool.driver.rules from rules/metadata.ts, results with ruleId/ruleIndex/level/message/locations (uri relative
 * to the checkout, cli/reporters/checkout-root.ts, never absolute: artifactLocation; a region when the JSON path maps
 * to a line), suppressions for waived findings.
 */
export function renderSarif(report: CheckReport): string {
  const lineCache = new Map<string, Map<string, number> | undefined>();
  const linesFor = (file: string): Map<string, number> | undefined => {
    if (!lineCache.has(file)) {
      let lines: Map<string, number> | undefined;
      try {
        const abs = path.resolve(report.cwd, file);
        if (fs.statSync(abs).size <= 50 * 1024 * 1024) {
          const text = fs.readFileSync(abs, "utf8");
          // An ARM template's comments, blanked in place, so the scan sees JSON and the lines stay the file's.
          lines = jsonPathLines(blankJsonComments(text) ?? text);
        }
      } catch {
        lines = undefined;
      }
      lineCache.set(file, lines);
    }
    return lineCache.get(file);
  };
  const fallbackFile = report.files[0];
  const root = checkoutRoot(report.cwd);
  const artifact = (file: string): Record<string, unknown> => artifactLocation(file, report.cwd, root);
  // A result's fingerprint names its file as the checkout sees it: the same resource name at the same JSON path is
  // common across files (one template copied per customer, the same offer in two samples), and GitHub code scanning
  // takes results with one fingerprint for the same alert (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#providing-data-to-track-code-scanning-alerts-across-runs),
  // so the other files' findings would vanish. Relative to the checkout, it is the same on every machine and path.
  // The rest of the scheme (the path within the resource, digests for findings that share one) is fingerprint.ts's.
  const located = report.findings.map((f: Finding) => {
    const file = f.file ?? fallbackFile;
    return { f, file, artifactLocation: artifact(file ?? "partnerlink.config.json") };
  });
  const fingerprints = checkFingerprints(
    located.map(({ f, artifactLocation }) => ({ ruleId: f.ruleId, uri: String(artifactLocation.uri), resource: f.resource, path: f.path, message: f.message })),
  );
  const results = located.map(({ f, file, artifactLocation }, n) => {
    const physical: Record<string, unknown> = { artifactLocation };
    if (file && f.path) {
      const lines = linesFor(file);
      const line = lines ? lineOf(lines, f.path) : undefined;
      if (line !== undefined) physical.region = { startLine: line };
    }
    return sarifResult(f, { physicalLocation: physical, partialFingerprints: { [CHECK_FINGERPRINT_KEY]: fingerprints[n]! } });
  });
  return JSON.stringify(sarifLog(results, report.version, invocation(report, artifact), { srcRoot: true }), null, 2) + "\n";
}

/**
 * Where a file is, for a SARIF file that is uploaded (GitHub code scanning, a build artifact): a relative reference
 * (RFC 3986 section 4.2) from the checkout root, with `uriBaseId: "%SRCROOT%"` (SARIF 2.1.0 section 3.4.4). GitHub
 * code scanning resolves a relative `uri` against the repository root (SARIF support for code scanning,
 * `physicalLocation.artifactLocation.uri`), so its results land on the right file and line. Never an absolute `file:`
 * URI: that names the machine's checkout path (`/home/runner/work/...`) or a developer's home folder. A file outside
 * the checkout (a plan in the runner's temp folder) is reached with `..` segments from the checkout root, which
 * GitHub cannot show in the repository but a reader of the file can follow; one with no relative path to it (another
 * drive on Windows) is named by its file name alone, with no base.
 */
function artifactLocation(file: string, cwd: string, root: string): Record<string, unknown> {
  const inCheckout = pathInCheckout(file, cwd, root);
  if (inCheckout !== undefined) return { uri: uriReference(inCheckout), uriBaseId: "%SRCROOT%" };
  const rel = path.relative(root, path.resolve(cwd, file));
  if (path.isAbsolute(rel)) return { uri: uriReference(path.basename(file)) };
  return { uri: uriReference(rel), uriBaseId: "%SRCROOT%" };
}

/**
 * `run.originalUriBaseIds` (SARIF 2.1.0 section 3.14.14) for "%SRCROOT%": a description of the base, without its
 * `uri`. Its absolute URI would be the checkout's path on the machine that ran the check (an uploaded file would
 * leak the agent's work folder or a user's home folder), and GitHub code scanning does not need it: it resolves
 * relative URIs against the repository root. A consumer that meets a uriBaseId with no absolute URI determines it
 * itself (section 3.4.4: a SARIF viewer asks for the folder, or is given the checkout).
 */
const SRCROOT_BASE = {
  "%SRCROOT%": {
    description: {
      text: "The checkout the check ran in: the nearest folder at or above its working directory that holds .git (else the working directory). Relative URIs are relative to it, as GitHub code scanning resolves them against the repository root.",
    },
  },
};

/**
 * The run's invocation: not successful when an input could not be checked (exit 2), each such input a tool
 * execution notification at its file (SARIF 2.1.0 section 3.20.21; GitHub shows them as the tool's errors). Without
 * it, a SARIF file would look like a clean result for inputs that were never checked. The run's notices (what was
 * inferred, skipped or not evaluated, waivers that expired: what the text report prints as `note:`) follow as
 * notifications of level "note" (section 3.58.6), so a SARIF file says what the text report says; they do not
 * change `executionSuccessful`, as they do not change the exit code.
 */
function invocation(report: CheckReport, artifact: (file: string) => Record<string, unknown>): Record<string, unknown> {
  const inv: Record<string, unknown> = { executionSuccessful: report.inputErrors.length === 0 };
  // A rule that did not run is a configuration notification naming it (SARIF 2.1.0 section 3.20.22), not silence.
  if (report.notEvaluated.length > 0) inv.toolConfigurationNotifications = sarifNotEvaluated(report.notEvaluated);
  const execution: Record<string, unknown>[] = report.inputErrors.map((e) => ({
    level: "error",
    message: { text: e.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(e.file) } }],
  }));
  execution.push(...sarifNotices(report.notices));
  if (execution.length > 0) inv.toolExecutionNotifications = execution;
  return inv;
}

/**
 * A run's notices as tool execution notifications of level "note" (SARIF 2.1.0 sections 3.20.21, 3.58.6): what the
 * run could not establish and how that shaped the report, for a reader of the file alone (check and audit).
 */
export function sarifNotices(notices: readonly string[]): Record<string, unknown>[] {
  return notices.map((n) => ({ level: "note", message: { text: n } }));
}

const RULE_INDEX = new Map(RULES.map((r, i) => [r.id, i]));

/** One configuration notification per rule that did not run (check and audit). */
export function sarifNotEvaluated(notEvaluated: readonly { ruleId: string; reason: string }[]): Record<string, unknown>[] {
  return notEvaluated.map((n) => ({
    level: "warning",
    message: { text: `${n.ruleId} was not evaluated: ${n.reason}.` },
    associatedRule: { id: n.ruleId, index: RULE_INDEX.get(n.ruleId) ?? -1 },
  }));
}

/**
 * One SARIF result for a finding. `physicalLocation` when the finding is in a file (check); without it the location is
 * logical only (the audit's live findings, located by ARM resource ID). `partialFingerprints` replaces the default
 * (`partnerlink/v1`: rule, resource, JSON path), which is unique only where resources are (the audit's, by ARM
 * resource ID); the check's are fingerprint.ts's.
 */
export function sarifResult(
  f: Finding,
  where: { physicalLocation?: Record<string, unknown>; partialFingerprints?: Record<string, string> } = {},
): Record<string, unknown> {
  const location: Record<string, unknown> = where.physicalLocation ? { physicalLocation: where.physicalLocation } : {};
  location.logicalLocations = [{ name: f.resource, fullyQualifiedName: f.path ? `${f.resource} ${f.path}` : f.resource, kind: "resource" }];
  const result: Record<string, unknown> = {
    ruleId: f.ruleId,
    ruleIndex: RULE_INDEX.get(f.ruleId) ?? -1,
    level: f.severity === "info" ? "note" : f.severity,
    message: { text: f.message },
    locations: [location],
    partialFingerprints: where.partialFingerprints ?? { "partnerlink/v1": `${f.ruleId}:${f.resource}:${f.path ?? ""}` },
  };
  if (f.suppressed) result.suppressions = [{ kind: f.suppressed.kind === "inline" ? "inSource" : "external", justification: f.suppressed.reason }];
  // The result's property bag (SARIF 2.1.0 `properties`, which the schema leaves open) carries the groups of a partial association (PL014).
  if (f.partialAssociation) result.properties = { partialAssociation: { resourceGroups: [...f.partialAssociation.resourceGroups] } };
  return result;
}

/**
 * The SARIF log around the results: the driver with every rule from rules/metadata.ts, the invocation when given,
 * and with `srcRoot` the description of "%SRCROOT%" the check's locations are relative to (never its absolute path).
 * `results` is the run's last key (the audit streams them).
 */
export function sarifLog(results: unknown[], version: string, invocation?: Record<string, unknown>, options: { srcRoot?: boolean } = {}): Record<string, unknown> {
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: "partnerlink",
        version,
        semanticVersion: version,
        informationUri: "https://github.com/partnerlink/partnerlink",
        rules: RULES.map((r) => ({
          id: r.id,
          name: r.name,
          shortDescription: { text: r.summary },
          fullDescription: { text: `${r.summary} ${r.cost}` },
          help: {
            text: `${r.fix}\nExample of a violation: ${r.example}\nReference: ${r.reference}`,
            markdown: `**Fix:** ${r.fix}\n\n**Why it matters:** ${r.cost}\n\n**Example of a violation:** \`${r.example}\`\n\n[Reference](${r.reference})`,
          },
          helpUri: r.reference,
          defaultConfiguration: { level: r.severity === "info" ? "note" : r.severity },
          properties: { tags: ["azure", "lighthouse", "partner"], precision: "high" },
        })),
      },
    },
  };
  if (options.srcRoot) run.originalUriBaseIds = SRCROOT_BASE;
  if (invocation !== undefined) run.invocations = [invocation];
  run.results = results;
  return { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [run] };
}

/**
 * A file path as a relative URI reference (RFC 3986): each segment percent-encoded, so a `#`, `?` or `%` in a
 * folder name stays part of the path (encodeURI would leave `#` and `?`, which start a fragment and a query).
 */
export function uriReference(file: string): string {
  return file
    .split(/[\\/]/)
    .map((seg) => (/^[A-Za-z]:$/.test(seg) ? seg : encodeURIComponent(seg)))
    .join("/");
}
