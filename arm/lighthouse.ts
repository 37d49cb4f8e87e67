/**
 * Azure Lighthouse (Microsoft.ManagedServices, api-version 2022-10-01) over a @azure/core-client ServiceClient:
 * there is no @azure/arm-managedservices package. Paths and LRO behaviour: managedservices.json 2022-10-01
 * (registrationDefinitions_CreateOrUpdate and registrationAssignments_CreateOrUpdate/Delete are x-ms-long-running-operation;
 * recorded traffic: 201 Accepted + Azure-AsyncOperation + Retry-After: 15 for assignment create, 202 + Location for delete).
 */
import { parseGuid, parseRegistrationDefinitionId, parseScope, type Scope } from "../rules/identifiers";
import { armClient, runArm, sendJson, type CallOptions } from "./client";
import type { ArmConnection } from "./connection";
import { ArmError, invalidInput } from "./errors";
import {
  MANAGED_SERVICES_API_VERSION as API,
  type RegistrationAssignment,
  type RegistrationDefinition,
  type RegistrationDefinitionBody,
} from "./lighthouse-types";
import { runLro, type LroOptions } from "./lro";
import { pageAll } from "./paging";
import { toRegistrationAssignment, toRegistrationDefinition } from "./lighthouse-parse";

const DEFS = "providers/Microsoft.ManagedServices/registrationDefinitions";
const ASSIGNS = "providers/Microsoft.ManagedServices/registrationAssignments";

function scopeOf(operation: string, scope: string): Scope {
  const s = parseScope(scope);
  if (!s) {
    throw invalidInput(operation, String(scope), `scope must be "/subscriptions/<guid>" or "/subscriptions/<guid>/resourceGroups/<name>"`);
  }
  return s;
}

function guidOf(operation: string, what: string, value: string, target: string): string {
  const g = parseGuid(value);
  if (!g) throw invalidInput(operation, target, `${what} "${String(value)}" is not a GUID: use a GUID (e.g. guid(offerName) as the Lighthouse templates do)`);
  return g;
}

function subscriptionOf(operation: string, subscriptionId: string): string {
  const s = parseGuid(subscriptionId) ?? parseScope(subscriptionId)?.subscriptionId;
  if (!s) throw invalidInput(operation, String(subscriptionId), `subscriptionId must be a subscription GUID`);
  if (parseScope(subscriptionId)?.resourceGroup) {
    throw invalidInput(operation, subscriptionId, "registration definitions must be created at subscription scope (/subscriptions/<id>), not at a resource group");
  }
  return s;
}

// ---- registration definitions ----

export async function getRegistrationDefinition(
  conn: ArmConnection,
  subscriptionId: string,
  definitionId: string,
  options: CallOptions = {},
): Promise<RegistrationDefinition | undefined> {
  const op = "getRegistrationDefinition";
  const sub = subscriptionOf(op, subscriptionId);
  const id = guidOf(op, "definitionId", definitionId, `/subscriptions/${sub}/${DEFS}/${definitionId}`);
  const path = `/subscriptions/${sub}/${DEFS}/${id}`;
  const ctx = { operation: op, target: path, subscriptionId: sub };
  const res = await sendJson(conn, armClient(conn), { method: "GET", url: `${path}?api-version=${API}`, abortSignal: options.abortSignal }, ctx, [404]);
  if (res.status === 404) return undefined;
  return toRegistrationDefinition(res.body, ctx);
}

/** PUT a definition at subscription scope (LRO-aware: usually 201 Succeeded at once; polls when Azure says so). */
export async function putRegistrationDefinition(
  conn: ArmConnection,
  subscriptionId: string,
  definitionId: string,
  body: RegistrationDefinitionBody,
  options: LroOptions = {},
): Promise<RegistrationDefinition> {
  const op = "putRegistrationDefinition";
  const sub = subscriptionOf(op, subscriptionId);
  const id = guidOf(op, "definitionId", definitionId, `/subscriptions/${sub}/${DEFS}/${definitionId}`);
  const path = `/subscriptions/${sub}/${DEFS}/${id}`;
  const ctx = { operation: op, target: path, subscriptionId: sub };
  const { plan, ...properties } = body;
  const payload: Record<string, unknown> = { properties: stripUndefined(properties) };
  if (plan) payload.plan = plan;
  return runArm(conn, ctx, () =>
    runLro(conn, armClient(conn), { method: "PUT", url: `${path}?api-version=${API}`, body: payload }, ctx, options, (final, initial) =>
      toRegistrationDefinition(final ?? initial, ctx),
    ),
  );
}

/** DELETE a definition; absent (204/404) is success. */
export async function deleteRegistrationDefinition(conn: ArmConnection, subscriptionId: string, definitionId: string, options: CallOptions = {}): Promise<void> {
  const op = "deleteRegistrationDefinition";
  const sub = subscriptionOf(op, subscriptionId);
  const id = guidOf(op, "definitionId", definitionId, `/subscriptions/${sub}/${DEFS}/${definitionId}`);
  const path = `/subscriptions/${sub}/${DEFS}/${id}`;
  await sendJson(conn, armClient(conn), { method: "DELETE", url: `${path}?api-version=${API}`, abortSignal: options.abortSignal }, { operation: op, target: path, subscriptionId: sub }, [404]);
}

export function listRegistrationDefinitions(
  conn: ArmConnection,
  scope: string,
  options: CallOptions & { filter?: string } = {},
): AsyncIterable<RegistrationDefinition> {
  const op = "listRegistrationDefinitions";
  const s = scopeOf(op, scope);
  const q = new URLSearchParams({ "api-version": API });
  if (options.filter) q.set("$filter", options.filter);
  const ctx = { operation: op, target: s.scope, subscriptionId: s.subscriptionId };
  return pageAll(conn, `${s.scope}/${DEFS}?${q.toString()}`, ctx, options, (item, where) => toRegistrationDefinition(item, ctx, where));
}

// ---- registration assignments ----

export async function getRegistrationAssignment(
  conn: ArmConnection,
  scope: string,
  assignmentId: string,
  options: CallOptions & { expandDefinition?: boolean } = {},
): Promise<RegistrationAssignment | undefined> {
  const op = "getRegistrationAssignment";
  const s = scopeOf(op, scope);
  const id = guidOf(op, "assignmentId", assignmentId, `${s.scope}/${ASSIGNS}/${assignmentId}`);
  const path = `${s.scope}/${ASSIGNS}/${id}`;
  const q = new URLSearchParams({ "api-version": API });
  if (options.expandDefinition) q.set("$expandRegistrationDefinition", "true");
  const ctx = { operation: op, target: path, subscriptionId: s.subscriptionId };
  const res = await sendJson(conn, armClient(conn), { method: "GET", url: `${path}?${q.toString()}`, abortSignal: options.abortSignal }, ctx, [404]);
  if (res.status === 404) return undefined;
  return toRegistrationAssignment(res.body, s.scope, ctx);
}

/** PUT an assignment (LRO: 201 Accepted + Azure-AsyncOperation, polled with @azure/core-lro until Succeeded). */
export async function createRegistrationAssignment(
  conn: ArmConnection,
  scope: string,
  assignmentId: string,
  definitionResourceId: string,
  options: LroOptions = {},
): Promise<RegistrationAssignment> {
  const op = "createRegistrationAssignment";
  const s = scopeOf(op, scope);
  const id = guidOf(op, "assignmentId", assignmentId, `${s.scope}/${ASSIGNS}/${assignmentId}`);
  const path = `${s.scope}/${ASSIGNS}/${id}`;
  const ref = parseRegistrationDefinitionId(definitionResourceId);
  if (!ref) {
    throw invalidInput(op, path, `registrationDefinitionId "${String(definitionResourceId)}" must be "/subscriptions/<sub>/providers/Microsoft.ManagedServices/registrationDefinitions/<guid>"`);
  }
  const defSub = ref.subscriptionId ?? s.subscriptionId;
  const definitionFullId = `/subscriptions/${defSub}/${DEFS}/${ref.definitionId}`;
  const ctx = { operation: op, target: path, subscriptionId: s.subscriptionId };
  return runArm(conn, ctx, () =>
    runLro(
      conn,
      armClient(conn),
      { method: "PUT", url: `${path}?api-version=${API}`, body: { properties: { registrationDefinitionId: definitionFullId } } },
      ctx,
      options,
      (final, initial) => toRegistrationAssignment(final ?? initial, s.scope, ctx),
    ),
  );
}

/** DELETE an assignment (LRO: 202 + Location, polled until done); absent (204/404) is success. */
export async function deleteRegistrationAssignment(conn: ArmConnection, scope: string, assignmentId: string, options: LroOptions = {}): Promise<void> {
  const op = "deleteRegistrationAssignment";
  const s = scopeOf(op, scope);
  const id = guidOf(op, "assignmentId", assignmentId, `${s.scope}/${ASSIGNS}/${assignmentId}`);
  const path = `${s.scope}/${ASSIGNS}/${id}`;
  const ctx = { operation: op, target: path, subscriptionId: s.subscriptionId };
  try {
    await runArm(conn, ctx, () =>
      runLro(conn, armClient(conn), { method: "DELETE", url: `${path}?api-version=${API}` }, ctx, options, () => undefined, "location"),
    );
  } catch (err) {
    // Already gone: 404 on the DELETE (204 completes the LRO at once).
    if (err instanceof ArmError && err.statusCode === 404) return;
    throw err;
  }
}

export function listRegistrationAssignments(
  conn: ArmConnection,
  scope: string,
  options: CallOptions & { expandDefinition?: boolean; filter?: string } = {},
): AsyncIterable<RegistrationAssignment> {
  const op = "listRegistrationAssignments";
  const s = scopeOf(op, scope);
  const q = new URLSearchParams({ "api-version": API });
  if (options.expandDefinition) q.set("$expandRegistrationDefinition", "true");
  if (options.filter) q.set("$filter", options.filter);
  const ctx = { operation: op, target: s.scope, subscriptionId: s.subscriptionId };
  return pageAll(conn, `${s.scope}/${ASSIGNS}?${q.toString()}`, ctx, options, (item, where) => toRegistrationAssignment(item, s.scope, ctx, where));
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
