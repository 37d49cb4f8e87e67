/**
 * Terraform inputs shaped as real users write them: azapi 1.x and 2.x bodies, plans whose unknown values are left out
 * of `after`, chained `for_each`, references to instances of a resource whose `count` is an expression. Each test runs
 * the real CLI (`partnerlink check`) on files written to a temp folder, and every finding's path must be in the file
 * it names (formats/json-lines.ts, what SARIF uses for a finding's line).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { jsonPathLines } from "../../formats/json-lines";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "/subscriptions/66666666-6666-6666-6666-666666666666";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const DEF_GUID = "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC], allowedManagingTenants: [TENANT] };

const temp = tempFolders("pl-tf-real-");

/** Runs `check <file> --format json` in a fresh folder holding `file` and the config. */
async function check(name: string, file: string, content: unknown) {
  const dir = temp.folder(name, { "partnerlink.config.json": CONFIG, [file]: content });
  const run = await runCli(["check", file, "--format", "json"], { cwd: dir });
  const findings = run.stdout ? findingsOf(run) : [];
  const paths = jsonPathLines(fs.readFileSync(path.join(dir, file), "utf8"));
  const notInFile = findings.filter((f) => f.path && !paths.has(f.path)).map((f) => `${f.ruleId} ${f.path}`);
  return { run, findings, notInFile };
}

const DEFINITION_TYPE = "Microsoft.ManagedServices/registrationDefinitions@2022-10-01";
const ASSIGNMENT_TYPE = "Microsoft.ManagedServices/registrationAssignments@2022-10-01";

describe("azapi registration definitions", () => {
  test("Terraform JSON, azapi 1.x body = jsonencode(...): read as not known before plan, no input error", async () => {
    const body = { properties: { registrationDefinitionName: "Offer", managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: READER }] } };
    const tf = {
      resource: {
        azapi_resource: {
          def: { type: DEFINITION_TYPE, name: DEF_GUID, parent_id: SUB, body: `\${jsonencode(${JSON.stringify(body)})}` },
        },
      },
    };
    const { run, findings } = await check("azapi1-tfjson", "main.tf.json", tf);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // The PEC rules cannot see the authorizations: PL012 says so, nothing is guessed.
    expect(findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(["PL012"]));
    expect(findings.filter((f) => f.ruleId !== "PL012")).toEqual([]);
    expect(findings.every((f) => f.resource === "azapi_resource.def")).toBe(true);
  });
});

/** A `terraform show -json` plan creating these resources (`after` and `after_unknown` given per resource). */
function plan(changes: { address: string; type: string; after: Record<string, unknown>; afterUnknown?: Record<string, unknown>; index?: unknown }[], configuration: unknown = { root_module: {} }) {
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    planned_values: { root_module: {} },
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: "managed",
      type: c.type,
      name: c.address.replace(/\[.*\]$/, "").split(".").pop(),
      ...(c.index === undefined ? {} : { index: c.index }),
      provider_name: c.type.startsWith("azapi") ? "registry.terraform.io/azure/azapi" : "registry.terraform.io/hashicorp/azurerm",
      change: { actions: ["create"], before: null, after: c.after, after_unknown: c.afterUnknown ?? { id: true }, before_sensitive: false, after_sensitive: {} },
    })),
    configuration,
  };
}

describe("azapi findings point where azapi has the property", () => {
  const readerBody = { properties: { registrationDefinitionName: "Offer", managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: READER }] } };

  test("plan, azapi 1.x body as a JSON string: findings point at `body`, not inside the string", async () => {
    const p = plan([{ address: "azapi_resource.def", type: "azapi_resource", after: { type: DEFINITION_TYPE, name: DEF_GUID, parent_id: SUB, body: JSON.stringify(readerBody) } }]);
    const { findings, notInFile } = await check("azapi1-plan", "plan.json", p);
    expect(findings.map((f) => [f.ruleId, f.resource, f.path])).toEqual([["PL003", "azapi_resource.def", "$.resource_changes[0].change.after.body"]]);
    expect(findings[0]!.message).toMatch(/Fix: set roleDefinitionId to b24988ac/);
    expect(notInFile).toEqual([]);
  });

  test("Terraform JSON, azapi 2.x: tenant, scope and IDs are reported at body.properties.*, parent_id and name", async () => {
    const tf = {
      resource: {
        azapi_resource: {
          def: {
            type: DEFINITION_TYPE,
            name: "not-a-guid",
            parent_id: `${SUB}/resourceGroups/rg`,
            body: { properties: { ...readerBody.properties, managedByTenantId: "99999999-9999-9999-9999-999999999999", authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }] } },
          },
          asg: { type: ASSIGNMENT_TYPE, name: "also-not-a-guid", parent_id: "${var.scope}", body: { properties: { registrationDefinitionId: "${azapi_resource.def.id}" } } },
        },
      },
    };
    const { findings, notInFile } = await check("azapi2-tfjson", "main.tf.json", tf);
    expect(findings.map((f) => [f.ruleId, f.path]).sort()).toEqual([
      ["PL006", "$.resource.azapi_resource.def.parent_id"],
      ["PL009", "$.resource.azapi_resource.def.body.properties.managedByTenantId"],
      ["PL010", "$.resource.azapi_resource.asg.name"],
      ["PL010", "$.resource.azapi_resource.def.name"],
      ["PL012", "$.resource.azapi_resource.asg.parent_id"],
    ]);
    expect(findings.find((f) => f.ruleId === "PL009")!.message).toMatch(/Fix: set body\.properties\.managedByTenantId to the partner tenant/);
    expect(notInFile).toEqual([]);
  });

  test("Terraform JSON, azapi 1.x body not known before plan: PL012 points at `body`", async () => {
    const tf = { resource: { azapi_resource: { def: { type: DEFINITION_TYPE, name: DEF_GUID, parent_id: SUB, body: "${jsonencode(local.definition)}" } } } };
    const { findings, notInFile } = await check("azapi1-unknown", "main.tf.json", tf);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.path)).toEqual(findings.map(() => "$.resource.azapi_resource.def.body"));
    expect(notInFile).toEqual([]);
  });
});

describe("values a plan knows only after apply", () => {
  const definition = { name: "Offer", description: null, managing_tenant_id: TENANT, scope: SUB, eligible_authorization: [], plan: [] };

  test("PL012 points at after_unknown, where the plan marks the value (it leaves it out of after)", async () => {
    // principal_id = azuread_service_principal.pec.object_id, created in the same plan.
    const p = plan([
      {
        address: "azurerm_lighthouse_definition.d",
        type: "azurerm_lighthouse_definition",
        after: { ...definition, authorization: [{ role_definition_id: CONTRIBUTOR, principal_display_name: "PEC", delegated_role_definition_ids: null }] },
        afterUnknown: { id: true, lighthouse_definition_id: true, authorization: [{ principal_id: true }], eligible_authorization: [], plan: [] },
      },
    ]);
    const { findings, notInFile } = await check("unknown-principal", "plan.json", p);
    expect(findings.map((f) => [f.ruleId, f.resource, f.path])).toEqual([["PL012", "azurerm_lighthouse_definition.d", "$.resource_changes[0].change.after_unknown.authorization[0].principal_id"]]);
    expect(notInFile).toEqual([]);
  });

  test("a whole block list unknown (a dynamic block over a value known at apply): one PL012 at after_unknown.authorization", async () => {
    const p = plan([{ address: "azurerm_lighthouse_definition.d", type: "azurerm_lighthouse_definition", after: definition, afterUnknown: { id: true, lighthouse_definition_id: true, authorization: true } }]);
    const { findings, notInFile } = await check("unknown-blocks", "plan.json", p);
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["PL012", "$.resource_changes[0].change.after_unknown.authorization"]]);
    expect(findings[0]!.message).toMatch(/PL001\/PL002\/PL003\/PL004\/PL005\/PL007\/PL008\/PL014 could not check it/);
    expect(notInFile).toEqual([]);
  });

  test("an assignment whose definition comes from elsewhere (a data source): PL012 at after_unknown.lighthouse_definition_id", async () => {
    const p = plan([{ address: "azurerm_lighthouse_assignment.a", type: "azurerm_lighthouse_assignment", after: { scope: SUB }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } }]);
    const { findings, notInFile } = await check("unknown-definition", "plan.json", p);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((f) => f.path))).toEqual(new Set(["$.resource_changes[0].change.after_unknown.lighthouse_definition_id"]));
    expect(notInFile).toEqual([]);
  });

  test("Terraform JSON, a subscription created through an alias (no subscription_id): PL012 names the resource and the attribute", async () => {
    const tf = { resource: { azurerm_subscription: { s: { alias: "new", subscription_name: "New", billing_scope_id: "${data.azurerm_billing_mca_account_scope.x.id}" } } } };
    const { findings, notInFile } = await check("subscription-alias", "main.tf.json", tf);
    expect(findings.map((f) => [f.ruleId, f.resource, f.path])).toEqual([["PL012", "azurerm_subscription.s", "$.resource.azurerm_subscription.s"]]);
    expect(findings[0]!.message).toMatch(/subscription_id is not set/);
    expect(notInFile).toEqual([]);
  });
});

describe("an assignment joins the definition it references", () => {
  const SUB_B = "/subscriptions/77777777-7777-7777-7777-777777777777";
  const definition = (name: string, scope: string, role: string) => ({
    name,
    description: null,
    managing_tenant_id: TENANT,
    scope,
    eligible_authorization: [],
    plan: [],
    authorization: [{ principal_id: PEC, role_definition_id: role, principal_display_name: "PEC", delegated_role_definition_ids: null }],
  });
  const notInInput = (findings: { message: string }[]) => findings.filter((f) => /is not in this input/.test(f.message));

  test("plan, chained for_each (for_each = azurerm_lighthouse_definition.def, lighthouse_definition_id = each.value.id)", async () => {
    const p = plan(
      [
        { address: 'azurerm_lighthouse_definition.def["a"]', index: "a", type: "azurerm_lighthouse_definition", after: definition("A", SUB, CONTRIBUTOR), afterUnknown: { id: true, lighthouse_definition_id: true } },
        { address: 'azurerm_lighthouse_assignment.asg["a"]', index: "a", type: "azurerm_lighthouse_assignment", after: { scope: SUB }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } },
        { address: 'azurerm_lighthouse_definition.def["b"]', index: "b", type: "azurerm_lighthouse_definition", after: definition("B", SUB_B, READER), afterUnknown: { id: true, lighthouse_definition_id: true } },
        { address: 'azurerm_lighthouse_assignment.asg["b"]', index: "b", type: "azurerm_lighthouse_assignment", after: { scope: SUB_B }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } },
      ],
      {
        root_module: {
          resources: [
            { address: "azurerm_lighthouse_definition.def", mode: "managed", type: "azurerm_lighthouse_definition", name: "def", provider_config_key: "azurerm", expressions: {}, for_each_expression: { references: ["var.customers"] } },
            {
              address: "azurerm_lighthouse_assignment.asg",
              mode: "managed",
              type: "azurerm_lighthouse_assignment",
              name: "asg",
              provider_config_key: "azurerm",
              expressions: { lighthouse_definition_id: { references: ["each.value.id", "each.value"] }, scope: { references: ["each.value.scope", "each.value"] } },
              for_each_expression: { references: ["azurerm_lighthouse_definition.def"] },
            },
          ],
        },
      },
    );
    const { findings, notInFile } = await check("plan-chained-for-each", "plan.json", p);
    expect(notInInput(findings)).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.resource])).toEqual([["PL003", 'azurerm_lighthouse_definition.def["b"]']]);
    expect(notInFile).toEqual([]);
  });

  test("plan, one lighthouse_definition_id in two subscriptions: each assignment joins the definition in its own subscription", async () => {
    const fixed = (name: string, scope: string, role: string) => ({ ...definition(name, scope, role), lighthouse_definition_id: DEF_GUID });
    const assignment = (scope: string) => ({ scope, lighthouse_definition_id: `${scope}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF_GUID}` });
    const p = plan([
      { address: 'azurerm_lighthouse_definition.def["a"]', index: "a", type: "azurerm_lighthouse_definition", after: fixed("A", SUB, READER) },
      { address: 'azurerm_lighthouse_definition.def["b"]', index: "b", type: "azurerm_lighthouse_definition", after: fixed("B", SUB_B, CONTRIBUTOR) },
      // Listed in the other order than the definitions: the join must not hang on the order.
      { address: 'azurerm_lighthouse_assignment.asg["b"]', index: "b", type: "azurerm_lighthouse_assignment", after: assignment(SUB_B), afterUnknown: { id: true, name: true } },
      { address: 'azurerm_lighthouse_assignment.asg["a"]', index: "a", type: "azurerm_lighthouse_assignment", after: assignment(SUB), afterUnknown: { id: true, name: true } },
    ]);
    const subscriptions = [SUB, SUB_B].map((s) => ({ subscriptionId: s.split("/")[2], agreement: "CSP" }));
    const dir = temp.folder("plan-one-guid-two-subscriptions", { "partnerlink.config.json": { ...CONFIG, subscriptions }, "plan.json": p });
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    // A's subscription lacks the credit (its PEC principal is a Reader): A's assignment is A's. Joined to B's
    // definition (the last with the GUID), it would have made B's Contributor count for A's subscription.
    expect(findingsOf(run).map((f) => [f.ruleId, f.resource])).toEqual([
      ["PL007", expect.stringContaining(SUB.split("/")[2]!)],
      ["PL003", 'azurerm_lighthouse_definition.def["a"]'],
    ]);
  });

  test("plan, the definition in a module: through a module output (root) and a module variable (another module)", async () => {
    const resource = (address: string, type: string, expressions: Record<string, unknown>) => ({ address, mode: "managed", type, name: address.split(".").pop(), provider_config_key: "azurerm", expressions });
    const p = plan(
      [
        { address: "module.defs.azurerm_lighthouse_definition.d", type: "azurerm_lighthouse_definition", after: definition("Offer", SUB, READER), afterUnknown: { id: true, lighthouse_definition_id: true } },
        { address: "azurerm_lighthouse_assignment.a", type: "azurerm_lighthouse_assignment", after: { scope: SUB }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } },
        { address: "module.asg.azurerm_lighthouse_assignment.a", type: "azurerm_lighthouse_assignment", after: { scope: SUB }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } },
      ],
      {
        root_module: {
          resources: [resource("azurerm_lighthouse_assignment.a", "azurerm_lighthouse_assignment", { lighthouse_definition_id: { references: ["module.defs.definition_id", "module.defs"] } })],
          module_calls: {
            defs: {
              source: "./defs",
              module: {
                outputs: { definition_id: { expression: { references: ["azurerm_lighthouse_definition.d.id", "azurerm_lighthouse_definition.d"] } } },
                resources: [resource("azurerm_lighthouse_definition.d", "azurerm_lighthouse_definition", {})],
              },
            },
            asg: {
              source: "./assignment",
              expressions: { definition_id: { references: ["module.defs.definition_id", "module.defs"] } },
              module: { variables: { definition_id: {} }, resources: [resource("azurerm_lighthouse_assignment.a", "azurerm_lighthouse_assignment", { lighthouse_definition_id: { references: ["var.definition_id"] } })] },
            },
          },
        },
      },
    );
    const { findings, notInFile } = await check("plan-module-output", "plan.json", p);
    expect(notInInput(findings)).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.resource])).toEqual([["PL003", "module.defs.azurerm_lighthouse_definition.d"]]);
    expect(notInFile).toEqual([]);
  });

  test('plan, a module with for_each: module.defs["b"].definition_id joins the definition in that module instance', async () => {
    const p = plan(
      [
        { address: 'module.defs["a"].azurerm_lighthouse_definition.d', type: "azurerm_lighthouse_definition", after: definition("A", SUB, CONTRIBUTOR), afterUnknown: { id: true, lighthouse_definition_id: true } },
        { address: 'module.defs["b"].azurerm_lighthouse_definition.d', type: "azurerm_lighthouse_definition", after: definition("B", SUB_B, CONTRIBUTOR), afterUnknown: { id: true, lighthouse_definition_id: true } },
        // Not joined, it would be a PL012 ("not in this input") and subscription b uncovered (PL007).
        { address: "azurerm_lighthouse_assignment.b", type: "azurerm_lighthouse_assignment", after: { scope: SUB_B }, afterUnknown: { id: true, name: true, lighthouse_definition_id: true } },
        { address: "azurerm_subscription.b", type: "azurerm_subscription", after: { alias: "b", subscription_name: "B", subscription_id: SUB_B.split("/")[2], billing_scope_id: null, workload: "Production", tags: null } },
      ],
      {
        root_module: {
          resources: [
            {
              address: "azurerm_lighthouse_assignment.b",
              mode: "managed",
              type: "azurerm_lighthouse_assignment",
              name: "b",
              provider_config_key: "azurerm",
              expressions: { lighthouse_definition_id: { references: ['module.defs["b"].definition_id', 'module.defs["b"]', "module.defs"] } },
            },
          ],
          module_calls: {
            defs: {
              source: "./defs",
              for_each_expression: { references: ["var.customers"] },
              module: {
                outputs: { definition_id: { expression: { references: ["azurerm_lighthouse_definition.d.id", "azurerm_lighthouse_definition.d"] } } },
                resources: [{ address: "azurerm_lighthouse_definition.d", mode: "managed", type: "azurerm_lighthouse_definition", name: "d", provider_config_key: "azurerm", expressions: {} }],
              },
            },
          },
        },
      },
    );
    const { findings, notInFile } = await check("plan-module-instance-output", "plan.json", p);
    // Joined to module.defs["b"] (scope SUB_B): subscription b is covered, so no finding at all.
    expect(findings).toEqual([]);
    expect(notInFile).toEqual([]);
  });

  test("Terraform JSON and CDKTF (an iterator over the definitions): chained for_each joins every definition instance", async () => {
    const tf = {
      resource: {
        azurerm_lighthouse_definition: {
          def: {
            for_each: { a: { scope: SUB, role: CONTRIBUTOR }, b: { scope: SUB_B, role: READER } },
            name: "Offer ${each.key}",
            managing_tenant_id: TENANT,
            scope: "${each.value.scope}",
            authorization: [{ principal_id: PEC, role_definition_id: "${each.value.role}" }],
          },
        },
        azurerm_lighthouse_assignment: { asg: { for_each: "${azurerm_lighthouse_definition.def}", scope: "${each.value.scope}", lighthouse_definition_id: "${each.value.id}" } },
      },
    };
    for (const [name, file] of [["tfjson-chained", "main.tf.json"], ["cdktf-chained", "cdk.tf.json"]] as const) {
      const { findings, notInFile } = await check(name, file, tf);
      expect(notInInput(findings)).toEqual([]);
      expect(findings.filter((f) => f.ruleId !== "PL012").map((f) => [f.ruleId, f.resource])).toEqual([["PL003", 'azurerm_lighthouse_definition.def["b"]']]);
      // The assignment's scope is each definition's: not known before plan.
      expect(new Set(findings.filter((f) => f.ruleId === "PL012").map((f) => f.path))).toEqual(new Set(["$.resource.azurerm_lighthouse_assignment.asg.scope"]));
      expect(notInFile).toEqual([]);
    }
  });

  test("Terraform JSON, def[0] of a definition whose count is an expression (read as one resource)", async () => {
    const tf = {
      resource: {
        azurerm_lighthouse_definition: { def: { count: "${var.enabled ? 1 : 0}", name: "Offer", managing_tenant_id: TENANT, scope: SUB, authorization: [{ principal_id: PEC, role_definition_id: READER }] } },
        azurerm_lighthouse_assignment: { asg: { count: "${var.enabled ? 1 : 0}", scope: SUB, lighthouse_definition_id: "${azurerm_lighthouse_definition.def[0].id}" } },
      },
    };
    const { findings, notInFile } = await check("tfjson-count-expression", "main.tf.json", tf);
    expect(findings.map((f) => [f.ruleId, f.resource])).toEqual([["PL003", "azurerm_lighthouse_definition.def"]]);
    expect(notInFile).toEqual([]);
  });
});

describe("a value of the wrong type is an input error at its own path", () => {
  const DEFINITION = { name: "Offer", managing_tenant_id: TENANT, scope: SUB };
  const auth = { principal_id: PEC, role_definition_id: CONTRIBUTOR };
  const azapi = (body: unknown) => ({ resource: { azapi_resource: { d: { type: DEFINITION_TYPE, name: DEF_GUID, parent_id: SUB, body } } } });
  test.each([
    ["an authorization's principal_id", { resource: { azurerm_lighthouse_definition: { d: { ...DEFINITION, authorization: [{ ...auth, principal_id: [PEC] }] } } } }, "$.resource.azurerm_lighthouse_definition.d.authorization[0].principal_id"],
    ["a delegated role ID", { resource: { azurerm_lighthouse_definition: { d: { ...DEFINITION, authorization: [{ ...auth, delegated_role_definition_ids: [[CONTRIBUTOR]] }] } } } }, "$.resource.azurerm_lighthouse_definition.d.authorization[0].delegated_role_definition_ids[0]"],
    [
      "an approver's principal_id",
      { resource: { azurerm_lighthouse_definition: { d: { ...DEFINITION, authorization: [auth], eligible_authorization: [{ ...auth, just_in_time_access_policy: { approver: [{ principal_id: { id: PEC } }] } }] } } } },
      "$.resource.azurerm_lighthouse_definition.d.eligible_authorization[0].just_in_time_access_policy.approver[0].principal_id",
    ],
    [
      "a just-in-time maximum_activation_duration",
      { resource: { azurerm_lighthouse_definition: { d: { ...DEFINITION, authorization: [auth], eligible_authorization: [{ ...auth, just_in_time_access_policy: [{ maximum_activation_duration: ["PT4H"] }] }] } } } },
      "$.resource.azurerm_lighthouse_definition.d.eligible_authorization[0].just_in_time_access_policy[0].maximum_activation_duration",
    ],
    ["azapi body.properties.managedByTenantId", azapi({ properties: { managedByTenantId: 7, authorizations: [] } }), "$.resource.azapi_resource.d.body.properties.managedByTenantId"],
    ["azapi body as a JSON string", azapi(JSON.stringify({ properties: { managedByTenantId: TENANT, authorizations: [{ principalId: 5, roleDefinitionId: CONTRIBUTOR }] } })), "$.resource.azapi_resource.d.body"],
  ])("%s", async (name, tf, where) => {
    const { run } = await check(`wrong-type-${name.replace(/\W+/g, "-")}`, "main.tf.json", tf);
    expect(run.code).toBe(2);
    const errors = (JSON.parse(run.stdout) as { inputErrors: { path: string; message: string }[] }).inputErrors;
    expect(errors.map((e) => e.path)).toEqual([where]);
    expect(errors[0]!.message).toMatch(/must be a string, got/);
  });
});

describe("findings on an assignment's attributes name the assignment", () => {
  test("Terraform JSON: PL010 on the assignment's name names azurerm_lighthouse_assignment.a, and the waiver in its '//' block covers it", async () => {
    const waive = { "partnerlink:waive": [{ rule: "PL010", reason: "name set by the customer's pipeline", expires: "2099-01-31" }] };
    const tf = {
      resource: {
        azurerm_lighthouse_definition: { d: { name: "Offer", managing_tenant_id: TENANT, scope: SUB, authorization: [{ principal_id: PEC, role_definition_id: CONTRIBUTOR }] } },
        azurerm_lighthouse_assignment: {
          a: { "//": waive, name: "customer-a", scope: SUB, lighthouse_definition_id: "${azurerm_lighthouse_definition.d.id}" },
          b: { name: "customer-b", scope: SUB, lighthouse_definition_id: "${azurerm_lighthouse_definition.d.id}" },
        },
      },
    };
    const { run, findings, notInFile } = await check("assignment-resource", "main.tf.json", tf);
    expect(findings.map((f) => [f.ruleId, f.resource, f.path, f.suppressed?.kind ?? "open"])).toEqual([
      ["PL010", "azurerm_lighthouse_assignment.a", "$.resource.azurerm_lighthouse_assignment.a.name", "inline"],
      ["PL010", "azurerm_lighthouse_assignment.b", "$.resource.azurerm_lighthouse_assignment.b.name", "open"],
    ]);
    expect(findings[1]!.message).toMatch(/^'azurerm_lighthouse_assignment\.b' \(\$\.resource\.azurerm_lighthouse_assignment\.b\.name\): "customer-b" is not a registration assignment ID/);
    expect(run.code).toBe(1);
    expect(notInFile).toEqual([]);
  });
});

describe("a number or bool for a string attribute is converted, as Terraform does", () => {
  const pal = (name: unknown) => ({ resource: { azapi_resource: { pal: { type: "Microsoft.ManagementPartner/partners@2018-02-01", name, parent_id: "/" } } } });

  test('Terraform JSON: "name": 1234567 is partner ID "1234567", not an input error', async () => {
    const { run, findings } = await check("number-partner-id", "main.tf.json", pal(1234567));
    expect(run.stderr).toBe("");
    expect(findings.filter((f) => f.ruleId === "PL010")).toEqual([]);
    expect(run.code).toBe(0);
  });

  test("Terraform JSON: principal_id 123 is checked as \"123\" (PL010), not refused", async () => {
    const tf = { resource: { azurerm_lighthouse_definition: { d: { name: "Offer", managing_tenant_id: TENANT, scope: SUB, authorization: [{ principal_id: 123, role_definition_id: CONTRIBUTOR }] } } } };
    const { findings, notInFile } = await check("number-principal", "main.tf.json", tf);
    expect(findings.find((f) => f.ruleId === "PL010")?.path).toBe("$.resource.azurerm_lighthouse_definition.d.authorization[0].principal_id");
    expect(notInFile).toEqual([]);
  });

  test("a number past 2^53 (digits lost when parsed) is an input error asking to quote it, never a guessed ID", async () => {
    const { run } = await check("huge-number", "main.tf.json", pal(12345678901234567890));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/at \$\.resource\.azapi_resource\.pal\.name: azapi_resource\.pal: 'name' must be a string, got a number too large to read exactly; quote it/);
  });
});

test("Terraform JSON: a count past the number range (1e400) is refused as too large, not as 'got null'", async () => {
  const text = `{"resource":{"azurerm_lighthouse_definition":{"d":{"count":1e400,"name":"Offer","managing_tenant_id":"${TENANT}","scope":"${SUB}","authorization":[]}}}}`;
  const { run } = await check("count-1e400", "main.tf.json", text);
  expect(run.code).toBe(2);
  expect(run.stderr.trim()).toBe("partnerlink check: main.tf.json at $.resource.azurerm_lighthouse_definition.d.count: azurerm_lighthouse_definition.d: count must be a whole number of 0 or more, got a number too large");
});

describe("Terraform state instead of a plan", () => {
  test("`terraform show -json` of state is named as such, with the commands that give a plan (exit 2, no stack trace)", async () => {
    const state = { format_version: "1.0", terraform_version: "1.9.8", values: { root_module: { resources: [] } } };
    const { run } = await check("state", "state.json", state);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "partnerlink check: state.json: is Terraform state (`terraform show -json` without a plan file), which says what is deployed, not what a plan changes; run `terraform plan -out tfplan` and check `terraform show -json tfplan`, or run partnerlink audit for what is deployed\n",
    );
  });

  test("an OpenTofu encrypted plan or state file (JSON around the ciphertext) is named as such, with the command that gives a plan", async () => {
    // opentofu/opentofu internal/encryption/base.go: `basedata` is what an encrypted plan or state file holds.
    const encrypted = { meta: { "key_provider.pbkdf2.key": "eyJzYWx0IjoiIn0=" }, encrypted_data: "c2VjcmV0", encryption_version: "v0" };
    const { run } = await check("encrypted", "tfplan.json", encrypted);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^partnerlink check: tfplan\.json: is an OpenTofu encrypted plan or state file.*`tofu show -json <planfile>`/);
  });
});

describe("a plan Terraform or OpenTofu could not finish", () => {
  // `terraform plan -out` saves the partial plan of a run that failed (exit 1) and `terraform show -json` prints it
  // with "errored": true, leaving out what failed to plan (hashicorp/terraform internal/command/show_test.go with
  // testdata/show-json/plan-error; OpenTofu's copy of both is the same).
  const configuration = {
    root_module: {
      resources: [
        { address: "azurerm_lighthouse_definition.d", mode: "managed", type: "azurerm_lighthouse_definition", name: "d", provider_config_key: "azurerm", expressions: {}, schema_version: 0 },
        { address: "azurerm_lighthouse_assignment.a", mode: "managed", type: "azurerm_lighthouse_assignment", name: "a", provider_config_key: "azurerm", expressions: { lighthouse_definition_id: { references: ["azurerm_lighthouse_definition.d.id", "azurerm_lighthouse_definition.d"] } }, schema_version: 0 },
      ],
    },
  };
  test.each([
    ["Terraform 1.13", { format_version: "1.2", terraform_version: "1.13.3", planned_values: { root_module: {} }, prior_state: {}, configuration, timestamp: "2026-08-01T10:00:00Z", applyable: false, complete: false, errored: true }],
    ["OpenTofu 1.10", { format_version: "1.2", terraform_version: "1.10.5", planned_values: { root_module: {} }, prior_state: {}, configuration, timestamp: "2026-08-01T10:00:00Z", errored: true }],
  ])("%s: an errored plan is refused (exit 2), not passed for the resources it leaves out", async (name, p) => {
    const { run } = await check(`errored-${name.split(" ")[0]}`, "plan.json", p);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^partnerlink check: plan\.json at \$\.errored: the plan is partial: planning stopped at an error/);
  });
});

describe("one assignment joined to several definition instances", () => {
  test("a chained for_each assignment with a malformed scope gives one PL010, not one per definition instance", async () => {
    const fixture = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "fixtures", "check", "tfjson", "good.tf.json"), "utf8"));
    const def = fixture.resource.azurerm_lighthouse_definition.contoso;
    def.for_each = { a: "a", b: "b" };
    def.name = "Contoso PEC ${each.key}";
    delete def.lighthouse_definition_id;
    const asg = fixture.resource.azurerm_lighthouse_assignment.customer;
    asg.for_each = "${azurerm_lighthouse_definition.contoso}";
    asg.lighthouse_definition_id = "${each.value.id}";
    asg.scope = "/subscriptions/not-a-guid";
    const { findings, notInFile } = await check("chained-scope", "chain.tf.json", fixture);
    expect(findings.filter((f) => f.ruleId === "PL010").map((f) => [f.resource, f.path])).toEqual([
      ["azurerm_lighthouse_assignment.customer", "$.resource.azurerm_lighthouse_assignment.customer.scope"],
    ]);
    expect(notInFile).toEqual([]);
  });
});

describe("a number where azapi's body needs a string", () => {
  test("is 'got a number' (azapi sends it as it is), not the 'too large to read exactly' of a converted attribute", async () => {
    const tf = {
      resource: {
        azapi_resource: {
          def: {
            type: DEFINITION_TYPE,
            name: DEF_GUID,
            parent_id: SUB,
            body: { properties: { registrationDefinitionName: 12345, managedByTenantId: TENANT, authorizations: [{ principalId: PEC, roleDefinitionId: CONTRIBUTOR }] } },
          },
        },
      },
    };
    const { run } = await check("azapi-number", "main.tf.json", tf);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/'registrationDefinitionName' must be a string, got a number\b/);
    expect(run.stderr).not.toMatch(/too large/);
  });
});
