/**
 * PL005 eligible-authorization-invalid: eligible (just-in-time) authorizations follow Azure's rules
 * (learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations; azure-apis.md section 2).
 *
 * Semantics, one finding per offending property:
 * - principalId of a service principal -> error. A principal is a service principal when its principalType says
 *   so, the estate's principalTypes say so, it is in config.servicePrincipals, or it is a PEC principal (the PEC
 *   principal is a service principal by design).
 * - Owner or User Access Administrator (catalog `eligibleAllowed: false`) -> error.
 * - Non-empty delegatedRoleDefinitionIds -> error.
 * - More than 10 managedByTenantApprovers -> error; an approver that is a service principal -> error.
 * - maximumActivationDuration outside PT30M..PT8H -> error (a malformed duration is PL010's).
 * - multiFactorAuthProvider other than `Azure` or `None` (compared case-insensitively, as ARM compares enums) -> error.
 * - Unresolved values are skipped (PL012).
 */
import { parseGuid, parseIsoDuration, parseRoleDefinitionId } from "../identifiers";
import { isUnresolved, type PrincipalType, type Val } from "../model";
import { describeRole } from "../roles";
import type { Check, RuleContext } from "./context";
import { authPath, authSource, basePath, propPath } from "./paths";

export const MIN_ACTIVATION_MINUTES = 30;
export const MAX_ACTIVATION_MINUTES = 8 * 60;
export const MAX_APPROVERS = 10;

function isServicePrincipal(ctx: RuleContext, id: Val<string>, declared: PrincipalType | undefined): boolean {
  if (declared === "ServicePrincipal") return true;
  if (isUnresolved(id)) return false;
  const g = parseGuid(id);
  if (g === undefined) return false;
  return ctx.servicePrincipals.has(g) || ctx.principalTypes.get(g) === "ServicePrincipal";
}

export const pl005EligibleAuthorizationInvalid: Check = (estate, ctx, report) => {
  for (const d of estate.delegations) {
    d.eligibleAuthorizations.forEach((e, i) => {
      const p = authPath(d, e, "eligibleAuthorizations", i);
      const at = (path: string): string => `Delegation '${d.name}' (${path})`;
      const emit = (path: string, message: string): void => report({ resource: d.name, source: authSource(d, e), path, message: `${at(path)}: ${message}` });

      if (isServicePrincipal(ctx, e.principalId, e.principalType)) {
        emit(
          propPath(p, "principalId"),
          `${String(e.principalId)} is a service principal${ctx.pecPrincipals.has(String(e.principalId).toLowerCase()) ? " (the PEC principal)" : ""}; Azure accepts only users and groups as eligible principals. Fix: move it to authorizations, or use a user or group here.`,
        );
      }
      if (!isUnresolved(e.roleDefinitionId)) {
        const id = parseRoleDefinitionId(e.roleDefinitionId);
        const role = id === undefined ? undefined : ctx.catalog.lookup(id);
        if (role && !role.eligibleAllowed) {
          emit(
            propPath(p, "roleDefinitionId"),
            `${describeRole(role, role.id)} is not allowed in an eligible authorization (Azure: restricted role definition). Fix: use another built-in role, e.g. Contributor (b24988ac-6180-42a0-ab88-20f7382dd24c).`,
          );
        }
      }
      if ((e.delegatedRoleDefinitionIds ?? []).length > 0) {
        emit(propPath(p, "delegatedRoleDefinitionIds"), "delegatedRoleDefinitionIds are not allowed in an eligible authorization. Fix: remove them (User Access Administrator with delegated roles belongs in authorizations).");
      }
      const jit = e.justInTimeAccessPolicy;
      if (!jit) return;
      const jp = basePath(jit.source, `${p}.justInTimeAccessPolicy`);
      const approvers = jit.managedByTenantApprovers;
      if (approvers.length > MAX_APPROVERS) {
        emit(propPath(jp, "managedByTenantApprovers"), `${approvers.length} approvers; Azure allows at most ${MAX_APPROVERS}. Fix: use a group as approver instead of many users.`);
      }
      approvers.forEach((ap, k) => {
        if (isServicePrincipal(ctx, ap.principalId, ap.principalType)) {
          const app = propPath(basePath(ap.source, `${jp}.managedByTenantApprovers[${k}]`), "principalId");
          emit(app, `approver ${String(ap.principalId)} is a service principal; approvers must be users or groups. Fix: use a user or group.`);
        }
      });
      const dur = jit.maximumActivationDuration;
      if (dur !== undefined && !isUnresolved(dur)) {
        const minutes = parseIsoDuration(dur);
        if (minutes !== undefined && (minutes < MIN_ACTIVATION_MINUTES || minutes > MAX_ACTIVATION_MINUTES)) {
          emit(propPath(jp, "maximumActivationDuration"), `'${dur}' is outside PT30M..PT8H, which Azure rejects. Fix: use a duration from PT30M to PT8H, e.g. PT8H.`);
        }
      }
      const mfa = jit.multiFactorAuthProvider;
      if (mfa !== undefined && !isUnresolved(mfa) && !/^(azure|none)$/i.test(mfa)) {
        emit(propPath(jp, "multiFactorAuthProvider"), `'${mfa}' is not a multi-factor authentication provider Azure accepts. Fix: use "Azure" or "None".`);
      }
    });
  }
};
