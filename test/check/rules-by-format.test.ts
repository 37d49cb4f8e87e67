/**
 * Every rule, positive and negative, on every input format: the fixtures in test/fixtures/check are the same
 * scenarios written as an ARM template + parameters file, a Terraform plan, Terraform JSON and CDKTF output.
 * Positive: the scenario that breaks rule X reports X (at the expected place). Negative: the scenario that
 * passes everything reports nothing, and each rule's scenario reports no rule it does not break.
 */
import * as path from "node:path";
import { RULES } from "../../rules/metadata";
import { findingsOf, runCli } from "./run-cli";

const FIXTURES = path.resolve(__dirname, "..", "fixtures", "check");
const FORMATS = {
  arm: (s: string) => `arm/${s}.json`,
  tfplan: (s: string) => `tfplan/${s}.plan.json`,
  tfjson: (s: string) => `tfjson/${s}.tf.json`,
  cdktf: (s: string) => `cdktf/${s}`,
} as const;

/** What each scenario breaks: its own rule, plus the consequences the rule table documents. */
const EXPECTED: Record<string, string[]> = {
  pl001: ["PL001", "PL007"], // no PEC principal: the customer subscription is not associated either
  pl002: ["PL002", "PL005", "PL007"], // PEC only eligible: a service principal in eligibleAuthorizations (PL005)
  pl003: ["PL003", "PL007"], // Reader: no credit, so the subscription is not associated
  pl004: ["PL004"],
  pl005: ["PL005"],
  pl006: ["PL006"],
  pl007: ["PL007"],
  pl008: ["PL008", "PL012"], // the link's identity (whoever deploys it) is not known: PL012 info
  pl009: ["PL009"],
  pl010: ["PL010"],
  pl011: ["PL011"],
  pl012: ["PL012"],
};

async function check(format: keyof typeof FORMATS, scenario: string) {
  const run = await runCli(["check", FORMATS[format](scenario), "--format", "json"], { cwd: FIXTURES });
  expect(run.stderr).toBe("");
  return { run, findings: findingsOf(run) };
}

describe.each(Object.keys(FORMATS) as (keyof typeof FORMATS)[])("%s", (format) => {
  test("the good scenario passes every rule (exit 0, no findings)", async () => {
    const { run, findings } = await check(format, "good");
    expect(findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  test.each(Object.keys(EXPECTED))("%s: reports its rule and nothing unrelated", async (scenario) => {
    const { run, findings } = await check(format, scenario);
    const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
    expect(ids).toEqual(EXPECTED[scenario]);
    const rule = scenario.toUpperCase();
    const own = findings.filter((f) => f.ruleId === rule);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) {
      expect(f.file).toBeTruthy();
      expect(f.path).toMatch(/^\$/);
      expect(f.message.length).toBeGreaterThan(20);
    }
    const meta = RULES.find((r) => r.id === rule)!;
    const blocking = meta.severity === "error";
    expect(run.code).toBe(blocking ? 1 : 0);
  });
});

describe("where findings point", () => {
  test("ARM: values from the parameters file are reported at their path in the parameters file", async () => {
    const { findings } = await check("arm", "pl003");
    const f = findings.find((x) => x.ruleId === "PL003")!;
    // The adapter gives the authorization the parameters file as its source; which file the finding names is
    // the engine's choice (today the delegation's template).
    expect(f.path).toBe("$.parameters.authorizations.value[0].roleDefinitionId");
  });

  test("ARM: a definition created in a resource group of a nested deployment is PL006", async () => {
    const { findings } = await check("arm", "pl006");
    const f = findings.find((x) => x.ruleId === "PL006")!;
    expect(f.file).toBe("arm/pl006.json");
    expect(f.message).toContain("/subscriptions/66666666-6666-6666-6666-666666666666/resourceGroups/rg-customer");
  });

  test("Terraform plan: an attribute known only after apply is PL012 at where the plan marks it (after_unknown; after leaves it out)", async () => {
    const { findings } = await check("tfplan", "pl012");
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["PL012", "$.resource_changes[0].change.after_unknown.authorization[1].principal_id"]]);
    expect(findings[0]!.message).toContain("known only after apply");
  });

  test("Terraform JSON: a reference is PL012 naming the expression", async () => {
    const { findings } = await check("tfjson", "pl012");
    expect(findings[0]!.message).toContain("${azurerm_user_assigned_identity.automation.principal_id}");
  });

  test("CDKTF: the stack file is found through manifest.json", async () => {
    const { findings } = await check("cdktf", "pl009");
    expect(findings.map((f) => f.file)).toEqual(["cdktf/pl009/stacks/main/cdk.tf.json"]);
  });
});
