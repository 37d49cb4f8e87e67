/**
 * The ROOT onboarding stack with a config that lists an authorization twice, or lists the PEC authorization the stack
 * always adds (as customersFromSeed does for every customer), with the real Pulumi CLI against the ARM emulator. The
 * stack leaves each repeat out, as `partnerlink template` does, warning in stack config terms; Azure and the template
 * package get each grant once; and because the LighthouseOnboarding's inputs are then exactly what Azure holds, a
 * refresh finds nothing to change (a repeat the provider dropped used to come back as drift after every refresh).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { BUNDLE_FILES } from "../../templates/customer-guide";
import { demoSeed, emulatorContents, startE2eEmulator, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, partnerFromSeed, rootStackConfig } from "./harness/root-stack-config";

const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

describe("root onboarding stack: an authorization the config repeats is left out with a warning", () => {
  const seed = demoSeed();
  const partner = partnerFromSeed(seed);
  const admins = seed.principals.find((p) => p.tenantId === partner.tenantId && p.type === "Group")!;
  const [fabrikam, , tailspinWithDeployer] = customersFromSeed(seed);
  // customersFromSeed lists the PEC authorization again for each customer: authorizations[0] here.
  fabrikam.authorizations = [
    ...fabrikam.authorizations!,
    { principalId: admins.objectId, principalIdDisplayName: admins.displayName, roleDefinitionId: READER },
    { principalId: admins.objectId.toUpperCase(), roleDefinitionId: READER.toUpperCase() },
  ];
  const { deployer: _deployer, ...tailspin } = tailspinWithDeployer; // deploys the generated template itself
  void _deployer;
  let emu: RunningEmulator;
  let session: PulumiSession;
  let stack: RootStack;
  let templatesDir = "";

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    templatesDir = path.join(session.dir, "templates");
    const config = rootStackConfig(seed, emu, { customers: [fabrikam, tailspin] });
    config.plain["partnerlink:templatesDir"] = templatesDir;
    stack = new RootStack(session, "e2e-repeats");
    await stack.init(config);
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("pulumi preview warns of each repeat, naming the config paths and the fix", async () => {
    const r = await stack.run(["preview"]);
    const text = `${r.stdout}\n${r.stderr}`;
    const pecAgain = (i: number, name: string) =>
      `partnerlink:customers[${i}] (customer '${name}'): partnerlink:customers[${i}].authorizations[0] repeats the PEC authorization, which is always added ` +
      `(partnerlink:partner.pecPrincipal.objectId as Contributor (${CONTRIBUTOR})) (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: ` +
      `the definition lists each authorization once. Remove partnerlink:customers[${i}].authorizations[0].`;
    expect(text).toContain(pecAgain(0, fabrikam.name));
    expect(text).toContain(
      `partnerlink:customers[0] (customer '${fabrikam.name}'): partnerlink:customers[0].authorizations[2] repeats partnerlink:customers[0].authorizations[1] ` +
        "(the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove partnerlink:customers[0].authorizations[2].",
    );
    expect(text).toContain(pecAgain(1, tailspin.name));
    expect(emulatorContents(emu).definitions).toEqual([]);
  });

  test("pulumi up: Azure and the template package get each grant once", async () => {
    await stack.up();
    const [def] = emu.state.listDefinitions(fabrikam.subscriptionId);
    expect((def.properties.authorizations as { principalId: string }[]).map((a) => a.principalId)).toEqual([partner.objectId, admins.objectId]);
    const params = JSON.parse(readFileSync(path.join(templatesDir, tailspin.name, BUNDLE_FILES.parameters), "utf8"));
    expect(params.parameters.authorizations.value.map((a: { principalId: string }) => a.principalId)).toEqual([partner.objectId]);
  });

  test("pulumi refresh, then preview: no change (the inputs are what Azure holds)", async () => {
    await stack.refresh();
    expect(resourceOps(await stack.preview()).filter((op) => !op.startsWith("same "))).toEqual([]);
  });

  test("pulumi destroy leaves the emulator empty", async () => {
    await stack.destroy();
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    await stack.remove();
  });
});
