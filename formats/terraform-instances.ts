/**
 * The instances a Terraform JSON / CDKTF resource block declares through a literal `count` or `for_each`
 * (https://developer.hashicorp.com/terraform/language/meta-arguments/count, .../for_each):
 * - `count` 0 (a number or "0") and an empty `for_each` (`{}`, `[]`) create nothing: no instance, and a notice;
 * - a literal `count` n creates `<address>[0]` .. `<address>[n-1]`, `${count.index}` replaced in each;
 * - a literal map `for_each` creates `<address>["key"]` per key, a literal list of strings one per distinct string
 *   (what `toset([...])` gives), `${each.key}` / `${each.value...}` replaced in each;
 * instance addresses and keys are written as a plan writes them (`c[0]`, `c["a"]`), so findings and waivers name
 * a resource the same way from either input. A `count` or `for_each` that is an expression stays one resource under
 * its own address, its values read as they are.
 */
import { childPath } from "../rules/json-path";
import { InputError } from "./input-error";
import { hasInterpolation, substituteIteration, type Iteration } from "./terraform-iteration";

export interface ResourceInstance {
  address: string;
  /** The instance key as a plan's `index` is written (JSON: `0`, `"a"`); absent for a resource without one. */
  indexKey?: string;
  body: unknown;
}

/** Above this many, a literal count is read as one resource (as an expression is): no input is that large. */
const MAX_INSTANCES = 10_000;

/** The instances of resource block `body` (at `path`), and a notice when it creates none. */
export function resourceInstances(body: unknown, address: string, file: string, path: string): { instances: ResourceInstance[]; notice?: string } {
  const one = { instances: [{ address, body }] };
  if (!body || typeof body !== "object" || Array.isArray(body)) return one;
  const b = body as Record<string, unknown>;
  const hasCount = b.count !== undefined;
  const hasForEach = b.for_each !== undefined;
  if (hasCount === hasForEach) return one; // neither, or both (which Terraform refuses)
  const where = `${address}`;
  if (hasCount) {
    const countPath = childPath(path, "count");
    const n = literalCount(b.count);
    if (n === undefined) return one;
    if (!Number.isInteger(n) || n < 0) {
      // JSON.stringify writes a number past the double range (1e400, read as Infinity) as null.
      const got = Number.isFinite(n) ? JSON.stringify(b.count) : "a number too large";
      throw new InputError(file, `${where}: count must be a whole number of 0 or more, got ${got}`, countPath);
    }
    if (n === 0) return { instances: [], notice: `${file} ${countPath}: '${address}' has count 0, so Terraform creates nothing; it is not checked` };
    if (n > MAX_INSTANCES) return one;
    const instances: ResourceInstance[] = [];
    for (let i = 0; i < n; i++) {
      const it: Iteration = { iterator: "count", attrs: { index: i }, file, where, elementPath: countPath };
      instances.push({ address: `${address}[${i}]`, indexKey: String(i), body: substituteIteration(b, it) });
    }
    return { instances };
  }
  const forEachPath = childPath(path, "for_each");
  const fe = b.for_each;
  if (hasInterpolation(fe)) return one;
  let elements: [string, unknown][];
  if (Array.isArray(fe)) {
    if (!fe.every((x) => typeof x === "string")) return one;
    elements = [...new Set(fe as string[])].sort().map((s) => [s, s]);
  } else if (fe && typeof fe === "object") elements = Object.entries(fe as Record<string, unknown>);
  else return one;
  if (elements.length === 0) return { instances: [], notice: `${file} ${forEachPath}: '${address}' has an empty for_each, so Terraform creates nothing; it is not checked` };
  if (elements.length > MAX_INSTANCES) return one;
  return {
    instances: elements.map(([key, value]) => {
      const k = JSON.stringify(key);
      const it: Iteration = { iterator: "each", attrs: { key, value }, file, where, elementPath: childPath(forEachPath, key) };
      return { address: `${address}[${k}]`, indexKey: k, body: substituteIteration(b, it) };
    }),
  };
}

/** A count written as a number or a string of digits; undefined for an expression. */
function literalCount(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}
