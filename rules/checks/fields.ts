import type { Authorization, EligibleAuthorization, Estate, SourceLocation, Val } from "../model";
import { basePath, authPath, propPath } from "./paths";

/**
 * Every identifier-like value in an estate that some rule reads, with its kind, resource and JSON path.
 * PL010 (malformed) and PL012 (unresolved) walk the same list, so both cover exactly the same properties.
 * Display names and descriptions are not listed: no rule needs them.
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

export function forEachField(estate: Estate, visit: (f: Field) => void): void {
  for (const d of estate.delegations) {
    const base = basePath(d.source);
    const v = (kind: FieldKind, value: Val<string> | undefined, path: string): void => {
      if (value !== undefined) visit({ kind, value, resource: d.name, source: d.source, path });
    };
    v("tenantId", d.managedByTenantId, propPath(base, "managedByTenantId"));
    v("definitionId", d.definitionId, propPath(base, "definitionId"));
    v("scope", d.definitionScope, propPath(base, "definitionScope"));
    d.assignments.forEach((a, i) => {
      const ap = basePath(a.source, `${base}.assignments[${i}]`);
      v("scope", a.scope, propPath(ap, "scope"));
      v("assignmentId", a.assignmentId, propPath(ap, "assignmentId"));
    });
    const auths = (kind: "authorizations" | "eligibleAuthorizations"): void => {
      const list: readonly (Authorization | EligibleAuthorization)[] = kind === "authorizations" ? d.authorizations : d.eligibleAuthorizations;
      list.forEach((a, i) => {
        const p = authPath(d, a, kind, i);
        v("principalId", a.principalId, propPath(p, "principalId"));
        v("roleDefinitionId", a.roleDefinitionId, propPath(p, "roleDefinitionId"));
        (a.delegatedRoleDefinitionIds ?? []).forEach((r, j) => v("roleDefinitionId", r, `${p}.delegatedRoleDefinitionIds[${j}]`));
        const jit = (a as EligibleAuthorization).justInTimeAccessPolicy;
        if (jit) {
          const jp = basePath(jit.source, `${p}.justInTimeAccessPolicy`);
          v("duration", jit.maximumActivationDuration, propPath(jp, "maximumActivationDuration"));
          v("mfaProvider", jit.multiFactorAuthProvider, propPath(jp, "multiFactorAuthProvider"));
          jit.managedByTenantApprovers.forEach((ap, k) =>
            v("principalId", ap.principalId, propPath(basePath(ap.source, `${jp}.managedByTenantApprovers[${k}]`), "principalId")),
          );
        }
      });
    };
    auths("authorizations");
    auths("eligibleAuthorizations");
  }
  for (const l of estate.partnerLinks) {
    const base = basePath(l.source);
    const v = (kind: FieldKind, value: Val<string> | undefined, prop: string): void => {
      if (value !== undefined) visit({ kind, value, resource: l.name, source: l.source, path: propPath(base, prop) });
    };
    v("partnerId", l.partnerId, "partnerId");
    v("objectId", l.objectId, "objectId");
    v("tenantId", l.tenantId, "tenantId");
  }
  for (const s of estate.subscriptions) {
    visit({ kind: "subscriptionId", value: s.subscriptionId, resource: s.name, source: s.source, path: propPath(basePath(s.source), "subscriptionId") });
  }
}
