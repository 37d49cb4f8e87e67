import type { RoleOverride } from "./config-types";
import { parseRoleDefinitionId } from "./identifiers";
import catalogData from "./roles.json";

export { parseRoleDefinitionId } from "./identifiers";

/**
 * The role catalog: PEC eligibility and Azure Lighthouse support of built-in roles.
 * Data lives in rules/roles.json (the one source of truth, each fact with its source and date);
 * this module only looks it up. Config `roles` overrides build a {@link RoleCatalog} view on top.
 */

export type LighthouseSupport = "yes" | "no" | "with-delegated-roles" | "unknown";

export interface RoleFacts {
  /** Lower-case role definition GUID. */
  id: string;
  name: string;
  /** Listed as eligible in Partner Center's PEC table (2022-11-08); false when listed as not, or not listed. */
  pecEligible: boolean;
  /** Whether the definition has DataActions; null when the reference does not say. */
  hasDataActions: boolean | null;
  /** Usable as a permanent Lighthouse authorization; "unknown" when the facts it depends on are unknown. */
  lighthouse: LighthouseSupport;
  /** Allowed in an eligible (just-in-time) authorization: false for Owner and User Access Administrator. */
  eligibleAllowed: boolean;
  /** Where each fact comes from, with its date. */
  sources: Partial<Record<"pecEligible" | "hasDataActions" | "lighthouse" | "eligibleAllowed", string>>;
  /** True for facts known to change (Log Analytics Contributor's data action). */
  volatile?: boolean;
  /** Date the volatile fact was last confirmed. */
  asOf?: string;
  /** E.g. a rename since the Partner Center table was published. */
  notes?: string;
  /** True when a config override changed a fact. */
  overridden?: boolean;
}

/** Owner: PEC-eligible but never accepted by Lighthouse. */
export const OWNER_ROLE_ID = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
/** User Access Administrator: Lighthouse only with delegatedRoleDefinitionIds; never eligible (JIT). */
export const USER_ACCESS_ADMINISTRATOR_ROLE_ID = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
/** Reader: accepted by Lighthouse, NOT PEC-eligible. */
export const READER_ROLE_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
/** Lets the partner remove a delegation itself. */
export const DELEGATION_DELETE_ROLE_ID = "91c1777a-f3dc-4fae-b103-61d183457e46";
/** The good default role for the PEC principal: Contributor (PEC-eligible, accepted by Lighthouse). */
export const DEFAULT_PEC_ROLE_ID = "b24988ac-6180-42a0-ab88-20f7382dd24c";

interface CatalogFile {
  catalogDate: string;
  roles: RoleFacts[];
}

const DATA = catalogData as unknown as CatalogFile;

/** Date of the catalog's role-definition snapshot. */
export const CATALOG_DATE: string = DATA.catalogDate;

/** True when a role can carry Partner Earned Credit in a Lighthouse delegation: PEC-eligible AND Lighthouse "yes". */
export function isPecUsable(r: RoleFacts | undefined): boolean {
  return r !== undefined && r.pecEligible && r.lighthouse === "yes";
}

/** "Contributor (b24988ac-...)" or the bare GUID/ID when the role is unknown. */
export function describeRole(r: RoleFacts | undefined, rawId: string): string {
  return r ? `${r.name} (${r.id})` : `${rawId} (unknown or custom role)`;
}

/** An immutable view of the catalog, possibly with config overrides applied. */
export class RoleCatalog {
  private readonly byId: Map<string, RoleFacts>;

  constructor(roles: Iterable<RoleFacts>) {
    this.byId = new Map();
    for (const r of roles) this.byId.set(r.id.toLowerCase(), r);
  }

  /** Facts for a bare GUID or role definition resource ID (any scope, any case); undefined when unknown. */
  lookup(idOrResourceId: string): RoleFacts | undefined {
    const hit = this.byId.get(idOrResourceId); // fast path: already a lower-case GUID
    if (hit !== undefined) return hit;
    const g = parseRoleDefinitionId(idOrResourceId);
    return g === undefined ? undefined : this.byId.get(g);
  }

  /** Every role in the catalog. */
  all(): RoleFacts[] {
    return [...this.byId.values()];
  }

  /** Roles that are PEC-eligible and usable as permanent Lighthouse authorizations. */
  pecLighthouseRoles(): RoleFacts[] {
    return this.all().filter(isPecUsable);
  }
}

function deriveLighthouse(id: string, hasDataActions: boolean | null): LighthouseSupport {
  if (id === OWNER_ROLE_ID) return "no";
  if (id === USER_ACCESS_ADMINISTRATOR_ROLE_ID) return "with-delegated-roles";
  if (hasDataActions === null) return "unknown";
  return hasDataActions ? "no" : "yes";
}

/**
 * A catalog view with config `roles` overrides applied on top of rules/roles.json. An override may add a
 * role that is not in the catalog (its unstated facts stay unknown: pecEligible false, hasDataActions null).
 * When an override changes hasDataActions without stating lighthouse, Lighthouse support is re-derived.
 */
export function buildRoleCatalog(overrides: readonly RoleOverride[] = []): RoleCatalog {
  if (overrides.length === 0) return DEFAULT_CATALOG;
  const map = new Map(DATA.roles.map((r) => [r.id, r] as const));
  for (const o of overrides) {
    const id = parseRoleDefinitionId(o.id);
    if (id === undefined) continue; // config validation rejects malformed IDs before this
    const base: RoleFacts = map.get(id) ?? {
      id,
      name: o.name ?? id,
      pecEligible: false,
      hasDataActions: null,
      lighthouse: "unknown",
      eligibleAllowed: id !== OWNER_ROLE_ID && id !== USER_ACCESS_ADMINISTRATOR_ROLE_ID,
      sources: { pecEligible: "not in the partnerlink catalog; not PEC-eligible as far as the 2022 Partner Center table says" },
    };
    const why = `config roles override${o.reason ? `: ${o.reason}` : ""}`;
    const r: RoleFacts = { ...base, sources: { ...base.sources }, overridden: true };
    if (o.name !== undefined) r.name = o.name;
    if (o.pecEligible !== undefined) {
      r.pecEligible = o.pecEligible;
      r.sources.pecEligible = why;
    }
    if (o.hasDataActions !== undefined) {
      r.hasDataActions = o.hasDataActions;
      r.sources.hasDataActions = why;
      if (o.lighthouse === undefined) {
        r.lighthouse = deriveLighthouse(id, o.hasDataActions);
        r.sources.lighthouse = `${why} (derived from hasDataActions)`;
      }
    }
    if (o.lighthouse !== undefined) {
      r.lighthouse = o.lighthouse;
      r.sources.lighthouse = why;
    }
    map.set(id, r);
  }
  return new RoleCatalog(map.values());
}

const DEFAULT_CATALOG = new RoleCatalog(DATA.roles);

/** The catalog as shipped (no overrides). */
export function defaultRoleCatalog(): RoleCatalog {
  return DEFAULT_CATALOG;
}

/** Facts for a role in the shipped catalog: bare GUID or role definition resource ID, case-insensitive. */
export function lookupRole(idOrResourceId: string): RoleFacts | undefined {
  return DEFAULT_CATALOG.lookup(idOrResourceId);
}

/** Roles usable for the PEC principal (PEC-eligible AND accepted by Lighthouse as permanent authorizations). */
export const PEC_LIGHTHOUSE_ROLES: readonly RoleFacts[] = DEFAULT_CATALOG.pecLighthouseRoles();

/** The recommended roles for the PEC principal, in order of preference (reference: pec-roles.md "Good defaults"). */
export const RECOMMENDED_PEC_ROLE_IDS: readonly string[] = [
  DEFAULT_PEC_ROLE_ID,
  "cfd33db0-3dd1-45e3-aa9d-cdbdf3b6f24e", // Support Request Contributor
  "749f88d5-cbae-40b8-bcfc-e573ddc772fa", // Monitoring Contributor
  "434105ed-43f6-45c7-a02f-909b2ba83430", // Cost Management Contributor
];
