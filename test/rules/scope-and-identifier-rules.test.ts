/** PL006, PL009, PL010, PL011, PL012. */
import { GROUP, OTHER_TENANT, PARTNER_ID, PEC, ROLE, USER, SUB1, SUB2, TENANT, auth, baseConfig, delegation, eligible, estate, expectFinding, expectNone, findingsOf, jit, link, run, subscription, unresolved } from "./estate-builders";

describe("PL006 definition-scope-invalid", () => {
  it("flags a resource-group definition scope with the fix", () => {
    const d = delegation({ definitionScope: `/subscriptions/${SUB1}/resourceGroups/rg1` });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL006", `${d.source.path}.definitionScope`);
    expect(f.message).toContain(`/subscriptions/${SUB1}`);
    expect(f.message).toContain("InvalidRegistrationDefinitionUri");
  });
  it("passes at subscription scope, when absent, unresolved or malformed (PL010)", () => {
    for (const definitionScope of [`subscriptions/${SUB1}`, undefined, unresolved("x"), "rg1"]) {
      expectNone(run(estate({ delegations: [delegation({ definitionScope })] })), "PL006");
    }
  });
});

describe("PL009 managing-tenant-not-allowed", () => {
  it("flags a tenant outside the allow-list", () => {
    const d = delegation({ managedByTenantId: OTHER_TENANT });
    const f = expectFinding(run(estate({ delegations: [d] }), baseConfig({ allowedManagingTenants: [TENANT.toUpperCase()] })), "PL009", `${d.source.path}.managedByTenantId`);
    expect(f.message).toContain(OTHER_TENANT);
  });
  it("passes when allowed (any case) and when no allow-list is configured", () => {
    const d = delegation({ managedByTenantId: TENANT.toUpperCase() });
    expectNone(run(estate({ delegations: [d] }), baseConfig({ allowedManagingTenants: [TENANT] })), "PL009");
    expectNone(run(estate({ delegations: [delegation({ managedByTenantId: OTHER_TENANT })] })), "PL009");
  });
});

describe("PL010 invalid-identifier", () => {
  it("reports every malformed identifier once, at its path", () => {
    const d = delegation({
      managedByTenantId: "contoso.onmicrosoft.com",
      definitionId: "offer-1",
      definitionScope: "subscriptions/abc",
      assignments: [{ scope: "/subs/x", assignmentId: "nope", source: { path: "$.resources[9]" } }],
      authorizations: [auth(PEC, ROLE.contributor), auth("bob", "Contributor", { delegatedRoleDefinitionIds: ["x"] })],
      eligibleAuthorizations: [eligible(ROLE.reader.slice(1), ROLE.reader, { justInTimeAccessPolicy: jit({ maximumActivationDuration: "8h", managedByTenantApprovers: [{ principalId: "alice", source: {} }] }) })],
    });
    const r = run(estate({
      delegations: [d],
      partnerLinks: [link({ partnerId: "12", objectId: "x", tenantId: "y", source: { path: "$.l" } })],
      subscriptions: [subscription("sub-1", "MCA", { source: { path: "$.s" } })],
    }));
    const b = d.source.path;
    const expected = [
      `${b}.managedByTenantId`, `${b}.definitionId`, `${b}.definitionScope`, "$.resources[9].scope", "$.resources[9].assignmentId",
      `${b}.authorizations[1].principalId`, `${b}.authorizations[1].roleDefinitionId`, `${b}.authorizations[1].delegatedRoleDefinitionIds[0]`,
      `${b}.eligibleAuthorizations[0].principalId`, `${b}.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration`,
      `${b}.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalId`,
      "$.l.partnerId", "$.l.objectId", "$.l.tenantId", "$.s.subscriptionId",
    ];
    expect(findingsOf(r, "PL010").map((f) => f.path).sort()).toEqual([...expected].sort());
    expect(expectFinding(r, "PL010", `${b}.managedByTenantId`).message).toMatch(/"contoso\.onmicrosoft\.com" is not a tenant ID \(GUID\)\. Fix: use the tenant's GUID/);
    // No rule reports the malformed values a second time.
    for (const id of ["PL004", "PL005", "PL006", "PL007", "PL009"]) expectNone(r, id);
  });
  it("reports a placeholder GUID (all zeros, all f) wherever an identifier is read, once, saying what to put there", () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    const MAX = "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF";
    const d = delegation({
      managedByTenantId: NIL,
      definitionId: NIL,
      definitionScope: `/subscriptions/${NIL}`,
      assignments: [{ scope: `/subscriptions/${MAX}/resourceGroups/rg`, assignmentId: MAX, source: { path: "$.resources[9]" } }],
      authorizations: [auth(PEC, ROLE.contributor), auth(NIL, `/providers/Microsoft.Authorization/roleDefinitions/${NIL}`, { delegatedRoleDefinitionIds: [NIL] })],
      eligibleAuthorizations: [eligible(NIL, ROLE.reader, { justInTimeAccessPolicy: jit({ managedByTenantApprovers: [{ principalId: MAX, source: {} }] }) })],
    });
    const r = run(
      estate({
        delegations: [d],
        partnerLinks: [link({ objectId: NIL, tenantId: NIL, source: { path: "$.l" } })],
        subscriptions: [subscription(NIL, "MCA", { source: { path: "$.s" } })],
      }),
      baseConfig({ allowedManagingTenants: [TENANT] }),
    );
    const b = d.source.path;
    const expected = [
      `${b}.managedByTenantId`, `${b}.definitionId`, `${b}.definitionScope`, "$.resources[9].scope", "$.resources[9].assignmentId",
      `${b}.authorizations[1].principalId`, `${b}.authorizations[1].roleDefinitionId`, `${b}.authorizations[1].delegatedRoleDefinitionIds[0]`,
      `${b}.eligibleAuthorizations[0].principalId`, `${b}.eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalId`,
      "$.l.objectId", "$.l.tenantId", "$.s.subscriptionId",
    ];
    expect(findingsOf(r, "PL010").map((f) => f.path).sort()).toEqual([...expected].sort());
    expect(expectFinding(r, "PL010", `${b}.authorizations[1].principalId`).message).toBe(
      `'${d.name}' (${b}.authorizations[1].principalId): "${NIL}" is a placeholder GUID left in place of a principal object ID: Azure refuses it, or it points at nothing. ` +
        "Fix: put the object ID of the user, group or service principal of the managing tenant there (az ad group show --group <name> --query id; az ad sp show --id <appId> --query id).",
    );
    expect(expectFinding(r, "PL010", `${b}.managedByTenantId`).message).toMatch(/is a placeholder GUID left in place of a tenant ID: .* Fix: put the tenant's own ID there/);
    expect(expectFinding(r, "PL010", "$.s.subscriptionId").message).toMatch(/placeholder GUID left in place of a subscription ID: .* Fix: put the customer subscription's ID there/);
    // The managing tenant is not in allowedManagingTenants either: reported once, as the placeholder it is.
    expectNone(r, "PL009");
  });
  it("a placeholder subscription is reported in the definition's scope, not again in each assignment's scope in it", () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    const d = delegation({
      definitionScope: `/subscriptions/${NIL}`,
      assignments: [`/subscriptions/${NIL}/resourceGroups/a`, `/subscriptions/${NIL}/resourceGroups/b`].map((scope) => ({ scope, source: {} })),
    });
    expect(findingsOf(run(estate({ delegations: [d] })), "PL010").map((f) => f.path)).toEqual([`${d.source.path}.definitionScope`]);
  });
  it("a GUID made only of one other digit is a GUID like any other, not a placeholder", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth("11111111-1111-1111-1111-111111111111", ROLE.reader)] });
    expectNone(run(estate({ delegations: [d] })), "PL010");
  });
  it("a well-formed estate has none", () => {
    expectNone(run(estate({ delegations: [delegation({ definitionId: ROLE.custom, assignments: [{ scope: `/subscriptions/${SUB1}/resourceGroups/rg`, assignmentId: ROLE.custom, source: {} }] })], subscriptions: [subscription(SUB1)] })), "PL010");
  });
  // The walk remembers the values it found well formed (rules/checks/fields.ts, rules/recent-strings.ts): a value just seen well formed
  // as one kind is judged again as another, and nothing is remembered from one evaluation to the next.
  it("judges a value by its kind, even one the walk has just found well formed as another kind", () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    // Each value is well formed in the first delegation, then in the second where it is not that kind.
    const first = delegation({
      managedByTenantId: GROUP,
      definitionScope: `/subscriptions/${SUB1}`,
      authorizations: [auth(PEC, ROLE.contributor)],
      eligibleAuthorizations: [eligible(USER, ROLE.reader, { justInTimeAccessPolicy: jit({ maximumActivationDuration: "PT8H" }) })],
    });
    const second = delegation({
      managedByTenantId: `/subscriptions/${SUB1}`,
      definitionScope: GROUP,
      authorizations: [auth("PT8H", ROLE.contributor), auth(PEC, `/subscriptions/${SUB1}`), auth(NIL, ROLE.reader)],
      eligibleAuthorizations: [eligible(USER, ROLE.reader, { justInTimeAccessPolicy: jit({ maximumActivationDuration: USER }) })],
    });
    const r = run(estate({ delegations: [first, second], partnerLinks: [link({ partnerId: PARTNER_ID, objectId: PARTNER_ID })] }));
    const b = second.source.path;
    const expected = [
      `${b}.managedByTenantId`, `${b}.definitionScope`, `${b}.authorizations[0].principalId`, `${b}.authorizations[1].roleDefinitionId`,
      `${b}.authorizations[2].principalId`, `${b}.eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration`, "$.links[0].objectId",
    ];
    expect(findingsOf(r, "PL010").map((f) => f.path).sort()).toEqual([...expected].sort());
    expect(expectFinding(r, "PL010", `${b}.authorizations[2].principalId`).message).toContain("is a placeholder GUID");
    // A second evaluation, where the values the first found well formed are of other kinds, judges them afresh.
    const again = run(estate({ delegations: [delegation({ managedByTenantId: "PT8H", definitionScope: PEC })] }));
    expect(findingsOf(again, "PL010").map((f) => (f.path ?? "").replace(/.*\./, "")).sort()).toEqual(["definitionScope", "managedByTenantId"]);
  });
  it("an empty value is malformed, the first in a walk as much as any other", () => {
    // Before any value is remembered, nothing is well formed: an empty string included.
    const d = delegation({ managedByTenantId: "", authorizations: [auth("", ROLE.contributor), auth(PEC, "")] });
    const b = d.source.path;
    expect(findingsOf(run(estate({ delegations: [d] })), "PL010").map((f) => f.path).sort()).toEqual(
      [`${b}.managedByTenantId`, `${b}.authorizations[0].principalId`, `${b}.authorizations[1].roleDefinitionId`].sort(),
    );
  });
});

describe("PL011 dpor-agreement-mismatch", () => {
  it("DPOR on MCA/CSP is a warning", () => {
    const r = run(estate({ subscriptions: [subscription(SUB1, "CSP", { dpor: true })] }));
    const f = expectFinding(r, "PL011", "$.subscriptions[0].dpor");
    expect(f.severity).toBe("warning");
  });
  it("EA without DPOR only when requireDporForEa; config declarations merge", () => {
    const e = estate({ subscriptions: [subscription(SUB1, "EA")] });
    expectNone(run(e), "PL011");
    expect(findingsOf(run(e, baseConfig({ requireDporForEa: true })), "PL011")).toHaveLength(1);
    expectNone(run(e, baseConfig({ requireDporForEa: true, subscriptions: [{ subscriptionId: SUB1, dpor: true }] })), "PL011");
    expect(findingsOf(run(estate(), baseConfig({ subscriptions: [{ subscriptionId: SUB2, agreement: "MCA", dpor: true }] })), "PL011")).toHaveLength(1);
  });
});

describe("PL012 value-unresolved", () => {
  it("reports each unresolved value with its reason and expression, as info", () => {
    const d = delegation({ managedByTenantId: unresolved("unsupported template function 'reference'", "[reference('x').tenantId]") });
    const f = expectFinding(run(estate({ delegations: [d] }), baseConfig({ allowedManagingTenants: [TENANT] })), "PL012", `${d.source.path}.managedByTenantId`);
    expect(f.severity).toBe("info");
    expect(f.message).toContain("[reference('x').tenantId]");
    expect(f.message).toContain("unsupported template function 'reference'");
    expect(f.message).toContain("cannot be checked until apply");
  });
  it("nothing to report on a fully known estate", () => {
    expectNone(run(estate({ delegations: [delegation()] })), "PL012");
  });
});
