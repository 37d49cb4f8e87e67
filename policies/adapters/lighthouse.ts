import {
  isUnresolved,
  unresolved,
  type Approver,
  type Authorization,
  type EligibleAuthorization,
  type PrincipalType,
  type Unresolved,
  type Val,
} from "../../rules/model";
import type { PulumiResource } from "./resource";
import { sourceOf } from "./resource";
import { isPreviewUnknown, PREVIEW_UNKNOWN_REASON, PropReader } from "./unknowns";
import { parseGuid } from "../../rules/identifiers";

/**
 * Lighthouse authorization lists in the shapes the Pulumi providers use. azure-native and partnerlink's
 * LighthouseOnboarding follow the ARM body (`principalIdDisplayName`, `justInTimeAccessPolicy.managedByTenantApprovers`);
 * the classic azure provider follows azurerm's `azurerm_lighthouse_definition` (`principalDisplayName`,
 * `justInTimeAccessPolicy.approvers`, blocks pluralised by the bridge).
 */
export interface AuthorizationShape {
  displayNameKey: "principalIdDisplayName" | "principalDisplayName";
  approversKey: "managedByTenantApprovers" | "approvers";
}

export const ARM_SHAPE: AuthorizationShape = {
  displayNameKey: "principalIdDisplayName",
  approversKey: "managedByTenantApprovers",
};
export const AZURERM_SHAPE: AuthorizationShape = { displayNameKey: "principalDisplayName", approversKey: "approvers" };

const PRINCIPAL_TYPES: ReadonlySet<string> = new Set(["User", "Group", "ServicePrincipal"]);

/**
 * A stand-in for an authorization list the input does not show (a preview unknown, or a definition outside
 * the stack): one authorization whose principal and role are unresolved, so the rules report "cannot be
 * checked until apply" instead of "the PEC principal is missing".
 */
export function unknownAuthorization(r: PulumiResource, path: string, reason: Unresolved): Authorization {
  return {
    principalId: reason,
    roleDefinitionId: reason,
    source: sourceOf(r, path),
  };
}

function principalType(v: unknown): PrincipalType | undefined {
  return typeof v === "string" && PRINCIPAL_TYPES.has(v) ? (v as PrincipalType) : undefined;
}

function strList(read: PropReader, obj: unknown, key: string): Val<string>[] | undefined {
  if ((obj as Record<string, unknown> | undefined)?.[key] === undefined) return undefined;
  const arr = read.arr(obj, key);
  if (isUnresolved(arr)) return [arr];
  return arr.map((e, i) =>
    isPreviewUnknown(e)
      ? unresolved(PREVIEW_UNKNOWN_REASON, `${key}[${i}]`)
      : typeof e === "string"
        ? e
        : JSON.stringify(e ?? null),
  );
}

/** `authorizations[]` at `path` (e.g. `properties.authorizations`). */
export function readAuthorizations(
  r: PulumiResource,
  container: unknown,
  key: string,
  path: string,
  shape: AuthorizationShape,
): Authorization[] {
  const read = new PropReader(path.slice(0, Math.max(0, path.length - key.length - 1)));
  const list = read.arr(container, key);
  if (isUnresolved(list)) return [unknownAuthorization(r, path, list)];
  return list.map((a, i) => readAuthorization(r, a, `${path}[${i}]`, shape));
}

function readAuthorization(r: PulumiResource, a: unknown, path: string, shape: AuthorizationShape): Authorization {
  const read = new PropReader(path);
  const out: Authorization = {
    principalId: read.str(a, "principalId") ?? "",
    roleDefinitionId: read.str(a, "roleDefinitionId") ?? "",
    source: sourceOf(r, path),
  };
  const display = read.str(a, shape.displayNameKey);
  if (display !== undefined) out.principalIdDisplayName = display;
  const delegated = strList(read, a, "delegatedRoleDefinitionIds");
  if (delegated !== undefined) out.delegatedRoleDefinitionIds = delegated;
  const pt = principalType((a as Record<string, unknown> | undefined)?.principalType);
  if (pt) out.principalType = pt;
  return out;
}

/** `eligibleAuthorizations[]` with their just-in-time access policy. */
export function readEligibleAuthorizations(
  r: PulumiResource,
  container: unknown,
  key: string,
  path: string,
  shape: AuthorizationShape,
): EligibleAuthorization[] {
  const read = new PropReader(path);
  const list = read.arr(container, key);
  if (isUnresolved(list)) return [unknownAuthorization(r, path, list)];
  return list.map((a, i) => {
    const p = `${path}[${i}]`;
    const base: EligibleAuthorization = readAuthorization(r, a, p, shape);
    const er = new PropReader(p);
    const jit = er.obj(a, "justInTimeAccessPolicy");
    if (jit === undefined) return base;
    const jp = `${p}.justInTimeAccessPolicy`;
    if (isUnresolved(jit)) {
      base.justInTimeAccessPolicy = {
        multiFactorAuthProvider: jit,
        maximumActivationDuration: jit,
        managedByTenantApprovers: [],
        source: sourceOf(r, jp),
      };
      return base;
    }
    const jr = new PropReader(jp);
    const approvers: Approver[] = [];
    const list2 = jr.arr(jit, shape.approversKey);
    if (isUnresolved(list2)) {
      approvers.push({ principalId: list2, source: sourceOf(r, `${jp}.${shape.approversKey}`) });
    } else {
      list2.forEach((ap, j) => {
        const ap2 = `${jp}.${shape.approversKey}[${j}]`;
        const ar = new PropReader(ap2);
        const approver: Approver = { principalId: ar.str(ap, "principalId") ?? "", source: sourceOf(r, ap2) };
        const d = ar.str(ap, shape.displayNameKey);
        if (d !== undefined) approver.principalIdDisplayName = d;
        const t = principalType((ap as Record<string, unknown> | undefined)?.principalType);
        if (t) approver.principalType = t;
        approvers.push(approver);
      });
    }
    base.justInTimeAccessPolicy = { managedByTenantApprovers: approvers, source: sourceOf(r, jp) };
    const mfa = jr.str(jit, "multiFactorAuthProvider");
    if (mfa !== undefined) base.justInTimeAccessPolicy.multiFactorAuthProvider = mfa;
    const dur = jr.str(jit, "maximumActivationDuration");
    if (dur !== undefined) base.justInTimeAccessPolicy.maximumActivationDuration = dur;
    return base;
  });
}

/** The registration definition GUID in a GUID or a `.../registrationDefinitions/{guid}` resource ID. */
export function definitionGuid(v: Val<string> | undefined): string | undefined {
  if (v === undefined || isUnresolved(v)) return undefined;
  return parseGuid(v.trim().replace(/\/+$/, "").split("/").pop());
}
