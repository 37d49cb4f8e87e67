/**
 * The Entra ID (login.microsoftonline.com) endpoints @azure/identity's MSAL client calls, served on the
 * same host as ARM (authorityHost = the emulator URL, disableInstanceDiscovery: true):
 * - GET  /{tenant}/v2.0/.well-known/openid-configuration (and the v1 path)
 * - GET  /common/discovery/instance (only when a client does NOT disable instance discovery)
 * - POST /{tenant}/oauth2/v2.0/token, grant_type=client_credentials with client_secret, or with a
 *   client_assertion (certificate, or workload identity federation; see tokens.ts).
 * Errors use Entra ID's OAuth shape {error, error_description (AADSTS...), error_codes}.
 */
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { EmuRequest, EmuResponse } from "./request";
import type { EmulatorState } from "./state";
import { checkCertificateAssertion, checkFederatedAssertion, decodeJwt, signAccessToken, type AccessClaims } from "./tokens";
import type { SeedPrincipal } from "./types";

export const TOKEN_LIFETIME_SECONDS = 3600;

function oauthError(status: number, error: string, description: string): EmuResponse {
  const code = Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0);
  return {
    status,
    body: {
      error,
      error_description: `${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString(),
      trace_id: randomUUID(),
      correlation_id: randomUUID(),
    },
  };
}

export function openIdConfiguration(base: string, tenant: string): Record<string, unknown> {
  return {
    token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${base}/oidc/userinfo`,
    authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid"],
    kerberos_endpoint: `${base}/${tenant}/kerberos`,
    tenant_region_scope: null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Matches the identity endpoints; undefined when the path is not one of them. */
export function handleIdentity(req: EmuRequest, state: EmulatorState, secret: Buffer): EmuResponse | undefined {
  const base = req.baseUrl;
  if (req.method === "GET" && /^\/common\/discovery\/instance$/i.test(req.path)) {
    const host = new URL(base).host;
    return {
      status: 200,
      body: {
        tenant_discovery_endpoint: `${base}/{tenant}/v2.0/.well-known/openid-configuration`,
        "api-version": "1.1",
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      },
    };
  }
  let m = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/i.exec(req.path);
  if (m && req.method === "GET") {
    const tenant = decodeURIComponent(m[1]!);
    if (!state.tenantName(tenant) && !["common", "organizations"].includes(tenant.toLowerCase()))
      return oauthError(400, "invalid_tenant", `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    return { status: 200, body: openIdConfiguration(base, tenant) };
  }
  m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(req.path);
  if (m && req.method === "POST") return token(req, state, secret, decodeURIComponent(m[1]!));
  if (/^\/[^/]+\/(oauth2|discovery)\//i.test(req.path))
    return oauthError(400, "unsupported_grant_type", `AADSTS50000: The partnerlink emulator does not serve '${req.path}'.`);
  return undefined;
}

export function issueToken(secret: Buffer, base: string, p: SeedPrincipal, resource: string): { token: string; claims: AccessClaims } {
  const now = Math.floor(Date.now() / 1000);
  const claims: AccessClaims = {
    aud: resource,
    iss: `${base}/${p.tenantId}/v2.0`,
    tid: p.tenantId,
    oid: p.objectId,
    sub: p.objectId,
    ...(p.appId ? { appid: p.appId } : {}),
    idtyp: p.type === "ServicePrincipal" ? "app" : "user",
    iat: now,
    nbf: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    name: p.displayName,
  };
  return { token: signAccessToken(secret, claims), claims };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function token(req: EmuRequest, state: EmulatorState, secret: Buffer, tenant: string): EmuResponse {
  if (!state.tenantName(tenant))
    return oauthError(400, "invalid_tenant", `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
  const form = new URLSearchParams(req.rawBody);
  const grant = form.get("grant_type");
  if (grant !== "client_credentials")
    return oauthError(400, "unsupported_grant_type", `AADSTS70003: The app requested an unsupported grant type '${grant ?? ""}'. The emulator supports client_credentials.`);
  const clientId = form.get("client_id") ?? "";
  const p = state.principalByAppId(tenant, clientId);
  if (!p)
    return oauthError(
      400,
      "unauthorized_client",
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${state.tenantName(tenant)}'.`,
    );
  const scope = form.get("scope") ?? "";
  const resource = scope.split(" ").find((s) => s.endsWith("/.default"));
  if (!resource)
    return oauthError(400, "invalid_scope", `AADSTS1002012: The provided value for scope '${scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
  const now = Math.floor(Date.now() / 1000);
  const secretIn = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secretIn !== null) {
    if (!p.clientSecret || !safeEqual(secretIn, p.clientSecret))
      return oauthError(401, "invalid_client", `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
  } else if (assertion !== null) {
    if (form.get("client_assertion_type") !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
      return oauthError(400, "invalid_request", "AADSTS50027: client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer.");
    const jwt = decodeJwt(assertion);
    if (!jwt) return oauthError(401, "invalid_client", "AADSTS50027: JWT token is invalid or malformed.");
    const isCert = jwt.header["x5t"] !== undefined || jwt.header["x5t#S256"] !== undefined;
    let why: string | undefined;
    if (isCert) {
      why = p.certificatePem
        ? checkCertificateAssertion(jwt, p.certificatePem, clientId, now)
        : `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application '${clientId}'.`;
      // RFC 7523: the assertion's audience is the token endpoint.
      const aud = String(jwt.payload.aud ?? "");
      if (!why && !aud.toLowerCase().endsWith(`/${tenant.toLowerCase()}/oauth2/v2.0/token`))
        why = `AADSTS50027: The client assertion audience '${aud}' is not this tenant's token endpoint.`;
    } else {
      why = checkFederatedAssertion(jwt, p.federatedCredentials ?? [], now);
    }
    if (why) return oauthError(401, "invalid_client", why);
  } else {
    return oauthError(401, "invalid_client", "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const audience = resource.slice(0, -"/.default".length);
  const { token: accessToken } = issueToken(secret, req.baseUrl, p, audience);
  return {
    status: 200,
    body: { token_type: "Bearer", expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken },
  };
}
