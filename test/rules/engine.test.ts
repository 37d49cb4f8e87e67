/** The engine: severity overrides, waivers, rule selection, notices, ordering. */
import { estateRules, evaluate, perDelegationRules } from "../../rules/engine";
import { RULES } from "../../rules/metadata";
import { GROUP, PEC, ROLE, auth, baseConfig, delegation, estate, findingsOf, run } from "./estate-builders";

const readerOnly = (name: string) => delegation({ name, authorizations: [auth(PEC, ROLE.reader)] });

describe("severity overrides", () => {
  it("by rule ID and by name; 'off' disables", () => {
    const e = estate({ delegations: [readerOnly("a"), delegation({ name: "b", authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.owner)] })] });
    const r = run(e, baseConfig({ rules: { PL003: { severity: "warning" }, "role-not-supported-by-lighthouse": { severity: "off" } } }));
    expect(findingsOf(r, "PL003").map((f) => f.severity)).toEqual(["warning"]);
    expect(findingsOf(r, "PL004")).toHaveLength(0);
    const plain = run(e);
    expect(findingsOf(plain, "PL003").map((f) => f.severity)).toEqual(["error"]);
    expect(findingsOf(plain, "PL004")).toHaveLength(1);
  });
  it("an override replaces a rule's reduced severity too (PL004 unknown role)", () => {
    const e = estate({ delegations: [delegation({ authorizations: [auth(PEC, ROLE.contributor), auth(GROUP, ROLE.custom)] })] });
    expect(findingsOf(run(e), "PL004")[0].severity).toBe("warning");
    expect(findingsOf(run(e, baseConfig({ rules: { PL004: { severity: "error" } } })), "PL004")[0].severity).toBe("error");
  });
});

describe("waivers", () => {
  const now = new Date("2026-06-15T12:00:00Z");
  const e = estate({ delegations: [readerOnly("a"), readerOnly("b")] });

  it("config waiver by rule ID and resource suppresses that finding only, keeping its data", () => {
    const r = run(e, baseConfig({ waivers: [{ rule: "PL003", resource: "a", reason: "migrating to Contributor" }] }), { now });
    const [a, b] = findingsOf(r, "PL003");
    expect(a).toMatchObject({ resource: "a", severity: "error", suppressed: { reason: "migrating to Contributor", kind: "config" } });
    expect(a.message).toContain("Reader");
    expect(b.resource).toBe("b");
    expect(b.suppressed).toBeUndefined();
  });
  it("wildcard waiver by rule name", () => {
    const r = run(e, baseConfig({ waivers: [{ rule: "pec-role-not-eligible", resource: "*", reason: "r", expires: "2026-06-15" }] }), { now });
    expect(findingsOf(r, "PL003").map((f) => f.suppressed?.expires)).toEqual(["2026-06-15", "2026-06-15"]);
    expect(r.notices).toEqual([]);
  });
  it("inline waivers", () => {
    const r = run(e, baseConfig(), { now, inlineWaivers: [{ rule: "PL003", resource: "b", reason: "inline reason" }] });
    expect(findingsOf(r, "PL003").map((f) => f.suppressed?.kind ?? "-")).toEqual(["-", "inline"]);
  });
  it("an expired waiver does not apply and produces a notice", () => {
    const r = run(e, baseConfig({ waivers: [{ rule: "PL003", resource: "*", reason: "old", expires: "2026-06-14" }] }), { now });
    expect(findingsOf(r, "PL003").every((f) => f.suppressed === undefined)).toBe(true);
    expect(r.notices).toEqual([expect.stringMatching(/^The config waiver for PL003 \(pec-role-not-eligible\) on '\*' expired on 2026-06-14 and no longer applies/)]);
  });
  it("an inline waiver naming an unknown rule or a bad date is ignored with a notice", () => {
    const r = run(e, baseConfig(), { now, inlineWaivers: [{ rule: "PL099", resource: "*", reason: "x" }, { rule: "PL003", resource: "*", reason: "x", expires: "soon" }] });
    expect(findingsOf(r, "PL003").every((f) => f.suppressed === undefined)).toBe(true);
    expect(r.notices).toHaveLength(2);
  });
});

describe("unused waivers (reportUnusedWaivers, as partnerlink check runs)", () => {
  const now = new Date("2026-06-15T12:00:00Z");
  // "a" has a PL003 finding; "fine" has none (Contributor).
  const e = estate({ delegations: [readerOnly("a"), delegation({ name: "fine", authorizations: [auth(PEC, ROLE.contributor)] })] });
  const unused = (r: ReturnType<typeof run>) => r.notices.filter((n) => n.includes("matched no finding"));

  it("a waiver on a checked resource whose rule reported nothing there gets a notice naming rule, resource, reason and fix", () => {
    const r = run(e, baseConfig({ waivers: [{ rule: "PL003", resource: "fine", reason: "fixed last quarter" }] }), { now, reportUnusedWaivers: true });
    expect(unused(r)).toEqual([
      "The config waiver for PL003 (pec-role-not-eligible) on 'fine' matched no finding: PL003 ran and reported nothing on 'fine'. " +
        "Fix: remove the waiver (reason was: fixed last quarter), so that it does not hide a new PL003 finding on 'fine'.",
    ]);
  });
  it("inline waivers too; a waiver that suppressed a finding, or lost it to a config waiver, is used", () => {
    const r = run(e, baseConfig({ waivers: [{ rule: "PL003", resource: "a", reason: "c" }] }), {
      now,
      reportUnusedWaivers: true,
      inlineWaivers: [
        { rule: "PL003", resource: "a", reason: "also" },
        { rule: "PL001", resource: "fine", reason: "stale" },
      ],
    });
    expect(findingsOf(r, "PL003")[0].suppressed?.kind).toBe("config");
    expect(unused(r)).toEqual([expect.stringMatching(/^The inline waiver for PL001 \(pec-principal-missing\) on 'fine' matched no finding/)]);
  });
  it("an inline waiver limited to other files does not count as used by a finding in this file", () => {
    const inFile = estate({ delegations: [delegation({ name: "a", source: { file: "main.json", resource: "a" }, authorizations: [auth(PEC, ROLE.reader)] })] });
    const r = run(inFile, baseConfig(), { now, reportUnusedWaivers: true, inlineWaivers: [{ rule: "PL003", resource: "a", reason: "x", files: ["other.json"] }] });
    expect(findingsOf(r, "PL003")[0].suppressed).toBeUndefined();
    expect(unused(r)).toHaveLength(1);
  });
  it("says nothing of a resource the run did not check, a '*' waiver, a rule turned off or not run, or without the option", () => {
    const waivers = [
      { rule: "PL003", resource: "elsewhere", reason: "another folder" },
      { rule: "PL004", resource: "*", reason: "any" },
      { rule: "PL002", resource: "fine", reason: "off" },
      { rule: "PL001", resource: "fine", reason: "not run" },
    ];
    const r = run(e, baseConfig({ waivers, rules: { PL002: { severity: "off" } } }), { now, reportUnusedWaivers: true, only: ["PL002", "PL003", "PL004"] });
    expect(unused(r)).toEqual([]);
    const noLinks = estate({ delegations: e.delegations, partnerLinks: [] });
    const noPec = run(noLinks, baseConfig({ waivers: [{ rule: "PL001", resource: "fine", reason: "no PEC principal" }], pecPrincipals: [] }), { now, reportUnusedWaivers: true });
    expect(noPec.notEvaluated.map((n) => n.ruleId)).toContain("PL001");
    expect(unused(noPec)).toEqual([]);
    expect(unused(run(e, baseConfig({ waivers: [{ rule: "PL003", resource: "fine", reason: "x" }] }), { now }))).toEqual([]);
  });
});

describe("rule selection and metadata", () => {
  it("only runs the selected rules (ID or name); unknown names give a notice", () => {
    const r = run(estate({ delegations: [readerOnly("a")], partnerLinks: [] }), baseConfig(), { only: ["pl003", "pal-link-missing", "PL404"] });
    expect([...new Set(r.findings.map((f) => f.ruleId))].sort()).toEqual(["PL003", "PL008"]);
    expect(r.notices).toEqual([expect.stringMatching(/Unknown rule 'PL404'/)]);
  });
  it("every rule is either per-delegation or estate-level, exactly once", () => {
    expect([...perDelegationRules, ...estateRules].sort()).toEqual(RULES.map((r) => r.id).sort());
  });
  it("findings carry rule name and default severity from the metadata table", () => {
    for (const f of run(estate({ delegations: [readerOnly("a")], partnerLinks: [] })).findings) {
      const meta = RULES.find((m) => m.id === f.ruleId);
      expect(f.ruleName).toBe(meta?.name);
    }
  });
  it("no PEC notice when the PEC rules are not selected", () => {
    expect(run(estate({ partnerLinks: [] }), {}, { only: ["PL004"] }).notices).toEqual([]);
  });
});

describe("ordering", () => {
  it("is deterministic regardless of input order", () => {
    const ds = [readerOnly("z"), delegation({ name: "m", authorizations: [auth(GROUP, ROLE.owner)] }), readerOnly("a")];
    const r1 = evaluate(estate({ delegations: ds, partnerLinks: [] }), baseConfig());
    const r2 = evaluate(estate({ delegations: [...ds].reverse(), partnerLinks: [] }), baseConfig());
    expect(r1.findings).toEqual(r2.findings);
    expect(r1.findings.map((f) => f.resource)).toEqual([...r1.findings.map((f) => f.resource)].sort());
  });
});
