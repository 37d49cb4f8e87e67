/** PL004 and PL005: roles and eligible authorizations Azure Lighthouse rejects. */
import type { JustInTimeAccessPolicy } from "../../rules/model";
import { GROUP, PEC, ROLE, USER, auth, baseConfig, delegation, eligible, estate, expectFinding, expectNone, findingsOf, jit, run, unresolved } from "./estate-builders";

const P = (d: { source: { path?: string } }, rest: string) => `${d.source.path}.${rest}`;

describe("PL004 role-not-supported-by-lighthouse", () => {
  it("Owner is an error, with the role name next to the GUID", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.owner)] });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL004", P(d, "authorizations[1].roleDefinitionId"));
    expect(f.severity).toBe("error");
    expect(f.message).toContain(`Owner (${ROLE.owner})`);
    expect(f.message).toMatch(/Contributor/);
  });
  it("a role with DataActions is an error; the volatile Log Analytics fact shows its date", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.storageBlobDataOwner), auth(GROUP, ROLE.logAnalyticsContributor)] });
    const r = run(estate({ delegations: [d] }));
    expect(expectFinding(r, "PL004", P(d, "authorizations[1].roleDefinitionId")).message).toMatch(/DataActions/);
    expect(expectFinding(r, "PL004", P(d, "authorizations[2].roleDefinitionId")).message).toMatch(/volatile fact, as of 2026-05-20/);
  });
  it("User Access Administrator needs delegatedRoleDefinitionIds", () => {
    const bad = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.uaa)] });
    expect(expectFinding(run(estate({ delegations: [bad] })), "PL004", P(bad, "authorizations[1].roleDefinitionId")).message).toMatch(/delegatedRoleDefinitionIds/);
    const good = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.uaa, { delegatedRoleDefinitionIds: [ROLE.contributor] })] });
    expectNone(run(estate({ delegations: [good] })), "PL004");
  });
  it("delegatedRoleDefinitionIds only with User Access Administrator, and never Owner, User Access Administrator or a DataActions role", () => {
    const onContributor = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.reader, { delegatedRoleDefinitionIds: [ROLE.contributor] })] });
    const f = expectFinding(run(estate({ delegations: [onContributor] })), "PL004", P(onContributor, "authorizations[1].delegatedRoleDefinitionIds"));
    // Documented for User Access Administrator only; whether Azure refuses them elsewhere is not: a warning.
    expect(f.severity).toBe("warning");
    expect(f.message).toMatch(/for User Access Administrator .* alone .*with Reader .* they grant nothing/);
    const badDelegated = delegation({
      authorizations: [
        auth(PEC, ROLE.contributor),
        auth(GROUP, ROLE.uaa, { delegatedRoleDefinitionIds: [ROLE.contributor, ROLE.owner, ROLE.uaa, ROLE.storageBlobDataOwner, ROLE.custom] }),
      ],
    });
    const r = run(estate({ delegations: [badDelegated] }));
    const owner = expectFinding(r, "PL004", P(badDelegated, "authorizations[1].delegatedRoleDefinitionIds[1]"));
    expect([owner.severity, owner.message]).toEqual(["error", expect.stringMatching(/Owner .*cannot be in delegatedRoleDefinitionIds/)]);
    expect(expectFinding(r, "PL004", P(badDelegated, "authorizations[1].delegatedRoleDefinitionIds[2]")).severity).toBe("error");
    // A DataActions role there: a warning (not documented as refused; the public samples delegate one).
    const data = expectFinding(r, "PL004", P(badDelegated, "authorizations[1].delegatedRoleDefinitionIds[3]"));
    expect([data.severity, data.message]).toEqual(["warning", expect.stringMatching(/DataActions/)]);
    expect(findingsOf(r, "PL004").map((x) => x.path)).toEqual([1, 2, 3].map((k) => P(badDelegated, `authorizations[1].delegatedRoleDefinitionIds[${k}]`)));
  });
  it("unknown/custom GUID is the same rule at warning", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.custom)] });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL004", P(d, "authorizations[1].roleDefinitionId"));
    expect(f.severity).toBe("warning");
    expect(f.message).toContain(ROLE.custom);
  });
  it("a role whose Lighthouse support is unknown (declared in config by name only) is a warning", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.custom)] });
    const f = expectFinding(run(estate({ delegations: [d] }), baseConfig({ roles: [{ id: ROLE.custom, name: "Newer Built-in Role" }] })), "PL004", P(d, "authorizations[1].roleDefinitionId"));
    expect(f).toMatchObject({ severity: "warning" });
    expect(f.message).toContain(`Newer Built-in Role (${ROLE.custom})`);
    expect(f.message).toMatch(/unknown/);
  });
  it("a not-PEC-eligible data role (Storage Blob Data Reader) is an error", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.storageBlobDataReader)] });
    expect(expectFinding(run(estate({ delegations: [d] })), "PL004", P(d, "authorizations[1].roleDefinitionId")).severity).toBe("error");
  });
  it("checks eligible authorizations too", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.storageBlobDataOwner)] });
    expectFinding(run(estate({ delegations: [d] })), "PL004", P(d, "eligibleAuthorizations[0].roleDefinitionId"));
  });
  it("accepted roles, Reader and the Delete Role pass; unresolved/malformed skipped", () => {
    const d = delegation({
      authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.reader), auth(GROUP, ROLE.deleteRole), auth(GROUP, unresolved("x")), auth(GROUP, "Owner")],
    });
    expectNone(run(estate({ delegations: [d] })), "PL004");
  });
});

describe("PL005 eligible-authorization-invalid", () => {
  it("a valid eligible authorization passes", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ managedByTenantApprovers: [{ principalId: USER, source: {} }] }) })] });
    expectNone(run(estate({ delegations: [d] })), "PL005");
  });
  it("service principals: principalType, config, estate principalTypes and the PEC principal", () => {
    const SP = "abababab-abab-4bab-8bab-abababababab";
    const d = delegation({
      eligibleAuthorizations: [
        eligible(USER, ROLE.contributor, { principalType: "ServicePrincipal" }),
        eligible(SP, ROLE.contributor),
        eligible(PEC, ROLE.contributor),
        eligible(GROUP, ROLE.contributor),
      ],
    });
    const e = estate({ delegations: [d], principalTypes: { [GROUP.toUpperCase()]: "ServicePrincipal" } });
    const r = run(e, baseConfig({ servicePrincipals: [SP] }));
    for (const i of [0, 1, 2, 3]) expectFinding(r, "PL005", P(d, `eligibleAuthorizations[${i}].principalId`));
    // The PEC principal is taken for one, and the message says it was taken so, not that the input says so.
    expect(expectFinding(r, "PL005", P(d, "eligibleAuthorizations[2].principalId")).message).toMatch(
      /is the PEC principal, which partnerlink takes for a service principal \(the PAL-linked automation identity\) unless its principalType says otherwise; Azure accepts only users and groups/,
    );
    expect(expectFinding(r, "PL005", P(d, "eligibleAuthorizations[1].principalId")).message).toMatch(/is a service principal; Azure accepts/);
  });
  it("a PEC principal declared a user (principalType, or the estate's principalTypes) is not taken for a service principal", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(PEC, ROLE.contributor, { principalType: "User" })] });
    expectNone(run(estate({ delegations: [d] })), "PL005");
    const d2 = delegation({ eligibleAuthorizations: [eligible(PEC, ROLE.contributor)] });
    expectNone(run(estate({ delegations: [d2], principalTypes: { [PEC]: "User" } })), "PL005");
  });
  it("Owner and UAA are PL005 (not repeated as PL004)", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.owner), eligible(GROUP, ROLE.uaa)] });
    const r = run(estate({ delegations: [d] }));
    expect(expectFinding(r, "PL005", P(d, "eligibleAuthorizations[0].roleDefinitionId")).message).toContain(`Owner (${ROLE.owner})`);
    expectFinding(r, "PL005", P(d, "eligibleAuthorizations[1].roleDefinitionId"));
    expectNone(r, "PL004");
  });
  it("delegatedRoleDefinitionIds, too many approvers, SP approver, duration, MFA provider", () => {
    const approvers = Array.from({ length: 11 }, (_, i) => ({ principalId: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, "0")}`, source: {} }));
    approvers[3] = { principalId: PEC, source: {} };
    const d = delegation({
      eligibleAuthorizations: [
        eligible(GROUP, ROLE.contributor, {
          delegatedRoleDefinitionIds: [ROLE.reader],
          justInTimeAccessPolicy: jit({ managedByTenantApprovers: approvers, maximumActivationDuration: "PT9H", multiFactorAuthProvider: "Phone" }),
        }),
      ],
    });
    const r = run(estate({ delegations: [d] }));
    const jp = P(d, "eligibleAuthorizations[0].justInTimeAccessPolicy");
    expectFinding(r, "PL005", P(d, "eligibleAuthorizations[0].delegatedRoleDefinitionIds"));
    expect(expectFinding(r, "PL005", `${jp}.managedByTenantApprovers`).message).toMatch(/11 approvers/);
    expectFinding(r, "PL005", `${jp}.managedByTenantApprovers[3].principalId`);
    expect(expectFinding(r, "PL005", `${jp}.maximumActivationDuration`).message).toMatch(/PT30M\.\.PT8H/);
    expect(expectFinding(r, "PL005", `${jp}.multiFactorAuthProvider`).message).toMatch(/"Azure" or "None"/);
    expect(findingsOf(r, "PL005")).toHaveLength(5);
  });
  it("duration bounds are inclusive; too short fails; MFA None/azure accepted", () => {
    const mk = (dur: string, mfa = "None") => delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ maximumActivationDuration: dur, multiFactorAuthProvider: mfa }) })] });
    expectNone(run(estate({ delegations: [mk("PT30M"), mk("PT8H", "azure"), mk("PT1H30M")] })), "PL005");
    expect(findingsOf(run(estate({ delegations: [mk("PT29M")] })), "PL005")).toHaveLength(1);
  });
  it("where azurerm sends the policy (source.provider), only \"Azure\" passes, with azurerm's fix for the others", () => {
    const azurerm = { provider: "azurerm" as const, path: "$.jit", properties: { multiFactorAuthProvider: "multi_factor_auth_provider" } };
    const mk = (mfa: string, source: JustInTimeAccessPolicy["source"] = azurerm) =>
      delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ multiFactorAuthProvider: mfa, source }) })] });
    expectNone(run(estate({ delegations: [mk("Azure")] })), "PL005");
    const none = expectFinding(run(estate({ delegations: [mk("None")] })), "PL005", "$.jit.multi_factor_auth_provider");
    expect(none.message).toMatch(/'None' is not a value azurerm accepts for multi_factor_auth_provider \(only "Azure", letter for letter\).* Fix: leave out multi_factor_auth_provider: azurerm sends None when it is absent/);
    expect(expectFinding(run(estate({ delegations: [mk("none")] })), "PL005", "$.jit.multi_factor_auth_provider").message).toMatch(/Fix: leave out multi_factor_auth_provider/);
    expect(expectFinding(run(estate({ delegations: [mk("AZURE")] })), "PL005", "$.jit.multi_factor_auth_provider").message).toMatch(/Fix: write "Azure"\.$/);
    // The same values from an ARM source are Azure's to judge: "None" and "AZURE" pass.
    const arm = { path: "$.jit" };
    expectNone(run(estate({ delegations: [mk("None", arm), mk("AZURE", arm)] })), "PL005");
  });
  it("a malformed duration is PL010 only; unresolved values are PL012 only", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ maximumActivationDuration: "8 hours", multiFactorAuthProvider: unresolved("preview") }) })] });
    const r = run(estate({ delegations: [d] }));
    expectNone(r, "PL005");
    expect(findingsOf(r, "PL010")).toHaveLength(1);
    expect(findingsOf(r, "PL012")).toHaveLength(1);
  });
});
