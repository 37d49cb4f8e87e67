/**
 * Every rule, positive and negative, on every input format: the fixtures in test/fixtures/check are the same
 * scenarios written as an ARM template + parameters file, a Terraform plan, Terraform JSON and CDKTF output.
 * Positive: the scenario that breaks rule X reports X (at the expected place). Negative: the scenario that
 * passes everything reports nothing, and each rule's scenario reports no rule it does not break.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RULES } from "../../rules/metadata";
import { findingsOf, runCli } from "./run-cli";
import { tempFolders } from "./temp-folders";

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
  pl013: ["PL013"],
  pl014: ["PL014"], // assigned at a resource group only: associated there alone (an info), never a PL007 error
};

/**
 * Where a format's scenario breaks more: the ARM pl006 template creates the definition AND its assignment in the
 * resource group's nested deployment, so (PL006's fix keeps the assignment there) the subscription is associated at
 * that group only: PL014's info, never a PL007 error.
 */
const EXPECTED_IN: Partial<Record<keyof typeof FORMATS, Record<string, string[]>>> = {
  arm: { pl006: ["PL006", "PL014"] },
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
    expect(ids).toEqual(EXPECTED_IN[format]?.[scenario] ?? EXPECTED[scenario]);
    if (EXPECTED_IN[format]?.[scenario]?.includes("PL014") && scenario !== "pl014")
      expect(findings.filter((f) => f.ruleId === "PL014").map((f) => [f.severity, f.message.includes("associated at resource groups only")])).toEqual([["info", true]]);
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

describe("PL005 on an MFA provider: azurerm accepts only \"Azure\" (rules/facts.ts), ARM and azapi also \"None\"", () => {
  const temp = tempFolders("pl-mfa-");
  const JIT = "$.resource.azurerm_lighthouse_definition.contoso.eligible_authorization[0].just_in_time_access_policy";
  /** Where each Terraform input has the attribute: a block list in a plan and .tf.json, one object in CDKTF output. */
  const AT = {
    tfplan: ["tfplan/pl005-mfa-none.plan.json", "$.resource_changes[0].change.after.eligible_authorization[0].just_in_time_access_policy[0].multi_factor_auth_provider"],
    tfjson: ["tfjson/pl005-mfa-none.tf.json", `${JIT}[0].multi_factor_auth_provider`],
    cdktf: ["cdktf/pl005-mfa-none/stacks/main/cdk.tf.json", `${JIT}.multi_factor_auth_provider`],
  } as const;

  test.each(Object.keys(AT) as (keyof typeof AT)[])("%s: \"None\" is PL005 at multi_factor_auth_provider, with azurerm's fix", async (format) => {
    const { run, findings } = await check(format, "pl005-mfa-none");
    expect(findings.map((f) => [f.ruleId, f.file, f.path])).toEqual([["PL005", ...AT[format]]]);
    const m = findings[0]!.message;
    expect(m).toContain(`'None' is not a value azurerm accepts for multi_factor_auth_provider (only "Azure", letter for letter), so terraform plan refuses it.`);
    expect(m).toContain("Fix: leave out multi_factor_auth_provider: azurerm sends None when it is absent");
    expect(m).not.toContain("multiFactorAuthProvider");
    expect(run.code).toBe(1);
  });

  test("ARM: \"None\" is an MFA provider Azure accepts (no finding)", async () => {
    const { run, findings } = await check("arm", "pl005-mfa-none");
    expect(findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  /** The good Terraform JSON with the eligible authorization's just-in-time policy changed by `edit`, checked. */
  async function tfJsonWith(name: string, edit: (jit: Record<string, unknown>) => void) {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, "tfjson", "good.tf.json"), "utf8"));
    edit(doc.resource.azurerm_lighthouse_definition.contoso.eligible_authorization[0].just_in_time_access_policy[0]);
    const dir = temp.folder(name, { "main.tf.json": doc, "partnerlink.config.json": JSON.parse(fs.readFileSync(path.join(FIXTURES, "partnerlink.config.json"), "utf8")) });
    const run = await runCli(["check", "main.tf.json", "--format", "json"], { cwd: dir });
    expect(run.stderr).toBe("");
    return { run, findings: findingsOf(run) };
  }

  test("Terraform JSON: multi_factor_auth_provider left out passes (azurerm sends None)", async () => {
    const { run, findings } = await tfJsonWith("left-out", (jit) => delete jit.multi_factor_auth_provider);
    expect(findings).toEqual([]);
    expect(run.code).toBe(0);
  });

  test("Terraform JSON: \"azure\" is PL005 (azurerm compares letter for letter; ARM would take it), fixed by writing \"Azure\"", async () => {
    const { findings } = await tfJsonWith("lower-case", (jit) => (jit.multi_factor_auth_provider = "azure"));
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["PL005", `${JIT}[0].multi_factor_auth_provider`]]);
    expect(findings[0]!.message).toMatch(/'azure' is not a value azurerm accepts .* Fix: write "Azure"\.$/);
  });

  test("Terraform JSON: any other value is PL005 with both ways out", async () => {
    const { findings } = await tfJsonWith("phone", (jit) => (jit.multi_factor_auth_provider = "Phone"));
    expect(findings.map((f) => [f.ruleId, f.path])).toEqual([["PL005", `${JIT}[0].multi_factor_auth_provider`]]);
    expect(findings[0]!.message).toContain(`Fix: use "Azure", or leave out multi_factor_auth_provider for None (azurerm sends it when the attribute is absent).`);
  });

  /** An azapi registration definition (ARM's body) whose eligible authorization's MFA provider is `mfa`. */
  function azapiDefinition(mfa: string) {
    return {
      resource: {
        azapi_resource: {
          def: {
            type: "Microsoft.ManagedServices/registrationDefinitions@2022-10-01",
            name: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11",
            parent_id: "/subscriptions/66666666-6666-6666-6666-666666666666",
            body: {
              properties: {
                registrationDefinitionName: "Contoso PEC",
                managedByTenantId: "44444444-4444-4444-4444-444444444444",
                authorizations: [{ principalId: "11111111-1111-1111-1111-111111111111", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" }],
                eligibleAuthorizations: [
                  {
                    principalId: "22222222-2222-2222-2222-222222222222",
                    roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c",
                    justInTimeAccessPolicy: { multiFactorAuthProvider: mfa, maximumActivationDuration: "PT4H" },
                  },
                ],
              },
            },
          },
        },
      },
    };
  }

  test("azapi (Terraform JSON): the body is ARM's, so \"None\" passes and another value gets ARM's fix", async () => {
    const config = JSON.parse(fs.readFileSync(path.join(FIXTURES, "partnerlink.config.json"), "utf8"));
    const dir = temp.folder("azapi", { "none.tf.json": azapiDefinition("None"), "phone.tf.json": azapiDefinition("Phone"), "partnerlink.config.json": config });
    const none = findingsOf(await runCli(["check", "none.tf.json", "--format", "json"], { cwd: dir }));
    expect(none.filter((f) => f.ruleId === "PL005")).toEqual([]);
    const phone = findingsOf(await runCli(["check", "phone.tf.json", "--format", "json"], { cwd: dir })).filter((f) => f.ruleId === "PL005");
    expect(phone.map((f) => f.path)).toEqual(["$.resource.azapi_resource.def.body.properties.eligibleAuthorizations[0].justInTimeAccessPolicy.multiFactorAuthProvider"]);
    expect(phone[0]!.message).toContain(`'Phone' is not a multi-factor authentication provider Azure accepts. Fix: use "Azure" or "None".`);
  });
});
