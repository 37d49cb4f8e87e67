import { OnboardingError, planOnboarding } from "../../templates";
import { contoso, CONTRIBUTOR, OWNER, PEC_SP, READER, SUB } from "./fixtures";

function errorOf(input: unknown): string {
  try {
    planOnboarding(input, "customers.yaml", "$[1]");
  } catch (err) {
    expect(err).toBeInstanceOf(OnboardingError);
    return (err as Error).message;
  }
  throw new Error("planOnboarding accepted the input");
}

describe("planOnboarding refuses what would not pass partnerlink check", () => {
  it("an empty resourceGroups (a filter that matched nothing would delegate the whole subscription), naming the spec's path and the fix", () => {
    expect(errorOf(contoso({ resourceGroups: [] }))).toBe(
      "customers.yaml $[1] (customer 'Contoso Ltd'): $[1].resourceGroups is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). " +
        "Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group.",
    );
    // Left out: the subscription.
    expect(planOnboarding(contoso(), "customers.yaml", "$[1]").delegations.map((d) => d.assignment.scope)).toEqual([`/subscriptions/${SUB}`]);
  });

  it("Reader as the PEC role (not PEC-eligible): PL003", () => {
    expect(errorOf(contoso({ pecRoleId: READER }))).toMatch(/^customers\.yaml \$\[1\] \(customer 'Contoso Ltd'\): .*PL003/);
  });

  it("Owner as the PEC role (Lighthouse refuses it): PL004", () => {
    expect(errorOf(contoso({ pecRoleId: OWNER }))).toMatch(/PL004/);
  });

  it("the PEC principal as an eligible authorization", () => {
    expect(errorOf(contoso({ eligibleAuthorizations: [{ principalId: PEC_SP, roleDefinitionId: CONTRIBUTOR }] }))).toMatch(
      /\$\[1\]\.eligibleAuthorizations\[0\]\.principalId is the PEC principal/,
    );
  });

  it("Owner in another authorization, named by its path in the spec file (not in the generated template, where the PEC one is first)", () => {
    expect(errorOf(contoso({ authorizations: [{ principalId: "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a", roleDefinitionId: OWNER }] }))).toMatch(
      /^customers\.yaml \$\[1\] \(customer 'Contoso Ltd'\): the onboarding would fail partnerlink check: PL004 [\w-]+: Delegation 'Contoso Ltd managed services' \(\$\[1\]\.authorizations\[0\]\.roleDefinitionId\): Owner /,
    );
    const G = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const two = contoso({ authorizations: [{ principalId: G, roleDefinitionId: READER }, { principalId: G, roleDefinitionId: OWNER }] });
    expect(errorOf(two)).toMatch(/\(\$\[1\]\.authorizations\[1\]\.roleDefinitionId\): Owner /);
    // Eligible authorizations too: the entry's path in the file, not a path relative to nothing.
    expect(errorOf(contoso({ eligibleAuthorizations: [{ principalId: G, roleDefinitionId: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9" }] }))).toMatch(
      /\(\$\[1\]\.eligibleAuthorizations\[0\]\.roleDefinitionId\): User Access Administrator/,
    );
    // And a warning kept on the plan: a role partnerlink does not know.
    const plan = planOnboarding(contoso({ authorizations: [{ principalId: G, roleDefinitionId: "0f0e0d0c-0b0a-4909-8807-060504030201" }] }), "customers.yaml", "$[1]");
    expect(plan.notes.filter((n) => n.ruleId === "PL004").map((n) => n.path)).toEqual(["$[1].authorizations[0].roleDefinitionId"]);
  });

  it("a just-in-time window longer than Azure allows: PL005", () => {
    expect(
      errorOf(
        contoso({
          eligibleAuthorizations: [
            { principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { maximumActivationDuration: "PT12H" } },
          ],
        }),
      ),
    ).toMatch(/PL005/);
  });

  it("a day-long window (P1D, valid ISO 8601 but not hours and minutes) is refused for its form, not called malformed", () => {
    const message = errorOf(
      contoso({
        eligibleAuthorizations: [
          { principalId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { maximumActivationDuration: "P1D" } },
        ],
      }),
    );
    expect(message).toMatch(/\$\[1\]\.eligibleAuthorizations\[0\]\.justInTimeAccessPolicy\.maximumActivationDuration must be written as ISO 8601 hours and minutes/);
    expect(message).not.toMatch(/must be an ISO 8601 duration/);
  });

  it("an empty display name (azurerm refuses principal_display_name \"\"): leave it out instead", () => {
    const G = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    expect(errorOf(contoso({ authorizations: [{ principalId: G, roleDefinitionId: READER, principalIdDisplayName: "" }] }))).toMatch(
      /\$\[1\]\.authorizations\[0\]\.principalIdDisplayName must not be empty\./,
    );
    const approverWithoutName = { principalId: G, principalIdDisplayName: "" };
    expect(
      errorOf(
        contoso({
          eligibleAuthorizations: [{ principalId: G, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { managedByTenantApprovers: [approverWithoutName] } }],
        }),
      ),
    ).toMatch(/managedByTenantApprovers\[0\]\.principalIdDisplayName must not be empty/);
  });

  it("a name or display name with a line break or another control character, or only blanks: refused naming the key", () => {
    const G = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const ONE_LINE = "must be one line of text without control characters (a line break, tab or escape). Fix the value (see templates/schemas/customer-onboarding.schema.json).";
    // A line break would split the one-line messages that quote the name, and reach Azure's registrationDefinitionName
    // while the guide shows a space; an escape would colour the terminal.
    expect(errorOf(contoso({ customer: "Contoso\nLtd" }))).toBe(`customers.yaml: $[1].customer ${ONE_LINE}`);
    expect(errorOf(contoso({ offerName: "Contoso\tmanaged" }))).toBe(`customers.yaml: $[1].offerName ${ONE_LINE}`);
    expect(errorOf(contoso({ pecPrincipalDisplayName: "PEC\u001b[31m" }))).toBe(`customers.yaml: $[1].pecPrincipalDisplayName ${ONE_LINE}`);
    expect(errorOf(contoso({ authorizations: [{ principalId: G, roleDefinitionId: READER, principalIdDisplayName: "Ops\r\n" }] }))).toBe(
      `customers.yaml: $[1].authorizations[0].principalIdDisplayName ${ONE_LINE}`,
    );
    const approver = { principalId: G, principalIdDisplayName: "Lead\u0085" };
    expect(
      errorOf(contoso({ eligibleAuthorizations: [{ principalId: G, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { managedByTenantApprovers: [approver] } }] })),
    ).toBe(`customers.yaml: $[1].eligibleAuthorizations[0].justInTimeAccessPolicy.managedByTenantApprovers[0].principalIdDisplayName ${ONE_LINE}`);
    // Only blanks: said in words, not as the regular expression.
    expect(errorOf(contoso({ customer: "   " }))).toBe("customers.yaml: $[1].customer must not be blank. Fix the value (see templates/schemas/customer-onboarding.schema.json).");
    expect(errorOf(contoso({ authorizations: [{ principalId: G, roleDefinitionId: READER, principalIdDisplayName: " " }] }))).toMatch(
      /\$\[1\]\.authorizations\[0\]\.principalIdDisplayName must not be blank\./,
    );
    // Quotes, accents and other scripts are names, not control characters.
    expect(planOnboarding(contoso({ customer: `O'Brien "Q" 株式会社 Ünïcode` }), "customers.yaml", "$[1]").customer).toBe(`O'Brien "Q" 株式会社 Ünïcode`);
  });

  it("delegatedRoleDefinitionIds naming Owner: PL004", () => {
    const G = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
    expect(errorOf(contoso({ authorizations: [{ principalId: G, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [OWNER] }] }))).toMatch(
      /PL004 .*delegatedRoleDefinitionIds\[0\].*Owner/,
    );
  });

  it("a malformed subscription ID, named by list index and key", () => {
    expect(errorOf(contoso({ subscriptionId: "sub-1" }))).toBe(
      "customers.yaml: $[1].subscriptionId must be a GUID (8-4-4-4-12 hex). Fix the value (see templates/schemas/customer-onboarding.schema.json).",
    );
  });

  it("an unknown key: its fix is its name, not its value", () => {
    expect(errorOf({ ...contoso(), subscription: "x" })).toBe(
      "customers.yaml: $[1].subscription is not allowed here (unknown property; check its spelling). Remove it or correct its name (see templates/schemas/customer-onboarding.schema.json).",
    );
  });

  it("a resource group listed twice", () => {
    expect(errorOf(contoso({ resourceGroups: ["rg-a", "RG-A"] }))).toMatch(/resourceGroups lists 'RG-A' twice/);
  });
});
