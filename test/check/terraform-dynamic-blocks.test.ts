/**
 * `dynamic "authorization"` / `dynamic "eligible_authorization"` blocks in Terraform JSON and CDKTF output: read
 * as blocks (expanded from a literal for_each, unresolved otherwise), never ignored; a plan has them expanded.
 * Each test runs the real CLI (`partnerlink check`) on files written to a temp folder.
 */
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const OPS = "22222222-2222-2222-2222-222222222222";
const APPROVER = "33333333-3333-3333-3333-333333333333";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };
const DEF = "$.resource.azurerm_lighthouse_definition.c";

const temp = tempFolders("pl-dynamic-");

/** A fresh folder with these files (objects written as JSON) and the partnerlink config. */
function folder(name: string, files: Record<string, unknown>): string {
  return temp.folder(name, { "partnerlink.config.json": CONFIG, ...files });
}

/** A Terraform JSON document with one lighthouse definition whose body is `body` (plus the required attributes). */
function definition(body: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...extra, resource: { azurerm_lighthouse_definition: { c: { name: "C", managing_tenant_id: TENANT, scope: `/subscriptions/${SUB}`, ...body } } } };
}

/** What the user trial had: every authorization from a dynamic block over a variable. */
const FROM_VARIABLE = {
  dynamic: {
    authorization: {
      for_each: "${var.auths}",
      content: { principal_id: "${authorization.value.pid}", role_definition_id: "${authorization.value.role}" },
    },
  },
};

/** A manifest + stack, as `cdktf synth` writes them. */
function cdktfOut(stack: unknown) {
  return {
    "cdktf.out/manifest.json": { version: "0.21.0", stacks: { main: { name: "main", synthesizedStackPath: "stacks/main/cdk.tf.json", workingDirectory: "stacks/main" } } },
    "cdktf.out/stacks/main/cdk.tf.json": stack,
  };
}

describe("a dynamic block whose for_each is an expression", () => {
  test("Terraform JSON: no false PL001; PL012 names the dynamic block and its for_each; exit 0", async () => {
    const dir = folder("tfjson-variable", { "main.tf.json": definition(FROM_VARIABLE) });
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.map((f) => f.ruleId)).toEqual(["PL012", "PL012"]);
    expect(findings.map((f) => f.path).sort()).toEqual([`${DEF}.dynamic.authorization.content.principal_id`, `${DEF}.dynamic.authorization.content.role_definition_id`]);
    for (const f of findings) {
      expect(f.message).toContain('dynamic "authorization"');
      expect(f.message).toContain("${var.auths}");
    }
    expect(run.code).toBe(0);
  });

  test("CDKTF output (an iterator's `each`, for_each `${toset(...)}`, read through manifest.json): no false PL001", async () => {
    const stack = definition(
      {
        "//": { metadata: { path: "main/c", uniqueId: "c" } },
        dynamic: {
          authorization: {
            for_each: "${toset(var.auths)}",
            iterator: "each",
            content: { principal_id: "${each.value.pid}", role_definition_id: "${each.value.role}" },
          },
          eligible_authorization: {
            for_each: "${var.eligible}",
            iterator: "each",
            content: { principal_id: "${each.value}", role_definition_id: CONTRIBUTOR },
          },
        },
      },
      { "//": { metadata: { backend: "local", stackName: "main", version: "0.21.0" } } },
    );
    const dir = folder("cdktf-iterator", cdktfOut(stack));
    const run = await runCli(["check", "cdktf.out", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(run.stderr).toBe("");
    expect([...new Set(findings.map((f) => f.ruleId))]).toEqual(["PL012"]);
    expect(findings.map((f) => f.file)).toEqual(findings.map(() => "cdktf.out/stacks/main/cdk.tf.json"));
    expect(findings.some((f) => f.path === `${DEF}.dynamic.authorization.content.principal_id` && f.message.includes("${toset(var.auths)}"))).toBe(true);
    expect(findings.some((f) => f.path === `${DEF}.dynamic.eligible_authorization.content.principal_id` && f.message.includes('dynamic "eligible_authorization"'))).toBe(true);
    expect(run.code).toBe(0);
  });

  test("a static authorization block next to the dynamic one is still checked, at its own path", async () => {
    const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    const body = { authorization: { principal_id: OPS, role_definition_id: OWNER }, ...FROM_VARIABLE };
    const dir = folder("tfjson-static-and-dynamic", { "main.tf.json": definition(body) });
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.map((f) => f.ruleId)).toEqual(["PL004", "PL012", "PL012"]);
    // A single block written as an object is at `authorization`, not `authorization[0]`.
    expect(findings[0]!.path).toBe(`${DEF}.authorization.role_definition_id`);
  });
});

describe("a dynamic block whose for_each is a literal list or map is expanded", () => {
  test("Terraform JSON: a Reader role reached through the iterator is PL003 at the dynamic block's content", async () => {
    const body = {
      authorization: { principal_id: OPS, role_definition_id: CONTRIBUTOR },
      dynamic: {
        authorization: {
          for_each: [{ pid: PEC, role: READER }],
          iterator: "a",
          content: { principal_id: "${a.value.pid}", role_definition_id: '${a.value["role"]}' },
        },
      },
    };
    const dir = folder("tfjson-literal", { "main.tf.json": definition(body) });
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: dir });
    const pl003 = findingsOf(run).filter((f) => f.ruleId === "PL003");
    expect(pl003.map((f) => f.path)).toEqual([`${DEF}.dynamic.authorization.content.role_definition_id`]);
    expect(findingsOf(run).map((f) => f.ruleId)).not.toContain("PL001");
    expect(run.code).toBe(1);
  });

  test("CDKTF output: a literal map in eligible_authorization with nested dynamic JIT and approver blocks", async () => {
    const body = {
      authorization: { principal_id: PEC, role_definition_id: CONTRIBUTOR },
      dynamic: {
        eligible_authorization: {
          for_each: { ops: { pid: OPS, approvers: [APPROVER] } },
          content: {
            principal_id: "${eligible_authorization.value.pid}",
            role_definition_id: CONTRIBUTOR,
            dynamic: {
              just_in_time_access_policy: {
                for_each: [1],
                content: {
                  maximum_activation_duration: "PT9H",
                  dynamic: { approver: { for_each: "${eligible_authorization.value.approvers}", content: { principal_id: "${approver.value}" } } },
                },
              },
            },
          },
        },
      },
    };
    const dir = folder("cdktf-literal", cdktfOut(definition(body, { "//": { metadata: { stackName: "main" } } })));
    const run = await runCli(["check", "cdktf.out", "--format", "json"], { cwd: dir });
    const findings = findingsOf(run);
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([
      ["PL005", `${DEF}.dynamic.eligible_authorization.content.dynamic.just_in_time_access_policy.content.maximum_activation_duration`],
    ]);
    expect(run.code).toBe(1);
  });

  test("an iterator reference to a member the element lacks is an input error naming the element (exit 2)", async () => {
    const body = { dynamic: { authorization: { for_each: [{ pd: PEC }], content: { principal_id: "${authorization.value.pid}", role_definition_id: CONTRIBUTOR } } } };
    const dir = folder("tfjson-missing-member", { "main.tf.json": definition(body) });
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: dir });
    expect(run.stderr).toContain(`main.tf.json at ${DEF}.dynamic.authorization.for_each[0]`);
    expect(run.stderr).toContain('names "pid"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });
});

describe("a plan has its dynamic blocks expanded", () => {
  test("the blocks in resource_changes are read; the configuration's dynamic block adds nothing", async () => {
    const after = {
      name: "C",
      managing_tenant_id: TENANT,
      scope: `/subscriptions/${SUB}`,
      lighthouse_definition_id: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
      authorization: [
        { principal_id: PEC, role_definition_id: READER, principal_display_name: "", delegated_role_definition_ids: [] },
        { principal_id: OPS, role_definition_id: CONTRIBUTOR, principal_display_name: "", delegated_role_definition_ids: [] },
      ],
      eligible_authorization: [],
    };
    const plan = {
      format_version: "1.2",
      terraform_version: "1.9.8",
      resource_changes: [
        { address: "azurerm_lighthouse_definition.c", mode: "managed", type: "azurerm_lighthouse_definition", name: "c", change: { actions: ["create"], before: null, after, after_unknown: { id: true } } },
      ],
      configuration: {
        root_module: {
          resources: [
            {
              address: "azurerm_lighthouse_definition.c",
              mode: "managed",
              type: "azurerm_lighthouse_definition",
              name: "c",
              expressions: { name: { constant_value: "C" }, authorization: [{ principal_id: { references: ["authorization.value.pid", "authorization.value"] } }] },
            },
          ],
        },
      },
    };
    const dir = folder("plan-expanded", { "plan.json": plan });
    const run = await runCli(["check", "plan.json", "--format", "json"], { cwd: dir });
    expect(findingsOf(run).map((f) => [f.ruleId, f.path])).toEqual([["PL003", "$.resource_changes[0].change.after.authorization[0].role_definition_id"]]);
    expect(run.code).toBe(1);
  });
});
