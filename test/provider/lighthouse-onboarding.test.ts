/**
 * LighthouseOnboarding provider operations against the emulator over https through the real SDK pipeline
 * (provider methods called directly; operations load from dist/, so build first — `npm test` does).
 */
import { armGuid } from "../../rules/identifiers";
import { LighthouseOnboardingProvider } from "../../provider/lighthouse-onboarding";
import type { LighthouseOnboardingInputs } from "../../provider/lighthouse-inputs";
import {
  ADMIN_GROUP,
  CONTRIBUTOR,
  CUSTOMER_TENANT,
  ENGINEER,
  failureOf,
  OTHER_TENANT,
  OWNER,
  PAL_SP,
  PARTNER_TENANT,
  READER,
  startFixture,
  SUB_PLAIN,
  SUB_RGS,
  type Fixture,
} from "./fixtures";

let fx: Fixture;
const provider = new LighthouseOnboardingProvider({ updateIntervalInMs: 5 });

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});
beforeEach(() => {
  fx.emu.state.reset();
  fx.emu.setFaults([]);
});

function inputs(over: Partial<LighthouseOnboardingInputs> = {}): LighthouseOnboardingInputs {
  return {
    managingTenantId: PARTNER_TENANT,
    customerTenantId: CUSTOMER_TENANT,
    subscriptionId: SUB_PLAIN,
    offerName: "Contoso managed services",
    offerDescription: "Managed by Contoso",
    pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "Provider Automation Account" },
    authorizations: [{ principalId: ADMIN_GROUP, principalIdDisplayName: "Lighthouse Admins", roleDefinitionId: READER }],
    customerConnection: fx.connection("deployer"),
    ...over,
  };
}

/** check() then create(), as the engine does. */
async function checkedCreate(i: LighthouseOnboardingInputs) {
  const c = await provider.check({}, i);
  expect(c.failures).toBeUndefined();
  return provider.create(c.inputs);
}

const defs = () => fx.emu.state.listDefinitions();
const assigns = () => fx.emu.state.listAssignments();

describe("check: the shared rules before any ARM call", () => {
  test("good inputs pass; defaults are applied (Contributor for the PEC principal, no resource groups)", async () => {
    const before = fx.log.length;
    const r = await provider.check({}, inputs());
    expect(r.failures).toBeUndefined();
    expect(r.inputs.pecAuthorization.roleDefinitionId).toBe(CONTRIBUTOR);
    expect(r.inputs.resourceGroups).toEqual([]);
    expect(fx.log.length).toBe(before);
  });

  test("a PEC role that earns no credit fails with PL003's message", async () => {
    const r = await provider.check({}, inputs({ pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "PAA", roleDefinitionId: READER } }));
    expect(r.failures?.map((f) => f.reason).join("\n")).toMatch(/^PL003 pec-role-not-eligible: /m);
  });

  test("Owner in authorizations fails with PL004; a managing tenant outside the allow-list with PL009", async () => {
    const r = await provider.check(
      {},
      inputs({
        managingTenantId: OTHER_TENANT,
        authorizations: [{ principalId: ADMIN_GROUP, roleDefinitionId: OWNER }],
        rulesConfig: { allowedManagingTenants: [PARTNER_TENANT] },
      }),
    );
    const reasons = (r.failures ?? []).map((f) => f.reason);
    expect(reasons.some((x) => x.startsWith("PL004 role-not-supported-by-lighthouse: "))).toBe(true);
    expect(reasons.some((x) => x.startsWith("PL009 managing-tenant-not-allowed: "))).toBe(true);
    // Named in the reason; `property` is left empty for a nested path (see provider/input-validation.ts engineFailures).
    expect((r.failures ?? []).find((f) => f.reason.startsWith("PL004"))).toEqual({ property: "", reason: expect.stringMatching(/^PL004 [\w-]+: Delegation 'Contoso managed services' \(authorizations\[0\]\.roleDefinitionId\): /) });
    // A top-level input keeps its property: the engine prints its value beside the reason.
    const pl009 = (r.failures ?? []).find((f) => f.reason.startsWith("PL009"));
    expect(pl009?.property).toBe("managingTenantId");
    // The resource's input names, not the model's ARM names (managedByTenantId, definitionScope).
    expect(pl009?.reason).toMatch(/\(managingTenantId\): .* Fix: set managingTenantId /);
    const badSub = await provider.check({}, inputs({ subscriptionId: "sub-1" }));
    expect(badSub.failures?.map((f) => f.property)).toEqual(["subscriptionId"]);
    expect(badSub.failures?.[0].reason).toMatch(/^PL010 invalid-identifier: 'Contoso managed services' \(subscriptionId\): /);
  });

  test("a placeholder GUID (00000000-...) left in is refused once, where it is, saying it is a placeholder", async () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    const sub = await provider.check({}, inputs({ subscriptionId: NIL }));
    // The definition's scope and the assignment's are both built from subscriptionId: one failure.
    expect(sub.failures?.map((f) => f.property)).toEqual(["subscriptionId"]);
    expect(sub.failures?.[0].reason).toMatch(/^PL010 invalid-identifier: 'Contoso managed services' \(subscriptionId\): "\/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a subscription in a scope: .* Fix: put the customer subscription's ID/);
    const pec = await provider.check({}, inputs({ pecAuthorization: { principalId: NIL, principalDisplayName: "PEC" } }));
    expect(pec.failures?.map((f) => f.reason)).toEqual([expect.stringMatching(/^PL010 invalid-identifier: .*\(pecAuthorization\.principalId\): "0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a principal object ID/)]);
    const tenant = await provider.check({}, inputs({ managingTenantId: NIL }));
    expect(tenant.failures?.map((f) => f.property)).toEqual(["managingTenantId"]);
  });

  test("a service principal as eligible approver, or a too-long activation, fails with PL005", async () => {
    const r = await provider.check(
      {},
      inputs({
        eligibleAuthorizations: [
          {
            principalId: ENGINEER,
            roleDefinitionId: CONTRIBUTOR,
            justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT12H", managedByTenantApprovers: [{ principalId: PAL_SP.objectId }] },
          },
        ],
      }),
    );
    expect((r.failures ?? []).filter((f) => f.reason.startsWith("PL005 ")).length).toBeGreaterThanOrEqual(1);
  });

  test("schema errors name the JSON path; a waived rule does not fail", async () => {
    const bad = await provider.check({}, { ...inputs(), subscriptionId: 42, offerName: undefined });
    const props = (bad.failures ?? []).map((f) => f.property);
    expect(props).toEqual(expect.arrayContaining(["subscriptionId", "offerName"]));
    const waived = await provider.check(
      {},
      inputs({
        pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "PAA", roleDefinitionId: READER },
        rulesConfig: { waivers: [{ rule: "PL003", resource: "*", reason: "reader-only pilot" }] },
      }),
    );
    expect(waived.failures).toBeUndefined();
  });

  test("an authorization listed twice is refused, naming the entry, the one it repeats and the fix", async () => {
    const roleResourceId = `/subscriptions/${SUB_PLAIN}/providers/Microsoft.Authorization/roleDefinitions/${READER.toUpperCase()}`;
    const before = fx.log.length;
    const r = await provider.check(
      {},
      inputs({
        authorizations: [
          { principalId: ADMIN_GROUP, principalIdDisplayName: "Lighthouse Admins", roleDefinitionId: READER },
          { principalId: ENGINEER, roleDefinitionId: READER },
          // The same grant as [0]: GUIDs in another case, the role as a resource ID, another display name.
          { principalId: ADMIN_GROUP.toUpperCase(), principalIdDisplayName: "Admins again", roleDefinitionId: roleResourceId },
        ],
      }),
    );
    expect(r.failures).toEqual([
      {
        property: "",
        reason:
          "LighthouseOnboarding 'Contoso managed services': authorizations[2] repeats authorizations[0] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds); " +
          "a registration definition lists each authorization once. Remove authorizations[2].",
      },
    ]);
    expect(fx.log.length).toBe(before); // refused before any ARM call
  });

  test("an authorization that repeats pecAuthorization is refused (it was left out silently, and came back as drift on refresh)", async () => {
    const r = await provider.check({}, inputs({ authorizations: [{ principalId: PAL_SP.objectId, principalIdDisplayName: "PEC again", roleDefinitionId: CONTRIBUTOR }] }));
    expect(r.failures).toEqual([
      {
        property: "",
        reason:
          `LighthouseOnboarding 'Contoso managed services': authorizations[0] repeats pecAuthorization (the same principalId and roleDefinitionId, Contributor (${CONTRIBUTOR}), and no delegatedRoleDefinitionIds), ` +
          "which the resource always sends as the first authorization; a registration definition lists each authorization once. Remove authorizations[0].",
      },
    ]);
    // The PEC principal in another role, or with roles to delegate, is another grant.
    const other = await provider.check({}, inputs({ authorizations: [{ principalId: PAL_SP.objectId, roleDefinitionId: READER }] }));
    expect(other.failures).toBeUndefined();
  });

  test("an eligible authorization listed twice (Azure's just-in-time defaults, None and PT8H, written out or not) is refused; one asking for MFA is another grant", async () => {
    const jit = { principalId: ENGINEER, roleDefinitionId: CONTRIBUTOR };
    const r = await provider.check(
      {},
      inputs({ eligibleAuthorizations: [jit, { ...jit, justInTimeAccessPolicy: { multiFactorAuthProvider: "None", maximumActivationDuration: "PT8H" } }] }),
    );
    expect(r.failures?.map((f) => f.property)).toEqual([""]);
    expect(r.failures?.[0].reason).toBe(
      "LighthouseOnboarding 'Contoso managed services': eligibleAuthorizations[1] repeats eligibleAuthorizations[0] (the same principalId, roleDefinitionId and just-in-time policy, " +
        "a policy property left out read as Azure's default: multiFactorAuthProvider None, maximumActivationDuration PT8H); " +
        "a registration definition lists each eligible authorization once. Remove eligibleAuthorizations[1].",
    );
    // Azure stores a policy left out as None (the REST spec's default): asking for MFA is not the same grant.
    const withMfa = await provider.check({}, inputs({ eligibleAuthorizations: [jit, { ...jit, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" } }] }));
    expect(withMfa.failures).toBeUndefined();
    const shorter = await provider.check({}, inputs({ eligibleAuthorizations: [jit, { ...jit, justInTimeAccessPolicy: { multiFactorAuthProvider: "None", maximumActivationDuration: "PT1H" } }] }));
    expect(shorter.failures).toBeUndefined();
  });

  test("authorizations whose principal or role is unknown at preview are not taken for repeats", async () => {
    const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const r = await provider.check(
      {},
      inputs({
        pecAuthorization: { principalId: U, principalDisplayName: "PAA" },
        authorizations: [
          { principalId: U, roleDefinitionId: CONTRIBUTOR },
          { principalId: U, roleDefinitionId: CONTRIBUTOR },
          { principalId: ADMIN_GROUP, roleDefinitionId: U },
          { principalId: ADMIN_GROUP, roleDefinitionId: U },
        ],
      }),
    );
    expect(r.failures).toBeUndefined();
  });

  test("values unknown at preview are not failures", async () => {
    const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const r = await provider.check({}, { ...inputs(), subscriptionId: U, pecAuthorization: { principalId: U, principalDisplayName: "PAA" } });
    expect(r.failures).toBeUndefined();
  });
});

describe("create", () => {
  test("subscription scope: definition guid(offerName), one assignment guid(offerName), as the templates derive them", async () => {
    const r = await checkedCreate(inputs());
    const g = armGuid("Contoso managed services");
    expect(r.id).toBe(`/subscriptions/${SUB_PLAIN}/providers/Microsoft.ManagedServices/registrationDefinitions/${g}`);
    expect(r.outs.definitionId).toBe(r.id);
    expect(r.outs.assignmentIds).toEqual([`/subscriptions/${SUB_PLAIN}/providers/Microsoft.ManagedServices/registrationAssignments/${g}`]);
    expect(r.outs.provisioningState).toBe("Succeeded");
    expect(r.outs.manageeTenantId).toBe(CUSTOMER_TENANT);
    expect(defs()).toHaveLength(1);
    expect(assigns()).toHaveLength(1);
    const auths = defs()[0].properties.authorizations as { principalId: string; roleDefinitionId: string }[];
    expect(auths[0]).toMatchObject({ principalId: PAL_SP.objectId, roleDefinitionId: CONTRIBUTOR });
    expect(auths).toHaveLength(2);
  });

  test("resource groups: one assignment per group, none at the subscription", async () => {
    const r = await checkedCreate(inputs({ subscriptionId: SUB_RGS, resourceGroups: ["rg-web", "rg-data"] }));
    expect(r.outs.assignmentIds).toHaveLength(2);
    expect(assigns().map((a) => a.scope).sort()).toEqual([`/subscriptions/${SUB_RGS}/resourceGroups/rg-data`, `/subscriptions/${SUB_RGS}/resourceGroups/rg-web`]);
    expect(defs()).toHaveLength(1);
  });

  test("a re-run adopts what exists: no duplicate", async () => {
    await checkedCreate(inputs());
    const again = await checkedCreate(inputs());
    expect(again.outs.provisioningState).toBe("Succeeded");
    expect(defs()).toHaveLength(1);
    expect(assigns()).toHaveLength(1);
  });

  test("a customer connection without Owner fails saying so; a partner credential fails naming the tenants", async () => {
    const e = await failureOf(() => checkedCreate(inputs({ customerConnection: fx.connection("nonOwner") })));
    expect(e.message).toMatch(/Owner/);
    expect(e.message).toMatch(/CUSTOMER tenant/i);
    expect(e.message).not.toContain(fx.secrets.nonOwner);
    // A partner credential naming its tenant is refused at check(); one that does not name it (the default chain,
    // az login) is refused at sign-in, before any write.
    const checked = await provider.check({}, inputs({ customerConnection: fx.connection("pal") }));
    expect(checked.failures).toEqual([
      {
        property: "customerTenantId",
        reason:
          `LighthouseOnboarding 'Contoso managed services': customerTenantId ${CUSTOMER_TENANT} is not the tenant customerConnection signs in to (${PARTNER_TENANT}): onboarding is deployed by an identity of the customer's tenant. ` +
          `Fix: correct customerTenantId, or give customerConnection a deployer of tenant ${CUSTOMER_TENANT}.`,
      },
    ]);
    expect(JSON.stringify(checked.failures)).not.toContain(fx.secrets.pal);
    const p = await failureOf(() => provider.create(checked.inputs));
    expect(p.message).toContain(`signs in to tenant ${PARTNER_TENANT}`);
    expect(p.message).not.toContain(fx.secrets.pal);
    expect(defs()).toHaveLength(0);
  });

  test("a customerTenantId that is not a GUID is refused at check(), naming the property and the fix", async () => {
    const c = await provider.check({}, inputs({ customerTenantId: CUSTOMER_TENANT.slice(0, -1) }));
    expect(c.failures?.map((f) => f.property)).toEqual(["customerTenantId"]);
    expect(c.failures?.[0].reason).toMatch(/customerTenantId '.*' is not a GUID \(8-4-4-4-12 hex digits\)\. Fix: use the customer's Entra tenant ID/);
  });

  test("a placeholder customerTenantId (all zeros) is refused at check(), before anyone signs in", async () => {
    const c = await provider.check({}, inputs({ customerTenantId: "00000000-0000-0000-0000-000000000000" }));
    expect(c.failures?.map((f) => f.property)).toEqual(["customerTenantId"]);
    expect(c.failures?.[0].reason).toMatch(/customerTenantId '00000000-0000-0000-0000-000000000000' is a placeholder GUID, not a tenant ID\. Fix: use the customer's Entra tenant ID/);
  });

  test("a failure between definition and assignment is a partial create; the next run completes it", async () => {
    fx.emu.setFaults([{ method: "PUT", path: "registrationAssignments", kind: "lro-failed", firstN: 1 }]);
    const c = await provider.check({}, inputs());
    const e = await failureOf(() => provider.create(c.inputs));
    expect(e.id).toBe(`/subscriptions/${SUB_PLAIN}/providers/Microsoft.ManagedServices/registrationDefinitions/${armGuid("Contoso managed services")}`);
    expect(e.properties).toMatchObject({ provisioningState: "Incomplete", assignmentIds: [] });
    const d = await provider.diff(e.id!, e.properties as never, c.inputs);
    expect(d.changes).toBe(true);
    expect(d.replaces).toBeUndefined();
    const u = await provider.update(e.id!, e.properties as never, c.inputs);
    expect(u.outs.provisioningState).toBe("Succeeded");
    expect(defs()).toHaveLength(1);
    expect(assigns().filter((a) => a.provisioningState === "Succeeded")).toHaveLength(1);
  });
});

describe("diff", () => {
  test("replacement for managing tenant, subscription and offer; in place for the rest, the customer tenant included", async () => {
    const base = (await provider.check({}, inputs())).inputs;
    const { outs } = await provider.create(base);
    const d = (over: Partial<LighthouseOnboardingInputs>) => provider.diff(outs.definitionId, outs, { ...base, ...over });
    expect(await d({})).toEqual({ changes: false });
    expect(await d({ managingTenantId: OTHER_TENANT })).toEqual({ changes: true, replaces: ["managingTenantId"], deleteBeforeReplace: true });
    expect(await d({ subscriptionId: SUB_RGS })).toEqual({ changes: true, replaces: ["subscriptionId"], deleteBeforeReplace: false });
    expect(await d({ offerName: "Another offer" })).toEqual({ changes: true, replaces: ["offerName"], deleteBeforeReplace: false });
    // The subscription names the customer: a changed tenant ID is a correction, updated in place (update() signs in
    // and checks the tenant before any write), never a replacement that deletes the delegation first.
    expect(await d({ customerTenantId: OTHER_TENANT })).toEqual({ changes: true });
    expect(await d({ customerTenantId: CUSTOMER_TENANT.toUpperCase() })).toEqual({ changes: false });
    expect(await d({ offerDescription: "new text" })).toEqual({ changes: true });
    expect(await d({ authorizations: [] })).toEqual({ changes: true });
    expect(await d({ resourceGroups: ["rg-web"] })).toEqual({ changes: true });
  });
});

describe("update in place", () => {
  test("a customerTenantId changed to a wrong tenant: the update fails at sign-in and the delegation stays", async () => {
    const base = (await provider.check({}, inputs())).inputs;
    const { id, outs } = await provider.create(base);
    // With a connection that names no tenant (az login, the default chain) check() cannot tell, and update() is what
    // runs: called directly here, with the fixture's deployer of the real customer tenant.
    const wrong = { ...base, customerTenantId: OTHER_TENANT };
    expect(await provider.diff(id, outs, wrong)).toEqual({ changes: true });
    const e = await failureOf(() => provider.update(id, outs, wrong));
    expect(e.message).toContain(`but customerTenantId is ${OTHER_TENANT}`);
    expect(defs()).toHaveLength(1);
    expect(assigns().filter((a) => a.provisioningState === "Succeeded")).toHaveLength(1);
  });

  test("authorizations and description: the definition is updated, IDs unchanged", async () => {
    const base = (await provider.check({}, inputs())).inputs;
    const { id, outs } = await provider.create(base);
    const news = (await provider.check(base, { ...base, offerDescription: "v2", authorizations: [] })).inputs;
    const r = await provider.update(id, outs, news);
    expect(r.outs.definitionId).toBe(id);
    expect(defs()).toHaveLength(1);
    expect(defs()[0].properties.description).toBe("v2");
    expect(defs()[0].properties.authorizations).toHaveLength(1);
  });

  test("resource groups added and removed: assignments follow", async () => {
    const base = (await provider.check({}, inputs({ subscriptionId: SUB_RGS, resourceGroups: ["rg-web", "rg-data"] }))).inputs;
    const { id, outs } = await provider.create(base);
    const news = (await provider.check(base, { ...base, resourceGroups: ["rg-data", "rg-ops"] })).inputs;
    const r = await provider.update(id, outs, news);
    expect(r.outs.assignmentIds).toHaveLength(2);
    expect(assigns().map((a) => a.scope.split("/").pop()).sort()).toEqual(["rg-data", "rg-ops"]);
    // resource groups -> subscription scope: resourceGroups left out
    const { resourceGroups: _rgs, ...atSubscription } = news;
    void _rgs;
    const sub = (await provider.check(news, atSubscription)).inputs;
    const r2 = await provider.update(id, r.outs, sub);
    expect(r2.outs.assignmentIds).toEqual([`/subscriptions/${SUB_RGS}/providers/Microsoft.ManagedServices/registrationAssignments/${armGuid("Contoso managed services")}`]);
    expect(assigns()).toHaveLength(1);
  });
});

describe("read", () => {
  test("shows drift (authorizations changed, an assignment removed) and a removed definition", async () => {
    const base = (await provider.check({}, inputs({ subscriptionId: SUB_RGS, resourceGroups: ["rg-web", "rg-data"] }))).inputs;
    const { id, outs } = await provider.create(base);
    const def = fx.emu.state.listDefinitions()[0];
    fx.emu.state.putDefinition({ ...def, properties: { ...def.properties, authorizations: (def.properties.authorizations as unknown[]).slice(0, 1) } });
    fx.emu.state.removeAssignment(assigns().find((a) => a.scope.endsWith("rg-data"))!.id);
    const r = await provider.read(id, outs);
    expect(r.props.authorizations).toEqual([]);
    expect(r.props.assignmentIds).toHaveLength(1);
    expect(r.props.provisioningState).toBe("Incomplete");
    expect((await provider.diff(id, r.props, base)).changes).toBe(true);
    const healed = await provider.update(id, r.props, base);
    expect(healed.outs.assignmentIds).toHaveLength(2);
    expect(assigns()).toHaveLength(2);

    for (const a of assigns()) fx.emu.state.removeAssignment(a.id);
    fx.emu.state.removeDefinition(id);
    expect((await provider.read(id, healed.outs)).id).toBe("");
  });

  test("a definition renamed behind Pulumi's back: an update restores the name; never a replacement that adopts, then deletes, the delegation", async () => {
    const base = (await provider.check({}, inputs())).inputs;
    const { id, outs } = await provider.create(base);
    const def = fx.emu.state.listDefinitions()[0];
    fx.emu.state.putDefinition({ ...def, properties: { ...def.properties, registrationDefinitionName: "Renamed by hand" } });
    const r = await provider.read(id, outs);
    expect(r.props.offerName).toBe("Renamed by hand"); // refresh shows the drift
    const d = await provider.diff(id, r.props, base);
    expect(d).toEqual({ changes: true });
    const healed = await provider.update(id, r.props, base);
    expect(healed.outs.definitionId).toBe(id);
    expect(defs().map((x) => x.properties.registrationDefinitionName)).toEqual([base.offerName]);
    expect(assigns()).toHaveLength(1);
    // Still a replacement when the drifted definition also moves to another tenant, and the old goes first (same IDs).
    expect(await provider.diff(id, r.props, { ...base, managingTenantId: OTHER_TENANT })).toEqual({ changes: true, replaces: ["managingTenantId"], deleteBeforeReplace: true });
  });

  test("import: the definition ID and the inputs are enough", async () => {
    const base = (await provider.check({}, inputs())).inputs;
    const { id } = await provider.create(base);
    const r = await provider.read(id, base as never);
    expect(r.id).toBe(id);
    expect(r.props).toMatchObject({ offerName: base.offerName, managingTenantId: PARTNER_TENANT, provisioningState: "Succeeded", assignmentIds: [expect.any(String)] });
    expect(r.props.pecAuthorization).toMatchObject({ principalId: PAL_SP.objectId, roleDefinitionId: CONTRIBUTOR });
    expect((await provider.diff(id, r.props, base)).changes).toBe(false);
  });
});

test("delete removes every assignment before the definition", async () => {
  const base = (await provider.check({}, inputs({ subscriptionId: SUB_RGS, resourceGroups: ["rg-web", "rg-data", "rg-ops"] }))).inputs;
  const { id, outs } = await provider.create(base);
  const mark = fx.log.length;
  await provider.delete(id, outs);
  const deletes = fx.log.slice(mark).filter((l) => / DELETE \/subscriptions\//.test(l) && / 20[024] /.test(l));
  const kinds = deletes.map((l) => (l.includes("registrationAssignments") ? "assignment" : "definition"));
  expect(kinds).toEqual(["assignment", "assignment", "assignment", "definition"]);
  expect(defs()).toHaveLength(0);
  expect(assigns()).toHaveLength(0);
  await provider.delete(id, outs); // already gone: converges
});
