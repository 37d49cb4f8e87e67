/**
 * The connection a plugin-served resource signs in with when it declares none: `pulumi import` (whose Read carries
 * only the resource ID) and programs that leave the connection to the environment, as the Azure providers do.
 *
 * The variables are the Azure SDK's (@azure/identity EnvironmentCredential / DefaultAzureCredential):
 * AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST; with a client secret the
 * credential is a ClientSecretCredential, otherwise DefaultAzureCredential (workload identity, managed identity,
 * Azure CLI, ...). partnerlink adds PARTNERLINK_ARM_ENDPOINT (the ARM base URL: the emulator, Azure Stack) and
 * PARTNERLINK_CLOUD (AzureCloud, AzureUSGovernment, AzureChinaCloud) and PARTNERLINK_CA_CERT_FILE (a PEM file of
 * an extra CA to trust, the emulator's; NODE_EXTRA_CA_CERTS, which Node adds to its roots, works too).
 */
import { readFileSync } from "node:fs";
import type { CloudName } from "../../arm/clouds";
import type { ProviderConnection } from "../connection-args";

/** The variables read, for messages and docs. */
export const CONNECTION_ENVIRONMENT = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "PARTNERLINK_ARM_ENDPOINT",
  "PARTNERLINK_CLOUD",
  "PARTNERLINK_CA_CERT_FILE",
] as const;

export function connectionFromEnvironment(env: NodeJS.ProcessEnv = process.env): ProviderConnection {
  const get = (k: string): string | undefined => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const tenantId = get("AZURE_TENANT_ID");
  const clientId = get("AZURE_CLIENT_ID");
  const clientSecret = get("AZURE_CLIENT_SECRET");
  let conn: ProviderConnection;
  if (clientSecret !== undefined) {
    if (!tenantId || !clientId) {
      const missing = [!tenantId ? "AZURE_TENANT_ID" : "", !clientId ? "AZURE_CLIENT_ID" : ""].filter(Boolean);
      throw new TypeError(
        `AZURE_CLIENT_SECRET is set but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not: set AZURE_TENANT_ID and AZURE_CLIENT_ID, or unset AZURE_CLIENT_SECRET to sign in another way`,
      );
    }
    conn = { credential: { kind: "clientSecret", tenantId, clientId, clientSecret } };
  } else {
    conn = { credential: { kind: "default", ...(tenantId ? { tenantId } : {}), ...(clientId ? { clientId } : {}) } };
  }
  const endpoint = get("PARTNERLINK_ARM_ENDPOINT");
  const authorityHost = get("AZURE_AUTHORITY_HOST");
  const cloud = get("PARTNERLINK_CLOUD");
  if (endpoint) conn.endpoint = endpoint;
  if (authorityHost) conn.authorityHost = authorityHost;
  if (cloud) conn.cloud = cloud as CloudName;
  const caFile = get("PARTNERLINK_CA_CERT_FILE");
  if (caFile) {
    try {
      conn.caCertificatePem = readFileSync(caFile, "utf8");
    } catch (err) {
      throw new TypeError(`PARTNERLINK_CA_CERT_FILE "${caFile}" cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"}): point it at the CA's PEM file, or unset it`);
    }
  }
  return conn;
}
