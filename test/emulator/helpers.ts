/** Shared helpers for the emulator tests: the demo seed's identities, real SDK clients over https. */
import { ServiceClient } from "@azure/core-client";
import { createHttpPoller, type OperationState } from "@azure/core-lro";
import { createHttpHeaders, createPipelineRequest, type HttpMethods } from "@azure/core-rest-pipeline";
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import type { RunningEmulator } from "../../emulator";

export const PARTNER_TENANT = "11111111-1111-4111-8111-111111111111";
export const PROVIDER_SP = { objectId: "1a000000-0000-4000-8000-000000000001", appId: "1a000000-0000-4000-8000-0000000000a1", secret: "fake-emulator-secret-provider-automation" };
export const ADMIN_GROUP = "1a000000-0000-4000-8000-000000000002";
export const PARTNER_USER = "1a000000-0000-4000-8000-000000000003";
export const FABRIKAM = {
  tenantId: "22222222-2222-4222-8222-222222222222",
  subscriptionId: "2b5b0000-0000-4000-8000-000000000001",
  deployer: { objectId: "2b000000-0000-4000-8000-000000000001", appId: "2b000000-0000-4000-8000-0000000000a1", secret: "fake-emulator-secret-fabrikam-deployer" },
};
export const NORTHWIND = {
  tenantId: "33333333-3333-4333-8333-333333333333",
  subscriptionId: "3c5b0000-0000-4000-8000-000000000001",
  deployer: { objectId: "3c000000-0000-4000-8000-000000000001", appId: "3c000000-0000-4000-8000-0000000000a1", secret: "fake-emulator-secret-northwind-deployer" },
};
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
export const ARM_SCOPE = "https://management.azure.com/.default";

export function secretCredential(emu: RunningEmulator, tenantId: string, appId: string, secret: string): ClientSecretCredential {
  // tlsOptions is a pipeline option @azure/identity passes to its HTTP client (MSAL's network calls go through it).
  return new ClientSecretCredential(tenantId, appId, secret, { authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
}

/** A core-client ServiceClient on the emulator with the standard ARM pipeline (bearer token, retries). */
export function armClient(emu: RunningEmulator, credential: TokenCredential): ServiceClient {
  return new ServiceClient({ endpoint: emu.url, credential, credentialScopes: [ARM_SCOPE], tlsOptions: { ca: emu.caCertPem } });
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export async function send(client: ServiceClient, emu: RunningEmulator, method: HttpMethods, pathAndQuery: string, body?: unknown): Promise<Answer> {
  const url = pathAndQuery.startsWith("https://") ? pathAndQuery : emu.url + pathAndQuery;
  const req = createPipelineRequest({
    url,
    method,
    headers: createHttpHeaders(body === undefined ? {} : { "Content-Type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const res = await client.sendRequest(req);
  const text = res.bodyAsText ?? "";
  return { status: res.status, headers: res.headers.toJSON(), body: text ? JSON.parse(text) : undefined };
}

/** Runs a long-running PUT/DELETE through @azure/core-lro's createHttpPoller; returns the final state and every poll answer. */
export async function runLro(
  client: ServiceClient,
  emu: RunningEmulator,
  method: "PUT" | "DELETE",
  pathAndQuery: string,
  body?: unknown,
): Promise<{ initial: Answer; polls: Answer[]; state: OperationState<unknown> }> {
  let initial: Answer | undefined;
  const polls: Answer[] = [];
  const adapt = (a: Answer, m: string, url: string) => ({
    flatResponse: a.body,
    rawResponse: { statusCode: a.status, request: { method: m, url }, headers: a.headers, body: a.body },
  });
  const poller = createHttpPoller<unknown, OperationState<unknown>>(
    {
      sendInitialRequest: async () => {
        initial = await send(client, emu, method, pathAndQuery, body);
        return adapt(initial, method, emu.url + pathAndQuery);
      },
      sendPollRequest: async (path: string) => {
        const a = await send(client, emu, "GET", path);
        polls.push(a);
        return adapt(a, "GET", path);
      },
    },
    // First poll after 50 ms (core-lro waits 2 s by default before using the answers' Retry-After); keeps tests fast.
    { resolveOnUnsuccessful: true, intervalInMs: 50 },
  );
  await poller.pollUntilDone();
  return { initial: initial!, polls, state: poller.operationState! };
}

export const defPath = (sub: string, id: string, api = "2022-10-01"): string =>
  `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${id}?api-version=${api}`;
export const asgPath = (scope: string, id: string, api = "2022-10-01"): string =>
  `${scope}/providers/Microsoft.ManagedServices/registrationAssignments/${id}?api-version=${api}`;

export function definitionBody(overrides: Record<string, unknown> = {}): { properties: Record<string, unknown> } {
  return {
    properties: {
      registrationDefinitionName: "Contoso managed services",
      description: "test offer",
      managedByTenantId: PARTNER_TENANT,
      authorizations: [{ principalId: PROVIDER_SP.objectId, principalIdDisplayName: "Provider Automation Account", roleDefinitionId: CONTRIBUTOR }],
      ...overrides,
    },
  };
}
