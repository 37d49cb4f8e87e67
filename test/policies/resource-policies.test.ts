import { AZURE_CLASSIC_TYPES, AZURE_NATIVE_TYPES, PARTNERLINK_TYPES } from "../../policies/adapters";
import { validateResourceWithRule } from "../../policies/resource-policies";
import { RULES } from "../../rules/metadata";
import { DEFINITION_KINDS, azureNativeDefinition, classicDefinition, lighthouseOnboarding } from "./fixtures";
import {
  APPROVER,
  ASSIGN_GUID,
  DEF_GUID,
  OTHER,
  OTHER_TENANT,
  PEC,
  ROLES,
  SUB,
  TENANT,
  UNKNOWN,
  assertHasResourceViolation,
  assertNoResourceViolations,
  createResourceValidationArgs,
  policy,
  runResourcePolicy,
} from "./util";

const withPec = { pecPrincipals: [PEC] };

describe.each(DEFINITION_KINDS)("$label", (kind) => {
  const args = (spec: Parameters<typeof kind.props>[0], config?: unknown) =>
    createResourceValidationArgs(kind.type, kind.props(spec), { name: "contoso", config });

  it("a compliant delegation passes every resource policy", async () => {
    const cfg = { ...withPec, allowedManagingTenants: [TENANT] };
    for (const name of [
      "pec-principal-missing",
      "pec-principal-jit-only",
      "pec-role-not-eligible",
      "role-not-supported-by-lighthouse",
      "eligible-authorization-invalid",
      "definition-scope-invalid",
      "managing-tenant-not-allowed",
      "invalid-identifier",
      "value-unresolved",
    ]) {
      const run = await assertNoResourceViolations(policy(name), args({}, cfg));
      expect(run.notApplicable).toBeUndefined();
    }
  });

  it("PL003 pec-role-not-eligible: the PEC principal with Reader only", async () => {
    await assertHasResourceViolation(
      policy("pec-role-not-eligible"),
      args({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] }, withPec),
      /^PL003 .*contoso/,
    );
  });

  it("PL004 role-not-supported-by-lighthouse: Owner is rejected by Azure", async () => {
    const auths = [
      { principalId: PEC, roleDefinitionId: ROLES.contributor },
      { principalId: OTHER, roleDefinitionId: ROLES.owner },
    ];
    const v = await assertHasResourceViolation(policy("role-not-supported-by-lighthouse"), args({ auths }), /^PL004 /);
    expect(v.some((x) => /authorizations\[\d\]/.test(x.message))).toBe(true);
  });

  it("PL004: User Access Administrator with delegatedRoleDefinitionIds is accepted", async () => {
    const auths = [
      { principalId: PEC, roleDefinitionId: ROLES.contributor },
      { principalId: OTHER, roleDefinitionId: ROLES.userAccessAdministrator, delegatedRoleDefinitionIds: [ROLES.contributor] },
    ];
    await assertNoResourceViolations(policy("role-not-supported-by-lighthouse"), args({ auths }));
  });

  it("PL004 warnings (a custom role, a DataActions role among the delegated roles) are logged, not violations of the mandatory policy", async () => {
    const auths = [
      { principalId: PEC, roleDefinitionId: ROLES.contributor },
      { principalId: OTHER, roleDefinitionId: "9b0c1f4e-0000-4000-8000-00000000c0de" },
      { principalId: APPROVER, roleDefinitionId: ROLES.userAccessAdministrator, delegatedRoleDefinitionIds: [ROLES.contributor, "92aaf0da-9dab-42b6-94a3-d43ce8d16293"] },
    ];
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await assertNoResourceViolations(policy("role-not-supported-by-lighthouse"), args({ auths }));
    } finally {
      spy.mockRestore();
    }
    const logged = written.filter((l) => l.startsWith("partnerlink: PL004 warning on 'contoso' (not a violation: below the rule's error)"));
    expect(logged).toHaveLength(2);
    expect(logged.join("")).toMatch(/not a built-in role partnerlink knows[\s\S]*Log Analytics Contributor/);
    // An error of the same rule still is one.
    await assertHasResourceViolation(policy("role-not-supported-by-lighthouse"), args({ auths: [...auths, { principalId: OTHER, roleDefinitionId: ROLES.owner }] }), /^PL004 .*Owner/);
  });

  it("PL005 eligible-authorization-invalid: maximumActivationDuration above PT8H", async () => {
    const eligible = [{ principalId: OTHER, roleDefinitionId: ROLES.reader, duration: "PT12H", approvers: [APPROVER] }];
    await assertHasResourceViolation(policy("eligible-authorization-invalid"), args({ eligible }), /^PL005 .*PT12H/);
    await assertNoResourceViolations(
      policy("eligible-authorization-invalid"),
      args({ eligible: [{ ...eligible[0], duration: "PT8H" }] }),
    );
  });

  it("PL009 managing-tenant-not-allowed", async () => {
    const cfg = { allowedManagingTenants: [TENANT] };
    await assertHasResourceViolation(policy("managing-tenant-not-allowed"), args({ tenant: OTHER_TENANT }, cfg), OTHER_TENANT);
    await assertNoResourceViolations(policy("managing-tenant-not-allowed"), args({ tenant: TENANT }, cfg));
  });

  it("PL010 invalid-identifier: a principalId that is not a GUID", async () => {
    const auths = [
      { principalId: PEC, roleDefinitionId: ROLES.contributor },
      { principalId: "not-a-guid", roleDefinitionId: ROLES.reader },
    ];
    await assertHasResourceViolation(policy("invalid-identifier"), args({ auths }), /^PL010 .*not-a-guid/);
  });

  it("PL012 value-unresolved: a principal unknown at preview is reported as not checkable, never as missing", async () => {
    const spec = { auths: [{ principalId: UNKNOWN, roleDefinitionId: ROLES.contributor }] };
    await assertHasResourceViolation(policy("value-unresolved"), args(spec, withPec), /cannot be checked until apply/);
    await assertNoResourceViolations(policy("pec-principal-missing"), args(spec, withPec));
    await assertNoResourceViolations(policy("pec-role-not-eligible"), args(spec, withPec));
    await assertNoResourceViolations(policy("invalid-identifier"), args(spec, withPec));
  });

  it("PL012: a role unknown at preview is not a Lighthouse violation", async () => {
    const spec = { auths: [{ principalId: PEC, roleDefinitionId: UNKNOWN }] };
    await assertNoResourceViolations(policy("role-not-supported-by-lighthouse"), args(spec, withPec));
    await assertNoResourceViolations(policy("pec-role-not-eligible"), args(spec, withPec));
    await assertHasResourceViolation(policy("value-unresolved"), args(spec, withPec), /roleDefinitionId/);
  });

});

describe("a LighthouseOnboarding against the configured PEC principal (configuration wins)", () => {
  const args = (spec: Parameters<typeof lighthouseOnboarding.props>[0], config?: unknown) =>
    createResourceValidationArgs(lighthouseOnboarding.type, lighthouseOnboarding.props(spec), { name: "contoso", config });

  it("PL002: the configured PEC principal only just-in-time, although pecAuthorization names another identity", async () => {
    // pecAuthorization = OTHER (permanent Contributor); the partner's configured PEC identity PEC is only eligible.
    const spec = {
      auths: [{ principalId: OTHER, roleDefinitionId: ROLES.contributor }],
      eligible: [{ principalId: PEC, roleDefinitionId: ROLES.contributor, approvers: [APPROVER] }],
    };
    await assertHasResourceViolation(policy("pec-principal-jit-only"), args(spec, withPec), new RegExp(`^PL002 .*${PEC}`));
  });

  it("without configured PEC principals, pecAuthorization is the PEC principal: permanent, no PL001/PL002", async () => {
    const spec = { auths: [{ principalId: OTHER, roleDefinitionId: ROLES.contributor }] };
    await assertNoResourceViolations(policy("pec-principal-jit-only"), args(spec));
    await assertNoResourceViolations(policy("pec-principal-missing"), args(spec));
  });
});

// azure-native and classic definitions list principals freely; a LighthouseOnboarding always carries its PEC
// authorization permanently and at subscription scope, so PL001, PL002 and PL006 cannot fire on it.
describe.each([azureNativeDefinition, classicDefinition])("$label (free-form authorizations)", (kind) => {
  const args = (spec: Parameters<typeof kind.props>[0], config?: unknown) =>
    createResourceValidationArgs(kind.type, kind.props(spec), { name: "contoso", config });

  it("PL001 pec-principal-missing: no authorization for the PEC principal", async () => {
    const v = await assertHasResourceViolation(
      policy("pec-principal-missing"),
      args({ auths: [{ principalId: OTHER, roleDefinitionId: ROLES.contributor }] }, withPec),
      /^PL001 Delegation 'contoso'.*no authorization for the PEC principal/,
    );
    expect(v).toHaveLength(1);
  });

  it("PL002 pec-principal-jit-only: the PEC principal only as eligible", async () => {
    const spec = {
      auths: [{ principalId: OTHER, roleDefinitionId: ROLES.reader }],
      eligible: [{ principalId: PEC, roleDefinitionId: ROLES.contributor, approvers: [APPROVER] }],
    };
    await assertHasResourceViolation(policy("pec-principal-jit-only"), args(spec, withPec), /^PL002 /);
    await assertNoResourceViolations(policy("pec-principal-missing"), args(spec, withPec));
  });

  it("PEC rules stay silent without config (getConfig() returns {})", async () => {
    const spec = { auths: [{ principalId: OTHER, roleDefinitionId: ROLES.reader }] };
    await assertNoResourceViolations(policy("pec-principal-missing"), args(spec));
    await assertNoResourceViolations(policy("pec-role-not-eligible"), args(spec));
  });

  it("a PEC rule given no PEC principal says so in the pack's output, once per run, instead of passing in silence", () => {
    // The doc's own example configures pec-principal-missing only: pec-role-not-eligible then has no PEC principal.
    const meta = RULES.find((m) => m.name === "pec-role-not-eligible")!;
    const spec = { auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] };
    const lines: string[] = [];
    const violations: string[] = [];
    const log = (l: string) => lines.push(l);
    for (let i = 0; i < 2; i++) validateResourceWithRule(meta, args(spec), (m: string) => violations.push(m), undefined, log);
    expect(violations).toEqual([]);
    expect(lines).toEqual([expect.stringMatching(/^partnerlink \(pec-role-not-eligible\): PL003 was not evaluated: no PEC principal is configured/)]);
    // Given one, it judges and says nothing of the kind.
    const configured: string[] = [];
    validateResourceWithRule(meta, args(spec, withPec), (m: string) => violations.push(m), undefined, (l) => configured.push(l));
    expect(violations).toEqual([expect.stringMatching(/^PL003 /)]);
    expect(configured).toEqual([]);
  });

  it("PL006 definition-scope-invalid: a definition at resource-group scope", async () => {
    await assertHasResourceViolation(
      policy("definition-scope-invalid"),
      args({ scope: `/subscriptions/${SUB}/resourceGroups/rg1` }),
      /^PL006 /,
    );
  });
});

describe("findings name the property as each provider spells it", () => {
  const native = (props: Record<string, unknown>) => createResourceValidationArgs(azureNativeDefinition.type, props, { name: "contoso" });
  const classic = (props: Record<string, unknown>, config?: unknown) =>
    createResourceValidationArgs(classicDefinition.type, props, { name: "contoso", config });

  it("azure-native: the definition's scope is `$.scope` (a path parameter beside `properties`)", async () => {
    const v = await assertHasResourceViolation(
      policy("definition-scope-invalid"),
      native(azureNativeDefinition.props({ scope: `/subscriptions/${SUB}/resourceGroups/rg1` })),
      /^PL006 Delegation 'contoso' \(\$\.scope\): /,
    );
    expect(v.map((x) => x.message).join("\n")).not.toContain("definitionScope");
  });

  it("azure-native: a malformed registrationDefinitionId is `$.registrationDefinitionId`", async () => {
    const props = { ...azureNativeDefinition.props({}), registrationDefinitionId: "not-a-guid" };
    await assertHasResourceViolation(policy("invalid-identifier"), native(props), /^PL010 .*\$\.registrationDefinitionId\b/);
  });

  it("classic azure: the managing tenant is `$.managingTenantId`, in the path and in the fix", async () => {
    const v = await assertHasResourceViolation(
      policy("managing-tenant-not-allowed"),
      classic(classicDefinition.props({ tenant: OTHER_TENANT }), { allowedManagingTenants: [TENANT] }),
      /^PL009 Delegation 'contoso' \(\$\.managingTenantId\): .*Fix: set managingTenantId /,
    );
    expect(v.map((x) => x.message).join("\n")).not.toContain("managedByTenantId");
  });

  it("classic azure: a malformed lighthouseDefinitionId is `$.lighthouseDefinitionId`", async () => {
    const props = { ...classicDefinition.props({}), lighthouseDefinitionId: "not-a-guid" };
    await assertHasResourceViolation(policy("invalid-identifier"), classic(props), /^PL010 .*\$\.lighthouseDefinitionId\b/);
  });
});

describe("partnerlink LighthouseOnboarding", () => {
  it("its pecAuthorization is the PEC principal even without config", async () => {
    const props = lighthouseOnboarding.props({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] });
    await assertHasResourceViolation(
      policy("pec-role-not-eligible"),
      createResourceValidationArgs(PARTNERLINK_TYPES.lighthouseOnboarding, props, { name: "contoso" }),
      /^PL003 /,
    );
  });

  it("served by the provider plugin (partnerlink:index:LighthouseOnboarding), it is judged the same", async () => {
    const props = lighthouseOnboarding.props({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] });
    await assertHasResourceViolation(
      policy("pec-role-not-eligible"),
      createResourceValidationArgs(PARTNERLINK_TYPES.pluginLighthouseOnboarding, props, { name: "contoso" }),
      /^PL003 /,
    );
    expect(PARTNERLINK_TYPES.pluginLighthouseOnboarding).toBe("partnerlink:index:LighthouseOnboarding");
  });

  it("pecAuthorization without roleDefinitionId gets the provider's default (Contributor)", async () => {
    const props = lighthouseOnboarding.props({});
    delete (props.pecAuthorization as Record<string, unknown>).roleDefinitionId;
    await assertNoResourceViolations(
      policy("pec-role-not-eligible"),
      createResourceValidationArgs(PARTNERLINK_TYPES.lighthouseOnboarding, props, { name: "contoso", config: withPec }),
    );
  });

  it("a resource group that is not a valid name is an invalid scope (PL010)", async () => {
    const props = { ...lighthouseOnboarding.props({}), resourceGroups: ["rg/with/slashes"] };
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.lighthouseOnboarding, props, { name: "contoso" }),
      /^PL010 .*resourceGroups\[0\]/,
    );
  });

  it("its own rulesConfig.waivers apply to it (as its provider's check does), scoped to it", async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const reader = lighthouseOnboarding.props({ auths: [{ principalId: PEC, roleDefinitionId: ROLES.reader }] });
    const args = (waiver: Record<string, unknown>) =>
      createResourceValidationArgs(
        PARTNERLINK_TYPES.lighthouseOnboarding,
        { ...reader, rulesConfig: { waivers: [{ rule: "PL003", reason: "read-only pilot", ...waiver }] } },
        { name: "contoso" },
      );
    try {
      await assertNoResourceViolations(policy("pec-role-not-eligible"), args({ resource: "*" }));
      await assertNoResourceViolations(policy("pec-role-not-eligible"), args({ resource: "contoso" }));
      await assertHasResourceViolation(policy("pec-role-not-eligible"), args({ resource: "another" }), /^PL003 /);
    } finally {
      spy.mockRestore();
    }
    expect(lines.join("")).toMatch(/PL003 waived on 'contoso': read-only pilot/);
  });

  it("never echoes the customer connection's secret", async () => {
    const props = lighthouseOnboarding.props({ auths: [{ principalId: "bad", roleDefinitionId: ROLES.reader }] });
    const run = await runResourcePolicy(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.lighthouseOnboarding, props, { name: "contoso" }),
    );
    expect(run.violations.length).toBeGreaterThan(0);
    expect(JSON.stringify(run.violations)).not.toContain("do-not-print");
  });
});

describe("registration assignments on their own", () => {
  const native = (props: Record<string, unknown>) =>
    createResourceValidationArgs(AZURE_NATIVE_TYPES.registrationAssignment, props, { name: "assign" });
  const classic = (props: Record<string, unknown>) =>
    createResourceValidationArgs(AZURE_CLASSIC_TYPES.lighthouseAssignment, props, { name: "assign" });
  const defId = `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${DEF_GUID}`;

  it("a well-formed assignment passes, whatever its definition holds", async () => {
    const a = native({ scope: `/subscriptions/${SUB}`, registrationAssignmentId: ASSIGN_GUID, properties: { registrationDefinitionId: defId } });
    await assertNoResourceViolations(policy("invalid-identifier"), a);
    await assertNoResourceViolations(policy("value-unresolved"), a);
  });

  it("PL010: a scope that is not a subscription or resource group", async () => {
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      native({ scope: "/providers/Microsoft.Management/managementGroups/mg", properties: { registrationDefinitionId: defId } }),
      /^PL010 .*\$\.scope/,
    );
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      classic({ scope: "subscription-one", lighthouseDefinitionId: defId }),
      /^PL010 .*subscription-one/,
    );
  });

  it("PL012: the definition ID unknown at preview (an output of the definition), named by the input that holds it", async () => {
    const run = await runResourcePolicy(
      policy("value-unresolved"),
      classic({ scope: `/subscriptions/${SUB}`, lighthouseDefinitionId: UNKNOWN }),
    );
    expect(run.violations.map((v) => v.message)).toEqual([expect.stringMatching(/\(\$\.lighthouseDefinitionId\): value not known before deployment.*cannot be checked until apply/)]);
    const native_ = await runResourcePolicy(policy("value-unresolved"), native({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: UNKNOWN } }));
    expect(native_.violations.map((v) => v.message)).toEqual([expect.stringMatching(/\(\$\.properties\.registrationDefinitionId\): value not known before deployment.*cannot be checked until apply/)]);
    // Malformed, the same input is named (PL010).
    const malformed = await runResourcePolicy(policy("invalid-identifier"), native({ scope: `/subscriptions/${SUB}`, properties: { registrationDefinitionId: "not-a-guid" } }));
    expect(malformed.violations.map((v) => v.message)).toEqual([expect.stringMatching(/^PL010 .*\(\$\.properties\.registrationDefinitionId\): "not-a-guid" is not a registration definition ID/)]);
  });

  it("definition rules do not apply to an assignment alone", async () => {
    const run = await runResourcePolicy(policy("pec-principal-missing"), native({ scope: `/subscriptions/${SUB}` }));
    expect(run.notApplicable).toBe(`PL001 does not apply to an assignment resource on its own (${AZURE_NATIVE_TYPES.registrationAssignment})`);
  });
});

describe("partner links and subscriptions", () => {
  it("PL010 on an azure-native Partner with a partner ID that is not numeric", async () => {
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(AZURE_NATIVE_TYPES.partner, { partnerId: "contoso" }, { name: "pal" }),
      /^PL010 .*contoso/,
    );
  });

  it("PL010 on a PartnerAdminLink; a valid one passes", async () => {
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.partnerAdminLink, { partnerId: "12" }, { name: "pal" }),
      /^PL010 /,
    );
    await assertNoResourceViolations(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.partnerAdminLink, { partnerId: "1234567" }, { name: "pal" }),
    );
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.pluginPartnerAdminLink, { partnerId: "12" }, { name: "pal" }),
      /^PL010 /,
    );
  });

  it("PL012 on a new PartnerAdminLink: its identity's objectId is an output", async () => {
    await assertHasResourceViolation(
      policy("value-unresolved"),
      createResourceValidationArgs(PARTNERLINK_TYPES.partnerAdminLink, { partnerId: "1234567" }, { name: "pal" }),
      /\$\.objectId.*connection signs in as.*state it with the objectId input.*cannot be checked until apply/,
    );
  });

  it("a PartnerAdminLink that states its objectId (input) is judged at preview: no PL012; a malformed one is PL010", async () => {
    const stated = createResourceValidationArgs(PARTNERLINK_TYPES.partnerAdminLink, { partnerId: "1234567", objectId: "1a000000-0000-4000-8000-000000000001" }, { name: "pal" });
    await assertNoResourceViolations(policy("value-unresolved"), stated);
    await assertNoResourceViolations(policy("invalid-identifier"), stated);
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(PARTNERLINK_TYPES.pluginPartnerAdminLink, { partnerId: "1234567", objectId: "Provider Automation Account" }, { name: "pal" }),
      /^PL010 .*Provider Automation Account/,
    );
  });

  it("PL012 on an azure-native Partner: it links whoever deploys it", async () => {
    await assertHasResourceViolation(
      policy("value-unresolved"),
      createResourceValidationArgs(AZURE_NATIVE_TYPES.partner, { partnerId: "1234567" }, { name: "pal" }),
      /objectId/,
    );
  });

  it("a new subscription's ID is known only after apply (PL012), a malformed one is PL010", async () => {
    await assertHasResourceViolation(
      policy("value-unresolved"),
      createResourceValidationArgs(AZURE_NATIVE_TYPES.subscriptionAlias, { aliasName: "s", properties: { displayName: "s", workload: "Production" } }, { name: "sub" }),
      /cannot be checked until apply/,
    );
    await assertHasResourceViolation(
      policy("invalid-identifier"),
      createResourceValidationArgs(AZURE_CLASSIC_TYPES.subscription, { subscriptionName: "s", subscriptionId: "xyz" }, { name: "sub" }),
      /^PL010 .*xyz/,
    );
  });

  it("resources partnerlink does not know are not applicable", async () => {
    const run = await runResourcePolicy(
      policy("invalid-identifier"),
      createResourceValidationArgs("azure-native:storage:StorageAccount", { accountName: "x" }),
    );
    expect(run).toEqual({ violations: [], notApplicable: expect.stringContaining("azure-native:storage:StorageAccount") });
  });
});
