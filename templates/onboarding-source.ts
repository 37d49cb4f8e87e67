import { childPath } from "../rules/json-path";
import type { CustomerOnboarding } from "./onboarding-spec";

/**
 * Where an onboarding spec comes from and how its user names the spec's properties. The planner names every
 * property and list entry through it, in its errors and in the rule findings it reports, so a message says what the
 * user wrote: `customers.yaml $[2].authorizations[0].roleDefinitionId` for a `--customers` file,
 * `authorizations[0].roleDefinitionId` for a construct's props (the construct's first authorization, not the
 * generated template's second, where the PEC authorization comes first), `--authorization #1 (roleDefinitionId)` for
 * command-line options, `partnerlink:customers[2].authorizations[0].roleDefinitionId` for the root stack's config.
 * Nothing rewrites a message afterwards: a value quoted in it (an offer name) stays as given.
 */
export interface OnboardingSource {
  /**
   * Starts every message: the file (`customers.yaml`), `options`, the construct (`LighthouseOnboarding 'stack/id'`)
   * or the root stack's customer (`partnerlink:customers[2] (customer 'tailspin')`).
   */
  name: string;
  /**
   * Where the spec is in a file, as a JSON path: `$`, or `$[2]` for the third entry of a list; messages then also name
   * the customer and the spec's schema. Absent: the spec is the properties of an object in code (a construct's
   * props), named as property paths (`authorizations[0].roleDefinitionId`), and `name` says which object it is.
   */
  root?: string;
  /**
   * The source's names for spec keys it calls otherwise, each a property path below `root`: a construct's
   * `description` is the spec's `offerDescription`; the root stack, whose spec is made of two config objects, names
   * `pecRoleId` `partnerlink:partner.pecPrincipal.roleDefinitionId` and `authorizations`
   * `partnerlink:customers[2].authorizations`.
   */
  keys?: Readonly<Partial<Record<keyof CustomerOnboarding, string>>>;
  /**
   * How the source names a spec location, for a source whose names are not paths at all: command-line options name
   * `["authorizations", 1, "principalId"]` `--authorization #2 (principalId)` and the spec itself "". Given, every
   * path is its answer (`root` and `keys` then only describe the source), and the planner names each property of an
   * element in full for the rules, which cannot build such a name by appending `.principalId` to the element's.
   */
  pathOf?: (segments: readonly (string | number)[]) => string;
}

/** A spec file's source: `name` the file (or "options"), `root` the spec's JSON path in it. */
export function fileSource(name: string, root = "$"): OnboardingSource {
  return { name, root };
}

/**
 * The path of a spec location in the source's terms, from the spec's keys and indexes: `("authorizations", 0,
 * "roleDefinitionId")` -> `$[2].authorizations[0].roleDefinitionId` in a list, `authorizations[0].roleDefinitionId` in
 * a construct's props; `()` -> the spec itself (`$[2]`, or "" for props). The first key is renamed by `keys`; a source
 * with `pathOf` names every location itself.
 */
export function specPath(source: OnboardingSource, ...segments: (string | number)[]): string {
  if (source.pathOf !== undefined) return source.pathOf(segments);
  let path = source.root ?? "";
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const renamed = i === 0 && typeof s === "string" ? source.keys?.[s as keyof CustomerOnboarding] : undefined;
    // A renamed key is a property path of the source's, written as it is (`partnerlink:partner.pecPrincipal.objectId`).
    if (renamed !== undefined) {
      path = path === "" ? renamed : `${path}.${renamed}`;
      continue;
    }
    const next = childPath(path, s);
    // A property path has no root: `offerName`, not `.offerName`.
    path = path === "" && next.charCodeAt(0) === 0x2e /* . */ ? next.slice(1) : next;
  }
  return path;
}

/**
 * What a message about the spec starts with: the file, the list entry and the customer
 * (`customers.yaml $[2] (customer 'Contoso')`), or the object in code (`LighthouseOnboarding 'stack/id'`).
 */
export function describeSource(source: OnboardingSource, customer: string): string {
  if (source.root === undefined) return source.name;
  return `${source.name}${source.root === "$" ? "" : ` ${source.root}`} (customer '${customer}')`;
}
