/**
 * Three gaps of `partnerlink audit` against the emulator over https: an identity signed in to a customer tenant
 * instead of the managing one, a subscription two identities see whose read fails for the first, and a resumed run
 * whose PAL links changed since the checkpoint was written.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import type { ArmConnection } from "../../arm";
import { runAudit, type AuditIdentity } from "../../audit/run-audit";
import type { AuditRow } from "../../audit/audit-row";
import { Checkpoint } from "../../audit/checkpoint";
import { CONFIG, ENGINEER, EXPECTED, PEC_SP, SEED, SUB, T, populate } from "./estate";

/** An identity of customer one's own tenant, Owner of its subscriptions (both delegated to the partner). */
const CUSTOMER_SP = { objectId: "c1c1c1c1-0000-4000-8000-0000000000b1", appId: "c1c1c1c1-0000-4000-8000-0000000000a1", secret: "customer-test-secret-value-456" };
const TENANT_SEED: EmulatorSeed = {
  ...SEED,
  principals: [...SEED.principals, { objectId: CUSTOMER_SP.objectId, tenantId: T.c1, type: "ServicePrincipal", displayName: "Customer automation", appId: CUSTOMER_SP.appId, clientSecret: CUSTOMER_SP.secret }],
  subscriptions: SEED.subscriptions.map((s) => (s.tenantId === T.c1 ? { ...s, owners: [CUSTOMER_SP.objectId] } : s)),
};

let emu: RunningEmulator;
let tmp: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: TENANT_SEED, lro: { pollsUntilDone: 0, retryAfterSeconds: 0 } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-audit-gaps-"));
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  populate(emu);
  emu.setFaults([]);
});

function sp(tenantId: string, who: { appId: string; secret: string }, maxRetries = 4): ArmConnection {
  return {
    credential: { kind: "clientSecret", tenantId, clientId: who.appId, clientSecret: who.secret },
    endpoint: emu.url,
    authorityHost: emu.url,
    caCertificatePem: emu.caCertPem,
    retry: { maxRetries, retryDelayMs: 5, maxRetryDelayMs: 50 },
  };
}

function engineer(): ArmConnection {
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      return { token: emu.tokenFor(ENGINEER), expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
  return { credential, endpoint: emu.url, caCertificatePem: emu.caCertPem, retry: { maxRetries: 4, retryDelayMs: 5, maxRetryDelayMs: 50 } };
}

const partnerIdentities = (): AuditIdentity[] => [
  { name: "automation", connection: sp(T.partner, PEC_SP) },
  { name: "engineer", connection: engineer() },
];

function summarize(rows: AuditRow[]) {
  const out: Record<string, { associated: boolean | null; pecRole?: string; permanent?: boolean; visible: boolean; rules: string[] }> = {};
  for (const r of rows) {
    const rules = [...new Set(r.findings.filter((f) => !f.suppressed && f.severity !== "info").map((f) => f.ruleId))].sort();
    out[r.subscriptionId] = { associated: r.associated, visible: r.visible, rules, ...(r.pecRole ? { pecRole: r.pecRole } : {}), ...(r.permanent !== undefined ? { permanent: r.permanent } : {}) };
  }
  return out;
}

describe("a subscription two identities see", () => {
  test("a read that fails for the identity that listed it first is made by the other, and the row names it", async () => {
    // c1 reader is delegated to both the automation SP (Reader) and the engineer's group (Contributor). The
    // automation's read fails (no retries left); the engineer can read it, so it is not unreadable.
    emu.setFaults([{ path: `/subscriptions/${SUB.reader}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", firstN: 1 }]);
    const identities: AuditIdentity[] = [
      { name: "automation", connection: sp(T.partner, PEC_SP, 0) },
      { name: "engineer", connection: engineer() },
    ];
    const rows: AuditRow[] = [];
    await runAudit({ identities, config: CONFIG, concurrency: 2 }, (r) => rows.push(r));
    expect(summarize(rows)).toEqual(EXPECTED);
    const reader = rows.find((r) => r.subscriptionId === SUB.reader)!;
    expect(reader.error).toBeUndefined();
    expect(reader.seenBy).toBe("engineer");
    expect(rows.find((r) => r.subscriptionId === SUB.good)!.seenBy).toBe("automation");

    // When no identity can read it, it is unreadable, with the error of the identity that listed it first.
    emu.setFaults([{ path: `/subscriptions/${SUB.reader}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", everyNth: 1 }]);
    const failing: AuditRow[] = [];
    await runAudit({ identities: [identities[0]!, { name: "engineer", connection: { ...engineer(), retry: { maxRetries: 0 } } }], config: CONFIG, concurrency: 2 }, (r) => failing.push(r));
    expect(failing.find((r) => r.subscriptionId === SUB.reader)).toEqual(expect.objectContaining({ associated: null, seenBy: "automation", error: expect.any(String) }));
    expect(failing.filter((r) => r.error !== undefined)).toHaveLength(1);
  });
});
