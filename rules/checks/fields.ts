import { isPartnerId, parseGuid, parseIsoDuration, parseRoleDefinitionId, parseScope, parseSubscriptionId } from "../identifiers";
import { isUnresolved, type Authorization, type EligibleAuthorization, type Estate, type SourceLocation, type Val } from "../model";
import type { RuleContext } from "./context";
import { basePath } from "./paths";

/**
 * Every identifier-like value in an estate that some rule reads, with its kind, resource and JSON path.
 * PL010 (malformed) and PL012 (unresolved) share one walk over the same list, so both cover exactly the same
 * properties. Display names and descriptions are not listed: no rule needs them.
 *
 * The walk runs once per evaluation (cached on the context) and materializes a path only for the values that
 * are malformed or unresolved: well-formed estates allocate almost nothing here.
 */

export type FieldKind =
  | "tenantId"
  | "principalId"
  | "roleDefinitionId"
  | "scope"
  | "definitionId"
  | "assignmentId"
  | "partnerId"
  | "objectId"
  | "subscriptionId"
  | "duration"
  | "mfaProvider";

export interface Field {
  kind: FieldKind;
  value: Val<string>;
  resource: string;
  source: SourceLocation;
  path: string;
}

/** Whether a known value of each kind is well formed (mfaProvider is an enum, checked by PL005). */
export const WELL_FORMED: Record<FieldKind, (s: string) => boolean> = {
  tenantId: (s) => parseGuid(s) !== undefined,
  principalId: (s) => parseGuid(s) !== undefined,
  objectId: (s) => parseGuid(s) !== undefined,
  roleDefinitionId: (s) => parseRoleDefinitionId(s) !== undefined,
  scope: (s) => parseScope(s) !== undefined,
  definitionId: (s) => parseGuid(s) !== undefined,
  assignmentId: (s) => parseGuid(s) !== undefined,
  partnerId: isPartnerId,
  subscriptionId: (s) => parseSubscriptionId(s) !== undefined,
  duration: (s) => parseIsoDuration(s) !== undefined,
  mfaProvider: () => true,
};

export interface FieldProblems {
  malformed: Field[];
  unresolved: Field[];
}


/** The malformed and unresolved fields of the estate, computed once per evaluation. */
export function fieldProblems(estate: Estate, ctx: RuleContext): FieldProblems {
  const cached = ctx.shared.get("field-problems") as FieldProblems | undefined;
  if (cached) return cached;
  const out: FieldProblems = { malformed: [], unresolved: [] };
  let resource = "";
  let source: SourceLocation = {};
  const v = (kind: FieldKind, value: Val<string> | undefined, base: string, suffix: string): void => {
    if (value === undefined) return;
    if (isUnresolved(value)) out.unresolved.push({ kind, value, resource, source, path: base + suffix });
    else if (!WELL_FORMED[kind](value)) out.malformed.push({ kind, value, resource, source, path: base + suffix });
  };
  const auths = (dBase: string, kind: "authorizations" | "eligibleAuthorizations", list: readonly (Authorization | EligibleAuthorization)[]): void => {
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const p = a.source.path ? a.source.path : `${dBase}.${kind}[${i}]`;
      v("principalId", a.principalId, p, ".principalId");
      v("roleDefinitionId", a.roleDefinitionId, p, ".roleDefinitionId");
      const dr = a.delegatedRoleDefinitionIds;
      if (dr) for (let j = 0; j < dr.length; j++) v("roleDefinitionId", dr[j], p, `.delegatedRoleDefinitionIds[${j}]`);
      const jit = (a as EligibleAuthorization).justInTimeAccessPolicy;
      if (jit) {
        const jp = basePath(jit.source, `${p}.justInTimeAccessPolicy`);
        v("duration", jit.maximumActivationDuration, jp, ".maximumActivationDuration");
        v("mfaProvider", jit.multiFactorAuthProvider, jp, ".multiFactorAuthProvider");
        const aps = jit.managedByTenantApprovers;
        for (let k = 0; k < aps.length; k++) {
          v("principalId", aps[k].principalId, basePath(aps[k].source, `${jp}.managedByTenantApprovers[${k}]`), ".principalId");
        }
      }
    }
  };
  for (const d of estate.delegations) {
    resource = d.name;
    source = d.source;
    const base = basePath(d.source);
    v("tenantId", d.managedByTenantId, base, ".managedByTenantId");
    v("definitionId", d.definitionId, base, ".definitionId");
    v("scope", d.definitionScope, base, ".definitionScope");
    for (let i = 0; i < d.assignments.length; i++) {
      const a = d.assignments[i];
      const ap = a.source.path ? a.source.path : `${base}.assignments[${i}]`;
      v("scope", a.scope, ap, ".scope");
      v("assignmentId", a.assignmentId, ap, ".assignmentId");
    }
    auths(base, "authorizations", d.authorizations);
    auths(base, "eligibleAuthorizations", d.eligibleAuthorizations);
  }
  for (const l of estate.partnerLinks) {
    resource = l.name;
    source = l.source;
    const base = basePath(l.source);
    v("partnerId", l.partnerId, base, ".partnerId");
    v("objectId", l.objectId, base, ".objectId");
    v("tenantId", l.tenantId, base, ".tenantId");
  }
  for (const s of estate.subscriptions) {
    resource = s.name;
    source = s.source;
    v("subscriptionId", s.subscriptionId, basePath(s.source), ".subscriptionId");
  }
  ctx.shared.set("field-problems", out);
  return out;
}


