import * as fs from "node:fs";
import * as path from "node:path";
import { adaptArmTemplate } from "../../formats/arm-template";
import { armParameters, armTemplate, planOnboarding, type OnboardingPlan } from "../../templates";
import { contoso, SAMPLES, SUB, TENANT } from "./fixtures";

type Obj = Record<string, any>;

/** Definition/assignment names and scopes the shared ARM adapter computes for a template + parameters. */
function idsOf(template: Obj, parameters: Obj): { definitionId: unknown; scope: unknown; assignmentId: unknown }[] {
  const { estate } = adaptArmTemplate(template, { file: "t.json", parameters: { file: "p.json", document: parameters }, subscriptionId: SUB });
  return estate.delegations.flatMap((d) =>
    d.assignments.map((a) => ({
      definitionId: d.definitionId,
      scope: a.scope,
      assignmentId: a.assignmentId,
    })),
  );
}

function planned(plan: OnboardingPlan) {
  return plan.delegations.map((d) => ({ definitionId: d.definitionId, scope: d.assignment.scope, assignmentId: d.assignment.assignmentId }));
}

const read = (rel: string): Obj => JSON.parse(fs.readFileSync(path.join(SAMPLES, rel), "utf8"));
const haveSamples = fs.existsSync(SAMPLES);

/** The sample's own parameters file, with this test's offer name, tenant and resource groups. */
function sampleParameters(rel: string, offerName: string, resourceGroups: string[]): Obj {
  const p = read(rel);
  p.parameters.mspOfferName.value = offerName;
  p.parameters.managedByTenantId.value = TENANT;
  if (p.parameters.rgName) p.parameters.rgName.value = resourceGroups[0];
  if (p.parameters.resourceGroups) p.parameters.resourceGroups.value = resourceGroups.map((rgName) => ({ rgName }));
  return p;
}

const cases: [string, string, string, string[]][] = [
  ["subscription.json", "delegated-resource-management/subscription/subscription.json", "delegated-resource-management/subscription/subscription.parameters.json", []],
  ["rg.json", "delegated-resource-management/rg/rg.json", "delegated-resource-management/rg/rg.parameters.json", ["rg-app"]],
];

describe("names equal what the public sample templates compute for the same inputs", () => {
  it.each(cases)("%s", (_name, templateRel, parametersRel, rgs) => {
    if (!haveSamples) {
      // A fresh clone without ../shared/azure-contract: nothing to compare against.
      expect(fs.existsSync(SAMPLES)).toBe(false);
      return;
    }
    const offer = "Fabrikam Managed Services";
    // No resource groups: resourceGroups left out (an empty list is refused).
    const plan = planOnboarding(contoso({ offerName: offer, ...(rgs.length > 0 ? { resourceGroups: rgs } : {}) }));
    const fromSample = idsOf(read(templateRel), sampleParameters(parametersRel, offer, rgs));
    expect(fromSample).toHaveLength(1);
    expect(planned(plan)).toEqual(fromSample);
    // ... and the generated template, read by the same adapter, deploys exactly those names.
    expect(idsOf(armTemplate(plan), armParameters(plan))).toEqual(fromSample);
  });
});

describe("several resource groups: one naming scheme, not multi-rg.json's", () => {
  it("deploys one definition named guid(offer), assigned in each group, as deploying rg.json once per group would", () => {
    const offer = "Fabrikam Managed Services";
    const rgs = ["rg-a", "rg-b", "rg-c"];
    const plan = planOnboarding(contoso({ offerName: offer, resourceGroups: rgs }));
    const generated = idsOf(armTemplate(plan), armParameters(plan));
    expect(generated).toEqual(planned(plan));
    if (!haveSamples) {
      expect(fs.existsSync(SAMPLES)).toBe(false);
      return;
    }
    const perGroup = rgs.map((rg) => idsOf(read("delegated-resource-management/rg/rg.json"), sampleParameters("delegated-resource-management/rg/rg.parameters.json", offer, [rg]))[0]);
    expect(generated).toEqual(perGroup);
    // The public multi-rg.json names one definition per group guid(rgName): partnerlink deliberately does not (see templates/arm-template.ts).
    const multi = idsOf(read("delegated-resource-management/rg/multi-rg.json"), sampleParameters("delegated-resource-management/rg/multiple-rg.parameters.json", offer, rgs));
    expect(new Set(multi.map((m) => m.definitionId)).size).toBe(3);
    expect(new Set(generated.map((g) => g.definitionId)).size).toBe(1);
  });
});

describe("the generated template read back by the ARM adapter", () => {
  it("yields the plan's managing tenant and authorizations, PEC principal first", () => {
    const plan = planOnboarding(contoso({ resourceGroups: ["rg-a", "rg-b"] }));
    const { estate } = adaptArmTemplate(armTemplate(plan), {
      file: "t.json",
      parameters: { file: "p.json", document: armParameters(plan) as Obj },
      subscriptionId: SUB,
    });
    expect(estate.delegations).toHaveLength(1);
    expect(estate.delegations[0].assignments.map((a) => a.scope)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-a`, `/subscriptions/${SUB}/resourceGroups/rg-b`]);
    for (const d of estate.delegations) {
      expect(d.managedByTenantId).toBe(TENANT);
      expect(d.definitionScope).toBe(`/subscriptions/${SUB}`);
      expect(d.authorizations.map((a) => [a.principalId, a.roleDefinitionId])).toEqual(
        plan.authorizations.map((a) => [a.principalId, a.roleDefinitionId]),
      );
    }
  });
});
