/**
 * `partnerlink audit` as a real child process (`node bin/partnerlink.js`, so `npm run build` first) whose reader goes
 * away early: a stderr pipe closed by its reader, and `2>&1 | head -1`. Nothing may crash with EPIPE (a stack trace,
 * exit 1 as if findings, a report never written); the audit goes on, exits as it would have, and writes its report.
 * (stdout alone closed early is test/audit/trial-regressions.test.ts: the audit stops quietly, exit 0.)
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AuditRow } from "../../audit/audit-row";
import { auditEmulator, PEC_SP, populate, SUB, T } from "./estate";

const REPO = path.resolve(__dirname, "..", "..");
const BIN = path.join(REPO, "bin", "partnerlink.js");

const suite = auditEmulator("partnerlink-audit-closed-");

beforeAll(() => {
  expect(fs.existsSync(path.join(REPO, "dist", "cli", "main.js"))).toBe(true);
  // PL003 ('c1 reader' holds Reader) and PL007 off: nothing else fires, so exit 0 tells a finished run from a crash
  // (exit 1); PL007 off also gives a notice on stderr at the end, after the reader has gone.
  fs.writeFileSync(path.join(suite.tmp, "quiet.json"), JSON.stringify({ rules: { PL003: { severity: "off" }, PL007: { severity: "off" } } }));
});
beforeEach(() => {
  populate(suite.emu);
  // Rows come 150 ms apart: the reader is long gone before the audit writes its last lines.
  suite.emu.setFaults([{ path: "registrationAssignments", kind: "slow", everyNth: 1, delayMs: 150 }]);
});

/** The child's environment: the secret, no progress bar, and the PATH bash needs. */
const ENV = { PATH: process.env.PATH ?? "/usr/bin:/bin", AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" };

function auditArgs(checkpoint: string, ...more: string[]): string[] {
  // --resume with no checkpoint there: the audit's first line on stderr says so, before anything is read.
  return ["audit", "--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--endpoint", suite.emu.url, "--authority-host", suite.emu.url, "--ca-cert", "ca.pem",
    "--config", "quiet.json", "--concurrency", "1", "--checkpoint", checkpoint, "--resume", ...more];
}

type Report = { subscriptions: AuditRow[]; summary: { subscriptions: number; notJudged: number } };

test("a stderr pipe its reader closed: the audit carries on, writes its whole report to stdout and exits as usual", async () => {
  const child = spawn(process.execPath, [BIN, ...auditArgs("stderr-closed.jsonl", "--format", "json")], { cwd: suite.tmp, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  // The reader of stderr goes away before the audit writes its first line there.
  child.stderr.destroy();
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  // Before: the first notice crashed the audit with EPIPE (exit 1, nothing on stdout).
  expect(code).toBe(0);
  const doc = JSON.parse(out) as Report;
  expect(doc.summary).toMatchObject({ subscriptions: 3, notJudged: 3 });
  expect(doc.subscriptions.map((r) => r.subscriptionId).sort()).toEqual([SUB.good, SUB.reader, SUB.rg]);
  expect(fs.existsSync(path.join(suite.tmp, "stderr-closed.jsonl"))).toBe(false);
});

test("partnerlink audit --output <file> 2>&1 | head -1: the first line, then a quiet run to the end and its report", async () => {
  // bash gives the audit's exit status (PIPESTATUS), and everything the audit wrote (a stack trace too) went to head.
  const script = '"$@" 2>&1 | head -n 1; exit "${PIPESTATUS[0]}"';
  const child = spawn("bash", ["-c", script, "partnerlink", process.execPath, BIN, ...auditArgs("head.jsonl", "--format", "json", "--output", "report.json")], {
    cwd: suite.tmp,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  expect(out).toBe(`partnerlink audit: no checkpoint at head.jsonl; auditing from the start\n`);
  // Before: the notice written after head had gone crashed it (exit 1), and report.json was never written.
  expect([code, err]).toEqual([0, ""]);
  const doc = JSON.parse(fs.readFileSync(path.join(suite.tmp, "report.json"), "utf8")) as Report & { notices: string[] };
  expect(doc.summary).toMatchObject({ subscriptions: 3, notJudged: 3 });
  // The report says so too, first among the run's notices: read alone, it tells a resumed run from a whole one.
  expect(doc.notices[0]).toBe("no checkpoint at head.jsonl; auditing from the start");
  expect(fs.readdirSync(suite.tmp).filter((f) => f.endsWith(".suite.tmp") || f === "head.jsonl")).toEqual([]);
});
