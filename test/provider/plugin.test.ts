/**
 * partnerlink's provider plugin (provider/plugin/), in process: the provider object `pulumi-resource-partnerlink`
 * serves, called as the Node.js provider server calls it (URN first, secrets wrapped), against the emulator over
 * https through the real SDK pipeline. The engine side (the plugin started by the Pulumi CLI, `pulumi import`) is
 * test/e2e/plugin-import.e2e.ts.
 */
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CONNECTION_ENVIRONMENT, connectionFromEnvironment } from "../../provider/plugin/environment-connection";
import { PartnerlinkProvider, typeOfUrn } from "../../provider/plugin/partnerlink-provider";
import { secretValue, unwrapSecrets } from "../../provider/plugin/rpc-values";
import { pluginSchema } from "../../provider/plugin/schema";
import { CUSTOMER_TENANT, OTHER_PARTNER_ID, PAL_SP, PARTNER_ID, PARTNER_TENANT, SUB_RGS, failureOf, startFixture, type Fixture } from "./fixtures";

const PAL_URN = "urn:pulumi:dev::onboarding::partnerlink:index:PartnerAdminLink::pal";
const LH_URN = "urn:pulumi:dev::onboarding::my:component:Customer$partnerlink:index:LighthouseOnboarding::fabrikam";
const ENV_KEYS = CONNECTION_ENVIRONMENT;

let fx: Fixture;
const provider = new PartnerlinkProvider("1.2.3");
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  fx = await startFixture();
  for (const k of ENV_KEYS) saved[k] = process.env[k];
});
afterAll(async () => {
  await fx.stop();
});
beforeEach(() => {
  fx.emu.state.reset();
  for (const k of ENV_KEYS) delete process.env[k];
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

const link = () => fx.emu.state.getLink(PARTNER_TENANT, PAL_SP.objectId);
const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;

/** The PAL service principal's sign-in, in the Azure SDK's environment variables (plus the emulator's). */
function signInFromEnvironment(): void {
  const ca = path.join(os.tmpdir(), `partnerlink-plugin-test-ca-${process.pid}.pem`);
  writeFileSync(ca, fx.emu.caCertPem);
  Object.assign(process.env, {
    AZURE_TENANT_ID: PARTNER_TENANT,
    AZURE_CLIENT_ID: PAL_SP.appId,
    AZURE_CLIENT_SECRET: fx.secrets.pal,
    AZURE_AUTHORITY_HOST: fx.emu.url,
    PARTNERLINK_ARM_ENDPOINT: fx.emu.url,
    PARTNERLINK_CA_CERT_FILE: ca,
  });
}

describe("rpc values", () => {
  test("secrets are unwrapped at any depth and wrapped once", () => {
    const wrapped = { a: secretValue({ b: [secretValue("x"), 1] }), c: "plain" };
    expect(unwrapSecrets(wrapped)).toEqual({ a: { b: ["x", 1] }, c: "plain" });
    expect(secretValue(secretValue("x"))).toEqual({ [specialSigKey]: specialSecretSig, value: "x" });
  });
  test("the type of a URN, with and without parent types", () => {
    expect(typeOfUrn(PAL_URN)).toBe("partnerlink:index:PartnerAdminLink");
    expect(typeOfUrn(LH_URN)).toBe("partnerlink:index:LighthouseOnboarding");
  });
});

describe("connection from the environment", () => {
  test("a client secret makes a clientSecret credential; endpoints and CA file are read", () => {
    const ca = path.join(os.tmpdir(), `partnerlink-env-ca-${process.pid}.pem`);
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    const conn = connectionFromEnvironment({
      AZURE_TENANT_ID: PARTNER_TENANT,
      AZURE_CLIENT_ID: PAL_SP.appId,
      AZURE_CLIENT_SECRET: "s3cret-value",
      PARTNERLINK_ARM_ENDPOINT: "https://localhost:1",
      AZURE_AUTHORITY_HOST: "https://localhost:2",
      PARTNERLINK_CLOUD: "AzureUSGovernment",
      PARTNERLINK_CA_CERT_FILE: ca,
    });
    expect(conn).toEqual({
      credential: { kind: "clientSecret", tenantId: PARTNER_TENANT, clientId: PAL_SP.appId, clientSecret: "s3cret-value" },
      endpoint: "https://localhost:1",
      authorityHost: "https://localhost:2",
      cloud: "AzureUSGovernment",
      caCertificatePem: expect.stringContaining("BEGIN CERTIFICATE"),
    });
  });
  test("without a secret: DefaultAzureCredential (workload identity, managed identity, Azure CLI...)", () => {
    expect(connectionFromEnvironment({ AZURE_CLIENT_ID: PAL_SP.appId })).toEqual({ credential: { kind: "default", clientId: PAL_SP.appId } });
    expect(connectionFromEnvironment({})).toEqual({ credential: { kind: "default" } });
  });
  test("a secret without its tenant and client, or an unreadable CA file, names the variables and the fix", () => {
    expect(() => connectionFromEnvironment({ AZURE_CLIENT_SECRET: "s3cret-value" })).toThrow(
      /AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID and AZURE_CLIENT_ID are not: set AZURE_TENANT_ID and AZURE_CLIENT_ID/,
    );
    expect(() => connectionFromEnvironment({ PARTNERLINK_CA_CERT_FILE: "/nonexistent/ca.pem" })).toThrow(
      /PARTNERLINK_CA_CERT_FILE "\/nonexistent\/ca.pem" cannot be read \(ENOENT\)/,
    );
  });
});

describe("PartnerAdminLink through the plugin", () => {
  test("a declared connection: created, recorded as a secret, read, updated, deleted", async () => {
    const inputs = { partnerId: PARTNER_ID, connection: secretValue(fx.connection("pal")) };
    const checked = await provider.check(PAL_URN, {}, inputs);
    expect(checked.failures).toBeUndefined();
    expect(checked.inputs.allowRelink).toBe(false);
    expect(isSecret(checked.inputs.connection)).toBe(true);

    const created = await provider.create(PAL_URN, checked.inputs);
    expect(created.id).toBe(PARTNER_ID);
    expect(created.outs).toMatchObject({ partnerId: PARTNER_ID, objectId: PAL_SP.objectId, tenantId: PARTNER_TENANT, state: "Active" });
    expect(isSecret(created.outs.connection)).toBe(true);
    expect(link()).toMatchObject({ partnerId: PARTNER_ID, state: "Active" });

    const read = await provider.read(PARTNER_ID, PAL_URN, created.outs);
    expect(read.id).toBe(PARTNER_ID);
    // The linked identity is recorded as the objectId input: an import's generated code states it.
    expect(read.inputs).toEqual({ partnerId: PARTNER_ID, allowRelink: false, objectId: PAL_SP.objectId, connection: created.outs.connection });

    const news = { ...checked.inputs, partnerId: OTHER_PARTNER_ID, allowRelink: true };
    expect((await provider.diff(PARTNER_ID, PAL_URN, created.outs, news)).changes).toBe(true);
    const updated = await provider.update(PARTNER_ID, PAL_URN, created.outs, news);
    expect(updated.outs.partnerId).toBe(OTHER_PARTNER_ID);
    expect(link()?.partnerId).toBe(OTHER_PARTNER_ID);

    await provider.delete(PARTNER_ID, PAL_URN, updated.outs);
    expect(link()?.state).toBe("Deleted");
  });

  test("an import (ID only) signs in from the environment and records no connection", async () => {
    signInFromEnvironment();
    const now = new Date().toISOString();
    fx.emu.state.putLink({ tenantId: PARTNER_TENANT, objectId: PAL_SP.objectId, partnerId: PARTNER_ID, version: 1, createdTime: now, updatedTime: now, state: "Active" });
    const read = await provider.read(PARTNER_ID, PAL_URN, {});
    expect(read.id).toBe(PARTNER_ID);
    expect(read.inputs).toEqual({ partnerId: PARTNER_ID, allowRelink: false, objectId: PAL_SP.objectId });
    expect(read.props).toMatchObject({ objectId: PAL_SP.objectId, state: "Active" });
    expect(read.props.connection).toBeUndefined();
    expect(JSON.stringify(read)).not.toContain(fx.secrets.pal);
    // The program then declares it without a connection: no change.
    const checked = await provider.check(PAL_URN, read.inputs, { partnerId: PARTNER_ID });
    expect(checked.inputs).toEqual({ partnerId: PARTNER_ID, allowRelink: false });
    expect((await provider.diff(PARTNER_ID, PAL_URN, read.props, checked.inputs)).changes).toBe(false);
    // Declaring the connection later is a change to record (an update that adopts the same link), not a
    // replacement, even when the environment now signs in otherwise (a preview without the import's variables).
    for (const k of ENV_KEYS) delete process.env[k];
    expect(await provider.diff(PARTNER_ID, PAL_URN, read.props, { ...checked.inputs, connection: secretValue(fx.connection("pal")) })).toEqual({ changes: true });
  });

  test("importing an ID the identity is not linked to fails, naming the linked ID; none linked: gone", async () => {
    signInFromEnvironment();
    expect((await provider.read(PARTNER_ID, PAL_URN, {})).id).toBe("");
    const now = new Date().toISOString();
    fx.emu.state.putLink({ tenantId: PARTNER_TENANT, objectId: PAL_SP.objectId, partnerId: OTHER_PARTNER_ID, version: 1, createdTime: now, updatedTime: now, state: "Active" });
    const err = await failureOf(() => provider.read(PARTNER_ID, PAL_URN, {}));
    expect(err.message).toContain(`is linked to partner ID ${OTHER_PARTNER_ID}; import "${OTHER_PARTNER_ID}" or relink first`);
    expect(err.message).not.toContain(fx.secrets.pal);
  });

  test("a broken environment is a check failure on the connection, not a crash", async () => {
    process.env.AZURE_CLIENT_SECRET = "s3cret-value";
    const r = await provider.check(PAL_URN, {}, { partnerId: PARTNER_ID });
    expect(r.failures).toEqual([{ property: "connection", reason: expect.stringContaining("no connection declared, and none in the environment: AZURE_CLIENT_SECRET is set but") }]);
    expect(JSON.stringify(r)).not.toContain("s3cret-value");
  });
});

describe("LighthouseOnboarding through the plugin", () => {
  test("onboards resource groups with a declared customer connection, and removes them", async () => {
    const inputs = {
      managingTenantId: PARTNER_TENANT,
      customerTenantId: CUSTOMER_TENANT,
      subscriptionId: SUB_RGS,
      resourceGroups: ["rg-web"],
      offerName: "Contoso managed services",
      pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "Provider Automation Account" },
      customerConnection: secretValue(fx.connection("deployer")),
    };
    const checked = await provider.check(LH_URN, {}, inputs);
    expect(checked.failures).toBeUndefined();
    const created = await provider.create(LH_URN, checked.inputs);
    expect(created.outs.provisioningState).toBe("Succeeded");
    expect(isSecret(created.outs.customerConnection)).toBe(true);
    expect(fx.emu.state.listAssignments()).toHaveLength(1);
    await provider.delete(created.id, LH_URN, created.outs);
    expect(fx.emu.state.listAssignments()).toHaveLength(0);
    expect(fx.emu.state.listDefinitions()).toHaveLength(0);
  });

  test("a partial create (definition made, assignment failed) records its outputs with the connection secret", async () => {
    fx.emu.setFaults([{ method: "PUT", path: "registrationAssignments", kind: "lro-failed", firstN: 1 }]);
    try {
      const inputs = {
        managingTenantId: PARTNER_TENANT,
        customerTenantId: CUSTOMER_TENANT,
        subscriptionId: SUB_RGS,
        offerName: "Contoso managed services",
        pecAuthorization: { principalId: PAL_SP.objectId, principalDisplayName: "Provider Automation Account" },
        customerConnection: secretValue(fx.connection("deployer")),
      };
      const checked = await provider.check(LH_URN, {}, inputs);
      const err = await failureOf(() => provider.create(LH_URN, checked.inputs));
      expect(err.id).toMatch(/registrationDefinitions\//);
      expect(err.properties).toMatchObject({ provisioningState: "Incomplete" });
      expect(isSecret(err.properties!.customerConnection)).toBe(true);
      expect(err.message).not.toContain(fx.secrets.deployer);
    } finally {
      fx.emu.setFaults([]);
    }
  });
});

test("a LighthouseOnboarding import (ID only) is refused with the reason and what to do instead", async () => {
  const id = `/subscriptions/${SUB_RGS}/providers/Microsoft.ManagedServices/registrationDefinitions/a460524e-4064-523c-b793-97fa9669a309`;
  const err = await failureOf(() => provider.read(id, LH_URN, {}));
  expect(err.message).toMatch(/^LighthouseOnboarding \/subscriptions\/.*: cannot be imported: its ID does not say which authorization is the PEC principal's/);
  expect(err.message).toContain("run `pulumi up`: the definition and assignments are named guid(offerName), so the existing ones are adopted");
});

test("an unknown type is refused, naming the types the plugin serves", async () => {
  const err = await failureOf(() => provider.create("urn:pulumi:dev::p::partnerlink:index:Nope::x", {}));
  expect(err.message).toBe('partnerlink: unknown resource type "partnerlink:index:Nope"; this plugin serves partnerlink:index:PartnerAdminLink and partnerlink:index:LighthouseOnboarding');
});

test("the schema serves both resources, with the version, secrets marked", () => {
  const schema = JSON.parse(provider.schema) as ReturnType<typeof pluginSchema> & { resources: Record<string, { inputProperties: Record<string, { secret?: boolean }> }> };
  expect(schema.version).toBe("1.2.3");
  expect(schema.resources["partnerlink:index:LighthouseOnboarding"]!.inputProperties.customerConnection!.secret).toBe(true);
  expect(schema.resources["partnerlink:index:PartnerAdminLink"]!.inputProperties.connection!.secret).toBe(true);
});
