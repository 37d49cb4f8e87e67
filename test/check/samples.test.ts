/**
 * `partnerlink check` over every template and parameters file of the public Azure Lighthouse samples
 * (github.com/Azure/Azure-Lighthouse-samples, templates/), read from ../shared/azure-contract at test time.
 *
 * Expectations come from reading the samples:
 * - every template is a subscription deployment whose target subscription is chosen at deploy time, so each
 *   registration definition's scope and each assignment's scope are PL012 (info), never guessed, reported where the
 *   file sets them (the template's `$schema`, a nested deployment's `resourceGroup`);
 * - parameters files that keep the placeholder "<insert ... managing tenant id>" give an invalid tenant ID (PL010
 *   at the template's managedByTenantId, whose value comes from that parameter);
 * - every parameters file ships 00000000-0000-0000-0000-000000000000 as its principalIds (authorizations, eligible
 *   authorizations, approvers) for the partner to replace: each is a placeholder GUID, PL010 in the parameters file,
 *   once per definition that lists it ({@link placeholderRows} reads where they are from the file itself);
 * - the roles (Reader, Managed Services Registration assignment Delete Role, User Access Administrator with
 *   delegatedRoleDefinitionIds, Resource Policy Contributor just-in-time for PT8H with MFA) are all accepted;
 * - multi-RG templates copy the definition once per resource group in the parameters file (3), each joined to
 *   the assignment of the nested deployment at that resource group.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { jsonPathLines } from "../../formats/json-lines";
import { findingsOf, runCli } from "./run-cli";

const REPO = path.resolve(__dirname, "..", "..");
const CONTRACT = path.resolve(REPO, "..", "shared", "azure-contract");
const SAMPLES = path.join(CONTRACT, "Azure__Azure-Lighthouse-samples", "templates");
const present = fs.existsSync(SAMPLES);

const DEF = "$.resources[0].properties";
/**
 * Where a scope finding points: what sets the deployment's target in the file. A top-level resource's scope is the
 * deployment command's (the `$schema` says its level); an assignment in a nested deployment is at its resourceGroup.
 */
const TEMPLATE_LEVEL = "$.$schema";
const SUB_ASG = TEMPLATE_LEVEL;
const RG_ASG = "$.resources[1].resourceGroup";

type Row = [rule: string, path: string, resource: string];

/**
 * Where a parameters file's User Access Administrator delegates Log Analytics Contributor (92aaf0da-...), a role with
 * DataActions as of the catalog: a PL004 warning in the parameters file, never an error (rules/checks/pl004).
 */
const DELEGATED_LOG_ANALYTICS = "$.parameters.authorizations.value[2].delegatedRoleDefinitionIds[1]";

/** One registration definition + assignment: what every delegation of the samples reports. */
function delegation(name: string, assignmentScopePath: string, placeholderTenant: boolean, delegatesLogAnalytics = false): Row[] {
  const rows: Row[] = [];
  if (placeholderTenant) rows.push(["PL010", `${DEF}.managedByTenantId`, name]);
  if (delegatesLogAnalytics) rows.push(["PL004", DELEGATED_LOG_ANALYTICS, name]);
  // One PL012 per place: definition and assignment deployed by the same template share the `$schema` one.
  rows.push(["PL012", TEMPLATE_LEVEL, name]);
  if (assignmentScopePath !== TEMPLATE_LEVEL) rows.push(["PL012", assignmentScopePath, name]);
  return rows;
}
const copies = (base: string, placeholder: boolean, delegatesLogAnalytics = false): Row[] =>
  [0, 1, 2].flatMap((i) => delegation(`${base}[${i}]`, RG_ASG, placeholder, delegatesLogAnalytics));

/** template (relative to templates/) -> its parameters file and the exact findings. */
const EXPECTED: Record<string, { parameters: string; findings: Row[] }> = {
  "delegated-resource-management/subscription/subscription.json": {
    parameters: "delegated-resource-management/subscription/subscription.parameters.json",
    findings: delegation("Relecloud Managed Services", SUB_ASG, true, true),
  },
  "delegated-resource-management/rg/rg.json": {
    parameters: "delegated-resource-management/rg/rg.parameters.json",
    findings: delegation("Relecloud Managed Services", RG_ASG, true, true),
  },
  // multi-rg.json and multiple-rg.parameters.json differ in name: paired by their parameter names.
  "delegated-resource-management/rg/multi-rg.json": {
    parameters: "delegated-resource-management/rg/multiple-rg.parameters.json",
    findings: copies("Relecloud Managed Services", true, true),
  },
  "delegated-resource-management-eligible-authorizations/subscription/subscription.json": {
    parameters: "delegated-resource-management-eligible-authorizations/subscription/subscription.parameters.json",
    findings: delegation("Relecloud Managed Services", SUB_ASG, true),
  },
  "delegated-resource-management-eligible-authorizations/subscription/subscription-managing-tenant-approvers.json": {
    parameters: "delegated-resource-management-eligible-authorizations/subscription/subscription-managing-tenant-approvers.parameters.json",
    findings: delegation("Relecloud Managed Services", SUB_ASG, false),
  },
  "delegated-resource-management-eligible-authorizations/rg/rg.json": {
    parameters: "delegated-resource-management-eligible-authorizations/rg/rg.parameters.json",
    findings: delegation("Relecloud Managed Services", RG_ASG, false),
  },
  "delegated-resource-management-eligible-authorizations/rg/rg-managing-tenant-approvers.json": {
    parameters: "delegated-resource-management-eligible-authorizations/rg/rg-managing-tenant-approvers.parameters.json",
    findings: delegation("Test85fe0dcd-2877-498e-8717-19dfa73567ad", RG_ASG, false, true),
  },
  "delegated-resource-management-eligible-authorizations/rg/multiple-rg.json": {
    parameters: "delegated-resource-management-eligible-authorizations/rg/multiple-rg.parameters.json",
    findings: copies("Relecloud Managed Services", true),
  },
  "delegated-resource-management-eligible-authorizations/rg/multiple-rg-managing-tenant-approvers.json": {
    parameters: "delegated-resource-management-eligible-authorizations/rg/multiple-rg-managing-tenant-approvers.parameters.json",
    findings: copies("Test2f164ff8-043a-4680-a7fa-651761a8fda3", false, true),
  },
};

const sortRows = (rows: Row[]) => rows.map((r) => r.join(" ")).sort();

const NIL_GUID = "00000000-0000-0000-0000-000000000000";

/**
 * The placeholder principal IDs a parameters file holds: a PL010 at each one's JSON path, for each delegation of the
 * template (the resources its other rows name): every copy of a multi-RG definition lists the same authorizations.
 */
function placeholderRows(parametersFile: string, rows: Row[]): Row[] {
  const paths: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
    else if (v === NIL_GUID && at.endsWith(".principalId")) paths.push(at);
  };
  walk(JSON.parse(fs.readFileSync(path.join(SAMPLES, parametersFile), "utf8")), "$");
  const resources = [...new Set(rows.map((r) => r[2]))];
  return paths.flatMap((p) => resources.map((r): Row => ["PL010", p, r]));
}

/** What the template with its parameters file reports: the rows written above and the placeholder principals. */
const expectedRows = (exp: { parameters: string; findings: Row[] }): Row[] => [...exp.findings, ...placeholderRows(exp.parameters, exp.findings)];

if (!present) {
  test("Lighthouse samples", () => {
    console.log(`Lighthouse samples not found at ${SAMPLES}: the samples suite is skipped.`);
    expect(fs.existsSync(SAMPLES)).toBe(false);
  });
} else {
  describe("public Azure Lighthouse samples", () => {
    test("the table covers every template and parameters file in the samples", () => {
      const all: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith(".json")) all.push(path.relative(SAMPLES, p).split(path.sep).join("/"));
        }
      };
      walk(SAMPLES);
      const covered = Object.entries(EXPECTED).flatMap(([t, e]) => [t, e.parameters]);
      expect(covered.sort()).toEqual(all.sort());
    });

    test("the parameters files hold 32 placeholder principal IDs, each expected as a PL010", () => {
      const paths = Object.values(EXPECTED).flatMap((e) => [...new Set(placeholderRows(e.parameters, e.findings).map((r) => `${e.parameters} ${r[1]}`))]);
      expect(paths).toHaveLength(32);
    });

    test.each(Object.keys(EXPECTED))("%s with its parameters file", async (template) => {
      const exp = EXPECTED[template]!;
      const run = await runCli(
        ["check", `${path.join(SAMPLES, template)}=${path.join(SAMPLES, exp.parameters)}`, "--format", "json"],
        { cwd: SAMPLES },
      );
      expect(run.stderr).toBe("");
      const findings = findingsOf(run);
      expect(sortRows(findings.map((f) => [f.ruleId, f.path ?? "", f.resource]))).toEqual(sortRows(expectedRows(exp)));
      // A finding on a value the parameters file holds is reported there; the others in the template.
      for (const f of findings) expect(f.file).toBe(f.path?.startsWith("$.parameters.") ? exp.parameters : template);
      // Every path is in the file it names, so SARIF has a line for each finding.
      const inFile = (file: string) => jsonPathLines(fs.readFileSync(path.join(SAMPLES, file), "utf8"));
      const lines = { [template]: inFile(template), [exp.parameters]: inFile(exp.parameters) };
      expect(findings.filter((f) => !lines[f.file ?? ""]?.has(f.path ?? "")).map((f) => `${f.file} ${f.path}`)).toEqual([]);
      expect(run.code).toBe(expectedRows(exp).some((r) => r[0] === "PL010") ? 1 : 0);
    });

    test("the whole samples folder: every parameters file paired, same findings per template", async () => {
      const run = await runCli(["check", SAMPLES, "--format", "json"], { cwd: SAMPLES });
      expect(run.stderr).toBe("");
      const out = JSON.parse(run.stdout) as { findings: { ruleId: string; path: string; resource: string; file: string }[]; notices: string[]; summary: { files: number } };
      expect(out.notices.filter((n) => n.includes("parameters file"))).toEqual([]);
      expect(out.summary.files).toBe(18);
      for (const [template, exp] of Object.entries(EXPECTED)) {
        const mine = out.findings.filter((f) => f.file === template || f.file === exp.parameters).map((f) => [f.ruleId, f.path, f.resource] as Row);
        expect(sortRows(mine)).toEqual(sortRows(expectedRows(exp)));
      }
      expect(run.code).toBe(1);
    });

    test("with a PEC principal, no sample delegation carries it: PL001 on every definition", async () => {
      const pec = "11111111-1111-1111-1111-111111111111";
      const run = await runCli(["check", SAMPLES, "--format", "json", "--pec-principal", pec], { cwd: SAMPLES });
      const f = findingsOf(run).filter((x) => x.ruleId === "PL001");
      // One delegation per resource name in a template's rows.
      const definitions = Object.values(EXPECTED).reduce((n, e) => n + new Set(e.findings.map((r) => r[2])).size, 0);
      expect(definitions).toBe(15); // 1 + 1 + 3 + 1 + 1 + 1 + 1 + 3 + 3
      expect(f).toHaveLength(definitions);
      for (const x of f) expect(x.path).toBe(`${DEF}.authorizations`);
    });
  });
}
