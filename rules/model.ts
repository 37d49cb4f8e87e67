/**
 * The normalized model every partnerlink adapter produces and every rule reads.
 *
 * Input adapters (ARM templates, Terraform plans/JSON, CDKTF output, Pulumi resources, live ARM reads,
 * partnerlink config) build an {@link Estate}; the rules are pure functions over it. Each element carries
 * a {@link SourceLocation} so a finding can point at the file and JSON path, or the resource name.
 */

/** Where a model element came from. */
export interface SourceLocation {
  /** File the element was read from (absent for in-memory sources such as a Pulumi program). */
  file?: string;
  /**
   * JSON path inside the file, e.g. `$.resources[0].properties.authorizations[1]`; or, for an input in code named by
   * property paths (a CDKTF construct's props), the property path, "" being the props themselves.
   */
  path?: string;
  /** Resource name as the user wrote it (template resource name, Terraform address, Pulumi URN or name). */
  resource?: string;
  /**
   * The input's names for the model's properties where they differ (azurerm: `managedByTenantId` is
   * `managing_tenant_id`), so a finding's path names a property that is in the file; "" when the input has no such
   * property (the path is the element's); a JSON path starting with `$` for a property outside the element (an ARM
   * definition's ID is its resource's `name`, beside `properties`). Absent: the model's (ARM) names.
   */
  properties?: Readonly<Record<string, string>>;
  /**
   * The Terraform provider that sends the element to ARM, when that provider validates values more strictly than
   * ARM does (azurerm's `multi_factor_auth_provider` is `Azure` only: rules/facts.ts). The adapter sets it; the rules
   * then apply that provider's stricter facts instead of ARM's. Absent: ARM's (templates, azapi, Pulumi, ARM reads).
   */
  provider?: "azurerm";
}

/**
 * A value the adapter could not determine: an ARM expression it cannot evaluate, a Pulumi preview
 * unknown, a Terraform `after_unknown` attribute. Rules never guess it: they report that it cannot be
 * checked (rule PL012) and skip the checks that need it.
 */
export interface Unresolved {
  readonly unresolved: true;
  /** Why: "known only after apply", "unsupported template function 'reference'", ... */
  readonly reason: string;
  /** The raw expression when there is one, e.g. `[reference('x').id]`. */
  readonly expression?: string;
  /**
   * Where the input shows the value is not known, when that is not at the property itself: a Terraform plan leaves
   * unknown values out of `after` and marks them in `after_unknown`; an attribute computed at apply is not in the
   * file at all. Findings about the value (PL012) point here.
   */
  readonly path?: string;
}

/** A value as the adapter found it: known, or {@link Unresolved}. */
export type Val<T> = T | Unresolved;

export function unresolved(reason: string, expression?: string): Unresolved {
  return expression === undefined ? { unresolved: true, reason } : { unresolved: true, reason, expression };
}

export function isUnresolved(v: unknown): v is Unresolved {
  return typeof v === "object" && v !== null && (v as { unresolved?: unknown }).unresolved === true;
}

/** The known value, or undefined when it is absent or unresolved. */
export function known<T>(v: Val<T> | undefined): T | undefined {
  return v === undefined || isUnresolved(v) ? undefined : v;
}

/** What kind of Entra ID principal an ID names; "Unknown" when the input does not say. */
export type PrincipalType = "User" | "Group" | "ServicePrincipal" | "Unknown";

/** A principal with the role it gets, as in a registration definition's `authorizations[]`. */
export interface Authorization {
  principalId: Val<string>;
  principalIdDisplayName?: Val<string>;
  /** As written: a bare GUID or a role-definition resource ID; parse it with rules/identifiers. */
  roleDefinitionId: Val<string>;
  /** Only meaningful with User Access Administrator. */
  delegatedRoleDefinitionIds?: Val<string>[];
  /** When the input says (partnerlink's own resources, the emulator directory, config). */
  principalType?: PrincipalType;
  source: SourceLocation;
}

export interface Approver {
  principalId: Val<string>;
  principalIdDisplayName?: Val<string>;
  principalType?: PrincipalType;
  source: SourceLocation;
}

export interface JustInTimeAccessPolicy {
  /** `Azure` or `None` are the values Azure accepts; azurerm accepts `Azure` only (rules/facts.ts). */
  multiFactorAuthProvider?: Val<string>;
  /** ISO 8601 duration, PT30M..PT8H. */
  maximumActivationDuration?: Val<string>;
  managedByTenantApprovers: Approver[];
  source: SourceLocation;
}

/** An eligible (just-in-time) authorization: the principal must activate the role before using it. */
export interface EligibleAuthorization extends Authorization {
  justInTimeAccessPolicy?: JustInTimeAccessPolicy;
}

export interface AssignmentScope {
  /** `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{rg}`. */
  scope: Val<string>;
  /** Registration assignment ID (GUID) when the input gives one. */
  assignmentId?: Val<string>;
  /**
   * The assignment's own resource name when it is a resource apart from its definition's (a Terraform address):
   * findings on its properties name it, and its inline waivers cover them. Absent: the delegation's name.
   */
  resource?: string;
  source: SourceLocation;
}

/**
 * One Azure Lighthouse delegation: a registration definition and the assignments that apply it.
 * An assignment whose definition is not in the input still yields a Delegation with what is known.
 */
export interface Delegation {
  /** Human name for messages: offer name, template resource name, Terraform address, Pulumi name. */
  name: string;
  source: SourceLocation;
  /** The managing (partner) tenant. */
  managedByTenantId: Val<string>;
  registrationDefinitionName?: Val<string>;
  description?: Val<string>;
  /** Registration definition ID (GUID) when the input gives one. */
  definitionId?: Val<string>;
  /** Scope the definition is created at; must be a subscription (`/subscriptions/{id}`). */
  definitionScope?: Val<string>;
  /**
   * The level the definition is deployed at when its scope is unresolved but the level is known (an ARM template
   * whose `$schema` is a resource-group, management-group or tenant deployment): not a subscription, whatever the IDs.
   */
  definitionScopeLevel?: "resourceGroup" | "managementGroup" | "tenant";
  /** Where the definition is assigned; empty when the input has only the definition. */
  assignments: AssignmentScope[];
  authorizations: Authorization[];
  eligibleAuthorizations: EligibleAuthorization[];
}

/**
 * Adds an assignment to a definition's delegation, as every adapter joins them. Most have one: an array of one,
 * not the 16 slots V8 gives an empty array on its first push (10,000s of delegations in a plan or a folder).
 */
export function addAssignment(d: Delegation, a: AssignmentScope): void {
  if (d.assignments.length === 0) d.assignments = [a];
  else d.assignments.push(a);
}

/**
 * The delegation of an assignment whose registration definition the input does not hold (or cannot say which):
 * its managing tenant and authorizations are `why`, one unresolved authorization standing for them, so the rules
 * that read authorizations report they cannot check it (PL012) instead of a missing principal. Every finding on it
 * points at `reference`, the property of the assignment that names the definition.
 */
export function unknownDefinitionDelegation(o: {
  name: string;
  source: SourceLocation;
  why: Unresolved;
  reference: string;
  definitionId?: Val<string>;
  assignment: AssignmentScope;
}): Delegation {
  const r = o.reference;
  const source: SourceLocation = { ...o.source, properties: { managedByTenantId: r, definitionId: r, principalId: r, roleDefinitionId: r } };
  const d: Delegation = {
    name: o.name,
    source,
    managedByTenantId: o.why,
    assignments: [o.assignment],
    authorizations: [{ principalId: o.why, roleDefinitionId: o.why, source: { ...source } }],
    eligibleAuthorizations: [],
  };
  if (o.definitionId !== undefined) d.definitionId = o.definitionId;
  return d;
}

/** A Partner Admin Link: an identity linked to a partner ID. */
export interface PartnerLink {
  name: string;
  source: SourceLocation;
  partnerId: Val<string>;
  /** Object ID of the linked identity; unknown for resources that link "whoever runs them". */
  objectId?: Val<string>;
  tenantId?: Val<string>;
}

export type Agreement = "EA" | "MCA" | "CSP" | "unknown";

/** A customer subscription that should carry a partner association. */
export interface Subscription {
  name: string;
  source: SourceLocation;
  subscriptionId: Val<string>;
  agreement: Agreement;
  /** true when a Digital Partner of Record is declared for it (EA only); undefined when not stated. */
  dpor?: boolean;
}

/** Everything one check, policy run or audit looks at. */
export interface Estate {
  delegations: Delegation[];
  partnerLinks: PartnerLink[];
  subscriptions: Subscription[];
  /** Principal types known from the input (e.g. the emulator directory, Pulumi resource inputs). */
  principalTypes?: Record<string, PrincipalType>;
  /**
   * Values the input marks sensitive (a Terraform plan's `after_sensitive`, `sensitive_values`): the rules read them
   * like any other value, and the engine prints "(sensitive value)" wherever one would appear in a finding.
   */
  sensitiveValues?: ReadonlySet<string>;
}

export function emptyEstate(): Estate {
  return { delegations: [], partnerLinks: [], subscriptions: [] };
}

/** Concatenates estates (e.g. one per file) into one. */
export function mergeEstates(estates: Estate[]): Estate {
  const out = emptyEstate();
  const types: Record<string, PrincipalType> = {};
  let sensitive: Set<string> | undefined;
  for (const e of estates) {
    for (const d of e.delegations) out.delegations.push(d);
    for (const l of e.partnerLinks) out.partnerLinks.push(l);
    for (const s of e.subscriptions) out.subscriptions.push(s);
    if (e.principalTypes) Object.assign(types, e.principalTypes);
    if (e.sensitiveValues) for (const v of e.sensitiveValues) (sensitive ??= new Set()).add(v);
  }
  if (Object.keys(types).length > 0) out.principalTypes = types;
  if (sensitive) out.sensitiveValues = sensitive;
  return out;
}

/* ------------------------------------------------------------------------------------------------ */
/* Findings                                                                                          */
/* ------------------------------------------------------------------------------------------------ */

export type Severity = "error" | "warning" | "info";

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface Suppression {
  /** Why the finding is waived, from the waiver. */
  reason: string;
  /** Where the waiver was declared: "config" or "inline". */
  kind: "config" | "inline";
  /** ISO date (YYYY-MM-DD) after which the waiver stops applying. */
  expires?: string;
}

export interface Finding {
  ruleId: string;
  ruleName: string;
  severity: Severity;
  /** Names the resource, the property and the fix. */
  message: string;
  /** Resource name (delegation, link or subscription name). */
  resource: string;
  file?: string;
  /** JSON path of the offending property. */
  path?: string;
  /** Present when a waiver applies: the finding is reported as suppressed, never dropped. */
  suppressed?: Suppression;
  /**
   * PL007's finding on a subscription that is associated, but only through delegations assigned at resource groups:
   * the groups (names as the input spells them) whose consumption earns Partner Earned Credit. A finding that
   * carries it does not say "not associated" (the audit's row stays associated and lists the groups).
   */
  partialAssociation?: PartialAssociation;
}

/** A subscription associated at some of its resource groups only (Finding.partialAssociation). */
export interface PartialAssociation {
  resourceGroups: string[];
}
