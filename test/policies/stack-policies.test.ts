import { AZURE_CLASSIC_TYPES, AZURE_NATIVE_TYPES, PARTNERLINK_TYPES } from "../../policies/adapters";
import { azureNativeDefinition, classicDefinition, lighthouseOnboarding } from "./fixtures";
import {
  DEF_GUID,
  OTHER,
  PARTNER_ID,
  PEC,
  ROLES,
  SUB,
  SUB2,
  UNKNOWN,
  assertHasStackViolation,
  assertNoStackViolations,
  createStackValidationArgs,
  policy,
  runStackPolicy,
  urnOf,
  type StackResourceSpec,
} from "./util";

const linkedPec = { pecPrincipals: [PEC], palLinkedPrincipals: [PEC] };
const defResourceId = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF_GUID}`;

const existingSubscription: StackResourceSpec = {
  type: AZURE_NATIVE_TYPES.subscriptionAlias,
  name: "customer-sub",
  props: { aliasName: "customer-sub", properties: { subscriptionId: SUB, workload: "Production" } },
};
const nativeDefinition: StackResourceSpec = { type: azureNativeDefinition.type, name: "offer", props: azureNativeDefinition.props({}) };
const nativeAssignment = (props: Record<string, unknown>, dependsOn?: string[]): StackResourceSpec => ({
  type: AZURE_NATIVE_TYPES.registrationAssignment,
  name: "offer-assignment",
  props,
  dependsOn,
});

describe("PL007 subscription-not-associated", () => {
  const p = policy("subscription-not-associated");

  it("a subscription in the stack with no delegation is reported on that subscription", async () => {
    // (A definition with no assignment counts at its own scope: rules/checks/pl007; this one is in another subscription.)
    const elsewhere = { ...nativeDefinition, props: azureNativeDefinition.props({ subscriptionId: SUB2 }) };
    await assertHasStackViolation(
      p,
      createStackValidationArgs([existingSubscription, elsewhere], linkedPec),
      /^PL007 Subscription 'customer-sub'/,
      urnOf(existingSubscription.type, existingSubscription.name),
    );
  });

  it("an azure-native definition + assignment (joined by definition GUID) associates it", async () => {
    const assignment = nativeAssignment({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: defResourceId } });
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, nativeDefinition, assignment], linkedPec));
  });

  it("an assignment at a resource group only: no PL007 violation (associated); PL014's advisory policy names the group", async () => {
    const assignment = nativeAssignment({ scope: `/subscriptions/${SUB}/resourceGroups/rg-app`, properties: { registrationDefinitionId: defResourceId } });
    const args = () => createStackValidationArgs([existingSubscription, nativeDefinition, assignment], linkedPec);
    await assertNoStackViolations(p, args());
    const pl014 = policy("subscription-associated-at-resource-groups");
    expect([pl014.enforcementLevel, pl014.severity]).toEqual(["advisory", "low"]);
    await assertHasStackViolation(
      pl014,
      args(),
      new RegExp(`^PL014 Subscription 'customer-sub' .*at resource group rg-app, none at /subscriptions/${SUB}: .*Fix: `),
      urnOf(existingSubscription.type, existingSubscription.name),
    );
    // A PL007 waiver on it (what accepted this info before PL014) is named on the pack's output, with the fix.
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const waived = { ...linkedPec, waivers: [{ rule: "PL007", resource: "customer-sub", reason: "only rg-app" }] };
      await assertHasStackViolation(pl014, createStackValidationArgs([existingSubscription, nativeDefinition, assignment], waived), /^PL014 /);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("")).toMatch(/partnerlink \(subscription-associated-at-resource-groups\): The config waiver for PL007 \(subscription-not-associated\) on 'customer-sub' waives nothing there: .*Fix: waive PL014 on 'customer-sub' instead/);
  });

  it("the assignment joins its definition through the dependency when the definition ID is unknown at preview", async () => {
    const assignment = nativeAssignment({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: UNKNOWN } }, ["offer"]);
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, nativeDefinition, assignment], linkedPec));
  });

  it("a definition whose PEC principal has only Reader does not associate it", async () => {
    const def = { ...nativeDefinition, props: azureNativeDefinition.props({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] }) };
    const assignment = nativeAssignment({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: defResourceId } });
    await assertHasStackViolation(p, createStackValidationArgs([existingSubscription, def, assignment], linkedPec), /^PL007 /);
  });

  it("classic azure definition + assignment associate it", async () => {
    const resources: StackResourceSpec[] = [
      { type: AZURE_CLASSIC_TYPES.subscription, name: "customer-sub", props: { subscriptionName: "c", subscriptionId: SUB } },
      { type: classicDefinition.type, name: "offer", props: classicDefinition.props({ subscriptionId: SUB2 }) },
      {
        type: AZURE_CLASSIC_TYPES.lighthouseAssignment,
        name: "assign",
        props: { scope: `/subscriptions/${SUB}`, lighthouseDefinitionId: defResourceId.replace(SUB, SUB2) },
      },
    ];
    await assertNoStackViolations(p, createStackValidationArgs(resources, linkedPec));
    await assertHasStackViolation(p, createStackValidationArgs([resources[0], resources[1]], linkedPec), /^PL007 /);
  });

  it("a LighthouseOnboarding associates its subscription, its PEC principal linked by a PartnerAdminLink", async () => {
    const resources: StackResourceSpec[] = [
      existingSubscription,
      { type: lighthouseOnboarding.type, name: "onboard", props: lighthouseOnboarding.props({}) },
      { type: PARTNERLINK_TYPES.partnerAdminLink, name: "pal", props: { partnerId: PARTNER_ID, objectId: PEC, tenantId: OTHER } },
    ];
    await assertNoStackViolations(p, createStackValidationArgs(resources, { partnerId: PARTNER_ID }));
  });

  it("a subscription declared only in config is reported on the stack", async () => {
    const cfg = { ...linkedPec, subscriptions: [{ subscriptionId: SUB2, name: "declared", agreement: "MCA" }] };
    const v = await assertHasStackViolation(p, createStackValidationArgs([nativeDefinition], cfg), /^PL007 Subscription 'declared'/);
    expect(v[0].urn).toBeUndefined();
  });

  it("an EA subscription with a declared DPOR is associated", async () => {
    const cfg = { ...linkedPec, subscriptions: [{ subscriptionId: SUB, agreement: "EA", dpor: true }] };
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, nativeDefinition], cfg));
  });

  it("unknown values are never a violation: an assignment scope known only after apply", async () => {
    const assignment = nativeAssignment({ scope: UNKNOWN, properties: { registrationDefinitionId: defResourceId } });
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, nativeDefinition, assignment], linkedPec));
  });

  it("an assignment whose definition is outside the stack may associate it: not reported", async () => {
    const other = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee`;
    const assignment = nativeAssignment({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: other } });
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, assignment], linkedPec));
  });

  it("azure-native outputs without the scope path parameter are not guessed to be elsewhere", async () => {
    const elsewhere = { ...nativeDefinition, props: azureNativeDefinition.props({ subscriptionId: SUB2 }) };
    const assignment = nativeAssignment({ name: "dddddddd-dddd-4ddd-8ddd-dddddddddddd", properties: { registrationDefinitionId: defResourceId.replace(SUB, SUB2) } });
    await assertNoStackViolations(p, createStackValidationArgs([existingSubscription, elsewhere, assignment], linkedPec));
    await assertHasStackViolation(p, createStackValidationArgs([existingSubscription, elsewhere], linkedPec), /^PL007 /);
  });

  it("a new subscription (ID known after apply) is not reported", async () => {
    const fresh = { ...existingSubscription, props: { aliasName: "new", properties: { workload: "Production", subscriptionId: UNKNOWN } } };
    await assertNoStackViolations(p, createStackValidationArgs([fresh, nativeDefinition], linkedPec));
  });

  it("not applicable to a stack with no partner resources and nothing declared", async () => {
    const run = await runStackPolicy(p, createStackValidationArgs([{ type: "random:index/randomPet:RandomPet", name: "pet", props: {} }]));
    expect(run.notApplicable).toMatch(/no partner-association resources/);
  });
});

describe("PL008 pal-link-missing", () => {
  const p = policy("pal-link-missing");

  it("a PEC principal with no PAL link is reported on the delegation", async () => {
    await assertHasStackViolation(
      p,
      createStackValidationArgs([nativeDefinition], { pecPrincipals: [PEC] }),
      new RegExp(`^PL008 Delegation 'offer'.*${PEC}.*not PAL-linked`),
      urnOf(nativeDefinition.type, nativeDefinition.name),
    );
  });

  it("a PartnerAdminLink for the principal (objectId output) satisfies it", async () => {
    const link: StackResourceSpec = { type: PARTNERLINK_TYPES.partnerAdminLink, name: "pal", props: { partnerId: PARTNER_ID, objectId: PEC } };
    await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition, link], { pecPrincipals: [PEC], partnerId: PARTNER_ID }));
  });

  it("a link to another partner ID is reported on the link", async () => {
    const link: StackResourceSpec = { type: PARTNERLINK_TYPES.partnerAdminLink, name: "pal", props: { partnerId: "7654321", objectId: PEC } };
    await assertHasStackViolation(
      p,
      createStackValidationArgs([nativeDefinition, link], { pecPrincipals: [PEC], partnerId: PARTNER_ID }),
      /^PL008 Partner link 'pal'.*7654321/,
      urnOf(link.type, link.name),
    );
  });

  it("a new PartnerAdminLink (objectId unknown at preview) is not guessed to be missing", async () => {
    const link: StackResourceSpec = { type: PARTNERLINK_TYPES.partnerAdminLink, name: "pal", props: { partnerId: PARTNER_ID, objectId: UNKNOWN } };
    await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition, link], { pecPrincipals: [PEC], partnerId: PARTNER_ID }));
  });

  it("a LighthouseOnboarding's pecAuthorization is checked without any config", async () => {
    const onboard: StackResourceSpec = { type: lighthouseOnboarding.type, name: "onboard", props: lighthouseOnboarding.props({}) };
    await assertHasStackViolation(p, createStackValidationArgs([onboard]), new RegExp(`^PL008 Delegation 'onboard'.*${PEC}`));
  });

  it("without any PEC principal the rule says, on the pack's output, that it was not evaluated", async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition]));
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("")).toMatch(/partnerlink \(pal-link-missing\): PL008 was not evaluated: no PEC principal/);
  });

  it("palLinkedPrincipals in config counts as linked", async () => {
    await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition], linkedPec));
  });
});

describe("PL011 dpor-agreement-mismatch", () => {
  const p = policy("dpor-agreement-mismatch");
  const eaSubscription: StackResourceSpec = {
    type: AZURE_NATIVE_TYPES.subscriptionAlias,
    name: "ea-sub",
    props: {
      aliasName: "ea-sub",
      properties: { subscriptionId: SUB, billingScope: "/providers/Microsoft.Billing/billingAccounts/1234/enrollmentAccounts/5678" },
    },
  };

  it("DPOR declared on an MCA subscription", async () => {
    await assertHasStackViolation(
      p,
      createStackValidationArgs([nativeDefinition], { subscriptions: [{ subscriptionId: SUB2, agreement: "MCA", dpor: true }] }),
      /^PL011 .*MCA/,
    );
  });

  it("an EA subscription (from its billing scope) without DPOR when config requires it, reported on the subscription", async () => {
    await assertHasStackViolation(
      p,
      createStackValidationArgs([eaSubscription], { requireDporForEa: true }),
      /^PL011 Subscription 'ea-sub'/,
      urnOf(eaSubscription.type, eaSubscription.name),
    );
    await assertNoStackViolations(p, createStackValidationArgs([eaSubscription], { requireDporForEa: false }));
    await assertNoStackViolations(
      p,
      createStackValidationArgs([eaSubscription], { requireDporForEa: true, subscriptions: [{ subscriptionId: SUB, dpor: true }] }),
    );
  });

  it("an MCA billing scope is not EA", async () => {
    const mca = {
      ...eaSubscription,
      props: { properties: { subscriptionId: SUB, billingScope: "/providers/Microsoft.Billing/billingAccounts/1/billingProfiles/2/invoiceSections/3" } },
    };
    await assertNoStackViolations(p, createStackValidationArgs([mca], { requireDporForEa: true }));
  });
});

describe("PL013 definition-id-conflict", () => {
  const p = policy("definition-id-conflict");

  it("two azure-native definitions with one ID in one subscription and other authorizations: reported on the second", async () => {
    const readerOnly: StackResourceSpec = { type: azureNativeDefinition.type, name: "offer-again", props: azureNativeDefinition.props({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] }) };
    await assertHasStackViolation(
      p,
      createStackValidationArgs([nativeDefinition, readerOnly], linkedPec),
      new RegExp(`^PL013 Delegation 'offer-again' \\(\\$\\.registrationDefinitionId\\): registration definition ${DEF_GUID} in subscription ${SUB} is also declared by 'offer'`),
      urnOf(readerOnly.type, readerOnly.name),
    );
  });

  it("not reported for the same contents twice, or for the same ID in another subscription", async () => {
    const same: StackResourceSpec = { ...nativeDefinition, name: "offer-again" };
    await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition, same], linkedPec));
    const elsewhere: StackResourceSpec = { type: azureNativeDefinition.type, name: "offer-sub2", props: azureNativeDefinition.props({ subscriptionId: SUB2, auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] }) };
    await assertNoStackViolations(p, createStackValidationArgs([nativeDefinition, elsewhere], linkedPec));
  });
});
