/**
 * PL013 definition-id-conflict on model estates: two declarations of one registration definition (one GUID, one
 * subscription) in one input that say different things. The four input formats are in test/check/rules-by-format.
 */
import { auth, delegation, eligible, estate, expectFinding, expectNone, FILE, GROUP, jit, PEC, ROLE, run, SUB1, SUB2, TENANT, unresolved } from "./estate-builders";

const GUID = "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a11";

describe("PL013 definition-id-conflict", () => {
  test("a second declaration with other authorizations is reported on it, naming the first", () => {
    const first = delegation({ name: "first", definitionId: GUID });
    const second = delegation({ name: "second", definitionId: GUID.toUpperCase(), authorizations: [auth(PEC, ROLE.reader)] });
    const f = expectFinding(run(estate({ delegations: [first, second] })), "PL013", `${second.source.path}.definitionId`);
    expect(f.resource).toBe("second");
    expect(f.severity).toBe("error");
    expect(f.message).toContain(`registration definition ${GUID} in subscription ${SUB1} is also declared by 'first' (${first.source.path}.definitionId) with other contents`);
    expect(f.message).toMatch(/Fix: give one of them another definition ID/);
  });

  test("a definition ID given as a resource ID is the same definition as its GUID", () => {
    const first = delegation({ definitionId: GUID });
    const second = delegation({
      definitionId: `/subscriptions/${SUB1}/providers/Microsoft.ManagedServices/registrationDefinitions/${GUID}`,
      managedByTenantId: "99999999-9999-4999-8999-999999999999",
    });
    expectFinding(run(estate({ delegations: [first, second] })), "PL013", `${second.source.path}.definitionId`);
  });

  test("other eligible authorizations, or another offer name, also differ", () => {
    const first = delegation({ definitionId: GUID, eligibleAuthorizations: [eligible(GROUP, ROLE.contributor)] });
    const longer = delegation({ definitionId: GUID, eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ maximumActivationDuration: "PT4H" }) })] });
    expectFinding(run(estate({ delegations: [first, longer] })), "PL013", `${longer.source.path}.definitionId`);
    const a = delegation({ definitionId: GUID, registrationDefinitionName: "Contoso" });
    const b = delegation({ definitionId: GUID, registrationDefinitionName: "Contoso Ltd" });
    expectFinding(run(estate({ delegations: [a, b] })), "PL013", `${b.source.path}.definitionId`);
  });

  test("the same definition written twice with the same contents is an idempotent PUT: not reported", () => {
    // Order of the lists, case of GUIDs and a JIT window written as minutes do not make two definitions differ.
    const first = delegation({
      definitionId: GUID,
      authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.reader)],
      eligibleAuthorizations: [eligible(GROUP, ROLE.contributor)],
    });
    const again = delegation({
      definitionId: GUID,
      managedByTenantId: TENANT.toUpperCase(),
      authorizations: [auth(GROUP.toUpperCase(), ROLE.reader), auth(PEC, ROLE.contributor)],
      eligibleAuthorizations: [eligible(GROUP, ROLE.contributor, { justInTimeAccessPolicy: jit({ maximumActivationDuration: "PT480M" }) })],
    });
    expectNone(run(estate({ delegations: [first, again] })), "PL013");
  });

  test("not reported: another subscription, another GUID, another file, or a value not known before deployment", () => {
    const base = delegation({ definitionId: GUID });
    const cases = [
      delegation({ definitionId: GUID, definitionScope: `/subscriptions/${SUB2}`, authorizations: [auth(PEC, ROLE.reader)] }),
      delegation({ definitionId: "0d6a6a54-3b1c-5b9e-8f46-1f0c1e6f5a12", authorizations: [auth(PEC, ROLE.reader)] }),
      delegation({ definitionId: GUID, source: { file: `other-${FILE}`, path: "$.resources[0]" }, authorizations: [auth(PEC, ROLE.reader)] }),
      delegation({ definitionId: GUID, authorizations: [auth(unresolved("known only after apply"), ROLE.contributor)] }),
      delegation({ definitionId: unresolved("known only after apply"), authorizations: [auth(PEC, ROLE.reader)] }),
      delegation({ definitionId: GUID, definitionScope: unresolved("the subscription it is deployed to"), authorizations: [auth(PEC, ROLE.reader)] }),
    ];
    for (const other of cases) expectNone(run(estate({ delegations: [base, other] })), "PL013");
  });
});
