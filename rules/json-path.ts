/**
 * JSON paths, the one notation every location partnerlink reports is written in (SourceLocation.path, schema
 * errors, ARM answer errors): `$.resources[0].properties["odd key"]`.
 */

/** key -> whether it is written as `.key`: adapters ask for the same few property names for every resource. */
const PLAIN = new Map<string, boolean>();

/** `parent` followed by one member (`.name`, `["odd key"]`) or index (`[0]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  let plain = PLAIN.get(key);
  if (plain === undefined) {
    plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
    if (PLAIN.size < 10_000) PLAIN.set(key, plain);
  }
  return plain ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * A JSON Pointer (RFC 6901, what ajv reports as `instancePath`) as a JSON path below `base`:
 * `/waivers/0/expires` -> `$.waivers[0].expires`, `/tags/a~1b` -> `$.tags["a/b"]`. A segment of digits is an
 * array index (a pointer does not say whether it names an array element or a member called "0").
 */
export function pointerToJsonPath(pointer: string, base = "$"): string {
  let out = base;
  if (pointer === "") return out;
  const segments = pointer.split("/");
  // segments[0] is the empty string before the leading "/".
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i]!.replace(/~1/g, "/").replace(/~0/g, "~");
    out = /^[0-9]+$/.test(seg) ? `${out}[${seg}]` : childPath(out, seg);
  }
  return out;
}

/** One member name as a JSON Pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`). */
export function pointerSegment(key: string | number): string {
  return typeof key === "number" ? String(key) : key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * A JSON Pointer, plus a member below it, as a Pulumi property path (the form of a CheckFailure's property and of
 * `pulumi config set --path`): the JSON path without its root `$.`. `/connection/credential` + `kind` ->
 * `connection.credential.kind`; `/customers/2/subscriptionId` -> `customers[2].subscriptionId`; `/tags/a b` ->
 * `tags["a b"]`. The empty pointer with no member is "".
 */
export function pointerToPropertyPath(pointer: string, member?: string): string {
  const path = pointerToJsonPath(pointer, "");
  const full = member === undefined ? path : childPath(path, member);
  return full.startsWith(".") ? full.slice(1) : full;
}
