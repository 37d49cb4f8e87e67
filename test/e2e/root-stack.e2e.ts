/**
 * Issue 7 end to end: the ROOT onboarding stack (Pulumi.yaml at the repo root) with the real Pulumi CLI against
 * the local ARM emulator over https. Config follows stack/config.schema.json (namespace `partnerlink`; secrets
 * `pecClientSecret` and `deployerSecrets`). Assertions read the emulator's state (what Azure would hold) and
 * the engine's own output/state. The steps build on each other: one partner's estate through its life.
 * scripts/e2e.js runs this file only once Pulumi.yaml exists at the repo root.
 */
import { PARTNER_ADMIN_LINK_TYPE } from "../../provider/type-tokens";
import { demoSeed, emulatorContents, startE2eEmulator, type EmulatorSeed, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps, stateResources, urnName, type PreviewDigest } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, partnerFromSeed, rootStackConfig, type RootStackConfig } from "./harness/root-stack-config";

const FABRIKAM_SECOND_SUB = "2b5b0000-0000-4000-8000-000000000002";

/** The demo seed plus a second Fabrikam subscription (owned by Fabrikam's deployer) to move a customer to. */
function e2eSeed(): EmulatorSeed {
  const seed = demoSeed();
  const fabrikam = seed.subscriptions[0];
  seed.subscriptions.push({ ...fabrikam, subscriptionId: FABRIKAM_SECOND_SUB, displayName: "Fabrikam Second" });
  return seed;
}

const sub = (id: string) => `/subscriptions/${id}`.toLowerCase();
/** The preview's steps that change something (`pulumi preview --json` lists unchanged custom resources only sometimes). */
const changed = (d: PreviewDigest) => resourceOps(d).filter((op) => !op.startsWith("same "));

describe("root onboarding stack: pulumi up / refresh / update / replace / policy / destroy / import", () => {
  const seed = e2eSeed();
  const partner = partnerFromSeed(seed);
  // The three demo customers (Fabrikam, Northwind with two resource groups, Tailspin); not the spare subscription.
  const customers = customersFromSeed(seed).filter((c) => c.subscriptionId !== FABRIKAM_SECOND_SUB);
  const [fabrikam, northwind, tailspin] = customers;
  let emu: RunningEmulator;
  let session: PulumiSession;
  let stack: RootStack;
  let config: RootStackConfig;
  let palName = "";
  let palId = "";

  beforeAll(async () => {
    emu = await startE2eEmulator(seed);
    session = await PulumiSession.create({ caCertPath: emu.caCertPath });
    config = rootStackConfig(seed, emu, { customers });
    stack = new RootStack(session, "e2e-main");
    await stack.init(config);
  });

  afterAll(async () => {
    session?.dispose();
    await emu?.stop();
  });

  test("pulumi up: PAL link + three customers (one with resource groups), no secret in state or output", async () => {
    const r = await stack.up();
    const c = emulatorContents(emu);
    expect(c.activePartnerLinks).toEqual([{ tenantId: partner.tenantId, objectId: partner.objectId, partnerId: partner.partnerId }]);
    const scopes = c.assignments.map((a) => a.scope);
    expect(scopes).toEqual(
      [
        sub(fabrikam.subscriptionId),
        ...northwind.resourceGroups!.map((rg) => `${sub(northwind.subscriptionId)}/resourcegroups/${rg}`.toLowerCase()),
        sub(tailspin.subscriptionId),
      ].sort(),
    );
    for (const cust of customers) expect(c.definitions.some((d) => d.startsWith(sub(cust.subscriptionId)))).toBe(true);

    const state = await stack.exportState();
    const pal = stateResources(state.value, PARTNER_ADMIN_LINK_TYPE);
    expect(pal).toHaveLength(1);
    palName = urnName(pal[0].urn);
    palId = pal[0].id ?? "";
    const secrets = [partner.secret, ...seed.principals.map((p) => p.clientSecret).filter((s): s is string => !!s)];
    for (const s of secrets) {
      expect(state.text).not.toContain(s);
      expect(`${r.stdout}${r.stderr}`).not.toContain(s);
    }
  });

  test("a second preview shows no change", async () => {
    expect(changed(await stack.preview())).toEqual([]);
  });

  test("pulumi refresh after a change behind Pulumi's back shows the drift; up repairs it", async () => {
    const fab = emu.state.listAssignments(fabrikam.subscriptionId);
    expect(fab).toHaveLength(1);
    emu.state.removeAssignment(fab[0].id);
    const r = await stack.refresh();
    expect(r.stdout).toMatch(/(\d+) (updated|deleted)/);
    const after = changed(await stack.preview());
    expect(after.length).toBeGreaterThan(0);
    expect(after.join("\n")).toMatch(/fabrikam/i);
    await stack.up();
    expect(emu.state.listAssignments(fabrikam.subscriptionId)).toHaveLength(1);
    expect(changed(await stack.preview())).toEqual([]);
  });

  test("a config change that updates in place: relink the PAL to another partner ID", async () => {
    const before = emu.state.getLink(partner.tenantId, partner.objectId);
    config = rootStackConfig(seed, emu, { customers });
    const p = config.plain["partnerlink:partner"] as { partnerId: string; allowRelink?: boolean };
    p.partnerId = "7654321";
    p.allowRelink = true;
    await stack.setConfig(config);
    const ops = changed(await stack.preview());
    expect(ops).toEqual([`update ${palName}`]);
    await stack.up();
    const link = emu.state.getLink(partner.tenantId, partner.objectId);
    expect(link?.partnerId).toBe("7654321");
    expect(link?.createdTime).toBe(before?.createdTime); // the same link, updated, not deleted and re-created
  });

  test("a config change that replaces: Fabrikam moves to another subscription", async () => {
    const moved = { ...fabrikam, subscriptionId: FABRIKAM_SECOND_SUB };
    config = rootStackConfig(seed, emu, { customers: [moved, northwind, tailspin] });
    (config.plain["partnerlink:partner"] as { partnerId: string; allowRelink?: boolean }).partnerId = "7654321";
    await stack.setConfig(config);
    const ops = changed(await stack.preview());
    expect(ops.some((op) => op.startsWith("replace ") && /fabrikam/i.test(op))).toBe(true);
    expect(ops.every((op) => /fabrikam/i.test(op))).toBe(true);
    await stack.up();
    expect(emu.state.listAssignments(fabrikam.subscriptionId)).toEqual([]);
    expect(emu.state.listDefinitions(fabrikam.subscriptionId)).toEqual([]);
    expect(emu.state.listAssignments(FABRIKAM_SECOND_SUB)).toHaveLength(1);
  });

  test("pulumi preview --policy-pack policies passes on a stack whose PEC principal is permanent", async () => {
    const r = await stack.previewWithPolicies();
    expect(`exit ${r.code}\n${r.stdout}${r.stderr}`).toMatch(/^exit 0\n/);
    expect(r.stdout).not.toMatch(/PL002/);
  });

  test("pulumi preview --policy-pack policies fails (PL002) when the PEC principal is only just-in-time", async () => {
    const jit = new RootStack(session, "e2e-jit");
    await jit.init(rootStackConfig(seed, emu, { customers: customersFromSeed(seed, "jit-only").slice(0, 1) }));
    const before = emulatorContents(emu);
    const r = await jit.previewWithPolicies();
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/PL002/);
    expect(emulatorContents(emu)).toEqual(before); // a preview changes nothing in Azure
    await jit.remove();
  });

  test("pulumi destroy leaves the emulator empty", async () => {
    await stack.destroy();
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    expect(stateResources((await stack.exportState()).value)).toEqual([]);
    await stack.remove();
  });

  test("pulumi import adopts an existing PAL link without changing it", async () => {
    expect(palName).not.toBe("");
    const now = new Date().toISOString();
    emu.state.putLink({
      tenantId: partner.tenantId,
      objectId: partner.objectId,
      partnerId: partner.partnerId,
      version: 1,
      createdTime: now,
      updatedTime: now,
      state: "Active",
    });
    const imp = new RootStack(session, "e2e-import");
    await imp.init(rootStackConfig(seed, emu, { customers: [] }));
    await imp.run(["import", PARTNER_ADMIN_LINK_TYPE, palName, palId, "--yes", "--skip-preview"]);
    const pal = stateResources((await imp.exportState()).value, PARTNER_ADMIN_LINK_TYPE);
    expect(pal).toHaveLength(1);
    expect(changed(await imp.preview())).toEqual([]);
    expect(emu.state.getLink(partner.tenantId, partner.objectId)?.version).toBe(1);
    await imp.destroy();
    expect(emulatorContents(emu).activePartnerLinks).toEqual([]);
    await imp.remove();
  });
});
