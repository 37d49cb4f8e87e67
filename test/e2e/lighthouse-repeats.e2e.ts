/**
 * A LighthouseOnboarding a partner's program declares itself (fixtures/lighthouse-program, partnerlink/provider),
 * with the real Pulumi CLI against the ARM emulator: an authorization that repeats another exactly is refused by the
 * provider's check() at preview, naming the property and the fix, before anything reaches Azure; without the repeat
 * the resource is created, and a refresh reads back exactly what its inputs say (no change in the next preview).
 */
import { DEFAULT_PEC_ROLE_ID } from "../../rules/roles";
import { copyFixtureWithPartnerlink } from "./harness/fixture-project";
import { demoSeed, emulatorContents, startE2eEmulator, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, partnerFromSeed } from "./harness/root-stack-config";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

describe("LighthouseOnboarding in a partner's program: an exact repeat is refused at preview", () => {
  const seed = demoSeed();
  const partner = partnerFromSeed(seed);
  const fabrikam = customersFromSeed(seed)[0];
  const deployer = seed.principals.find((p) => p.appId === fabrikam.deployer?.clientId)!;
  const admins = seed.principals.find((p) => p.tenantId === partner.tenantId && p.type === "Group")!;
  const adminsReader = { principalId: admins.objectId, principalIdDisplayName: admins.displayName, roleDefinitionId: READER };
  let emu: RunningEmulator;
  let session: PulumiSession;
  let stack: RootStack;

  /** The program's config: the resource's inputs with these `authorizations`. */
  function config(authorizations: unknown[]) {
    return {
      plain: {
        "lighthouse:onboarding": {
          managingTenantId: partner.tenantId,
          customerTenantId: fabrikam.tenantId,
          subscriptionId: fabrikam.subscriptionId,
          offerName: "Contoso managed services",
          pecAuthorization: { principalId: partner.objectId, principalDisplayName: "Provider Automation Account" },
          authorizations,
          customerConnection: { endpoint: emu.url, authorityHost: emu.url, credential: { kind: "clientSecret", tenantId: fabrikam.tenantId, clientId: deployer.appId } },
        },
      },
      secrets: { "lighthouse:clientSecret": deployer.clientSecret },
    };
  }

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    stack = new RootStack(session, "e2e-lighthouse", copyFixtureWithPartnerlink("lighthouse-program", session.dir));
    await stack.init(config([adminsReader, adminsReader]));
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("an authorization listed twice: preview fails naming authorizations[1], the entry it repeats and the fix; Azure is untouched", async () => {
    // The same grant in another spelling: GUIDs in upper case, the role as a resource ID.
    const again = { principalId: admins.objectId.toUpperCase(), roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${READER.toUpperCase()}` };
    await stack.setConfig(config([adminsReader, again]));
    const r = await stack.run(["preview"], true);
    const text = `${r.stdout}\n${r.stderr}`;
    expect(r.code).not.toBe(0);
    expect(text).toContain(
      "LighthouseOnboarding 'Contoso managed services': authorizations[1] repeats authorizations[0] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds); " +
        "a registration definition lists each authorization once. Remove authorizations[1].",
    );
    expect(text).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
    expect(emulatorContents(emu).definitions).toEqual([]);
  });

  test("an authorization that repeats pecAuthorization (once left out silently): preview fails naming it", async () => {
    await stack.setConfig(config([{ principalId: partner.objectId, roleDefinitionId: DEFAULT_PEC_ROLE_ID }, adminsReader]));
    const r = await stack.run(["preview"], true);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}\n${r.stderr}`).toContain(
      `authorizations[0] repeats pecAuthorization (the same principalId and roleDefinitionId, Contributor (${DEFAULT_PEC_ROLE_ID}), and no delegatedRoleDefinitionIds), ` +
        "which the resource always sends as the first authorization; a registration definition lists each authorization once. Remove authorizations[0].",
    );
    expect(emulatorContents(emu).definitions).toEqual([]);
  });

  test("each authorization once: up creates the definition as declared; after a refresh the next preview shows no change", async () => {
    await stack.setConfig(config([adminsReader]));
    await stack.up();
    const [def] = emu.state.listDefinitions(fabrikam.subscriptionId);
    expect((def.properties.authorizations as { principalId: string }[]).map((a) => a.principalId)).toEqual([partner.objectId, admins.objectId]);
    await stack.refresh();
    expect(resourceOps(await stack.preview()).filter((op) => !op.startsWith("same "))).toEqual([]);
    await stack.destroy();
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    await stack.remove();
  });
});
