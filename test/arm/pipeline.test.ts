/**
 * What the SDK pipeline puts on the wire, observed through the `httpClient` seam with the real Node transport
 * underneath (every request still goes to the emulator over https): token endpoint, bearer token, api-versions,
 * User-Agent with the attribution suffix, client request IDs.
 */
import { createDefaultHttpClient, type HttpClient, type PipelineRequest, type PipelineResponse } from "@azure/core-rest-pipeline";
import { createRegistrationAssignment, getCurrentPartnerLink, listRegistrationAssignments, listSubscriptions } from "../../arm";
import type { RunningEmulator } from "../../emulator";
import { PARTNER_TENANT, SUB, automationCredential, connect, deployerCredential, startTestEmulator } from "./fixture";
import { CALLER, ReplayHttpClient } from "./replay-http-client";

class ObservingHttpClient implements HttpClient {
  readonly seen: { method: string; url: string; headers: Record<string, string> }[] = [];
  private readonly inner = createDefaultHttpClient();
  sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
    this.seen.push({ method: request.method, url: request.url, headers: request.headers.toJSON() });
    return this.inner.sendRequest(request);
  }
}

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.stop());

const PID = "pid-2d9b7a1e-3f0c-4c7e-9a51-6b0e8f1c2d3a";

test("PAL through the generated client: token from the authority, bearer token, api-version 2018-02-01, attribution in the User-Agent", async () => {
  const http = new ObservingHttpClient();
  await getCurrentPartnerLink(connect(emu, automationCredential, { httpClient: http, userAgentSuffix: PID }));
  const token = http.seen.find((r) => r.url.includes("/oauth2/v2.0/token"));
  expect(token && new URL(token.url).pathname).toBe(`/${PARTNER_TENANT}/oauth2/v2.0/token`);
  expect(token && new URL(token.url).origin).toBe(emu.url);
  const arm = http.seen.filter((r) => r.url.includes("/providers/Microsoft.ManagementPartner/partners"));
  expect(arm).toHaveLength(1);
  expect(new URL(arm[0].url).searchParams.get("api-version")).toBe("2018-02-01");
  expect(arm[0].headers["authorization"]).toMatch(/^Bearer \S+\.\S+\.\S+$/);
  expect(arm[0].headers["user-agent"]).toContain(`partnerlink ${PID}`);
  expect(arm[0].headers["user-agent"]).toContain("azsdk-js-arm-managementpartner/");
  expect(arm[0].headers["x-ms-client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
});

test("Lighthouse and subscriptions: api-versions 2022-10-01 and 2022-12-01, $expand and $filter on the query", async () => {
  const http = new ObservingHttpClient();
  const conn = connect(emu, deployerCredential, { httpClient: http, userAgentSuffix: PID });
  for await (const _ of listRegistrationAssignments(conn, `/subscriptions/${SUB}`, { expandDefinition: true, filter: `managedByTenantId eq '${PARTNER_TENANT}'` })) void _;
  for await (const _ of listSubscriptions(conn)) void _;
  const ms = http.seen.find((r) => r.url.includes("registrationAssignments"))!;
  const q = new URL(ms.url).searchParams;
  expect(q.get("api-version")).toBe("2022-10-01");
  expect(q.get("$expandRegistrationDefinition")).toBe("true");
  expect(q.get("$filter")).toBe(`managedByTenantId eq '${PARTNER_TENANT}'`);
  expect(ms.headers["user-agent"]).toContain(`partnerlink ${PID}`);
  const subs = http.seen.find((r) => new URL(r.url).pathname === "/subscriptions")!;
  expect(new URL(subs.url).searchParams.get("api-version")).toBe("2022-12-01");
  // One sign-in for all calls on one connection: the credential's token cache is shared.
  expect(http.seen.filter((r) => r.url.includes("/oauth2/v2.0/token"))).toHaveLength(1);
});

test("a nextLink or polling URL on another origin is refused: the bearer token never leaves the ARM endpoint", async () => {
  const sub = "5ab50000-0000-4000-8000-000000000001";
  const list = `https://management.azure.com/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationAssignments`;
  const put = `${list}/0975817e-cb8b-5561-9b71-c26f6c4ed356`;
  const http = new ReplayHttpClient([
    { source: "t", method: "GET", url: list, status: 200, headers: {}, body: JSON.stringify({ value: [], nextLink: "https://attacker.example/next?page=2" }) },
    {
      source: "t",
      method: "PUT",
      url: put,
      status: 201,
      headers: { "azure-asyncoperation": "https://attacker.example/operationStatuses/x", "retry-after": "0" },
      body: JSON.stringify({ properties: { registrationDefinitionId: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${sub}`, provisioningState: "Accepted" } }),
    },
  ]);
  const conn = { credential: { kind: "clientSecret" as const, tenantId: CALLER.tenantId, clientId: CALLER.appId, clientSecret: "x-secret-value" }, authorityHost: "https://login.contract.test", httpClient: http, retry: { maxRetries: 0 } };
  const listing = (async () => {
    for await (const _ of listRegistrationAssignments(conn, `/subscriptions/${sub}`)) void _;
  })();
  await expect(listing).rejects.toThrow(/links to https:\/\/attacker\.example, not the ARM endpoint/);
  await expect(
    createRegistrationAssignment(conn, `/subscriptions/${sub}`, "0975817e-cb8b-5561-9b71-c26f6c4ed356", `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${sub}`, { updateIntervalInMs: 0 }),
  ).rejects.toThrow(/refused/);
  expect(http.requests.some((r) => r.includes("attacker.example"))).toBe(false);
});

test("additionalPolicies run on ARM requests only, not on sign-in", async () => {
  const seen: string[] = [];
  const conn = connect(emu, deployerCredential, {
    additionalPolicies: [{ position: "perCall", policy: { name: "observe", sendRequest: (req, next) => (seen.push(new URL(req.url).pathname), next(req)) } }],
  });
  for await (const _ of listSubscriptions(conn)) void _;
  expect(seen).toEqual(["/subscriptions"]);
});
