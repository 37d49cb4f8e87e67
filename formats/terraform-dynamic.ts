/**
 * `dynamic` blocks in Terraform JSON and CDKTF output (`"dynamic": {"authorization": {"for_each": ..., "content":
 * {...}}}`), the nested blocks they make, before the adapter reads them
 * (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks,
 * https://developer.hashicorp.com/terraform/language/syntax/json#nested-block-expressions).
 *
 * - A literal `for_each` (a JSON list or object, no interpolation in it) is expanded: one block per element, where
 *   a string that is exactly `${<iterator>.key}` or `${<iterator>.value}` (optionally `.attr` / `["attr"]` /
 *   `[0]` steps into the element) becomes that part of the element. Any other string is left for the adapter,
 *   which reads an interpolation as unresolved, as everywhere else.
 * - Any other `for_each` (a variable, a CDKTF iterator's `${toset(...)}`) makes blocks nobody knows before plan:
 *   one block of unresolved values stands for them, so the rules that need them skip and PL012 names the block.
 * A plan needs none of this: Terraform has expanded dynamic blocks in `terraform show -json` output.
 */
import { unresolved, type Unresolved } from "../rules/model";
import { childPath } from "../rules/json-path";
import { InputError } from "./input-error";

/** One block a dynamic block makes: raw JSON content (iterator references replaced), or unknown blocks. */
export type DynamicBlock = { content: Record<string, unknown>; path: string } | { unknown: Unresolved; path: string };

/** Where the dynamic block is, for error messages. */
export interface DynamicContext {
  file: string;
  address: string;
}

/**
 * The blocks of a `"dynamic"` member (`spec`, at `path`), by block type, in the order given. Throws InputError
 * for what Terraform refuses too (no `content`, a `for_each` that is neither a collection nor an expression, an
 * iterator reference to a member the element lacks).
 */
export function dynamicBlocks(spec: unknown, path: string, ctx: DynamicContext): Map<string, DynamicBlock[]> {
  const out = new Map<string, DynamicBlock[]>();
  // `"dynamic": {...}` or `"dynamic": [{...}, ...]`; under each block type, one body or a list of them.
  const specs = Array.isArray(spec) ? spec.map((s, i) => ({ s, p: childPath(path, i) })) : [{ s: spec, p: path }];
  for (const { s, p } of specs) {
    if (!s || typeof s !== "object" || Array.isArray(s)) throw new InputError(ctx.file, `${ctx.address}: 'dynamic' must be an object of block types`, p);
    for (const [type, body] of Object.entries(s as Record<string, unknown>)) {
      const typePath = childPath(p, type);
      const bodies = Array.isArray(body) ? body.map((b, i) => ({ b, bp: childPath(typePath, i) })) : [{ b: body, bp: typePath }];
      const list = out.get(type) ?? [];
      for (const { b, bp } of bodies) expandOne(type, b, bp, ctx, list);
      out.set(type, list);
    }
  }
  return out;
}

function expandOne(type: string, body: unknown, path: string, ctx: DynamicContext, into: DynamicBlock[]): void {
  const where = `${ctx.address}: dynamic "${type}"`;
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new InputError(ctx.file, `${where} must be an object with for_each and content`, path);
  const b = body as Record<string, unknown>;
  const contentPath = childPath(path, "content");
  let content = b.content;
  // A block in JSON may be written as a one-element list.
  if (Array.isArray(content) && content.length === 1) content = content[0];
  if (!content || typeof content !== "object" || Array.isArray(content))
    throw new InputError(ctx.file, `${where} has no content block; add "content": { ... } with the block's attributes`, contentPath);
  const iterator = typeof b.iterator === "string" && b.iterator !== "" ? b.iterator : type;
  const forEach = b.for_each;
  const forEachPath = childPath(path, "for_each");
  const elements = literalElements(forEach);
  if (elements === undefined) {
    if (typeof forEach === "string" || (forEach !== null && typeof forEach === "object")) {
      const expr = typeof forEach === "string" ? forEach : JSON.stringify(forEach);
      into.push({
        unknown: unresolved(`the blocks of dynamic "${type}" come from its for_each, which is known only at plan or apply`, expr),
        path: contentPath,
      });
      return;
    }
    throw new InputError(ctx.file, `${where}: for_each must be a list, a map or an expression, got ${forEach === undefined ? "nothing" : JSON.stringify(forEach)}`, forEachPath);
  }
  for (const [key, value] of elements) {
    const at = { file: ctx.file, address: ctx.address, iterator, key, value, where, forEachPath };
    into.push({ content: substitute(content, at) as Record<string, unknown>, path: contentPath });
  }
}

/** [key, element] pairs of a literal for_each, or undefined when it is an expression or holds one. */
function literalElements(v: unknown): [string | number, unknown][] | undefined {
  if (Array.isArray(v)) return hasInterpolation(v) ? undefined : v.map((x, i) => [i, x]);
  if (v && typeof v === "object") return hasInterpolation(v) ? undefined : Object.entries(v as Record<string, unknown>);
  return undefined;
}

/** Whether a JSON value holds a `${...}` or `%{...}` template anywhere, keys included. */
function hasInterpolation(v: unknown): boolean {
  if (typeof v === "string") return /(^|[^$])\$\{|(^|[^%])%\{/.test(v);
  if (Array.isArray(v)) return v.some(hasInterpolation);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => hasInterpolation(k) || hasInterpolation(x));
  return false;
}

interface Iteration {
  file: string;
  address: string;
  iterator: string;
  key: string | number;
  value: unknown;
  where: string;
  forEachPath: string;
}

/** `${it.value.a["b"][0]}` -> ["value", "a", "b", 0]; undefined when the string is not exactly such a reference. */
function iteratorReference(s: string, iterator: string): (string | number)[] | undefined {
  const m = /^\$\{\s*([A-Za-z_][\w-]*)\.(key|value)((?:\.[A-Za-z_][\w-]*|\[(?:"[^"\\]*"|\d+)\])*)\s*\}$/.exec(s);
  if (!m || m[1] !== iterator) return undefined;
  const steps: (string | number)[] = [m[2]!];
  const re = /\.([A-Za-z_][\w-]*)|\["([^"\\]*)"\]|\[(\d+)\]/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(m[3]!)) !== null) steps.push(x[1] ?? x[2] ?? Number(x[3]));
  return steps;
}

/**
 * `content` with each exact iterator reference replaced by the element's part (numbers and booleans as strings,
 * as Terraform converts them for a string attribute). A nested dynamic block with the same iterator name shadows
 * this one in its content.
 */
function substitute(v: unknown, it: Iteration): unknown {
  if (typeof v === "string") {
    const steps = iteratorReference(v, it.iterator);
    if (!steps) return v;
    let cur: unknown = steps[0] === "key" ? it.key : it.value;
    for (let i = 1; i < steps.length; i++) {
      const s = steps[i]!;
      const has = cur !== null && typeof cur === "object" && Object.prototype.hasOwnProperty.call(cur, s);
      if (!has)
        throw new InputError(
          it.file,
          `${it.where}: ${v} names ${JSON.stringify(String(s))}, which element ${JSON.stringify(it.key)} of for_each does not have; add it to the element or fix the reference`,
          childPath(it.forEachPath, it.key),
        );
      cur = (cur as Record<string, unknown>)[s as string];
    }
    return typeof cur === "number" || typeof cur === "boolean" ? String(cur) : cur;
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, it));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === "dynamic" ? substituteNested(x, it) : substitute(x, it);
    return out;
  }
  return v;
}

/** A nested `dynamic` member: its for_each sees this iterator; its content does unless it names the same one. */
function substituteNested(spec: unknown, it: Iteration): unknown {
  if (Array.isArray(spec)) return spec.map((s) => substituteNested(s, it));
  if (!spec || typeof spec !== "object") return spec;
  const out: Record<string, unknown> = {};
  for (const [type, body] of Object.entries(spec as Record<string, unknown>)) {
    const one = (b: unknown): unknown => {
      if (!b || typeof b !== "object" || Array.isArray(b)) return b;
      const inner = b as Record<string, unknown>;
      const name = typeof inner.iterator === "string" && inner.iterator !== "" ? inner.iterator : type;
      const copy: Record<string, unknown> = { ...inner, for_each: substitute(inner.for_each, it) };
      if (name !== it.iterator) copy.content = substitute(inner.content, it);
      return copy;
    };
    out[type] = Array.isArray(body) ? body.map(one) : one(body);
  }
  return out;
}
