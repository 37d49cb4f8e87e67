/**
 * Reads Azure's recorded traffic and REST spec examples from /work/shared/azure-contract (test data, never copied
 * into the repo) into sessions of RecordedExchange for the replaying HttpClient.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { RecordedExchange } from "./replay-http-client";

export const CONTRACT_DIR = process.env.PARTNERLINK_CONTRACT_DIR ?? path.resolve(__dirname, "../../../shared/azure-contract");

export interface Session {
  name: string;
  exchanges: RecordedExchange[];
  /** Non-ARM exchanges left out (Entra instance discovery), and why. */
  excluded: { what: string; why: string }[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out.sort();
}

const ARM_HOST = "https://management.azure.com";
const rel = (p: string) => path.relative(CONTRACT_DIR, p);

function flatHeaders(h: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = Array.isArray(v) ? v.map(String).join(", ") : String(v);
  return out;
}

/** Azure PowerShell SessionRecords (*.json under SessionRecords/). */
export function powershellSessions(): Session[] {
  return walk(CONTRACT_DIR)
    .filter((f) => f.includes(`${path.sep}SessionRecords${path.sep}`) && f.endsWith(".json"))
    .map((f) => {
      const d = JSON.parse(fs.readFileSync(f, "utf8")) as { Entries: Record<string, unknown>[] };
      return {
        name: rel(f),
        excluded: [],
        exchanges: d.Entries.map((e, i) => ({
          source: `${rel(f)}#${i}`,
          method: String(e.RequestMethod),
          url: /^https?:/.test(String(e.RequestUri)) ? String(e.RequestUri) : `${ARM_HOST}${String(e.RequestUri)}`,
          requestBody: e.RequestBody,
          status: Number(e.StatusCode),
          headers: flatHeaders(e.ResponseHeaders as Record<string, unknown>),
          body: typeof e.ResponseBody === "string" ? e.ResponseBody : JSON.stringify(e.ResponseBody ?? ""),
        })),
      };
    });
}

/** Azure CLI (and extension) vcr recordings (*.yaml under recordings/). */
export function azCliSessions(): Session[] {
  return walk(CONTRACT_DIR)
    .filter((f) => f.includes(`${path.sep}recordings${path.sep}`) && f.endsWith(".yaml"))
    .map((f) => {
      const d = YAML.parse(fs.readFileSync(f, "utf8")) as {
        interactions: { request: { method: string; uri: string; body?: string | null }; response: { status: { code: number }; headers?: Record<string, unknown>; body?: { string?: string } } }[];
      };
      const session: Session = { name: rel(f), excluded: [], exchanges: [] };
      d.interactions.forEach((it, i) => {
        if (!it.request.uri.startsWith(ARM_HOST)) {
          session.excluded.push({ what: `${rel(f)}#${i} ${it.request.method} ${new URL(it.request.uri).host}`, why: "Entra instance discovery, not ARM (sign-in is tested against the emulator)" });
          return;
        }
        session.exchanges.push({
          source: `${rel(f)}#${i}`,
          method: it.request.method,
          url: it.request.uri,
          requestBody: it.request.body ?? undefined,
          status: it.response.status.code,
          headers: flatHeaders(it.response.headers),
          body: it.response.body?.string ?? "",
        } as RecordedExchange);
      });
      return session;
    });
}

/** The subscription used to address spec examples (their own `scope` parameter is not a valid scope). */
export const EXAMPLE_SUBSCRIPTION = "0afefe50-734e-4610-8a82-a144acf49dea";

const EXAMPLE_OPS: Record<string, { method: string; path: (p: Record<string, string>) => string }> = {
  GetPartnerDetails: { method: "GET", path: (p) => `/providers/Microsoft.ManagementPartner/partners/${p.partnerId}` },
  GetPartnerDetailsNoPartnerId: { method: "GET", path: () => `/providers/Microsoft.ManagementPartner/partners` },
  PutPartnerDetails: { method: "PUT", path: (p) => `/providers/Microsoft.ManagementPartner/partners/${p.partnerId}` },
  PatchPartnerDetails: { method: "PATCH", path: (p) => `/providers/Microsoft.ManagementPartner/partners/${p.partnerId}` },
  DeletePartnerDetails: { method: "DELETE", path: (p) => `/providers/Microsoft.ManagementPartner/partners/${p.partnerId}` },
  GetRegistrationDefinition: { method: "GET", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions/${p.registrationDefinitionId}` },
  PutRegistrationDefinition: { method: "PUT", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions/${p.registrationDefinitionId}` },
  DeleteRegistrationDefinition: { method: "DELETE", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions/${p.registrationDefinitionId}` },
  GetRegistrationDefinitions: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions` },
  GetRegistrationDefinitionsWithManagedByTenantIdEqFilter: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions` },
  GetRegistrationDefinitionsWithManagedByTenantIdInFilter: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationDefinitions` },
  GetRegistrationAssignment: { method: "GET", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments/${p.registrationAssignmentId}?$expandRegistrationDefinition=true` },
  PutRegistrationAssignment: { method: "PUT", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments/${p.registrationAssignmentId}` },
  DeleteRegistrationAssignment: { method: "DELETE", path: (p) => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments/${p.registrationAssignmentId}` },
  GetRegistrationAssignments: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments` },
  GetRegistrationAssignmentsWithManagedByTenantIdEqFilter: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments` },
  GetRegistrationAssignmentsWithManagedByTenantIdInFilter: { method: "GET", path: () => `/subscriptions/${EXAMPLE_SUBSCRIPTION}/providers/Microsoft.ManagedServices/registrationAssignments` },
};

/** REST spec x-ms-examples: one session per (example file, response status). Duplicate copies are read once. */
export function specExampleSessions(): { sessions: Session[]; excluded: { what: string; why: string }[] } {
  const sessions: Session[] = [];
  const excluded: { what: string; why: string }[] = [];
  const seen = new Set<string>();
  for (const f of walk(CONTRACT_DIR).filter((x) => x.includes(`${path.sep}examples${path.sep}`) && x.endsWith(".json"))) {
    const text = fs.readFileSync(f, "utf8").trim();
    const base = path.basename(f, ".json");
    const key = `${f.includes("managementpartner") ? "pal" : "ms"}/${base}/${text}`;
    if (seen.has(key)) continue; // the specs repo holds some examples twice (old and new folder layout)
    seen.add(key);
    const d = JSON.parse(text) as { parameters: Record<string, unknown>; responses: Record<string, { body?: unknown; headers?: Record<string, string> }> };
    const op = EXAMPLE_OPS[base];
    if (!op) {
      excluded.push({ what: rel(f), why: "operation partnerlink does not call (operations list / marketplace definitions)" });
      continue;
    }
    for (const [status, r] of Object.entries(d.responses)) {
      sessions.push({
        name: `${rel(f)} [${status}]`,
        excluded: [],
        exchanges: [
          {
            source: `${rel(f)} [${status}]`,
            method: op.method,
            url: `${ARM_HOST}${op.path(d.parameters as Record<string, string>)}`,
            // The examples' own subscription IDs are not GUIDs (e.g. "...a144ahf49dea"): address ours.
            requestBody: d.parameters.requestBody === undefined ? undefined : JSON.parse(JSON.stringify(d.parameters.requestBody).replace(/\/subscriptions\/[^/"]+/g, `/subscriptions/${EXAMPLE_SUBSCRIPTION}`)),
            status: Number(status),
            headers: flatHeaders(r.headers),
            body: r.body === undefined ? "" : JSON.stringify(r.body),
          } as RecordedExchange,
        ],
      });
    }
  }
  return { sessions, excluded };
}
