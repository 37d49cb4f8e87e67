/** PL006, PL009, PL010, PL011, PL012. */
import { OTHER_TENANT, PEC, ROLE, SUB1, SUB2, TENANT, auth, baseConfig, delegation, eligible, estate, expectFinding, expectNone, findingsOf, jit, link, run, subscription, unresolved } from "./estate-builders";

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
  it("a well-formed estate has none", () => {
    expectNone(run(estate({ delegations: [delegation({ definitionId: ROLE.custom, assignments: [{ scope: `/subscriptions/${SUB1}/resourceGroups/rg`, assignmentId: ROLE.custom, source: {} }] })], subscriptions: [subscription(SUB1)] })), "PL010");
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
