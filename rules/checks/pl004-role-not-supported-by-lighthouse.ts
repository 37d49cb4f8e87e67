/**
 * PL004 role-not-supported-by-lighthouse: every role is a built-in role Azure Lighthouse accepts.
 *
 * Semantics, per authorization and eligible authorization (one finding per offending roleDefinitionId):
 * - Owner, a role with DataActions, or any role the catalog marks `lighthouse: "no"` -> error.
 * - User Access Administrator in `authorizations` without non-empty delegatedRoleDefinitionIds -> error.
 * - delegatedRoleDefinitionIds on any other role of `authorizations` -> warning on delegatedRoleDefinitionIds: the REST
 *   spec's Authorization.delegatedRoleDefinitionIds documents them for User Access Administrator only ("the permissions
 *   that the user in the authorization can assign"); with another role they grant nothing. Whether Azure rejects them
 *   there is not documented, so this is not an error.
 * - A delegated role that is Owner or User Access Administrator -> error on that entry
 *   (learn.microsoft.com/azure/lighthouse/how-to/deploy-policy-remediation: "any supported Azure built-in role except
 *   for User Access Administrator or Owner"); a role Lighthouse does not support (DataActions) -> warning: whether Azure
 *   checks the list against that is not documented, and Azure-Lighthouse-samples' parameters files delegate Log Analytics
 *   Contributor, whose DataActions come and go. Unknown, unresolved or malformed entries: skipped (PL010/PL012).
 * - In `eligibleAuthorizations`, roles not allowed just-in-time (Owner, User Access Administrator) are PL005's
 *   finding only (moving them is the fix, not delegatedRoleDefinitionIds), so PL004 does not repeat them.
 * - A role not in the catalog (custom, or a built-in role partnerlink has no facts for), or one whose Lighthouse
 *   support is "unknown" -> the same rule at severity "warning": check it by hand or declare it in config `roles`.
 * - Unresolved or malformed roleDefinitionId: skipped (PL012/PL010).
 */
import { parseRoleDefinitionId } from "../identifiers";
import { isUnresolved, type Authorization, type Delegation } from "../model";
import { DEFAULT_PEC_ROLE_ID, OWNER_ROLE_ID, USER_ACCESS_ADMINISTRATOR_ROLE_ID, describeRole } from "../roles";
import type { Check, Report, RuleContext } from "./context";
import { authPath, authSource, propName, propPath, wherePath, type AuthKind } from "./paths";

export const pl004RoleNotSupportedByLighthouse: Check = (estate, ctx, report) => {
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    visit(d, "authorizations", d.authorizations, ctx, report);
    visit(d, "eligibleAuthorizations", d.eligibleAuthorizations, ctx, report);
  }
};

/** Whether `auth` lists delegatedRoleDefinitionIds (tested without an empty list in their place: this runs per authorization). */
function hasDelegatedRoles(auth: Authorization): boolean {
  return auth.delegatedRoleDefinitionIds !== undefined && auth.delegatedRoleDefinitionIds.length > 0;
}

function visit(d: Delegation, kind: AuthKind, list: readonly Authorization[], ctx: RuleContext, report: Report): void {
  for (let i = 0; i < list.length; i++) {
    const auth = list[i];
    const raw = auth.roleDefinitionId;
    if (isUnresolved(raw)) continue;
    // The catalog is keyed by lower-case GUID: most authorizations hit it without parsing the ID.
    const role = ctx.catalog.lookup(raw);
    const id = role !== undefined ? role.id : parseRoleDefinitionId(raw);
    if (id === undefined) continue;
    if (kind === "authorizations" && hasDelegatedRoles(auth)) checkDelegatedRoles(d, auth, i, id, ctx, report);
    // Accepted roles need no path or message: decide that before building them.
    if (role !== undefined) {
      if (kind === "eligibleAuthorizations" && !role.eligibleAllowed) continue; // PL005
      if (role.lighthouse === "yes") continue;
      if (role.lighthouse === "with-delegated-roles" && hasDelegatedRoles(auth)) continue;
    }
    const path = propPath(authPath(d, auth, kind, i), "roleDefinitionId", auth.source);
    const at = `Delegation '${d.name}'${wherePath(path)}`;
    if (role === undefined) {
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        severity: "warning",
        message: `${at}: role ${id} is not a built-in role partnerlink knows; Lighthouse accepts only built-in roles without DataActions. Fix: use a built-in role, or confirm it and declare its facts in config \`roles\`.`,
      });
      continue;
    }
    const label = describeRole(role, id);
    if (role.lighthouse === "unknown") {
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        severity: "warning",
        message: `${at}: whether Lighthouse accepts ${label} is unknown (its DataActions are not recorded in the catalog). Fix: confirm it has no DataActions and declare it in config \`roles\`, or use a role known to work such as Contributor (${DEFAULT_PEC_ROLE_ID}).`,
      });
      continue;
    }
    if (role.lighthouse === "with-delegated-roles") {
      const delegated = propName("delegatedRoleDefinitionIds", auth.source);
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        message: `${at}: ${label} is accepted by Lighthouse only with ${delegated} (the roles it may assign to managed identities). Fix: add ${delegated}, or remove this authorization.`,
      });
      continue;
    }
    if (role.lighthouse === "no") {
      const why =
        role.id === OWNER_ROLE_ID
          ? "Owner is not supported by Lighthouse"
          : role.hasDataActions
            ? `it has DataActions, which Lighthouse rejects${role.volatile ? ` (volatile fact, as of ${role.asOf ?? "the catalog date"}; override with config \`roles\` if it changed)` : ""}`
            : "Lighthouse does not accept it";
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        message: `${at}: ${label}: ${why}; Azure rejects the whole registration definition. Fix: use a supported built-in role, e.g. Contributor (${DEFAULT_PEC_ROLE_ID}) instead of Owner, or the control-plane role instead of a data role.`,
      });
    }
  }
}

/**
 * delegatedRoleDefinitionIds of a permanent authorization whose role is `id`: only User Access Administrator takes them,
 * and the roles it may assign to managed identities are supported built-in roles other than Owner and User Access
 * Administrator.
 */
function checkDelegatedRoles(d: Delegation, auth: Authorization, i: number, id: string, ctx: RuleContext, report: Report): void {
  const delegated = propName("delegatedRoleDefinitionIds", auth.source);
  const listPath = propPath(authPath(d, auth, "authorizations", i), "delegatedRoleDefinitionIds", auth.source);
  if (id !== USER_ACCESS_ADMINISTRATOR_ROLE_ID) {
    report({
      resource: d.name,
      source: authSource(d, auth),
      path: listPath,
      severity: "warning",
      message: `Delegation '${d.name}' (${listPath}): ${delegated} are for User Access Administrator (${USER_ACCESS_ADMINISTRATOR_ROLE_ID}) alone (the roles it may assign to managed identities); with ${describeRole(ctx.catalog.lookup(id), id)} they grant nothing, and Azure may refuse them. Fix: remove ${delegated} from this authorization, or make its role User Access Administrator if it is to assign roles to managed identities.`,
    });
    return;
  }
  const list = auth.delegatedRoleDefinitionIds ?? [];
  for (let k = 0; k < list.length; k++) {
    const raw = list[k];
    if (isUnresolved(raw)) continue;
    const role = ctx.catalog.lookup(raw);
    if (role === undefined) continue; // malformed (PL010) or unknown: not judged
    const path = `${listPath}[${k}]`;
    const label = describeRole(role, role.id);
    if (role.id === OWNER_ROLE_ID || role.id === USER_ACCESS_ADMINISTRATOR_ROLE_ID) {
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        message: `Delegation '${d.name}'${wherePath(path)}: ${label} cannot be in ${delegated}: Lighthouse lets User Access Administrator assign any supported built-in role except Owner and User Access Administrator. Fix: list only supported built-in roles there, e.g. Contributor (${DEFAULT_PEC_ROLE_ID}).`,
      });
    } else if (role.lighthouse === "no") {
      // "Supported" roles are those Lighthouse accepts; whether Azure checks the delegated list against that is not
      // documented, and the public samples delegate Log Analytics Contributor (whose DataActions come and go): a warning.
      const why = role.hasDataActions
        ? `it has DataActions${role.volatile ? ` (volatile fact, as of ${role.asOf ?? "the catalog date"}; override with config \`roles\` if it changed)` : ""}, and Lighthouse supports only roles without them`
        : "Lighthouse does not support it";
      report({
        resource: d.name,
        source: authSource(d, auth),
        path,
        severity: "warning",
        message: `Delegation '${d.name}'${wherePath(path)}: ${label} in ${delegated}: ${why}; the roles User Access Administrator may assign must be supported built-in roles, and Azure may refuse it or the assignment it allows. Fix: list a supported built-in role instead, e.g. Contributor (${DEFAULT_PEC_ROLE_ID}), or confirm the role's facts and declare them in config \`roles\`.`,
      });
    }
  }
}
