import { authorizationKey, eligibleAuthorizationKey, repeatsIn } from "../../rules/same-authorization";

const GROUP = "1a000000-0000-4000-8000-000000000002";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const roleResourceId = (guid: string) => `/subscriptions/2b5b0000-0000-4000-8000-000000000001/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

describe("the same permanent authorization", () => {
  it("is the same principal and role, GUIDs in any case, a role resource ID as its GUID; the display name does not count", () => {
    const a = { principalId: GROUP, roleDefinitionId: READER, principalIdDisplayName: "Ops" };
    expect(authorizationKey({ principalId: GROUP.toUpperCase(), roleDefinitionId: roleResourceId(READER.toUpperCase()) })).toBe(authorizationKey(a));
    expect(authorizationKey({ principalId: GROUP, roleDefinitionId: CONTRIBUTOR })).not.toBe(authorizationKey(a));
  });

  it("has the same delegatedRoleDefinitionIds as a set; with them it is not the same as without", () => {
    const uaa = { principalId: GROUP, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [READER, CONTRIBUTOR] };
    expect(authorizationKey({ ...uaa, delegatedRoleDefinitionIds: [roleResourceId(CONTRIBUTOR), READER.toUpperCase(), READER] })).toBe(authorizationKey(uaa));
    expect(authorizationKey({ principalId: GROUP, roleDefinitionId: UAA })).not.toBe(authorizationKey(uaa));
    expect(authorizationKey({ ...uaa, delegatedRoleDefinitionIds: [READER] })).not.toBe(authorizationKey(uaa));
  });
});

describe("the same eligible authorization", () => {
  const e = { principalId: GROUP, roleDefinitionId: CONTRIBUTOR };
  it("has the same just-in-time policy, Azure's defaults (None, PT8H; the REST spec's) applied and the MFA provider without case", () => {
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "none", maximumActivationDuration: "pt8h" } })).toBe(eligibleAuthorizationKey(e));
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "None" } })).toBe(eligibleAuthorizationKey(e));
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure" } })).not.toBe(eligibleAuthorizationKey(e));
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure" } })).toBe(
      eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "AZURE", maximumActivationDuration: "PT8H" } }),
    );
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { maximumActivationDuration: "PT4H" } })).not.toBe(eligibleAuthorizationKey(e));
  });

  it("has the same maximum activation duration however it is written (PT8H, PT480M, PT7H60M)", () => {
    for (const d of ["PT480M", "PT7H60M"]) expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { maximumActivationDuration: d } })).toBe(eligibleAuthorizationKey(e));
    expect(eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { maximumActivationDuration: "PT90M" } })).toBe(
      eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { maximumActivationDuration: "PT1H30M" } }),
    );
  });

  it("has the same approvers as a set", () => {
    const one = "1a000000-0000-4000-8000-0000000000b1";
    const two = "1a000000-0000-4000-8000-0000000000b2";
    const withApprovers = (ids: string[]) => eligibleAuthorizationKey({ ...e, justInTimeAccessPolicy: { managedByTenantApprovers: ids.map((principalId) => ({ principalId })) } });
    expect(withApprovers([two, one.toUpperCase()])).toBe(withApprovers([one, two]));
    expect(withApprovers([one])).not.toBe(withApprovers([one, two]));
    expect(withApprovers([])).toBe(eligibleAuthorizationKey(e));
  });
});

describe("repeatsIn", () => {
  it("names each entry equal to an earlier one, with the first of them; an entry without a key repeats nothing", () => {
    const list = ["a", "b", "a", undefined, undefined, "b", "a"];
    expect(repeatsIn(list, (x) => x)).toEqual([
      { index: 2, first: 0 },
      { index: 5, first: 1 },
      { index: 6, first: 0 },
    ]);
  });
});
