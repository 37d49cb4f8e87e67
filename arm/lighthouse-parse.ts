/** Microsoft.ManagedServices answers (validated against the schema) -> the flattened typed results. */
import type { ErrorContext } from "./errors";
import type {
  LighthouseAuthorization,
  LighthouseEligibleAuthorization,
  RegistrationAssignment,
  RegistrationDefinition,
  RegistrationPlan,
} from "./lighthouse-types";
import { assertShape } from "./response-schema";

type Obj = Record<string, unknown>;

export function toRegistrationDefinition(body: unknown, ctx: ErrorContext, where = "$"): RegistrationDefinition {
  assertShape("registrationDefinition", body, ctx, where);
  const b = body as Obj;
  const p = b.properties as Obj;
  const idFromTarget = ctx.target && /registrationDefinitions\/[^/?]+$/i.test(ctx.target) ? ctx.target : undefined;
  const id = str(b.id) ?? idFromTarget ?? "";
  const name = str(b.name) ?? id.split("/").pop() ?? "";
  return {
    id,
    name,
    ...opt("type", str(b.type)),
    ...definitionProperties(p),
    ...opt("plan", plan(b.plan)),
  };
}

function definitionProperties(p: Obj) {
  return {
    registrationDefinitionName: str(p.registrationDefinitionName) ?? "",
    ...opt("description", str(p.description)),
    managedByTenantId: String(p.managedByTenantId),
    authorizations: (p.authorizations as Obj[]).map(authorization),
    ...opt("eligibleAuthorizations", Array.isArray(p.eligibleAuthorizations) ? (p.eligibleAuthorizations as Obj[]).map(eligible) : undefined),
    ...opt("provisioningState", str(p.provisioningState)),
    ...opt("manageeTenantId", str(p.manageeTenantId)),
    ...opt("manageeTenantName", str(p.manageeTenantName)),
    ...opt("managedByTenantName", str(p.managedByTenantName)),
  };
}

export function toRegistrationAssignment(body: unknown, scope: string, ctx: ErrorContext, where = "$"): RegistrationAssignment {
  assertShape("registrationAssignment", body, ctx, where);
  const b = body as Obj;
  const p = b.properties as Obj;
  const id = str(b.id) ?? (ctx.target && /registrationAssignments\/[^/?]+$/i.test(ctx.target) ? ctx.target : "");
  const name = str(b.name) ?? id.split("/").pop() ?? "";
  const out: RegistrationAssignment = {
    id,
    name,
    ...opt("type", str(b.type)),
    registrationDefinitionId: String(p.registrationDefinitionId),
    ...opt("provisioningState", str(p.provisioningState)),
    scope: scopeFromId(id) ?? scope,
  };
  const rd = p.registrationDefinition as Obj | undefined;
  if (rd && rd.properties && typeof rd.properties === "object") {
    out.registrationDefinition = {
      ...opt("id", str(rd.id)),
      ...opt("name", str(rd.name)),
      ...opt("type", str(rd.type)),
      ...definitionProperties(rd.properties as Obj),
      ...opt("plan", plan(rd.plan)),
    };
  }
  return out;
}

/** `/subscriptions/{s}[/resourceGroups/{rg}]` from a resource ID. */
function scopeFromId(id: string): string | undefined {
  const m = /^(\/subscriptions\/[^/]+(?:\/resourceGroups\/[^/]+)?)\/providers\//i.exec(id);
  return m ? m[1] : undefined;
}

function authorization(a: Obj): LighthouseAuthorization {
  return {
    principalId: String(a.principalId),
    ...opt("principalIdDisplayName", str(a.principalIdDisplayName)),
    roleDefinitionId: String(a.roleDefinitionId),
    ...opt("delegatedRoleDefinitionIds", Array.isArray(a.delegatedRoleDefinitionIds) ? (a.delegatedRoleDefinitionIds as unknown[]).map(String) : undefined),
  };
}

function eligible(a: Obj): LighthouseEligibleAuthorization {
  const j = a.justInTimeAccessPolicy as Obj | undefined;
  return {
    principalId: String(a.principalId),
    ...opt("principalIdDisplayName", str(a.principalIdDisplayName)),
    roleDefinitionId: String(a.roleDefinitionId),
    ...opt(
      "justInTimeAccessPolicy",
      j
        ? {
            multiFactorAuthProvider: String(j.multiFactorAuthProvider),
            ...opt("maximumActivationDuration", str(j.maximumActivationDuration)),
            ...opt(
              "managedByTenantApprovers",
              Array.isArray(j.managedByTenantApprovers)
                ? (j.managedByTenantApprovers as Obj[]).map((x) => ({ principalId: String(x.principalId), ...opt("principalIdDisplayName", str(x.principalIdDisplayName)) }))
                : undefined,
            ),
          }
        : undefined,
    ),
  };
}

function plan(v: unknown): RegistrationPlan | undefined {
  if (!v || typeof v !== "object") return undefined;
  const p = v as Obj;
  return { name: String(p.name), publisher: String(p.publisher), product: String(p.product), version: String(p.version) };
}

function opt<K extends string, V>(k: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: V };
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
