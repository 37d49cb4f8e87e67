/**
 * `dynamic` blocks in Terraform JSON and CDKTF output (`"dynamic": {"authorization": {"for_each": ..., "content":
 * {...}}}`), the nested blocks they make, before the adapter reads them
 * (https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks,
 * https://developer.hashicorp.com/terraform/language/syntax/json#nested-block-expressions).
 *
 * - A literal `for_each` (a JSON list or object, no interpolation in it) is expanded: one block per element, with
 *   `${<iterator>.key}` and `${<iterator>.value...}` replaced (formats/terraform-iteration.ts). Any other
 *   interpolation is left for the adapter, which reads it as unresolved, as everywhere else.
 * - Any other `for_each` (a variable, a CDKTF iterator's `${toset(...)}`) makes blocks nobody knows before plan:
 *   one block of unresolved values stands for them, so the rules that need them skip and PL012 names the block.
 * A plan needs none of this: Terraform has expanded dynamic blocks in `terraform show -json` output.
 */
import { unresolved, type Unresolved } from "../rules/model";
import { childPath } from "../rules/json-path";
import { InputError } from "./input-error";
import { hasInterpolation, substituteIteration, type Iteration } from "./terraform-iteration";

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
    const it: Iteration = { iterator, attrs: { key, value }, file: ctx.file, where, elementPath: childPath(forEachPath, key) };
    into.push({ content: substituteIteration(content, it) as Record<string, unknown>, path: contentPath });
  }
}

/** [key, element] pairs of a literal for_each, or undefined when it is an expression or holds one. */
function literalElements(v: unknown): [string | number, unknown][] | undefined {
  if (Array.isArray(v)) return hasInterpolation(v) ? undefined : v.map((x, i) => [i, x]);
  if (v && typeof v === "object") return hasInterpolation(v) ? undefined : Object.entries(v as Record<string, unknown>);
  return undefined;
}
