/** JSON path helpers: `$.resources[0].properties["odd key"]`, the form SourceLocation.path uses. */
/** key -> whether it is written as `.key`: adapters ask for the same few property names for every resource. */
const PLAIN = new Map<string, boolean>();

export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  let plain = PLAIN.get(key);
  if (plain === undefined) {
    plain = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
    if (PLAIN.size < 10_000) PLAIN.set(key, plain);
  }
  return plain ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}
