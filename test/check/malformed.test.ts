/**
 * Malformed inputs: each gives exit 2 with one clear stderr line naming the file (and the JSON path when there
 * is one), or a PL010/PL012 finding with a clear message; never a stack trace.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli, type CliRun } from "./run-cli";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const ARM_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
const PARAMS_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-malformed-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function definition(props: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    type: "Microsoft.ManagedServices/registrationDefinitions",
    apiVersion: "2022-10-01",
    name: "[guid('offer')]",
    properties: {
      registrationDefinitionName: "offer",
      managedByTenantId: TENANT,
      authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }],
      ...props,
    },
    ...extra,
  };
}
const template = (resources: unknown[], more: Record<string, unknown> = {}) => ({ $schema: ARM_SCHEMA, contentVersion: "1.0.0.0", resources, ...more });
const tfJson = (resource: unknown) => ({ resource });
const plan = (more: Record<string, unknown>) => ({ format_version: "1.2", ...more });
const lhDef = (v: Record<string, unknown>) => ({
  azurerm_lighthouse_definition: {
    d: { name: "offer", managing_tenant_id: TENANT, scope: `/subscriptions/${SUB}`, authorization: [{ principal_id: PEC, role_definition_id: CONTRIBUTOR }], ...v },
  },
});

type Files = Record<string, string | Buffer | object>;
interface Case {
  files: Files;
  /** CLI args after `check`; file names are relative to the case folder. */
  args?: string[];
  /** exit 2 with stderr matching, or a finding of this rule whose message matches. */
  expect: { exit2: RegExp } | { rule: "PL010" | "PL012"; message: RegExp };
}

const CASES: Record<string, Case> = {
  "empty file": { files: { "a.json": "" }, expect: { exit2: /a\.json: is empty/ } },
  "whitespace only": { files: { "a.json": "  \n\t " }, expect: { exit2: /a\.json: contains only whitespace/ } },
  "bad JSON (missing comma)": { files: { "a.json": '{"$schema": "x" "resources": []}' }, expect: { exit2: /a\.json: is not valid JSON \(line 1, column \d+\)/ } },
  "truncated JSON": { files: { "a.json": JSON.stringify(template([definition()])).slice(0, 80) }, expect: { exit2: /a\.json: is not valid JSON/ } },
  "BOM then truncated JSON": { files: { "a.json": "\ufeff{\"$schema\": " }, expect: { exit2: /a\.json: is not valid JSON/ } },
  "binary junk with NUL bytes": { files: { "a.json": Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0, 0xff]) }, expect: { exit2: /a\.json: is not a text file/ } },
  "binary junk without NUL bytes": { files: { "a.json": Buffer.from([0xff, 0xfe, 0x41, 0x80, 0x81, 0x7b]) }, expect: { exit2: /a\.json: is not valid JSON/ } },
  "UTF-16 text": { files: { "a.json": Buffer.from('{"resource": {}}', "utf16le") }, expect: { exit2: /a\.json: is not a text file/ } },
  "top-level array": { files: { "a.json": "[1, 2]" }, expect: { exit2: /a\.json: is not an input partnerlink reads/ } },
  "top-level string": { files: { "a.json": '"hello"' }, expect: { exit2: /a\.json: is not an input partnerlink reads/ } },
  "top-level null": { files: { "a.json": "null" }, expect: { exit2: /a\.json: is not an input partnerlink reads/ } },
  "unknown JSON object": { files: { "a.json": { name: "x", version: "1" } }, expect: { exit2: /a\.json: is not an input partnerlink reads.*--format-in/ } },
  "ARM template without resources": { files: { "a.json": { $schema: ARM_SCHEMA, contentVersion: "1.0.0.0" } }, expect: { exit2: /a\.json at \$\.resources: is not an ARM deployment template: 'resources' is required/ } },
  "ARM resources is a string": { files: { "a.json": { $schema: ARM_SCHEMA, resources: "nope" } }, expect: { exit2: /a\.json at \$\.resources: is not an ARM deployment template/ } },
  "ARM resource without type": { files: { "a.json": template([{ name: "x" }]) }, expect: { exit2: /a\.json at \$\.resources\[0\]\.type: .*'type' is required/ } },
  // languageVersion 2.0: resources keyed by symbolic name. The error names the resource, not `$.resources` (the
  // array branch of the schema fails there too).
  "ARM symbolic-name resource without name": {
    files: { "a.json": { $schema: ARM_SCHEMA, languageVersion: "2.0", resources: { def: { type: "Microsoft.ManagedServices/registrationDefinitions" } } } },
    expect: { exit2: /a\.json at \$\.resources\.def\.name: .*'name' is required; add it/ },
  },
  "ARM parameter with neither type nor $ref": { files: { "a.json": template([], { parameters: { p: { defaultValue: "x" } } }) }, expect: { exit2: /a\.json at \$\.parameters\.p\.type: .*'type' is required; add it/ } },
  "ARM resource name is a number": { files: { "a.json": template([{ type: "Microsoft.X/y", name: 5 }]) }, expect: { exit2: /a\.json at \$\.resources\[0\]\.name: .*must be string/ } },
  "ARM $schema is a number": { files: { "a.json": { $schema: 5, resources: [] } }, expect: { exit2: /a\.json: is not an input partnerlink reads/ } },
  "ARM parameter type unknown": { files: { "a.json": template([], { parameters: { p: { type: "strnig" } } }) }, expect: { exit2: /a\.json at \$\.parameters\.p\.type: .*: "strnig" does not match/ } },
  // A member named with digits is a member, not an array index.
  "ARM parameter named 0, type unknown": { files: { "a.json": template([], { parameters: { "0": { type: "strnig" } } }) }, expect: { exit2: /a\.json at \$\.parameters\["0"\]\.type: .*: "strnig" does not match/ } },
  "Terraform plan: format_version is not a version": { files: { "p.json": { format_version: "one", planned_values: {} } }, expect: { exit2: /p\.json at \$\.format_version: .*: "one" does not match/ } },
  "ARM authorizations is an object": { files: { "a.json": template([definition({ authorizations: { principalId: PEC } })]) }, expect: { exit2: /a\.json at \$\.resources\[0\]\.properties\.authorizations: authorizations must be an array/ } },
  "ARM authorization without principalId": { files: { "a.json": template([definition({ authorizations: [{ roleDefinitionId: CONTRIBUTOR }] })]) }, expect: { exit2: /a\.json at \$\.resources\[0\]\.properties\.authorizations\[0\]: 'principalId' is required/ } },
  "ARM principalId is a number": { files: { "a.json": template([definition({ authorizations: [{ principalId: 42, roleDefinitionId: CONTRIBUTOR }] })]) }, expect: { exit2: /authorizations\[0\]\.principalId: must be a string, got number/ } },
  "ARM justInTimeAccessPolicy is a string": {
    files: { "a.json": template([definition({ eligibleAuthorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: "PT8H" }] })]) },
    expect: { exit2: /eligibleAuthorizations\[0\]\.justInTimeAccessPolicy: justInTimeAccessPolicy must be an object/ },
  },
  "ARM unknown template function": { files: { "a.json": template([definition({ managedByTenantId: "[frobnicate('x')]" })]) }, expect: { rule: "PL012", message: /unsupported template function 'frobnicate'/ } },
  "ARM unbalanced parentheses": { files: { "a.json": template([definition({ managedByTenantId: "[concat('a', toLower('B')]" })]) }, expect: { rule: "PL012", message: /invalid template expression.*not closed/ } },
  "ARM unterminated string literal": { files: { "a.json": template([definition({ managedByTenantId: "[concat('a)]" })]) }, expect: { rule: "PL012", message: /invalid template expression: unterminated string/ } },
  "ARM unbalanced brackets (not an expression)": { files: { "a.json": template([definition({ managedByTenantId: "[concat('a')" })]) }, expect: { rule: "PL010", message: /is not a tenant ID/ } },
  "ARM reference() of runtime state": { files: { "a.json": template([definition({ authorizations: [{ principalId: "[reference('id').principalId]", roleDefinitionId: CONTRIBUTOR }] })]) }, expect: { rule: "PL012", message: /reference.*evaluated only at deployment/ } },
  "ARM undeclared parameter": { files: { "a.json": template([definition({ managedByTenantId: "[parameters('tenant')]" })]) }, expect: { rule: "PL012", message: /parameter 'tenant' is not declared/ } },
  "ARM required parameter without value": { files: { "a.json": template([definition({ managedByTenantId: "[parameters('tenant')]" })], { parameters: { tenant: { type: "string" } } }) }, expect: { rule: "PL012", message: /required parameter 'tenant' has no value/ } },
  "ARM parameter value of the wrong type": {
    files: {
      "a.json": template([definition({ authorizations: "[parameters('auths')]" })], { parameters: { auths: { type: "array" } } }),
      "a.parameters.json": { $schema: PARAMS_SCHEMA, parameters: { auths: { value: "not an array" } } },
    },
    expect: { exit2: /a\.parameters\.json at \$\.parameters\.auths\.value: parameter 'auths' is declared as array but the value is string/ },
  },
  "ARM parameters file names an undeclared parameter": {
    files: { "a.json": template([definition()]), "a.parameters.json": { $schema: PARAMS_SCHEMA, parameters: { nope: { value: 1 } } } },
    expect: { exit2: /a\.parameters\.json at \$\.parameters\.nope: parameter 'nope' is not declared in the template/ },
  },
  "ARM parameters file entry without value": {
    files: { "a.json": template([definition()]), "a.parameters.json": { $schema: PARAMS_SCHEMA, parameters: { p: { values: 1 } } } },
    expect: { exit2: /a\.parameters\.json at \$\.parameters\.p.*is not an ARM parameters file/ },
  },
  "ARM parameters file alone": {
    files: { "p.parameters.json": { $schema: PARAMS_SCHEMA, parameters: { x: { value: 1 } } } },
    args: ["p.parameters.json"],
    expect: { exit2: /p\.parameters\.json: no template in its folder matches/ },
  },
  "ARM inline waiver without reason": { files: { "a.json": template([definition({}, { metadata: { "partnerlink:waive": [{ rule: "PL001" }] } })]) }, expect: { exit2: /\$\.resources\[0\]\.metadata\["partnerlink:waive"\]\[0\]: each waiver needs "rule".*"reason"/ } },
  "ARM inline waiver with a bad date": { files: { "a.json": template([definition({}, { metadata: { "partnerlink:waive": [{ rule: "PL001", reason: "x", expires: "soon" }] } })]) }, expect: { exit2: /"expires" must be a date YYYY-MM-DD/ } },
  "deep nesting": { files: { "a.json": "[".repeat(200000) + "]".repeat(200000) }, expect: { exit2: /a\.json: is (nested too deeply|not an input partnerlink reads)/ } },
  "deeply nested ARM properties": { files: { "a.json": `{"$schema":"${ARM_SCHEMA}","resources":[${'{"a":'.repeat(100000)}1${"}".repeat(100000)}]}` }, expect: { exit2: /a\.json/ } },
  "deeply nested value inside a registration definition": {
    files: { "a.json": `{"$schema":"${ARM_SCHEMA}","resources":[{"type":"Microsoft.ManagedServices/registrationDefinitions","name":"x","properties":{"managedByTenantId":"${TENANT}","description":${'{"a":'.repeat(50000)}1${"}".repeat(50000)}}}]}` },
    expect: { exit2: /a\.json: is nested too deeply to read; flatten the document/ },
  },
  "Terraform plan: resource_changes is an object": { files: { "p.json": plan({ resource_changes: {} }) }, expect: { exit2: /p\.json at \$\.resource_changes: is not a Terraform plan.*must be array/ } },
  "Terraform plan: unknown change action": {
    files: { "p.json": plan({ resource_changes: [{ address: "a.b", type: "a", name: "b", change: { actions: ["explode"] } }] }) },
    expect: { exit2: /p\.json at \$\.resource_changes\[0\]\.change\.actions\[0\]: .*must be one of/ },
  },
  "Terraform plan: format_version is a number": { files: { "p.json": { format_version: 1.2, planned_values: {} } }, expect: { exit2: /p\.json at \$\.format_version: .*must be string/ } },
  "Terraform plan: change without actions": {
    files: { "p.json": plan({ resource_changes: [{ address: "a.b", type: "a", name: "b", change: {} }] }) },
    expect: { exit2: /p\.json at \$\.resource_changes\[0\]\.change\.actions: .*'actions' is required/ },
  },
  "Terraform JSON: resource is an array": { files: { "t.tf.json": { resource: [] } }, expect: { exit2: /t\.tf\.json at \$\.resource: is not a Terraform JSON configuration: must be object/ } },
  "Terraform JSON: definition without managing_tenant_id": { files: { "t.tf.json": tfJson(lhDef({ managing_tenant_id: undefined })) }, expect: { exit2: /azurerm_lighthouse_definition\.d: 'managing_tenant_id' is required/ } },
  "Terraform JSON: authorization block is a string": { files: { "t.tf.json": tfJson(lhDef({ authorization: ["nope"] })) }, expect: { exit2: /t\.tf\.json at \$\.resource\.azurerm_lighthouse_definition\.d\.authorization\[0\]: .*each block must be an object/ } },
  "Terraform JSON: principal_id is a list": { files: { "t.tf.json": tfJson(lhDef({ authorization: [{ principal_id: [PEC], role_definition_id: CONTRIBUTOR }] })) }, expect: { exit2: /at \$\.resource\.azurerm_lighthouse_definition\.d\.authorization\[0\]\.principal_id: azurerm_lighthouse_definition\.d: 'principal_id' must be a string, got an array/ } },
  "Terraform JSON: managing tenant is not a GUID": { files: { "t.tf.json": tfJson(lhDef({ managing_tenant_id: "contoso.onmicrosoft.com" })) }, expect: { rule: "PL010", message: /contoso\.onmicrosoft\.com.*not a tenant ID/ } },
  "Terraform JSON: azapi body is not JSON": {
    files: { "t.tf.json": tfJson({ azapi_resource: { d: { type: "Microsoft.ManagedServices/registrationDefinitions@2022-10-01", name: "x", parent_id: `/subscriptions/${SUB}`, body: "{not json" } } }) },
    expect: { exit2: /azapi_resource\.d: 'body' is a string but not valid JSON/ },
  },
  "CDKTF manifest: stacks is an array": { files: { "manifest.json": { version: "0.21.0", stacks: [] } }, expect: { exit2: /manifest\.json at \$\.stacks: is not a CDKTF manifest: must be object/ } },
  "CDKTF manifest: missing stack file": {
    files: { "manifest.json": { version: "0.21.0", stacks: { main: { synthesizedStackPath: "stacks/main/cdk.tf.json" } } } },
    expect: { exit2: /manifest\.json at \$\.stacks\["main"\]\.synthesizedStackPath: stack 'main' points at stacks\/main\/cdk\.tf\.json, which does not exist/ },
  },
  "YAML config: syntax error": { files: { "t.tf.json": tfJson(lhDef({})), "cfg.yaml": "pecPrincipals: [\n  - x: :\n" }, args: ["t.tf.json", "--config", "cfg.yaml"], expect: { exit2: /cfg\.yaml/ } },
  "YAML config: unknown key": { files: { "t.tf.json": tfJson(lhDef({})), "cfg.yaml": "pecPrincipal:\n  - " + PEC + "\n" }, args: ["t.tf.json", "--config", "cfg.yaml"], expect: { exit2: /cfg\.yaml: \$\.pecPrincipal: unknown key 'pecPrincipal'/ } },
  "YAML config: wrong type": { files: { "t.tf.json": tfJson(lhDef({})), "cfg.yml": "pecPrincipals: " + PEC + "\n" }, args: ["t.tf.json", "--config", "cfg.yml"], expect: { exit2: /cfg\.yml: \$\.pecPrincipals: must be array/ } },
  "JSON config: waiver for an unknown rule": {
    files: { "t.tf.json": tfJson(lhDef({})), "c.json": { waivers: [{ rule: "PL999", resource: "*", reason: "x" }] } },
    args: ["t.tf.json", "--config", "c.json"],
    expect: { exit2: /c\.json: \$\.waivers\[0\]\.rule: unknown rule 'PL999'/ },
  },
  "config given as an input with a bad subscription ID": { files: { "partnerlink.subs.yaml": "subscriptions:\n  - subscriptionId: not-a-guid\n" }, expect: { exit2: /partnerlink\.subs\.yaml: \$\.subscriptions\[0\]\.subscriptionId: must be a GUID/ } },
  "nonexistent path": { files: {}, args: ["nope.json"], expect: { exit2: /nope\.json: does not exist or cannot be read \(ENOENT\)/ } },
  "unknown option": { files: { "t.tf.json": tfJson(lhDef({})) }, args: ["t.tf.json", "--frobnicate"], expect: { exit2: /unknown option '--frobnicate'/ } },
  "bad --pec-principal": { files: { "t.tf.json": tfJson(lhDef({})) }, args: ["t.tf.json", "--pec-principal", "automation-sp"], expect: { exit2: /--pec-principal 'automation-sp' is not an object ID/ } },
  "bad --format-in": { files: { "t.tf.json": tfJson(lhDef({})) }, args: ["t.tf.json", "--format-in", "bicep"], expect: { exit2: /--format-in must be one of/ } },
  "--format-in forcing the wrong format": { files: { "t.tf.json": tfJson(lhDef({})) }, args: ["t.tf.json", "--format-in", "tf-plan"], expect: { exit2: /t\.tf\.json at \$\.planned_values: is not a Terraform plan.*'planned_values' is required/ } },
  "file above --max-file-size": { files: { "t.tf.json": tfJson(lhDef({})) }, args: ["t.tf.json", "--max-file-size", "0.0001"], expect: { exit2: /t\.tf\.json: is \d+ bytes, above the 104 bytes limit; split the input or raise --max-file-size/ } },
  "no paths": { files: {}, args: [], expect: { exit2: /no input paths/ } },
};

async function runCase(name: string, c: Case): Promise<CliRun> {
  const d = path.join(dir, name.replace(/[^a-z0-9]+/gi, "-"));
  fs.mkdirSync(d, { recursive: true });
  for (const [f, content] of Object.entries(c.files)) {
    const p = path.join(d, f);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, typeof content === "string" || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2));
  }
  const args = c.args ?? Object.keys(c.files).filter((f) => !f.includes(".parameters."));
  return runCli(["check", ...args, "--format", "json"], { cwd: d });
}

test("at least 40 malformed inputs are covered", () => {
  expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(40);
});

test.each(Object.entries(CASES))("%s", async (name, c) => {
  const run = await runCase(name, c);
  expect(run.stdout + run.stderr).not.toMatch(/^\s{4}at /m);
  if ("exit2" in c.expect) {
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^partnerlink check: /);
    expect(lines[0]).toMatch(c.expect.exit2);
  } else {
    expect(run.stderr).toBe("");
    const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
    const hit = findings.filter((f) => f.ruleId === (c.expect as { rule: string }).rule);
    expect(hit.map((f) => f.message).join("\n")).toMatch(c.expect.message);
  }
});

test("a 200 MB file (sparse) is refused by its size before it is read; the other file is still checked", async () => {
  const d = path.join(dir, "huge");
  fs.mkdirSync(d);
  const huge = path.join(d, "huge.json");
  fs.writeFileSync(huge, "");
  fs.truncateSync(huge, 200 * 1024 * 1024);
  fs.writeFileSync(path.join(d, "ok.tf.json"), JSON.stringify(tfJson(lhDef({ managing_tenant_id: "bad-tenant" }))));
  const run = await runCli(["check", "huge.json", "ok.tf.json", "--format", "json"], { cwd: d });
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe("partnerlink check: huge.json: is 200 MB, above the 100 MB limit; split the input or raise --max-file-size");
  const findings = (JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] }).findings;
  expect(findings.map((f) => [f.ruleId, f.file])).toEqual([["PL010", "ok.tf.json"]]);
});

test("several bad files: one line each, the good file still checked", async () => {
  const d = path.join(dir, "several");
  fs.mkdirSync(d);
  fs.writeFileSync(path.join(d, "a.json"), "{");
  fs.writeFileSync(path.join(d, "b.json"), "");
  fs.writeFileSync(path.join(d, "c.tf.json"), JSON.stringify(tfJson(lhDef({}))));
  const run = await runCli(["check", d, "--format", "json", "--pec-principal", PEC], { cwd: d });
  expect(run.code).toBe(2);
  expect(run.stderr.trim().split("\n")).toEqual([
    expect.stringMatching(/^partnerlink check: a\.json: is not valid JSON/),
    expect.stringMatching(/^partnerlink check: b\.json: is empty/),
  ]);
  expect(JSON.parse(run.stdout).summary.files).toBe(1);
});
