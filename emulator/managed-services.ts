/**
 * Microsoft.ManagedServices registration definitions and assignments (Azure Lighthouse), api-versions
 * 2022-10-01 (reference), 2022-01-01-preview and 2019-06-01 (what the recordings use).
 *
 * Sources:
 * - shapes: azure-rest-api-specs specification/managedservices/.../stable/2022-10-01/managedservices.json;
 * - behaviour: Azure/azure-powershell ManagedServices_CRUD session record and Azure/azure-cli
 *   managedservices recording: definition PUT 201 synchronous with provisioningState Succeeded;
 *   assignment PUT 201 provisioningState Accepted + Azure-AsyncOperation + Retry-After; assignment DELETE
 *   202 + Location + Retry-After; operationStatuses answer {"status": ...}; definition DELETE 200.
 * - validation codes/messages: InvalidRegistrationDefinitionCreateRequest as quoted in
 *   MicrosoftDocs/azure-docs#80795 (restricted eligible roles), #52919 (Owner "restricted for registration"),
 *   #117760 (restricted actions), Azure/Azure-Lighthouse-samples#137 (data actions), #35663 (principal GUID).
 * Role facts come from rules/roles.ts (lookupRole), never from here.
 */
import { randomUUID } from "node:crypto";
import { parseIsoDuration, parseRegistrationDefinitionId, parseRoleDefinitionId, isGuid } from "../rules/identifiers";
import { acceptedMfaProvider, ARM_MFA_PROVIDERS, isoMinutes, MAX_ACTIVATION_MINUTES, MAX_APPROVERS, MIN_ACTIVATION_MINUTES } from "../rules/facts";
import { lookupRole, OWNER_ROLE_ID, USER_ACCESS_ADMINISTRATOR_ROLE_ID } from "../rules/roles";
import { requireApiVersion } from "./api-version";
import { ArmError, authorizationFailed } from "./errors";
import { emulatorSchema, firstSchemaError } from "./json-validation";
import assignmentSchema from "./registration-assignment.schema.json";
import definitionSchema from "./registration-definition.schema.json";
import type { ArmRequest, EmuResponse } from "./request";
import type { AssignmentRecord, DefinitionRecord, EmulatorState, SystemData } from "./state";
import type { SchemaValidatorSpec } from "../rules/schema-validator";

const DEFINITION_SCHEMA = emulatorSchema("registration-definition", definitionSchema);
const ASSIGNMENT_SCHEMA = emulatorSchema("registration-assignment", assignmentSchema);

export const MANAGED_SERVICES_API_VERSIONS = ["2022-10-01", "2022-01-01-preview", "2019-06-01", "2019-09-01", "2020-02-01-preview"] as const;
const PROVIDER = "Microsoft.ManagedServices";
const DEF_TYPE = `${PROVIDER}/registrationDefinitions`;
const ASG_TYPE = `${PROVIDER}/registrationAssignments`;

export interface ManagedServicesRoute {
  subscriptionId: string;
  resourceGroup?: string;
  kind: "registrationDefinitions" | "registrationAssignments" | "operationStatuses";
  name?: string;
}

const ROUTE_RE =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.ManagedServices\/(registrationDefinitions|registrationAssignments|operationStatuses)(?:\/([^/]+))?\/?$/i;

export function matchManagedServices(path: string): ManagedServicesRoute | undefined {
  const m = ROUTE_RE.exec(path);
  if (!m) return undefined;
  const kind = (["registrationDefinitions", "registrationAssignments", "operationStatuses"] as const).find(
    (k) => k.toLowerCase() === m[3]!.toLowerCase(),
  )!;
  return {
    subscriptionId: decodeURIComponent(m[1]!),
    ...(m[2] ? { resourceGroup: decodeURIComponent(m[2]) } : {}),
    kind,
    ...(m[4] ? { name: decodeURIComponent(m[4]) } : {}),
  };
}

const bad = (message: string): ArmError => new ArmError(400, "InvalidRegistrationDefinitionCreateRequest", message);

function scopeOf(sub: string, rg?: string): string {
  return rg ? `/subscriptions/${sub}/resourceGroups/${rg}` : `/subscriptions/${sub}`;
}

/** The caller may read delegation resources in the subscription: a home-tenant owner, or an authorized managing-tenant principal. */
function canRead(req: ArmRequest, subscriptionId: string): boolean {
  const sub = req.state.subscription(subscriptionId)!;
  const { tid, oid } = req.caller;
  if (tid.toLowerCase() === sub.tenantId.toLowerCase()) return req.state.isOwner(oid, subscriptionId);
  return req.state.delegationsFor(tid, oid, subscriptionId).length > 0;
}

/** Writes need a token of the subscription's own tenant whose principal is Owner there (directly or via a group). */
function canWrite(req: ArmRequest, subscriptionId: string): boolean {
  const sub = req.state.subscription(subscriptionId)!;
  return req.caller.tid.toLowerCase() === sub.tenantId.toLowerCase() && req.state.isOwner(req.caller.oid, subscriptionId);
}

export function handleManagedServices(req: ArmRequest, route: ManagedServicesRoute): EmuResponse {
  const apiVersion = requireApiVersion(req, route.kind, MANAGED_SERVICES_API_VERSIONS);
  const sub = req.state.subscription(route.subscriptionId);
  if (!sub) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${route.subscriptionId}' could not be found.`);
  const subscriptionId = sub.subscriptionId;
  if (route.resourceGroup && !(sub.resourceGroups ?? []).some((g) => g.toLowerCase() === route.resourceGroup!.toLowerCase()))
    throw new ArmError(404, "ResourceGroupNotFound", `Resource group '${route.resourceGroup}' could not be found.`);
  const rg = route.resourceGroup ? sub.resourceGroups!.find((g) => g.toLowerCase() === route.resourceGroup!.toLowerCase()) : undefined;
  const scope = scopeOf(subscriptionId, rg);
  const write = req.method !== "GET";
  const action = `${PROVIDER}/${route.kind}/${req.method === "GET" ? "read" : req.method === "DELETE" ? "delete" : "write"}`;
  const resourceScope = route.name ? `${scope}/providers/${PROVIDER}/${route.kind}/${route.name}` : scope;
  if (write ? !canWrite(req, subscriptionId) : !canRead(req, subscriptionId)) throw authorizationFailed(req.caller.oid, action, resourceScope);

  switch (route.kind) {
    case "operationStatuses":
      if (req.method !== "GET" || !route.name) throw methodNotAllowed(req);
      return operationStatus(req, route.name);
    case "registrationDefinitions":
      if (!route.name) {
        if (req.method !== "GET") throw methodNotAllowed(req);
        return listDefinitions(req, subscriptionId);
      }
      if (req.method === "GET") return getDefinition(req, subscriptionId, route.name);
      if (req.method === "PUT") return putDefinition(req, subscriptionId, rg, route.name);
      if (req.method === "DELETE") return deleteDefinition(req, subscriptionId, route.name);
      throw methodNotAllowed(req);
    case "registrationAssignments":
      if (!route.name) {
        if (req.method !== "GET") throw methodNotAllowed(req);
        return listAssignments(req, subscriptionId, scope);
      }
      if (req.method === "GET") return getAssignment(req, scope, route.name);
      if (req.method === "PUT") return putAssignment(req, subscriptionId, scope, route.name, apiVersion);
      if (req.method === "DELETE") return deleteAssignment(req, subscriptionId, scope, route.name, apiVersion);
      throw methodNotAllowed(req);
  }
}

function methodNotAllowed(req: ArmRequest): ArmError {
  return new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed on '${req.path}'.`);
}

// ---- responses ------------------------------------------------------------------------------

/** systemData is part of the 2022 api-versions' resources (spec 2022-10-01 examples), not of 2019-06-01 (recordings). */
function withSystemData(apiVersion: string): boolean {
  return apiVersion >= "2020";
}

/**
 * GET and list of registration definitions carry the read-only manageeTenantId/manageeTenantName at 2022
 * api-versions: ../shared/azure-contract Azure__azure-rest-api-specs/.../ManagedServices/stable/2022-10-01/examples/
 * GetRegistrationDefinition.json, GetRegistrationDefinitions.json, GetRegistrationDefinitionsWithManagedByTenantIdEqFilter.json
 * and ...InFilter.json all show them. At 2019-06-01 they do not (Azure PowerShell ManagedServices_CRUD.json GET
 * registrationDefinitions/1ccdb215-...: only managedByTenantName); the PUT answer has them at no version
 * (PutRegistrationDefinition.json). Expanded assignments carry them at every version (ManagedServices_CRUD.json).
 */
function manageeOnDefinitionReads(apiVersion: string): boolean {
  return apiVersion >= "2022";
}

function systemDataFor(req: ArmRequest, previous?: SystemData): SystemData {
  const now = new Date().toISOString();
  const type = req.caller.idtyp === "app" ? "Application" : "User";
  return {
    createdBy: previous?.createdBy ?? req.caller.oid,
    createdByType: previous?.createdByType ?? type,
    createdAt: previous?.createdAt ?? now,
    lastModifiedBy: req.caller.oid,
    lastModifiedByType: type,
    lastModifiedAt: now,
  };
}

export function definitionResponse(state: EmulatorState, d: DefinitionRecord, withManagee = false, apiVersion = "2022-10-01"): Record<string, unknown> {
  const sub = state.subscription(d.subscriptionId);
  const managedBy = String(d.properties.managedByTenantId);
  const managedByName = state.tenantName(managedBy);
  const properties: Record<string, unknown> = { ...d.properties, provisioningState: "Succeeded" };
  if (withManagee && sub) {
    properties.manageeTenantId = sub.tenantId;
    const n = state.tenantName(sub.tenantId);
    if (n) properties.manageeTenantName = n;
  }
  if (managedByName) properties.managedByTenantName = managedByName;
  const sys = withSystemData(apiVersion) && d.systemData ? { systemData: d.systemData } : {};
  return { ...(d.plan ? { plan: d.plan } : {}), properties, id: d.id, type: DEF_TYPE, name: d.name, ...sys };
}

function assignmentResponse(state: EmulatorState, a: AssignmentRecord, expand: boolean, apiVersion: string): Record<string, unknown> {
  const properties: Record<string, unknown> = { registrationDefinitionId: a.registrationDefinitionId, provisioningState: a.provisioningState };
  if (expand) {
    const d = state.getDefinition(a.registrationDefinitionId);
    if (d) properties.registrationDefinition = definitionResponse(state, d, true, apiVersion);
  }
  const sys = withSystemData(apiVersion) && a.systemData ? { systemData: a.systemData } : {};
  return { properties, id: a.id, type: ASG_TYPE, name: a.name, ...sys };
}

function page<T>(req: ArmRequest, items: T[]): { value: T[]; nextLink?: string } {
  const skip = Math.max(0, Number(req.query.get("$skipToken") ?? 0) || 0);
  const value = items.slice(skip, skip + req.pageSize);
  if (skip + req.pageSize >= items.length) return { value };
  const q = new URLSearchParams(req.query);
  q.set("$skipToken", String(skip + req.pageSize));
  return { value, nextLink: `${req.baseUrl}${req.path}?${q.toString()}` };
}

/** `$filter=managedByTenantId eq '<guid>'` or `managedByTenantId in ('<guid>', ...)`; undefined: no filter. */
function tenantFilter(req: ArmRequest): Set<string> | undefined {
  const f = req.query.get("$filter");
  if (f === null || f.trim() === "") return undefined;
  const eq = /^\s*managedByTenantId\s+eq\s+'([^']*)'\s*$/i.exec(f);
  if (eq) return new Set([eq[1]!.toLowerCase()]);
  const inn = /^\s*managedByTenantId\s+in\s+\(([^)]*)\)\s*$/i.exec(f);
  if (inn) return new Set(inn[1]!.split(",").map((s) => s.trim().replace(/^'|'$/g, "").toLowerCase()));
  throw new ArmError(400, "InvalidFilterParameter", `The $filter '${f}' is not supported: use managedByTenantId eq '<tenant guid>'.`);
}

function expandRequested(req: ArmRequest): boolean {
  return (req.query.get("$expandRegistrationDefinition") ?? "").toLowerCase() === "true";
}

// ---- definitions ----------------------------------------------------------------------------

function definitionId(sub: string, name: string): string {
  return `/subscriptions/${sub}/providers/${PROVIDER}/registrationDefinitions/${name}`;
}

function listDefinitions(req: ArmRequest, sub: string): EmuResponse {
  const filter = tenantFilter(req);
  const defs = req.state
    .listDefinitions(sub)
    .filter((d) => !filter || filter.has(String(d.properties.managedByTenantId).toLowerCase()))
    .map((d) => definitionResponse(req.state, d, manageeOnDefinitionReads(req.query.get("api-version")!), req.query.get("api-version")!));
  return { status: 200, body: page(req, defs) };
}

function getDefinition(req: ArmRequest, sub: string, name: string): EmuResponse {
  const d = req.state.getDefinition(definitionId(sub, name));
  if (!d) throw new ArmError(404, "RegistrationDefinitionNotFound", `The registration definition '${name}' could not be found.`);
  return { status: 200, body: definitionResponse(req.state, d, manageeOnDefinitionReads(req.query.get("api-version")!), req.query.get("api-version")!) };
}

function deleteDefinition(req: ArmRequest, sub: string, name: string): EmuResponse {
  const id = definitionId(sub, name);
  if (!req.state.getDefinition(id)) return { status: 204 };
  const inUse = req.state.listAssignments(sub).filter((a) => a.registrationDefinitionId.toLowerCase() === id.toLowerCase());
  if (inUse.length > 0)
    throw new ArmError(
      409,
      "RegistrationDefinitionInUse",
      `The registration definition '${name}' is referenced by registration assignment(s) ${inUse.map((a) => `'${a.name}'`).join(", ")}: delete them first.`,
    );
  req.state.removeDefinition(id);
  return { status: 200 };
}

/** Parses and ajv-validates a PUT body (types and required fields per the spec); the JSON path names the problem. */
function parseBody(req: ArmRequest, schema: SchemaValidatorSpec): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody || "null");
  } catch {
    throw new ArmError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
  }
  const problem = firstSchemaError(schema, body);
  if (problem) throw new ArmError(400, "InvalidRequestContent", `The request content was invalid: ${problem}.`);
  return body as Record<string, unknown>;
}

function putDefinition(req: ArmRequest, sub: string, rg: string | undefined, name: string): EmuResponse {
  if (rg)
    throw new ArmError(
      400,
      "InvalidRegistrationDefinitionUri",
      `The registration definition URI is invalid: registration definitions can only be created at subscription scope ('/subscriptions/${sub}'), not at resource group '${rg}'.`,
    );
  if (!isGuid(name)) throw new ArmError(400, "InvalidRegistrationDefinitionUri", `The registration definition id '${name}' must be a valid Guid.`);
  const body = parseBody(req, DEFINITION_SCHEMA);
  const props = body.properties;
  if (typeof props !== "object" || props === null || Array.isArray(props)) throw bad("The registration definition must have 'properties'.");
  const p = props as Record<string, unknown>;
  validateDefinition(req.state, sub, name, p);
  let plan: Record<string, unknown> | undefined;
  if (body.plan !== undefined && body.plan !== null) {
    const pl = body.plan as Record<string, unknown>;
    for (const k of ["name", "publisher", "product", "version"])
      if (typeof pl[k] !== "string" || pl[k] === "") throw bad(`The plan property '${k}' is required when a plan is given.`);
    plan = { name: pl.name, publisher: pl.publisher, product: pl.product, version: pl.version };
  }
  const stored: Record<string, unknown> = {};
  for (const k of ["registrationDefinitionName", "description", "managedByTenantId", "authorizations", "eligibleAuthorizations"])
    if (p[k] !== undefined) stored[k] = p[k];
  const id = definitionId(sub, name);
  const previous = req.state.getDefinition(id);
  const rec: DefinitionRecord = { id, subscriptionId: sub, name, properties: stored, ...(plan ? { plan } : {}), systemData: systemDataFor(req, previous?.systemData) };
  req.state.putDefinition(rec);
  return { status: previous ? 200 : 201, body: definitionResponse(req.state, rec, false, req.query.get("api-version")!) };
}

function roleCheck(roleRaw: unknown, defName: string, where: string): string {
  const roleId = parseRoleDefinitionId(roleRaw);
  if (!roleId) throw bad(`The role definition id '${String(roleRaw)}' in ${where} must be a valid Guid.`);
  const role = lookupRole(roleId);
  if (!role)
    throw bad(
      `The role definition '${roleId}' is not a built-in role definition supported for registration definition '${defName}'. Only built-in roles are allowed (custom and classic administrator roles are not).`,
    );
  if (roleId === OWNER_ROLE_ID) throw bad(`The role definition '${roleId}' is restricted for registration.`);
  if (role.hasDataActions === true)
    throw bad(
      `The role definition '${roleId}' with data actions not allowed for registration definition '${defName}'. Only built in role definitions without any data and notData actions are allowed.`,
    );
  if (role.lighthouse === "no") throw bad(`The role definition '${roleId}' is not allowed for registration definition '${defName}' because of restricted actions.`);
  return roleId;
}

function principalCheck(v: unknown, where: string): string {
  if (!isGuid(v)) throw bad(`The PrincipalId '${String(v)}' must be a valid Guid (${where}).`);
  return v;
}

function validateDefinition(state: EmulatorState, sub: string, defName: string, p: Record<string, unknown>): void {
  const subRec = state.subscription(sub)!;
  if (!isGuid(p.managedByTenantId)) throw bad(`The managedByTenantId '${String(p.managedByTenantId ?? "")}' must be a valid Guid.`);
  if (p.managedByTenantId.toLowerCase() === subRec.tenantId.toLowerCase())
    throw bad(`The managedByTenantId '${p.managedByTenantId}' must be a different tenant than the subscription's tenant '${subRec.tenantId}'.`);
  if (p.registrationDefinitionName !== undefined && typeof p.registrationDefinitionName !== "string")
    throw bad("The registrationDefinitionName must be a string.");
  const auths = p.authorizations;
  if (!Array.isArray(auths) || auths.length === 0) throw bad(`The registration definition '${defName}' must have at least one authorization.`);
  auths.forEach((a: unknown, i: number) => {
    const where = `authorizations[${i}]`;
    if (typeof a !== "object" || a === null) throw bad(`${where} must be an object.`);
    const au = a as Record<string, unknown>;
    principalCheck(au.principalId, where);
    const roleId = roleCheck(au.roleDefinitionId, defName, where);
    const delegated = au.delegatedRoleDefinitionIds;
    if (roleId === USER_ACCESS_ADMINISTRATOR_ROLE_ID) {
      if (!Array.isArray(delegated) || delegated.length === 0)
        throw bad(
          `The role definition '${roleId}' (User Access Administrator) in ${where} requires delegatedRoleDefinitionIds: the roles it may assign to managed identities.`,
        );
      delegated.forEach((d: unknown, j: number) => {
        const id = roleCheck(d, defName, `${where}.delegatedRoleDefinitionIds[${j}]`);
        if (id === USER_ACCESS_ADMINISTRATOR_ROLE_ID) throw bad(`The role definition '${id}' is restricted for delegatedRoleDefinitionIds.`);
      });
    } else if (delegated !== undefined && delegated !== null && (!Array.isArray(delegated) || delegated.length > 0)) {
      throw bad(`delegatedRoleDefinitionIds in ${where} are only allowed with User Access Administrator ('${USER_ACCESS_ADMINISTRATOR_ROLE_ID}').`);
    }
  });
  const eligible = p.eligibleAuthorizations;
  if (eligible === undefined || eligible === null) return;
  if (!Array.isArray(eligible)) throw bad("eligibleAuthorizations must be an array.");
  const restricted = `${OWNER_ROLE_ID};${USER_ACCESS_ADMINISTRATOR_ROLE_ID}`;
  eligible.forEach((e: unknown, i: number) => {
    const where = `eligibleAuthorizations[${i}]`;
    if (typeof e !== "object" || e === null) throw bad(`${where} must be an object.`);
    const ea = e as Record<string, unknown>;
    const pid = principalCheck(ea.principalId, where);
    if (state.principal(pid)?.type === "ServicePrincipal")
      throw bad(`The principal '${pid}' in ${where} is a service principal: eligible authorizations accept users and groups only.`);
    const roleRaw = parseRoleDefinitionId(ea.roleDefinitionId);
    if (roleRaw === OWNER_ROLE_ID || roleRaw === USER_ACCESS_ADMINISTRATOR_ROLE_ID)
      throw bad(
        `The role definition '${roleRaw}' is restricted for eligible authorization in registration definition '${defName}'. Restricted role definitions are '${restricted}'.`,
      );
    roleCheck(ea.roleDefinitionId, defName, where);
    if (ea.delegatedRoleDefinitionIds !== undefined && ea.delegatedRoleDefinitionIds !== null)
      throw bad(`delegatedRoleDefinitionIds are not allowed in eligible authorizations (${where}).`);
    const jit = ea.justInTimeAccessPolicy as Record<string, unknown> | undefined;
    if (jit === undefined || jit === null) return;
    const mfa = jit.multiFactorAuthProvider;
    // ARM's enum values, in any case, as the rules accept them (rules/facts.ts ARM_MFA_PROVIDERS).
    if (mfa !== undefined && (typeof mfa !== "string" || acceptedMfaProvider(ARM_MFA_PROVIDERS, mfa) === undefined))
      throw bad(`The multiFactorAuthProvider '${String(mfa)}' in ${where} is invalid: use ${ARM_MFA_PROVIDERS.accepted.map((v) => `'${v}'`).join(" or ")}.`);
    const dur = jit.maximumActivationDuration;
    if (dur !== undefined) {
      const minutes = parseIsoDuration(dur);
      if (minutes === undefined || minutes < MIN_ACTIVATION_MINUTES.value || minutes > MAX_ACTIVATION_MINUTES.value)
        throw bad(`The maximumActivationDuration '${String(dur)}' in ${where} must be an ISO 8601 duration between ${isoMinutes(MIN_ACTIVATION_MINUTES.value)} and ${isoMinutes(MAX_ACTIVATION_MINUTES.value)}.`);
    }
    const approvers = jit.managedByTenantApprovers;
    if (approvers !== undefined && approvers !== null) {
      if (!Array.isArray(approvers)) throw bad(`managedByTenantApprovers in ${where} must be an array.`);
      if (approvers.length > MAX_APPROVERS.value) throw bad(`${where} has ${approvers.length} managedByTenantApprovers: at most ${MAX_APPROVERS.value} are allowed.`);
      approvers.forEach((ap: unknown, j: number) => {
        const aid = principalCheck((ap as Record<string, unknown> | null)?.principalId, `${where}.justInTimeAccessPolicy.managedByTenantApprovers[${j}]`);
        if (state.principal(aid)?.type === "ServicePrincipal")
          throw bad(`The approver '${aid}' in ${where} is a service principal: approvers must be users or groups.`);
      });
    }
  });
}

// ---- assignments ----------------------------------------------------------------------------

function assignmentId(scope: string, name: string): string {
  return `${scope}/providers/${PROVIDER}/registrationAssignments/${name}`;
}

function listAssignments(req: ArmRequest, sub: string, scope: string): EmuResponse {
  const filter = tenantFilter(req);
  const expand = expandRequested(req);
  const atRg = scope.toLowerCase() !== `/subscriptions/${sub}`.toLowerCase();
  const items = req.state
    .listAssignments(sub)
    .filter((a) => !atRg || a.scope.toLowerCase() === scope.toLowerCase())
    .filter((a) => {
      if (!filter) return true;
      const d = req.state.getDefinition(a.registrationDefinitionId);
      return d !== undefined && filter.has(String(d.properties.managedByTenantId).toLowerCase());
    })
    .map((a) => assignmentResponse(req.state, a, expand, req.query.get("api-version")!));
  return { status: 200, body: page(req, items) };
}

function getAssignment(req: ArmRequest, scope: string, name: string): EmuResponse {
  const a = req.state.getAssignment(assignmentId(scope, name));
  if (!a) throw new ArmError(404, "RegistrationAssignmentNotFound", `The registration assignment '${name}' could not be found.`);
  return { status: 200, body: assignmentResponse(req.state, a, expandRequested(req), req.query.get("api-version")!) };
}

function operationUrl(req: ArmRequest, sub: string, token: string, apiVersion: string): string {
  return `${req.baseUrl}/subscriptions/${sub}/providers/${PROVIDER}/operationStatuses/${token}?api-version=${apiVersion}`;
}

function startOperation(req: ArmRequest, sub: string, kind: "create" | "delete", resourceId: string): string {
  const token = Buffer.from(JSON.stringify({ fullyQualifiedResourceId: resourceId, jobId: `${kind}:${randomUUID()}` })).toString("base64url");
  req.state.putOperation({
    token,
    kind,
    resourceId,
    subscriptionId: sub,
    polls: 0,
    pollsUntilDone: req.lro.pollsUntilDone,
    fail: req.failLro,
    status: "Accepted",
  });
  return token;
}

function putAssignment(req: ArmRequest, sub: string, scope: string, name: string, apiVersion: string): EmuResponse {
  if (!isGuid(name)) throw new ArmError(400, "InvalidRegistrationAssignmentUri", `The registration assignment id '${name}' must be a valid Guid.`);
  const body = parseBody(req, ASSIGNMENT_SCHEMA);
  const p = body.properties as Record<string, unknown> | undefined;
  const ref = parseRegistrationDefinitionId(p?.registrationDefinitionId);
  if (!p || !ref || !ref.subscriptionId)
    throw new ArmError(
      400,
      "InvalidRegistrationAssignmentCreateRequest",
      `The registrationDefinitionId '${String(p?.registrationDefinitionId ?? "")}' must be '/subscriptions/{subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}'.`,
    );
  if (ref.subscriptionId !== sub.toLowerCase())
    throw new ArmError(
      400,
      "InvalidRegistrationAssignmentCreateRequest",
      `The registration definition '${ref.definitionId}' belongs to subscription '${ref.subscriptionId}', not to the assignment's subscription '${sub}'.`,
    );
  const def = req.state.getDefinition(definitionId(sub, ref.definitionId));
  if (!def) throw new ArmError(404, "RegistrationDefinitionNotFound", `The registration definition '${ref.definitionId}' could not be found.`);
  const id = assignmentId(scope, name);
  const existing = req.state.getAssignment(id);
  if (existing && existing.provisioningState !== "Failed") {
    if (existing.registrationDefinitionId.toLowerCase() !== def.id.toLowerCase())
      throw new ArmError(
        409,
        "RegistrationAssignmentUpdateNotAllowed",
        `The registration assignment '${name}' already exists with registration definition '${existing.registrationDefinitionId}': delete it to assign another definition.`,
      );
    // A retried PUT while the create is still running answers like the first one (same operation), so a
    // client that lost the first answer still gets an operation to poll.
    const pending = req.state.pendingOperation(id, "create");
    if (pending)
      return {
        status: 201,
        headers: { "Azure-AsyncOperation": operationUrl(req, sub, pending.token, apiVersion), "Retry-After": String(req.lro.retryAfterSeconds) },
        body: assignmentResponse(req.state, existing, false, apiVersion),
      };
    return { status: 200, body: assignmentResponse(req.state, existing, false, apiVersion) };
  }
  const rec: AssignmentRecord = { id, scope, subscriptionId: sub, name, registrationDefinitionId: def.id, provisioningState: "Accepted", systemData: systemDataFor(req) };
  req.state.putAssignment(rec);
  const token = startOperation(req, sub, "create", id);
  return {
    status: 201,
    headers: { "Azure-AsyncOperation": operationUrl(req, sub, token, apiVersion), "Retry-After": String(req.lro.retryAfterSeconds) },
    body: assignmentResponse(req.state, rec, false, apiVersion),
  };
}

function deleteAssignment(req: ArmRequest, sub: string, scope: string, name: string, apiVersion: string): EmuResponse {
  const id = assignmentId(scope, name);
  const a = req.state.getAssignment(id);
  if (!a) return { status: 204 };
  const token = req.state.pendingOperation(id, "delete")?.token ?? startOperation(req, sub, "delete", id);
  req.state.putAssignment({ ...a, provisioningState: "Deleting" });
  return { status: 202, headers: { Location: operationUrl(req, sub, token, apiVersion), "Retry-After": String(req.lro.retryAfterSeconds) } };
}

function operationStatus(req: ArmRequest, token: string): EmuResponse {
  const op = req.state.getOperation(token);
  if (!op) throw new ArmError(404, "OperationNotFound", `The operation '${token}' could not be found.`);
  if (op.status === "Accepted" || op.status === "Running") {
    op.polls += 1;
    if (op.polls >= op.pollsUntilDone) {
      op.status = op.fail ? "Failed" : "Succeeded";
      const a = req.state.getAssignment(op.resourceId);
      if (op.kind === "create" && a) req.state.putAssignment({ ...a, provisioningState: op.fail ? "Failed" : "Succeeded" });
      if (op.kind === "delete" && a) {
        if (op.fail) req.state.putAssignment({ ...a, provisioningState: "Succeeded" });
        else req.state.removeAssignment(op.resourceId);
      }
    } else op.status = "Running";
    req.state.putOperation(op);
  }
  const body: Record<string, unknown> = { status: op.status };
  if (op.status === "Failed")
    body.error = {
      code: op.kind === "create" ? "RegistrationAssignmentProvisioningFailed" : "RegistrationAssignmentDeprovisioningFailed",
      message: `The registration assignment ${op.kind === "create" ? "provisioning" : "deprovisioning"} job failed (fault injected by the partnerlink emulator).`,
    };
  const inProgress = op.status !== "Succeeded" && op.status !== "Failed";
  const headers: Record<string, string> = inProgress ? { "Retry-After": String(req.lro.retryAfterSeconds) } : {};
  // Deletes are polled through the Location header: by the ARM async-operation contract (and core-lro's
  // "ResourceLocation" mode) 202 means still running, 200 done, and a failure answers an error status with
  // the error body. Creates are polled through Azure-AsyncOperation: always 200, the status in the body.
  if (op.kind === "delete") {
    if (inProgress) return { status: 202, body, headers };
    if (op.status === "Failed") return { status: 500, body };
  }
  return { status: 200, body, headers };
}
