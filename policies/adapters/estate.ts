import type { PartnerlinkConfig } from "../../rules/config-types";
import { parseSubscriptionId } from "../../rules/identifiers";
import {
  emptyEstate,
  isUnresolved,
  unresolved,
  type Delegation,
  type Estate,
  type PrincipalType,
} from "../../rules/model";
import { definitionGuid, unknownAuthorization } from "./lighthouse";
import { adapterFor } from "./registry";
import type { AdaptedResource, AssignmentRef, PulumiResource } from "./resource";
import { sourceOf } from "./resource";

/** An estate plus where each of its elements came from, so findings can be reported on the right URN. */
export interface PulumiEstate {
  estate: Estate;
  /** Model element name (delegation, link or subscription name) -> URN of the resource it came from. */
  urnByName: Map<string, string>;
  /** Resources that were understood (type token known). */
  adapted: number;
}

/** One resource alone as an estate (what a resource-level policy sees). */
export function estateOfResource(r: PulumiResource, adapted: AdaptedResource): Estate {
  const estate = emptyEstate();
  addAdapted(estate, r, adapted);
  return estate;
}

function addAdapted(estate: Estate, r: PulumiResource, a: AdaptedResource): void {
  switch (a.kind) {
    case "definition":
    case "onboarding":
      estate.delegations.push(a.delegation);
      break;
    case "assignment":
      estate.delegations.push(orphanAssignment(r, a.ref));
      break;
    case "partnerLink":
      estate.partnerLinks.push(a.link);
      if (a.principalTypes) estate.principalTypes = { ...(estate.principalTypes ?? {}), ...a.principalTypes };
      break;
    case "subscription":
      estate.subscriptions.push(a.subscription);
      break;
  }
}

/**
 * An assignment whose definition is not in the input: a delegation with the assignment and nothing known
 * about the definition, so rules that need the definition report it cannot be checked rather than failing.
 */
export function orphanAssignment(r: PulumiResource, ref: AssignmentRef): Delegation {
  const why = unresolved(
    "the registration definition is not in this stack",
    ref.definitionRef !== undefined && !isUnresolved(ref.definitionRef) ? ref.definitionRef : undefined,
  );
  const d: Delegation = {
    name: r.name,
    source: sourceOf(r),
    managedByTenantId: why,
    assignments: [ref.assignment],
    authorizations: [unknownAuthorization(r, "registrationDefinitionId", why)],
    eligibleAuthorizations: [],
  };
  if (ref.definitionRef !== undefined) d.definitionId = ref.definitionRef;
  return d;
}

/**
 * The whole stack as one estate: assignments join the definition they reference (by registration definition
 * GUID, else by resource dependency); subscriptions take their agreement and DPOR from the config's
 * `subscriptions[]` when it declares them.
 */
export function estateOfStack(resources: PulumiResource[], config: PartnerlinkConfig): PulumiEstate {
  const estate = emptyEstate();
  const urnByName = new Map<string, string>();
  const defsByGuid = new Map<string, Delegation>();
  const defsByUrn = new Map<string, Delegation>();
  const assignments: { r: PulumiResource; ref: AssignmentRef }[] = [];
  const types: Record<string, PrincipalType> = {};
  let adapted = 0;

  for (const r of resources) {
    const entry = adapterFor(r.type);
    if (!entry) continue;
    adapted++;
    const a = entry.adapt(r);
    if (a.kind === "assignment") {
      assignments.push({ r, ref: a.ref });
      continue;
    }
    if (!urnByName.has(nameOf(a))) urnByName.set(nameOf(a), r.urn);
    if (a.kind === "definition") {
      defsByUrn.set(r.urn, a.delegation);
      const g = definitionGuid(a.delegation.definitionId);
      if (g) defsByGuid.set(g, a.delegation);
    }
    if (a.kind === "partnerLink" && a.principalTypes) Object.assign(types, a.principalTypes);
    addAdapted(estate, r, a);
  }

  for (const { r, ref } of assignments) {
    const byGuid = definitionGuid(ref.definitionRef);
    let def = byGuid ? defsByGuid.get(byGuid) : undefined;
    if (!def) {
      const deps = (r.dependencies ?? []).map((u) => defsByUrn.get(u)).filter((d): d is Delegation => !!d);
      if (deps.length === 1) def = deps[0];
    }
    if (def) {
      def.assignments.push(ref.assignment);
    } else {
      estate.delegations.push(orphanAssignment(r, ref));
      if (!urnByName.has(r.name)) urnByName.set(r.name, r.urn);
    }
  }

  const declared = new Map<string, NonNullable<PartnerlinkConfig["subscriptions"]>[number]>();
  for (const s of config.subscriptions ?? []) {
    const id = parseSubscriptionId(s.subscriptionId);
    if (id) declared.set(id, s);
  }
  for (const s of estate.subscriptions) {
    const id = isUnresolved(s.subscriptionId) ? undefined : parseSubscriptionId(s.subscriptionId);
    const decl = id ? declared.get(id) : undefined;
    if (!decl) continue;
    if (decl.agreement !== undefined && decl.agreement !== "unknown") s.agreement = decl.agreement;
    if (decl.dpor !== undefined) s.dpor = decl.dpor;
  }
  if (Object.keys(types).length > 0) estate.principalTypes = types;
  return { estate, urnByName, adapted };
}

function nameOf(a: AdaptedResource): string {
  switch (a.kind) {
    case "definition":
    case "onboarding":
      return a.delegation.name;
    case "assignment":
      return a.ref.assignment.source.resource ?? "";
    case "partnerLink":
      return a.link.name;
    case "subscription":
      return a.subscription.name;
  }
}
