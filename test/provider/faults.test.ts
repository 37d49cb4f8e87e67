/**
 * Fault runs: both resources driven through up / update / destroy against the emulator while it injects faults
 * (429 with Retry-After, 500, 503, dropped connections, slow answers, long-running operations that end Failed)
 * into Azure's APIs, every operation retried until it succeeds, the way a user re-runs `pulumi up`: a failed
 * create that reports an ID (partial create) is recorded with its properties and continued with update, as the
 * Pulumi engine does. At least 200 faults are injected; after every phase the emulator holds exactly the
 * expected objects (no orphan, no duplicate), and no error message carries a client secret.
 */
import { armGuid } from "../../rules/identifiers";
import { LighthouseOnboardingProvider } from "../../provider/lighthouse-onboarding";
import { PartnerAdminLinkProvider } from "../../provider/partner-admin-link";
import type { FaultRule } from "../../emulator";
import { CUSTOMER_TENANT, PAL_SP, PARTNER_ID, PARTNER_TENANT, startFixture, SUB_PLAIN, SUB_RGS, type Fixture } from "./fixtures";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

const pal = new PartnerAdminLinkProvider();
const lh = new LighthouseOnboardingProvider({ updateIntervalInMs: 1 });
const errors: string[] = [];
const MAX_ATTEMPTS = 40;

/** Resource state as the engine keeps it. */
interface Recorded {
  id: string;
  outs: Record<string, unknown>;
}

async function retry<T>(what: string, fn: () => Promise<T>, onError?: (e: Error & { id?: string; properties?: Record<string, unknown> }) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as Error & { id?: string; properties?: Record<string, unknown> };
      errors.push(e.message);
      onError?.(e);
      if (attempt >= MAX_ATTEMPTS) throw new Error(`${what}: still failing after ${attempt} attempts: ${e.message}`);
    }
  }
}

/** Create (or finish a partial create) until it succeeds. */
async function up(provider: typeof lh | typeof pal, raw: Record<string, unknown>, prior?: Recorded): Promise<Recorded> {
  const inputs = (await provider.check!({}, raw)).inputs;
  let rec: Recorded | undefined = prior;
  return retry(`up ${String(raw.offerName ?? raw.partnerId)}`, async () => {
    if (!rec) {
      const r = await provider.create(inputs);
      return { id: r.id, outs: r.outs };
    }
    const d = await provider.diff!(rec.id, rec.outs, inputs);
    if (d.changes === false) return rec;
    const u = await provider.update!(rec.id, rec.outs, inputs);
    return { id: rec.id, outs: u.outs };
  }, (e) => {
    if (e.id) rec = { id: e.id, outs: e.properties ?? {} };
  });
}

async function destroy(provider: typeof lh | typeof pal, rec: Recorded): Promise<void> {
  await retry(`destroy ${rec.id}`, () => provider.delete!(rec.id, rec.outs));
}

const OFFERS = {
  // No resource groups: the subscription (resourceGroups left out; an empty list is refused).
  a: { subscriptionId: SUB_PLAIN, offerName: "Fault run A" } as { subscriptionId: string; resourceGroups?: string[]; offerName: string },
  b: { subscriptionId: SUB_RGS, resourceGroups: ["rg-web", "rg-data"], offerName: "Fault run B" },
  c: { subscriptionId: SUB_RGS, resourceGroups: ["rg-ops"], offerName: "Fault run C" },
};

function onboarding(o: { subscriptionId: string; resourceGroups?: string[]; offerName: string }, description = "v1"): Record<string, unknown> {
  return {
    managingTenantId: PARTNER_TENANT,
    customerTenantId: CUSTOMER_TENANT,
    ...o,
    offerDescription: description,
    pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "Provider Automation Account" },
    customerConnection: fx.connection("deployer"),
  };
}

/** The emulator holds exactly these definitions (by offer) with exactly these assignment scopes, all Succeeded. */
function expectExactly(expected: { offerName: string; subscriptionId: string; resourceGroups?: string[] }[]): void {
  const defs = fx.emu.state.listDefinitions();
  const assigns = fx.emu.state.listAssignments();
  expect(defs.map((d) => d.name).sort()).toEqual(expected.map((e) => armGuid(e.offerName)).sort());
  const want = expected.flatMap((e) =>
    (e.resourceGroups?.length ? e.resourceGroups.map((rg) => `/subscriptions/${e.subscriptionId}/resourceGroups/${rg}`) : [`/subscriptions/${e.subscriptionId}`]).map(
      (scope) => `${scope}|${armGuid(e.offerName)}|Succeeded`,
    ),
  );
  expect(assigns.map((a) => `${a.scope}|${a.name}|${a.provisioningState}`).sort()).toEqual(want.sort());
  for (const a of assigns) expect(defs.some((d) => d.id.toLowerCase() === a.registrationDefinitionId.toLowerCase())).toBe(true);
}

test("at least 200 injected faults across every operation end in the right state, nothing orphaned or duplicated", async () => {
  const arm = "(ManagementPartner|ManagedServices)";
  const faults: FaultRule[] = [
    { path: arm, kind: "429", probability: 0.1, retryAfterSeconds: 0, seed: 11 },
    { path: arm, kind: "500", probability: 0.08, seed: 12 },
    { path: arm, kind: "503", probability: 0.08, seed: 13 },
    { path: arm, kind: "drop", probability: 0.08, seed: 14 },
    { path: arm, kind: "slow", probability: 0.06, delayMs: 20, seed: 15 },
    { method: "PUT|DELETE", path: "registrationAssignments", kind: "lro-failed", probability: 0.3, seed: 16 },
  ];
  fx.emu.state.reset();
  fx.emu.setFaults(faults);
  const start = fx.emu.stats().faultsInjected;
  let rounds = 0;
  while (fx.emu.stats().faultsInjected - start < 200) {
    rounds++;
    expect(rounds).toBeLessThanOrEqual(20);
    // up: the link and three onboardings
    const link = await up(pal, { partnerId: PARTNER_ID, connection: fx.connection("pal") });
    const a = await up(lh, onboarding(OFFERS.a));
    let b = await up(lh, onboarding(OFFERS.b));
    const c = await up(lh, onboarding(OFFERS.c));
    expectExactly([OFFERS.a, OFFERS.b, OFFERS.c]);
    expect(fx.emu.state.getLink(PARTNER_TENANT, PAL_SP.objectId)).toMatchObject({ partnerId: PARTNER_ID, state: "Active" });
    expect(link.outs.partnerId).toBe(PARTNER_ID);
    // update in place: B moves from rg-data to rg-ops and changes its description
    const b2 = { ...OFFERS.b, resourceGroups: ["rg-web", "rg-ops"] };
    b = await up(lh, onboarding(b2, "v2"), b);
    expectExactly([OFFERS.a, b2, OFFERS.c]);
    expect(fx.emu.state.listDefinitions().find((d) => d.name === armGuid(OFFERS.b.offerName))?.properties.description).toBe("v2");
    // destroy everything
    for (const r of [a, b, c]) await destroy(lh, r);
    await destroy(pal, link);
    expectExactly([]);
    expect(fx.emu.state.counts().activePartnerLinks).toBe(0);
  }
  const injected = fx.emu.stats().faultsInjected - start;
  fx.emu.setFaults([]);
  expect(injected).toBeGreaterThanOrEqual(200);
  for (const m of errors) {
    for (const s of Object.values(fx.secrets)) expect(m).not.toContain(s);
  }
  expect(fx.log.join("\n")).not.toContain(fx.secrets.deployer);
  process.stdout.write(`fault run: ${injected} faults injected over ${rounds} rounds; ${errors.length} operation attempts failed and were retried\n`);
}, 300_000);
