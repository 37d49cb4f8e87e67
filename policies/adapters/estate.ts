import type { PartnerlinkConfig, Waiver } from "../../rules/config-types";
import {
  emptyEstate,
  isUnresolved,
  unresolved,
  type Delegation,
  type Estate,
} from "../../rules/model";
import { definitionInSubscription, definitionsByGuid } from "../../rules/definition-join";
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
  /** PEC principals the resources declare (LighthouseOnboarding `pecAuthorization.principalId`), when known. */
  pecPrincipals: string[];
  /** Inline waivers the resources declare (LighthouseOnboarding `rulesConfig.waivers`), each scoped to its resource. */
  inlineWaivers: Waiver[];
}

/** The PEC principal a resource declares (partnerlink's LighthouseOnboarding), when known. */
export function pecPrincipalsOf(a: AdaptedResource): string[] {
  return a.kind === "onboarding" && typeof a.pecPrincipal === "string" && a.pecPrincipal !== "" ? [a.pecPrincipal] : [];
}

/**
 * The PEC principals the rules check. Configuration wins: "the PEC principals come from configuration; where none is
 * configured, the rules infer them" (issue 2). So `pecPrincipals` in the pack's config is used as it is; only where
 * none is configured do the identities the resources declare (a LighthouseOnboarding's `pecAuthorization`) count as
 * PEC principals, next to what the engine infers from PAL links. A resource therefore cannot vouch for itself against
 * the partner's declared PEC identity: a stack whose configured PEC principal is only just-in-time fails (PL002) even
 * when its onboardings name another identity as `pecAuthorization`.
 */
export function withDeclaredPecPrincipals(config: PartnerlinkConfig, declared: string[]): PartnerlinkConfig {
  if (declared.length === 0 || (config.pecPrincipals?.length ?? 0) > 0) return config;
  const seen = new Set((config.pecPrincipals ?? []).map((p) => p.toLowerCase()));
  const add = declared.filter((p) => {
    const k = p.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return add.length === 0 ? config : { ...config, pecPrincipals: [...(config.pecPrincipals ?? []), ...add] };
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
  const source = sourceOf(r);
  // A finding on the definition ID names the input that holds the reference, not the model's property.
  if (ref.definitionRefPath !== undefined) source.properties = { definitionId: ref.definitionRefPath };
  const d: Delegation = {
    name: r.name,
    source,
    managedByTenantId: why,
    assignments: [ref.assignment],
    authorizations: [unknownAuthorization(r, "(registration definition)", why)],
    eligibleAuthorizations: [],
  };
  if (ref.definitionRef !== undefined) d.definitionId = definitionGuid(ref.definitionRef) ?? ref.definitionRef;
  return d;
}

/**
 * The whole stack as one estate: assignments join the definition they reference (by registration definition
 * GUID; of several with it, the one in the assignment's subscription, rules/definition-join.ts, else the one it
 * depends on; else by the resource dependency when it is the only definition the assignment depends on). Config-declared
 * subscriptions are merged in by the engine (rules/engine.ts `mergeSubscriptions`).
 */
export function estateOfStack(resources: PulumiResource[]): PulumiEstate {
  const estate = emptyEstate();
  const urnByName = new Map<string, string>();
  const definitions: Delegation[] = [];
  const defsByUrn = new Map<string, Delegation>();
  const assignments: { r: PulumiResource; ref: AssignmentRef }[] = [];
  const pecPrincipals: string[] = [];
  const inlineWaivers: Waiver[] = [];
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
      definitions.push(a.delegation);
    }
    if (a.kind === "onboarding") {
      pecPrincipals.push(...pecPrincipalsOf(a));
      inlineWaivers.push(...(a.inlineWaivers ?? []));
    }
    addAdapted(estate, r, a);
  }

  const defsByGuid = definitionsByGuid(definitions, (d) => definitionGuid(d.definitionId));
  for (const { r, ref } of assignments) {
    const byGuid = definitionGuid(ref.definitionRef);
    const candidates = byGuid ? (defsByGuid.get(byGuid) ?? []) : [];
    const deps = (r.dependencies ?? []).map((u) => defsByUrn.get(u)).filter((d): d is Delegation => !!d);
    // Of several definitions with the GUID: the one in the assignment's subscription, else the one it depends on.
    let def =
      definitionInSubscription(candidates, (d) => d, ref.definitionRef, ref.assignment.scope) ??
      (candidates.length > 1 ? candidates.find((c) => deps.includes(c)) : undefined) ??
      candidates[candidates.length - 1];
    if (!def && deps.length === 1) def = deps[0];
    if (def) {
      def.assignments.push(ref.assignment);
    } else {
      estate.delegations.push(orphanAssignment(r, ref));
      if (!urnByName.has(r.name)) urnByName.set(r.name, r.urn);
    }
  }

  return { estate, urnByName, adapted, pecPrincipals, inlineWaivers };
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
