import { parseGuid, parseRoleDefinitionId } from "../identifiers";
import { isUnresolved, type Authorization, type Delegation } from "../model";
import { isPecUsable } from "../roles";
import type { RuleContext } from "./context";
import { authPath, type AuthKind } from "./paths";

/**
 * Where the PEC principals appear in one delegation, computed in one pass and cached per evaluation:
 * PL001, PL002, PL003, PL007 and PL008 all read it.
 */

export interface AuthRef {
  auth: Authorization;
  kind: AuthKind;
  index: number;
  /** JSON path of the authorization. */
  path: string;
}

export interface PecAnalysis {
  /** PEC principal -> its permanent authorizations. */
  permanent: Map<string, AuthRef[]>;
  /** PEC principal -> its eligible (just-in-time) authorizations. */
  eligible: Map<string, AuthRef[]>;
  /** Some permanent authorization's principalId is unresolved: it may be a PEC principal. */
  unresolvedPermanentPrincipal: boolean;
  /** Some eligible authorization's principalId is unresolved. */
  unresolvedEligiblePrincipal: boolean;
  /** PEC principals with at least one permanent, PEC-eligible, Lighthouse-usable role. */
  usable: Set<string>;
  /** PEC principals with a permanent role that is unresolved or malformed (cannot tell whether usable). */
  roleUndetermined: Set<string>;
}

export function analyzePec(d: Delegation, ctx: RuleContext): PecAnalysis {
  const cached = ctx.cache.get(d) as PecAnalysis | undefined;
  if (cached) return cached;
  const a: PecAnalysis = {
    permanent: new Map(),
    eligible: new Map(),
    unresolvedPermanentPrincipal: false,
    unresolvedEligiblePrincipal: false,
    usable: new Set(),
    roleUndetermined: new Set(),
  };
  const scan = (kind: AuthKind, list: readonly Authorization[], into: Map<string, AuthRef[]>): void => {
    for (let i = 0; i < list.length; i++) {
      const auth = list[i];
      if (isUnresolved(auth.principalId)) {
        if (kind === "authorizations") a.unresolvedPermanentPrincipal = true;
        else a.unresolvedEligiblePrincipal = true;
        continue;
      }
      const p = parseGuid(auth.principalId);
      if (p === undefined || !ctx.pecPrincipals.has(p)) continue;
      const ref: AuthRef = { auth, kind, index: i, path: authPath(d, auth, kind, i) };
      const refs = into.get(p);
      if (refs) refs.push(ref);
      else into.set(p, [ref]);
      if (kind === "authorizations") {
        const roleId = isUnresolved(auth.roleDefinitionId) ? undefined : parseRoleDefinitionId(auth.roleDefinitionId);
        if (roleId === undefined) a.roleUndetermined.add(p);
        else if (isPecUsable(ctx.catalog.lookup(roleId))) a.usable.add(p);
      }
    }
  };
  scan("authorizations", d.authorizations, a.permanent);
  scan("eligibleAuthorizations", d.eligibleAuthorizations, a.eligible);
  ctx.cache.set(d, a);
  return a;
}
