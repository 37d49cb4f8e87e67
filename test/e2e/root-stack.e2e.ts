/**
 * Issue 7 end to end: the ROOT onboarding stack (Pulumi.yaml at the repo root) with the real Pulumi CLI against
 * the local ARM emulator over https. Config follows stack/config.schema.json (namespace `partnerlink`; secrets
 * `pecClientSecret` and `deployerSecrets`). Assertions read the emulator's state (what Azure would hold) and
 * the engine's own output/state. The steps build on each other: one partner's estate through its life.
 * scripts/e2e.js runs this file only once Pulumi.yaml exists at the repo root.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { PARTNER_ADMIN_LINK_TYPE, PLUGIN_PARTNER_ADMIN_LINK_TYPE } from "../../provider/type-tokens";
import { loadConfigFile } from "../../rules/config";
import { onboardingResourceName, PARTNER_ADMIN_LINK_NAME } from "../../stack/onboarding-program";
import { demoSeed, emulatorContents, startE2eEmulator, type EmulatorSeed, type RunningEmulator } from "./harness/emulator-fixture";
import { resourceOps, stateResources, urnName, type PreviewDigest } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";
import { RootStack } from "./harness/root-stack";
import { customersFromSeed, partnerUserFromSeed, partnerFromSeed, rootStackConfig, type RootStackConfig } from "./harness/root-stack-config";


const FABRIKAM_SECOND_SUB = "2b5b0000-0000-4000-8000-000000000002";

/** The demo seed plus a second Fabrikam subscription (owned by Fabrikam's deployer) to move a customer to. */
function e2eSeed(): EmulatorSeed {
  const seed = demoSeed();
  const fabrikam = seed.subscriptions[0];
  seed.subscriptions.push({ ...fabrikam, subscriptionId: FABRIKAM_SECOND_SUB, displayName: "Fabrikam Second" });
  return seed;
}

/** The stack's resource name for a customer's LighthouseOnboarding (no offerName here: the default one). */
const onboardingName = (c: { name: string; subscriptionId: string }) => onboardingResourceName(c.subscriptionId, `${c.name} managed services`);
const sub = (id: string) => `/subscriptions/${id}`.toLowerCase();
/** The preview's steps that change something (`pulumi preview --json` lists unchanged custom resources only sometimes). */
const changed = (d: PreviewDigest) => resourceOps(d).filter((op) => !op.startsWith("same "));

describe("root onboarding stack: up / refresh / update / replace / policy / destroy / import", () => {
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
    expect(after).toContain(`update ${onboardingName(fabrikam)}`);
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
    Object.assign(config.plain["partnerlink:partner"] as object, { partnerId: "7654321", allowRelink: true }); // as before
    await stack.setConfig(config);
    // Another subscription is another delegation, so another resource name (stack/onboarding-program.ts): the new
    // one is created, then the old one deleted (different definition and assignment IDs, nothing shared).
    const ops = changed(await stack.preview());
    expect(ops).toEqual([`create ${onboardingName(moved)}`, `delete ${onboardingName(fabrikam)}`]);
    await stack.up();
    expect(emu.state.listAssignments(fabrikam.subscriptionId)).toEqual([]);
    expect(emu.state.listDefinitions(fabrikam.subscriptionId)).toEqual([]);
    expect(emu.state.listAssignments(FABRIKAM_SECOND_SUB)).toHaveLength(1);
  });

  /** A partnerlink.config.json for the policy pack (validated as the pack will validate it). */
  function policyConfigFile(name: string, partnerId: string, pecPrincipals: string[]): string {
    const file = path.join(session.dir, `${name}.partnerlink.config.json`);
    writeFileSync(file, JSON.stringify({ partnerId, pecPrincipals }, null, 2));
    loadConfigFile(file);
    return file;
  }

  test("pulumi preview --policy-pack policies passes on a stack whose PEC principal is permanent", async () => {
    // The stack was relinked to 7654321 above; the pack is told so, and who the PEC principal is.
    const r = await stack.previewWithPolicies(policyConfigFile("good", "7654321", [partner.objectId]));
    expect(`exit ${r.code}\n${r.stdout}${r.stderr}`).toMatch(/^exit 0\n/);
    expect(r.stdout).not.toMatch(/PL002/);
  });

  test("pulumi preview --policy-pack policies fails (PL002) on a stack whose PEC principal is only just-in-time", async () => {
    // The partner's PEC identity (configured for the pack) is a user who appears in the customer's onboarding only as
    // an eligible authorization; the onboarding's own pecAuthorization names another identity, which the pack does
    // not take over the configured one (configuration wins: policies/adapters/estate.ts).
    const user = partnerUserFromSeed(seed);
    const jit = new RootStack(session, "e2e-jit");
    await jit.init(rootStackConfig(seed, emu, { customers: customersFromSeed(seed, "jit-only").slice(0, 1) }));
    const before = emulatorContents(emu);
    const r = await jit.previewWithPolicies(policyConfigFile("jit", partner.partnerId, [user.objectId]));
    const text = `${r.stdout}${r.stderr}`;
    expect(r.code).not.toBe(0);
    expect(text).toMatch(/\[mandatory\][^\n]*pec-principal-jit-only/);
    expect(text).toContain(`PL002 Delegation '${onboardingName(customers[0])}'`);
    expect(text).toContain(user.objectId);
    expect(emulatorContents(emu)).toEqual(before); // a preview changes nothing in Azure
    await jit.remove();
  });

  test("pulumi destroy leaves the emulator empty", async () => {
    await stack.destroy();
    expect(emulatorContents(emu)).toEqual({ activePartnerLinks: [], definitions: [], assignments: [] });
    expect(stateResources((await stack.exportState()).value)).toEqual([]);
    await stack.remove();
  });

  test("an existing PAL link: `pulumi import` cannot adopt it (dynamic resource), `pulumi up` adopts it unchanged", async () => {
    expect(palName).not.toBe("");
    const created = "2026-01-01T00:00:00.000Z";
    emu.state.putLink({
      tenantId: partner.tenantId,
      objectId: partner.objectId,
      partnerId: partner.partnerId,
      version: 1,
      createdTime: created,
      updatedTime: created,
      state: "Active",
    });
    const imp = new RootStack(session, "e2e-import");
    await imp.init(rootStackConfig(seed, emu, { customers: [] }));
    // The engine's import Read carries only the ID, and the dynamic provider host needs `__provider` from the
    // properties (pulumi/pulumi pkg/resource/deploy/step.go ImportStep; sdk/nodejs/cmd/dynamic-provider read).
    const r = await imp.run(["import", PARTNER_ADMIN_LINK_TYPE, palName, palId, "--yes", "--skip-preview"], true);
    expect(`exit ${r.code}: ${r.stdout}${r.stderr}`).toMatch(/^exit [1-9]\d*: [\s\S]*code must be a string, not undefined/);
    await imp.up();
    const pal = stateResources((await imp.exportState()).value, PARTNER_ADMIN_LINK_TYPE);
    expect(pal).toHaveLength(1);
    const link = emu.state.getLink(partner.tenantId, partner.objectId);
    expect({ partnerId: link?.partnerId, createdTime: link?.createdTime, state: link?.state }).toEqual({
      partnerId: partner.partnerId,
      createdTime: created,
      state: "Active",
    });
    expect(changed(await imp.preview())).toEqual([]);
    await imp.destroy();
    expect(emulatorContents(emu).activePartnerLinks).toEqual([]);
    await imp.remove();
  });

  test("with partner.linkProvider 'plugin', `pulumi import` adopts an existing link into the root stack; up keeps it", async () => {
    const created = "2026-02-01T00:00:00.000Z";
    emu.state.putLink({ tenantId: partner.tenantId, objectId: partner.objectId, partnerId: partner.partnerId, version: 1, createdTime: created, updatedTime: created, state: "Active" });
    const imp = new RootStack(session, "e2e-plugin-import");
    const config = rootStackConfig(seed, emu, { customers: [] });
    config.plain["partnerlink:partner"] = { ...(config.plain["partnerlink:partner"] as object), linkProvider: "plugin" };
    await imp.init(config);
    // An import signs in from the environment (its Read carries only the ID): the PEC principal's credentials.
    const signIn = {
      AZURE_TENANT_ID: partner.tenantId,
      AZURE_CLIENT_ID: partner.clientId,
      AZURE_CLIENT_SECRET: partner.secret,
      AZURE_AUTHORITY_HOST: emu.url,
      PARTNERLINK_ARM_ENDPOINT: emu.url,
    };
    const r = await imp.run(["import", PLUGIN_PARTNER_ADMIN_LINK_TYPE, PARTNER_ADMIN_LINK_NAME, partner.partnerId, "--yes", "--generate-code=false"], false, signIn);
    expect(r.stdout).toMatch(/1 imported/);
    // The program declares the same link (with the stack's connection): up records the connection, writes nothing.
    expect(changed(await imp.preview())).toEqual([`update ${PARTNER_ADMIN_LINK_NAME}`]);
    await imp.up();
    expect(changed(await imp.preview())).toEqual([]);
    const state = await imp.exportState();
    const [pal] = stateResources(state.value, PLUGIN_PARTNER_ADMIN_LINK_TYPE);
    expect(pal.outputs).toMatchObject({ partnerId: partner.partnerId, objectId: partner.objectId, state: "Active" });
    expect(pal.protect ?? false).toBe(false);
    expect(state.text).not.toContain(partner.secret);
    const link = emu.state.getLink(partner.tenantId, partner.objectId);
    expect({ version: link?.version, createdTime: link?.createdTime }).toEqual({ version: 1, createdTime: created });
    await imp.destroy();
    expect(emulatorContents(emu).activePartnerLinks).toEqual([]);
    await imp.remove();
  });
});
