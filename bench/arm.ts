/**
 * ARM client layer speed against the emulator (https, real SDK pipeline, throttling off): first sign-in, sequential
 * and concurrent reads through arm/ (a ServiceClient is built per call: its cost shows here), paging over many
 * assignments, and assignment-create LROs (one poll each, interval forced to 0). No target is asserted.
 *
 * Run: npx tsc -p . && npx node dist/bench/arm.js [reads=300] [assignments=1000]
 */
import { armGuid } from "../rules/identifiers";
import { startEmulator, type EmulatorSeed } from "../emulator";
import {
  createRegistrationAssignment,
  getRegistrationDefinition,
  listRegistrationAssignments,
  putRegistrationDefinition,
  whoAmI,
  type ArmConnection,
} from "../arm";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CUSTOMER = "22222222-2222-4222-8222-222222222222";
const SP = "1a000000-0000-4000-8000-000000000001";
const OWNER = { objectId: "2b000000-0000-4000-8000-000000000001", appId: "2b000000-0000-4000-8000-0000000000a1", secret: "bench-owner-secret" };
const SUB = armGuid("bench", "sub");

function seed(): EmulatorSeed {
  return {
    tenants: [
      { tenantId: PARTNER, displayName: "Partner" },
      { tenantId: CUSTOMER, displayName: "Customer" },
    ],
    principals: [
      { objectId: SP, tenantId: PARTNER, type: "ServicePrincipal", displayName: "PAA", appId: armGuid("app", "sp") },
      { objectId: OWNER.objectId, tenantId: CUSTOMER, type: "ServicePrincipal", displayName: "Owner", appId: OWNER.appId, clientSecret: OWNER.secret },
    ],
    subscriptions: [{ subscriptionId: SUB, tenantId: CUSTOMER, displayName: "bench", owners: [OWNER.objectId] }],
  };
}

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function main(): Promise<void> {
  const reads = Number(process.argv[2] ?? 300);
  const assignments = Number(process.argv[3] ?? 1000);
  const emu = await startEmulator({ seed: seed(), throttle: false, lro: { pollsUntilDone: 1, retryAfterSeconds: 0 }, pageSize: 100 });
  try {
    const conn: ArmConnection = {
      credential: { kind: "clientSecret", tenantId: CUSTOMER, clientId: OWNER.appId, clientSecret: OWNER.secret },
      endpoint: emu.url,
      authorityHost: emu.url,
      caCertificatePem: emu.caCertPem,
    };
    let t = process.hrtime.bigint();
    await whoAmI(conn);
    console.log(`first sign-in (openid-configuration + token): ${ms(t).toFixed(0)} ms`);

    const defId = armGuid("bench-offer");
    await putRegistrationDefinition(conn, SUB, defId, {
      registrationDefinitionName: "bench",
      managedByTenantId: PARTNER,
      authorizations: [{ principalId: SP, roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" }],
    });

    t = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) await getRegistrationDefinition(conn, SUB, defId);
    const seq = ms(t);
    console.log(`sequential reads: ${reads} getRegistrationDefinition in ${seq.toFixed(0)} ms = ${(seq / reads).toFixed(2)} ms/call`);

    t = process.hrtime.bigint();
    await pool(reads, 16, () => getRegistrationDefinition(conn, SUB, defId));
    const par = ms(t);
    console.log(`concurrent reads (16 in flight): ${reads} in ${par.toFixed(0)} ms = ${((reads / par) * 1000).toFixed(0)} calls/s`);

    const lros = Math.min(assignments, 200);
    t = process.hrtime.bigint();
    await pool(lros, 16, (i) =>
      createRegistrationAssignment(conn, `/subscriptions/${SUB}`, armGuid("bench-assign", String(i)), `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}`, { updateIntervalInMs: 0 }),
    );
    const lro = ms(t);
    console.log(`assignment LROs (PUT + 1 poll + final GET, 16 in flight): ${lros} in ${lro.toFixed(0)} ms = ${(lro / lros).toFixed(1)} ms each (wall / n)`);
    for (let i = lros; i < assignments; i++) {
      emu.state.putAssignment({
        id: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationAssignments/${armGuid("bench-assign", String(i))}`,
        scope: `/subscriptions/${SUB}`,
        subscriptionId: SUB,
        name: armGuid("bench-assign", String(i)),
        registrationDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}`,
        provisioningState: "Succeeded",
      });
    }
    t = process.hrtime.bigint();
    let n = 0;
    for await (const _ of listRegistrationAssignments(conn, `/subscriptions/${SUB}`, { expandDefinition: true })) n++;
    console.log(`paging: ${n} assignments (expanded, 100 per page) in ${ms(t).toFixed(0)} ms`);
    const mem = process.memoryUsage();
    console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await emu.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
