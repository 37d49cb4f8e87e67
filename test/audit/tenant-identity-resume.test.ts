/**
 * Three gaps of `partnerlink audit` against the emulator over https: an identity signed in to a customer tenant
 * instead of the managing one, a subscription two identities see whose read fails for the first, and a resumed run
 * whose PAL links changed since the checkpoint was written.
 */
import * as path from "node:path";
import type { EmulatorSeed } from "../../emulator";
import type { ArmConnection } from "../../arm";
import { runAudit, type AuditIdentity } from "../../audit/run-audit";
import type { AuditRow } from "../../audit/audit-row";
import { Checkpoint } from "../../audit/checkpoint";
import { CONFIG, EXPECTED, PEC_SP, SEED, SUB, T, auditEmulator, engineerConnection, populate, servicePrincipalConnection, summarize } from "./estate";

/** An identity of customer one's own tenant, Owner of its subscriptions (both delegated to the partner). */
const CUSTOMER_SP = { objectId: "c1c1c1c1-0000-4000-8000-0000000000b1", appId: "c1c1c1c1-0000-4000-8000-0000000000a1", secret: "customer-test-secret-value-456" };
const TENANT_SEED: EmulatorSeed = {
  ...SEED,
  principals: [...SEED.principals, { objectId: CUSTOMER_SP.objectId, tenantId: T.c1, type: "ServicePrincipal", displayName: "Customer automation", appId: CUSTOMER_SP.appId, clientSecret: CUSTOMER_SP.secret }],
  subscriptions: SEED.subscriptions.map((s) => (s.tenantId === T.c1 ? { ...s, owners: [CUSTOMER_SP.objectId] } : s)),
};

const suite = auditEmulator("partnerlink-audit-gaps-", TENANT_SEED);
beforeEach(() => {
  populate(suite.emu);
  suite.emu.setFaults([]);
});

const sp = (tenantId: string, who: { appId: string; secret: string }, maxRetries = 4): ArmConnection => servicePrincipalConnection(suite.emu, tenantId, who, maxRetries);

const partnerIdentities = (): AuditIdentity[] => [
  { name: "automation", connection: sp(T.partner, PEC_SP) },
  { name: "engineer", connection: engineerConnection(suite.emu) },
];

const TENANT_NOTICE = /is signed in to tenant .* which is not a managing tenant/;

describe("the tenant the audit signs in to", () => {
  test("an identity signed in to a customer tenant is named, with the tenants that manage it", async () => {
    const now = new Date().toISOString();
    // The customer's identity has a PAL link of its own: the audit must say it is not the partner's Lighthouse principal's.
    suite.emu.state.putLink({ tenantId: T.c1, objectId: CUSTOMER_SP.objectId, partnerId: "1234567", version: 1, createdTime: now, updatedTime: now, state: "Active" });
    const rows: AuditRow[] = [];
    const result = await runAudit({ identities: [{ name: "customer", connection: sp(T.c1, CUSTOMER_SP) }], config: { partnerId: "1234567" } }, (r) => rows.push(r));
    const notice = result.notices.filter((n) => TENANT_NOTICE.test(n));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toContain(`identity 'customer' is signed in to tenant ${T.c1}`);
    expect(notice[0]).toContain(`managed by ${T.partner}`);
    expect(notice[0]).toContain("PAL link it read (partner ID 1234567) is that tenant's identity's");
    expect(notice[0]).toContain(`Fix: sign in to the partner tenant (${T.partner})`);
    // Its own subscriptions are not delegated to it, so none is reported: the notice is all that explains the empty report.
    expect(rows).toEqual([]);
  });

  test("an identity signed in outside the configured allowed managing tenants is named", async () => {
    const result = await runAudit({ identities: partnerIdentities(), config: { ...CONFIG, allowedManagingTenants: [T.other] } }, () => {});
    const notice = result.notices.filter((n) => TENANT_NOTICE.test(n));
    expect(notice.map((n) => n.slice(0, n.indexOf(" is signed in")))).toEqual(["identity 'automation'", "identity 'engineer'"]);
    expect(notice[0]).toContain(`not among the allowed managing tenants (allowedManagingTenants, --allowed-tenant: ${T.other})`);
  });

  test("identities signed in to the managing tenant raise no such notice, with a customer identity beside them or not", async () => {
    const partner = await runAudit({ identities: partnerIdentities(), config: { ...CONFIG, allowedManagingTenants: [T.partner] } }, () => {});
    expect(partner.notices.filter((n) => TENANT_NOTICE.test(n))).toEqual([]);
    const mixed = await runAudit({ identities: [...partnerIdentities(), { name: "customer", connection: sp(T.c1, CUSTOMER_SP) }], config: CONFIG }, () => {});
    expect(mixed.notices.filter((n) => TENANT_NOTICE.test(n)).map((n) => n.slice(0, n.indexOf(" is signed in")))).toEqual(["identity 'customer'"]);
  });
});

describe("a subscription two identities see", () => {
  test("a read that fails for the identity that listed it first is made by the other, and the row names it", async () => {
    // c1 reader is delegated to both the automation SP (Reader) and the engineer's group (Contributor). The
    // automation's read fails (no retries left); the engineer can read it, so it is not unreadable.
    suite.emu.setFaults([{ path: `/subscriptions/${SUB.reader}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", firstN: 1 }]);
    const identities: AuditIdentity[] = [
      { name: "automation", connection: sp(T.partner, PEC_SP, 0) },
      { name: "engineer", connection: engineerConnection(suite.emu) },
    ];
    const rows: AuditRow[] = [];
    await runAudit({ identities, config: CONFIG, concurrency: 2 }, (r) => rows.push(r));
    expect(summarize(rows)).toEqual(EXPECTED);
    const reader = rows.find((r) => r.subscriptionId === SUB.reader)!;
    expect(reader.error).toBeUndefined();
    expect(reader.seenBy).toBe("engineer");
    expect(rows.find((r) => r.subscriptionId === SUB.good)!.seenBy).toBe("automation");

    // When no identity can read it, it is unreadable, with the error of the identity that listed it first.
    suite.emu.setFaults([{ path: `/subscriptions/${SUB.reader}/providers/Microsoft.ManagedServices/registrationAssignments`, kind: "500", everyNth: 1 }]);
    const failing: AuditRow[] = [];
    await runAudit({ identities: [identities[0]!, { name: "engineer", connection: { ...engineerConnection(suite.emu), retry: { maxRetries: 0 } } }], config: CONFIG, concurrency: 2 }, (r) => failing.push(r));
    expect(failing.find((r) => r.subscriptionId === SUB.reader)).toEqual(expect.objectContaining({ associated: null, seenBy: "automation", error: expect.any(String) }));
    expect(failing.filter((r) => r.error !== undefined)).toHaveLength(1);
  });
});

describe("--resume and the PAL links", () => {
  /** Reads the first subscription (c1 good) with a checkpoint, then stops, as an interrupted run does. */
  async function interruptedRun(file: string): Promise<AuditRow[]> {
    const abort = new AbortController();
    const first: AuditRow[] = [];
    const cp = Checkpoint.open(file, false, "this audit");
    await runAudit({ identities: partnerIdentities(), config: CONFIG, concurrency: 1, checkpoint: cp, signal: abort.signal }, (r) => {
      first.push(r);
      abort.abort();
    });
    cp.close();
    return first;
  }

  test("a resumed run whose PAL link changed reads the recorded subscriptions again and judges them against the link read now", async () => {
    const file = path.join(suite.tmp, "links-changed.jsonl");
    const first = await interruptedRun(file);
    expect(first.map((r) => [r.subscriptionId, r.associated])).toEqual([[SUB.good, true]]);
    // Between the runs the automation SP's link moves to another partner ID.
    const now = new Date().toISOString();
    suite.emu.state.putLink({ tenantId: T.partner, objectId: PEC_SP.objectId, partnerId: "7654321", version: 2, createdTime: now, updatedTime: now, state: "Active" });
    const fresh: AuditRow[] = [];
    await runAudit({ identities: partnerIdentities(), config: CONFIG }, (r) => fresh.push(r));
    expect(fresh.find((r) => r.subscriptionId === SUB.good)!.associated).toBe(false);

    const cp = Checkpoint.open(file, true, "this audit");
    const resumed: AuditRow[] = [];
    const result = await runAudit({ identities: partnerIdentities(), config: CONFIG, concurrency: 2, checkpoint: cp }, (r) => resumed.push(r));
    expect(summarize(resumed)).toEqual(summarize(fresh));
    expect(resumed).toHaveLength(fresh.length);
    const notice = result.notices.find((n) => n.startsWith("the PAL links read now differ"));
    expect(notice).toMatch(/checkpoint's 1 subscription\(s\) were judged against \(recorded \d{4}-\d\d-\d\dT[\d:.]+Z\): they were read again/);
    // The checkpoint now holds this run's rows only, under the links read now: a second resume reuses them.
    cp.close();
    // Any delegation read now would fail: a second resume must take every row from the checkpoint.
    suite.emu.setFaults([{ path: "registrationAssignments", kind: "500", everyNth: 1 }]);
    const again: AuditRow[] = [];
    const cp2 = Checkpoint.open(file, true, "this audit");
    const second = await runAudit({ identities: partnerIdentities(), config: CONFIG, checkpoint: cp2 }, (r) => again.push(r));
    cp2.finish();
    expect(again.filter((r) => r.error !== undefined)).toEqual([]);
    expect(summarize(again)).toEqual(summarize(fresh));
    expect(second.notices.filter((n) => n.startsWith("the PAL links read now differ"))).toEqual([]);
  });
});
