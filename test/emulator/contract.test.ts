/**
 * Contract suite: Azure's own recorded traffic and the REST specs' x-ms-examples for
 * Microsoft.ManagementPartner and Microsoft.ManagedServices, replayed against the emulator.
 * Data is read from ../shared/azure-contract at test time (never copied into the repo): the
 * Azure PowerShell SessionRecords (JSON), the Azure CLI recordings (YAML) and the spec examples.
 * Each recording is one session: a fresh emulator seeded with the identities, tenants and subscriptions
 * the recording names; requests are sent in order with the host rewritten and a token of the recorded
 * caller; operationStatuses polls go to the operation the emulator itself started. Each spec example is
 * one request, after the state its response presupposes is put in place. Compared: status code, presence
 * of Azure-AsyncOperation / Location / Retry-After, body shape (keys and JSON types, not values), and for
 * recordings the name of the x-ms-ratelimit-remaining-* header (which ARM bucket the request drew on).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import YAML from "yaml";
import { startEmulator, type EmulatorSeed, type RunningEmulator } from "../../emulator";

const ROOT = process.env.PARTNERLINK_CONTRACT_DIR ?? path.resolve(__dirname, "../../../shared/azure-contract");
const LRO_HEADERS = ["azure-asyncoperation", "location", "retry-after"];
/** ARM's per-bucket counters (not the newer `-global-` ones, which the emulator does not send). */
const RATE_LIMIT_HEADER = /^x-ms-ratelimit-remaining-(subscription|tenant)-(reads|writes|deletes)$/;

interface Expected {
  status: number;
  headers: string[];
  /** The x-ms-ratelimit-remaining-* header names the recorded answer carries. */
  rateLimit?: string[];
  body?: unknown;
}
interface Pair {
  source: string;
  method: string;
  /** Path + query as Azure received it (host removed). */
  uri: string;
  body?: string;
  /** Allowed answers (a recording has one; a spec example may list several status codes). */
  expected: Expected[];
}
interface Session {
  source: string;
  kind: "recording" | "example";
  pairs: Pair[];
  /** Everything the session's requests and responses mention: seeds identities and state. */
  text: string;
  /** For spec examples: puts the state the example's response presupposes. */
  prepare?: (emu: RunningEmulator, ctx: SessionContext) => void;
  /** For spec examples: seed entries the example presupposes (the marketplace catalog). */
  seedExtra?: Partial<EmulatorSeed>;
}
interface SessionContext {
  customerTenant: string;
  callerOid: string;
  palIdentity?: { tenantId: string; objectId: string };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const GUIDISH = /\b[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{11,12}\b/gi;
const HEX_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Spec examples carry placeholder IDs that are not GUIDs ("...-a144ahf49dea"): map each to a stable real GUID. */
function fixGuids(text: string): string {
  return text.replace(GUIDISH, (g) => {
    if (HEX_GUID.test(g)) return g;
    const h = createHash("sha1").update(g).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  });
}

/** Host removed; the path is sent as recorded (PowerShell's `//subscriptions/...` included). */
function pathOf(uri: string): string {
  return uri.replace(/^https?:\/\/[^/]+/i, "");
}

function headerNames(h: Record<string, unknown> | undefined): string[] {
  return Object.keys(h ?? {}).map((k) => k.toLowerCase()).filter((k) => LRO_HEADERS.includes(k));
}

function rateLimitNames(h: Record<string, unknown> | undefined): string[] {
  return Object.keys(h ?? {}).map((k) => k.toLowerCase()).filter((k) => RATE_LIMIT_HEADER.test(k));
}

function parseJson(s: string | undefined | null): unknown {
  if (s === undefined || s === null || s.trim() === "") return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

// ---- loading -------------------------------------------------------------------------------------

function loadPowerShell(file: string): Session {
  const d = JSON.parse(readFileSync(file, "utf8"));
  const pairs: Pair[] = d.Entries.map((e: any) => ({
    source: file,
    method: e.RequestMethod,
    uri: pathOf(e.RequestUri),
    body: e.RequestBody || undefined,
    expected: [{ status: e.StatusCode, headers: headerNames(e.ResponseHeaders), rateLimit: rateLimitNames(e.ResponseHeaders), body: parseJson(e.ResponseBody) }],
  }));
  return { source: file, kind: "recording", pairs, text: readFileSync(file, "utf8") };
}

function loadCliYaml(file: string): Session {
  const d = YAML.parse(readFileSync(file, "utf8"));
  const pairs: Pair[] = d.interactions.map((i: any) => ({
    source: file,
    method: i.request.method,
    uri: pathOf(i.request.uri),
    body: i.request.body ?? undefined,
    expected: [{ status: i.response.status.code, headers: headerNames(i.response.headers), rateLimit: rateLimitNames(i.response.headers), body: parseJson(i.response.body?.string) }],
  }));
  return { source: file, kind: "recording", pairs, text: readFileSync(file, "utf8") };
}

function loadExample(file: string): Session | undefined {
  const raw = fixGuids(readFileSync(file, "utf8")).replace(/"subscription\//g, '"subscriptions/');
  const ex = JSON.parse(raw);
  const p = ex.parameters ?? {};
  const name = path.basename(file, ".json");
  const api = p["api-version"];
  const q = new URLSearchParams({ "api-version": api });
  if (p.$filter) q.set("$filter", fixGuids(decodeURIComponent(String(p.$filter).replace(/\+/g, " ")).replace(/^\$filter=/, "")));
  const scope = p.scope ? "/" + String(p.scope).replace(/^\//, "") : "";
  const expected: Expected[] = Object.entries(ex.responses ?? {}).map(([status, r]: [string, any]) => ({
    status: Number(status),
    headers: headerNames(r.headers),
    body: r.body,
  }));
  const body = p.requestBody === undefined ? undefined : JSON.stringify(p.requestBody);
  let method: string;
  let uri: string;
  let prepare: Session["prepare"];
  const okBody = (expected.find((e) => e.status === 200)?.body ?? {}) as any;

  if (api === "2018-02-01") {
    if (name === "GetOperations") [method, uri] = ["GET", "/providers/Microsoft.ManagementPartner/operations"];
    else {
      method = { Put: "PUT", Patch: "PATCH", Get: "GET", Delete: "DELETE" }[/^(Put|Patch|Get|Delete)/.exec(name)![1]!]!;
      uri = `/providers/Microsoft.ManagementPartner/partners${p.partnerId ? `/${p.partnerId}` : ""}`;
      if (method !== "PUT")
        prepare = (emu, ctx) => {
          const now = new Date().toISOString();
          const id = ctx.palIdentity!;
          const partnerName = okBody.properties?.partnerName;
          emu.state.putLink({ ...id, partnerId: okBody.properties?.partnerId ?? p.partnerId, ...(partnerName ? { partnerName } : {}), version: 1, createdTime: now, updatedTime: now, state: "Active" });
        };
    }
    return { source: file, kind: "example", text: raw, prepare, pairs: [{ source: file, method, uri: `${uri}?${q}`, body, expected }] };
  }

  const m = /^(Put|Get|Delete)(Marketplace)?Registration(Definition|Assignment)(s)?/.exec(name);
  if (/^GetOperations/.test(name)) [method, uri] = ["GET", `${scope}/providers/Microsoft.ManagedServices/operations`];
  else if (m) {
    method = m[1]!.toUpperCase();
    const kind = m[2] ? "marketplaceRegistrationDefinitions" : m[3] === "Definition" ? "registrationDefinitions" : "registrationAssignments";
    const id = p.registrationDefinitionId ?? p.registrationAssignmentId ?? p.marketplaceIdentifier;
    uri = `${scope}/providers/Microsoft.ManagedServices/${kind}${m[4] || !id ? "" : `/${id}`}`;
    const items: any[] = okBody.value ?? (okBody.properties ? [okBody] : []);
    if (kind === "registrationAssignments" && items.some((a) => a.properties?.registrationDefinition)) q.set("$expandRegistrationDefinition", "true");
    const sub = /^\/subscriptions\/([^/]+)/.exec(scope)?.[1];
    if (kind === "marketplaceRegistrationDefinitions") {
      // The catalog the example's answer comes from, under the identifier the request names.
      const wanted = p.marketplaceIdentifier ?? /planIdentifier eq '([^']+)'/.exec(q.get("$filter") ?? "")?.[1];
      const offers = items.map((o, i) => {
        const parts = i === 0 && wanted ? String(wanted).split(".") : undefined;
        const plan = parts ? { publisher: parts[0]!, product: parts[1]!, name: parts[2]!, version: parts.slice(3).join(".") } : o.plan;
        return { ...o.properties, plan };
      });
      const session: Session = { source: file, kind: "example", text: raw, seedExtra: { marketplaceOffers: offers }, pairs: [{ source: file, method, uri: `${uri}?${q}`, body, expected }] };
      return session;
    }
    prepare = (emu) => {
      if (!sub) return;
      const defOf = (d: any, defId: string) =>
        emu.state.putDefinition({
          id: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}`,
          subscriptionId: sub,
          name: defId,
          properties: writable(d?.properties ?? { managedByTenantId: "0000abcd-0000-4000-8000-000000000001", authorizations: [] }),
          ...(d?.plan ? { plan: d.plan } : {}),
          ...(d?.systemData ? { systemData: d.systemData } : {}),
        });
      if (kind === "registrationDefinitions" && method !== "PUT") {
        if (method === "DELETE") defOf(undefined, id);
        items.forEach((d) => defOf(d, d.name));
      }
      if (kind === "registrationAssignments") {
        const put = (asgName: string, a: any) => {
          const defId = String(a?.properties?.registrationDefinitionId ?? `x/${asgName}`).split("/").pop()!;
          defOf(a?.properties?.registrationDefinition, defId);
          emu.state.putAssignment({
            id: `${scope}/providers/Microsoft.ManagedServices/registrationAssignments/${asgName}`,
            scope,
            subscriptionId: sub,
            name: asgName,
            registrationDefinitionId: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}`,
            provisioningState: "Succeeded",
            ...(a?.systemData ? { systemData: a.systemData } : {}),
          });
        };
        if (method === "PUT") defOf(undefined, String(p.requestBody.properties.registrationDefinitionId).split("/").pop()!);
        else if (method === "DELETE") put(id, undefined);
        else if (id) put(id, items[0]);
        else items.forEach((a) => put(a.name, a));
      }
    };
  } else return undefined;
  return { source: file, kind: "example", text: raw, prepare, pairs: [{ source: file, method, uri: `${uri}?${q}`, body, expected }] };
}

/**
 * What a client writes: the example's read-only properties (spec 2022-10-01 RegistrationDefinitionProperties:
 * provisioningState, manageeTenantId, manageeTenantName, managedByTenantName) are left out of the state put in
 * place, so the emulator must produce them itself rather than echo them back.
 */
function writable(props: Record<string, unknown>): Record<string, unknown> {
  const out = { ...props };
  for (const k of ["provisioningState", "manageeTenantId", "manageeTenantName", "managedByTenantName"]) delete out[k];
  return out;
}

function loadSessions(): Session[] {
  const files = walk(ROOT).filter((f) => /managementpartner|managedservices/i.test(f));
  const out: Session[] = [];
  for (const f of files.sort()) {
    if (/SessionRecords/.test(f) && f.endsWith(".json")) out.push(loadPowerShell(f));
    else if (/recordings/.test(f) && /\.ya?ml$/.test(f)) out.push(loadCliYaml(f));
    else if (/examples/.test(f) && f.endsWith(".json")) {
      const s = loadExample(f);
      if (s) out.push(s);
    }
  }
  return out;
}

// ---- seeding ------------------------------------------------------------------------------------

const CALLER_APP = "0000abcd-0000-4000-8000-0000000000a1";

function seedFor(session: Session): { seed: EmulatorSeed; ctx: SessionContext } {
  const text = session.text;
  const subs = new Set([...text.matchAll(/subscriptions\/([0-9a-f-]{36})/gi)].map((m) => m[1]!.toLowerCase()));
  const grab = (key: string): string[] => [...text.matchAll(new RegExp(`\\\\?"${key}\\\\?"\\s*:\\s*\\\\?"([^"\\\\]+)`, "g"))].map((m) => m[1]!);
  const managing = new Map<string, string>();
  const mbt = grab("managedByTenantId");
  const mbtName = grab("managedByTenantName")[0];
  for (const t of mbt) if (HEX_GUID.test(t)) managing.set(t.toLowerCase(), mbtName ?? "Managing tenant");
  const customerTenant = (grab("manageeTenantId").find((t) => HEX_GUID.test(t)) ?? "0000c0c0-0000-4000-8000-000000000001").toLowerCase();
  const customerName = grab("manageeTenantName")[0] ?? "Customer tenant";
  const palTenant = grab("tenantId").find((t) => HEX_GUID.test(t) && !managing.has(t.toLowerCase()) && t.toLowerCase() !== customerTenant);
  const palObject = grab("objectId").find((t) => HEX_GUID.test(t));
  const partnerName = grab("partnerName")[0];
  const partnerIds = new Set([...text.matchAll(/partners\/(\d+)/gi)].map((m) => m[1]!));
  const tenants = new Map<string, string>([[customerTenant, customerName], ...managing]);
  const principals: EmulatorSeed["principals"] = [];
  const callerOid = "0000abcd-0000-4000-8000-000000000001";
  principals.push({ objectId: callerOid, tenantId: customerTenant, type: "ServicePrincipal", displayName: "Recorded caller (subscription owner)", appId: CALLER_APP });
  let palIdentity: SessionContext["palIdentity"];
  if (/ManagementPartner/i.test(session.source)) {
    const tenantId = (palTenant ?? "0000dddd-0000-4000-8000-000000000001").toLowerCase();
    const objectId = (palObject ?? "0000dddd-0000-4000-8000-000000000002").toLowerCase();
    if (!tenants.has(tenantId)) tenants.set(tenantId, "Partner tenant");
    principals.push({ objectId, tenantId, type: "ServicePrincipal", displayName: "Recorded PAL identity", appId: "0000dddd-0000-4000-8000-0000000000a1" });
    palIdentity = { tenantId, objectId };
  }
  const seed: EmulatorSeed = {
    tenants: [...tenants].map(([tenantId, displayName]) => ({ tenantId, displayName })),
    principals,
    subscriptions: [...subs].map((subscriptionId) => ({ subscriptionId, tenantId: customerTenant, displayName: "Recorded subscription", owners: [callerOid] })),
    ...(partnerName ? { partners: [...partnerIds].map((partnerId) => ({ partnerId, partnerName })) } : {}),
    ...(session.seedExtra ?? {}),
  };
  for (const o of seed.marketplaceOffers ?? []) if (!tenants.has(o.managedByTenantId.toLowerCase())) seed.tenants.push({ tenantId: o.managedByTenantId, displayName: "Publisher tenant" });
  return { seed, ctx: { customerTenant, callerOid, palIdentity } };
}

// ---- replay and compare ------------------------------------------------------------------------

function request(emu: RunningEmulator, method: string, uri: string, token: string, body?: string): Promise<{ status: number; headers: string[]; raw: Record<string, unknown>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      emu.url + uri,
      { method, ca: emu.caCertPem, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) } },
      (res) => {
        let t = "";
        res.on("data", (c) => (t += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: headerNames(res.headers as Record<string, unknown>), raw: res.headers as Record<string, unknown>, body: parseJson(t) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function typeOf(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** Keys/types of `expected` that `actual` lacks or types differently (extra keys in `actual` are allowed). */
export function shapeDiff(expected: unknown, actual: unknown, at = "$"): string[] {
  if (expected === undefined) return [];
  const te = typeOf(expected);
  const ta = typeOf(actual);
  if (te !== ta) return [`${at}: expected ${te}, got ${ta}`];
  if (te === "array") {
    const e = expected as unknown[];
    const a = actual as unknown[];
    // Compare each expected element with the answer's element of the same name (lists need not keep order).
    return e.flatMap((x, i) => {
      const name = (x as { name?: unknown } | null)?.name;
      const match = a.find((y) => name !== undefined && (y as { name?: unknown } | null)?.name === name) ?? a[Math.min(i, a.length - 1)];
      return a.length ? shapeDiff(x, match, `${at}[${i}]`) : [];
    });
  }
  if (te === "object") {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((k) => (k in a ? shapeDiff(e[k], a[k], `${at}.${k}`) : [`${at}.${k}: missing`]));
  }
  return [];
}

interface Outcome {
  source: string;
  request: string;
  ok: boolean;
  why: string[];
}

async function replay(session: Session): Promise<Outcome[]> {
  const { seed, ctx } = seedFor(session);
  // Throttling on (Azure's bucket sizes; no session comes near them) so the x-ms-ratelimit-remaining-* headers are answered.
  const emu = await startEmulator({ seed, lro: { pollsUntilDone: 1, retryAfterSeconds: 15 } });
  const outcomes: Outcome[] = [];
  try {
    session.prepare?.(emu, ctx);
    let lastOperation: string | undefined;
    for (const pair of session.pairs) {
      let uri = pair.uri;
      if (/\/operationStatuses\//i.test(uri) && lastOperation) uri = lastOperation;
      const caller = /managementpartner/i.test(uri) && ctx.palIdentity ? ctx.palIdentity.objectId : ctx.callerOid;
      const got = await request(emu, pair.method, uri, emu.tokenFor(caller), pair.body);
      const op = (got.raw["azure-asyncoperation"] ?? got.raw["location"]) as string | undefined;
      if (op) lastOperation = op.replace(emu.url, "");
      const exp = pair.expected.find((e) => e.status === got.status);
      const why: string[] = [];
      if (!exp) why.push(`status ${got.status}, expected ${pair.expected.map((e) => e.status).join("|")}`);
      else {
        for (const h of exp.headers) if (!got.headers.includes(h)) why.push(`header ${h} missing`);
        // An LRO header the recording lacks changes how a client polls (Azure-AsyncOperation vs Location);
        // an extra Retry-After does not (the Azure CLI recording dropped it where PowerShell's kept it).
        if (session.kind === "recording")
          for (const h of got.headers) if (h !== "retry-after" && !exp.headers.includes(h)) why.push(`header ${h} not in the recording`);
        // Which ARM bucket the request drew on (client-side rate limiters read these names).
        for (const h of exp.rateLimit ?? []) if (!(h in got.raw)) why.push(`header ${h} missing (got ${Object.keys(got.raw).filter((k) => RATE_LIMIT_HEADER.test(k)).join(", ") || "none"})`);
        why.push(...shapeDiff(exp.body, got.body));
      }
      outcomes.push({ source: path.relative(ROOT, session.source), request: `${pair.method} ${pair.uri.split("?")[0]}`, ok: why.length === 0, why });
    }
  } finally {
    await emu.stop();
  }
  return outcomes;
}

/**
 * Floor: every pair matches except the 3 listed in emulator/README.md ("Contract suite: accepted
 * mismatches"): ManagementPartner spec examples whose `version` is a string where the spec's schema and
 * Azure's recorded answers (and the emulator) have an integer. Lower the number when a mismatch is fixed.
 */
const ACCEPTED_MISMATCHES = 3;

const present = existsSync(ROOT);
if (!present) {
  test("contract data", () => {
    console.log(`contract: skipped, ${ROOT} is absent (CI has it; see emulator/README.md)`);
    expect(existsSync(ROOT)).toBe(false);
  });
} else {
  test("recorded Azure traffic and spec examples replay against the emulator", async () => {
    const sessions = loadSessions();
    const outcomes: Outcome[] = [];
    for (const s of sessions) outcomes.push(...(await replay(s)));
    const matched = outcomes.filter((o) => o.ok).length;
    const lines = [`contract: ${matched} of ${outcomes.length} request/response pairs match`];
    for (const o of outcomes.filter((x) => !x.ok)) lines.push(`  mismatch ${o.source} ${o.request}: ${o.why.join("; ")}`);
    console.log(lines.join("\n"));
    expect(sessions.length).toBeGreaterThanOrEqual(30);
    expect(outcomes.length).toBeGreaterThanOrEqual(60);
    expect(matched).toBeGreaterThanOrEqual(outcomes.length - ACCEPTED_MISMATCHES);
  });
}
