/**
 * Defects a user trial of `partnerlink check` found, each pinned by the input that showed it: waivers that leaked
 * across files or lost to a weaker waiver, PEC rules that guessed about authorizations they could not see, findings
 * that named the wrong file, and reports that were not valid for their format or echoed the input's text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import "@microsoft/jest-sarif";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { jsonPathLines } from "../../formats/json-lines";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const REPO_ROOT = path.resolve(__dirname, "..", "..");
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };

const temp = tempFolders("pl-trial-");
const folder = temp.folder;

/** A subscription-level template with one registration definition, the PEC principal holding `role`. */
function definitionTemplate(role: string, metadata?: unknown) {
  return {
    $schema: SUB_SCHEMA,
    contentVersion: "1.0.0.0",
    resources: [
      {
        type: "Microsoft.ManagedServices/registrationDefinitions",
        apiVersion: "2022-10-01",
        name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
        properties: { registrationDefinitionName: "Contoso PEC", managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: role }] },
        ...(metadata ? { metadata } : {}),
      },
    ],
  };
}

const INLINE_WAIVER = { "partnerlink:waive": [{ rule: "PL003", reason: "pilot for customer A", expires: "2099-01-31" }] };

describe("waivers", () => {
  test("an inline waiver covers its own resource only, not a resource of the same name in another file", async () => {
    const dir = folder("inline-scope", { "partnerlink.config.json": CONFIG, "a.json": definitionTemplate(READER, INLINE_WAIVER), "b.json": definitionTemplate(READER) });
    const run = await runCli(["check", "a.json", "b.json", "--format", "json"], { cwd: dir });
    const pl003 = findingsOf(run).filter((f) => f.ruleId === "PL003");
    expect(pl003.map((f) => [f.file, f.suppressed?.kind ?? "open"]).sort()).toEqual([
      ["a.json", "inline"],
      ["b.json", "open"],
    ]);
    expect(run.code).toBe(1);
  });

  test("a config waiver for '*' wins over an inline waiver on the same finding", async () => {
    const config = { ...CONFIG, waivers: [{ rule: "pec-role-not-eligible", resource: "*", reason: "approved by the CISO", expires: "2099-12-31" }] };
    const dir = folder("config-star", { "partnerlink.config.json": config, "a.json": definitionTemplate(READER, INLINE_WAIVER) });
    const run = await runCli(["check", "a.json", "--format", "json"], { cwd: dir });
    const pl003 = findingsOf(run).find((f) => f.ruleId === "PL003");
    expect(pl003?.suppressed).toEqual({ kind: "config", reason: "approved by the CISO", expires: "2099-12-31" });
  });

  test("an impossible expiry date is refused, not rolled over into the next month", async () => {
    const inline = { "partnerlink:waive": [{ rule: "PL003", reason: "typo in the date", expires: "2099-11-31" }] };
    const dir = folder("bad-date", { "partnerlink.config.json": CONFIG, "a.json": definitionTemplate(READER, inline) });
    const run = await runCli(["check", "a.json", "--format", "json"], { cwd: dir });
    expect(findingsOf(run).find((f) => f.ruleId === "PL003")?.suppressed).toBeUndefined();
    // The form is right; the day is not: the notice says which, not "use YYYY-MM-DD".
    expect(JSON.parse(run.stdout).notices.join("\n")).toMatch(/invalid expiry '2099-11-31' \(it is not a date in the calendar\) and is ignored. Fix: use a real date, YYYY-MM-DD/);
    // In a config file the schema's date format refuses it outright.
    const config = { ...CONFIG, waivers: [{ rule: "PL003", resource: "*", reason: "typo", expires: "2099-11-31" }] };
    fs.writeFileSync(path.join(dir, "partnerlink.config.json"), JSON.stringify(config));
    const refused = await runCli(["check", "a.json"], { cwd: dir });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/\$\.waivers\[0\]\.expires: must be a date/)]);
  });
});

describe("no PEC finding about authorizations the input does not hold", () => {
  test("an assignment whose definition is in another file: PL012 says so, PL001 does not fire", async () => {
    const assignment = {
      $schema: SUB_SCHEMA,
      contentVersion: "1.0.0.0",
      resources: [
        {
          type: "Microsoft.ManagedServices/registrationAssignments",
          apiVersion: "2022-10-01",
          name: "1d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
          properties: { registrationDefinitionId: "[subscriptionResourceId('Microsoft.ManagedServices/registrationDefinitions', '0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11')]" },
        },
      ],
    };
    const dir = folder("split", { "partnerlink.config.json": CONFIG, "assignment.json": assignment });
    const run = await runCli(["check", "assignment.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.map((f) => f.ruleId)).not.toContain("PL001");
    expect(findings.filter((f) => f.ruleId === "PL012").map((f) => f.message).join("\n")).toMatch(/registration definition of assignment .* is not in this input/);
    // One finding for the one unknown definition, naming every rule that needed it (not one per stand-in property).
    const atReference = findings.filter((f) => f.ruleId === "PL012" && f.path === "$.resources[0].properties.registrationDefinitionId");
    expect(atReference.map((f) => /PL001\/PL002\/PL003\/PL004\/PL005\/PL007\/PL008\/PL009\/PL014 could not check it/.test(f.message))).toEqual([true]);
    expect(run.code).toBe(0);
  });

  test("a template checked without its parameters: the assignment cannot be joined, and PL012 says why", async () => {
    const template = {
      $schema: SUB_SCHEMA,
      contentVersion: "1.0.0.0",
      parameters: { customerSubscriptionId: { type: "string" } },
      resources: [
        ...definitionTemplate(CONTRIBUTOR).resources.map((r) => ({ ...r, name: "[guid('offer', parameters('customerSubscriptionId'))]" })),
        {
          type: "Microsoft.ManagedServices/registrationAssignments",
          apiVersion: "2022-10-01",
          name: "[guid('assignment', parameters('customerSubscriptionId'))]",
          properties: {
            registrationDefinitionId: "[subscriptionResourceId(parameters('customerSubscriptionId'), 'Microsoft.ManagedServices/registrationDefinitions', guid('offer', parameters('customerSubscriptionId')))]",
          },
        },
      ],
    };
    const dir = folder("no-params", { "partnerlink.config.json": CONFIG, "onboarding.json": template });
    const run = await runCli(["check", "onboarding.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.map((f) => f.ruleId)).not.toContain("PL001");
    expect(findings.map((f) => f.message).join("\n")).toMatch(/cannot tell which registration definition assignment .* points at before deployment \(required parameter 'customerSubscriptionId' has no value/);
  });

  test("a plan whose module has count: each assignment joins the definition of its own module instance", async () => {
    const rc = (i: number, kind: "definition" | "assignment") => ({
      address: `module.customer[${i}].azurerm_lighthouse_${kind}.this`,
      module_address: `module.customer[${i}]`,
      mode: "managed",
      type: `azurerm_lighthouse_${kind}`,
      name: "this",
      change:
        kind === "definition"
          ? {
              actions: ["create"],
              before: null,
              after: { name: `Offer ${i}`, managing_tenant_id: TENANT, scope: `/subscriptions/6666666${i}-6666-6666-6666-666666666666`, authorization: [{ principal_id: PEC, role_definition_id: i === 0 ? CONTRIBUTOR : READER }], eligible_authorization: [] },
              after_unknown: { id: true, lighthouse_definition_id: true, authorization: [{}] },
            }
          : { actions: ["create"], before: null, after: { scope: `/subscriptions/6666666${i}-6666-6666-6666-666666666666` }, after_unknown: { id: true, name: true, lighthouse_definition_id: true } },
    });
    const plan = {
      format_version: "1.2",
      resource_changes: [rc(0, "definition"), rc(0, "assignment"), rc(1, "definition"), rc(1, "assignment")],
      configuration: {
        root_module: {
          module_calls: {
            customer: {
              source: "./customer",
              module: {
                resources: [
                  { address: "azurerm_lighthouse_definition.this", mode: "managed", type: "azurerm_lighthouse_definition", name: "this", expressions: {} },
                  {
                    address: "azurerm_lighthouse_assignment.this",
                    mode: "managed",
                    type: "azurerm_lighthouse_assignment",
                    name: "this",
                    expressions: { lighthouse_definition_id: { references: ["azurerm_lighthouse_definition.this.id", "azurerm_lighthouse_definition.this"] } },
                  },
                ],
              },
            },
          },
        },
      },
    };
    const dir = folder("module-count", { "partnerlink.config.json": CONFIG, "plan.json": plan });
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    // Instance 1 holds only Reader: PL003 on its definition, nothing on either assignment.
    expect(findings.map((f) => `${f.ruleId} ${f.resource}`)).toEqual(["PL003 module.customer[1].azurerm_lighthouse_definition.this"]);
  });

  test("PL003 does not fire while a permanent authorization with an unknown principal holds an eligible role", async () => {
    const plan = (principal: string | null, unknown: boolean, role: string) => ({
      format_version: "1.2",
      resource_changes: [
        {
          address: "azurerm_lighthouse_definition.x",
          mode: "managed",
          type: "azurerm_lighthouse_definition",
          name: "x",
          change: {
            actions: ["create"],
            before: null,
            after: { name: "x", managing_tenant_id: TENANT, scope: "/subscriptions/66666666-6666-6666-6666-666666666666", authorization: [{ principal_id: principal, role_definition_id: role }, { principal_id: PEC, role_definition_id: READER }] },
            after_unknown: { id: true, authorization: [unknown ? { principal_id: true } : {}, {}] },
          },
        },
      ],
    });
    const dir = folder("unknown-principal", { "partnerlink.config.json": CONFIG, "contributor.json": plan(null, true, CONTRIBUTOR), "reader.json": plan(null, true, READER) });
    const run = await runCli(["check", "contributor.json", "reader.json", "--format", "json"], { cwd: dir });
    const pl003 = findingsOf(run).filter((f) => f.ruleId === "PL003");
    // With Contributor the unknown principal may be the PEC principal; with Reader it cannot earn PEC either way.
    expect(pl003.map((f) => f.file)).toEqual(["reader.json"]);
  });
});

describe("PL006 from the deployment level", () => {
  test.each([
    ["https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resource group-level"],
    ["https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#", "management group-level"],
  ])("a definition in a %s template is not at subscription scope, whatever subscription is chosen", async (schema, level) => {
    const template = { ...definitionTemplate(CONTRIBUTOR), $schema: schema };
    const dir = folder(`level-${level.split(" ")[0]}`, { "partnerlink.config.json": CONFIG, "t.json": template });
    const run = await runCli(["check", "t.json", "--format", "json"], { cwd: dir });
    const pl006 = findingsOf(run).filter((f) => f.ruleId === "PL006");
    expect(pl006.map((f) => f.message)).toEqual([expect.stringContaining(`deployed by a ${level} template, so its scope is not a subscription`)]);
    // PL006 judged the scope: PL012 does not also say PL006 could not check it.
    expect(findingsOf(run).filter((f) => f.ruleId === "PL012" && f.path === pl006[0]!.path)).toEqual([]);
    expect(run.code).toBe(1);
  });

  test("a resource group-level assignment joins its definition through resourceId(), whose resource group is chosen at deployment", async () => {
    const template = definitionTemplate(CONTRIBUTOR) as { $schema: string; resources: Record<string, unknown>[] };
    template.$schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
    const ref = "[resourceId('Microsoft.ManagedServices/registrationDefinitions', '0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11')]";
    template.resources.push({ type: "Microsoft.ManagedServices/registrationAssignments", apiVersion: "2022-10-01", name: "1d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11", dependsOn: [ref], properties: { registrationDefinitionId: ref } });
    const dir = folder("level-rg-join", { "partnerlink.config.json": CONFIG, "t.json": template });
    const run = await runCli(["check", "t.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.filter((f) => f.path === "$.resources[1].properties.registrationDefinitionId")).toEqual([]);
    // The assignment's scope (the resource group) is unknown: only PL007 and PL014 needed it. It is reported where the file
    // sets the level (the resource group is the deployment command's).
    expect(findingsOf(run).filter((f) => f.ruleId === "PL012").map((f) => [f.path, /\. PL007\/PL014 could not check it/.test(f.message)])).toEqual([["$.$schema", true]]);
  });

  test("a subscription-level template whose subscription is chosen at deployment is not PL006", async () => {
    const dir = folder("level-sub", { "partnerlink.config.json": CONFIG, "t.json": definitionTemplate(CONTRIBUTOR) });
    const run = await runCli(["check", "t.json", "--format", "json"], { cwd: dir });
    expect(findingsOf(run).map((f) => f.ruleId)).not.toContain("PL006");
  });
});

describe("findings name the file that holds the value", () => {
  test("authorizations read from a parameters file are reported in the parameters file", async () => {
    const template = {
      $schema: SUB_SCHEMA,
      contentVersion: "1.0.0.0",
      parameters: { authorizations: { type: "array" }, eligibleAuthorizations: { type: "array" } },
      resources: [
        {
          type: "Microsoft.ManagedServices/registrationDefinitions",
          apiVersion: "2022-10-01",
          name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
          properties: {
            registrationDefinitionName: "Contoso PEC",
            managedByTenantId: TENANT,
            authorizations: "[parameters('authorizations')]",
            eligibleAuthorizations: "[parameters('eligibleAuthorizations')]",
          },
        },
      ],
    };
    const parameters = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
      contentVersion: "1.0.0.0",
      parameters: {
        authorizations: { value: [{ principalId: PEC, roleDefinitionId: READER }, { principalId: "not-a-guid", roleDefinitionId: READER }] },
        eligibleAuthorizations: { value: [] },
      },
    };
    const dir = folder("param-file", { "partnerlink.config.json": CONFIG, "pl003.json": template, "pl003.parameters.json": parameters });
    const run = await runCli(["check", ".", "--format", "json"], { cwd: dir });
    const byRule = Object.fromEntries(findingsOf(run).map((f) => [f.ruleId, f]));
    expect([byRule.PL003?.file, byRule.PL003?.path]).toEqual(["pl003.parameters.json", "$.parameters.authorizations.value[0].roleDefinitionId"]);
    expect([byRule.PL010?.file, byRule.PL010?.path]).toEqual(["pl003.parameters.json", "$.parameters.authorizations.value[1].principalId"]);
    // PL008 (no PAL link for the PEC principal) points at the same principal, in the same file.
    fs.writeFileSync(path.join(dir, "partnerlink.config.json"), JSON.stringify({ partnerId: "1234567", pecPrincipals: [PEC] }));
    const unlinked = await runCli(["check", ".", "--format", "json"], { cwd: dir });
    const pl008 = findingsOf(unlinked).find((f) => f.ruleId === "PL008");
    expect([pl008?.file, pl008?.path]).toEqual(["pl003.parameters.json", "$.parameters.authorizations.value[0].principalId"]);
  });
});

describe("ARM findings point at properties in the file", () => {
  const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
  const BROKEN = path.resolve(__dirname, "..", "..", "examples", "broken");
  const templates = [
    ...["arm", "bicep"].flatMap((kind) =>
      fs
        .readdirSync(path.join(FIXTURES, kind))
        .filter((f) => !f.endsWith(".parameters.json"))
        .map((f) => path.join(FIXTURES, kind, f)),
    ),
    ...fs.readdirSync(BROKEN).filter((d) => fs.existsSync(path.join(BROKEN, d, "template.json"))).map((d) => path.join(BROKEN, d, "template.json")),
  ];

  // Scopes are the deployment's: they are reported where the file sets them (a nested deployment's resourceGroup or
  // subscriptionId, else the template's $schema), so SARIF has a line for every finding.
  test.each(templates.map((t) => [path.relative(REPO_ROOT, t), t]))("%s: every finding's path is in the file it names", async (_name, template) => {
    const run = await runCli(["check", template, "--format", "json", "--pec-principal", PEC], { cwd: path.dirname(template) });
    const findings = findingsOf(run);
    expect(findings.length).toBeGreaterThan(0);
    const missing = findings
      .filter((f) => f.path !== undefined)
      .filter((f) => !jsonPathLines(fs.readFileSync(path.resolve(path.dirname(template), f.file ?? ""), "utf8")).has(f.path!))
      .map((f) => `${f.ruleId} ${f.file} ${f.path}`);
    expect(missing).toEqual([]);
  });
});

describe("Bicep modules (nested deployments with inner expression scope)", () => {
  const BICEP = path.resolve(__dirname, "..", "fixtures", "check", "bicep");
  const pathsOf = async (template: string) => {
    const run = await runCli(["check", template, "--format", "json", "--pec-principal", PEC], { cwd: BICEP });
    return findingsOf(run)
      .filter((f) => f.ruleId !== "PL012")
      .map((f) => [f.ruleId, f.file, f.path]);
  };

  test("a module parameter passed on from the parent's parameter is reported where its value is: the parameters file", async () => {
    expect(await pathsOf("module-passes-parameter.json")).toEqual([
      ["PL008", "module-passes-parameter.parameters.json", "$.parameters.authorizations.value[0].principalId"],
      ["PL003", "module-passes-parameter.parameters.json", "$.parameters.authorizations.value[0].roleDefinitionId"],
    ]);
  });

  test("a `for` over authorizations (a property copy loop) is reported at the loop's input; an `existing` definition is not judged", async () => {
    // Before: the existing definition was read as a delegation with no authorizations (a false PL001 error), and
    // the loop's elements pointed at properties.authorizations[0], which is not in the file.
    expect(await pathsOf("for-loop-and-existing.json")).toEqual([
      ["PL008", "for-loop-and-existing.json", "$.resources.definition.properties.copy[0].input.principalId"],
      ["PL003", "for-loop-and-existing.json", "$.resources.definition.properties.copy[0].input.roleDefinitionId"],
    ]);
  });

  test("a copy loop whose input is one expression points every finding at that input", async () => {
    const template = JSON.parse(fs.readFileSync(path.join(BICEP, "for-loop-and-existing.json"), "utf8"));
    template.resources.definition.properties.copy[0].input =
      "[createObject('principalId', parameters('operators')[copyIndex('authorizations')].id, 'roleDefinitionId', parameters('operators')[copyIndex('authorizations')].role)]";
    const dir = folder("bicep-flat-input", { "t.json": template });
    const run = await runCli(["check", "t.json", "--format", "json", "--pec-principal", PEC], { cwd: dir });
    const input = "$.resources.definition.properties.copy[0].input";
    expect(findingsOf(run).filter((f) => f.ruleId !== "PL012").map((f) => [f.ruleId, f.path])).toEqual([
      ["PL003", input],
      ["PL008", input],
    ]);
    expect(jsonPathLines(fs.readFileSync(path.join(dir, "t.json"), "utf8")).has(input)).toBe(true);
  });

  test("user-defined types, a nullable parameter left out, a user-defined function and a Graph extension resource are read", async () => {
    // Before: exit 2 ("'type' is required" for the $ref parameter). The function names the definition, so the
    // assignment joins it; the nullable eligibleAuthorizations is null, not a "required parameter" PL012.
    const run = await runCli(["check", "types-functions-extensions.json", "--format", "json", "--pec-principal", PEC], { cwd: BICEP });
    expect(run.code).toBe(1);
    const findings = findingsOf(run);
    expect(findings.filter((f) => f.ruleId !== "PL012").map((f) => [f.ruleId, f.path])).toEqual([
      ["PL008", "$.parameters.authorizations.defaultValue[0].principalId"],
      ["PL003", "$.parameters.authorizations.defaultValue[0].roleDefinitionId"],
    ]);
    // What stays unknown is the target subscription alone: nothing about the function, the parameter or the join.
    expect(findings.filter((f) => f.ruleId === "PL012").map((f) => f.path)).toEqual(["$.$schema", "$.resources.assignment.name"]);
    expect(findings.every((f) => f.resource === "Contoso managed services")).toBe(true);
  });

  test("a module parameter given as a literal is reported at the module's parameters.<name>.value", async () => {
    expect(await pathsOf("module-literal.json")).toEqual([
      ["PL008", "module-literal.json", "$.resources.lighthouse.properties.parameters.auths.value[0].principalId"],
      ["PL004", "module-literal.json", "$.resources.lighthouse.properties.parameters.auths.value[1].roleDefinitionId"],
    ]);
  });

  test("authorizations a lambda makes (Bicep's map(operators, o => {...})) are evaluated: the PEC principal's Reader is PL003", async () => {
    // Before: one PL012 for the whole list ("unsupported template function 'lambdaVariables'"); no rule judged it.
    const run = await runCli(["check", "lambda-map-authorizations.json", "--format", "json", "--pec-principal", PEC], { cwd: BICEP });
    expect(run.code).toBe(1);
    const findings = findingsOf(run);
    expect(findings.filter((f) => f.ruleId !== "PL012").map((f) => [f.ruleId, f.file]).sort()).toEqual([
      ["PL003", "lambda-map-authorizations.json"],
      ["PL008", "lambda-map-authorizations.json"],
    ]);
    expect(findings.find((f) => f.ruleId === "PL003")!.message).toContain(READER);
    // What stays unknown is the target subscription alone, nothing of the authorizations.
    expect(findings.filter((f) => f.ruleId === "PL012").map((f) => f.path)).toEqual(["$.$schema", "$.resources.assignment.name"]);
  });
});

describe("Terraform findings name azurerm's attributes", () => {
  const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
  const files = fs.readdirSync(path.join(FIXTURES, "tfjson")).map((f) => `tfjson/${f}`);
  // Plans too: a value known only after apply is not in `after`; its findings point at `after_unknown`.
  const plans = fs.readdirSync(path.join(FIXTURES, "tfplan")).map((f) => `tfplan/${f}`);

  test.each([...files, ...plans])("%s: every finding's path is a property in the file", async (file) => {
    const run = await runCli(["check", file, "--format", "json"], { cwd: FIXTURES });
    const paths = jsonPathLines(fs.readFileSync(path.join(FIXTURES, file), "utf8"));
    const located = findingsOf(run).filter((f) => f.file === file && f.path);
    const missing = located.filter((f) => !paths.has(f.path!)).map((f) => `${f.ruleId} ${f.path}`);
    expect(missing).toEqual([]);
  });

  test("the paths use azurerm's names, never the ARM model's", async () => {
    const run = await runCli(["check", ...files, "--format", "json"], { cwd: FIXTURES });
    const paths = findingsOf(run).map((f) => f.path ?? "").filter((p) => p.startsWith("$.resource."));
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => /managedByTenantId|definitionScope|authorizations|principalId|roleDefinitionId|justInTimeAccessPolicy/.test(p))).toEqual([]);
  });
});

describe("reports and messages", () => {
  test("a JSON syntax error gives line and column and never quotes the text (a parameters file holds secrets)", async () => {
    const dir = folder("secret", { "x.parameters.json": '{\n  "parameters": {\n    "clientSecret": { "value": Sup3rS3cretValue }\n  }\n}\n' });
    const run = await runCli(["check", "x.parameters.json", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr + run.stdout).not.toMatch(/Sup3r/);
    expect(JSON.parse(run.stdout).inputErrors[0].message).toMatch(/is not valid JSON \(line 3, column 32\): an unexpected character/);
  });

  test("--severity-threshold takes error, warning or info, not an inherited property name", async () => {
    for (const bad of ["constructor", "toString", "__proto__"]) {
      const run = await runCli(["check", ".", "--severity-threshold", bad], { cwd: temp.root() });
      expect([bad, run.code, run.stderr]).toEqual([bad, 2, expect.stringMatching(/--severity-threshold must be error, warning or info/)]);
    }
  });

  test("JUnit stays well-formed XML when a name holds characters XML 1.0 forbids", async () => {
    const weird = definitionTemplate(READER);
    weird.resources[0]!.properties.registrationDefinitionName = "Contoso \uFFFF\uFFFE \uD800 PEC";
    const dir = folder("junit", { "partnerlink.config.json": CONFIG, "weird.json": weird });
    const run = await runCli(["check", "weird.json", "--format", "junit"], { cwd: dir });
    expect(XMLValidator.validate(run.stdout)).toBe(true);
    expect(JSON.stringify(new XMLParser({ ignoreAttributes: false }).parse(run.stdout))).toMatch(/Contoso +PEC/);
  });

  test("SARIF artifact URIs percent-encode '#' and '?' in folder names", async () => {
    const dir = folder("uri", { "partnerlink.config.json": CONFIG, "infra #1 (prod)?/a.json": definitionTemplate(READER) });
    const run = await runCli(["check", ".", "--format", "sarif"], { cwd: dir });
    const uris = JSON.parse(run.stdout).runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain("infra%20%231%20(prod)%3F/a.json");
    expect(new URL(uris[0], "file:///root/").pathname).toBe("/root/infra%20%231%20(prod)%3F/a.json");
  });
});

describe("a partnerlink config among the inputs", () => {
  const TEMPLATE_CONFIG = { pecPrincipals: [PEC], palLinkedPrincipals: [PEC], subscriptions: [{ subscriptionId: "66666666-6666-6666-6666-666666666666", name: "Contoso" }] };

  test("read as an input only, its settings are named with the --config that applies them", async () => {
    const dir = folder("config-input", { "customer/partnerlink.config.json": TEMPLATE_CONFIG, "customer/onboarding.json": definitionTemplate(CONTRIBUTOR) });
    const run = await runCli(["check", "customer", "--format", "json"], { cwd: dir });
    const notices = (JSON.parse(run.stdout) as { notices: string[] }).notices;
    expect(notices).toContain(
      `${path.join("customer", "partnerlink.config.json")} is read as an input for its subscriptions only; its pecPrincipals, palLinkedPrincipals apply only to the config in effect. ` +
        `Fix: pass --config ${path.join("customer", "partnerlink.config.json")} (or run partnerlink check from its folder) to apply them.`,
    );
    // Applied as the config, it is no input-only file: no such notice, and the PEC rules run.
    const applied = await runCli(["check", "customer", "--config", "customer/partnerlink.config.json", "--format", "json"], { cwd: dir });
    const appliedNotices = (JSON.parse(applied.stdout) as { notices: string[] }).notices;
    expect(appliedNotices.filter((n) => n.includes("read as an input"))).toEqual([]);
    expect(appliedNotices.filter((n) => /(was|were) not evaluated/.test(n))).toEqual([]);
    const fromFolder = await runCli(["check", ".", "--format", "json"], { cwd: path.join(dir, "customer") });
    expect((JSON.parse(fromFolder.stdout) as { notices: string[] }).notices.filter((n) => n.includes("read as an input"))).toEqual([]);
  });

  test("a config with subscriptions only needs no notice", async () => {
    const dir = folder("config-input-subs", { "customer/partnerlink.config.json": { subscriptions: TEMPLATE_CONFIG.subscriptions } });
    const run = await runCli(["check", "customer", "--format", "json"], { cwd: dir });
    expect((JSON.parse(run.stdout) as { notices: string[] }).notices.filter((n) => n.includes("read as an input"))).toEqual([]);
  });
});

describe("a parameters file two templates fit equally well", () => {
  /** A subscription-level template taking the PEC principal's role as a required parameter. */
  const ROLE_TEMPLATE = {
    $schema: SUB_SCHEMA,
    contentVersion: "1.0.0.0",
    parameters: { role: { type: "string" } },
    resources: [
      {
        type: "Microsoft.ManagedServices/registrationDefinitions",
        apiVersion: "2022-10-01",
        name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
        properties: { registrationDefinitionName: "Contoso PEC", managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: "[parameters('role')]" }] },
      },
    ],
  };
  const READER_PARAMETERS = { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", contentVersion: "1.0.0.0", parameters: { role: { value: READER } } };

  test("is an input error naming both templates and the pair syntax, not a quiet pass", async () => {
    const dir = folder("ambiguous-pair", { "partnerlink.config.json": CONFIG, "a.json": ROLE_TEMPLATE, "b.json": ROLE_TEMPLATE, "customer1.parameters.json": READER_PARAMETERS });
    const run = await runCli(["check", ".", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(2);
    const errors = (JSON.parse(run.stdout) as { inputErrors: { file: string; message: string }[] }).inputErrors;
    expect(errors).toEqual([
      expect.objectContaining({ file: "customer1.parameters.json", message: expect.stringContaining("matches 2 templates equally well (a.json, b.json: the same parameter names), so it is not checked") }),
    ]);
    expect(errors[0]!.message).toContain("e.g. a.json=customer1.parameters.json");
    // Named as a pair, it is checked: Reader, from the parameters file, is not PEC-eligible.
    const paired = await runCli(["check", "a.json=customer1.parameters.json", "b.json", "--format", "json"], { cwd: dir });
    expect(paired.code).toBe(1);
    expect(findingsOf(paired).filter((f) => f.ruleId === "PL003").map((f) => [f.file, /Reader/.test(f.message)])).toEqual([["a.json", true]]);
  });
});

describe("comments, which Azure allows in ARM templates and parameters files", () => {
  const TEMPLATE_WITH_COMMENTS = `{
  // Contoso onboarding
  "$schema": "${SUB_SCHEMA}",
  "contentVersion": "1.0.0.0", /* reviewed */
  "parameters": { "role": { "type": "string" } },
  "resources": [
    {
      "type": "Microsoft.ManagedServices/registrationDefinitions",
      "apiVersion": "2022-10-01",
      "name": "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
      "properties": {
        "registrationDefinitionName": "Contoso // not a comment /* nor this */",
        "managedByTenantId": "${TENANT}",
        "authorizations": [
          /* the PEC principal */
          { "principalId": "${PEC}", "roleDefinitionId": "[parameters('role')]" }
        ]
      }
    }
  ]
}
`;
  const PARAMETERS_WITH_COMMENTS = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    // Reader: not PEC-eligible
    "role": { "value": "${READER}" }
  }
}
`;

  test("are read: the findings are those of the same files without comments, at the file's own lines", async () => {
    const dir = folder("comments", { "partnerlink.config.json": CONFIG, "onboard.json": TEMPLATE_WITH_COMMENTS, "onboard.parameters.json": PARAMETERS_WITH_COMMENTS });
    const run = await runCli(["check", ".", "--format", "sarif"], { cwd: dir });
    expect(run.code).toBe(1);
    const results = (JSON.parse(run.stdout) as { runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { region?: { startLine: number } } }[] }[] }[] }).runs[0]!.results;
    const pl003 = results.find((r) => r.ruleId === "PL003");
    expect(pl003?.message.text).toContain("'Contoso // not a comment /* nor this */'");
    expect(pl003?.locations[0]!.physicalLocation.region?.startLine).toBe(16);
  });

  test("stay refused in Terraform JSON, which Terraform reads as strict JSON", async () => {
    const dir = folder("comments-tf", { "main.tf.json": '{\n  // a comment\n  "resource": {}\n}\n' });
    const run = await runCli(["check", "main.tf.json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/main\.tf\.json: is not valid JSON \(line 2, column 3\)/);
  });

  test("a syntax error after a comment is placed where it is", async () => {
    const dir = folder("comments-error", { "onboard.json": TEMPLATE_WITH_COMMENTS.replace('"apiVersion": "2022-10-01",', '"apiVersion": "2022-10-01"') });
    const run = await runCli(["check", "onboard.json"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/onboard\.json: is not valid JSON \(line 10, column 7\)/);
  });
});

describe("rules that did not run are never reported as passed", () => {
  const PEC_RULES = ["PL001", "PL002", "PL003", "PL007", "PL008", "PL014"];

  test("no PEC principal: JUnit skips the PEC rules' cases, SARIF names them in a notification, JSON lists them", async () => {
    const dir = folder("not-evaluated", { "onboard.json": definitionTemplate(READER) });
    const junit = await runCli(["check", "onboard.json", "--format", "junit"], { cwd: dir });
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(junit.stdout) as {
      testsuites: { testsuite: { name: string; skipped: string; testcase: { skipped?: { message: string } } | { skipped?: { message: string } }[] }[] };
    };
    const suite = (id: string) => xml.testsuites.testsuite.find((s) => s.name.startsWith(`${id} `))!;
    for (const id of PEC_RULES) {
      const cases = [suite(id).testcase].flat();
      expect({ id, skipped: cases.map((c) => c.skipped?.message) }).toEqual({ id, skipped: cases.map(() => "not evaluated: no PEC principal is configured and no PartnerLink declares an objectId") });
    }
    expect([suite("PL004").testcase].flat().every((c) => c.skipped === undefined)).toBe(true);

    const sarif = await runCli(["check", "onboard.json", "--format", "sarif"], { cwd: dir });
    const notes = (JSON.parse(sarif.stdout) as { runs: { invocations: { toolConfigurationNotifications?: { associatedRule: { id: string }; message: { text: string } }[] }[] }[] }).runs[0]!.invocations[0]!.toolConfigurationNotifications ?? [];
    expect(notes.map((n) => n.associatedRule.id)).toEqual(PEC_RULES);
    expect(JSON.parse(sarif.stdout)).toBeValidSarifLog();

    const json = await runCli(["check", "onboard.json", "--format", "json"], { cwd: dir });
    expect((JSON.parse(json.stdout) as { notEvaluated: { ruleId: string }[] }).notEvaluated.map((n) => n.ruleId)).toEqual(PEC_RULES);

    // With a PEC principal they run: nothing is skipped, and PL003 fails on Reader.
    const configured = await runCli(["check", "onboard.json", "--format", "junit", "--pec-principal", PEC], { cwd: dir });
    expect(configured.stdout).not.toContain("not evaluated");
    expect(configured.stdout).toMatch(/<testcase classname="PL003\.pec-role-not-eligible" name="onboard\.json: Contoso PEC"><failure/);
  });

  test("a rule turned off in config is skipped too", async () => {
    const dir = folder("rule-off", { "partnerlink.config.json": { ...CONFIG, rules: { PL003: { severity: "off" } } }, "onboard.json": definitionTemplate(READER) });
    const junit = await runCli(["check", "onboard.json", "--format", "junit"], { cwd: dir });
    expect(junit.stdout).toMatch(/<testcase classname="PL003\.pec-role-not-eligible" name="onboard\.json: Contoso PEC"><skipped message="not evaluated: turned off in config \(severity: off\)"\/>/);
  });
});

describe("SARIF locations are relative to the checkout, as GitHub code scanning resolves them", () => {
  test("run from a subfolder of a repository, the URIs start at the repository root; a file outside it is reached from there; no absolute path anywhere", async () => {
    const repo = folder("sarif-repo", { ".git/HEAD": "ref: refs/heads/main\n", "infra/lh/onboard.json": definitionTemplate(READER) });
    const outside = folder("sarif-outside", { "other.json": definitionTemplate(READER) });
    const run = await runCli(["check", "lh", path.join(outside, "other.json"), "--format", "sarif", "--pec-principal", PEC], { cwd: path.join(repo, "infra") });
    const sarif = JSON.parse(run.stdout) as {
      runs: { originalUriBaseIds: Record<string, { uri?: string; description?: { text: string } }>; results: { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[];
    };
    expect(sarif).toBeValidSarifLog();
    const r = sarif.runs[0]!;
    // The base is described, not located: its absolute URI would be this machine's checkout path.
    expect(Object.keys(r.originalUriBaseIds)).toEqual(["%SRCROOT%"]);
    expect(r.originalUriBaseIds["%SRCROOT%"]!.uri).toBeUndefined();
    expect(r.originalUriBaseIds["%SRCROOT%"]!.description?.text).toMatch(/\.git/);
    const artifacts = new Set(r.results.map((x) => JSON.stringify(x.locations[0]!.physicalLocation.artifactLocation)));
    expect([...artifacts].sort()).toEqual(
      [JSON.stringify({ uri: "infra/lh/onboard.json", uriBaseId: "%SRCROOT%" }), JSON.stringify({ uri: "../sarif-outside/other.json", uriBaseId: "%SRCROOT%" })].sort(),
    );
    // Resolved against the checkout, each names the file that was checked.
    for (const a of artifacts) {
      const { uri } = JSON.parse(a) as { uri: string };
      expect(fs.existsSync(path.resolve(repo, decodeURIComponent(uri)))).toBe(true);
    }
    // Nothing in the log names where the checkout or the file outside it are on this machine.
    for (const p of [repo, outside, path.dirname(repo), pathToFileURL(repo).href, pathToFileURL(outside).href]) expect(run.stdout).not.toContain(p);
    expect(run.stdout).not.toContain("file:");
  });
});

describe("--pal-linked: a link made outside the checked files", () => {
  test("a config-free run can say the PEC principal is PAL-linked, so PL008 does not fire", async () => {
    const dir = folder("pal-linked", { "onboard.json": definitionTemplate(CONTRIBUTOR) });
    const unlinked = await runCli(["check", "onboard.json", "--pec-principal", PEC, "--format", "json"], { cwd: dir });
    expect(findingsOf(unlinked).map((f) => f.ruleId)).toContain("PL008");
    const linked = await runCli(["check", "onboard.json", "--pec-principal", PEC, "--pal-linked", PEC, "--format", "json"], { cwd: dir });
    expect(findingsOf(linked).map((f) => f.ruleId)).not.toContain("PL008");
    expect(linked.code).toBe(0);
    const bad = await runCli(["check", "onboard.json", "--pal-linked", "ops-team"], { cwd: dir });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining("--pal-linked 'ops-team' is not an object ID")]);
  });
});
