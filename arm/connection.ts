import type { TokenCredential } from "@azure/core-auth";
import type { HttpClient, PipelinePolicy } from "@azure/core-rest-pipeline";
import { CLOUDS, type CloudName } from "./clouds";

/** How to sign in. Secrets live only in this object: they are never logged, echoed or put in an error. */
export type CredentialOptions =
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "clientCertificate"; tenantId: string; clientId: string; certificatePem: string /* cert + private key PEM */; sendCertificateChain?: boolean }
  | { kind: "workloadIdentity"; tenantId: string; clientId: string; tokenFilePath: string }
  | { kind: "managedIdentity"; clientId?: string }
  | { kind: "azureCli"; tenantId?: string }
  | { kind: "default"; tenantId?: string; clientId?: string };

/** Everything the ARM layer needs to reach Azure (or the emulator). Passed to every call; nothing is read from globals. */
export interface ArmConnection {
  /** Credential options, or an already-built @azure/identity TokenCredential (the Azure SDK convention). */
  credential: CredentialOptions | TokenCredential;
  /** Default AzureCloud. */
  cloud?: CloudName;
  /** ARM base URL override (emulator, Azure Stack). The token audience stays the cloud's. */
  endpoint?: string;
  /** Entra authority override (emulator). Turns off instance discovery. */
  authorityHost?: string;
  /** An extra CA to trust (the emulator's), added to Node's default roots for ARM and token calls. */
  caCertificatePem?: string;
  /** The pipeline's own retry policy settings (exponential for 5xx/drops, Retry-After for 429/503). */
  retry?: { maxRetries?: number; maxRetryDelayMs?: number; retryDelayMs?: number };
  /** Appended to the User-Agent, e.g. `pid-<GUID>` for customer usage attribution. */
  userAgentSuffix?: string;
  /** The SDK's transport seam: replaces the default Node HTTP client for ARM and token calls (recorded replays). */
  httpClient?: HttpClient;
  /** Extra pipeline policies for ARM calls (the SDK's `additionalPolicies`), e.g. the audit's client-side rate limiter. */
  additionalPolicies?: { policy: PipelinePolicy; position: "perCall" | "perRetry" }[];
  /**
   * How the caller's user sets these settings, when not as these fields: error messages name them instead (the CLI's
   * `--ca-cert`). `retry: ""`: the caller offers no retry setting, so no message tells the user to raise it.
   */
  settingNames?: { caCertificatePem?: string; retry?: string };
}

export interface ResolvedEndpoints {
  resourceManager: string;
  authorityHost: string;
  audience: string;
  /** `${audience}/.default` */
  scope: string;
  /** True when the authority was overridden: instance discovery must be off. */
  customAuthority: boolean;
}

export function isTokenCredential(c: ArmConnection["credential"]): c is TokenCredential {
  return typeof (c as TokenCredential).getToken === "function";
}

/**
 * Credential kinds that sign in where they themselves are set up, whatever `authorityHost` says: the Azure CLI at the
 * cloud `az` is logged in to, a managed identity at the host's identity endpoint. Their token is the real cloud's.
 */
const OWN_SIGN_IN: Partial<Record<CredentialOptions["kind"], string>> = {
  azureCli: "the cloud the Azure CLI is logged in to",
  managedIdentity: "the host's managed identity endpoint",
};

/**
 * An ARM endpoint that would receive a real cloud token: `endpoint` names a host that is not the cloud's ARM while the
 * credential (built here from options) signs in at the cloud's own authority, because no `authorityHost` says
 * otherwise, or because it is a kind that never signs in at `authorityHost` (`credentialKind`: the Azure CLI, a
 * managed identity). A mistyped or foreign endpoint would then get a token for the customer's Azure. A
 * TokenCredential the caller built is its own business. Undefined when nothing strays.
 */
export function strayEndpoint(
  conn: Pick<ArmConnection, "cloud" | "endpoint" | "authorityHost"> & { credential?: ArmConnection["credential"] },
): { endpoint: string; authority: string; credentialKind?: CredentialOptions["kind"] } | undefined {
  if (conn.endpoint === undefined || (conn.credential !== undefined && isTokenCredential(conn.credential))) return undefined;
  const cloud = CLOUDS[conn.cloud ?? "AzureCloud"];
  if (!cloud) return undefined;
  const endpoint = conn.endpoint.replace(/\/+$/, "");
  if (endpoint.toLowerCase() === cloud.resourceManager) return undefined;
  const kind = (conn.credential as CredentialOptions | undefined)?.kind;
  const own = kind === undefined ? undefined : OWN_SIGN_IN[kind];
  if (own !== undefined) return { endpoint, authority: own, credentialKind: kind };
  return conn.authorityHost !== undefined ? undefined : { endpoint, authority: cloud.authorityHost };
}

export function resolveEndpoints(conn: ArmConnection): ResolvedEndpoints {
  const cloudName = conn.cloud ?? "AzureCloud";
  const cloud = CLOUDS[cloudName];
  if (!cloud) {
    throw new TypeError(`unknown cloud "${String(cloudName)}": use AzureCloud, AzureUSGovernment or AzureChinaCloud`);
  }
  const strip = (u: string) => u.replace(/\/+$/, "");
  for (const [name, value] of [["endpoint", conn.endpoint], ["authorityHost", conn.authorityHost]] as const) {
    if (value !== undefined && !/^https:\/\/[^\s/]+/i.test(value)) {
      throw new TypeError(`ArmConnection.${name} "${value}" is not an https URL: the Azure SDK sends tokens over https only`);
    }
  }
  const stray = strayEndpoint(conn);
  if (stray?.credentialKind !== undefined) {
    throw new TypeError(
      `ArmConnection.endpoint "${stray.endpoint}" is not ${cloudName}'s ARM endpoint, and a ${stray.credentialKind} credential signs in at ${stray.authority}, whatever authorityHost says: that real token would go to ${stray.endpoint}. Sign in a service principal there (clientSecret, clientCertificate or workloadIdentity, which sign in at authorityHost), or leave endpoint out`,
    );
  }
  if (stray !== undefined) {
    throw new TypeError(
      `ArmConnection.endpoint "${stray.endpoint}" is not ${cloudName}'s ARM endpoint, and no authorityHost is given: the credential would sign in at ${stray.authority} and send that cloud's token to ${stray.endpoint}. Give authorityHost too (the emulator's URL, or your Azure Stack's authority), or leave endpoint out`,
    );
  }
  return {
    resourceManager: strip(conn.endpoint ?? cloud.resourceManager),
    authorityHost: strip(conn.authorityHost ?? cloud.authorityHost),
    audience: cloud.audience,
    scope: `${cloud.audience}/.default`,
    customAuthority: conn.authorityHost !== undefined,
  };
}

/**
 * `create` memoized per connection object: the credential (its token cache) and the SDK clients (their TLS
 * connections) are made once per connection and reused by every call that passes it. Weakly held: a connection
 * dropped by the caller takes its clients with it.
 */
export function perConnection<T>(create: (conn: ArmConnection) => T): (conn: ArmConnection) => T {
  const made = new WeakMap<ArmConnection, T>();
  return (conn) => {
    let value = made.get(conn);
    if (value === undefined) {
      value = create(conn);
      made.set(conn, value);
    }
    return value;
  };
}
