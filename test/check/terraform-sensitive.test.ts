/**
 * Values a Terraform plan marks sensitive (`after_sensitive`, `before_sensitive`, `sensitive_values`) are never
 * printed, in any report format, while the rules still evaluate them. Each test runs the real CLI
 * (`partnerlink check`) on a plan written to a temp folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
/** A malformed principal ID PL010 quotes, and a custom role's GUID: neither may appear in any output. */
const SECRET_NAME = "svc-payroll-Secret#7";
const SECRET_ROLE = "9e1c7a55-0b6e-4f5d-9f3a-5C2D11AA7B01";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };

const temp = tempFolders("pl-sensitive-");

/** A fresh folder with the partnerlink config and `plan` as plan.json. */
function folder(name: string, plan: unknown): string {
  return temp.folder(name, { "partnerlink.config.json": CONFIG, "plan.json": plan });
}

/**
 * A definition whose first authorization has a malformed principal (PL010 quotes it) and whose second gives the
 * PEC principal a custom role by resource ID (PL004 names it): both marked sensitive by `marks`.
 */
function definitionValues() {
  return {
    name: "C",
    managing_tenant_id: TENANT,
    scope: `/subscriptions/${SUB}`,
    lighthouse_definition_id: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
    authorization: [
      { principal_id: SECRET_NAME, role_definition_id: CONTRIBUTOR, principal_display_name: "", delegated_role_definition_ids: [] },
      { principal_id: PEC, role_definition_id: `/providers/Microsoft.Authorization/roleDefinitions/${SECRET_ROLE}`, principal_display_name: "", delegated_role_definition_ids: [] },
      { principal_id: PEC, role_definition_id: READER, principal_display_name: "", delegated_role_definition_ids: [] },
    ],
    eligible_authorization: [],
  };
}
const MARKS = { authorization: [{ principal_id: true }, { role_definition_id: true }, {}], eligible_authorization: [] };

function assertNoSecret(out: string): void {
  for (const s of [SECRET_NAME, SECRET_ROLE, SECRET_ROLE.toLowerCase(), JSON.stringify(SECRET_NAME).slice(1, -1)]) expect(out).not.toContain(s);
}

const CHANGE_PLAN = {
  format_version: "1.2",
  terraform_version: "1.9.8",
  resource_changes: [
    {
      address: "azurerm_lighthouse_definition.c",
      mode: "managed",
      type: "azurerm_lighthouse_definition",
      name: "c",
      change: { actions: ["create"], before: null, after: definitionValues(), after_unknown: { id: true }, before_sensitive: false, after_sensitive: MARKS },
    },
  ],
};

describe("after_sensitive in resource_changes", () => {
  test("PL010 shows '(sensitive value)' where it quoted the raw principal ID; the rules still evaluate the values", async () => {
    const dir = folder("after-sensitive", CHANGE_PLAN);
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    const pl010 = findings.find((f) => f.ruleId === "PL010")!;
    expect(pl010.path).toBe("$.resource_changes[0].change.after.authorization[0].principal_id");
    expect(pl010.message).toContain('"(sensitive value)" is not a principal object ID');
    // Evaluated all the same: the custom role is PL004's (unknown role) and the Reader one PL003's.
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["PL003", "PL004", "PL010"]);
    expect(findings.find((f) => f.ruleId === "PL004")!.message).toContain("(sensitive value)");
    assertNoSecret(run.stdout);
    expect(run.code).toBe(1);
  });

  test.each(["text", "json", "sarif", "junit"])("no sensitive value in the %s report, on stdout or in --output", async (format) => {
    const dir = folder(`formats-${format}`, CHANGE_PLAN);
    const run = await runCli(["check", "plan.json", "--format", format], { cwd: dir });
    expect(run.stdout).toContain("(sensitive value)");
    assertNoSecret(run.stdout);
    assertNoSecret(run.stderr);
    const toFile = await runCli(["check", "plan.json", "--format", format, "--output", `report.${format}`], { cwd: dir });
    expect(toFile.code).toBe(1);
    assertNoSecret(fs.readFileSync(path.join(dir, `report.${format}`), "utf8"));
  });

  test("before_sensitive: a value that was sensitive before the change is not printed either", async () => {
    const before = definitionValues();
    const change = { ...CHANGE_PLAN.resource_changes[0]!.change, actions: ["update"], before, before_sensitive: MARKS, after_sensitive: {} };
    const dir = folder("before-sensitive", { ...CHANGE_PLAN, resource_changes: [{ ...CHANGE_PLAN.resource_changes[0]!, change }] });
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    expect(findingsOf(run).map((f) => f.ruleId).sort()).toEqual(["PL003", "PL004", "PL010"]);
    assertNoSecret(run.stdout);
  });
});

describe("sensitive_values of planned and prior-state resources", () => {
  const resource = (address: string) => ({ address, mode: "managed", type: "azurerm_lighthouse_definition", name: address.split(".")[1], values: definitionValues(), sensitive_values: MARKS });

  test("a planned resource no resource_changes entry covers: its sensitive_values are honoured", async () => {
    const plan = { format_version: "1.2", terraform_version: "1.9.8", planned_values: { root_module: { resources: [resource("azurerm_lighthouse_definition.p")] } }, resource_changes: [] };
    const dir = folder("planned-values", plan);
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    const pl010 = findingsOf(run).find((f) => f.ruleId === "PL010")!;
    expect(pl010.path).toBe("$.planned_values.root_module.resources[0].values.authorization[0].principal_id");
    expect(pl010.message).toContain("(sensitive value)");
    assertNoSecret(run.stdout);
  });

  test("a prior-state resource: its sensitive_values are honoured", async () => {
    const plan = { format_version: "1.2", terraform_version: "1.9.8", resource_changes: [], prior_state: { format_version: "1.0", values: { root_module: { resources: [resource("azurerm_lighthouse_definition.s")] } } } };
    const dir = folder("prior-state", plan);
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    const pl010 = findingsOf(run).find((f) => f.ruleId === "PL010")!;
    expect(pl010.path).toBe("$.prior_state.values.root_module.resources[0].values.authorization[0].principal_id");
    expect(pl010.message).toContain("(sensitive value)");
    assertNoSecret(run.stdout);
  });
});

test("an azapi 1.x body (one JSON string) marked sensitive: the values inside it are not printed either", async () => {
  const body = JSON.stringify({
    properties: {
      registrationDefinitionName: "offer",
      managedByTenantId: TENANT,
      authorizations: [
        { principalId: SECRET_NAME, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "PAA" },
        { principalId: PEC, roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${SECRET_ROLE}`, principalIdDisplayName: "PAA" },
      ],
    },
  });
  const after = { type: "Microsoft.ManagedServices/registrationDefinitions@2022-10-01", name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11", parent_id: `/subscriptions/${SUB}`, body };
  const plan = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    resource_changes: [{ address: "azapi_resource.def", mode: "managed", type: "azapi_resource", name: "def", change: { actions: ["create"], before: null, after, after_unknown: {}, before_sensitive: false, after_sensitive: { body: true } } }],
  };
  const dir = folder("azapi-string-body", plan);
  for (const format of ["text", "json", "sarif", "junit"]) {
    const run = await runCli(["check", "plan.json", "--format", format], { cwd: dir });
    if (format === "json") expect(findingsOf(run).find((f) => f.ruleId === "PL010")!.message).toContain('"(sensitive value)" is not a principal object ID');
    assertNoSecret(run.stdout + run.stderr);
  }
});

test("a value not marked sensitive is still quoted (redaction is not blanket)", async () => {
  const change = { ...CHANGE_PLAN.resource_changes[0]!.change, after_sensitive: {} };
  const dir = folder("not-sensitive", { ...CHANGE_PLAN, resource_changes: [{ ...CHANGE_PLAN.resource_changes[0]!, change }] });
  const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
  expect(findingsOf(run).find((f) => f.ruleId === "PL010")!.message).toContain(`"${SECRET_NAME}" is not a principal object ID`);
  expect(run.stdout).not.toContain("(sensitive value)");
});

/** `v` mirrored with `true` at every string: what `after_sensitive` says when every value is sensitive. */
function markAll(v: unknown): unknown {
  if (typeof v === "string") return true;
  if (Array.isArray(v)) return v.map(markAll);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markAll(x)]));
  return false;
}

function strings(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === "string" && v !== "") out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => strings(x, out));
  return out;
}

const PLANS = path.resolve(__dirname, "..", "fixtures", "check", "tfplan");

/** The redaction is the engine's, for every rule: no rule's message, whatever it quotes, prints a marked value. */
test.each(fs.readdirSync(PLANS).filter((f) => f.endsWith(".plan.json")))("%s with every value marked sensitive: same verdicts, no value printed", async (file) => {
  const plan = JSON.parse(fs.readFileSync(path.join(PLANS, file), "utf8")) as { resource_changes: { change: Record<string, unknown> }[] };
  const plain = await runCli(["check", path.join(PLANS, file), "--format", "json"], { cwd: path.resolve(PLANS, "..") });
  const secrets = new Set<string>();
  for (const rc of plan.resource_changes) {
    rc.change.after_sensitive = markAll(rc.change.after);
    strings(rc.change.after, secrets);
  }
  const dir = temp.folder(`all-${file}`, {});
  fs.copyFileSync(path.resolve(PLANS, "..", "partnerlink.config.json"), path.join(dir, "partnerlink.config.json"));
  fs.writeFileSync(path.join(dir, file), JSON.stringify(plan));
  const marked = await runCli(["check", file, "--format", "json"], { cwd: dir });
  expect(marked.code).toBe(plain.code);
  expect(findingsOf(marked).map((f) => [f.ruleId, f.path])).toEqual(findingsOf(plain).map((f) => [f.ruleId, f.path]));
  // The report's data (not its JSON keys, where "PUT" is in "inputErrors"), compared as the redaction does: any case.
  const report = JSON.parse(marked.stdout) as { findings: { message: string; resource: string; path: string }[]; notices: string[] };
  const out = JSON.stringify([report.findings.map((f) => [f.message, f.resource, f.path]), report.notices]).toLowerCase();
  for (const s of secrets) expect([s, out.includes(s.toLowerCase())]).toEqual([s, false]);
});
