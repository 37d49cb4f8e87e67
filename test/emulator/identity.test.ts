import { createSign, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import forge from "node-forge";
import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { ACEProvisioningManagementPartnerAPI } from "@azure/arm-managementpartner";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import { ARM_SCOPE, PARTNER_TENANT, PROVIDER_SP, armClient, secretCredential, send } from "./helpers";

const CERT_SP = { objectId: "1a000000-0000-4000-8000-000000000011", appId: "1a000000-0000-4000-8000-0000000000b1" };
const FED_SP = { objectId: "1a000000-0000-4000-8000-000000000012", appId: "1a000000-0000-4000-8000-0000000000c1" };
const ISSUER = "https://token.actions.example.test";
const SUBJECT = "repo:contoso/infra:ref:refs/heads/main";

function selfSignedCert(): { certPem: string; keyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  cert.setSubject([{ name: "commonName", value: "cert-sp" }]);
  cert.setIssuer([{ name: "commonName", value: "cert-sp" }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

function signJwt(payload: Record<string, unknown>, keyPem: string): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc({ alg: "RS256", typ: "JWT" })}.${enc(payload)}`;
  return `${input}.${createSign("RSA-SHA256").update(input).sign(keyPem).toString("base64url")}`;
}

let emu: RunningEmulator;
const cert = selfSignedCert();
const otherCert = selfSignedCert();
const issuerKeys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });

beforeAll(async () => {
  const seed = JSON.parse(readFileSync(path.join(__dirname, "../../emulator/seeds/demo.json"), "utf8")) as EmulatorSeed;
  seed.principals.push(
    { objectId: CERT_SP.objectId, tenantId: PARTNER_TENANT, type: "ServicePrincipal", displayName: "Cert SP", appId: CERT_SP.appId, certificatePem: cert.certPem },
    {
      objectId: FED_SP.objectId,
      tenantId: PARTNER_TENANT,
      type: "ServicePrincipal",
      displayName: "Federated SP",
      appId: FED_SP.appId,
      federatedCredentials: [{ issuer: ISSUER, subject: SUBJECT, publicKeyPem: issuerKeys.publicKey }],
    },
  );
  emu = await startEmulator({ seed });
});
afterAll(() => emu.stop());

const opts = () => ({ authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });

describe("sign-in through @azure/identity over https", () => {
  test("client secret: token carries tid/oid/appid and ARM accepts it", async () => {
    const cred = secretCredential(emu, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret);
    const tok = await cred.getToken(ARM_SCOPE);
    const claims = JSON.parse(Buffer.from(tok.token.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ tid: PARTNER_TENANT, oid: PROVIDER_SP.objectId, appid: PROVIDER_SP.appId, aud: "https://management.azure.com" });
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    const pal = new ACEProvisioningManagementPartnerAPI(cred, { endpoint: emu.url, credentialScopes: [ARM_SCOPE], tlsOptions: { ca: emu.caCertPem } });
    const r = await pal.partner.create("7654321");
    expect(r.objectId).toBe(PROVIDER_SP.objectId);
  });

  test("wrong client secret is refused with AADSTS7000215", async () => {
    const cred = new ClientSecretCredential(PARTNER_TENANT, PROVIDER_SP.appId, "not-the-secret", opts());
    await expect(cred.getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS7000215/);
  });

  test("unknown client id and unknown tenant are refused", async () => {
    await expect(new ClientSecretCredential(PARTNER_TENANT, "99999999-0000-4000-8000-000000000000", "x", opts()).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700016/);
    await expect(new ClientSecretCredential("99999999-0000-4000-8000-000000000000", PROVIDER_SP.appId, "x", opts()).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS90002|endpoints_resolution_error/);
  });

  test("client certificate: MSAL's signed assertion is verified against the registered certificate", async () => {
    const cred = new ClientCertificateCredential(PARTNER_TENANT, CERT_SP.appId, { certificate: cert.keyPem + cert.certPem }, opts());
    const tok = await cred.getToken(ARM_SCOPE);
    const claims = JSON.parse(Buffer.from(tok.token.split(".")[1]!, "base64url").toString());
    expect(claims.oid).toBe(CERT_SP.objectId);
    const wrong = new ClientCertificateCredential(PARTNER_TENANT, CERT_SP.appId, { certificate: otherCert.keyPem + otherCert.certPem }, opts());
    await expect(wrong.getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700027/);
  });

  test("workload identity federation: an assertion from the registered issuer is exchanged; a forged one is not", async () => {
    const now = Math.floor(Date.now() / 1000);
    const good = signJwt({ iss: ISSUER, sub: SUBJECT, aud: "api://AzureADTokenExchange", exp: now + 300, iat: now }, issuerKeys.privateKey);
    const cred = new ClientAssertionCredential(PARTNER_TENANT, FED_SP.appId, async () => good, opts());
    const tok = await cred.getToken(ARM_SCOPE);
    expect(JSON.parse(Buffer.from(tok.token.split(".")[1]!, "base64url").toString()).oid).toBe(FED_SP.objectId);
    const forged = signJwt({ iss: ISSUER, sub: SUBJECT, aud: "api://AzureADTokenExchange", exp: now + 300 }, cert.keyPem);
    await expect(new ClientAssertionCredential(PARTNER_TENANT, FED_SP.appId, async () => forged, opts()).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS700211/);
    const otherSubject = signJwt({ iss: ISSUER, sub: "repo:evil/x", aud: "api://AzureADTokenExchange", exp: now + 300 }, issuerKeys.privateKey);
    await expect(new ClientAssertionCredential(PARTNER_TENANT, FED_SP.appId, async () => otherSubject, opts()).getToken(ARM_SCOPE)).rejects.toThrow(/AADSTS70021/);
  });
});

describe("ARM authentication", () => {
  test("no token: 401 AuthenticationFailed with WWW-Authenticate", async () => {
    const res = await fetchNoAuth(`${emu.url}/subscriptions?api-version=2022-12-01`, {});
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("AuthenticationFailed");
    expect(res.wwwAuthenticate).toMatch(/^Bearer /);
  });

  test("a token not issued by this emulator: 401 InvalidAuthenticationToken", async () => {
    const fake = signJwt({ tid: PARTNER_TENANT, oid: PROVIDER_SP.objectId, exp: Math.floor(Date.now() / 1000) + 600 }, cert.keyPem);
    const res = await fetchNoAuth(`${emu.url}/subscriptions?api-version=2022-12-01`, { authorization: `Bearer ${fake}` });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("InvalidAuthenticationToken");
  });

  test("tokenFor gives users a token; the request log names the caller, never the token", async () => {
    const lines: string[] = [];
    const e2 = await startEmulator({ log: (l) => lines.push(l) });
    try {
      const token = e2.tokenFor("1a000000-0000-4000-8000-000000000003");
      const res = await fetchNoAuth(`${e2.url}/subscriptions?api-version=2022-12-01`, { authorization: `Bearer ${token}` }, e2.caCertPem);
      expect(res.status).toBe(200);
      expect(() => e2.tokenFor("1a000000-0000-4000-8000-000000000002")).toThrow(/not a user or service principal/);
      const cred = secretCredential(e2, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret);
      await send(armClient(e2, cred), e2, "GET", "/subscriptions?api-version=2022-12-01");
      const all = lines.join("\n");
      expect(lines.some((l) => /GET \/subscriptions\?api-version=2022-12-01 200 caller=1a000000-0000-4000-8000-000000000003@/.test(l))).toBe(true);
      expect(all).not.toContain(token);
      expect(all).not.toContain(PROVIDER_SP.secret);
    } finally {
      await e2.stop();
    }
  });
});

async function fetchNoAuth(url: string, headers: Record<string, string>, ca = emu.caCertPem): Promise<{ status: number; body: any; wwwAuthenticate?: string }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "GET", headers, ca }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, wwwAuthenticate: res.headers["www-authenticate"] as string | undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}
