/**
 * JSON paths, the one notation every location partnerlink reports is written in (SourceLocation.path, schema
 * errors, ARM answer errors): `$.resources[0].properties["odd key"]`.
 */

/**
 * key -> what follows a parent to name it (`.key`, `["odd key"]`): adapters ask for the same few property names for
 * every resource. The whole suffix is kept, so a path is one concatenation: paths are built for every element of
 * an estate and read only when a finding names one, and each concatenation is a string of its own (11 MB of the
 * 40 MB the plan adapter allocated for the 10,000-delegation plan of bench/check, when `${parent}[${key}]` made
 * three).
 */
const SUFFIX = new Map<string, string>();

/** `[0]` .. `[63]`: block and list indexes are small. */
const INDEX_SUFFIX: readonly string[] = Array.from({ length: 64 }, (_, i) => `[${i}]`);

/** `parent` followed by one member (`.name`, `["odd key"]`) or index (`[0]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return parent + (INDEX_SUFFIX[key] ?? `[${key}]`);
  let suffix = SUFFIX.get(key);
  if (suffix === undefined) {
    suffix = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    if (SUFFIX.size < 10_000) SUFFIX.set(key, suffix);
  }
  return parent + suffix;
}

/** A JSON Pointer segment decoded (RFC 6901: `~1` -> `/`, then `~0` -> `~`). */
function decodeSegment(seg: string): string {
  return seg.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** The member or element `key` of `node`, or undefined when `node` is no container or has none. */
function memberOf(node: unknown, key: string): unknown {
  if (node === null || typeof node !== "object") return undefined;
  return Object.prototype.hasOwnProperty.call(node, key) ? (node as Record<string, unknown>)[key] : undefined;
}

/**
 * A JSON Pointer (RFC 6901, what ajv reports as `instancePath`) as a JSON path below `base`:
 * `/waivers/0/expires` -> `$.waivers[0].expires`, `/tags/a~1b` -> `$.tags["a/b"]`.
 * A pointer does not say whether `/0` names an array element or a member called "0": given the document the
 * pointer is into (`root`, the value that was validated), a segment is an index exactly when it steps into an
 * array; without it, a segment of digits is taken for an index.
 */
export function pointerToJsonPath(pointer: string, base = "$", root?: unknown): string {
  return jsonPathOf(pointerSegments(pointer, root), base);
}

/** Members and indexes as a JSON path below `base`: `["resources", 0, "name"]` -> `$.resources[0].name`. */
export function jsonPathOf(segments: readonly (string | number)[], base = "$"): string {
  let out = base;
  for (const s of segments) out = childPath(out, s);
  return out;
}

/**
 * A JSON Pointer as its members and indexes: `/authorizations/0/principalId` -> `["authorizations", 0, "principalId"]`.
 * A segment is an index as in {@link pointerToJsonPath}: exactly when it steps into an array of `root`, or (without
 * `root`) when it is all digits.
 */
export function pointerSegments(pointer: string, root?: unknown): (string | number)[] {
  if (pointer === "") return [];
  const out: (string | number)[] = [];
  const segments = pointer.split("/");
  let node = root;
  // segments[0] is the empty string before the leading "/".
  for (let i = 1; i < segments.length; i++) {
    const seg = decodeSegment(segments[i]!);
    const index = /^[0-9]+$/.test(seg) && (root === undefined || Array.isArray(node));
    out.push(index ? Number(seg) : seg);
    node = memberOf(node, seg);
  }
  return out;
}

/** The value `pointer` names in `root`, or undefined when it names nothing (to quote a value in a message). */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  const segments = pointer.split("/");
  let node = root;
  for (let i = 1; i < segments.length && node !== undefined; i++) node = memberOf(node, decodeSegment(segments[i]!));
  return node;
}

/** One member name as a JSON Pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function pointerSegment(key: string | number): string {
  return typeof key === "number" ? String(key) : key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * A JSON Pointer, plus a member below it, as a Pulumi property path (the form of a CheckFailure's property and of
 * `pulumi config set --path`): the JSON path without its root `$.`. `/connection/credential` + `kind` ->
 * `connection.credential.kind`; `/customers/2/subscriptionId` -> `customers[2].subscriptionId`; `/tags/a b` ->
 * `tags["a b"]`. The empty pointer with no member is "". `root`: as for {@link pointerToJsonPath}.
 */
export function pointerToPropertyPath(pointer: string, member?: string, root?: unknown): string {
  const path = pointerToJsonPath(pointer, "", root);
  const full = member === undefined ? path : childPath(path, member);
  return full.startsWith(".") ? full.slice(1) : full;
}
