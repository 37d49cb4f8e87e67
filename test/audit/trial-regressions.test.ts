/**
 * Defects a user trial found in `partnerlink audit`, each reproduced through the CLI against the built-in ARM
 * emulator over https (the estate of ./estate.ts).
 */
import "@microsoft/jest-sarif";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import type { AuditRow } from "../../audit/audit-row";
import { main } from "../../cli/main";
import { runCli } from "../check/run-cli";
import { ADMINS, auditEmulator, PEC_SP, populate, SUB, T } from "./estate";

const suite = auditEmulator("partnerlink-audit-trial-");
beforeEach(() => {
  populate(suite.emu);
  suite.emu.setFaults([]);
});

const SECRET = { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" };

/** "A" of the trial: the PEC service principal against the emulator, from the command line. */
function signIn(): string[] {
  return ["--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--endpoint", suite.emu.url, "--authority-host", suite.emu.url, "--ca-cert", "ca.pem"];
}

async function cli(args: string[], env: Record<string, string> = SECRET) {
  const r = await runCli(["audit", ...args], { env: { ...env }, cwd: suite.tmp });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

type Report = { subscriptions: AuditRow[]; summary: { subscriptions: number; associated: number; notAssociated: number; notJudged: number; errors: number; notEvaluated: { ruleId: string; reason: string }[] } };

test("no PAL link and no PEC principal: every subscription is not associated, with a notice and exit 1", async () => {
  suite.emu.state.removeLink(T.partner, PEC_SP.objectId);
  const table = await cli([...signIn(), "--format", "table", "--checkpoint", "nolink.jsonl"]);
  expect(table.code).toBe(1);
  const rows = table.out.split("\n").filter((l) => /^[0-9a-f]{8}-/.test(l));
  expect(rows).toHaveLength(3);
  for (const row of rows) expect(row).toMatch(/^\S+\s+.+?\s+NO\s+.*PL007/);
  expect(table.out).toContain("3 subscriptions: 0 associated, 3 not associated");
  expect(table.err).toContain(`partnerlink audit: no PAL link found for any identity (${PEC_SP.appId}) and no PEC principal is configured`);
  const json = await cli([...signIn(), "--format", "json", "--checkpoint", "nolink.jsonl"]);
  const doc = JSON.parse(json.out) as Report;
  expect(doc.subscriptions.map((r) => r.associated)).toEqual([false, false, false]);
  expect(doc.subscriptions.every((r) => r.findings.some((f) => f.ruleId === "PL007" && f.severity === "error" && f.message.includes("no PEC principal is configured")))).toBe(true);
  // The rules that did not run say why in the audit's terms (links read live), and the fix tells object ID from client ID.
  expect(doc.summary.notEvaluated.map((n) => n.reason)).toEqual(doc.summary.notEvaluated.map(() => "no PEC principal is configured and no identity the audit signed in as has a PAL link"));
  expect(doc.summary.notEvaluated.length).toBeGreaterThan(0);
  expect(table.err).toContain("The object ID is the service principal's, not the client ID it signs in with: az ad sp show --id <client ID> --query id -o tsv.");
  // A declared DPOR still associates an EA subscription; a waiver suppresses the finding as for any rule.
  fs.writeFileSync(
    path.join(suite.tmp, "dpor.json"),
    JSON.stringify({
      subscriptions: [{ subscriptionId: SUB.good, agreement: "EA", dpor: true }],
      waivers: [{ rule: "PL007", resource: "*", reason: "onboarding in progress" }],
    }),
  );
  const waived = await cli([...signIn(), "--format", "json", "--config", "dpor.json", "--checkpoint", "nolink.jsonl"]);
  expect(waived.code).toBe(0);
  const w = JSON.parse(waived.out) as Report;
  expect(w.subscriptions.find((r) => r.subscriptionId === SUB.good)).toMatchObject({ associated: true, findings: [] });
  expect(w.subscriptions.find((r) => r.subscriptionId === SUB.reader)!.findings.find((f) => f.ruleId === "PL007")!.suppressed).toMatchObject({ reason: "onboarding in progress" });
  expect(w.summary).toMatchObject({ associated: 1, notAssociated: 2 });
});

test("a waived PL007 still reports the subscription not associated; only the exit code accepts it", async () => {
  // The PEC principal signs in and is PAL-linked: 'c1 reader' holds only Reader, so PL007 fires there.
  fs.writeFileSync(path.join(suite.tmp, "waive-pl007.json"), JSON.stringify({ waivers: [{ rule: "PL007", resource: "c1 reader", reason: "Reader by contract" }] }));
  const run = await cli([...signIn(), "--format", "json", "--config", "waive-pl007.json", "--checkpoint", "waive.jsonl"]);
  const row = (JSON.parse(run.out) as Report).subscriptions.find((r) => r.subscriptionId === SUB.reader)!;
  expect(row.findings.find((f) => f.ruleId === "PL007")?.suppressed).toMatchObject({ reason: "Reader by contract" });
  expect(row.associated).toBe(false);
});

test("the live PAL state beats palLinkedPrincipals for the identities the audit signs in as", async () => {
  suite.emu.state.removeLink(T.partner, PEC_SP.objectId);
  // As `partnerlink template` writes it: the PEC principal listed as PAL-linked. ADMINS is listed too, and the audit
  // does not sign in as it: for it the config's claim is all there is.
  fs.writeFileSync(path.join(suite.tmp, "template.config.json"), JSON.stringify({ partnerId: "1234567", pecPrincipals: [PEC_SP.objectId, ADMINS], palLinkedPrincipals: [PEC_SP.objectId, ADMINS] }));
  const r = await cli([...signIn(), "--format", "json", "--config", "template.config.json", "--checkpoint", "pal.jsonl"]);
  expect(r.code).toBe(1);
  const doc = JSON.parse(r.out) as Report;
  const row = (sub: string) => doc.subscriptions.find((x) => x.subscriptionId === sub)!;
  const rules = (sub: string) => [...new Set(row(sub).findings.filter((f) => !f.suppressed).map((f) => f.ruleId))].sort();
  // Contributor for the PEC principal, which the audit signed in as and found unlinked: not associated, PL008.
  expect(row(SUB.good).associated).toBe(false);
  expect(rules(SUB.good)).toEqual(expect.arrayContaining(["PL007", "PL008"]));
  expect(row(SUB.good).findings.find((f) => f.ruleId === "PL008")!.message).toContain(PEC_SP.objectId);
  // Contributor for ADMINS, linked by the config's word alone: still associated.
  expect(row(SUB.reader).associated).toBe(true);
  expect(rules(SUB.reader)).not.toContain("PL007");
  expect(r.err).toContain(`palLinkedPrincipals lists ${PEC_SP.objectId} (identity '${PEC_SP.appId}'), but the audit read no PAL link for it: it is judged not linked.`);
  // With the link in place the same config raises nothing about it.
  populate(suite.emu);
  const linked = await cli([...signIn(), "--format", "json", "--config", "template.config.json", "--checkpoint", "pal.jsonl"]);
  const again = JSON.parse(linked.out) as Report;
  expect(again.subscriptions.find((x) => x.subscriptionId === SUB.good)).toMatchObject({ associated: true });
  expect(linked.err).toBe("");
});

test("--endpoint, --authority-host and --ca-cert apply to an identities file; a disagreeing arm: section is a usage error", async () => {
  const ids = (arm = "") =>
    `${arm}identities:\n  - name: automation\n    credential: { kind: clientSecret, tenantId: ${T.partner}, clientId: ${PEC_SP.appId}, clientSecretEnv: PAA_SECRET }\n`;
  const env = { PAA_SECRET: PEC_SP.secret, CI: "true" };
  const flags = ["--endpoint", suite.emu.url, "--authority-host", suite.emu.url, "--ca-cert", "ca.pem", "--format", "json", "--checkpoint", "ids.jsonl"];
  fs.writeFileSync(path.join(suite.tmp, "ids-plain.yaml"), ids());
  const tokensBefore = suite.emu.stats().requests;
  const plain = await cli(["--identities", "ids-plain.yaml", ...flags], env);
  // Signed in at the emulator and read it: the same report as the command-line identity gives.
  expect([plain.code, plain.err]).toEqual([1, ""]);
  expect((JSON.parse(plain.out) as Report).summary).toMatchObject({ subscriptions: 3, associated: 2 });
  expect(suite.emu.stats().requests).toBeGreaterThan(tokensBefore);
  // The same settings in both places are fine.
  fs.writeFileSync(path.join(suite.tmp, "ids-same.yaml"), ids(`arm: { endpoint: "${suite.emu.url}/", caCertificateFile: ca.pem }\n`));
  expect((await cli(["--identities", "ids-same.yaml", ...flags], env)).code).toBe(1);
  // Different ones: exit 2 naming both, before any request (no secret goes anywhere).
  fs.writeFileSync(path.join(suite.tmp, "ids-other.yaml"), ids("arm: { endpoint: https://management.azure.com }\n"));
  const before = suite.emu.stats().requests;
  const other = await cli(["--identities", "ids-other.yaml", ...flags], env);
  expect([other.code, other.out]).toEqual([2, ""]);
  expect(other.err.trim().split("\n")).toEqual([
    `partnerlink audit: --endpoint ${suite.emu.url} and ${path.join(suite.tmp, "ids-other.yaml")}: arm.endpoint https://management.azure.com disagree; give it in one place (or the same value in both)`,
  ]);
  expect(suite.emu.stats().requests).toBe(before);
});

test("--endpoint without --authority-host is refused before any sign-in: a real cloud token would go to that endpoint", async () => {
  const before = suite.emu.stats().requests;
  const run = await cli(["--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--client-secret-env", "PAA_SECRET", "--endpoint", suite.emu.url, "--ca-cert", "ca.pem"], { PAA_SECRET: PEC_SP.secret, CI: "true" });
  expect([run.code, run.out]).toEqual([2, ""]);
  expect(run.err.trim().split("\n")).toEqual([
    `partnerlink audit: --endpoint ${suite.emu.url} is not the cloud's ARM endpoint, and no --authority-host is given: the audit would sign in at https://login.microsoftonline.com and send that token to ${suite.emu.url}. Give --authority-host too (the emulator prints it), or leave --endpoint out`,
  ]);
  expect(suite.emu.stats().requests).toBe(before);
});

test("a resumed run that fails before reading (a rotated secret) keeps the checkpoint it resumed", async () => {
  const file = path.join(suite.tmp, "rotated.jsonl");
  // A first run with one unreadable subscription keeps its checkpoint, for --resume.
  suite.emu.setFaults([{ path: `/subscriptions/${SUB.good}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", everyNth: 1 }]);
  const first = await cli([...signIn(), "--format", "json", "--checkpoint", "rotated.jsonl"]);
  expect(first.code).toBe(2);
  suite.emu.setFaults([]);
  const written = fs.readFileSync(file, "utf8");
  expect(written.trim().split("\n")).toHaveLength(4); // the header, the PAL links read, and the two subscriptions read
  // The secret was rotated: sign-in fails before anything is read. The checkpoint is the earlier run's work.
  const rotated = await cli([...signIn(), "--format", "json", "--checkpoint", "rotated.jsonl", "--resume"], { AZURE_CLIENT_SECRET: "rotated-secret", CI: "true" });
  expect([rotated.code, rotated.out]).toEqual([2, ""]);
  expect(fs.existsSync(file) && fs.readFileSync(file, "utf8")).toBe(written);
  expect(rotated.err.trim().split("\n")).toEqual([expect.stringContaining(`the checkpoint ${file} is kept: run again with --resume`)]);
  // With the new secret the resumed run reads just the rest, and finishes (removing the checkpoint).
  const before = suite.emu.stats().requests;
  const resumed = await cli([...signIn(), "--format", "json", "--checkpoint", "rotated.jsonl", "--resume"]);
  expect(resumed.code).toBe(1);
  expect((JSON.parse(resumed.out) as Report).summary).toMatchObject({ subscriptions: 3, errors: 0 });
  expect(suite.emu.stats().requests - before).toBeLessThan(10);
  expect(fs.existsSync(file)).toBe(false);
});

/**
 * Runs the audit with stdout piped into `head -n 1`, which exits after the first line, as in `audit | head -1`. The
 * shell then closes its own end of the pipe and lingers, so the pipe has no reader (writes fail with EPIPE, as
 * process.stdout's do) while the child process, whose exit would make Node drop its stdin quietly, is alive
 * (killed when the audit returns).
 */
async function auditIntoHead(args: string[]): Promise<{ code: number; err: string; firstLine: string }> {
  const head = spawn("sh", ["-c", "head -n 1; exec 0<&- 1>&- sleep 20"], { stdio: ["pipe", "pipe", "ignore"], timeout: 30000 });
  let firstLine = "";
  head.stdout.on("data", (d: Buffer) => (firstLine += d.toString()));
  const headDone = new Promise((resolve) => head.stdout.once("close", resolve));
  let err = "";
  const stderr = new Writable({ write(chunk, _enc, cb) { err += String(chunk); cb(); } });
  try {
    const code = await main(["audit", ...args], { stdout: head.stdin, stderr, env: { ...SECRET }, cwd: suite.tmp });
    await headDone;
    return { code, err, firstLine: firstLine.trim() };
  } finally {
    head.kill();
  }
}

test.each([
  ["csv", "subscriptionId,displayName,tenantId,associated,"],
  ["json", '{"subscriptions":['],
])("--format %s into a reader that closes early ends quietly: exit 0, no stack trace, no checkpoint", async (format, first) => {
  // Rows come 150 ms apart, so the reader is long gone when the next one is written.
  suite.emu.setFaults([{ path: "registrationAssignments", kind: "slow", everyNth: 1, delayMs: 150 }]);
  const r = await auditIntoHead([...signIn(), "--format", format, "--concurrency", "1", "--checkpoint", `head-${format}.jsonl`]);
  expect(r.firstLine.startsWith(first)).toBe(true);
  expect([r.code, r.err]).toEqual([0, ""]);
  expect(fs.existsSync(path.join(suite.tmp, `head-${format}.jsonl`))).toBe(false);
});

test("an unreadable subscription is associated: null in JSON and an empty cell in CSV, never false", async () => {
  suite.emu.setFaults([{ path: `/subscriptions/${SUB.good}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", everyNth: 1 }]);
  // Both at once: each waits out the SDK's retries of the failing read.
  const [json, csv] = await Promise.all([
    cli([...signIn(), "--format", "json", "--checkpoint", "null-json.jsonl"]),
    cli([...signIn(), "--format", "csv", "--checkpoint", "null-csv.jsonl"]),
  ]);
  expect([json.code, csv.code]).toEqual([2, 2]);
  const doc = JSON.parse(json.out) as Report;
  const row = doc.subscriptions.find((r) => r.subscriptionId === SUB.good)!;
  expect(row.error).toEqual(expect.any(String));
  expect(row.associated).toBeNull();
  expect(doc.summary).toMatchObject({ subscriptions: 3, associated: 1, notAssociated: 1, errors: 1 });
  const lines = csv.out.trim().split("\n");
  const header = lines[0]!.split(",");
  const cells = lines.find((l) => l.startsWith(SUB.good))!.split(",");
  expect(cells[header.indexOf("associated")]).toBe("");
  expect(cells[header.indexOf("error")]).not.toBe("");
  expect(lines.find((l) => l.startsWith(SUB.reader))!.split(",")[header.indexOf("associated")]).toBe("false");
});

test("PL007 turned off: no subscription is reported associated or not, but 'not judged', in every format", async () => {
  // By rule ID here and by name below: both turn the rule off (rules/engine.ts severityOverrides).
  fs.writeFileSync(path.join(suite.tmp, "pl007-off.json"), JSON.stringify({ rules: { PL007: { severity: "off" } } }));
  const run = (format: string) => cli([...signIn(), "--format", format, "--config", "pl007-off.json", "--checkpoint", `pl007-off-${format}.jsonl`]);
  const [json, table, csv, sarif] = await Promise.all([run("json"), run("table"), run("csv"), run("sarif")]);
  // 'c1 good' holds Contributor for the PEC principal, yet nothing checked it: before, it read "associated".
  const doc = JSON.parse(json.out) as Report;
  expect(doc.subscriptions.map((r) => [r.subscriptionId, r.associated, r.notJudged]).sort()).toEqual(
    [SUB.good, SUB.reader, SUB.rg].map((s) => [s, null, "PL007 (association) was not evaluated: turned off in config (severity: off)"]),
  );
  expect(doc.subscriptions.every((r) => r.error === undefined && !r.findings.some((f) => f.ruleId === "PL007"))).toBe(true);
  expect(doc.summary).toMatchObject({ subscriptions: 3, associated: 0, notAssociated: 0, notJudged: 3, errors: 0 });
  expect(doc.summary.notEvaluated).toEqual([{ ruleId: "PL007", reason: "turned off in config (severity: off)" }]);
  // The exit code is the other rules' (PL003 on 'c1 reader'), the same in every format; association decides nothing.
  expect([json.code, table.code, csv.code, sarif.code]).toEqual([1, 1, 1, 1]);
  for (const r of [json, table, csv, sarif]) expect(r.err).toContain('partnerlink audit: PL007 (subscription-not-associated) was not evaluated (turned off in config (severity: off)): no subscription\'s association is judged, each is reported "not judged"');
  const rows = table.out.split("\n").filter((l) => /^[0-9a-f]{8}-/.test(l));
  expect(rows.map((l) => l.split(/\s{2,}/)[2])).toEqual(["not judged", "not judged", "not judged"]);
  expect(table.out).toContain("3 subscriptions: 0 associated, 0 not associated, 3 not judged, 0 unreadable;");
  expect(table.out).toContain("not evaluated: PL007 (turned off in config (severity: off))");
  const lines = csv.out.trim().split("\n");
  const header = lines[0]!.split(",");
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    expect([cells[header.indexOf("associated")], cells[header.indexOf("error")], cells[header.indexOf("notJudged")]]).toEqual(["", "", "PL007 (association) was not evaluated: turned off in config (severity: off)"]);
  }
  const log = JSON.parse(sarif.out);
  expect(log).toBeValidSarifLog();
  expect(log.runs[0].invocations).toEqual([
    {
      executionSuccessful: true,
      toolConfigurationNotifications: [expect.objectContaining({ message: { text: "PL007 was not evaluated: turned off in config (severity: off)." }, associatedRule: expect.objectContaining({ id: "PL007" }) })],
      // The notice stderr prints, for a reader of the SARIF file alone.
      toolExecutionNotifications: [{ level: "note", message: { text: expect.stringMatching(/^PL007 \(subscription-not-associated\) was not evaluated \(turned off in config/) } }],
    },
  ]);
  // With no PEC principal known the audit judges PL007 itself (not associated); turned off, it does not either.
  suite.emu.state.removeLink(T.partner, PEC_SP.objectId);
  fs.writeFileSync(path.join(suite.tmp, "pl007-off-by-name.json"), JSON.stringify({ rules: { "subscription-not-associated": { severity: "off" } }, subscriptions: [{ subscriptionId: SUB.good, agreement: "EA", dpor: true }] }));
  const nolink = await cli([...signIn(), "--format", "json", "--config", "pl007-off-by-name.json", "--checkpoint", "pl007-off-nolink.jsonl"]);
  const n = JSON.parse(nolink.out) as Report;
  expect(n.subscriptions.map((r) => r.associated)).toEqual([null, null, null]);
  expect(n.summary).toMatchObject({ associated: 0, notAssociated: 0, notJudged: 3 });
});

/** Waits (no deadline of its own: jest's test timeout is the bound) until `ready()` holds. */
async function until(ready: () => boolean): Promise<void> {
  while (!ready()) await new Promise((r) => setTimeout(r, 20));
}

test("SIGTERM (a CI timeout, a container stop) interrupts the audit as Ctrl-C does: no half-written --output temp file, the checkpoint kept", async () => {
  const dir = fs.mkdtempSync(path.join(suite.tmp, "sigterm-"));
  fs.copyFileSync(path.join(suite.tmp, "ca.pem"), path.join(dir, "ca.pem"));
  // Every delegation read hangs, so the signal arrives while the report's temp file is open and rows are in flight.
  suite.emu.setFaults([{ path: "registrationAssignments", kind: "slow", everyNth: 1, delayMs: 3000 }]);
  const faultsBefore = suite.emu.stats().faultsInjected;
  const child = spawn(process.execPath, [path.resolve(__dirname, "../../bin/partnerlink.js"), "audit", ...signIn(), "--format", "json", "--output", "report.json", "--checkpoint", "cp.jsonl"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...SECRET },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  try {
    await until(() => suite.emu.stats().faultsInjected > faultsBefore);
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 2, signal: null });
    expect(err).toContain("partnerlink audit: interrupted after");
    // Nothing half-written: neither the report nor its temp file; the checkpoint stays for --resume.
    expect(fs.readdirSync(dir).sort()).toEqual(["ca.pem", "cp.jsonl"]);
  } finally {
    child.kill("SIGKILL");
  }
}, 60000);

test("a secret pasted into --client-secret-env, --client-id or --tenant-id is refused before sign-in and never repeated", async () => {
  const CANARY = "S3cr3t~CANARY.value-0123456789";
  const base = ["--endpoint", suite.emu.url, "--authority-host", suite.emu.url, "--ca-cert", "ca.pem", "--format", "json", "--checkpoint", "pasted.jsonl"];
  const requestsBefore = suite.emu.stats().requests;
  const runs = [
    // The secret where its variable's NAME goes (`--client-secret-env "$SECRET"`).
    { args: ["--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--client-secret-env", CANARY], says: "--client-secret-env takes the NAME of an environment variable" },
    { args: ["--tenant-id", T.partner, "--client-id", CANARY], says: "--client-id must be a GUID" },
    { args: ["--tenant-id", CANARY, "--client-id", PEC_SP.appId], says: "--tenant-id must be a GUID" },
    { args: ["--managed-identity", "--client-id", CANARY], says: "--client-id must be a GUID" },
  ];
  for (const { args, says } of runs) {
    const r = await cli([...args, ...base]);
    expect({ args, code: r.code, out: r.out, err: r.err.includes(says), leaked: r.err.includes(CANARY) || r.err.includes("CANARY") }).toEqual({ args, code: 2, out: "", err: true, leaked: false });
  }
  // Nothing was sent anywhere, and no report or checkpoint was written.
  expect(suite.emu.stats().requests).toBe(requestsBefore);
  expect(fs.existsSync(path.join(suite.tmp, "pasted.jsonl"))).toBe(false);
  // A variable's name that holds nothing is still named: it is only a name.
  const unset = await cli([...signIn(), ...base.slice(6), "--client-secret-env", "PAA_SECRET"], { CI: "true" });
  expect(unset.err).toContain("environment variable PAA_SECRET is empty");
});

test("a certificate's PEM text given where its file's path goes (--certificate, an identities file's certificateFile) is refused and never repeated", async () => {
  const KEY_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7CANARYKEYLINE";
  const PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_LINE}\nu7CANARYsecondLINEofTHEkeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n`;
  const requestsBefore = suite.emu.stats().requests;
  const base = ["--endpoint", suite.emu.url, "--authority-host", suite.emu.url, "--ca-cert", "ca.pem", "--format", "json", "--checkpoint", "pem.jsonl"];
  const flag = await cli(["--tenant-id", T.partner, "--client-id", PEC_SP.appId, `--certificate=${PEM}`, ...base], { CI: "true" });
  const yaml = `identities:\n  - name: a\n    credential:\n      kind: clientCertificate\n      tenantId: ${T.partner}\n      clientId: ${PEC_SP.appId}\n      certificateFile: |\n${PEM.trimEnd().split("\n").map((l) => `        ${l}`).join("\n")}\n`;
  fs.writeFileSync(path.join(suite.tmp, "ids-pem.yaml"), yaml);
  const file = await cli(["--identities", "ids-pem.yaml", ...base], { CI: "true" });
  for (const [name, r, says] of [["--certificate", flag, "--certificate takes the PATH of a file"], ["certificateFile", file, "certificateFile takes the PATH of a file"]] as const) {
    expect({ name, code: r.code, says: r.err.includes(says), leaked: r.err.includes("CANARY") || r.err.includes("BEGIN PRIVATE KEY") }).toEqual({ name, code: 2, says: true, leaked: false });
  }
  expect(suite.emu.stats().requests).toBe(requestsBefore);
});
