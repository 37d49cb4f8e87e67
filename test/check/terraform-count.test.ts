/**
 * `count` and `for_each` on Terraform JSON / CDKTF resources: a literal 0 or an empty collection creates nothing
 * and is not checked; a literal count or map makes instances named as a plan names them; an expression is read as
 * one resource, as before. Each test runs the real CLI (`partnerlink check`) on files written to a temp folder.
 */
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONFIG = { partnerId: "1234567", pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };

const temp = tempFolders("pl-count-");

/** A fresh folder with these files (objects written as JSON) and the partnerlink config. */
function folder(name: string, files: Record<string, unknown>): string {
  return temp.folder(name, { "partnerlink.config.json": CONFIG, ...files });
}

/** A definition that gives the PEC principal Reader only (PL003 when it is created). */
function readerDefinition(meta: Record<string, unknown>) {
  return { ...meta, name: "C", managing_tenant_id: TENANT, scope: `/subscriptions/${SUB}`, authorization: [{ principal_id: PEC, role_definition_id: READER }] };
}

function tfJson(resources: Record<string, unknown>) {
  return { resource: { azurerm_lighthouse_definition: resources } };
}

/** A cdk.tf.json as CDKTF writes it (`"//"` metadata), read through its manifest. */
function cdktfOut(resources: Record<string, unknown>) {
  return {
    "cdktf.out/manifest.json": { version: "0.21.0", stacks: { main: { name: "main", synthesizedStackPath: "stacks/main/cdk.tf.json", workingDirectory: "stacks/main" } } },
    "cdktf.out/stacks/main/cdk.tf.json": { "//": { metadata: { stackName: "main", version: "0.21.0" } }, ...tfJson(resources) },
  };
}

async function check(dir: string, input: string) {
  const run = await runCli(["check", input, "--format", "json"], { cwd: dir });
  expect(run.stderr).toBe("");
  return { run, findings: findingsOf(run), notices: (JSON.parse(run.stdout) as { notices: string[] }).notices };
}

describe("a resource Terraform does not create is not checked", () => {
  test.each([
    ["count 0", { count: 0 }, "count 0"],
    ['count "0"', { count: "0" }, "count 0"],
    ["for_each {}", { for_each: {} }, "an empty for_each"],
    ["for_each []", { for_each: [] }, "an empty for_each"],
  ])("Terraform JSON, %s: no finding, exit 0, a notice says why", async (_name, meta, said) => {
    const dir = folder(`tfjson-${_name.replace(/\W+/g, "-")}`, { "main.tf.json": tfJson({ c: readerDefinition(meta) }) });
    const { run, findings, notices } = await check(dir, "main.tf.json");
    expect(findings).toEqual([]);
    expect(notices).toEqual([`main.tf.json $.resource.azurerm_lighthouse_definition.c.${Object.keys(meta)[0]}: 'azurerm_lighthouse_definition.c' has ${said}, so Terraform creates nothing; it is not checked`]);
    expect(run.code).toBe(0);
  });

  test("CDKTF output: count 0 and an empty for_each next to a created resource: only the created one is checked", async () => {
    const dir = folder("cdktf-count-0", cdktfOut({ off: readerDefinition({ count: 0 }), none: readerDefinition({ for_each: {} }), on: readerDefinition({}) }));
    const { run, findings, notices } = await check(dir, "cdktf.out");
    expect([...new Set(findings.map((f) => f.resource))]).toEqual(["azurerm_lighthouse_definition.on"]);
    expect(findings.map((f) => f.ruleId)).toContain("PL003");
    expect(notices.join("\n")).toContain("'azurerm_lighthouse_definition.off' has count 0");
    expect(notices.join("\n")).toContain("'azurerm_lighthouse_definition.none' has an empty for_each");
    expect(run.code).toBe(1);
  });

  test("a count that is an expression is checked as one resource, as before", async () => {
    const dir = folder("tfjson-count-expression", { "main.tf.json": tfJson({ c: readerDefinition({ count: "${var.enabled ? 1 : 0}" }) }) });
    const { run, findings } = await check(dir, "main.tf.json");
    expect(findings.find((f) => f.ruleId === "PL003")?.resource).toBe("azurerm_lighthouse_definition.c");
    expect(run.code).toBe(1);
  });
});

describe("a literal count or for_each makes instances named as the plan names them", () => {
  test("count 2 in Terraform JSON and the same two instances in a plan report the same resources", async () => {
    const after = { name: "C", managing_tenant_id: TENANT, scope: `/subscriptions/${SUB}`, authorization: [{ principal_id: PEC, role_definition_id: READER }], eligible_authorization: [] };
    const change = (i: number) => ({
      address: `azurerm_lighthouse_definition.c[${i}]`,
      mode: "managed",
      type: "azurerm_lighthouse_definition",
      name: "c",
      index: i,
      change: { actions: ["create"], before: null, after, after_unknown: {} },
    });
    const plan = { format_version: "1.2", terraform_version: "1.9.8", resource_changes: [change(0), change(1)] };
    const dir = folder("count-2", { "main.tf.json": tfJson({ c: readerDefinition({ count: 2 }) }), "plan.json": plan });
    const fromJson = await check(dir, "main.tf.json");
    const fromPlan = await check(dir, "plan.json");
    const pl003 = (list: { resource: string; ruleId: string }[]) => list.filter((f) => f.ruleId === "PL003").map((f) => f.resource);
    expect(pl003(fromJson.findings)).toEqual(["azurerm_lighthouse_definition.c[0]", "azurerm_lighthouse_definition.c[1]"]);
    expect(pl003(fromJson.findings)).toEqual(pl003(fromPlan.findings));
  });

  test("for_each over a literal map: each.key and each.value are written in; an inline waiver covers every instance", async () => {
    const waive = { "//": { "partnerlink:waive": [{ rule: "PL003", reason: "pilot", expires: "2099-01-31" }] } };
    const def = {
      ...waive,
      for_each: { contoso: { pid: PEC }, fabrikam: { pid: PEC } },
      name: "${each.key} managed services",
      managing_tenant_id: TENANT,
      scope: `/subscriptions/${SUB}`,
      authorization: [{ principal_id: "${each.value.pid}", role_definition_id: READER }],
    };
    const dir = folder("for-each-map", { "main.tf.json": tfJson({ c: def }) });
    const { run, findings } = await check(dir, "main.tf.json");
    // each.value.pid is the PEC principal: PL003 (waived), not PL012 "known only at plan".
    expect(findings.map((f) => [f.ruleId, f.resource, f.suppressed?.kind])).toEqual([
      ["PL003", 'azurerm_lighthouse_definition.c["contoso"]', "inline"],
      ["PL003", 'azurerm_lighthouse_definition.c["fabrikam"]', "inline"],
    ]);
    expect(run.code).toBe(0);
  });

  test("an assignment with count joins the definition instance it names through [count.index]", async () => {
    const doc = {
      resource: {
        azurerm_lighthouse_definition: { c: readerDefinition({ count: 2 }) },
        azurerm_lighthouse_assignment: { a: { count: 2, scope: `/subscriptions/${SUB}`, lighthouse_definition_id: "${azurerm_lighthouse_definition.c[count.index].id}" } },
      },
    };
    const dir = folder("count-join", { "main.tf.json": doc });
    const { findings } = await check(dir, "main.tf.json");
    // Joined: no "registration definition ... is not in this input" for either assignment instance.
    expect(findings.filter((f) => f.ruleId === "PL012")).toEqual([]);
    expect(findings.filter((f) => f.ruleId === "PL003").map((f) => f.resource)).toEqual(["azurerm_lighthouse_definition.c[0]", "azurerm_lighthouse_definition.c[1]"]);
  });
});
