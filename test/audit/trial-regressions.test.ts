/**
 * Defects a user trial found in `partnerlink audit`, each reproduced through the CLI against the built-in ARM
 * emulator over https (the estate of ./estate.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { AuditRow } from "../../audit/audit-row";
import { runCli } from "../check/run-cli";
import { PEC_SP, SEED, SUB, T, populate } from "./estate";

let emu: RunningEmulator;
let tmp: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: SEED, lro: { pollsUntilDone: 0, retryAfterSeconds: 0 } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-audit-trial-"));
  fs.writeFileSync(path.join(tmp, "ca.pem"), emu.caCertPem);
}, 30000);
afterAll(async () => {
  await emu?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  populate(emu);
  emu.setFaults([]);
});

const SECRET = { AZURE_CLIENT_SECRET: PEC_SP.secret, CI: "true" };

/** "A" of the trial: the PEC service principal against the emulator, from the command line. */
function signIn(): string[] {
  return ["--tenant-id", T.partner, "--client-id", PEC_SP.appId, "--endpoint", emu.url, "--authority-host", emu.url, "--ca-cert", "ca.pem"];
}

async function cli(args: string[], env: Record<string, string> = SECRET) {
  const r = await runCli(["audit", ...args], { env: { ...env }, cwd: tmp });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

type Report = { subscriptions: AuditRow[]; summary: { subscriptions: number; associated: number; notAssociated: number; errors: number } };

test("no PAL link and no PEC principal: every subscription is not associated, with a notice and exit 1", async () => {
  emu.state.removeLink(T.partner, PEC_SP.objectId);
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
  // A declared DPOR still associates an EA subscription; a waiver suppresses the finding as for any rule.
  fs.writeFileSync(
    path.join(tmp, "dpor.json"),
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
