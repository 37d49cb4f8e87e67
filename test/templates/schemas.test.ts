import * as fs from "node:fs";
import * as path from "node:path";
import { armParameters, armParametersViolations, armTemplate, armTemplateViolations, planOnboarding } from "../../templates";
import { contoso, ONCALL_GROUP, SAMPLES, VM_CONTRIBUTOR } from "./fixtures";

type Obj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

const variants = {
  subscription: contoso({ eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: VM_CONTRIBUTOR, principalType: "Group" }] }),
  "resource-group": contoso({ resourceGroups: ["rg-app"] }),
  "multiple-resource-groups": contoso({ resourceGroups: ["rg-a", "rg-b"] }),
};

describe("generated templates pass the schemas", () => {
  it.each(Object.entries(variants))("%s", (_name, spec) => {
    const plan = planOnboarding(spec);
    expect(armTemplateViolations(armTemplate(plan))).toEqual([]);
    expect(armParametersViolations(armParameters(plan))).toEqual([]);
  });
});

describe("the schemas reject broken templates at the right JSON path", () => {
  const plan = planOnboarding(variants.subscription);
  const template = armTemplate(plan) as Obj;
  const parameters = armParameters(plan) as Obj;

  it("a non-string managedByTenantId in the definition", () => {
    const t = clone(template);
    t.resources[0].properties.managedByTenantId = 42;
    expect(armTemplateViolations(t)).toContainEqual({ path: "$.resources[0].properties.managedByTenantId", message: expect.any(String) });
  });

  it("a misspelt property of the definition", () => {
    const t = clone(template);
    t.resources[0].properties.authorisations = t.resources[0].properties.authorizations;
    expect(armTemplateViolations(t).map((v) => v.path)).toContain("$.resources[0].properties.authorisations");
  });

  it("a read-only property (provisioningState) in the definition", () => {
    const t = clone(template);
    t.resources[0].properties.provisioningState = "Succeeded";
    expect(armTemplateViolations(t).map((v) => v.path)).toEqual(["$.resources[0].properties.provisioningState"]);
  });

  it("an assignment whose registrationDefinitionId is not a definition ID, inside a nested deployment", () => {
    const t = clone(armTemplate(planOnboarding(variants["resource-group"])) as Obj);
    t.resources[1].properties.template.resources[0].properties.registrationDefinitionId = "/subscriptions/x/whatever";
    expect(armTemplateViolations(t).map((v) => v.path)).toEqual([
      "$.resources[1].properties.template.resources[0].properties.registrationDefinitionId",
    ]);
  });

  it("a missing apiVersion and a wrong $schema", () => {
    const t = clone(template);
    delete t.resources[1].apiVersion;
    t.$schema = "https://example.com/schema.json#";
    const paths = armTemplateViolations(t).map((v) => v.path);
    expect(paths).toContain("$.resources[1].apiVersion");
  });

  it("a malformed principal ID in the parameters file", () => {
    const p = clone(parameters);
    p.parameters.authorizations.value[1].principalId = "not-a-guid";
    expect(armParametersViolations(p)).toEqual([
      { path: "$.parameters.authorizations.value[1].principalId", message: "must be a GUID (8-4-4-4-12 hex)" },
    ]);
  });

  it("an eligible authorization with an MFA provider Azure does not know", () => {
    const p = clone(parameters);
    p.parameters.eligibleAuthorizations.value[0].justInTimeAccessPolicy.multiFactorAuthProvider = "Okta";
    expect(armParametersViolations(p).map((v) => v.path)).toContain(
      "$.parameters.eligibleAuthorizations.value[0].justInTimeAccessPolicy.multiFactorAuthProvider",
    );
  });
});

describe("the schemas accept the public Lighthouse onboarding samples", () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith(".json") && !e.name.endsWith(".parameters.json")) files.push(full);
    }
  };
  if (fs.existsSync(SAMPLES)) walk(SAMPLES);
  const run = files.length > 0 ? it.each(files.map((f) => [path.relative(SAMPLES, f), f])) : it.each([["(samples folder absent)", ""]]);
  run("%s", (_rel, file) => {
    if (file === "") {
      expect(fs.existsSync(SAMPLES)).toBe(false);
      return;
    }
    expect(armTemplateViolations(JSON.parse(fs.readFileSync(file, "utf8")))).toEqual([]);
  });
});
