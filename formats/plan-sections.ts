/**
 * Reads a Terraform plan JSON (`terraform show -json`) from its bytes, building only what partnerlink reads.
 *
 * A plan repeats every resource in `planned_values`, `resource_changes` and `prior_state`; a bare JSON.parse
 * builds all of it. This reader walks the bytes once (formats/json-skim.ts, checking the JSON grammar of
 * everything it skips) and returns a document for the schema and the adapter in which:
 * - `resource_changes` and `configuration` are parsed whole (JSON.parse of their bytes);
 * - `planned_values.root_module` and `prior_state.values.root_module` (and their `child_modules`): a module keeps
 *   `address`, `resources`, `child_modules`; a resource keeps `address`, `type`, `name`, `mode`, `index`, and its
 *   `values` is a placeholder `{}` parsed on demand ({@link deferredMember}), so a resource the adapter already
 *   read from `resource_changes` is never built twice; their other members are checked and left out;
 * - any other member becomes a typed placeholder (`{}` or `[]`) when it is a container, and is read when scalar.
 * What is left out or a placeholder is what formats/schemas/terraform-plan.schema.json and the adapter
 * (formats/terraform.ts) never look into, so validation and findings are the same as from JSON.parse.
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 *
 * Malformed bytes throw {@link JsonSkimError} (or SyntaxError from a parsed section); the caller then re-reads
 * the text with JSON.parse for an error message with line and column.
 */
import { JsonSkimError, decodeString, forEachElement, forEachMember, parseSpan, skipValue, skipValueFast, skipWs, stringIs } from "./json-skim";

const DEFERRED = Symbol("partnerlink.deferredValues");

type Holder = Record<string, unknown> & { [DEFERRED]?: () => unknown };

/**
 * The `values` of a planned or prior-state resource this reader left unparsed (parsed now, once); undefined for
 * anything else (a document from JSON.parse, a resource whose values is not an object).
 */
export function deferredMember(obj: Record<string, unknown>, key: "values"): unknown {
  const read = key === "values" ? (obj as Holder)[DEFERRED] : undefined;
  return read === undefined ? undefined : read();
}

/** Sets an own property even for `__proto__`, as JSON.parse does. */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** Reads the value at `at` into `set`; returns its end. */
type Reader = (b: Buffer, at: number, set: (v: unknown) => void) => number;

/** A scalar as it is; a container (grammar checked) as a typed empty placeholder. */
function scalarOrPlaceholder(b: Buffer, at: number, end: number): unknown {
  const c = b[at];
  return c === 0x7b ? {} : c === 0x5b ? [] : c === 0x22 ? decodeString(b, at, end) : c === 0x74 ? true : c === 0x66 ? false : c === 0x6e ? null : Number(b.toString("latin1", at, end));
}

const placeholder: Reader = (b, at, set) => {
  const end = skipValue(b, at);
  set(scalarOrPlaceholder(b, at, end));
  return end;
};

/** Parses the whole value (JSON.parse checks it). */
const parsed: Reader = (b, at, set) => {
  const end = skipValueFast(b, at);
  set(parseSpan(b, at, end));
  return end;
};

function objectOf(members: Record<string, Reader>): Reader {
  return (b, at, set) => {
    if (b[at] !== 0x7b) return placeholder(b, at, set);
    const o: Record<string, unknown> = {};
    const end = forEachMember(b, at, (ks, ke, vat) => {
      const key = decodeString(b, ks, ke);
      return (Object.hasOwn(members, key) ? members[key]! : placeholder)(b, vat, (v) => put(o, key, v));
    });
    set(o);
    return end;
  };
}

function arrayOf(item: Reader): Reader {
  return (b, at, set) => {
    if (b[at] !== 0x5b) return placeholder(b, at, set);
    const list: unknown[] = [];
    const end = forEachElement(b, at, (i, eat) => item(b, eat, (v) => (list[i] = v)));
    set(list);
    return end;
  };
}

/** The members of a planned/prior-state resource the schema or the adapter reads (besides `values`). */
const RESOURCE_KEYS = ["address", "type", "name", "mode", "index"] as const;

const planResource: Reader = (b, at, set) => {
  if (b[at] !== 0x7b) return placeholder(b, at, set);
  const o: Holder = {};
  const end = forEachMember(b, at, (ks, ke, vat) => {
    const vend = skipValue(b, vat);
    if (stringIs(b, ks, ke, "values")) {
      if (b[vat] === 0x7b) {
        o.values = {};
        let cached: unknown;
        o[DEFERRED] = () => (cached ??= parseSpan(b, vat, vend));
      } else {
        delete o[DEFERRED]; // a repeated key: the last one wins, as in JSON.parse
        o.values = scalarOrPlaceholder(b, vat, vend);
      }
      return vend;
    }
    for (const k of RESOURCE_KEYS) {
      if (stringIs(b, ks, ke, k)) {
        o[k] = scalarOrPlaceholder(b, vat, vend);
        break;
      }
    }
    return vend;
  });
  set(o);
  return end;
};

// Modules nest through child_modules: the reader refers to itself.
const planModule: Reader = (b, at, set) => {
  if (b[at] !== 0x7b) return placeholder(b, at, set);
  const o: Record<string, unknown> = {};
  const end = forEachMember(b, at, (ks, ke, vat) => {
    if (stringIs(b, ks, ke, "resources")) return arrayOf(planResource)(b, vat, (v) => (o.resources = v));
    if (stringIs(b, ks, ke, "child_modules")) return arrayOf(planModule)(b, vat, (v) => (o.child_modules = v));
    if (stringIs(b, ks, ke, "address")) return placeholder(b, vat, (v) => (o.address = v));
    return skipValue(b, vat);
  });
  set(o);
  return end;
};

/** True when the bytes look like `terraform show -json` output: an object whose first key is "format_version". */
export function looksLikeTerraformPlan(b: Buffer): boolean {
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  i = skipWs(b, i);
  if (b[i] !== 0x7b) return false;
  i = skipWs(b, i + 1);
  const KEY = '"format_version"';
  for (let k = 0; k < KEY.length; k++) if (b[i + k] !== KEY.charCodeAt(k)) return false;
  return true;
}

const planTop: Reader = objectOf({
  planned_values: objectOf({ root_module: planModule }),
  prior_state: objectOf({ values: objectOf({ root_module: planModule }) }),
  resource_changes: parsed,
  configuration: parsed,
});

/**
 * The plan document with only what partnerlink reads built (see the file comment). Throws {@link JsonSkimError}
 * (or SyntaxError) when the bytes are not one well-formed JSON value.
 */
export function readPlanSections(b: Buffer): Record<string, unknown> {
  let start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  start = skipWs(b, start);
  if (b[start] !== 0x7b) throw new JsonSkimError(start);
  let doc: Record<string, unknown> = {};
  const end = skipWs(
    b,
    planTop(b, start, (v) => (doc = v as Record<string, unknown>)),
  );
  if (end !== b.length) throw new JsonSkimError(end);
  return doc;
}
