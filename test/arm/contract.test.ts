/**
 * Client contract: Azure's recorded RESPONSES (PowerShell SessionRecords, az CLI recordings, REST spec examples for
 * Microsoft.ManagementPartner 2018-02-01 and Microsoft.ManagedServices 2022-10-01) are fed to the ARM layer through
 * the SDK's `httpClient` seam; the pipeline (identity sign-in, bearer policy, deserialization, core-lro) is real.
 * Each recorded session is replayed call by call, as the original client made it; every response served to a call
 * must come back as the right typed result.
 */
import * as fs from "node:fs";
import {
  ArmError,
  createPartnerLink,
  createRegistrationAssignment,
  deletePartnerLink,
  deleteRegistrationAssignment,
  deleteRegistrationDefinition,
  getCurrentPartnerLink,
  getPartnerLink,
  getRegistrationAssignment,
  getRegistrationDefinition,
  listRegistrationAssignments,
  listRegistrationDefinitions,
  putRegistrationDefinition,
  updatePartnerLink,
  type ArmConnection,
  type PartnerLinkInfo,
  type RegistrationAssignment,
  type RegistrationDefinition,
  type RegistrationDefinitionBody,
} from "../../arm";
import { azCliSessions, CONTRACT_DIR, powershellSessions, specExampleSessions, type Session } from "./recordings";
import { CALLER, normPath, ReplayHttpClient, type RecordedExchange } from "./replay-http-client";

type Obj = Record<string, any>;

const PAL_ONE = /\/providers\/microsoft\.managementpartner\/partners\/([^/]+)$/i;
const PAL_CURRENT = /\/providers\/microsoft\.managementpartner\/partners$/i;
const MS = /^(\/subscriptions\/[^/]+(?:\/resourceGroups\/[^/]+)?)\/providers\/Microsoft\.ManagedServices\/(registrationDefinitions|registrationAssignments)(?:\/([^/]+))?$/i;

function pathOf(url: string): string {
  return new URL(url).pathname.replace(/\/{2,}/g, "/").replace(/\/$/, "");
}
const json = (s: string): Obj | undefined => (s && s.trim() ? (JSON.parse(s) as Obj) : undefined);

function connection(http: ReplayHttpClient): ArmConnection {
  return {
    credential: { kind: "clientSecret", tenantId: CALLER.tenantId, clientId: CALLER.appId, clientSecret: "contract-test-secret-value" },
    authorityHost: "https://login.contract.test",
    httpClient: http,
    retry: { maxRetries: 0 },
  };
}

/** JSON with sorted keys: key order in a recorded body does not matter. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

function expectEqual(what: string, got: unknown, want: unknown): void {
  if (canonical(got) !== canonical(want)) throw new Error(`${what}: got ${JSON.stringify(got)}, recorded ${JSON.stringify(want)}`);
}

function checkPartner(r: PartnerLinkInfo | undefined, body: Obj | undefined): void {
  if (!body) throw new Error("recorded PAL answer has no body");
  if (!r) throw new Error("got undefined for a recorded link");
  const p = body.properties ?? {};
  expectEqual("partnerId", r.partnerId, p.partnerId);
  expectEqual("objectId", r.objectId, p.objectId);
  expectEqual("tenantId", r.tenantId, p.tenantId);
  if (body.etag !== undefined) expectEqual("etag", r.etag, Number(body.etag));
  if (p.version !== undefined) expectEqual("version", r.version, Number(p.version));
  expectEqual("state", r.state, p.state);
}

function checkDefinition(r: RegistrationDefinition, body: Obj): void {
  const p = body.properties;
  if (body.id) expectEqual("id", r.id, body.id);
  expectEqual("managedByTenantId", r.managedByTenantId, p.managedByTenantId);
  expectEqual("authorizations", r.authorizations.map((a) => [a.principalId, a.roleDefinitionId]), p.authorizations.map((a: Obj) => [a.principalId, a.roleDefinitionId]));
  expectEqual("eligibleAuthorizations", (r.eligibleAuthorizations ?? []).length, (p.eligibleAuthorizations ?? []).length);
  if (p.provisioningState) expectEqual("provisioningState", r.provisioningState, p.provisioningState);
  if (body.plan) expectEqual("plan", r.plan, body.plan);
}

function checkAssignment(r: RegistrationAssignment, body: Obj): void {
  if (body.id) expectEqual("id", r.id, body.id);
  expectEqual("registrationDefinitionId", r.registrationDefinitionId, body.properties.registrationDefinitionId);
  const rd = body.properties.registrationDefinition;
  expectEqual("expanded definition", r.registrationDefinition !== undefined, Boolean(rd?.properties));
  if (rd?.properties) expectEqual("expanded managedByTenantId", r.registrationDefinition?.managedByTenantId, rd.properties.managedByTenantId);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The latest GET of `path` served during the call (a final LRO GET), else the initial answer. */
function finalBody(served: RecordedExchange[], path: string, initial: RecordedExchange): Obj | undefined {
  const gets = served.filter((e) => e.method === "GET" && normPath(e.url) === normPath(`https://management.azure.com${path}`));
  return json((gets[gets.length - 1] ?? initial).body);
}

/** Make the call the recorded request stands for; resolve when the result matches the recorded answer. */
async function replayCall(ex: RecordedExchange, conn: ArmConnection, http: ReplayHttpClient): Promise<void> {
  const before = http.served.length;
  const served = () => http.served.slice(before);
  const polled = (url: string) => http.requests.includes(`GET ${normPath(url)}`);
  const path = pathOf(ex.url);
  const query = new URL(ex.url).searchParams;
  const body = json(ex.body);
  const expectFailure = ex.status >= 400;
  const run = async () => {
    let m = PAL_ONE.exec(path);
    if (m) {
      const id = m[1];
      if (ex.method === "GET") return checkPartner(await getPartnerLink(conn, id), body);
      if (ex.method === "PUT") return checkPartner(await createPartnerLink(conn, id), body);
      if (ex.method === "PATCH") return checkPartner(await updatePartnerLink(conn, id), body);
      if (ex.method === "DELETE") return deletePartnerLink(conn, id);
    }
    if (PAL_CURRENT.test(path) && ex.method === "GET") return checkPartner(await getCurrentPartnerLink(conn), body);
    m = MS.exec(path);
    if (!m) throw new Error(`no ARM-layer call for ${ex.method} ${path}`);
    const [, scope, kind, id] = m;
    const sub = scope.split("/")[2];
    const expand = query.get("$expandRegistrationDefinition") === "true";
    const reqBody = (typeof ex.requestBody === "string" ? json(ex.requestBody) : (ex.requestBody as Obj | undefined)) ?? {};
    if (/definitions/i.test(kind)) {
      if (!id && ex.method === "GET") {
        const list = await collect(listRegistrationDefinitions(conn, scope));
        expectEqual("count", list.length, body!.value.length);
        return list.forEach((d, i) => checkDefinition(d, body!.value[i]));
      }
      if (ex.method === "GET") return checkDefinition((await getRegistrationDefinition(conn, sub, id))!, body!);
      if (ex.method === "PUT") {
        const p = reqBody.properties ?? {};
        const def: RegistrationDefinitionBody = { ...p, ...(reqBody.plan ? { plan: reqBody.plan } : {}) };
        const r = await putRegistrationDefinition(conn, sub, id, def, { updateIntervalInMs: 0 });
        return checkDefinition(r, finalBody(served(), path, ex)!);
      }
      if (ex.method === "DELETE") return deleteRegistrationDefinition(conn, sub, id);
    } else {
      if (!id && ex.method === "GET") {
        const list = await collect(listRegistrationAssignments(conn, scope, { expandDefinition: expand }));
        expectEqual("count", list.length, body!.value.length);
        return list.forEach((a, i) => checkAssignment(a, body!.value[i]));
      }
      if (ex.method === "GET") return checkAssignment((await getRegistrationAssignment(conn, scope, id, { expandDefinition: expand }))!, body!);
      if (ex.method === "PUT") {
        const progress: string[] = [];
        const r = await createRegistrationAssignment(conn, scope, id, reqBody.properties?.registrationDefinitionId ?? `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${id}`, {
          updateIntervalInMs: 0,
          onProgress: (s) => progress.push(s.status),
        });
        const asyncUrl = ex.headers["azure-asyncoperation"];
        if (asyncUrl && !polled(asyncUrl)) throw new Error("the Azure-AsyncOperation URL was never polled");
        if (asyncUrl && !progress.length) throw new Error("onProgress was never called while polling");
        return checkAssignment(r, finalBody(served(), path, ex)!);
      }
      if (ex.method === "DELETE") {
        await deleteRegistrationAssignment(conn, scope, id, { updateIntervalInMs: 0 });
        if (ex.status === 202 && ex.headers["location"] && !polled(ex.headers["location"])) throw new Error("the Location URL was never polled");
        return;
      }
    }
    throw new Error(`no ARM-layer call for ${ex.method} ${path}`);
  };
  try {
    await run();
    if (expectFailure) throw new Error(`expected an ArmError for recorded status ${ex.status}`);
  } catch (err) {
    if (expectFailure && err instanceof ArmError && err.statusCode === ex.status) return;
    throw err;
  }
}

/** Glue for the spec example 202 (its Location URL is elided with "..."): not recorded, never counted. */
function pollGlue(req: { method: string; url: string }): RecordedExchange | undefined {
  if (req.method === "GET" && /operationStatuses/i.test(req.url)) {
    return { source: "glue", method: "GET", url: req.url, status: 200, headers: { "content-type": "application/json" }, body: '{"status":"Succeeded"}', synthetic: true };
  }
  return undefined;
}

interface Outcome {
  total: number;
  parsed: Set<RecordedExchange>;
  failures: string[];
}

async function replaySession(s: Session, out: Outcome): Promise<void> {
  const http = new ReplayHttpClient(s.exchanges, pollGlue);
  const conn = connection(http);
  out.total += s.exchanges.length;
  for (const ex of s.exchanges) {
    if (/\/operationStatuses\//i.test(ex.url)) continue; // served to the LRO that made it
    if (http.served.includes(ex)) continue; // already served (a final LRO GET)
    const before = http.served.length;
    try {
      await replayCall(ex, conn, http);
      for (const e of http.served.slice(before)) out.parsed.add(e);
      if (!http.served.slice(before).includes(ex)) out.failures.push(`${ex.source}: the call never requested ${ex.method} ${pathOf(ex.url)}`);
    } catch (err) {
      out.failures.push(`${ex.source} ${ex.method} ${pathOf(ex.url)}: ${(err as Error).message}`);
    }
  }
  // A recorded client may have polled more often than ours needs (it saw Succeeded already): replay each such poll
  // answer on its own after the request that started the operation, so it is parsed too.
  for (const poll of http.remaining().filter((e) => /\/operationStatuses\//i.test(e.url))) {
    const starter = [...s.exchanges.slice(0, s.exchanges.indexOf(poll))]
      .reverse()
      .find((e) => [e.headers["azure-asyncoperation"], e.headers["location"]].some((u) => u && normPath(u) === normPath(poll.url)));
    if (!starter) continue;
    const mini = new ReplayHttpClient([starter, poll], pollGlue);
    try {
      await replayCall(starter, connection(mini), mini);
      if (mini.served.includes(poll)) out.parsed.add(poll);
    } catch (err) {
      out.failures.push(`${poll.source}: replayed after ${starter.source}: ${(err as Error).message}`);
    }
  }
  for (const e of http.remaining()) if (!out.parsed.has(e)) out.failures.push(`${e.source}: never requested by the client (${e.method} ${pathOf(e.url)})`);
  if (http.unmatched.length) out.failures.push(`${s.name}: requests with no recorded answer: ${http.unmatched.join(", ")}`);
}

const haveContract = fs.existsSync(CONTRACT_DIR);

if (!haveContract) {
  test("client contract: recorded Azure traffic not present", () => {
    console.log(`client contract: ${CONTRACT_DIR} is absent, the recorded-response contract was not run`);
    expect(fs.existsSync(CONTRACT_DIR)).toBe(false);
  });
} else {
  test("client contract: every recorded ARM response parses into the right typed result", async () => {
    const examples = specExampleSessions();
    const sessions = [...powershellSessions(), ...azCliSessions(), ...examples.sessions];
    const excluded = [...sessions.flatMap((s) => s.excluded), ...examples.excluded];
    const out: Outcome = { total: 0, parsed: new Set(), failures: [] };
    for (const s of sessions) await replaySession(s, out);
    const n = [...out.parsed].filter((e) => !e.synthetic).length;
    console.log(
      `client contract: ${n} of ${out.total} recorded responses parsed as expected ` +
        `(${sessions.length} sessions; ${excluded.length} left out: Entra instance discovery and operations partnerlink does not call)` +
        (out.failures.length ? `\n  ${out.failures.join("\n  ")}` : ""),
    );
    expect(out.failures).toEqual([]);
    expect(n).toBe(out.total);
    expect(out.total).toBeGreaterThanOrEqual(40);
  });
}
