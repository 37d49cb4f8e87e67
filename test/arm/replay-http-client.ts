/**
 * A replaying HttpClient: the Azure SDK's own transport seam (`httpClient` in the client options). Everything above
 * it (bearer token policy, retry, deserialization, core-lro) is the real pipeline. ARM requests are answered with
 * recorded responses, matched by method + path (case-insensitive, query ignored), in recorded order, the last one
 * repeated when a request comes again. Entra sign-in requests (openid-configuration, token) are answered by glue
 * that is not recorded data: an unsigned JWT carrying tid/oid/appid, as the real service's client never verifies it.
 */
import { createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";

export interface RecordedExchange {
  /** Where it came from, for messages. */
  source: string;
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The recorded request body, when the call needs it (PUT definitions and assignments). */
  requestBody?: unknown;
  /** Synthetic glue (not recorded): never counted. */
  synthetic?: boolean;
}

export const CALLER = { tenantId: "1b1121dd-6900-412a-af73-e8d44f81e1c1", objectId: "2119ba66-2042-49a1-bc3f-1b3b0e9f5f11", appId: "9f2f0d41-0a1e-4f7c-9a53-7a2a7d9c6b01" };

export function unsignedJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc(claims)}.`;
}

export function normPath(url: string): string {
  const u = new URL(url, "https://management.azure.com");
  return `${u.host.toLowerCase()}${u.pathname.replace(/\/{2,}/g, "/").replace(/\/$/, "").toLowerCase()}`;
}

export class ReplayHttpClient implements HttpClient {
  /** Exchanges served to the client so far (recorded ones only). */
  readonly served: RecordedExchange[] = [];
  /** Every request the client made (`METHOD host/path`), sign-in included. */
  readonly requests: string[] = [];
  /** Requests nothing recorded matched. */
  readonly unmatched: string[] = [];
  private readonly queue: RecordedExchange[];
  private readonly last = new Map<string, RecordedExchange>();

  constructor(
    recorded: RecordedExchange[],
    private readonly glue: (req: PipelineRequest) => RecordedExchange | undefined = () => undefined,
  ) {
    this.queue = [...recorded];
  }

  async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    const url = new URL(request.url);
    this.requests.push(`${request.method} ${normPath(request.url)}`);
    const identity = this.identityGlue(request, url);
    if (identity) return this.respond(request, identity);
    const key = `${request.method} ${normPath(request.url)}`;
    const i = this.queue.findIndex((e) => `${e.method.toUpperCase()} ${normPath(e.url)}` === key);
    let ex: RecordedExchange | undefined;
    if (i >= 0) {
      ex = this.queue.splice(i, 1)[0];
      this.last.set(key, ex);
    } else {
      ex = this.last.get(key) ?? this.glue(request);
    }
    if (!ex) {
      this.unmatched.push(key);
      return this.respond(request, { source: "replay", method: request.method, url: request.url, status: 599, headers: {}, body: `{"error":{"code":"NotRecorded","message":"no recorded response for ${key}"}}` });
    }
    if (!ex.synthetic) this.served.push(ex);
    return this.respond(request, ex);
  }

  /** Exchanges not yet served. */
  remaining(): RecordedExchange[] {
    return [...this.queue];
  }

  private identityGlue(request: PipelineRequest, url: URL): RecordedExchange | undefined {
    const base = `${url.protocol}//${url.host}`;
    const m = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/i.exec(url.pathname);
    if (m) {
      const t = m[1];
      const body = {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        issuer: `${base}/${t}/v2.0`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        response_types_supported: ["code"],
        token_endpoint_auth_methods_supported: ["client_secret_post"],
      };
      return { source: "glue", method: "GET", url: request.url, status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body), synthetic: true };
    }
    if (/\/oauth2\/v2\.0\/token$/i.test(url.pathname)) {
      const now = Math.floor(Date.now() / 1000);
      const token = unsignedJwt({ aud: "https://management.azure.com", tid: CALLER.tenantId, oid: CALLER.objectId, appid: CALLER.appId, iat: now, nbf: now, exp: now + 3600 });
      const body = { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: token };
      return { source: "glue", method: "POST", url: request.url, status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(body), synthetic: true };
    }
    return undefined;
  }

  private respond(request: PipelineRequest, ex: RecordedExchange): PipelineResponse {
    return { request, status: ex.status, headers: createHttpHeaders(ex.headers), bodyAsText: ex.body };
  }
}
