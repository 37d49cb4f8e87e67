import { parseGuid, parseRoleDefinitionId } from "../identifiers";
import { isUnresolved, type Authorization, type Delegation } from "../model";
import { isPecUsable } from "../roles";
import type { RuleContext } from "./context";
import { authPath, type AuthKind } from "./paths";

/**
 * Where the PEC principals appear in one delegation, computed in one pass and cached per evaluation:
 * PL001, PL002, PL003, PL007 and PL008 all read it.
 */

export class AuthRef {
  constructor(
    private readonly delegation: Delegation,
    readonly auth: Authorization,
    readonly kind: AuthKind,
    readonly index: number,
  ) {}

  /** JSON path of the authorization (built only when a rule reports it). */
  get path(): string {
    return authPath(this.delegation, this.auth, this.kind, this.index);
  }
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

const EMPTY_REFS: ReadonlyMap<string, AuthRef[]> = new Map();
const EMPTY_SET: ReadonlySet<string> = new Set();

export function analyzePec(d: Delegation, ctx: RuleContext): PecAnalysis {
  const cached = ctx.cache.get(d) as PecAnalysis | undefined;
  if (cached) return cached;
  // The shared empty collections are replaced on first write (most delegations fill one or two of them).
  const a = {
    permanent: EMPTY_REFS,
    eligible: EMPTY_REFS,
    unresolvedPermanentPrincipal: false,
    unresolvedEligiblePrincipal: false,
    usable: EMPTY_SET,
    roleUndetermined: EMPTY_SET,
  } as PecAnalysis;
  const scan = (kind: AuthKind, list: readonly Authorization[]): void => {
    for (let i = 0; i < list.length; i++) {
      const auth = list[i];
      if (isUnresolved(auth.principalId)) {
        if (kind === "authorizations") a.unresolvedPermanentPrincipal = true;
        else a.unresolvedEligiblePrincipal = true;
        continue;
      }
      const p = parseGuid(auth.principalId);
      if (p === undefined || !ctx.pecPrincipals.has(p)) continue;
      const ref = new AuthRef(d, auth, kind, i);
      const key = kind === "authorizations" ? "permanent" : "eligible";
      if (a[key] === EMPTY_REFS) a[key] = new Map();
      const refs = a[key].get(p);
      if (refs) refs.push(ref);
      else a[key].set(p, [ref]);
      if (kind === "authorizations") {
        const roleId = isUnresolved(auth.roleDefinitionId) ? undefined : parseRoleDefinitionId(auth.roleDefinitionId);
        if (roleId === undefined) {
          if (a.roleUndetermined === EMPTY_SET) a.roleUndetermined = new Set();
          a.roleUndetermined.add(p);
        } else if (isPecUsable(ctx.catalog.lookup(roleId))) {
          if (a.usable === EMPTY_SET) a.usable = new Set();
          a.usable.add(p);
        }
      }
    }
  };
  scan("authorizations", d.authorizations);
  scan("eligibleAuthorizations", d.eligibleAuthorizations);
  ctx.cache.set(d, a);
  return a;
}
