/**
 * The whole chain the root stack will use, before it exists: Pulumi CLI -> Node.js language host -> a dynamic
 * provider using the Azure SDK (@azure/identity, @azure/arm-managementpartner) -> the ARM emulator over https,
 * its CA trusted only through NODE_EXTRA_CA_CERTS set before the CLI starts. Program: fixtures/pal-program.
 * Assertions read the emulator's state (what Azure would hold) and the engine's state.
 */
import { copyFixture } from "./harness/fixture-project";
import { demoSeed, emulatorContents, startE2eEmulator, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps, stateResources, type PreviewDigest, type StackExport } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { partnerFromSeed } from "./harness/root-stack-config";

const PAL_TYPE = "pulumi-nodejs:dynamic/pal:PartnerAdminLink";

describe("dynamic PAL resource against the ARM emulator (https, NODE_EXTRA_CA_CERTS)", () => {
  const seed = demoSeed();
  const partner = partnerFromSeed(seed);
  let emu: RunningEmulator;
  let session: PulumiSession;
  let prog: string;

  const pulumi = (args: string[], allowFailure = false) => session.run(args, { cwd: prog, allowFailure });
  const preview = async (): Promise<PreviewDigest> => (await session.json<PreviewDigest>(["preview"], { cwd: prog })).value;
  const exported = async () => {
    const text = (await pulumi(["stack", "export"])).stdout;
    return { text, value: JSON.parse(text) as StackExport };
  };
  const changes = (d: PreviewDigest) => resourceOps(d).filter((op) => !op.startsWith("same "));

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    prog = copyFixture("pal-program", session.dir);
    await pulumi(["stack", "init", "e2e"]);
    await pulumi(["config", "set", "endpoint", emu.url]);
    await pulumi(["config", "set", "tenantId", partner.tenantId]);
    await pulumi(["config", "set", "clientId", partner.clientId]);
    await pulumi(["config", "set", "partnerId", partner.partnerId]);
    await pulumi(["config", "set", "--secret", "clientSecret", partner.secret]);
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("pulumi up links the partner ID; the client secret is in neither state nor output", async () => {
    const r = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(emulatorContents(emu).activePartnerLinks).toEqual([
      { tenantId: partner.tenantId, objectId: partner.objectId, partnerId: partner.partnerId },
    ]);
    const state = await exported();
    const [pal] = stateResources(state.value, PAL_TYPE);
    expect(pal.outputs?.objectId).toBe(partner.objectId);
    expect(state.text).not.toContain(partner.secret);
    expect(`${r.stdout}${r.stderr}`).not.toContain(partner.secret);
  });

  test("pulumi refresh shows a relink made behind Pulumi's back; up puts it back", async () => {
    const link = emu.state.getLink(partner.tenantId, partner.objectId)!;
    emu.state.putLink({ ...link, partnerId: "7654321", version: link.version + 1 });
    const r = await pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(r.stdout).toMatch(/1 updated/);
    const [pal] = stateResources((await exported()).value, PAL_TYPE);
    expect(pal.outputs?.partnerId).toBe("7654321");
    expect(changes(await preview())).toEqual(["update partner-admin-link"]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(emu.state.getLink(partner.tenantId, partner.objectId)?.partnerId).toBe(partner.partnerId);
  });

  test("a config change updates the link in place (same link record, new partner ID)", async () => {
    const before = emu.state.getLink(partner.tenantId, partner.objectId)!;
    await pulumi(["config", "set", "partnerId", "7654321"]);
    expect(changes(await preview())).toEqual(["update partner-admin-link"]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    const after = emu.state.getLink(partner.tenantId, partner.objectId)!;
    expect(after.partnerId).toBe("7654321");
    expect(after.createdTime).toBe(before.createdTime);
  });

  test("pulumi import cannot adopt a dynamic resource: the engine's Read carries no __provider", async () => {
    // Pulumi's ImportStep calls Read with the ID only (pkg/resource/deploy/step.go at pkg/v3.259.0), and the
    // dynamic provider host loads the provider from the `__provider` property (sdk/nodejs/cmd/dynamic-provider).
    // So `pulumi import` of a dynamic resource fails; partnerlink's provider plugin imports instead
    // (plugin-import.e2e.ts), and the dynamic PartnerAdminLink adopts an existing link on `pulumi up`.
    const r = await pulumi(["import", PAL_TYPE, "adopted", "/providers/Microsoft.ManagementPartner/partners/7654321", "--yes"], true);
    expect(`${r.stdout}${r.stderr}`).toMatch(/code must be a string/);
    expect(stateResources((await exported()).value, PAL_TYPE)).toHaveLength(1);
  });

  test("pulumi destroy leaves the emulator empty", async () => {
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    expect(stateResources((await exported()).value)).toEqual([]);
    await pulumi(["stack", "rm", "--yes"]);
  });
});
