/**
 * The serialized-provider round trip, the way Pulumi's provider host does it (@pulumi/pulumi
 * cmd/dynamic-provider: `requireFromString(props.__provider).handler()`): both providers serialized with the
 * closure serializer the dynamic Resource uses (`serializeFunction(() => provider, { allowSecrets: true })`),
 * loaded from the text alone, then create/read/update/delete against the emulator. The text must be small,
 * loadable, and carry no secret.
 */
import * as pulumi from "@pulumi/pulumi";
import requireFromString from "require-from-string";
import { armGuid } from "../../rules/identifiers";
import { PartnerAdminLinkProvider } from "../../provider/partner-admin-link";
import { LighthouseOnboardingProvider } from "../../provider/lighthouse-onboarding";
import { CUSTOMER_TENANT, PAL_SP, PARTNER_ID, PARTNER_TENANT, startFixture, SUB_RGS, type Fixture } from "./fixtures";

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

async function serialize(provider: object): Promise<{ text: string; containsSecrets: boolean }> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return { text: sf.text, containsSecrets: sf.containsSecrets };
}

/** What the provider host does with `__provider`. */
function load(text: string): pulumi.dynamic.ResourceProvider {
  return requireFromString(text).handler();
}

test("PartnerAdminLink: serialized text is small, secret-free, and runs create/read/update/delete", async () => {
  const { text, containsSecrets } = await serialize(new PartnerAdminLinkProvider());
  expect(containsSecrets).toBe(false);
  expect(text.length).toBeLessThan(8 * 1024);
  expect(text).not.toMatch(/#\w+\s*[;=]/); // no ES private fields (they break the provider host)
  const p = load(text);
  const conn = fx.connection("pal");
  const checked = await p.check!({}, { partnerId: PARTNER_ID, connection: conn });
  expect(checked.failures).toBeUndefined();
  const created = await p.create(checked.inputs);
  expect(created.outs).toMatchObject({ partnerId: PARTNER_ID, objectId: PAL_SP.objectId });
  const read = await p.read!(created.id, created.outs);
  expect(read.props.state).toBe("Active");
  const updated = await p.update!(created.id, created.outs, { ...checked.inputs, allowRelink: true });
  expect(updated.outs.allowRelink).toBe(true);
  await p.delete!(created.id, updated.outs);
  expect(fx.emu.state.getLink(PARTNER_TENANT, PAL_SP.objectId)?.state ?? "Deleted").toBe("Deleted");
  expect(text).not.toContain(fx.secrets.pal);
});

test("LighthouseOnboarding: serialized text is small, secret-free, and runs check/create/read/update/delete", async () => {
  const { text, containsSecrets } = await serialize(new LighthouseOnboardingProvider({ updateIntervalInMs: 5 }));
  expect(containsSecrets).toBe(false);
  expect(text.length).toBeLessThan(8 * 1024);
  const p = load(text);
  const inputs = {
    managingTenantId: PARTNER_TENANT,
    customerTenantId: CUSTOMER_TENANT,
    subscriptionId: SUB_RGS,
    resourceGroups: ["rg-web"],
    offerName: "Serialized offer",
    pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "Provider Automation Account" },
    customerConnection: fx.connection("deployer"),
  };
  const checked = await p.check!({}, inputs);
  expect(checked.failures).toBeUndefined();
  const created = await p.create(checked.inputs);
  expect(created.id).toContain(armGuid("Serialized offer"));
  const read = await p.read!(created.id, created.outs);
  expect(read.props.provisioningState).toBe("Succeeded");
  const news = (await p.check!(checked.inputs, { ...checked.inputs, resourceGroups: ["rg-web", "rg-data"] })).inputs;
  expect((await p.diff!(created.id, created.outs, news)).changes).toBe(true);
  const updated = await p.update!(created.id, created.outs, news);
  expect(updated.outs.assignmentIds).toHaveLength(2);
  await p.delete!(created.id, updated.outs);
  expect(fx.emu.state.counts()).toMatchObject({ registrationDefinitions: 0, registrationAssignments: 0 });
  expect(text).not.toContain(fx.secrets.deployer);
});

test("a program in another folder (no partnerlink resolvable from its cwd) loads the operations from the package the provider came from", async () => {
  const { text } = await serialize(new PartnerAdminLinkProvider());
  const cwd = process.cwd();
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  process.chdir(mkdtempSync(join(tmpdir(), "pl-program-")));
  try {
    const r = await load(text).check!({}, { partnerId: "12", connection: fx.connection("pal") });
    expect(r.failures?.[0]?.property).toBe("partnerId");
  } finally {
    process.chdir(cwd);
  }
});
