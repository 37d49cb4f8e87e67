/**
 * The emulator's HTTPS server: TLS on loopback, one handler per request that goes
 * faults -> identity endpoints (no token) -> bearer token -> throttling -> ARM route, and one log line.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { tlsMaterial } from "./certs";
import { ArmError } from "./errors";
import { FaultInjector, mulberry32 } from "./faults";
import { handleIdentity, issueToken } from "./identity";
import { handleManagedServices, matchManagedServices } from "./managed-services";
import { handleMarketplace, matchMarketplace } from "./marketplace";
import { handleOperations } from "./operations";
import { handlePartners, matchPartners } from "./partners";
import type { ArmRequest, EmuRequest, EmuResponse } from "./request";
import { resolveSeed } from "./seed";
import { EmulatorState } from "./state";
import { handleSubscriptions, matchSubscriptions } from "./subscriptions";
import { AZURE_THROTTLE, Throttle } from "./throttle";
import { verifyAccessToken } from "./tokens";
import type { EmulatorOptions, EmulatorStats, FaultRule, RunningEmulator } from "./types";

/** Audiences ARM accepts (plus the emulator's own URL, the default scope of an SDK client given `endpoint`). */
const ARM_AUDIENCES = ["https://management.azure.com", "https://management.core.windows.net", "https://management.azure.com/", "https://management.core.windows.net/"];

const MAX_BODY = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new ArmError(413, "RequestEntityTooLarge", "The request content is too large."));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * A wait (injected latency, a "slow" fault) that does not keep the process alive: after stop() a request still
 * sleeping holds no test runner or CLI open (the listening server is what keeps a running emulator alive).
 */
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const seed = resolveSeed(options.seed);
  const state = new EmulatorState(seed, options.statePath);
  const tls = tlsMaterial();
  const secret = randomBytes(32);
  const faults = new FaultInjector(options.faults ?? []);
  const throttle = options.throttle === false ? undefined : new Throttle(options.throttle ?? AZURE_THROTTLE);
  const lro = { pollsUntilDone: Math.max(1, options.lro?.pollsUntilDone ?? 2), retryAfterSeconds: Math.max(0, options.lro?.retryAfterSeconds ?? 0) };
  const pageSize = Math.max(1, options.pageSize ?? 100);
  const log = options.log === false || options.log === undefined ? undefined : options.log;
  const latencyRandom = mulberry32(7);
  const stats: EmulatorStats = { requests: 0, faultsInjected: 0, throttled: 0 };
  let baseUrl = "";

  const latency = (): number => {
    const l = options.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === "number") return l;
    return l.min + Math.floor(latencyRandom() * Math.max(0, l.max - l.min + 1));
  };

  const send = (res: ServerResponse, r: EmuResponse, extra: Record<string, string>): void => {
    const headers: Record<string, string> = { "x-ms-request-id": randomUUID(), "x-ms-correlation-request-id": randomUUID(), ...extra, ...(r.headers ?? {}) };
    if (r.body !== undefined) {
      const text = JSON.stringify(r.body);
      headers["Content-Type"] = "application/json; charset=utf-8";
      headers["Content-Length"] = String(Buffer.byteLength(text));
      res.writeHead(r.status, headers);
      res.end(text);
    } else {
      headers["Content-Length"] = "0";
      res.writeHead(r.status, headers);
      res.end();
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    stats.requests += 1;
    const method = (req.method ?? "GET").toUpperCase();
    // Azure PowerShell sends `//subscriptions/...` (see its recordings); a leading `//` would parse as a host.
    const url = new URL((req.url ?? "/").replace(/^\/{2,}/, "/"), baseUrl);
    const p = url.pathname.replace(/\/{2,}/g, "/");
    let caller = "-";
    let note = "";
    const finish = (status: number | string): void => {
      if (log) log(`${new Date().toISOString()} ${method} ${p}${p.includes("/oauth2/") ? "" : url.search} ${status} caller=${caller} ${Date.now() - started}ms${note}`);
    };
    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch (err) {
      if (err instanceof ArmError) {
        send(res, { status: err.status, body: err.body() }, {});
        finish(err.status);
      }
      return;
    }
    const extra: Record<string, string> = {};
    let failLro = false;
    const fault: FaultRule | undefined = faults.pick(method, p + url.search);
    if (fault) {
      stats.faultsInjected += 1;
      note = ` fault=${fault.kind}`;
      switch (fault.kind) {
        case "drop":
          req.socket.destroy();
          finish("dropped");
          return;
        case "429": {
          const ra = String(fault.retryAfterSeconds ?? 1);
          send(res, { status: 429, headers: { "Retry-After": ra }, body: { error: { code: "TooManyRequests", message: `The request was throttled (fault injected). Retry after ${ra} seconds.` } } }, {});
          finish(429);
          return;
        }
        case "500":
          send(res, { status: 500, body: { error: { code: "InternalServerError", message: "Encountered internal server error (fault injected)." } } }, {});
          finish(500);
          return;
        case "503":
          // ARM answers some 503s with Retry-After: sent when the rule gives retryAfterSeconds.
          send(
            res,
            { status: 503, ...(fault.retryAfterSeconds !== undefined ? { headers: { "Retry-After": String(fault.retryAfterSeconds) } } : {}), body: { error: { code: "ServiceUnavailable", message: "The service is temporarily unavailable (fault injected)." } } },
            {},
          );
          finish(503);
          return;
        case "slow":
          await sleep(fault.delayMs ?? 1000);
          break;
        case "lro-failed":
          failLro = true;
          break;
      }
    }
    const l = latency();
    if (l > 0) await sleep(l);

    const base: EmuRequest = { method, path: p, query: url.searchParams, headers: req.headers, rawBody, baseUrl };
    let out: EmuResponse;
    try {
      const idr = handleIdentity(base, state, secret);
      if (idr) {
        out = idr;
      } else {
        const auth = req.headers.authorization ?? "";
        const m = /^Bearer\s+(\S+)$/i.exec(auth);
        if (!m)
          throw new ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.", {
            "WWW-Authenticate": `Bearer authorization_uri="${baseUrl}/", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`,
          });
        const check = verifyAccessToken(secret, m[1]!);
        if (!check.ok)
          throw new ArmError(401, check.code, check.message, {
            "WWW-Authenticate": `Bearer authorization_uri="${baseUrl}/", error="invalid_token", error_description="${check.message}"`,
          });
        const claims = check.claims;
        const aud = claims.aud.replace(/\/$/, "");
        if (!ARM_AUDIENCES.includes(aud) && aud !== baseUrl)
          throw new ArmError(
            401,
            "InvalidAuthenticationToken",
            `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
          );
        caller = `${claims.oid}@${claims.tid}`;
        const ms = matchManagedServices(p);
        const subId = ms?.subscriptionId ?? matchSubscriptions(p)?.subscriptionId;
        if (throttle) {
          const v = throttle.take(claims.oid, subId, method);
          if (!v.ok) {
            stats.throttled += 1;
            note += " throttled";
            throw new ArmError(
              429,
              "TooManyRequests",
              `Number of '${v.header.replace("x-ms-ratelimit-remaining-", "")}' requests for subscription '${subId ?? "tenant"}' and principal '${claims.oid}' exceeded the limit. Please try again after '${v.retryAfterSeconds}' seconds.`,
              { "Retry-After": String(v.retryAfterSeconds), [v.header]: "0" },
            );
          }
          extra[v.header] = String(v.remaining);
        }
        const armReq: ArmRequest = { ...base, caller: claims, state, pageSize, lro, failLro };
        const pal = matchPartners(p);
        const subs = ms ? undefined : matchSubscriptions(p);
        const ops = handleOperations(armReq);
        const market = matchMarketplace(p);
        if (ops) out = ops;
        else if (market) out = handleMarketplace(armReq, market);
        else if (pal) out = handlePartners(armReq, pal.partnerId);
        else if (ms) out = handleManagedServices(armReq, ms);
        else if (subs) out = handleSubscriptions(armReq, subs.subscriptionId);
        else
          throw new ArmError(
            404,
            "InvalidResourceType",
            `The resource type or path '${p}' is not served by the partnerlink emulator (it serves Microsoft.ManagementPartner/partners, Microsoft.ManagedServices registrations and /subscriptions).`,
          );
      }
    } catch (err) {
      if (err instanceof ArmError) out = { status: err.status, body: err.body(), headers: err.headers };
      else out = { status: 500, body: { error: { code: "InternalServerError", message: `Emulator error: ${(err as Error).message}` } } };
    }
    send(res, out, extra);
    finish(out.status);
  };

  const server: Server = createServer({ key: tls.serverKeyPem, cert: tls.serverCertPem }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: { code: "InternalServerError", message: String((err as Error).message ?? err) } }));
      }
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "partnerlink-emulator-"));
  const caCertPath = path.join(dir, "ca.pem");
  writeFileSync(caCertPath, tls.caCertPem);

  let stopped = false;
  return {
    url: baseUrl,
    port,
    caCertPem: tls.caCertPem,
    caCertPath,
    state,
    setFaults: (rules: FaultRule[]) => faults.set(rules),
    stats: () => ({ ...stats }),
    tokenFor(objectId: string): string {
      const pr = state.principal(objectId);
      if (!pr || pr.type === "Group") throw new Error(`tokenFor: '${objectId}' is not a user or service principal of the seed`);
      return issueToken(secret, baseUrl, pr, "https://management.azure.com").token;
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
