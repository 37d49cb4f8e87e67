import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { armGuid } from "../../rules/identifiers";
import { BUNDLE_FILES } from "../../templates";
import { runCli } from "../check/run-cli";
import { CONTRIBUTOR, ONCALL_GROUP, OPS_GROUP, PEC_SP, READER, SUB, TENANT, VM_CONTRIBUTOR } from "./fixtures";

/** `partnerlink template <args>` in-process, output captured. */
function run(args: string[], cwd: string) {
  return runCli(["template", ...args], { cwd });
}

const SUB2 = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const base = ["--subscription", SUB, "--managing-tenant", TENANT, "--pec-principal", PEC_SP];

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pl-template-cmd-"));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const readJson = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(cwd, ...p), "utf8"));

describe("partnerlink template", () => {
  it("writes template, parameters, guide and config for one customer", async () => {
    const r = await run(
      [
        "--customer", "Contoso Ltd", ...base,
        "--resource-group", "rg-a", "--resource-group", "rg-b",
        "--authorization", `${OPS_GROUP}:${READER}:Ops: tier 1`,
        "--eligible", `${ONCALL_GROUP}:${VM_CONTRIBUTOR}`,
        "--agreement", "ea", "--partner-id", "5127255", "--out", "contoso",
      ],
      cwd,
    );
    // One note: delegated at resource groups only, the subscription earns PEC on those groups alone (PL014).
    expect(r.stderr).toMatch(/^contoso: info PL014 subscription-associated-at-resource-groups: Subscription 'Contoso Ltd': associated at resource groups only: .* resource groups rg-a, rg-b, none at \/subscriptions\/[^\n]*\n$/);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, "contoso")).sort()).toEqual(Object.values(BUNDLE_FILES).sort());
    const p = readJson("contoso", BUNDLE_FILES.parameters).parameters;
    expect(p.authorizations.value).toEqual([
      { principalId: PEC_SP, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "Partner Earned Credit identity" },
      { principalId: OPS_GROUP, roleDefinitionId: READER, principalIdDisplayName: "Ops: tier 1" },
    ]);
    expect(p.eligibleAuthorizations.value[0].principalId).toBe(ONCALL_GROUP);
    expect(p.resourceGroups.value).toEqual([{ rgName: "rg-a" }, { rgName: "rg-b" }]);
    expect(r.stdout).toContain(`definition ${armGuid("Contoso Ltd managed services")} -> /subscriptions/`);
    expect(r.stdout).toContain("/resourceGroups/rg-b");
    expect(fs.readFileSync(path.join(cwd, "contoso", BUNDLE_FILES.guide), "utf8")).toContain("Partner of Record");
    expect(fs.readdirSync(cwd)).toEqual(["contoso"]);
  });

  it("an empty --out is refused as empty, not as the working directory that 'already exists'", async () => {
    for (const out of ["", " "]) {
      const r = await run(["--customer", "Contoso", ...base, "--out", out], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("partnerlink template: --out is empty: give the directory to write the template, parameters and guide into (a new one)\n");
      expect(fs.readdirSync(cwd)).toEqual([]);
    }
  });

  it("an --out through a file, or where no folder can be made, says so in words with the fix, not as a system error", async () => {
    fs.writeFileSync(path.join(cwd, "afile"), "x");
    for (const out of ["afile/sub", "afile/sub/deeper"]) {
      const r = await run(["--customer", "Contoso", ...base, "--out", out], cwd);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`partnerlink template: cannot write ${out}: afile is a file, not a folder; choose another --out, or move that file away\n`);
    }
    const abs = path.join(cwd, "afile", "x");
    const r = await run(["--customer", "Contoso", ...base, "--out", abs], cwd);
    expect(r.stderr).toBe(`partnerlink template: cannot write ${abs}: ${path.join(cwd, "afile")} is a file, not a folder; choose another --out, or move that file away\n`);
    // /proc takes no new folders (Linux): named as the folder, not as the temporary name the writer tried.
    if (process.platform === "linux") {
      const p = await run(["--customer", "Contoso", ...base, "--out", "/proc/partnerlink-x"], cwd);
      expect(p.stderr).toBe("partnerlink template: cannot write /proc/partnerlink-x: /proc does not take new folders (ENOENT); choose another --out\n");
    }
    expect(fs.readdirSync(cwd)).toEqual(["afile"]);
  });

  it("an EA customer without --partner-id gets a note: the guide's DPOR steps cannot name the partner ID", async () => {
    const r = await run(["--customer", "Contoso", ...base, "--agreement", "EA", "--out", "ea"], cwd);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("note: options (customer 'Contoso'): the agreement is EA but no --partner-id is given");
    expect(fs.readFileSync(path.join(cwd, "ea", BUNDLE_FILES.guide), "utf8")).toContain("<ask your provider for its partner ID>");
    const given = await run(["--customer", "Contoso", ...base, "--agreement", "EA", "--partner-id", "5127255", "--out", "ea2"], cwd);
    expect(given.stderr).toBe("");
    const mca = await run(["--customer", "Contoso", ...base, "--agreement", "MCA", "--out", "mca"], cwd);
    expect(mca.stderr).toBe("");
  });

  it("names the option and the fix on bad input, and writes nothing", async () => {
    const r = await run(["--customer", "Contoso", ...base, "--authorization", `${OPS_GROUP}:reader`, "--out", "x"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "partnerlink template: --authorization #1 (roleDefinitionId) must be a role definition GUID (8-4-4-4-12 hex) or its resource ID. Run 'partnerlink template --help' for the formats.\n",
    );
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("names the option, not the onboarding's JSON path, in a refusal", async () => {
    const r = await run(["--customer", "Contoso", ...base, "--eligible", `${PEC_SP}:${CONTRIBUTOR}`, "--out", "x"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnerlink template: options \(customer 'Contoso'\): --eligible #1 \(principalId\) is the PEC principal/);
    const offer = await run(["--customer", "Contoso", ...base, "--offer-name", "[offer]", "--out", "x"], cwd);
    expect(offer.stderr).toMatch(/^partnerlink template: options \(customer 'Contoso'\): --offer-name '\[offer\]' starts with '\['/);
    expect(fs.existsSync(path.join(cwd, "x"))).toBe(false);
  });

  it("refuses a placeholder GUID (00000000-..., as the public samples ship) naming the option, and writes nothing", async () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    const r = await run(["--customer", "Contoso", ...base, "--authorization", `${NIL}:${READER}`, "--out", "x"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnerlink template: options \(customer 'Contoso'\): the onboarding would fail partnerlink check: PL010 invalid-identifier: .*\(--authorization #1 \(principalId\)\): "0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a principal object ID: .* Fix: put the object ID/);
    const pec = await run(["--customer", "Contoso", "--subscription", SUB, "--managing-tenant", TENANT, "--pec-principal", NIL, "--out", "x"], cwd);
    expect(pec.stderr).toMatch(/\(--pec-principal\): "0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID/);
    const sub = await run(["--customer", "Contoso", "--subscription", NIL, "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "x"], cwd);
    expect(sub.stderr).toMatch(/\(--subscription\): "(\/subscriptions\/)?0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a subscription/);
    expect(sub.stderr.match(/PL010/g)).toHaveLength(1);
    expect(fs.existsSync(path.join(cwd, "x"))).toBe(false);
  });

  it("refuses a PEC role that earns no credit, naming the rule", async () => {
    const r = await run(["--customer", "Contoso", ...base, "--pec-role", READER, "--out", "x"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnerlink template: options \(customer 'Contoso'\): .*PL003/);
    expect(fs.existsSync(path.join(cwd, "x"))).toBe(false);
    // The refusal names the option and a fix the command can take: no 'dpor' or 'roleDefinitionId' (not options here).
    expect(r.stderr).toBe(
      `partnerlink template: options (customer 'Contoso'): --pec-role Reader (${READER}) is not a PEC-eligible role that Lighthouse accepts ` +
        "(PL003 pec-role-not-eligible): the PEC principal would earn no Partner Earned Credit. Use a PEC-eligible role for --pec-role: " +
        `Contributor (${CONTRIBUTOR}), Support Request Contributor (cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e), Monitoring Contributor (749f88d5-cbae-40b8-bcfc-e573ddc772fa), ` +
        "Cost Management Contributor (434105ed-43f6-45c7-a02f-909b2ba83430); left out, it is Contributor.\n",
    );
    // Owner (PEC-eligible, but Lighthouse refuses it) and EA customers get the same fix.
    const owner = await run(["--customer", "Contoso", ...base, "--pec-role", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "--agreement", "EA", "--out", "x"], cwd);
    expect(owner.stderr).toMatch(/^partnerlink template: options \(customer 'Contoso'\): --pec-role Owner \(8e3af657-a8ff-443c-a75c-2fe8c4bcb635\) is not a PEC-eligible role that Lighthouse accepts \(PL00[34] /);
    for (const e of [r.stderr, owner.stderr]) expect(e).not.toMatch(/dpor|roleDefinitionId|PL007|PL014/);
  });

  it("refuses names that ARM would read as a template expression, writing nothing", async () => {
    for (const [flag, value] of [["--offer-name", "[Contoso]"], ["--offer-description", "[concat('a','b')]"], ["--pec-principal-name", "[PAA]"]] as const) {
      const r = await run(["--customer", "Contoso", ...base, flag, value, "--out", "br"], cwd);
      expect([flag, r.code, r.stderr]).toEqual([flag, 2, expect.stringContaining(`'${value}' starts with '[' and ends with ']': ARM reads such a string as a template expression`)]);
      expect(fs.existsSync(path.join(cwd, "br"))).toBe(false);
    }
    // Brackets inside the text are plain text to ARM.
    expect((await run(["--customer", "Contoso", ...base, "--offer-name", "[Contoso] managed", "--out", "ok"], cwd)).code).toBe(0);
  });

  it("asks for a missing required option", async () => {
    const r = await run(["--customer", "Contoso", "--subscription", SUB, "--out", "x"], cwd);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining("--managing-tenant is required") });
  });

  it("refuses an existing output directory unless --force, which replaces a previous package", async () => {
    const args = ["--customer", "Contoso", ...base, "--out", "out"];
    expect((await run(args, cwd)).code).toBe(0);
    const r1 = await run(args, cwd);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/already exists; choose a new --out directory or pass --force/);
    fs.rmSync(path.join(cwd, "out", BUNDLE_FILES.guide));
    const r2 = await run([...args, "--force"], cwd);
    expect(r2.code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, "out")).sort()).toEqual(Object.values(BUNDLE_FILES).sort());
    expect(fs.statSync(path.join(cwd, "out")).mode & 0o777).toBe(0o755);
    expect(fs.readdirSync(cwd)).toEqual(["out"]);
  });

  it("--force never replaces a folder with other files in it, the working directory or a folder that holds it", async () => {
    const args = ["--customer", "Contoso", ...base, "--force"];
    fs.mkdirSync(path.join(cwd, "keep"));
    fs.writeFileSync(path.join(cwd, "keep", "notes.txt"), "precious");
    const foreign = await run([...args, "--out", "keep"], cwd);
    expect([foreign.code, foreign.stderr]).toEqual([2, expect.stringMatching(/keep holds files partnerlink did not write \(notes\.txt\); --force replaces only a previous output folder/)]);
    expect(fs.readFileSync(path.join(cwd, "keep", "notes.txt"), "utf8")).toBe("precious");
    const inner = path.join(cwd, "keep", "inner");
    fs.mkdirSync(inner);
    for (const out of [".", ".."]) {
      const r = await run([...args, "--out", out], inner);
      expect([out, r.code, r.stderr]).toEqual([out, 2, expect.stringMatching(/is the working directory or contains it; --force replaces only a previous output folder/)]);
    }
    expect(fs.readdirSync(path.join(cwd, "keep")).sort()).toEqual(["inner", "notes.txt"]);
  });
});

describe("partnerlink template --customers", () => {
  const yaml = (entries: string) => `customers:\n${entries}`;

  it("writes one folder per customer, taking missing keys from the options", async () => {
    fs.writeFileSync(
      path.join(cwd, "customers.yaml"),
      yaml(
        `  - customer: Contoso Ltd\n    subscriptionId: ${SUB}\n` +
          `  - customer: Fabrikam\n    subscriptionId: ${SUB2}\n    resourceGroups: [rg-web]\n    agreement: EA\n`,
      ),
    );
    const r = await run(["--customers", "customers.yaml", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--partner-id", "5127255", "--out", "batch"], cwd);
    // Fabrikam is delegated at one resource group only: PL014's note says PEC is earned there alone.
    expect(r.stderr).toMatch(/^batch\/fabrikam: info PL014 subscription-associated-at-resource-groups: Subscription 'Fabrikam' .* resource group rg-web, none at [^\n]*\n$/);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(path.join(cwd, "batch")).sort()).toEqual(["contoso-ltd", "fabrikam"]);
    expect(readJson("batch", "fabrikam", BUNDLE_FILES.parameters).parameters.rgName.value).toBe("rg-web");
    expect(readJson("batch", "contoso-ltd", BUNDLE_FILES.config).pecPrincipals).toEqual([PEC_SP]);
    expect(r.stdout).toContain("2 customers written to batch");
  });

  it("names the list index and key of a bad entry, and writes no folder at all", async () => {
    fs.writeFileSync(
      path.join(cwd, "customers.json"),
      JSON.stringify([
        { customer: "Contoso", subscriptionId: SUB },
        { customer: "Fabrikam", subscriptionId: SUB2 },
        { customer: "Northwind", subscriptionId: SUB2, pecPrincipalId: "not-a-guid" },
      ]),
    );
    const r = await run(["--customers", "customers.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "batch"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnerlink template: customers\.json: \$\[2\]\.pecPrincipalId must be a GUID/);
    expect(fs.readdirSync(cwd)).toEqual(["customers.json"]);
  });

  it("refuses an entry whose resourceGroups is an empty list, naming it and the fix, and writes no folder at all", async () => {
    fs.writeFileSync(
      path.join(cwd, "customers.json"),
      JSON.stringify([
        { customer: "Contoso", subscriptionId: SUB },
        { customer: "Fabrikam", subscriptionId: SUB2, resourceGroups: [] },
      ]),
    );
    const r = await run(["--customers", "customers.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "batch"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "partnerlink template: customers.json $[1] (customer 'Fabrikam'): $[1].resourceGroups is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). " +
        "Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group.\n",
    );
    expect(fs.readdirSync(cwd)).toEqual(["customers.json"]);
  });

  it("names a rule's finding on an entry's authorization by its path in the list file", async () => {
    const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    fs.writeFileSync(
      path.join(cwd, "c.json"),
      JSON.stringify([
        { customer: "Contoso", subscriptionId: SUB },
        { customer: "Fabrikam", subscriptionId: SUB2, authorizations: [{ principalId: OPS_GROUP, roleDefinitionId: READER }, { principalId: ONCALL_GROUP, roleDefinitionId: OWNER }] },
      ]),
    );
    const r = await run(["--customers", "c.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^partnerlink template: c\.json \$\[1\] \(customer 'Fabrikam'\): the onboarding would fail partnerlink check: PL004 [\w-]+: Delegation 'Fabrikam managed services' \(\$\[1\]\.authorizations\[1\]\.roleDefinitionId\): Owner /,
    );
    // From the options, the same finding names the option and its place on the command line.
    const o = await run(["--customer", "Fabrikam", ...base, "--authorization", `${OPS_GROUP}:${OWNER}`, "--out", "x"], cwd);
    expect(o.stderr).toMatch(/: Delegation 'Fabrikam managed services' \(--authorization #1 \(roleDefinitionId\)\): Owner /);
    expect(fs.readdirSync(cwd)).toEqual(["c.json"]);
  });

  it("writes an authorization repeated exactly once, and says so naming the entry, the path and the fix", async () => {
    const ops = { principalId: OPS_GROUP, roleDefinitionId: READER };
    fs.writeFileSync(
      path.join(cwd, "c.json"),
      JSON.stringify([{ customer: "Fabrikam", subscriptionId: SUB, authorizations: [{ principalId: PEC_SP, roleDefinitionId: CONTRIBUTOR }, ops, ops] }]),
    );
    const r = await run(["--customers", "c.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect(r.code).toBe(0);
    expect(readJson("b", "fabrikam", BUNDLE_FILES.parameters).parameters.authorizations.value.map((a: { principalId: string }) => a.principalId)).toEqual([PEC_SP, OPS_GROUP]);
    expect(r.stderr.split("\n")).toEqual([
      `${path.join("b", "fabrikam")}: note: c.json $[0] (customer 'Fabrikam'): $[0].authorizations[0] repeats the PEC authorization, which is always added ($[0].pecPrincipalId as Contributor (${CONTRIBUTOR})) ` +
        "(the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove $[0].authorizations[0].",
      `${path.join("b", "fabrikam")}: note: c.json $[0] (customer 'Fabrikam'): $[0].authorizations[2] repeats $[0].authorizations[1] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: ` +
        "the definition lists each authorization once. Remove $[0].authorizations[2].",
      "",
    ]);
    // From the options, the note names the options.
    const o = await run(["--customer", "Fabrikam", ...base, "--authorization", `${OPS_GROUP}:${READER}`, "--authorization", `${OPS_GROUP}:${READER}:Ops`, "--out", "x"], cwd);
    expect(o.code).toBe(0);
    expect(o.stderr).toBe(
      "x: note: options (customer 'Fabrikam'): --authorization #2 repeats --authorization #1 (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: " +
        "the definition lists each authorization once. Remove --authorization #2.\n",
    );
  });

  it("from the options, prints rule warnings naming the option", async () => {
    const custom = "0c0ffee0-0000-4000-8000-000000000001"; // a role partnerlink does not know: PL004 warns
    const w = await run(["--customer", "Fabrikam", ...base, "--authorization", `${OPS_GROUP}:${READER}`, "--authorization", `${OPS_GROUP}:${custom}`, "--out", "w"], cwd);
    expect(w.code).toBe(0);
    expect(w.stderr).toContain(
      `w: warning PL004 role-not-supported-by-lighthouse: Delegation 'Fabrikam managed services' (--authorization #2 (roleDefinitionId)): role ${custom} is not a built-in role partnerlink knows`,
    );
    expect(w.stderr).not.toMatch(/\$\./);
  });

  it("from the options, keeps an offer name holding '$.customer' as given in a message, and names the option", async () => {
    const e = await run(["--customer", "Fabrikam", ...base, "--offer-name", "Ops $.customer team", "--authorization", `${OPS_GROUP}:8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, "--out", "e"], cwd);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/: Delegation 'Ops \$\.customer team' \(--authorization #1 \(roleDefinitionId\)\): Owner /);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it("refuses two customers that would share a folder", async () => {
    fs.writeFileSync(
      path.join(cwd, "c.json"),
      JSON.stringify([{ customer: "Contoso Ltd", subscriptionId: SUB }, { customer: "contoso ltd.", subscriptionId: SUB2 }]),
    );
    const r = await run(["--customers", "c.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\[1\]\.customer 'contoso ltd\.' gives the same folder 'contoso-ltd' as \$\[0\]/);
  });

  it("refuses two customers with the same subscription and offer name before writing anything", async () => {
    fs.writeFileSync(
      path.join(cwd, "c.json"),
      JSON.stringify([
        { customer: "Contoso", subscriptionId: SUB, offerName: "Managed by Adatum" },
        { customer: "Fabrikam", subscriptionId: SUB2, offerName: "Managed by Adatum" },
        { customer: "Contoso EU", subscriptionId: SUB.toUpperCase(), offerName: "Managed by Adatum" },
      ]),
    );
    const r = await run(["--customers", "c.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "partnerlink template: c.json: $[2] (customer 'Contoso EU') has the same subscriptionId and offerName 'Managed by Adatum' as $[0] (customer 'Contoso'): " +
        `both would deploy registration definition ${armGuid("Managed by Adatum")} (guid(offerName)), so one would overwrite the other's delegation; give $[2] a different offerName\n`,
    );
    expect(fs.readdirSync(cwd)).toEqual(["c.json"]);
    // The offer name given once for all (--offer-name) is caught the same way.
    fs.writeFileSync(path.join(cwd, "d.json"), JSON.stringify([{ customer: "A", subscriptionId: SUB }, { customer: "B", subscriptionId: SUB }]));
    const d = await run(["--customers", "d.json", "--offer-name", "Adatum", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect([d.code, d.stderr]).toEqual([2, expect.stringContaining("$[1] (customer 'B') has the same subscriptionId and offerName 'Adatum' as $[0] (customer 'A')")]);
    expect(fs.readdirSync(cwd).sort()).toEqual(["c.json", "d.json"]);
  });

  it("gives customers named in other scripts folders of their own", async () => {
    // Decomposed (NFD) on purpose: the folder is written in NFC whatever form the list used.
    const names = ["株式会社テスト", "株式会社ガイド".normalize("NFD"), "Ünïcode GmbH", "Ελληνική Εταιρεία"];
    const subs = [SUB, SUB2, "77777777-7777-7777-7777-777777777777", "88888888-8888-8888-8888-888888888888"];
    fs.writeFileSync(path.join(cwd, "c.json"), JSON.stringify(names.map((customer, i) => ({ customer, subscriptionId: subs[i] }))));
    const r = await run(["--customers", "c.json", "--managing-tenant", TENANT, "--pec-principal", PEC_SP, "--out", "b"], cwd);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(fs.readdirSync(path.join(cwd, "b")).sort()).toEqual(["unicode-gmbh", "ελληνικη-εταιρεια", "株式会社ガイド", "株式会社テスト"].sort());
  });

  it("reports an unreadable list in one line", async () => {
    fs.writeFileSync(path.join(cwd, "c.yaml"), "customers: [ {customer: a\n");
    const r = await run(["--customers", "c.yaml", "--out", "b"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^partnerlink template: --customers c\.yaml: not valid YAML/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    // JSON: placed by line and column; V8's own message would quote the text around the error.
    fs.writeFileSync(path.join(cwd, "c.json"), '[{"customer": "a",\n  "offerName": contoso-private-offer}]');
    const json = await run(["--customers", "c.json", "--out", "b"], cwd);
    expect([json.code, json.stderr]).toEqual([2, expect.stringMatching(/^partnerlink template: --customers c\.json: not valid JSON \(line 2, column \d+\): an unexpected character .*; fix the syntax\n$/)]);
    expect(json.stderr).not.toContain("contoso-private-offer");
  });
});

describe("partnerlink template --help", () => {
  it("explains the options and the batch file", async () => {
    const r = await run(["--help"], cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--customers <file>");
    expect(r.stdout).toContain("--pec-principal <objectId>");
  });
});
