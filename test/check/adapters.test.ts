/**
 * Adapter behaviour the rule scenarios do not show: pairing, folder walking, copy loops, nested deployments with
 * inner scope, property copy, Terraform plan modules / deletes / prior state / azapi, CDKTF manifests.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { adaptArmTemplate } from "../../formats/arm-template";
import { detectFormat, pairParameters, walkFolder } from "../../formats/detect";
import { jsonPathLines, lineOf } from "../../formats/json-lines";
import { loadInputs } from "../../formats/load";
import { adaptTerraformPlan } from "../../formats/terraform";
import { armGuid } from "../../rules/identifiers";
import { isUnresolved } from "../../rules/model";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const SUB_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
const RG_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pl-adapt-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, doc: unknown): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, typeof doc === "string" ? doc : JSON.stringify(doc, null, 2));
  return p;
}

describe("ARM", () => {
  test("resource copy loop with copyIndex in names and values; property copy builds authorizations", () => {
    const out = adaptArmTemplate(
      {
        $schema: SUB_SCHEMA,
        parameters: { principals: { type: "array", defaultValue: [PEC, "22222222-2222-2222-2222-222222222222"] } },
        resources: [
          {
            type: "Microsoft.ManagedServices/registrationDefinitions",
            name: "[guid('offer', string(copyIndex()))]",
            copy: { name: "defs", count: 2 },
            properties: {
              registrationDefinitionName: "[concat('offer-', copyIndex(1))]",
              managedByTenantId: TENANT,
              copy: [
                {
                  name: "authorizations",
                  count: "[length(parameters('principals'))]",
                  input: { principalId: "[parameters('principals')[copyIndex('authorizations')]]", roleDefinitionId: CONTRIBUTOR },
                },
              ],
            },
          },
        ],
      },
      { file: "t.json", subscriptionId: SUB },
    );
    const d = out.estate.delegations;
    expect(d.map((x) => x.name)).toEqual(["offer-1[0]", "offer-2[1]"]); // copies always carry their index
    expect(d.map((x) => x.definitionId)).toEqual([armGuid("offer", "0"), armGuid("offer", "1")]);
    expect(d[1]!.authorizations.map((a) => a.principalId)).toEqual([PEC, "22222222-2222-2222-2222-222222222222"]);
    expect(d[0]!.definitionScope).toBe(`/subscriptions/${SUB}`);
  });

  test("nested deployment with inner expression scope gets its own parameters; resourceGroup target sets the scope", () => {
    const out = adaptArmTemplate(
      {
        $schema: SUB_SCHEMA,
        parameters: { tenant: { type: "string", defaultValue: TENANT } },
        resources: [
          {
            type: "Microsoft.ManagedServices/registrationDefinitions",
            name: "[guid('offer')]",
            properties: { registrationDefinitionName: "offer", managedByTenantId: "[parameters('tenant')]", authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }] },
          },
          {
            type: "Microsoft.Resources/deployments",
            name: "rg-assign",
            resourceGroup: "rg-a",
            properties: {
              expressionEvaluationOptions: { scope: "inner" },
              parameters: { defName: { value: "[guid('offer')]" } },
              template: {
                $schema: RG_SCHEMA,
                parameters: { defName: { type: "string" } },
                resources: [
                  {
                    type: "Microsoft.ManagedServices/registrationAssignments",
                    name: "[guid(parameters('defName'), resourceGroup().name)]",
                    properties: { registrationDefinitionId: `[concat('/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/', parameters('defName'))]` },
                  },
                ],
              },
            },
          },
        ],
      },
      { file: "t.json", subscriptionId: SUB },
    );
    expect(out.estate.delegations).toHaveLength(1);
    const d = out.estate.delegations[0]!;
    expect(d.managedByTenantId).toBe(TENANT);
    expect(d.assignments.map((a) => a.scope)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-a`]);
    expect(d.assignments[0]!.assignmentId).toBe(armGuid(armGuid("offer"), "rg-a"));
  });

  test("an assignment whose definition is elsewhere still yields a delegation, its tenant unresolved", () => {
    const out = adaptArmTemplate(
      {
        $schema: SUB_SCHEMA,
        resources: [
          {
            type: "Microsoft.ManagedServices/registrationAssignments",
            name: "a1",
            properties: { registrationDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${PEC}` },
          },
        ],
      },
      { file: "t.json" },
    );
    const d = out.estate.delegations[0]!;
    expect(isUnresolved(d.managedByTenantId) && d.managedByTenantId.reason).toMatch(/not in this input/);
    expect(d.definitionId).toBe(PEC);
  });

  test("a condition that is false skips the resource; a linked template is a notice", () => {
    const out = adaptArmTemplate(
      {
        $schema: SUB_SCHEMA,
        resources: [
          { type: "Microsoft.ManagedServices/registrationDefinitions", name: "x", condition: "[equals(1, 2)]", properties: { managedByTenantId: TENANT } },
          { type: "Microsoft.Resources/deployments", name: "linked", properties: { templateLink: { uri: "https://example.com/t.json" } } },
        ],
      },
      { file: "t.json" },
    );
    expect(out.estate.delegations).toEqual([]);
    expect(out.notices.join("\n")).toMatch(/linked template, which is not followed/);
  });

  test("Key Vault references in a parameters file are unresolved, never read", () => {
    const out = adaptArmTemplate(
      {
        $schema: SUB_SCHEMA,
        parameters: { tenant: { type: "string" } },
        resources: [{ type: "Microsoft.ManagedServices/registrationDefinitions", name: "x", properties: { managedByTenantId: "[parameters('tenant')]" } }],
      },
      {
        file: "t.json",
        parameters: { file: "p.json", document: { parameters: { tenant: { reference: { keyVault: { id: "kv" }, secretName: "s" } } } } },
      },
    );
    const t = out.estate.delegations[0]!.managedByTenantId;
    expect(isUnresolved(t) && t.reason).toMatch(/Key Vault reference/);
  });
});

describe("pairing and detection", () => {
  test("same basename first, then parameter names; ambiguous matches stay unpaired", () => {
    const p = (names: string[], req: string[] = names) => ({ all: new Set(names), required: new Set(req) });
    const r = pairParameters(
      [
        { file: "/d/a.json", params: p(["x", "y"]) },
        { file: "/d/multi.json", params: p(["x", "groups"]) },
        { file: "/d/c1.json", params: p(["z"]) },
        { file: "/d/c2.json", params: p(["z"]) },
      ],
      [
        { file: "/d/a.parameters.json", names: new Set(["x", "y"]) },
        { file: "/d/multiple.parameters.json", names: new Set(["x", "groups"]) },
        { file: "/d/other.parameters.json", names: new Set(["z"]) },
      ],
    );
    expect([...r.pairs.entries()]).toEqual([
      ["/d/a.json", ["/d/a.parameters.json"]],
      ["/d/multi.json", ["/d/multiple.parameters.json"]],
    ]);
    expect(r.unpaired).toEqual([]);
    expect(r.ambiguous).toEqual([{ file: "/d/other.parameters.json", templates: ["/d/c1.json", "/d/c2.json"] }]);
  });

  test("content decides the format", () => {
    expect(detectFormat({ $schema: SUB_SCHEMA, resources: [] }, "x.json")).toBe("arm");
    expect(detectFormat({ $schema: "https://schema.management.azure.com/schemas/2015-01-01/deploymentParameters.json#" }, "x.json")).toBe("arm-parameters");
    expect(detectFormat({ format_version: "1.2", planned_values: {} }, "x.json")).toBe("tf-plan");
    expect(detectFormat({ resource: {} }, "main.tf.json")).toBe("tf-json");
    expect(detectFormat({ resource: {} }, "cdk.tf.json")).toBe("cdktf");
    expect(detectFormat({ version: "0.21.0", stacks: {} }, "manifest.json")).toBe("cdktf-manifest");
    expect(detectFormat({ pecPrincipals: [] }, "x.json")).toBe("config");
    expect(detectFormat({ name: "pkg" }, "package.json")).toBeUndefined();
  });

  test("folder walking skips node_modules and .git; unknown JSON in a folder is ignored", () => {
    write("walk/node_modules/x/t.json", { $schema: SUB_SCHEMA, resources: [] });
    write("walk/.git/t.json", { $schema: SUB_SCHEMA, resources: [] });
    write("walk/sub/t.json", { $schema: SUB_SCHEMA, resources: [] });
    write("walk/package.json", { name: "x" });
    write("walk/notes.txt", "hi");
    const walk = walkFolder(path.join(tmp, "walk"));
    expect(walk.files.map((f) => path.relative(path.join(tmp, "walk"), f))).toEqual(["package.json", path.join("sub", "t.json")]);
    const loaded = loadInputs([path.join(tmp, "walk")]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.files.map((f) => path.basename(f))).toEqual(["t.json"]);
    // What was not searched is said, not silently dropped.
    expect(loaded.notices.join("\n")).toMatch(/walk: not searched: \.git, node_modules .*Fix: name a folder as a path to check it/);
  });

  test("folder walking follows symbolic links to files and folders, once, and survives a link cycle", () => {
    write("targets/t.json", { $schema: SUB_SCHEMA, resources: [] });
    write("targets/more/u.json", { $schema: SUB_SCHEMA, resources: [] });
    fs.mkdirSync(path.join(tmp, "linked"), { recursive: true });
    fs.symlinkSync(path.join(tmp, "targets", "t.json"), path.join(tmp, "linked", "t.json"));
    fs.symlinkSync(path.join(tmp, "targets", "more"), path.join(tmp, "linked", "more"));
    fs.symlinkSync(path.join(tmp, "linked"), path.join(tmp, "linked", "loop"));
    fs.symlinkSync(path.join(tmp, "nowhere"), path.join(tmp, "linked", "broken.json"));
    const files = walkFolder(path.join(tmp, "linked")).files.map((f) => path.relative(path.join(tmp, "linked"), f));
    expect(files).toEqual([path.join("more", "u.json"), "t.json"]);
  });

  test("--parameters pairs a differently named parameters file with the one template", () => {
    const t = write("explicit/template.json", {
      $schema: SUB_SCHEMA,
      parameters: { tenant: { type: "string" } },
      resources: [{ type: "Microsoft.ManagedServices/registrationDefinitions", name: "x", properties: { managedByTenantId: "[parameters('tenant')]" } }],
    });
    const p = write("explicit/prod-values.json", { $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", parameters: { tenant: { value: TENANT } } });
    const loaded = loadInputs([t], { parameters: [p] });
    expect(loaded.errors).toEqual([]);
    expect(loaded.estate.delegations[0]!.managedByTenantId).toBe(TENANT);
    const pair = loadInputs([`${t}=${p}`]);
    expect(pair.estate.delegations[0]!.managedByTenantId).toBe(TENANT);
  });
});

describe("Terraform plan", () => {
  const defValues = (tenant: string) => ({
    name: "offer",
    managing_tenant_id: tenant,
    scope: `/subscriptions/${SUB}`,
    authorization: [{ principal_id: PEC, role_definition_id: CONTRIBUTOR }],
    eligible_authorization: [],
  });

  test("child modules, deleted resources skipped, prior-state resources read, joins through configuration references", () => {
    const out = adaptTerraformPlan(
      {
        format_version: "1.2",
        planned_values: {
          root_module: {
            child_modules: [
              {
                address: "module.customer",
                resources: [
                  { address: "module.customer.azurerm_lighthouse_definition.d[0]", type: "azurerm_lighthouse_definition", name: "d", index: 0, values: defValues(TENANT) },
                  { address: "module.customer.azurerm_lighthouse_assignment.a[0]", type: "azurerm_lighthouse_assignment", name: "a", index: 0, values: { scope: `/subscriptions/${SUB}` } },
                ],
              },
            ],
          },
        },
        resource_changes: [
          { address: "azurerm_lighthouse_definition.old", type: "azurerm_lighthouse_definition", name: "old", change: { actions: ["delete"], before: defValues(TENANT), after: null } },
        ],
        prior_state: {
          values: {
            root_module: {
              resources: [{ address: "azurerm_lighthouse_definition.kept", type: "azurerm_lighthouse_definition", name: "kept", values: defValues("55555555-5555-5555-5555-555555555555") }],
            },
          },
        },
        configuration: {
          root_module: {
            module_calls: {
              customer: {
                module: {
                  resources: [
                    { address: "azurerm_lighthouse_assignment.a", expressions: { lighthouse_definition_id: { references: ["azurerm_lighthouse_definition.d[0].id", "azurerm_lighthouse_definition.d[0]", "azurerm_lighthouse_definition.d"] } } },
                  ],
                },
              },
            },
          },
        },
      },
      "plan.json",
    );
    const names = out.estate.delegations.map((d) => d.name);
    expect(names).toEqual(["module.customer.azurerm_lighthouse_definition.d[0]", "azurerm_lighthouse_definition.kept"]);
    expect(out.estate.delegations[0]!.assignments.map((a) => a.scope)).toEqual([`/subscriptions/${SUB}`]);
    expect(out.estate.delegations[1]!.source.path).toBe("$.prior_state.values.root_module.resources[0].values");
  });

  test("azapi registration definition + assignment (body object or JSON string) and a PAL action", () => {
    const body = { properties: { registrationDefinitionName: "offer", managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }] } };
    const out = adaptTerraformPlan(
      {
        format_version: "1.2",
        planned_values: {
          root_module: {
            resources: [
              { address: "azapi_resource.def", type: "azapi_resource", name: "def", values: { type: "Microsoft.ManagedServices/registrationDefinitions@2022-10-01", name: PEC, parent_id: `/subscriptions/${SUB}`, body } },
              {
                address: "azapi_resource.asg",
                type: "azapi_resource",
                name: "asg",
                values: {
                  type: "Microsoft.ManagedServices/registrationAssignments@2022-10-01",
                  name: "22222222-2222-2222-2222-222222222222",
                  parent_id: `/subscriptions/${SUB}`,
                  body: JSON.stringify({ properties: { registrationDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${PEC}` } }),
                },
              },
              { address: "azapi_resource_action.pal", type: "azapi_resource_action", name: "pal", values: { type: "Microsoft.ManagementPartner/partners@2018-02-01", resource_id: "/providers/Microsoft.ManagementPartner/partners/1234567", method: "PUT" } },
              { address: "azapi_resource_action.unlink", type: "azapi_resource_action", name: "unlink", values: { type: "Microsoft.ManagementPartner/partners@2018-02-01", resource_id: "/providers/Microsoft.ManagementPartner/partners/1234567", method: "DELETE", when: "destroy" } },
            ],
          },
        },
      },
      "plan.json",
    );
    expect(out.estate.delegations).toHaveLength(1);
    const d = out.estate.delegations[0]!;
    expect(d.authorizations[0]!.principalId).toBe(PEC);
    expect(d.assignments.map((a) => a.assignmentId)).toEqual(["22222222-2222-2222-2222-222222222222"]);
    expect(out.estate.partnerLinks.map((l) => [l.name, l.partnerId])).toEqual([["azapi_resource_action.pal", "1234567"]]);
  });
});

describe("JSON path -> line", () => {
  test("maps nested paths to their lines and falls back to the nearest ancestor", () => {
    const text = '{\n  "a": {\n    "b": [\n      1,\n      {"c": "x\\"y"}\n    ]\n  },\n  "d e": 2\n}\n';
    const lines = jsonPathLines(text);
    expect(lines.get("$.a")).toBe(2);
    expect(lines.get("$.a.b[1].c")).toBe(5);
    expect(lines.get('$["d e"]')).toBe(8);
    expect(lineOf(lines, "$.a.b[1].missing")).toBe(5);
  });
});
