/**
 * Emulator speed: start time (with and without generating the TLS material), request throughput for reads
 * and writes over https with keep-alive, and GET /subscriptions on a large estate (S delegated subscriptions,
 * one assignment each, listed by the partner's service principal, as `partnerlink audit` does).
 * Throttling off, 16 requests in flight. No target is asserted; figures are printed.
 *
 * Run: npx tsc -p . && npx node dist/bench/emulator.js [requests=2000] [subscriptions=1000]
 */
import * as https from "node:https";
import { armGuid } from "../rules/identifiers";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../emulator";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CUSTOMER = "22222222-2222-4222-8222-222222222222";
const SP = "1a000000-0000-4000-8000-000000000001";
const OWNER = "2b000000-0000-4000-8000-000000000001";

function seed(subs: number): EmulatorSeed {
  return {
    tenants: [
      { tenantId: PARTNER, displayName: "Partner" },
      { tenantId: CUSTOMER, displayName: "Customer" },
    ],
    principals: [
      { objectId: SP, tenantId: PARTNER, type: "ServicePrincipal", displayName: "PAA", appId: armGuid("app", "sp") },
      { objectId: OWNER, tenantId: CUSTOMER, type: "ServicePrincipal", displayName: "Owner", appId: armGuid("app", "owner") },
    ],
    subscriptions: Array.from({ length: subs }, (_, i) => ({ subscriptionId: armGuid("sub", String(i)), tenantId: CUSTOMER, displayName: `sub ${i}`, owners: [OWNER] })),
  };
}

function call(emu: RunningEmulator, agent: https.Agent, token: string, method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(emu.url + path, { method, agent, ca: emu.caCertPem, headers: { authorization: `Bearer ${token}`, ...(text ? { "content-type": "application/json" } : {}) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", reject);
    req.end(text);
  });
}

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<number>): Promise<{ ms: number; bad: number }> {
  let next = 0;
  let bad = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const s = await fn(i);
        if (s >= 300) bad++;
      }
    }),
  );
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bad };
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 2000);
  const subs = Number(process.argv[3] ?? 1000);
  let t = process.hrtime.bigint();
  const first = await startEmulator({ seed: seed(subs), throttle: false, lro: { pollsUntilDone: 1 } });
  const startCold = Number(process.hrtime.bigint() - t) / 1e6;
  t = process.hrtime.bigint();
  const second = await startEmulator({ seed: seed(1), throttle: false });
  const startWarm = Number(process.hrtime.bigint() - t) / 1e6;
  await second.stop();
  console.log(`start: ${startCold.toFixed(0)} ms (generating CA + server certificate), ${startWarm.toFixed(0)} ms (reused in-process)`);

  const emu = first;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  const owner = emu.tokenFor(OWNER);
  const sp = emu.tokenFor(SP);
  const def = (i: number) => `/subscriptions/${armGuid("sub", String(i % subs))}/providers/Microsoft.ManagedServices/registrationDefinitions/${armGuid("def", String(i))}?api-version=2022-10-01`;
  const body = { properties: { registrationDefinitionName: "bench", managedByTenantId: PARTNER, authorizations: [{ principalId: SP, roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" }] } };

  const writes = Math.max(requests, subs); // at least one definition per subscription, for the assignments below
  const w = await pool(writes, 16, (i) => call(emu, agent, owner, "PUT", def(i), body));
  console.log(`writes: ${writes} definition PUTs in ${w.ms.toFixed(0)} ms = ${((writes / w.ms) * 1000).toFixed(0)} req/s (${w.bad} not 2xx)`);
  const r = await pool(requests, 16, (i) => call(emu, agent, owner, "GET", def(i)));
  console.log(`reads:  ${requests} definition GETs in ${r.ms.toFixed(0)} ms = ${((requests / r.ms) * 1000).toFixed(0)} req/s (${r.bad} not 2xx)`);

  // One assignment per subscription, then the partner lists what it sees.
  const asg = (i: number) => `/subscriptions/${armGuid("sub", String(i))}/providers/Microsoft.ManagedServices/registrationAssignments/${armGuid("asg", String(i))}?api-version=2022-10-01`;
  const a = await pool(subs, 16, (i) =>
    call(emu, agent, owner, "PUT", asg(i), { properties: { registrationDefinitionId: def(i).split("?")[0] } }),
  );
  console.log(`assignments: ${subs} PUTs in ${a.ms.toFixed(0)} ms (${a.bad} not 2xx)`);
  t = process.hrtime.bigint();
  const status = await call(emu, agent, sp, "GET", "/subscriptions?api-version=2022-12-01");
  console.log(`GET /subscriptions as the partner over ${subs} delegated subscriptions: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms (status ${status}, first page of 100)`);
  t = process.hrtime.bigint();
  let pages = 0;
  for (let skip = 0; skip < subs; skip += 100, pages++) await call(emu, agent, sp, "GET", `/subscriptions?api-version=2022-12-01&$skipToken=${skip}`);
  console.log(`  all ${pages} pages: ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms`);
  const mem = process.memoryUsage();
  console.log(`memory: rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB; state ${JSON.stringify(emu.state.counts())}`);
  agent.destroy();
  await emu.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
