import { isPartnerId, isPlaceholderGuid, parseGuid, parseIsoDuration, parseRoleDefinitionId, parseScope, parseSubscriptionId } from "../identifiers";
import { isUnresolved, type Authorization, type Delegation, type EligibleAuthorization, type Estate, type SourceLocation, type Val } from "../model";
import { RecentStrings } from "../recent-strings";
import type { RuleContext } from "./context";
import { authSource, basePath, propPath } from "./paths";

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
  | "definitionScope"
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
  /** A malformed field whose value is well formed but a placeholder GUID (identifierProblem). */
  placeholder?: true;
}

/**
 * What is wrong with a known value of `kind`: "malformed" (not the identifier's form), "placeholder" (well formed, but
 * its GUID is a placeholder such as 00000000-0000-0000-0000-000000000000, rules/identifiers.ts PLACEHOLDER_GUIDS: of a
 * scope its subscription, of a role definition ID the role), or undefined. mfaProvider is an enum, checked by PL005.
 */
export function identifierProblem(kind: FieldKind, s: string): "malformed" | "placeholder" | undefined {
  // A switch, not a table of closures: the walk calls it for every identifier of the estate.
  let guid: string | undefined;
  switch (kind) {
    case "tenantId":
    case "principalId":
    case "objectId":
    case "definitionId":
    case "assignmentId":
      guid = parseGuid(s);
      break;
    case "roleDefinitionId":
      guid = parseRoleDefinitionId(s);
      break;
    case "definitionScope":
    case "scope":
      guid = parseScope(s)?.subscriptionId;
      break;
    case "subscriptionId":
      guid = parseSubscriptionId(s);
      break;
    case "partnerId":
      return isPartnerId(s) ? undefined : "malformed";
    case "duration":
      return parseIsoDuration(s) !== undefined ? undefined : "malformed";
    case "mfaProvider":
      return undefined;
  }
  if (guid === undefined) return "malformed";
  return isPlaceholderGuid(guid) ? "placeholder" : undefined;
}

export interface FieldProblems {
  malformed: Field[];
  unresolved: Field[];
}

/** Collects the problem fields; `resource` and `source` are those of the element being walked. */
class FieldWalk {
  readonly out: FieldProblems = { malformed: [], unresolved: [] };
  resource = "";
  source: SourceLocation = {};
  /**
   * The last values of each kind found well formed (a clean estate repeats its tenant, principals, roles and
   * durations in every delegation). Only "no problem" is remembered, the path every clean value takes: a value with
   * a problem is judged afresh, so a finding never comes from here. One per kind: a string well formed as one kind
   * can be malformed as another ("1234567" is a partner ID, not a tenant ID).
   */
  private readonly wellFormed: Record<FieldKind, RecentStrings> = {
    tenantId: new RecentStrings(),
    principalId: new RecentStrings(),
    roleDefinitionId: new RecentStrings(),
    definitionScope: new RecentStrings(),
    scope: new RecentStrings(),
    definitionId: new RecentStrings(),
    assignmentId: new RecentStrings(),
    partnerId: new RecentStrings(),
    objectId: new RecentStrings(),
    subscriptionId: new RecentStrings(),
    duration: new RecentStrings(),
    mfaProvider: new RecentStrings(),
  };

  /** identifierProblem, remembering the well-formed values of each kind. */
  private problemOf(kind: FieldKind, s: string): "malformed" | "placeholder" | undefined {
    const known = this.wellFormed[kind];
    if (known.has(s)) return undefined;
    const problem = identifierProblem(kind, s);
    if (problem === undefined) known.add(s);
    return problem;
  }

  /**
   * Checks one value at `base` + `prop`: a model property name (written as the input names it, see `names`) or an
   * index (`[2]`). The path is built only for a value with a problem.
   */
  v(kind: FieldKind, value: Val<string> | undefined, base: string, prop: string, names?: SourceLocation): "malformed" | "placeholder" | "unresolved" | undefined {
    if (value === undefined) return undefined;
    let problem: "malformed" | "placeholder" | "unresolved" | undefined;
    if (typeof value === "string") problem = this.problemOf(kind, value);
    else problem = isUnresolved(value) ? "unresolved" : identifierProblem(kind, value);
    if (problem === undefined) return undefined;
    const path = prop.charCodeAt(0) === 0x5b /* [ */ ? base + prop : propPath(base, prop, names);
    const field: Field = { kind, value, resource: this.resource, source: this.source, path };
    if (problem === "placeholder") field.placeholder = true;
    this.out[problem === "unresolved" ? "unresolved" : "malformed"].push(field);
    return problem;
  }

  auths(d: Delegation, dBase: string, kind: "authorizations" | "eligibleAuthorizations", list: readonly (Authorization | EligibleAuthorization)[]): void {
    const dSource = d.source;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      // An authorization read from another file (an ARM parameters file) is reported in that file.
      this.source = authSource(d, a);
      const p = a.source.path !== undefined ? a.source.path : `${propPath(dBase, kind, dSource)}[${i}]`;
      this.v("principalId", a.principalId, p, "principalId", a.source);
      this.v("roleDefinitionId", a.roleDefinitionId, p, "roleDefinitionId", a.source);
      const dr = a.delegatedRoleDefinitionIds;
      if (dr) {
        const dp = propPath(p, "delegatedRoleDefinitionIds", a.source);
        for (let j = 0; j < dr.length; j++) this.v("roleDefinitionId", dr[j], dp, `[${j}]`);
      }
      const jit = (a as EligibleAuthorization).justInTimeAccessPolicy;
      if (jit) {
        // Fallback paths only when the element has none (template literals in an argument are built eagerly). A path ""
        // is one: the root of property paths (rules/checks/paths.ts), below which a property is named alone.
        const jp = jit.source?.path !== undefined ? jit.source.path : propPath(p, "justInTimeAccessPolicy", a.source);
        this.v("duration", jit.maximumActivationDuration, jp, "maximumActivationDuration", jit.source);
        this.v("mfaProvider", jit.multiFactorAuthProvider, jp, "multiFactorAuthProvider", jit.source);
        const aps = jit.managedByTenantApprovers;
        for (let k = 0; k < aps.length; k++) {
          const ap = aps[k];
          this.v("principalId", ap.principalId, ap.source?.path !== undefined ? ap.source.path : `${propPath(jp, "managedByTenantApprovers", jit.source)}[${k}]`, "principalId", ap.source);
        }
      }
    }
    this.source = dSource;
  }
}

/** The malformed and unresolved fields of the estate, computed once per evaluation. */
export function fieldProblems(estate: Estate, ctx: RuleContext): FieldProblems {
  const cached = ctx.shared.get("field-problems") as FieldProblems | undefined;
  if (cached) return cached;
  const w = new FieldWalk();
  const delegations = estate.delegations;
  // An assignment read once may join several definition instances (a Terraform chained for_each): its fields are
  // walked once, so each problem is one finding.
  const seenAssignments = new Set<object>();
  for (let n = 0; n < delegations.length; n++) {
    const d = delegations[n];
    w.resource = d.name;
    w.source = d.source;
    const base = basePath(d.source);
    w.v("tenantId", d.managedByTenantId, base, "managedByTenantId", d.source);
    w.v("definitionId", d.definitionId, base, "definitionId", d.source);
    // Unresolved at a known deployment level (an ARM resource group-level template): PL006 judges it, so no PL012.
    const scopeProblem = d.definitionScopeLevel !== undefined && isUnresolved(d.definitionScope) ? undefined : w.v("definitionScope", d.definitionScope, base, "definitionScope", d.source);
    // A placeholder subscription in the definition's scope is reported there once, not again in each assignment's
    // scope in that subscription (an onboarding builds both from one subscriptionId).
    // (What the walk found for it, not a second parse: this runs for every delegation.)
    const placeholderSub = scopeProblem === "placeholder" ? parseScope(d.definitionScope)!.subscriptionId : undefined;
    for (let i = 0; i < d.assignments.length; i++) {
      const a = d.assignments[i];
      if (seenAssignments.has(a)) continue;
      seenAssignments.add(a);
      const ap = a.source.path !== undefined ? a.source.path : `${base}.assignments[${i}]`;
      w.resource = a.resource ?? d.name;
      if (placeholderSub === undefined || typeof a.scope !== "string" || parseScope(a.scope)?.subscriptionId !== placeholderSub) w.v("scope", a.scope, ap, "scope", a.source);
      w.v("assignmentId", a.assignmentId, ap, "assignmentId", a.source);
    }
    w.resource = d.name;
    w.auths(d, base, "authorizations", d.authorizations);
    w.auths(d, base, "eligibleAuthorizations", d.eligibleAuthorizations);
  }
  for (const l of estate.partnerLinks) {
    w.resource = l.name;
    w.source = l.source;
    const base = basePath(l.source);
    w.v("partnerId", l.partnerId, base, "partnerId", l.source);
    w.v("objectId", l.objectId, base, "objectId", l.source);
    w.v("tenantId", l.tenantId, base, "tenantId", l.source);
  }
  for (const s of estate.subscriptions) {
    w.resource = s.name;
    w.source = s.source;
    w.v("subscriptionId", s.subscriptionId, basePath(s.source), "subscriptionId", s.source);
  }
  ctx.shared.set("field-problems", w.out);
  return w.out;
}
