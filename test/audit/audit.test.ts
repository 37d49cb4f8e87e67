import "@microsoft/jest-sarif";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runAudit, type AuditIdentity } from "../../audit/run-audit";
import type { AuditRow } from "../../audit/audit-row";
import { Checkpoint, CheckpointMismatchError } from "../../audit/checkpoint";
import { runCli } from "../check/run-cli";
import { CONFIG, EXPECTED, PEC_SP, ROLE, SEED, SUB, T, delegate, engineerConnection, populate, servicePrincipalConnection, summarize } from "./estate";

let emu: RunningEmulator;
let tmp: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: SEED, lro: { pollsUntilDone: 0, retryAfterSeconds: 0 } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-audit-"));
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  populate(emu);
  emu.setFaults([]);
});

const identities = (): AuditIdentity[] => [
  { name: "automation", connection: servicePrincipalConnection(emu, T.partner, PEC_SP) },
  { name: "engineer", connection: engineerConnection(emu) },
];

test("the report per subscription is exactly what is delegated and linked", async () => {
  const rows: AuditRow[] = [];
  const result = await runAudit({ identities: identities(), config: CONFIG, concurrency: 3 }, (r) => rows.push(r));
  expect(summarize(rows)).toEqual(EXPECTED);
  expect(rows).toHaveLength(Object.keys(EXPECTED).length);
  expect(rows.every((r) => r.error === undefined)).toBe(true);
  // The other partner's delegation is invisible to us and not declared: not in the report.
  expect(rows.find((r) => r.subscriptionId === SUB.otherPartner)).toBeUndefined();
  expect(result.links).toEqual([expect.objectContaining({ name: "automation", partnerId: "1234567", objectId: PEC_SP.objectId })]);
  const jit = rows.find((r) => r.subscriptionId === SUB.jit)!;
  expect(jit.seenBy).toBe("engineer");
  expect(jit.findings.find((f) => f.ruleId === "PL002")!.message).toContain(PEC_SP.objectId);
});

test("429s, 5xx and dropped connections lose no subscription", async () => {
  emu.setFaults([
    { path: "registrationAssignments", kind: "429", everyNth: 2, retryAfterSeconds: 0 },
    { path: "registrationAssignments", kind: "503", everyNth: 3 },
    { path: "^/subscriptions\\?", kind: "500", firstN: 1 },
    { path: "registrationAssignments", kind: "drop", everyNth: 5 },
  ]);
  const rows: AuditRow[] = [];
  await runAudit({ identities: identities(), config: CONFIG, concurrency: 4 }, (r) => rows.push(r));
  expect(emu.stats().faultsInjected).toBeGreaterThanOrEqual(4);
  expect(summarize(rows)).toEqual(EXPECTED);
});

test("an interrupted audit resumes from its checkpoint without reading finished subscriptions again", async () => {
  const file = path.join(tmp, "resume.jsonl");
  const abort = new AbortController();
  const first: AuditRow[] = [];
  const cp1 = Checkpoint.open(file, false, "this audit");
  // Two workers: when the second row arrives, the other worker's read is in flight and the abort cuts it short.
  emu.setFaults([{ path: "registrationAssignments", kind: "slow", everyNth: 1, delayMs: 200 }]);
  await runAudit({ identities: identities(), config: CONFIG, concurrency: 2, checkpoint: cp1, signal: abort.signal }, (r) => {
    first.push(r);
    if (first.length === 2) abort.abort();
  });
  cp1.close();
  emu.setFaults([]);
  expect(first.length).toBeGreaterThanOrEqual(2);
  expect(first.length).toBeLessThan(Object.keys(EXPECTED).length);
  // What the abort cut short is neither reported nor recorded as a failure: the resumed run reads it again.
  expect(first.filter((r) => r.error !== undefined)).toEqual([]);
  const recorded = fs.readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as AuditRow);
  expect(recorded.map((r) => r.subscriptionId).sort()).toEqual(first.map((r) => r.subscriptionId).sort());
  // Another audit's checkpoint is refused, and left as it was.
  expect(() => Checkpoint.open(file, true, "another audit")).toThrow(CheckpointMismatchError);
  const before = emu.stats().requests;
  const cp2 = Checkpoint.open(file, true, "this audit");
  const second: AuditRow[] = [];
  await runAudit({ identities: identities(), config: CONFIG, concurrency: 2, checkpoint: cp2 }, (r) => second.push(r));
  cp2.finish();
  expect(summarize(second)).toEqual(EXPECTED);
  expect(new Set(second.map((r) => r.subscriptionId)).size).toBe(second.length);
  // Finished subscriptions were not listed again: fewer assignment reads than a full run would make.
  const assignmentReads = emu.stats().requests - before;
  expect(assignmentReads).toBeGreaterThan(0);
  expect(fs.existsSync(file)).toBe(false);
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const r = await runCli(["audit", ...args], { env: { ...env }, cwd: tmp });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

function cliSignIn(): string[] {
  fs.writeFileSync(path.join(tmp, "ca.pem"), emu.caCertPem);
  fs.writeFileSync(path.join(tmp, "audit.config.json"), JSON.stringify(CONFIG));
  return ["--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--endpoint", emu.url, "--authority-host", emu.url, "--ca-cert", "ca.pem", "--config", "audit.config.json"];
}

test("an unreadable subscription is reported as unreadable only, never as not associated", async () => {
  emu.setFaults([{ path: `/subscriptions/${SUB.good}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", everyNth: 1 }]);
  const r = await cli([...cliSignIn(), "--format", "json", "--checkpoint", "unreadable.jsonl"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  expect(r.code).toBe(2);
  const doc = JSON.parse(r.out) as { subscriptions: AuditRow[]; summary: { subscriptions: number; associated: number; notAssociated: number; errors: number } };
  const row = doc.subscriptions.find((x) => x.subscriptionId === SUB.good)!;
  expect([row.error === undefined, row.findings]).toEqual([false, []]);
  const s = doc.summary;
  expect(s.errors).toBe(1);
  expect(s.associated + s.notAssociated + s.errors).toBe(s.subscriptions);
  // Its row is not in the checkpoint (kept, as the run failed): a resumed run reads it again.
  const cp = fs.readFileSync(path.join(tmp, "unreadable.jsonl"), "utf8");
  expect(cp).not.toContain(SUB.good);
});

/** Sets the provisioningState of the (only) registration assignment of a subscription in the emulator. */
function setAssignmentState(sub: string, provisioningState: "Accepted" | "Failed"): string {
  const [a] = emu.state.listAssignments(sub);
  emu.state.putAssignment({ ...a!, provisioningState });
  return a!.id;
}

/** A second assignment of the subscription's definition, left Failed (an earlier attempt). */
function addFailedAssignment(sub: string): string {
  const [a] = emu.state.listAssignments(sub);
  const name = "f0f0f0f0-0000-4000-8000-000000000000";
  const id = `${a!.scope}/providers/Microsoft.ManagedServices/registrationAssignments/${name}`;
  emu.state.putAssignment({ ...a!, id, name, provisioningState: "Failed" });
  return id;
}

test("an assignment still provisioning or failed is listed, not counted as an association", async () => {
  const accepted = setAssignmentState(SUB.rg, "Accepted");
  const failed = addFailedAssignment(SUB.good);
  const r = await cli([...cliSignIn(), "--format", "json"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  expect([r.code, r.err]).toEqual([1, ""]);
  const doc = JSON.parse(r.out) as { subscriptions: AuditRow[]; summary: { associated: number; delegationsNotInEffect: number } };
  const row = (sub: string) => doc.subscriptions.find((x) => x.subscriptionId === sub)!;
  // Accepted: the emulator already shows the subscription (as ARM may); the audit must not count it yet.
  expect(row(SUB.rg)).toMatchObject({ associated: false, delegations: 0, notInEffect: [{ assignmentId: accepted, provisioningState: "Accepted", effect: "provisioning" }] });
  expect(row(SUB.rg).findings.filter((f) => f.severity !== "info").map((f) => f.ruleId)).toEqual(["PL007"]);
  // A failed attempt beside a delegation in effect: still associated, through the one that succeeded.
  expect(row(SUB.good)).toMatchObject({ associated: true, delegations: 1, notInEffect: [{ assignmentId: failed, provisioningState: "Failed", effect: "not-in-effect" }] });
  expect(row(SUB.reader).notInEffect).toBeUndefined();
  // Before the change: rg counted as associated (3 with good and the declared EA one).
  expect(doc.summary).toMatchObject({ associated: 2, delegationsNotInEffect: 2 });
  const table = await cli([...cliSignIn(), "--format", "table"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  expect(table.out).toMatch(new RegExp(`${SUB.rg}\\s+c2 rg\\s+NO \\(provisioning\\)`));
  expect(table.out).toContain(`~ registration assignment ${accepted} is Accepted: still provisioning, so not counted. Fix: audit again once it has succeeded.`);
  expect(table.out).toContain(`~ registration assignment ${failed} is Failed: it gives the partner no access and is not counted.`);
  expect(table.out).toContain("2 delegation(s) not in effect");
});

test("a failed sign-in writes no partial report and leaves no checkpoint; --output must be a file", async () => {
  const r = await cli([...cliSignIn(), "--format", "json", "--checkpoint", "signin.jsonl"], { AZURE_CLIENT_SECRET: "wrong-secret", CI: "true" });
  expect([r.code, r.out]).toEqual([2, ""]);
  expect(fs.existsSync(path.join(tmp, "signin.jsonl"))).toBe(false);
  fs.mkdirSync(path.join(tmp, "outdir"), { recursive: true });
  const before = emu.stats().requests;
  const dir = await cli([...cliSignIn(), "--output", "outdir"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  expect([dir.code, dir.err]).toEqual([2, expect.stringMatching(/--output .*outdir is a directory; give a file path/)]);
  expect(emu.stats().requests).toBe(before);
});

test("partnerlink audit --format json: streamed report, exit 1 on findings, no secret anywhere", async () => {
  const r = await cli([...cliSignIn(), "--format", "json", "--checkpoint", "cp.jsonl"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  expect(r.err).toBe("");
  expect(r.code).toBe(1);
  const doc = JSON.parse(r.out) as { subscriptions: AuditRow[]; summary: { subscriptions: number; associated: number; links: unknown[] } };
  // The service principal alone sees its own delegations (not the group's just-in-time one) plus the declared ones.
  const expected = { ...EXPECTED };
  delete expected[SUB.jit];
  expect(summarize(doc.subscriptions)).toEqual(expected);
  expect(doc.summary.subscriptions).toBe(5);
  expect(doc.summary.associated).toBe(3);
  expect(doc.summary.links).toHaveLength(1);
  expect(r.out + r.err).not.toContain(PEC_SP.secret);
});

test("partnerlink audit --format csv and sarif, written atomically to --output", async () => {
  const csv = await cli([...cliSignIn(), "--format", "csv", "--output", "audit.csv"], { AZURE_CLIENT_SECRET: PEC_SP.secret });
  expect(csv.code).toBe(1);
  const lines = fs.readFileSync(path.join(tmp, "audit.csv"), "utf8").trim().split("\n");
  expect(lines[0]).toBe("subscriptionId,displayName,tenantId,associated,pecPrincipal,pecRole,pecRoleId,permanent,agreement,dpor,ruleIds,error,notInEffect,notJudged,seenBy,partialAssociation");
  expect(lines).toHaveLength(6);
  expect(lines.find((l) => l.startsWith(SUB.reader))).toContain("PL003");
  // Which identity read it (the one named by its client ID here); a declared subscription no identity sees: none.
  // Then the resource groups of an association at resource groups only: none for these.
  expect(lines.find((l) => l.startsWith(SUB.reader))!.endsWith(`,${PEC_SP.appId},`)).toBe(true);
  expect(lines.find((l) => l.startsWith(SUB.mcaNone))!.endsWith(",,")).toBe(true);
  expect(lines.find((l) => l.startsWith(SUB.rg))!.endsWith(`,true,${PEC_SP.objectId},Support Request Contributor,${ROLE.supportRequestContributor},true,unknown,not declared,PL014,,,,${PEC_SP.appId},rg-app`)).toBe(true);
  const sarif = await cli([...cliSignIn(), "--format", "sarif", "--output", "audit.sarif"], { AZURE_CLIENT_SECRET: PEC_SP.secret });
  expect(sarif.code).toBe(1);
  const log = JSON.parse(fs.readFileSync(path.join(tmp, "audit.sarif"), "utf8"));
  expect(log).toBeValidSarifLog();
  expect(log.version).toBe("2.1.0");
  const ids = log.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
  expect(ids).toEqual(expect.arrayContaining(["PL003", "PL007"]));
  expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain("PL003");
  expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
});

test("a subscription delegated at resource groups only: associated, the row lists the groups, PL014 info says where PEC is earned", async () => {
  const rows: AuditRow[] = [];
  await runAudit({ identities: identities(), config: CONFIG, concurrency: 3 }, (r) => rows.push(r));
  const rg = rows.find((r) => r.subscriptionId === SUB.rg)!;
  expect(rg).toMatchObject({ associated: true, partialAssociation: { resourceGroups: ["rg-app"] } });
  const info = rg.findings.filter((f) => f.ruleId === "PL014");
  expect(info).toEqual([expect.objectContaining({ severity: "info", resource: "c2 rg", path: `/subscriptions/${SUB.rg}`, partialAssociation: { resourceGroups: ["rg-app"] } })]);
  expect(info[0]!.message).toMatch(new RegExp(`^Subscription 'c2 rg' .*at resource group rg-app, none at /subscriptions/${SUB.rg}: .*Fix: if the partner manages the whole subscription, assign the delegation at /subscriptions/${SUB.rg}`));
  // Associated at subscription scope: no list, no finding.
  const good = rows.find((r) => r.subscriptionId === SUB.good)!;
  expect([good.associated, good.partialAssociation, good.findings.filter((f) => f.ruleId === "PL014")]).toEqual([true, undefined, []]);

  // The table says so in the associated column and a line under the row; the summary counts it associated; exit 1
  // comes from the other subscriptions' errors, not from the info.
  const table = await cli([...cliSignIn(), "--format", "table"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  const lines = table.out.split("\n");
  const at = lines.findIndex((l) => l.startsWith(SUB.rg));
  expect(lines[at]).toMatch(/ yes \(RGs only\) /);
  expect(lines[at]).not.toContain("PL014");
  expect(lines[at + 1]).toMatch(/^ {2}i associated at resource group rg-app only: PEC is earned on its consumption alone \(PL014\)\. Fix: /);
  expect(table.out).toMatch(/5 subscriptions: 3 associated, 2 not associated/);

  // Delegated at the subscription too: whole again.
  delegate(emu, SUB.rg, "aaaa0008", T.partner, [{ principalId: PEC_SP.objectId, roleDefinitionId: ROLE.contributor }]);
  const again: AuditRow[] = [];
  await runAudit({ identities: identities(), config: CONFIG, concurrency: 3 }, (r) => again.push(r));
  const whole = again.find((r) => r.subscriptionId === SUB.rg)!;
  expect([whole.associated, whole.partialAssociation, whole.findings.filter((f) => f.ruleId === "PL014")]).toEqual([true, undefined, []]);
});

test("a waived partial association: the row still lists the groups, the table adds no line", async () => {
  fs.writeFileSync(path.join(tmp, "waived.config.json"), JSON.stringify({ ...CONFIG, waivers: [{ rule: "PL014", resource: "c2 rg", reason: "only rg-app is ours to manage" }] }));
  const signIn = cliSignIn().map((a) => (a === "audit.config.json" ? "waived.config.json" : a));
  const json = await cli([...signIn, "--format", "json"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  const row = (JSON.parse(json.out) as { subscriptions: AuditRow[] }).subscriptions.find((r) => r.subscriptionId === SUB.rg)!;
  expect(row).toMatchObject({ associated: true, partialAssociation: { resourceGroups: ["rg-app"] } });
  expect(row.findings).toEqual([expect.objectContaining({ ruleId: "PL014", severity: "info", suppressed: expect.objectContaining({ reason: "only rg-app is ours to manage" }) })]);
  const table = await cli([...signIn, "--format", "table"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
  const lines = table.out.split("\n");
  const at = lines.findIndex((l) => l.startsWith(SUB.rg));
  expect(lines[at]).toMatch(/ yes \(RGs only\) /);
  expect(lines[at + 1]).not.toMatch(/^ {2}i /);
});

test("PL014 turned off: the subscription delegated at resource groups only is still associated, without its groups", async () => {
  fs.writeFileSync(path.join(tmp, "pl014-off.config.json"), JSON.stringify({ ...CONFIG, rules: { PL014: { severity: "off" } } }));
  const rgRow = async (signIn: string[]) => {
    const json = await cli([...signIn, "--format", "json"], { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" });
    const row = (JSON.parse(json.out) as { subscriptions: AuditRow[] }).subscriptions.find((r) => r.subscriptionId === SUB.rg)!;
    return [row.associated, row.partialAssociation, row.notJudged, row.findings.map((f) => f.ruleId)];
  };
  // The same tenant with PL014 on: the groups, and its finding.
  expect(await rgRow(cliSignIn())).toEqual([true, { resourceGroups: ["rg-app"] }, undefined, ["PL014"]]);
  expect(await rgRow(cliSignIn().map((a) => (a === "audit.config.json" ? "pl014-off.config.json" : a)))).toEqual([true, undefined, undefined, []]);
});

test("the run's notices reach the JSON report (beside summary) and SARIF (execution notifications), not only stderr", async () => {
  const env = { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" };
  const signIn = cliSignIn();
  // PL007 turned off: the audit judges no association, and says so in a notice.
  fs.writeFileSync(path.join(tmp, "pl007-off.config.json"), JSON.stringify({ ...CONFIG, rules: { PL007: { severity: "off" } } }));
  const args = [...signIn.slice(0, -1), "pl007-off.config.json"];
  const stderrNotices = (err: string) => err.split("\n").filter((l) => l.startsWith("partnerlink audit: ")).map((l) => l.slice("partnerlink audit: ".length));

  const json = await cli([...args, "--format", "json"], env);
  const doc = JSON.parse(json.out) as { summary: unknown; notices: string[] };
  expect(Object.keys(doc)).toEqual(["subscriptions", "summary", "notices"]);
  expect(doc.notices).toEqual([expect.stringMatching(/^PL007 \(subscription-not-associated\) was not evaluated \(turned off in config/)]);
  // stderr says the same, as before.
  expect(stderrNotices(json.err)).toEqual(doc.notices);

  const sarif = await cli([...args, "--format", "sarif", "--output", "notices.sarif"], env);
  const log = JSON.parse(fs.readFileSync(path.join(tmp, "notices.sarif"), "utf8"));
  expect(log).toBeValidSarifLog();
  expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual(doc.notices.map((text) => ({ level: "note", message: { text } })));
  // They change nothing else: the exit code and executionSuccessful are what they were.
  expect(log.runs[0].invocations[0].executionSuccessful).toBe(true);
  expect(sarif.code).toBe(json.code);

  // CSV has no place for them: stderr only, the report as it was.
  const csv = await cli([...args, "--format", "csv", "--output", "notices.csv"], env);
  expect(stderrNotices(csv.err)).toEqual(doc.notices);
  expect(fs.readFileSync(path.join(tmp, "notices.csv"), "utf8")).not.toContain("was not evaluated (turned off");

  // A run with no notice: an empty array, and no execution notification.
  const clean = await cli([...signIn, "--format", "json"], env);
  expect([clean.err, (JSON.parse(clean.out) as { notices: string[] }).notices]).toEqual(["", []]);
  const cleanSarif = await cli([...signIn, "--format", "sarif"], env);
  expect(JSON.parse(cleanSarif.out).runs[0].invocations[0].toolExecutionNotifications).toBeUndefined();
});

test("usage errors: a missing secret and a malformed identities file give exit 2 and one clear line", async () => {
  const noSecret = await cli(cliSignIn());
  expect(noSecret.code).toBe(2);
  expect(noSecret.err).toMatch(/AZURE_CLIENT_SECRET is empty/);
  fs.writeFileSync(path.join(tmp, "ids.yaml"), "identities:\n  - name: a\n    credential: {kind: clientSecret, tenantId: nope}\n");
  const bad = await cli(["--identities", "ids.yaml"]);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/ids\.yaml: \$\.identities\[0\]\.credential\.tenantId/);
  expect(bad.err).not.toMatch(/\n\s+at /);
  fs.writeFileSync(path.join(tmp, "ids-secret.yaml"), `identities:\n  - name: a\n    credential: {kind: clientSecret, tenantId: ${T.partner}, clientId: ${PEC_SP.appId}, clientSecret: hunter2}\n`);
  const inline = await cli(["--identities", "ids-secret.yaml"]);
  expect([inline.code, inline.err]).toEqual([2, expect.stringMatching(/secrets are never read from this file; remove 'clientSecret' and set clientSecretEnv/)]);
  expect(inline.err).not.toContain("hunter2");
  // A JSON syntax error beside a mistaken secret: placed by line and column, the text never quoted.
  fs.writeFileSync(path.join(tmp, "ids-secret.json"), `{"identities": [{"name": "a",\n "credential": {"kind": "clientSecret", "clientSecret": hunter2}}]}`);
  const syntax = await cli(["--identities", "ids-secret.json"]);
  expect([syntax.code, syntax.err]).toEqual([2, expect.stringMatching(/ids-secret\.json: not valid JSON \(line 2, column \d+\): an unexpected character/)]);
  expect(syntax.err).not.toContain("hunter2");
  fs.writeFileSync(path.join(tmp, "ids-dup.yaml"), `identities:\n  - name: a\n    credential: {kind: azureCli}\n  - name: a\n    credential: {kind: azureCli}\n`);
  const dup = await cli(["--identities", "ids-dup.yaml"]);
  expect([dup.code, dup.err]).toEqual([2, expect.stringMatching(/\$\.identities\[1\]\.name: 'a' is used twice/)]);
  const conc = await cli([...cliSignIn(), "--concurrency", "0"], { AZURE_CLIENT_SECRET: PEC_SP.secret });
  expect(conc.code).toBe(2);
  expect(conc.err).toMatch(/--concurrency 0/);
});

test("a wrong secret is reported as a sign-in failure without the secret", async () => {
  const r = await cli([...cliSignIn(), "--format", "json"], { AZURE_CLIENT_SECRET: "wrong-secret-value-xyz" });
  expect(r.code).toBe(2);
  expect(r.err).not.toContain("wrong-secret-value-xyz");
  expect(r.err.trim().split("\n")).toHaveLength(1);
  // The failing identity is named (an identities file can list several).
  expect(r.err).toContain(`identity '${PEC_SP.appId}'`);
});
