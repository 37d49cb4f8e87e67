/** Credentials against the emulator's Entra endpoints over https, through @azure/identity and the SDK pipeline. */
import * as fs from "node:fs";
import { ArmError, createCredential, resolveEndpoints, whoAmI, type ArmConnection } from "../../arm";
import type { RunningEmulator } from "../../emulator";
import {
  AUTOMATION,
  CERT_APP,
  PARTNER_TENANT,
  PARTNER_USER,
  WIF_APP,
  automationCredential,
  certificateCredential,
  connect,
  startTestEmulator,
  tempDir,
  writeFederatedTokenFile,
} from "./fixture";

let emu: RunningEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startTestEmulator();
  dir = tempDir();
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("client secret: whoAmI decodes tenant, object and app ID from the token", async () => {
  expect(await whoAmI(connect(emu, automationCredential))).toEqual({ tenantId: PARTNER_TENANT, objectId: AUTOMATION.objectId, appId: AUTOMATION.appId });
});

test("client certificate (PEM with the private key) signs in", async () => {
  expect(await whoAmI(connect(emu, certificateCredential))).toEqual({ tenantId: PARTNER_TENANT, objectId: CERT_APP.objectId, appId: CERT_APP.appId });
});

test("workload identity federation: the federated token file is exchanged for an ARM token", async () => {
  const tokenFilePath = writeFederatedTokenFile(dir);
  const conn = connect(emu, { kind: "workloadIdentity", tenantId: PARTNER_TENANT, clientId: WIF_APP.appId, tokenFilePath });
  expect(await whoAmI(conn)).toEqual({ tenantId: PARTNER_TENANT, objectId: WIF_APP.objectId, appId: WIF_APP.appId });
});

test("the credential is built once per connection, so its token cache is reused", () => {
  const conn = connect(emu, automationCredential);
  expect(createCredential(conn)).toBe(createCredential(conn));
  expect(createCredential(conn)).not.toBe(createCredential({ ...conn }));
});

test("a wrong client secret: one authentication ArmError that never shows the secret", async () => {
  const bad = "wr0ng-Secret~value-123456";
  const conn = connect(emu, { ...automationCredential, clientSecret: bad } as typeof automationCredential);
  const err = await whoAmI(conn).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect((err as ArmError).kind).toBe("authentication");
  expect((err as ArmError).message).toMatch(/sign-in failed.*check the tenant ID, client ID and the secret/);
  expect((err as ArmError).message).not.toContain(bad);
  expect((err as ArmError).message).not.toContain(AUTOMATION.secret);
  expect((err as ArmError).message.split("\n")).toHaveLength(1);
});

test("a tenant the authority does not know: the error says so, not 'configure a credential'", async () => {
  const conn = connect(emu, { ...automationCredential, tenantId: "99999999-0000-4000-8000-000000000000" } as typeof automationCredential);
  const err = await whoAmI(conn).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect((err as ArmError).kind).toBe("authentication");
  expect((err as ArmError).message).toMatch(/^whoAmI: sign-in failed: the tenant is not known to the sign-in authority \(a mistyped tenant ID, or a tenant of another cloud\): check the credential's tenantId/);
  expect((err as ArmError).message).not.toMatch(/az login/);
  expect((err as ArmError).message).not.toContain(AUTOMATION.secret);
});

test("an unknown CA: the TLS error says to trust the emulator CA", async () => {
  const conn: ArmConnection = { ...connect(emu, automationCredential), caCertificatePem: undefined, retry: { maxRetries: 0 } };
  const err = await whoAmI(conn).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect((err as ArmError).kind).toBe("tls");
  expect((err as ArmError).message).toContain("trust the emulator CA with caCertificatePem or NODE_EXTRA_CA_CERTS");
});

test("nothing listening: a network ArmError naming the host", async () => {
  const port = new URL(emu.url).port;
  const conn: ArmConnection = { ...connect(emu, automationCredential), authorityHost: "https://127.0.0.1:1", endpoint: "https://127.0.0.1:1", retry: { maxRetries: 0 } };
  const err = await whoAmI(conn).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect((err as ArmError).kind).toBe("network");
  expect((err as ArmError).message).toContain("ECONNREFUSED");
  expect(port).not.toBe("1");
});

test("Azure CLI credential without a signed-in az: an authentication ArmError that says what to run", async () => {
  const err = await whoAmI({ credential: { kind: "azureCli", tenantId: PARTNER_TENANT } }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect((err as ArmError).kind).toBe("authentication");
  expect((err as ArmError).message).toMatch(/az login/);
});

test("sovereign clouds: ARM endpoint, authority and token scope follow the cloud; overrides keep the audience", () => {
  const gov = resolveEndpoints({ credential: automationCredential, cloud: "AzureUSGovernment" });
  expect(gov).toMatchObject({ resourceManager: "https://management.usgovcloudapi.net", authorityHost: "https://login.microsoftonline.us", scope: "https://management.usgovcloudapi.net/.default", customAuthority: false });
  const cn = resolveEndpoints({ credential: automationCredential, cloud: "AzureChinaCloud" });
  expect(cn).toMatchObject({ resourceManager: "https://management.chinacloudapi.cn", authorityHost: "https://login.chinacloudapi.cn", scope: "https://management.chinacloudapi.cn/.default" });
  const local = resolveEndpoints(connect(emu, automationCredential));
  expect(local).toMatchObject({ resourceManager: emu.url, authorityHost: emu.url, scope: "https://management.azure.com/.default", customAuthority: true });
  expect(() => resolveEndpoints({ credential: automationCredential, endpoint: "http://127.0.0.1:8080" })).toThrow(/not an https URL/);
});

test("an ARM endpoint that is not the cloud's, without its authority, is refused: the cloud's token would go there", () => {
  expect(() => resolveEndpoints({ credential: automationCredential, endpoint: "https://management.azure.co" })).toThrow(
    /ArmConnection\.endpoint "https:\/\/management\.azure\.co" is not AzureCloud's ARM endpoint, and no authorityHost is given: the credential would sign in at https:\/\/login\.microsoftonline\.com/,
  );
  // The cloud's own endpoint written out, an endpoint with its authority, or a TokenCredential the caller built: allowed.
  expect(resolveEndpoints({ credential: automationCredential, endpoint: "https://management.azure.com/" }).resourceManager).toBe("https://management.azure.com");
  expect(resolveEndpoints({ credential: automationCredential, cloud: "AzureUSGovernment", endpoint: "https://management.usgovcloudapi.net" }).customAuthority).toBe(false);
  expect(resolveEndpoints(connect(emu, automationCredential)).resourceManager).toBe(emu.url);
  const token = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }) };
  expect(resolveEndpoints({ credential: token, endpoint: emu.url }).resourceManager).toBe(emu.url);
});

test("missing credential fields are named without echoing values", () => {
  expect(() => createCredential({ credential: { kind: "clientSecret", tenantId: PARTNER_TENANT, clientId: "", clientSecret: "x-secret-x" } })).toThrow(
    /credential clientSecret: "clientId" is missing or empty/,
  );
});

test("a secret given as the client ID or tenant ID (the fields swapped) is refused before sign-in, never repeated", async () => {
  const CANARY = "Sw4pped~CANARY.secret-value_0123456789";
  const before = emu.stats().requests;
  for (const credential of [
    { ...automationCredential, clientId: CANARY, clientSecret: AUTOMATION.appId },
    { ...automationCredential, tenantId: CANARY },
    { kind: "managedIdentity" as const, clientId: CANARY },
  ]) {
    // A managed identity never signs in at the emulator (a foreign endpoint is refused for it): its own cloud's endpoints.
    const conn = credential.kind === "managedIdentity" ? { credential } : connect(emu, credential as typeof automationCredential);
    const err = await whoAmI(conn).catch((e: unknown) => e as Error);
    const field = "tenantId" in credential && credential.tenantId === CANARY ? "tenantId" : "clientId";
    expect({ field, says: String((err as Error).message).includes(`"${field}"`), leaked: String((err as Error).message).includes("CANARY") }).toEqual({ field, says: true, leaked: false });
  }
  expect(emu.stats().requests).toBe(before);
  // A tenant given by its domain name is still accepted.
  expect(() => createCredential(connect(emu, { ...automationCredential, tenantId: "contoso.onmicrosoft.com" } as typeof automationCredential))).not.toThrow();
});

test("the default chain (DefaultAzureCredential) signs in from the environment's service principal", async () => {
  const keys = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET"] as const;
  const saved = keys.map((k) => process.env[k]);
  Object.assign(process.env, { AZURE_TENANT_ID: PARTNER_TENANT, AZURE_CLIENT_ID: AUTOMATION.appId, AZURE_CLIENT_SECRET: AUTOMATION.secret });
  try {
    expect(await whoAmI(connect(emu, { kind: "default", tenantId: PARTNER_TENANT }))).toEqual({ tenantId: PARTNER_TENANT, objectId: AUTOMATION.objectId, appId: AUTOMATION.appId });
  } finally {
    keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  }
});

test("with an authority override, the default chain never asks the Azure CLI (or a managed identity) for the real cloud's token", async () => {
  // An `az` that hands out a token, as a logged-in one does: DefaultAzureCredential would send it to the emulator.
  const bin = fs.mkdtempSync(`${dir}/bin-`);
  const called = `${bin}/called`;
  const payload = Buffer.from(JSON.stringify({ aud: "https://management.azure.com", tid: PARTNER_TENANT, oid: PARTNER_USER, idtyp: "user", exp: 4070908800 })).toString("base64url");
  const token = JSON.stringify({ accessToken: `eyJhbGciOiJSUzI1NiJ9.${payload}.sig`, expiresOn: "2099-01-01 00:00:00.000000", expires_on: 4070908800, tokenType: "Bearer" });
  fs.writeFileSync(`${bin}/az`, `#!/bin/sh\ntouch '${called}'\necho '${token}'\n`, { mode: 0o755 });
  const keys = ["PATH", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE", "IDENTITY_ENDPOINT", "MSI_ENDPOINT"] as const;
  const saved = keys.map((k) => process.env[k]);
  for (const k of keys) delete process.env[k];
  process.env.PATH = `${bin}:${saved[0] ?? ""}`;
  const before = emu.stats().requests;
  try {
    const err = (await whoAmI(connect(emu, { kind: "default", tenantId: PARTNER_TENANT })).catch((e: unknown) => e)) as ArmError;
    expect({ kind: err.kind, asked: fs.existsSync(called), sent: emu.stats().requests - before }).toEqual({ kind: "authentication", asked: false, sent: 0 });
  } finally {
    keys.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
  }
});

test("a foreign endpoint is refused for the Azure CLI and a managed identity even with an authorityHost: they never sign in there", () => {
  for (const credential of [{ kind: "azureCli" as const }, { kind: "managedIdentity" as const }]) {
    expect(() => resolveEndpoints({ credential, endpoint: emu.url, authorityHost: emu.url })).toThrow(
      new RegExp(`a ${credential.kind} credential signs in at .*, whatever authorityHost says: that real token would go to ${emu.url.replace(/[.]/g, "\\.")}`),
    );
    // The cloud's own ARM endpoint is where their token belongs.
    expect(() => resolveEndpoints({ credential, endpoint: "https://management.azure.com/" })).not.toThrow();
  }
});

test("a TokenCredential object is used as given; a user's token reports no appId", async () => {
  const credential = {
    getToken: async () => ({ token: emu.tokenFor(PARTNER_USER), expiresOnTimestamp: Date.now() + 3600_000 }),
  };
  const conn: ArmConnection = { ...connect(emu, automationCredential), credential };
  expect(createCredential(conn)).toBe(credential);
  expect(await whoAmI(conn)).toEqual({ tenantId: PARTNER_TENANT, objectId: PARTNER_USER });
});
