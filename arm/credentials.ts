import type { TokenCredential } from "@azure/core-auth";
import {
  AzureCliCredential,
  ChainedTokenCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  EnvironmentCredential,
  ManagedIdentityCredential,
  WorkloadIdentityCredential,
  type TokenCredentialOptions,
} from "@azure/identity";
import { isTokenCredential, perConnection, resolveEndpoints, type ArmConnection, type CredentialOptions } from "./connection";
import { pipelineOptions } from "./pipeline-options";
import { isGuid } from "../rules/identifiers";

/**
 * The @azure/identity credential for a connection. The authority host follows the cloud (or the override, with
 * instance discovery off, as the emulator and private authorities need); the TLS trust and transport are the
 * connection's, so token requests and ARM requests trust the same CAs.
 */
export function createCredential(conn: ArmConnection): TokenCredential {
  return isTokenCredential(conn.credential) ? conn.credential : credentialFor(conn);
}

/** One credential per connection object, so its token cache is reused across calls. */
const credentialFor = perConnection(newCredential);

function newCredential(conn: ArmConnection): TokenCredential {
  const ep = resolveEndpoints(conn);
  const common: TokenCredentialOptions & { disableInstanceDiscovery?: boolean } = {
    ...pipelineOptions(conn),
    authorityHost: ep.authorityHost,
  };
  if (ep.customAuthority) common.disableInstanceDiscovery = true;
  const c = conn.credential as CredentialOptions; // createCredential returned a TokenCredential as it is
  let credential: TokenCredential;
  switch (c.kind) {
    case "clientSecret":
      requireFields(c, ["tenantId", "clientId", "clientSecret"]);
      credential = new ClientSecretCredential(c.tenantId, c.clientId, c.clientSecret, common);
      break;
    case "clientCertificate":
      requireFields(c, ["tenantId", "clientId", "certificatePem"]);
      credential = new ClientCertificateCredential(c.tenantId, c.clientId, { certificate: c.certificatePem }, {
        ...common,
        sendCertificateChain: c.sendCertificateChain,
      });
      break;
    case "workloadIdentity":
      requireFields(c, ["tenantId", "clientId", "tokenFilePath"]);
      credential = new WorkloadIdentityCredential({ ...common, tenantId: c.tenantId, clientId: c.clientId, tokenFilePath: c.tokenFilePath });
      break;
    case "managedIdentity":
      checkIds(c);
      credential = c.clientId ? new ManagedIdentityCredential({ ...common, clientId: c.clientId }) : new ManagedIdentityCredential(common);
      break;
    case "azureCli":
      checkIds(c);
      credential = new AzureCliCredential({ tenantId: c.tenantId });
      break;
    case "default":
      checkIds(c);
      credential = ep.customAuthority
        ? authorityHostChain(common, c)
        : new DefaultAzureCredential({
            ...common,
            tenantId: c.tenantId,
            managedIdentityClientId: c.clientId,
            workloadIdentityClientId: c.clientId,
          } as ConstructorParameters<typeof DefaultAzureCredential>[0]);
      break;
    default:
      throw new TypeError(
        `unknown credential kind "${String((c as { kind?: unknown }).kind)}": use clientSecret, clientCertificate, workloadIdentity, managedIdentity, azureCli or default`,
      );
  }
  return credential;
}

/**
 * The default chain when the authority is overridden (the emulator, a private authority): only the members that sign in
 * at `authorityHost`, the environment's service principal (EnvironmentCredential) and workload identity federation.
 * DefaultAzureCredential would go on to the Azure CLI, Azure PowerShell, azd and a managed identity, which sign in at
 * their own cloud whatever `authorityHost` says, and that real token would go to the overridden endpoint.
 */
function authorityHostChain(common: TokenCredentialOptions, c: { tenantId?: string; clientId?: string }): TokenCredential {
  const chain: TokenCredential[] = [new EnvironmentCredential(common)];
  try {
    chain.push(new WorkloadIdentityCredential({ ...common, tenantId: c.tenantId, clientId: c.clientId }));
  } catch {
    // Not configured (no AZURE_FEDERATED_TOKEN_FILE, client or tenant): the environment's service principal alone.
  }
  return new ChainedTokenCredential(...chain);
}

function requireFields<T extends { kind: string }>(c: T, fields: (keyof T & string)[]): void {
  for (const f of fields) {
    const v = c[f];
    if (typeof v !== "string" || v.trim() === "") {
      // Names the field only: the value may be a secret.
      throw new TypeError(`credential ${c.kind}: "${f}" is missing or empty: set it in the connection's credential options`);
    }
  }
  checkIds(c as { kind: string; tenantId?: unknown; clientId?: unknown });
}

/** A tenant's domain name (contoso.onmicrosoft.com), which @azure/identity accepts in place of its GUID. */
const TENANT_DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * The IDs are sent in the token request, and Entra ID repeats them in its errors ("AADSTS700016: Application with
 * identifier '<client ID>' was not found"), where no secret redaction applies: a secret given as the client ID (the
 * fields swapped) would be printed. Refused before anything is sent, without the value.
 */
function checkIds(c: { kind: string; tenantId?: unknown; clientId?: unknown }): void {
  const given = (v: unknown): boolean => v !== undefined && v !== "";
  const refuse = (field: string, rule: string): never => {
    throw new TypeError(`credential ${c.kind}: "${field}" is not valid: must be ${rule}; the value given is not repeated here, in case it is a secret`);
  };
  if (given(c.clientId) && !isGuid(c.clientId)) refuse("clientId", "the application (client) ID, a GUID");
  if (given(c.tenantId) && !isGuid(c.tenantId) && !(typeof c.tenantId === "string" && TENANT_DOMAIN.test(c.tenantId)))
    refuse("tenantId", "the directory (tenant) ID, a GUID, or the tenant's domain name");
}
