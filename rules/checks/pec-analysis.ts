import { parseGuid, parseRoleDefinitionId } from "../identifiers";
import { isUnresolved, type Authorization, type Delegation, type Estate } from "../model";
import { isPecUsable } from "../roles";
import type { RuleContext } from "./context";
import { authPath, type AuthKind } from "./paths";

/**
 * Where the PEC principals appear in each delegation, computed in one pass over the estate and shared for the
 * evaluation: PL001, PL002, PL003, PL007 and PL008 all read it.
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
  /**
   * Some permanent authorization with an unresolved principalId has a role that is PEC-eligible and usable, or
   * unknown: if that principal is a PEC principal, the delegation earns PEC.
   */
  unresolvedPrincipalMayEarn: boolean;
  /** Some eligible authorization's principalId is unresolved. */
  unresolvedEligiblePrincipal: boolean;
  /** PEC principals with at least one permanent, PEC-eligible, Lighthouse-usable role. */
  usable: Set<string>;
  /** PEC principals with a permanent role that is unresolved or malformed (cannot tell whether usable). */
  roleUndetermined: Set<string>;
}

const EMPTY_REFS: ReadonlyMap<string, AuthRef[]> = new Map();
const EMPTY_SET: ReadonlySet<string> = new Set();

/**
 * The PEC analysis of every delegation of the estate, by index (`pecAnalyses(estate, ctx)[dIndex]` is that of
 * `estate.delegations[dIndex]`), computed once per evaluation. An array in ctx.shared rather than a Map keyed by
 * delegation (ctx.cache): the five rules each looked up 10,000s of delegations there, and filled it.
 */
export function pecAnalyses(estate: Estate, ctx: RuleContext): readonly PecAnalysis[] {
  const cached = ctx.shared.get("pec-analysis") as PecAnalysis[] | undefined;
  if (cached) return cached;
  const delegations = estate.delegations;
  const out: PecAnalysis[] = new Array(delegations.length);
  for (let i = 0; i < delegations.length; i++) out[i] = analyzePec(delegations[i]!, ctx);
  ctx.shared.set("pec-analysis", out);
  return out;
}

function analyzePec(d: Delegation, ctx: RuleContext): PecAnalysis {
  // The shared empty collections are replaced on first write (most delegations fill one or two of them).
  const a: PecAnalysis = {
    permanent: EMPTY_REFS as Map<string, AuthRef[]>,
    eligible: EMPTY_REFS as Map<string, AuthRef[]>,
    unresolvedPermanentPrincipal: false,
    unresolvedPrincipalMayEarn: false,
    unresolvedEligiblePrincipal: false,
    usable: EMPTY_SET as Set<string>,
    roleUndetermined: EMPTY_SET as Set<string>,
  };
  scan(a, d, "authorizations", d.authorizations, ctx);
  scan(a, d, "eligibleAuthorizations", d.eligibleAuthorizations, ctx);
  return a;
}

/** Whether a permanent role earns PEC in Lighthouse ("usable"), does not ("no"), or cannot be told (unresolved or malformed). */
function permanentRole(raw: Authorization["roleDefinitionId"], ctx: RuleContext): "usable" | "no" | "undetermined" {
  // The catalog is keyed by lower-case GUID: look the raw ID up first, parse only on a miss.
  const role = isUnresolved(raw) ? undefined : ctx.catalog.lookup(raw);
  if (role === undefined && (isUnresolved(raw) || parseRoleDefinitionId(raw) === undefined)) return "undetermined";
  return isPecUsable(role) ? "usable" : "no";
}

function scan(a: PecAnalysis, d: Delegation, kind: AuthKind, list: readonly Authorization[], ctx: RuleContext): void {
  const permanent = kind === "authorizations";
  for (let i = 0; i < list.length; i++) {
    const auth = list[i];
    if (isUnresolved(auth.principalId)) {
      if (permanent) {
        a.unresolvedPermanentPrincipal = true;
        if (!a.unresolvedPrincipalMayEarn) a.unresolvedPrincipalMayEarn = permanentRole(auth.roleDefinitionId, ctx) !== "no";
      } else a.unresolvedEligiblePrincipal = true;
      continue;
    }
    const p = parseGuid(auth.principalId);
    if (p === undefined || !ctx.pecPrincipals.has(p)) continue;
    const ref = new AuthRef(d, auth, kind, i);
    let refsByPrincipal = permanent ? a.permanent : a.eligible;
    if (refsByPrincipal === EMPTY_REFS) {
      refsByPrincipal = new Map();
      if (permanent) a.permanent = refsByPrincipal;
      else a.eligible = refsByPrincipal;
    }
    const refs = refsByPrincipal.get(p);
    if (refs) refs.push(ref);
    else refsByPrincipal.set(p, [ref]);
    if (permanent) {
      const role = permanentRole(auth.roleDefinitionId, ctx);
      if (role === "undetermined") {
        if (a.roleUndetermined === EMPTY_SET) a.roleUndetermined = new Set();
        a.roleUndetermined.add(p);
      } else if (role === "usable") {
        if (a.usable === EMPTY_SET) a.usable = new Set();
        a.usable.add(p);
      }
    }
  }
}
