/**
 * Renaming a customer of the ROOT onboarding stack, with the real Pulumi CLI against the emulator. The
 * LighthouseOnboarding's resource name comes from the delegation (subscription + guid(offerName)), not from the
 * customer name, so a rename that keeps the offer name is an update and the live delegation stays. A stack
 * onboarded by an earlier version (names `lighthouse-<customer>`) moves to the new names through aliases, without
 * a replacement. (Under the old naming, the rename planned "+ create new, - delete old": the create adopted the
 * same definition and assignment, then the delete removed them.)
 */
import { LIGHTHOUSE_ONBOARDING_TYPE } from "../../provider/type-tokens";
import { legacyOnboardingResourceName, onboardingResourceName } from "../../stack/onboarding-program";
import { demoSeed, emulatorContents, startE2eEmulator, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps, stateResources, urnName, type PreviewDigest } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, rootStackConfig } from "./harness/root-stack-config";

const changed = (d: PreviewDigest) => resourceOps(d).filter((op) => !op.startsWith("same "));
const OFFER = "Contoso managed services (Fabrikam)";

describe("root stack: a customer renamed in the config keeps its delegation", () => {
  const seed = demoSeed();
  const fabrikam = { ...customersFromSeed(seed)[0], offerName: OFFER };
  const key = onboardingResourceName(fabrikam.subscriptionId, OFFER);
  let emu: RunningEmulator;
  let session: PulumiSession;
  let stack: RootStack;

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    stack = new RootStack(session, "e2e-rename");
    await stack.init(rootStackConfig(seed, emu, { customers: [fabrikam] }));
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("a stack recorded under the old name (lighthouse-<customer>) migrates through the alias: no replacement, nothing written", async () => {
    await stack.up();
    const delegation = emulatorContents(emu);
    expect(delegation.assignments).toHaveLength(1);
    // The state an earlier version left: the same resource, named from the customer.
    const exported = await stack.exportState();
    const legacy = legacyOnboardingResourceName(fabrikam.name);
    const text = JSON.stringify(exported.value).split(`::${key}"`).join(`::${legacy}"`);
    expect(text).not.toBe(JSON.stringify(exported.value));
    await stack.importState(JSON.parse(text));
    expect(stateResources((await stack.exportState()).value, LIGHTHOUSE_ONBOARDING_TYPE).map((r) => urnName(r.urn))).toEqual([legacy]);

    expect(changed(await stack.preview())).toEqual([]);
    await stack.up();
    expect(stateResources((await stack.exportState()).value, LIGHTHOUSE_ONBOARDING_TYPE).map((r) => urnName(r.urn))).toEqual([key]);
    expect(emulatorContents(emu)).toEqual(delegation);
  });

  test("renaming the customer (same offer name) updates the resource in place; the definition and assignment stay", async () => {
    const before = emulatorContents(emu);
    const renamed = { ...fabrikam, name: "fabrikam-holdings" };
    await stack.setConfig(rootStackConfig(seed, emu, { customers: [renamed] }));
    const ops = changed(await stack.preview());
    expect(ops).toEqual([`update ${key}`]);
    await stack.up();
    expect(emulatorContents(emu)).toEqual(before);
    expect(emulatorContents(emu).assignments).toHaveLength(1);
    const out = (await stack.outputs()).value as { onboarded: Record<string, { assignmentIds: string[] }> };
    expect(Object.keys(out.onboarded)).toEqual(["fabrikam-holdings"]);
    expect(out.onboarded["fabrikam-holdings"].assignmentIds).toHaveLength(1);
    expect(changed(await stack.preview())).toEqual([]);
  });

  test("a new partner ID without allowRelink fails at preview, naming the stack keys; nothing is written", async () => {
    const before = emulatorContents(emu);
    const config = rootStackConfig(seed, emu, { customers: [{ ...fabrikam, name: "fabrikam-holdings" }] });
    (config.plain["partnerlink:partner"] as { partnerId: string }).partnerId = "7654321";
    await stack.setConfig(config);
    const r = await stack.run(["preview"], true);
    const text = `${r.stdout}${r.stderr}`;
    expect(r.code).not.toBe(0);
    expect(text).toContain(
      `partnerlink:partner.partnerId changes from ${before.activePartnerLinks[0].partnerId} to 7654321, which moves the identity's link to another partner ID (PATCH): ` +
        `set partnerlink:partner.allowRelink to true to move it`,
    );
    expect(emulatorContents(emu)).toEqual(before);
    (config.plain["partnerlink:partner"] as { partnerId: string }).partnerId = before.activePartnerLinks[0].partnerId;
    await stack.setConfig(config);
  });

  test("destroy removes the delegation", async () => {
    await stack.destroy();
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    await stack.remove();
  });
});
