import { startEmulator, type RunningEmulator } from "../../emulator";
import { FaultInjector } from "../../emulator/faults";
import { FABRIKAM, PARTNER_TENANT, PROVIDER_SP, armClient, asgPath, defPath, definitionBody, runLro, secretCredential, send } from "./helpers";

const FAB = `/subscriptions/${FABRIKAM.subscriptionId}`;
const SUBS = `${FAB}?api-version=2022-12-01`;

describe("fault injection seen through the SDK pipeline", () => {
  let emu: RunningEmulator;
  const lines: string[] = [];
  beforeAll(async () => {
    emu = await startEmulator({ log: (l) => lines.push(l), throttle: false });
  });
  afterAll(() => emu.stop());
  const client = () => armClient(emu, secretCredential(emu, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret));

  test.each(["429", "503", "500", "drop"] as const)("%s on the first request is retried by the SDK's retry policy", async (kind) => {
    const c = client();
    await send(c, emu, "GET", SUBS); // sign in first, so the fault hits the ARM call
    emu.setFaults([{ path: "^/subscriptions/[^/]+\\?", method: "GET", kind, firstN: 1, retryAfterSeconds: 1 }]);
    const before = emu.stats();
    lines.length = 0;
    const r = await send(c, emu, "GET", SUBS);
    expect(r.status).toBe(200);
    expect(r.body.subscriptionId).toBe(FABRIKAM.subscriptionId);
    const after = emu.stats();
    expect(after.faultsInjected - before.faultsInjected).toBe(1);
    expect(after.requests - before.requests).toBe(2);
    expect(lines[0]).toContain(`fault=${kind}`);
    expect(lines[1]).toMatch(/ 200 caller=/);
    emu.setFaults([]);
  });

  test("a 503 rule with retryAfterSeconds answers Retry-After, and the SDK's retry waits it out", async () => {
    const c = client();
    await send(c, emu, "GET", SUBS);
    emu.setFaults([{ path: "^/subscriptions/[^/]+\\?", method: "GET", kind: "503", firstN: 1, retryAfterSeconds: 2 }]);
    const started = Date.now();
    expect((await send(c, emu, "GET", SUBS)).status).toBe(200);
    // The exponential policy alone would retry after about 1 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    emu.setFaults([]);
  });

  test("slow responses still answer", async () => {
    emu.setFaults([{ path: "^/subscriptions", kind: "slow", delayMs: 200 }]);
    lines.length = 0;
    expect((await send(client(), emu, "GET", SUBS)).status).toBe(200);
    expect(lines.some((l) => l.includes("fault=slow"))).toBe(true);
    emu.setFaults([]);
  });

  test("an LRO that ends Failed: the poller reports failed and the assignment is Failed", async () => {
    const c = client();
    const defId = "0000000a-0000-4000-8000-000000000001";
    expect((await send(c, emu, "PUT", defPath(FABRIKAM.subscriptionId, defId), definitionBody())).status).toBe(201);
    emu.setFaults([{ method: "PUT", path: "registrationAssignments", kind: "lro-failed" }]);
    const asg = "0000000a-0000-4000-8000-000000000002";
    const r = await runLro(c, emu, "PUT", asgPath(FAB, asg), { properties: { registrationDefinitionId: `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}` } });
    emu.setFaults([]);
    expect(r.state.status).toBe("failed");
    expect(r.polls[r.polls.length - 1]!.body).toMatchObject({ status: "Failed", error: { code: "RegistrationAssignmentProvisioningFailed" } });
    expect((await send(c, emu, "GET", asgPath(FAB, asg))).body.properties.provisioningState).toBe("Failed");
  });
});

describe("fault rules are deterministic", () => {
  const decisions = (seed: number) => {
    const f = new FaultInjector([{ kind: "503", probability: 0.5, seed }]);
    return Array.from({ length: 40 }, () => (f.pick("GET", "/x") ? 1 : 0)).join("");
  };
  test("same seed, same decisions; another seed, others", () => {
    expect(decisions(42)).toBe(decisions(42));
    expect(decisions(42)).not.toBe(decisions(43));
    expect(decisions(42)).toMatch(/1/);
    expect(decisions(42)).toMatch(/0/);
  });
  test("everyNth and firstN; method and path filters", () => {
    const f = new FaultInjector([{ kind: "500", everyNth: 3, method: "^PUT$" }]);
    expect(Array.from({ length: 7 }, () => (f.pick("PUT", "/a") ? 1 : 0)).join("")).toBe("0010010");
    expect(f.pick("GET", "/a")).toBeUndefined();
    const g = new FaultInjector([{ kind: "429", firstN: 2, path: "partners" }]);
    expect([g.pick("GET", "/providers/Microsoft.ManagementPartner/partners"), g.pick("GET", "/subscriptions"), g.pick("GET", "/x/partners"), g.pick("GET", "/partners")].map((x) => (x ? 1 : 0))).toEqual([1, 0, 1, 0]);
    expect(() => new FaultInjector([{ kind: "500", path: "(" }])).toThrow(/fault rule \[0\]\.path: invalid regular expression/);
  });
});

describe("ARM throttling", () => {
  test("remaining-reads headers count down; an empty bucket answers 429 + Retry-After, which the SDK honours", async () => {
    const emu = await startEmulator({ throttle: { readsBurst: 2, readsPerSecond: 1, writesBurst: 2, writesPerSecond: 1 } });
    try {
      const c = armClient(emu, secretCredential(emu, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret));
      const a = await send(c, emu, "GET", SUBS);
      const b = await send(c, emu, "GET", SUBS);
      expect([a.headers["x-ms-ratelimit-remaining-subscription-reads"], b.headers["x-ms-ratelimit-remaining-subscription-reads"]]).toEqual(["1", "0"]);
      const third = await send(c, emu, "GET", SUBS); // 429 Retry-After: 1, retried by the pipeline
      expect(third.status).toBe(200);
      expect(emu.stats().throttled).toBe(1);
      // The raw answer, without a retry policy:
      const token = emu.tokenFor(FABRIKAM.deployer.objectId);
      const https = await import("node:https");
      const raw = async () =>
        new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, reject) =>
          https.get(`${emu.url}${SUBS}`, { ca: emu.caCertPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
            let t = "";
            res.on("data", (x) => (t += x)).on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(t) }));
          }).on("error", reject),
        );
      // tokenFor's principal shares the bucket (same principal): drain it.
      let last = await raw();
      for (let i = 0; i < 3 && last.status !== 429; i++) last = await raw();
      expect(last.status).toBe(429);
      expect(last.headers["retry-after"]).toBe("1");
      expect(last.body.error.code).toBe("TooManyRequests");
      // Writes have their own bucket.
      const w = await send(c, emu, "PUT", defPath(FABRIKAM.subscriptionId, "0000000b-0000-4000-8000-000000000001"), definitionBody());
      expect(w.status).toBe(201);
      expect(w.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("1");
    } finally {
      await emu.stop();
    }
  });
});

describe("ARM throttling: which bucket a DELETE draws on", () => {
  // Azure's recordings (../shared/azure-contract): a Partner Admin Link DELETE (tenant level) answers
  // x-ms-ratelimit-remaining-tenant-writes and draws on the same counter as the PUT before it (TestRemoveParnter.json:
  // PUT 1199, DELETE 1198); a Lighthouse DELETE under /subscriptions answers x-ms-ratelimit-remaining-subscription-deletes
  // (ManagedServices_CRUD.json). ARM has no tenant-level deletes bucket.
  test("tenant-level DELETE is a write; subscription-level DELETE has its own deletes bucket", async () => {
    const emu = await startEmulator({ throttle: { readsBurst: 5, readsPerSecond: 0.001, writesBurst: 5, writesPerSecond: 0.001 } });
    try {
      const pal = armClient(emu, secretCredential(emu, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret));
      const link = "/providers/Microsoft.ManagementPartner/partners/1234567?api-version=2018-02-01";
      const put = await send(pal, emu, "PUT", link);
      const del = await send(pal, emu, "DELETE", link);
      expect([put.status, del.status]).toEqual([200, 200]);
      expect(put.headers["x-ms-ratelimit-remaining-tenant-writes"]).toBe("4");
      expect(del.headers["x-ms-ratelimit-remaining-tenant-writes"]).toBe("3");
      expect(del.headers["x-ms-ratelimit-remaining-tenant-deletes"]).toBeUndefined();

      const c = armClient(emu, secretCredential(emu, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret));
      const def = defPath(FABRIKAM.subscriptionId, "0000000c-0000-4000-8000-000000000001");
      const w = await send(c, emu, "PUT", def, definitionBody());
      const d = await send(c, emu, "DELETE", def);
      expect([w.status, d.status]).toEqual([201, 200]);
      expect(w.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBe("4");
      expect(d.headers["x-ms-ratelimit-remaining-subscription-deletes"]).toBe("4");
      expect(d.headers["x-ms-ratelimit-remaining-subscription-writes"]).toBeUndefined();
    } finally {
      await emu.stop();
    }
  });
});
