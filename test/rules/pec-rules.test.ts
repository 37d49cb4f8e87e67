/** PL001, PL002, PL003, PL007, PL008, PL014: the rules that decide whether Partner Earned Credit is earned. */
import {
  GROUP,
  PARTNER_ID,
  PEC,
  PEC2,
  ROLE,
  SUB1,
  SUB2,
  USER,
  auth,
  baseConfig,
  delegation,
  eligible,
  estate,
  expectFinding,
  expectNone,
  findingsOf,
  link,
  run,
  subscription,
  unresolved,
} from "./estate-builders";

describe("PL001 pec-principal-missing", () => {
  it("flags a delegation without the PEC principal, naming the resource, the path and the fix", () => {
    const d = delegation({ name: "contoso", authorizations: [auth(GROUP, ROLE.reader)] });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL001", `${d.source.path}.authorizations`);
    expect(f).toMatchObject({ severity: "error", resource: "contoso", file: "template.json", ruleName: "pec-principal-missing" });
    expect(f.message).toContain(PEC);
    expect(f.message).toContain("b24988ac-6180-42a0-ab88-20f7382dd24c");
    expect(f.message).toContain("Contributor");
  });
  it("passes when the PEC principal holds a permanent role", () => {
    expectNone(run(estate({ delegations: [delegation()] })), "PL001");
  });
  it("is PL002, not PL001, when the PEC principal is only eligible", () => {
    const r = run(estate({ delegations: [delegation({ authorizations: [auth(GROUP, ROLE.reader)], eligibleAuthorizations: [eligible(PEC, ROLE.contributor)] })] }));
    expectNone(r, "PL001");
    expect(findingsOf(r, "PL002")).toHaveLength(1);
  });
  it("one of several PEC principals is enough", () => {
    const r = run(estate({ delegations: [delegation({ authorizations: [auth(PEC2.toUpperCase(), ROLE.contributor)] })] }), baseConfig({ pecPrincipals: [PEC, PEC2], palLinkedPrincipals: [PEC2] }));
    expectNone(r, "PL001");
  });
  it("does not guess when a principalId is unresolved (PL012 instead)", () => {
    const d = delegation({ authorizations: [auth(unresolved("known only after apply"), ROLE.contributor)] });
    const r = run(estate({ delegations: [d] }));
    expectNone(r, "PL001");
    expect(findingsOf(r, "PL012")).toHaveLength(1);
  });
  it("a malformed principalId does not count as the PEC principal (PL010 reports it)", () => {
    const d = delegation({ authorizations: [auth("not-a-guid", ROLE.contributor)] });
    const r = run(estate({ delegations: [d] }));
    expect(findingsOf(r, "PL001")).toHaveLength(1);
    expect(findingsOf(r, "PL010")).toHaveLength(1);
  });
});

describe("PL002 pec-principal-jit-only", () => {
  it("flags the eligible PEC authorization's principalId", () => {
    const d = delegation({ authorizations: [auth(GROUP, ROLE.reader)], eligibleAuthorizations: [eligible(USER, ROLE.reader), eligible(PEC, ROLE.contributor)] });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL002", `${d.source.path}.eligibleAuthorizations[1].principalId`);
    expect(f.message).toContain("Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c)");
    expect(f.message).toMatch(/move it from eligibleAuthorizations to authorizations/);
  });
  it("passes when the PEC principal also has a permanent authorization", () => {
    const d = delegation({ eligibleAuthorizations: [eligible(PEC, ROLE.contributor)] });
    expectNone(run(estate({ delegations: [d] })), "PL002");
  });
  it("skips when a permanent principal is unresolved", () => {
    const d = delegation({ authorizations: [auth(unresolved("preview"), ROLE.contributor)], eligibleAuthorizations: [eligible(PEC, ROLE.contributor)] });
    expectNone(run(estate({ delegations: [d] })), "PL002");
  });
});

describe("PL003 pec-role-not-eligible", () => {
  it("flags Reader with role name next to GUID", () => {
    const d = delegation({ authorizations: [auth(PEC, `/providers/Microsoft.Authorization/roleDefinitions/${ROLE.reader}`)] });
    const f = expectFinding(run(estate({ delegations: [d] })), "PL003", `${d.source.path}.authorizations[0].roleDefinitionId`);
    expect(f.message).toContain(`Reader (${ROLE.reader})`);
    expect(f.message).toContain("Support Request Contributor");
  });
  it("flags Owner (PEC-eligible but rejected by Lighthouse) and a data role", () => {
    for (const role of [ROLE.owner, ROLE.storageBlobDataOwner, ROLE.logAnalyticsContributor, ROLE.custom]) {
      const r = run(estate({ delegations: [delegation({ authorizations: [auth(PEC, role)] })] }));
      expect(findingsOf(r, "PL003")).toHaveLength(1);
    }
  });
  it("passes with one usable role among several", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.reader), auth(PEC, ROLE.supportRequestContributor)] });
    expectNone(run(estate({ delegations: [d] })), "PL003");
  });
  it("uses the path the adapter gave the authorization", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.reader, { source: { path: "$.parameters.authorizations.value[3]" } })] });
    expectFinding(run(estate({ delegations: [d] })), "PL003", "$.parameters.authorizations.value[3].roleDefinitionId");
  });
  it("skips when the PEC role is unresolved or malformed", () => {
    for (const role of [unresolved("preview"), "Contributor"]) {
      expectNone(run(estate({ delegations: [delegation({ authorizations: [auth(PEC, role)] })] })), "PL003");
    }
  });
  it("a config override that makes Log Analytics Contributor usable again clears it", () => {
    const d = delegation({ authorizations: [auth(PEC, ROLE.logAnalyticsContributor)] });
    const cfg = baseConfig({ roles: [{ id: ROLE.logAnalyticsContributor, hasDataActions: false, reason: "data action removed" }] });
    expectNone(run(estate({ delegations: [d] }), cfg), "PL003");
    expectNone(run(estate({ delegations: [d] }), cfg), "PL004");
  });
});

describe("PL007 subscription-not-associated", () => {
  const subs = [subscription(SUB1), subscription(SUB2, "MCA", { name: "prod-2", source: { file: "subs.json", path: "$.subscriptions[1]" } })];
  it("flags a subscription no delegation covers", () => {
    const r = run(estate({ delegations: [delegation()], subscriptions: subs }));
    const f = expectFinding(r, "PL007", "$.subscriptions[1]");
    expect(f.resource).toBe("prod-2");
    expect(f.message).toContain(SUB2);
    expect(findingsOf(r, "PL007")).toHaveLength(1);
  });
  it("an RG-scoped assignment covers its subscription (PL014 says where); config subscriptions are merged by ID", () => {
    const d = delegation({ assignments: [{ scope: `/subscriptions/${SUB2.toUpperCase()}/resourceGroups/rg`, source: {} }, { scope: `/subscriptions/${SUB1}`, source: {} }] });
    const r = run(estate({ delegations: [d], subscriptions: [subscription(SUB1)] }), baseConfig({ subscriptions: [{ subscriptionId: SUB2, name: "from-config" }, { subscriptionId: SUB1, agreement: "EA" }] }));
    expect(findingsOf(r, "PL014").map((f) => [f.resource, f.severity, f.partialAssociation])).toEqual([["from-config", "info", { resourceGroups: ["rg"] }]]);
    expectNone(r, "PL007");
  });

  describe("a subscription delegated at resource groups only: associated, PL014 subscription-associated-at-resource-groups says where", () => {
    const rg = (name: string, sub = SUB1) => ({ scope: `/subscriptions/${sub}/resourceGroups/${name}`, source: {} });
    const atSub = { scope: `/subscriptions/${SUB1}`, source: {} };
    const one = [subscription(SUB1, "CSP", { name: "contoso-prod" })];
    it("delegated at the subscription: nothing", () => {
      expectNone(run(estate({ delegations: [delegation({ assignments: [atSub] })], subscriptions: one })), "PL014");
    });
    it("delegated at resource groups only: one info naming the subscription, the groups and the fix", () => {
      const d = delegation({ name: "contoso-ops", assignments: [rg("rg-web"), rg("rg-data")] });
      const d2 = delegation({ name: "contoso-db", assignments: [rg("RG-DATA"), rg("rg-elsewhere", SUB2)] });
      const r = run(estate({ delegations: [d, d2], subscriptions: one }));
      const f = expectFinding(r, "PL014", "$.subscriptions[0]");
      expect(findingsOf(r, "PL014")).toHaveLength(1);
      expectNone(r, "PL007");
      expect(f).toMatchObject({ resource: "contoso-prod", severity: "info", partialAssociation: { resourceGroups: ["rg-data", "rg-web"] } });
      expect(f.message).toContain("Subscription 'contoso-prod' ($.subscriptions[0]): associated at resource groups only");
      expect(f.message).toContain("resource groups rg-data, rg-web, none at /subscriptions/" + SUB1);
      expect(f.message).toContain("('contoso-db', 'contoso-ops')");
      expect(f.message).toMatch(/earned on the consumption of those resource groups only/);
      expect(f.message).toMatch(new RegExp(`Fix: if the partner manages the whole subscription, assign the delegation at /subscriptions/${SUB1} .*waive PL014 on 'contoso-prod'`));
    });
    it("one group: the message says so in the singular", () => {
      const r = run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] })], subscriptions: one }));
      expect(expectFinding(r, "PL014", "$.subscriptions[0]").message).toMatch(/at resource group rg-web, none at .*consumption of that resource group only/);
    });
    it("delegated at resource groups and at the subscription (one delegation or two): nothing", () => {
      expectNone(run(estate({ delegations: [delegation({ assignments: [rg("rg-web"), atSub] })], subscriptions: one })), "PL014");
      expectNone(run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] }), delegation({ assignments: [atSub] })], subscriptions: one })), "PL014");
    });
    it("a Reader delegation at the subscription does not make it whole", () => {
      const r = run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] }), delegation({ assignments: [atSub], authorizations: [auth(PEC, ROLE.reader)] })], subscriptions: one }));
      expect(findingsOf(r, "PL014").map((f) => [f.severity, f.partialAssociation])).toEqual([["info", { resourceGroups: ["rg-web"] }]]);
    });
    it("unknown scope, or a delegation that might qualify in the subscription: nothing (never guessed)", () => {
      const unknownScope = delegation({ assignments: [{ scope: unresolved("known after apply", "[parameters('scope')]"), source: {} }] });
      expectNone(run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] }), unknownScope], subscriptions: one })), "PL014");
      const mayQualifyAtSub = delegation({ assignments: [atSub], authorizations: [auth(PEC, unresolved("preview"))] });
      expectNone(run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] }), mayQualifyAtSub], subscriptions: one })), "PL014");
    });
    it("a declared DPOR covers the whole EA subscription: nothing", () => {
      const ea = [subscription(SUB1, "EA", { dpor: true })];
      expectNone(run(estate({ delegations: [delegation({ assignments: [rg("rg-web")] })], subscriptions: ea })), "PL014");
    });
    it("a waiver accepts it; the finding keeps its groups", () => {
      const e = estate({ delegations: [delegation({ assignments: [rg("rg-web")] })], subscriptions: one });
      const waived = findingsOf(run(e, baseConfig({ waivers: [{ rule: "PL014", resource: "contoso-prod", reason: "only rg-web is managed" }] })), "PL014");
      expect(waived).toEqual([expect.objectContaining({ severity: "info", suppressed: expect.objectContaining({ reason: "only rg-web is managed" }), partialAssociation: { resourceGroups: ["rg-web"] } })]);
    });
    it("that waiver never hides a later \"not associated\": once the delegation is gone, PL007 is an error, not waived", () => {
      const config = baseConfig({ waivers: [{ rule: "PL014", resource: "contoso-prod", reason: "only rg-web is managed" }] });
      const later = run(estate({ delegations: [delegation({ assignments: [rg("rg-web", SUB2)] })], subscriptions: one }), config);
      const f = expectFinding(later, "PL007", "$.subscriptions[0]");
      expect([f.resource, f.severity, f.suppressed]).toEqual(["contoso-prod", "error", undefined]);
      expectNone(later, "PL014");
    });
    it("a waiver of PL007 there (what the info was before PL014) gets a notice to waive PL014 instead, not the unused one", () => {
      const e = estate({ delegations: [delegation({ assignments: [rg("rg-web")] })], subscriptions: one });
      const config = baseConfig({ waivers: [{ rule: "PL007", resource: "contoso-prod", reason: "only rg-web is managed" }] });
      const r = run(e, config, { reportUnusedWaivers: true });
      expect(r.notices.filter((n) => n.includes("waiver"))).toEqual([
        "The config waiver for PL007 (subscription-not-associated) on 'contoso-prod' waives nothing there: the subscription is associated at resource groups only, which PL014 (subscription-associated-at-resource-groups) reports, and the waiver would hide a PL007 error on it should those delegations go. Fix: waive PL014 on 'contoso-prod' instead, and remove the PL007 waiver.",
      ]);
      // The info itself is not waived by it.
      expect(findingsOf(r, "PL014").map((f) => f.suppressed)).toEqual([undefined]);
      // Another PL007 waiver, on a subscription not associated at groups, is reported unused as before.
      const other = run(e, baseConfig({ waivers: [{ rule: "PL007", resource: "contoso-dev", reason: "x" }] }), { reportUnusedWaivers: true });
      expect(other.notices.filter((n) => n.includes("waiver"))).toEqual([]);
      const withDev = estate({ delegations: [delegation({ assignments: [rg("rg-web"), { scope: `/subscriptions/${SUB2}`, source: {} }] })], subscriptions: [...one, subscription(SUB2, "CSP", { name: "contoso-dev" })] });
      const unused = run(withDev, baseConfig({ waivers: [{ rule: "PL007", resource: "contoso-dev", reason: "x" }] }), { reportUnusedWaivers: true });
      expect(unused.notices.filter((n) => n.includes("waiver"))).toEqual([expect.stringMatching(/^The config waiver for PL007 \(subscription-not-associated\) on 'contoso-dev' matched no finding/)]);
    });
    it("a severity set in config for one of PL007 and PL014 leaves the other's findings as they are", () => {
      const e = estate({ delegations: [delegation({ assignments: [rg("rg-web")] })], subscriptions: [...one, subscription(SUB2, "CSP", { name: "contoso-dev" })] });
      const pl007AsWarning = run(e, baseConfig({ rules: { PL007: { severity: "warning" } } }));
      expect(pl007AsWarning.findings.filter((f) => f.ruleId === "PL007" || f.ruleId === "PL014").map((f) => [f.ruleId, f.resource, f.severity])).toEqual([
        ["PL007", "contoso-dev", "warning"],
        ["PL014", "contoso-prod", "info"],
      ]);
      const pl014Off = run(e, baseConfig({ rules: { PL014: { severity: "off" } } }));
      expect(pl014Off.findings.filter((f) => f.ruleId === "PL007" || f.ruleId === "PL014").map((f) => [f.ruleId, f.resource, f.severity])).toEqual([["PL007", "contoso-dev", "error"]]);
      expect(pl014Off.notEvaluated).toEqual([{ ruleId: "PL014", reason: "turned off in config (severity: off)" }]);
    });
  });
  it("config-only subscriptions are checked, with the config path", () => {
    const r = run(estate({ delegations: [delegation()] }), baseConfig({ subscriptions: [{ subscriptionId: SUB2, name: "cfg-sub" }] }), { configFile: "partnerlink.yaml" });
    const f = expectFinding(r, "PL007", "$.subscriptions[0]");
    expect(f).toMatchObject({ resource: "cfg-sub", file: "partnerlink.yaml" });
  });
  it("a delegation without assignments counts at its definition scope", () => {
    const d = delegation({ assignments: [], definitionScope: `/subscriptions/${SUB2}` });
    expect(findingsOf(run(estate({ delegations: [d], subscriptions: subs })), "PL007").map((f) => f.resource)).toEqual([subs[0].name]);
  });
  it("does not count a Reader, eligible-only, or unlinked PEC principal", () => {
    const cases = [
      delegation({ authorizations: [auth(PEC, ROLE.reader)] }),
      delegation({ authorizations: [auth(GROUP, ROLE.contributor)], eligibleAuthorizations: [eligible(PEC, ROLE.contributor)] }),
    ];
    for (const d of cases) expect(findingsOf(run(estate({ delegations: [d], subscriptions: [subscription(SUB1)] })), "PL007")).toHaveLength(1);
    const unlinked = run(estate({ delegations: [delegation()], subscriptions: [subscription(SUB1)], partnerLinks: [] }));
    expect(findingsOf(unlinked, "PL007")).toHaveLength(1);
    const viaConfig = run(estate({ delegations: [delegation()], subscriptions: [subscription(SUB1)], partnerLinks: [] }), baseConfig({ palLinkedPrincipals: [PEC] }));
    expectNone(viaConfig, "PL007");
  });
  it("DPOR on EA or unknown agreement covers; on MCA it does not", () => {
    const e = (agreement: "EA" | "MCA" | "unknown") => estate({ subscriptions: [subscription(SUB1, agreement, { dpor: true })] });
    expectNone(run(e("EA")), "PL007");
    expectNone(run(e("unknown")), "PL007");
    expect(findingsOf(run(e("MCA")), "PL007")).toHaveLength(1);
  });
  it("does not guess: a maybe-qualifying delegation with an unresolved scope suppresses it", () => {
    const d = delegation({ assignments: [{ scope: unresolved("known after apply", "[parameters('scope')]"), source: {} }] });
    expectNone(run(estate({ delegations: [d], subscriptions: subs })), "PL007");
    const d2 = delegation({ authorizations: [auth(PEC, unresolved("preview"))] });
    expect(findingsOf(run(estate({ delegations: [d2], subscriptions: subs })), "PL007").map((f) => f.resource)).toEqual(["prod-2"]);
  });
});

describe("PL008 pal-link-missing", () => {
  it("flags a PEC principal used by a delegation with no link", () => {
    const d = delegation();
    const f = expectFinding(run(estate({ delegations: [d], partnerLinks: [] })), "PL008", `${d.source.path}.authorizations[0].principalId`);
    expect(f.message).toContain(`az managementpartner create --partner-id ${PARTNER_ID}`);
  });
  it("passes with a PartnerLink for the principal, or palLinkedPrincipals", () => {
    expectNone(run(estate({ delegations: [delegation()] })), "PL008");
    expectNone(run(estate({ delegations: [delegation()], partnerLinks: [] }), baseConfig({ palLinkedPrincipals: [PEC.toUpperCase()] })), "PL008");
  });
  it("a link to another partner ID: finding on the link and on the delegation", () => {
    const d = delegation();
    const r = run(estate({ delegations: [d], partnerLinks: [link({ partnerId: "7654321" })] }));
    const onLink = expectFinding(r, "PL008", "$.links[0].partnerId");
    expect(onLink.message).toMatch(/7654321, not the configured 1234567/);
    expect(expectFinding(r, "PL008", `${d.source.path}.authorizations[0].principalId`).message).toMatch(/linked to partner ID 7654321/);
  });
  it("a link without objectId proves nothing: PL012 info, no PL008 guess", () => {
    const r = run(estate({ delegations: [delegation()], partnerLinks: [link({ objectId: undefined })] }));
    expectNone(r, "PL008");
    const f = expectFinding(r, "PL012", "$.links[0].objectId");
    expect(f.severity).toBe("info");
    // No input format can declare the linked identity (it is whoever creates the link): the fix is the config, or an audit.
    expect(f.message).toMatch(/Fix: list the PAL-linked principal's objectId in palLinkedPrincipals \(partnerlink config, or the policy pack's config\), or run partnerlink audit after apply/);
  });
  it("a link with an unresolved partner ID is not guessed", () => {
    expectNone(run(estate({ delegations: [delegation()], partnerLinks: [link({ partnerId: unresolved("preview") })] })), "PL008");
  });
});

describe("PEC principal resolution and notices", () => {
  it("infers PEC principals from PartnerLinks when none is configured, with a notice", () => {
    const r = run(estate({ delegations: [delegation({ authorizations: [auth(PEC, ROLE.reader)] })] }), { partnerId: PARTNER_ID });
    expect(findingsOf(r, "PL003")).toHaveLength(1);
    expect(r.notices.join("\n")).toMatch(new RegExp(`inferred from the objectIds of the declared PartnerLinks: ${PEC}`));
  });
  it("says which rules were not evaluated and how to configure them", () => {
    const r = run(estate({ delegations: [delegation({ authorizations: [auth(GROUP, ROLE.reader)] })], partnerLinks: [] }), {});
    for (const id of ["PL001", "PL002", "PL003", "PL007", "PL008", "PL014"]) expectNone(r, id);
    expect(r.notices).toEqual([expect.stringMatching(/^PL001, PL002, PL003, PL007, PL008, PL014 were not evaluated: .*--pec-principal/)]);
  });
});
