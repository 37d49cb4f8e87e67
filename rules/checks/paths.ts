import { isUnresolved, type Authorization, type Delegation, type SourceLocation, type Val } from "../model";
import { describeRole, type RoleCatalog } from "../roles";
import { parseRoleDefinitionId } from "../identifiers";

/**
 * JSON paths and message fragments shared by the rules. A model element's `source.path` points at the
 * element; a property path appends the model's property name to it (`$.resources[0].properties.authorizations[1]`
 * + `.roleDefinitionId`). Elements without a source path get one relative to their delegation.
 * An input named by property paths instead of JSON paths (a CDKTF construct's props: `authorizations[0]`) has the
 * empty path "" as its root: an element there has path "", and its properties are named without a root (`pecRoleId`).
 */

/**
 * ` (path)` for a message that names an element and where it is; nothing when the path is "" (the root of an input
 * named by property paths: a CDKTF construct's props, a root stack customer, a `partnerlink template` spec given as
 * options), which the message's prefix already names.
 */
export function wherePath(path: string): string {
  return path === "" ? "" : ` (${path})`;
}

export function basePath(src: SourceLocation | undefined, fallback = "$"): string {
  return src?.path !== undefined ? src.path : fallback;
}

/**
 * `base` + `.prop`, `prop` as the input names it (see {@link SourceLocation.properties}); `base` itself when the
 * input has no such property (named ""), e.g. a DPOR declaration on a Terraform subscription.
 */
export function propPath(base: string, prop: string, src?: SourceLocation): string {
  const name = src?.properties?.[prop] ?? prop;
  // An absolute path (`$...`) names a property outside the element: an ARM definition's ID is its resource's `name`.
  // Below the root "" of property paths, a property is its name alone.
  return name === "" ? base : name.charCodeAt(0) === 0x24 /* $ */ ? name : base === "" ? name : `${base}.${name}`;
}

/**
 * The input's name for a model property, for a fix text: `authorization` in an azurerm plan, `authorizations` in an
 * ARM template (see {@link SourceLocation.properties}). The model's name when the input has no name of its own.
 */
export function propName(prop: string, src?: SourceLocation): string {
  const name = src?.properties?.[prop];
  if (name === undefined || name === "") return prop;
  return name.charCodeAt(0) === 0x24 /* $ */ ? name.slice(name.lastIndexOf(".") + 1) : name;
}

export type AuthKind = "authorizations" | "eligibleAuthorizations";

/** Path of the i-th (eligible) authorization of a delegation. */
export function authPath(d: Delegation, a: Authorization, kind: AuthKind, i: number): string {
  return basePath(a.source, `${propPath(basePath(d.source), kind, d.source)}[${i}]`);
}

/**
 * Where a finding on an authorization points: the authorization's own file when it has one (an ARM parameters file
 * holds the authorizations a template's definition uses), else the delegation's.
 */
export function authSource(d: Delegation, a: Authorization): SourceLocation {
  return a.source.file !== undefined && a.source.file !== d.source.file ? { ...d.source, file: a.source.file } : d.source;
}

/** `Contributor (b24988ac-...)`; `<raw> (unknown or custom role)`; `<expression>` when unresolved. */
export function roleLabel(catalog: RoleCatalog, v: Val<string>): string {
  if (isUnresolved(v)) return v.expression ?? "(unresolved)";
  const g = parseRoleDefinitionId(v);
  return describeRole(g ? catalog.lookup(g) : undefined, g ?? v);
}

/** `a, b and 2 more` */
export function listSome(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
