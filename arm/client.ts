/**
 * The Azure SDK clients behind every ARM-layer call, built per call from the connection (cheap; the credential,
 * and so the token cache, is shared per connection), and the one place where failures become ArmError.
 */
import { ServiceClient } from "@azure/core-client";
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { ACEProvisioningManagementPartnerAPI } from "@azure/arm-managementpartner";
import { isTokenCredential, perConnection, resolveEndpoints, type ArmConnection } from "./connection";
import { createCredential } from "./credentials";
import { armErrorFromResponse, toArmError, ArmError, type ErrorContext } from "./errors";
import { armPipelineOptions, pipelineOptions } from "./pipeline-options";
import { callerIdentity } from "./whoami";

/** Options every ARM-layer function accepts last. */
export interface CallOptions {
  abortSignal?: AbortSignal;
}

/**
 * One client per connection object, as the Azure SDK guidelines intend: a client owns its pipeline and HTTP agent,
 * so reusing it keeps TLS sessions alive. A client per call costs a TLS handshake and a secure context (Node's whole
 * root store plus the extra CA) per request: measured on bench/audit with 1,000 subscriptions, 16 subscriptions/s and
 * 1.4 GB peak RSS before, see docs/audit.md for after.
 */
/** A generic ARM client over the SDK pipeline (bearer token, retry, throttling, TLS, user agent), one per connection object. */
export const armClient: (conn: ArmConnection) => ServiceClient = perConnection(newArmClient);

function newArmClient(conn: ArmConnection): ServiceClient {
  const ep = resolveEndpoints(conn);
  return new ServiceClient({
    ...armPipelineOptions(conn),
    endpoint: ep.resourceManager,
    credential: createCredential(conn),
    credentialScopes: [ep.scope],
  });
}

/** The generated PAL client (@azure/arm-managementpartner, api-version 2018-02-01), one per connection object. */
export const partnerClient: (conn: ArmConnection) => ACEProvisioningManagementPartnerAPI = perConnection(newPartnerClient);

function newPartnerClient(conn: ArmConnection): ACEProvisioningManagementPartnerAPI {
  const ep = resolveEndpoints(conn);
  return new ACEProvisioningManagementPartnerAPI(createCredential(conn), {
    ...armPipelineOptions(conn),
    endpoint: ep.resourceManager,
    credentialScopes: [ep.scope],
  });
}

/** Strings that must never reach a message. */
export function secretsOf(conn: ArmConnection): string[] {
  const c = conn.credential;
  if (isTokenCredential(c)) return [];
  if (c.kind === "clientSecret") return [c.clientSecret];
  if (c.kind === "clientCertificate") return [c.certificatePem];
  return [];
}

/**
 * Run one ARM-layer operation; any failure leaves as an ArmError. For 401/403 the caller's identity is decoded
 * from a (cached) token so the message can name it.
 */
export async function runArm<T>(conn: ArmConnection, ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw await mapFailure(conn, ctx, err);
  }
}

export async function mapFailure(conn: ArmConnection, ctx: ErrorContext, err: unknown): Promise<ArmError> {
  if (err instanceof ArmError) return err;
  const full = await enrich(conn, ctx, err);
  // MSAL reports an unreachable or untrusted authority only as "endpoints_resolution_error", dropping the cause:
  // one diagnostic GET of the authority's metadata through the same pipeline recovers the TLS/network error.
  if (/endpoints_resolution_error/.test(String((err as Error | undefined)?.message))) {
    const probe = await probeAuthority(conn);
    if (probe) return toArmError(probe.error, { ...full, host: probe.host });
  }
  return toArmError(err, full);
}

async function probeAuthority(conn: ArmConnection): Promise<{ error: unknown; host: string } | undefined> {
  if (isTokenCredential(conn.credential)) return undefined;
  const ep = resolveEndpoints(conn);
  const tenant = "tenantId" in conn.credential && conn.credential.tenantId ? conn.credential.tenantId : "organizations";
  const url = `${ep.authorityHost}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`;
  const client = new ServiceClient({ ...pipelineOptions({ ...conn, retry: { maxRetries: 0 } }) });
  try {
    await client.sendRequest(createPipelineRequest({ url, method: "GET" }));
    return undefined;
  } catch (error) {
    return { error, host: new URL(ep.authorityHost).host };
  }
}

async function enrich(conn: ArmConnection, ctx: ErrorContext, err: unknown): Promise<ErrorContext> {
  let host = ctx.host;
  try {
    host ??= new URL(resolveEndpoints(conn).resourceManager).host;
  } catch {
    /* keep undefined */
  }
  const full: ErrorContext = { ...ctx, host, secrets: [...(ctx.secrets ?? []), ...secretsOf(conn)], maxRetries: ctx.maxRetries ?? conn.retry?.maxRetries ?? 3 };
  if (conn.settingNames !== undefined) full.settingNames = conn.settingNames;
  const status = (err as { statusCode?: unknown })?.statusCode;
  if (!full.identity && (status === 401 || status === 403 || status === 409)) {
    try {
      full.identity = await callerIdentity(conn);
    } catch {
      /* best effort: the message then says "the signed-in identity" */
    }
  }
  return full;
}

export interface JsonResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  raw: PipelineResponse;
}

/**
 * Send one request through the client's pipeline and parse the JSON body. Non-2xx answers become ArmError, except
 * the statuses listed in `accept` (e.g. 404 for "absent").
 */
export async function sendJson(
  conn: ArmConnection,
  client: ServiceClient,
  req: { method: "GET" | "PUT" | "PATCH" | "DELETE" | "POST"; url: string; body?: unknown; abortSignal?: AbortSignal },
  ctx: ErrorContext,
  accept: number[] = [],
): Promise<JsonResponse> {
  const headers = createHttpHeaders({ accept: "application/json" });
  if (req.body !== undefined) headers.set("content-type", "application/json; charset=utf-8");
  const request = createPipelineRequest({
    url: absoluteUrl(conn, req.url),
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    abortSignal: req.abortSignal,
  });
  let response: PipelineResponse;
  try {
    response = await client.sendRequest(request);
  } catch (err) {
    throw await mapFailure(conn, ctx, err);
  }
  const body = parseBody(response.bodyAsText);
  const out: JsonResponse = { status: response.status, body, headers: response.headers.toJSON({ preserveCase: false }), raw: response };
  if (response.status >= 400 && !accept.includes(response.status)) {
    const requestId = response.headers.get("x-ms-request-id") ?? response.headers.get("x-ms-correlation-request-id");
    const fake = { statusCode: response.status };
    const full = await enrich(conn, ctx, fake);
    throw armErrorFromResponse(response.status, body, requestId, full);
  }
  return out;
}

function parseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A path (`/subscriptions/...`) is resolved against the ARM endpoint; absolute URLs (LRO status links) are kept. */
export function absoluteUrl(conn: ArmConnection, pathOrUrl: string): string {
  const base = resolveEndpoints(conn).resourceManager;
  if (!/^https?:\/\//i.test(pathOrUrl)) return `${base}${pathOrUrl.startsWith("/") ? "" : "/"}${pathOrUrl}`;
  return pathOrUrl;
}

/**
 * Server-supplied URLs (nextLink, Azure-AsyncOperation, Location) must stay on the ARM endpoint: the bearer token
 * goes with every request, so a link to another origin is refused rather than followed.
 */
export function checkSameOrigin(conn: ArmConnection, url: string, ctx: ErrorContext): void {
  const base = new URL(resolveEndpoints(conn).resourceManager);
  let target: URL;
  try {
    target = new URL(url, base);
  } catch {
    throw new ArmError(`${ctx.operation}${ctx.target ? ` ${ctx.target}` : ""}: Azure returned a malformed link "${url.slice(0, 200)}"`, { kind: "unknown", operation: ctx.operation, target: ctx.target });
  }
  if (target.origin !== base.origin) {
    throw new ArmError(
      `${ctx.operation}${ctx.target ? ` ${ctx.target}` : ""}: the answer links to ${target.origin}, not the ARM endpoint ${base.origin}: refused (the access token would go there); check endpoint/cloud and any proxy`,
      { kind: "unknown", operation: ctx.operation, target: ctx.target },
    );
  }
}
