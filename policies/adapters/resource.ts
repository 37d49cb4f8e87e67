import type { Waiver } from "../../rules/config-types";
import type {
  AssignmentScope,
  Delegation,
  PartnerLink,
  SourceLocation,
  Subscription,
  Val,
} from "../../rules/model";

/**
 * One Pulumi resource as a policy sees it: the type token, the name, the URN and the raw (unproxied)
 * properties, plus the URNs it depends on when the caller knows them (stack policies do).
 */
export interface PulumiResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  /** URNs of the resources this one depends on (all dependencies, property dependencies included). */
  dependencies?: string[];
}

/**
 * An assignment whose registration definition is another resource: linked to it in the stack by the
 * definition GUID when known, or else by the resource dependency.
 */
export interface AssignmentRef {
  assignment: AssignmentScope;
  /** The registration definition reference as written (GUID or resource ID), when present. */
  definitionRef?: Val<string>;
  /** Where the resource's inputs hold that reference (`$.properties.registrationDefinitionId`), for findings on it. */
  definitionRefPath?: string;
}

/** What one resource contributes to the model. */
export type AdaptedResource =
  | { kind: "definition"; delegation: Delegation }
  /** Definition and assignments in one resource (partnerlink's LighthouseOnboarding). */
  | {
      kind: "onboarding";
      delegation: Delegation;
      pecPrincipal?: Val<string>;
      /** The resource's own `rulesConfig.waivers`, scoped to it (inline waivers). */
      inlineWaivers?: Waiver[];
    }
  | { kind: "assignment"; ref: AssignmentRef }
  | { kind: "partnerLink"; link: PartnerLink }
  | { kind: "subscription"; subscription: Subscription };

export type ResourceAdapter = (r: PulumiResource) => AdaptedResource;

/**
 * Where a model element sits in the resource's inputs, as a JSON path from the inputs' root (`$`); the rules
 * append the model property they report on (`$.properties.authorizations[0]` + `.principalId`).
 */
export function sourceOf(r: PulumiResource, path?: string): SourceLocation {
  const p = path === undefined || path === "" ? "$" : path.startsWith("$") ? path : path.startsWith("[") ? `$${path}` : `$.${path}`;
  return { resource: r.name, path: p };
}
