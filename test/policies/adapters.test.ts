import {
  agreementOfBillingScope,
  estateOfStack,
  isPreviewUnknown,
  rawProps,
  adaptRegistrationDefinition,
  adaptLighthouseOnboarding,
  AZURE_NATIVE_TYPES,
  PARTNERLINK_TYPES,
} from "../../policies/adapters";
import { evaluate } from "../../rules/engine";
import { isUnresolved } from "../../rules/model";
import { lighthouseOnboarding } from "./fixtures";
import { DEF_GUID, PEC, ROLES, SUB, UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_OBJECT, createResourceValidationArgs } from "./util";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...a: unknown[]) => Error };

describe("preview unknowns as @pulumi/policy 1.21 presents them", () => {
  it("reading an unknown through the analyzer's proxy throws; rawProps reads under it", () => {
    const args = createResourceValidationArgs(AZURE_NATIVE_TYPES.registrationDefinition, { scope: UNKNOWN, properties: { managedByTenantId: "t" } });
    expect(() => (args.props as Record<string, unknown>).scope).toThrow(UnknownValueError);
    const raw = rawProps(args.props);
    expect(isPreviewUnknown(raw.scope)).toBe(true);
    expect((raw.properties as Record<string, unknown>).managedByTenantId).toBe("t");
  });

  it("every sentinel kind becomes Unresolved, with the JSON path", () => {
    const r = {
      type: AZURE_NATIVE_TYPES.registrationDefinition,
      name: "d",
      urn: "u",
      props: { scope: UNKNOWN, properties: { managedByTenantId: UNKNOWN, authorizations: UNKNOWN_ARRAY } },
    };
    const a = adaptRegistrationDefinition(r);
    if (a.kind !== "definition") throw new Error("expected a definition");
    const d = a.delegation;
    expect(isUnresolved(d.definitionScope) && d.definitionScope.expression).toBe("$.scope");
    expect(isUnresolved(d.managedByTenantId)).toBe(true);
    expect(d.authorizations).toHaveLength(1);
    expect(isUnresolved(d.authorizations[0].principalId)).toBe(true);

    const whole = adaptRegistrationDefinition({ ...r, props: { properties: UNKNOWN_OBJECT } });
    if (whole.kind !== "definition") throw new Error("expected a definition");
    expect(isUnresolved(whole.delegation.managedByTenantId)).toBe(true);
    expect(isUnresolved(whole.delegation.authorizations[0].roleDefinitionId)).toBe(true);
  });

  it("a plain string that is not a sentinel is a value", () => {
    expect(isPreviewUnknown("04da6b54-80e4-46f7-96ec-b56ff0331ba8")).toBe(false);
    expect(isPreviewUnknown(UNKNOWN)).toBe(true);
  });
});

describe("LighthouseOnboarding adapter", () => {
  it("findings name the resource's inputs (managingTenantId, subscriptionId, resourceGroups[i]), not the model's ARM names", () => {
    const props = { ...lighthouseOnboarding.props({}), managingTenantId: "11111111-1111-4111-8111-111111111111", subscriptionId: "sub-1", resourceGroups: ["rg1"] };
    const a = adaptLighthouseOnboarding({ type: PARTNERLINK_TYPES.lighthouseOnboarding, name: "o", urn: "u", props });
    if (a.kind !== "onboarding") throw new Error("expected an onboarding");
    const { findings } = evaluate({ delegations: [a.delegation], partnerLinks: [], subscriptions: [] }, { pecPrincipals: [PEC], allowedManagingTenants: [SUB] });
    const pl009 = findings.find((f) => f.ruleId === "PL009");
    expect(pl009?.path).toBe("$.managingTenantId");
    expect(pl009?.message).toMatch(/Fix: set managingTenantId /);
    expect(findings.filter((f) => f.ruleId === "PL010").map((f) => f.path).sort()).toEqual(["$.resourceGroups[0]", "$.subscriptionId"]);
    expect(findings.map((f) => f.message).join("\n")).not.toMatch(/managedByTenantId|definitionScope/);
  });

  it("puts pecAuthorization first, defines at the subscription and assigns at each resource group", () => {
    const props = { ...lighthouseOnboarding.props({}), resourceGroups: ["rg1", "rg2"] };
    const a = adaptLighthouseOnboarding({ type: PARTNERLINK_TYPES.lighthouseOnboarding, name: "o", urn: "u", props });
    if (a.kind !== "onboarding") throw new Error("expected an onboarding");
    expect(a.pecPrincipal).toBe(PEC);
    expect(a.delegation.authorizations[0]).toMatchObject({ principalId: PEC, roleDefinitionId: ROLES.contributor, source: { path: "$.pecAuthorization" } });
    expect(a.delegation.definitionScope).toBe(`/subscriptions/${SUB}`);
    expect(a.delegation.assignments.map((x) => x.scope)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg1`, `/subscriptions/${SUB}/resourceGroups/rg2`]);
  });
});

describe("stack estate", () => {
  it("joins an assignment to its definition by GUID, and keeps an unmatched one as its own delegation", () => {
    const defId = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF_GUID}`;
    const { estate, urnByName } = estateOfStack([
      { type: AZURE_NATIVE_TYPES.registrationDefinition, name: "d", urn: "urn:d", props: { registrationDefinitionId: DEF_GUID, properties: { managedByTenantId: "t", authorizations: [] } } },
      { type: AZURE_NATIVE_TYPES.registrationAssignment, name: "a1", urn: "urn:a1", props: { scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: defId } } },
      { type: AZURE_NATIVE_TYPES.registrationAssignment, name: "a2", urn: "urn:a2", props: { scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: UNKNOWN } } },
    ]);
    expect(estate.delegations.map((d) => [d.name, d.assignments.length])).toEqual([
      ["d", 1],
      ["a2", 1],
    ]);
    expect(urnByName.get("a2")).toBe("urn:a2");
  });
});

describe("one registration definition GUID in several subscriptions (a loop with a fixed registrationDefinitionId)", () => {
  const SUB_B = "77777777-7777-4777-8777-777777777777";
  const def = (name: string, sub: string) => ({
    type: AZURE_NATIVE_TYPES.registrationDefinition,
    name,
    urn: `urn:${name}`,
    props: { scope: `/subscriptions/${sub}`, registrationDefinitionId: DEF_GUID, properties: { managedByTenantId: "t", authorizations: [] } },
  });
  const asg = (name: string, sub: string, definitionRef: string, dependencies: string[] = []) => ({
    type: AZURE_NATIVE_TYPES.registrationAssignment,
    name,
    urn: `urn:${name}`,
    dependencies,
    props: { scope: `/subscriptions/${sub}`, properties: { registrationDefinitionId: definitionRef } },
  });
  const joined = (resources: Parameters<typeof estateOfStack>[0]) => estateOfStack(resources).estate.delegations.map((d) => [d.name, d.assignments.map((a) => a.scope)]);

  it("an assignment joins the definition in its own subscription, whichever order they come in", () => {
    const fullId = (sub: string) => `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF_GUID}`;
    expect(joined([def("dA", SUB), def("dB", SUB_B), asg("aB", SUB_B, fullId(SUB_B)), asg("aA", SUB, fullId(SUB))])).toEqual([
      ["dA", [`/subscriptions/${SUB}`]],
      ["dB", [`/subscriptions/${SUB_B}`]],
    ]);
  });

  it("a bare GUID: the assignment's scope decides; no subscription known: the definition it depends on", () => {
    expect(joined([def("dA", SUB), def("dB", SUB_B), asg("aA", SUB, DEF_GUID)])).toEqual([
      ["dA", [`/subscriptions/${SUB}`]],
      ["dB", []],
    ]);
    const unknownScope = { ...asg("aX", SUB, DEF_GUID, ["urn:dA"]), props: { scope: UNKNOWN, properties: { registrationDefinitionId: DEF_GUID } } };
    expect(joined([def("dA", SUB), def("dB", SUB_B), unknownScope]).map(([name, scopes]) => [name, (scopes as unknown[]).length])).toEqual([
      ["dA", 1],
      ["dB", 0],
    ]);
  });
});

describe("billing scope -> agreement", () => {
  it.each([
    ["/providers/Microsoft.Billing/billingAccounts/1/enrollmentAccounts/2", "EA"],
    ["/providers/Microsoft.Billing/billingAccounts/1/billingProfiles/2/invoiceSections/3", "MCA"],
    ["/providers/Microsoft.Billing/billingAccounts/1/customers/2", "CSP"],
    ["/subscriptions/x", "unknown"],
  ])("%s is %s", (scope, agreement) => {
    expect(agreementOfBillingScope(scope)).toBe(agreement);
  });
});
