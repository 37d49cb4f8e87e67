/**
 * One step of a Terraform iteration written out in Terraform JSON: the values of `<iterator>.<attr>` (`each.key`,
 * `each.value`, `count.index`, a dynamic block's `<label>.value`) put in place of references to them, so a
 * literal `for_each` or `count` can be read instance by instance
 * (https://developer.hashicorp.com/terraform/language/meta-arguments/for_each, .../count,
 * https://developer.hashicorp.com/terraform/language/expressions/dynamic-blocks).
 *
 * Only what needs no evaluation is replaced: a string that is exactly `${it.attr}` (optionally `.member` /
 * `["member"]` / `[0]` steps into the value) becomes that value; inside a template or another reference,
 * `${it.attr...}` and `[it.attr...]` whose value is a string, number or boolean are written in. Anything else stays
 * an expression, which the adapter reads as unresolved.
 */
import { InputError } from "./input-error";

export interface Iteration {
  /** `each`, `count`, or a dynamic block's iterator. */
  iterator: string;
  /** `key`/`value`, or `index`: what `<iterator>.<attr>` is. */
  attrs: Readonly<Record<string, unknown>>;
  /** For errors: the file, what iterates (`azurerm_x.y: dynamic "authorization"`) and the element's path. */
  file: string;
  where: string;
  elementPath: string;
}

const STEPS = String.raw`(?:\.[A-Za-z_][\w-]*|\["[^"\\]*"\]|\[\d+\])*`;
const IDENT = String.raw`[A-Za-z_][\w-]*`;
/** `${ it.attr.steps }` as a whole string. */
const WHOLE = new RegExp(String.raw`^\$\{\s*(${IDENT})\.(${IDENT})(${STEPS})\s*\}$`);

/** The steps after `it.attr`: `.a["b"][0]` -> ["a", "b", 0]. */
function steps(s: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\.([A-Za-z_][\w-]*)|\["([^"\\]*)"\]|\[(\d+)\]/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(s)) !== null) out.push(x[1] ?? x[2] ?? Number(x[3]));
  return out;
}

/** `it.attr` followed by `path`, or throws an InputError naming the member the element lacks. */
function lookup(it: Iteration, attr: string, path: (string | number)[], text: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(it.attrs, attr))
    throw new InputError(it.file, `${it.where}: ${text} names ${it.iterator}.${attr}, which is not defined here; use ${Object.keys(it.attrs).map((a) => `${it.iterator}.${a}`).join(" or ")}`, it.elementPath);
  let cur: unknown = it.attrs[attr];
  for (const s of path) {
    if (cur === null || typeof cur !== "object" || !Object.prototype.hasOwnProperty.call(cur, s))
      throw new InputError(it.file, `${it.where}: ${text} names ${JSON.stringify(String(s))}, which this element does not have; add it to the element or fix the reference`, it.elementPath);
    cur = (cur as Record<string, unknown>)[s as string];
  }
  return cur;
}

/** A primitive as a template writes it; undefined for what a template cannot hold as is (objects, lists, null). */
function asText(v: unknown): string | undefined {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
}

/** The iteration's references in one string replaced (see the file comment). */
function substituteString(v: string, it: Iteration): unknown {
  if (v.indexOf(it.iterator + ".") < 0) return v;
  const whole = WHOLE.exec(v);
  if (whole && whole[1] === it.iterator) {
    const value = lookup(it, whole[2]!, steps(whole[3]!), v);
    // Terraform converts a number or boolean for a string attribute.
    return typeof value === "number" || typeof value === "boolean" ? String(value) : value;
  }
  // Inside templates (`offer-${count.index}`) and references (`x.y[count.index].id`), primitives only.
  const it0 = it.iterator.replace(/[-]/g, "\\-");
  const inTemplate = new RegExp(String.raw`(^|[^$])\$\{\s*${it0}\.(${IDENT})(${STEPS})\s*\}`, "g");
  let out = v.replace(inTemplate, (all, before: string, attr: string, rest: string) => {
    const t = asText(lookup(it, attr, steps(rest), v));
    return t === undefined || /[${}%]/.test(t) ? all : before + t;
  });
  const inIndex = new RegExp(String.raw`\[\s*${it0}\.(${IDENT})(${STEPS})\s*\]`, "g");
  out = out.replace(inIndex, (all, attr: string, rest: string) => {
    const x = lookup(it, attr, steps(rest), v);
    return typeof x === "number" ? `[${x}]` : typeof x === "string" ? `[${JSON.stringify(x)}]` : all;
  });
  return out;
}

/**
 * `v` with the iteration's references replaced. A nested `dynamic` block's for_each sees the iteration; its content
 * does unless the dynamic block's iterator has the same name (it shadows this one there).
 */
export function substituteIteration(v: unknown, it: Iteration): unknown {
  if (typeof v === "string") return substituteString(v, it);
  if (Array.isArray(v)) return v.map((x) => substituteIteration(x, it));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === "dynamic" ? substituteNested(x, it) : substituteIteration(x, it);
    return out;
  }
  return v;
}

function substituteNested(spec: unknown, it: Iteration): unknown {
  if (Array.isArray(spec)) return spec.map((s) => substituteNested(s, it));
  if (!spec || typeof spec !== "object") return spec;
  const out: Record<string, unknown> = {};
  for (const [type, body] of Object.entries(spec as Record<string, unknown>)) {
    const one = (b: unknown): unknown => {
      if (!b || typeof b !== "object" || Array.isArray(b)) return b;
      const inner = b as Record<string, unknown>;
      const name = typeof inner.iterator === "string" && inner.iterator !== "" ? inner.iterator : type;
      const copy: Record<string, unknown> = { ...inner, for_each: substituteIteration(inner.for_each, it) };
      if (name !== it.iterator) copy.content = substituteIteration(inner.content, it);
      return copy;
    };
    out[type] = Array.isArray(body) ? body.map(one) : one(body);
  }
  return out;
}

/** Whether a JSON value holds a `${...}` or `%{...}` template anywhere, keys included. */
export function hasInterpolation(v: unknown): boolean {
  if (typeof v === "string") return /(^|[^$])\$\{|(^|[^%])%\{/.test(v);
  if (Array.isArray(v)) return v.some(hasInterpolation);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => hasInterpolation(k) || hasInterpolation(x));
  return false;
}
