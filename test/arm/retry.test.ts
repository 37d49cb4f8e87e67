/**
 * The SDK pipeline's own retry policies (configured through ArmConnection.retry, not re-implemented) against
 * injected 429/503/500/dropped connections and the emulator's token-bucket throttling.
 */
import { ArmError, getCurrentPartnerLink, getRegistrationDefinition, listSubscriptions } from "../../arm";
import type { RunningEmulator } from "../../emulator";
import { armGuid } from "../../rules/identifiers";
import { SUB, automationCredential, connect, deployerCredential, startTestEmulator } from "./fixture";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.stop());
afterEach(() => emu.setFaults([]));

const DEF_PATH = "registrationDefinitions";

async function injected(run: () => Promise<unknown>): Promise<number> {
  const before = emu.stats().faultsInjected;
  await run();
  return emu.stats().faultsInjected - before;
}

test.each([
  ["429 with Retry-After", { kind: "429" as const, retryAfterSeconds: 0 }],
  ["503", { kind: "503" as const }],
  ["500", { kind: "500" as const }],
  ["a dropped connection", { kind: "drop" as const }],
])("%s twice, then success: the call succeeds", async (_name, fault) => {
  const conn = connect(emu, deployerCredential);
  await getRegistrationDefinition(conn, SUB, armGuid("warm")); // sign in before faults are set
  emu.setFaults([{ method: "GET", path: DEF_PATH, firstN: 2, ...fault }]);
  const n = await injected(async () => expect(await getRegistrationDefinition(conn, SUB, armGuid("absent"))).toBeUndefined());
  expect(n).toBe(2);
});

test("the generated PAL client uses the same retry settings", async () => {
  const conn = connect(emu, automationCredential);
  emu.setFaults([{ path: "ManagementPartner", firstN: 1, kind: "429", retryAfterSeconds: 0 }]);
  const n = await injected(async () => expect(await getCurrentPartnerLink(conn)).toBeUndefined());
  expect(n).toBe(1);
});

test("throttling that outlasts the retry budget: throttled ArmError after maxRetries + 1 attempts", async () => {
  const conn = connect(emu, deployerCredential, { retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 } });
  await getRegistrationDefinition(conn, SUB, armGuid("warm")); // sign in first: count ARM requests only
  emu.setFaults([{ method: "GET", path: DEF_PATH, kind: "429", retryAfterSeconds: 0 }]);
  const before = emu.stats().requests;
  const err = await getRegistrationDefinition(conn, SUB, armGuid("x")).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect(err).toMatchObject({ kind: "throttled", statusCode: 429 });
  expect((err as ArmError).message).toContain("after 2 retries");
  expect(emu.stats().requests - before).toBe(3);
});

test("503 that never clears: unavailable ArmError", async () => {
  const conn = connect(emu, deployerCredential, { retry: { maxRetries: 1, retryDelayMs: 5, maxRetryDelayMs: 10 } });
  emu.setFaults([{ method: "GET", path: DEF_PATH, kind: "503" }]);
  await expect(getRegistrationDefinition(conn, SUB, armGuid("x"))).rejects.toMatchObject({ kind: "unavailable", statusCode: 503 });
});

test("connections that keep dropping: network ArmError", async () => {
  const conn = connect(emu, deployerCredential, { retry: { maxRetries: 1, retryDelayMs: 5, maxRetryDelayMs: 10 } });
  await getRegistrationDefinition(conn, SUB, armGuid("warm"));
  emu.setFaults([{ method: "GET", path: DEF_PATH, kind: "drop" }]);
  await expect(getRegistrationDefinition(conn, SUB, armGuid("x"))).rejects.toMatchObject({ kind: "network", code: "ECONNRESET" });
});

test("the emulator's token bucket (Azure's 429 + Retry-After) is ridden out by the pipeline", async () => {
  const throttled = await startTestEmulator({ throttle: { readsBurst: 2, readsPerSecond: 4, writesBurst: 2, writesPerSecond: 4 } });
  try {
    const conn = connect(throttled, deployerCredential);
    for (let i = 0; i < 5; i++) expect((await collect(listSubscriptions(conn))).length).toBe(2);
    expect(throttled.stats().throttled).toBeGreaterThan(0);
  } finally {
    await throttled.stop();
  }
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
