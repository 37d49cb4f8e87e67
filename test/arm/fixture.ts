/**
 * The emulator the ARM-layer tests run against (https on loopback, real SDK pipeline), seeded with a partner tenant
 * (client-secret, certificate and workload-identity service principals) and a customer tenant (an Owner deployer,
 * a non-owner reader), plus connection builders.
 */
import { createSign, generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import forge from "node-forge";
import { startEmulator, type EmulatorOptions, type EmulatorSeed, type RunningEmulator } from "../../emulator";
import type { ArmConnection, CredentialOptions } from "../../arm";

export const PARTNER_TENANT = "aaaa0000-0000-4000-8000-000000000001";
export const CUSTOMER_TENANT = "cccc0000-0000-4000-8000-000000000001";
export const SUB = "5ab50000-0000-4000-8000-000000000001";
export const SUB2 = "5ab50000-0000-4000-8000-000000000002";
export const RG = "rg-web";
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

export const AUTOMATION = { objectId: "aa000000-0000-4000-8000-000000000001", appId: "aa000000-0000-4000-8000-0000000000a1", secret: "s3cr3t-automation-Zq8~value" };
export const CERT_APP = { objectId: "aa000000-0000-4000-8000-000000000002", appId: "aa000000-0000-4000-8000-0000000000a2" };
export const WIF_APP = { objectId: "aa000000-0000-4000-8000-000000000003", appId: "aa000000-0000-4000-8000-0000000000a3" };
export const ADMINS_GROUP = "aa000000-0000-4000-8000-000000000010";
export const PARTNER_USER = "aa000000-0000-4000-8000-000000000011";
export const DEPLOYER = { objectId: "cc000000-0000-4000-8000-000000000001", appId: "cc000000-0000-4000-8000-0000000000c1", secret: "s3cr3t-deployer-Pw7~value" };
export const READER_APP = { objectId: "cc000000-0000-4000-8000-000000000002", appId: "cc000000-0000-4000-8000-0000000000c2", secret: "s3cr3t-reader-Kx3~value" };
export const WIF_ISSUER = "https://token.actions.githubusercontent.com";
export const WIF_SUBJECT = "repo:contoso/infra:ref:refs/heads/main";

/** One RSA key for the test client certificate and the workload-identity issuer (key generation is slow on a busy machine). */
const testKeys = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });

/** A self-signed certificate + private key PEM for client-certificate sign-in. */
function selfSignedPem(): { certPem: string; bundlePem: string } {
  const { privateKey, publicKey } = testKeys;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = "0" + randomBytes(8).toString("hex");
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  const name = [{ name: "commonName", value: "partnerlink arm test client" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { certPem, bundlePem: `${certPem}\n${privateKey}` };
}

const certificate = selfSignedPem();
const wifKeys = testKeys;

/** A federated token file as a CI system would write it (RS256 JWT from the registered issuer). */
export function writeFederatedTokenFile(dir: string): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc({ alg: "RS256", typ: "JWT", kid: "ci" })}.${enc({ iss: WIF_ISSUER, sub: WIF_SUBJECT, aud: "api://AzureADTokenExchange", iat: now, nbf: now, exp: now + 600 })}`;
  const sig = createSign("RSA-SHA256").update(input).sign(wifKeys.privateKey).toString("base64url");
  const file = path.join(dir, "federated-token.jwt");
  fs.writeFileSync(file, `${input}.${sig}`);
  return file;
}

export function testSeed(): EmulatorSeed {
  return {
    tenants: [
      { tenantId: PARTNER_TENANT, displayName: "Contoso MSP (partner)" },
      { tenantId: CUSTOMER_TENANT, displayName: "Fabrikam (customer)" },
    ],
    principals: [
      { objectId: AUTOMATION.objectId, tenantId: PARTNER_TENANT, type: "ServicePrincipal", displayName: "Provider Automation Account", appId: AUTOMATION.appId, clientSecret: AUTOMATION.secret },
      { objectId: CERT_APP.objectId, tenantId: PARTNER_TENANT, type: "ServicePrincipal", displayName: "Cert app", appId: CERT_APP.appId, certificatePem: certificate.certPem },
      {
        objectId: WIF_APP.objectId,
        tenantId: PARTNER_TENANT,
        type: "ServicePrincipal",
        displayName: "GitHub Actions app",
        appId: WIF_APP.appId,
        federatedCredentials: [{ issuer: WIF_ISSUER, subject: WIF_SUBJECT, publicKeyPem: wifKeys.publicKey }],
      },
      { objectId: ADMINS_GROUP, tenantId: PARTNER_TENANT, type: "Group", displayName: "Contoso Lighthouse Admins" },
      { objectId: PARTNER_USER, tenantId: PARTNER_TENANT, type: "User", displayName: "Alex Wilber", memberOf: [ADMINS_GROUP] },
      { objectId: DEPLOYER.objectId, tenantId: CUSTOMER_TENANT, type: "ServicePrincipal", displayName: "Fabrikam Deployer", appId: DEPLOYER.appId, clientSecret: DEPLOYER.secret },
      { objectId: READER_APP.objectId, tenantId: CUSTOMER_TENANT, type: "ServicePrincipal", displayName: "Fabrikam Reader", appId: READER_APP.appId, clientSecret: READER_APP.secret },
    ],
    subscriptions: [
      { subscriptionId: SUB, tenantId: CUSTOMER_TENANT, displayName: "Fabrikam Production", owners: [DEPLOYER.objectId], resourceGroups: [RG, "rg-data"], agreement: "MCA" },
      { subscriptionId: SUB2, tenantId: CUSTOMER_TENANT, displayName: "Fabrikam Dev", owners: [DEPLOYER.objectId], agreement: "MCA" },
    ],
    partners: [
      { partnerId: "5127255", partnerName: "Contoso Ltd" },
      { partnerId: "5127254", partnerName: "Contoso Ltd (second ID)" },
    ],
  };
}

export async function startTestEmulator(options: Omit<EmulatorOptions, "seed"> = {}): Promise<RunningEmulator> {
  return startEmulator({ seed: testSeed(), throttle: false, lro: { pollsUntilDone: 2, retryAfterSeconds: 0 }, ...options });
}

/** A connection to the emulator; fast retries so fault tests stay quick. */
export function connect(emu: RunningEmulator, credential: CredentialOptions, extra: Partial<ArmConnection> = {}): ArmConnection {
  return {
    credential,
    endpoint: emu.url,
    authorityHost: emu.url,
    caCertificatePem: emu.caCertPem,
    retry: { maxRetries: 3, retryDelayMs: 10, maxRetryDelayMs: 50 },
    ...extra,
  };
}

export const automationCredential: CredentialOptions = { kind: "clientSecret", tenantId: PARTNER_TENANT, clientId: AUTOMATION.appId, clientSecret: AUTOMATION.secret };
export const deployerCredential: CredentialOptions = { kind: "clientSecret", tenantId: CUSTOMER_TENANT, clientId: DEPLOYER.appId, clientSecret: DEPLOYER.secret };
export const readerCredential: CredentialOptions = { kind: "clientSecret", tenantId: CUSTOMER_TENANT, clientId: READER_APP.appId, clientSecret: READER_APP.secret };
export const certificateCredential: CredentialOptions = { kind: "clientCertificate", tenantId: PARTNER_TENANT, clientId: CERT_APP.appId, certificatePem: certificate.bundlePem };

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-arm-"));
}

/** A definition body delegating Contributor to the automation SP (PEC-eligible, permanent). */
export function definitionBody(name = "Contoso managed services") {
  return {
    registrationDefinitionName: name,
    description: "partnerlink arm test",
    managedByTenantId: PARTNER_TENANT,
    authorizations: [{ principalId: AUTOMATION.objectId, principalIdDisplayName: "Provider Automation Account", roleDefinitionId: CONTRIBUTOR }],
  };
}
