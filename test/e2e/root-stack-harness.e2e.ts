/**
 * The harness that drives the root onboarding stack (harness/root-stack.ts, harness/root-stack-config.ts), tested
 * on its own before that stack exists: a program that only echoes the `partnerlink:*` config contract
 * (fixtures/config-echo-program) must see exactly what the harness set, with the secrets kept secret.
 */
import { copyFixture } from "./harness/fixture-project";
import { demoSeed, startE2eEmulator, type RunningEmulator } from "./harness/emulator-fixture";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, partnerFromSeed, rootStackConfig } from "./harness/root-stack-config";

describe("root stack harness: config contract reaches the program, secrets stay secret", () => {
  const seed = demoSeed();
  const partner = partnerFromSeed(seed);
  let emu: RunningEmulator;
  let session: PulumiSession;
  let stack: RootStack;

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    stack = new RootStack(session, "e2e-echo", copyFixture("config-echo-program", session.dir));
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("stack init + config: every key arrives as the schema shapes it", async () => {
    await stack.init(rootStackConfig(seed, emu));
    await stack.up();
    const out = (await stack.outputs(true)).value;
    const customers = customersFromSeed(seed);
    expect(out).toEqual({
      partnerId: partner.partnerId,
      pecObjectId: partner.objectId,
      armEndpoint: emu.url,
      customers: customers.map((c) => `${c.name} ${c.subscriptionId} ${(c.resourceGroups ?? []).join("+")}`),
      pecClientSecretLength: partner.secret.length,
      deployers: customers
        .map((c) => `${c.name}=${seed.principals.find((p) => p.appId === c.deployer?.clientId)!.clientSecret!.length}`)
        .sort(),
    });
    expect(customers.some((c) => (c.resourceGroups ?? []).length === 2)).toBe(true);
  });

  test("no secret in the config file, the state or the plain outputs", async () => {
    const { readFileSync } = await import("node:fs");
    const plain = (await stack.outputs()).text;
    const state = (await stack.exportState()).text;
    const file = readFileSync(stack.configFile, "utf8");
    const secrets = seed.principals.map((p) => p.clientSecret).filter((s): s is string => !!s);
    expect(secrets.length).toBeGreaterThan(1);
    for (const s of secrets) {
      expect(file).not.toContain(s);
      expect(state).not.toContain(s);
      expect(plain).not.toContain(s);
    }
    expect(JSON.parse(plain).pecClientSecretLength).toBe("[secret]");
  });
});
