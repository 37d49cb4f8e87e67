/**
 * Reads a Terraform plan JSON (`terraform show -json`) from its bytes, building only what partnerlink reads.
 *
 * A plan repeats every resource in `planned_values` and `resource_changes` (and `prior_state`); a bare JSON.parse
 * builds all of it. Terraform writes the top-level keys in a fixed order: format_version, terraform_version,
 * variables, planned_values, resource_drift, resource_changes, ... This reader:
 * - walks the leading members (those five, in any order) over the bytes (formats/json-skim.ts, checking the JSON
 *   grammar of everything it skips). In `planned_values.root_module` (and its `child_modules`) a module keeps
 *   `address`, `resources`, `child_modules`; a resource keeps `address`, `type`, `name`, `mode`, `index`, `values`;
 *   their other members are checked and left out; `variables` and `resource_drift` become typed placeholders;
 * - JSON.parses everything from the first other key to the end (resource_changes, prior_state, configuration, ...)
 *   in one native call: finding where resource_changes ends would cost a scan of its bytes;
 * - then parses the `values` of a planned resource only when the adapter will read it: a wanted type and mode, and
 *   an address that no resource_changes entry has (formats/terraform.ts reads resource_changes first and skips
 *   planned resources it has seen). The others keep a placeholder `{}`.
 * Typed placeholders (`{}`, `[]`; scalars are read) stand where formats/schemas/terraform-plan.schema.json and the
 * adapter never look inside, so validation and findings are the same as from JSON.parse (test/check/plan-sections).
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 *
 * Malformed bytes throw {@link JsonSkimError} or a SyntaxError; the caller then re-reads the text with JSON.parse
 * for an error message with line and column.
 */
import { JsonSkimError, decodeString, forEachElement, forEachMember, parseSpan, skipValue, skipWs, stringIs } from "./json-skim";

/** Whether the adapter reads a resource of this type and mode (terraform.ts `planResourceWanted`). */
export type PlanResourceFilter = (type: unknown, mode: unknown) => boolean;

/** Sets an own property even for `__proto__`, as JSON.parse does. */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** A scalar as it is; a container (grammar checked) as a typed empty placeholder. */
function scalarOrPlaceholder(b: Buffer, at: number, end: number): unknown {
  const c = b[at];
  return c === 0x7b ? {} : c === 0x5b ? [] : c === 0x22 ? decodeString(b, at, end) : c === 0x74 ? true : c === 0x66 ? false : c === 0x6e ? null : Number(b.toString("latin1", at, end));
}

/** A planned resource whose `values` (an object at [start, end)) is parsed only if the adapter will read it. */
interface PendingValues {
  resource: Record<string, unknown>;
  start: number;
  end: number;
}

/** Walks the leading sections; collects the planned resources whose values may be needed. */
class HeadReader {
  readonly pending: PendingValues[] = [];

  constructor(private readonly b: Buffer) {}

  placeholder(at: number, set: (v: unknown) => void): number {
    const end = skipValue(this.b, at);
    set(scalarOrPlaceholder(this.b, at, end));
    return end;
  }

  plannedValues(at: number, set: (v: unknown) => void): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at, set);
    const o: Record<string, unknown> = {};
    const end = forEachMember(b, at, (ks, ke, vat) => {
      if (stringIs(b, ks, ke, "root_module")) return this.module(vat, (v) => (o.root_module = v));
      const key = decodeString(b, ks, ke);
      return this.placeholder(vat, (v) => put(o, key, v));
    });
    set(o);
    return end;
  }

  module(at: number, set: (v: unknown) => void): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at, set);
    const o: Record<string, unknown> = {};
    const end = forEachMember(b, at, (ks, ke, vat) => {
      if (stringIs(b, ks, ke, "resources")) return this.list(vat, (v) => (o.resources = v), (eat, eset) => this.resource(eat, eset));
      if (stringIs(b, ks, ke, "child_modules")) return this.list(vat, (v) => (o.child_modules = v), (eat, eset) => this.module(eat, eset));
      if (stringIs(b, ks, ke, "address")) return this.placeholder(vat, (v) => (o.address = v));
      return skipValue(b, vat);
    });
    set(o);
    return end;
  }

  list(at: number, set: (v: unknown) => void, item: (at: number, set: (v: unknown) => void) => number): number {
    if (this.b[at] !== 0x5b) return this.placeholder(at, set);
    const out: unknown[] = [];
    const end = forEachElement(this.b, at, (i, eat) => item(eat, (v) => (out[i] = v)));
    set(out);
    return end;
  }

  resource(at: number, set: (v: unknown) => void): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at, set);
    const o: Record<string, unknown> = {};
    let pending: PendingValues | undefined;
    const end = forEachMember(b, at, (ks, ke, vat) => {
      const vend = skipValue(b, vat);
      if (stringIs(b, ks, ke, "values")) {
        o.values = scalarOrPlaceholder(b, vat, vend);
        // A repeated key: the last one wins, as in JSON.parse.
        pending = b[vat] === 0x7b ? { resource: o, start: vat, end: vend } : undefined;
      } else if (stringIs(b, ks, ke, "address")) o.address = scalarOrPlaceholder(b, vat, vend);
      else if (stringIs(b, ks, ke, "type")) o.type = scalarOrPlaceholder(b, vat, vend);
      else if (stringIs(b, ks, ke, "name")) o.name = scalarOrPlaceholder(b, vat, vend);
      else if (stringIs(b, ks, ke, "mode")) o.mode = scalarOrPlaceholder(b, vat, vend);
      else if (stringIs(b, ks, ke, "index")) o.index = scalarOrPlaceholder(b, vat, vend);
      return vend;
    });
    if (pending) this.pending.push(pending);
    set(o);
    return end;
  }
}

/** Leading top-level members read over the bytes; the first other key starts the JSON.parse'd tail. */
const HEAD_KEYS = ["format_version", "terraform_version", "variables", "planned_values", "resource_drift"] as const;

/** Stops the head walk at the first key that is not a head key. */
class TailStart {
  constructor(readonly keyStart: number) {}
}

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

/**
 * The plan document with only what partnerlink reads built (see the file comment). `wanted` says which
 * resources the adapter reads. Throws {@link JsonSkimError} or SyntaxError when the bytes are not one JSON value.
 */
export function readPlanSections(b: Buffer, wanted: PlanResourceFilter): Record<string, unknown> {
  let start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  start = skipWs(b, start);
  if (b[start] !== 0x7b) throw new JsonSkimError(start);
  const head = new HeadReader(b);
  const doc: Record<string, unknown> = {};
  let tail: TailStart | undefined;
  try {
    const end = forEachMember(b, start, (ks, ke, vat) => {
      const key = decodeString(b, ks, ke);
      if (!(HEAD_KEYS as readonly string[]).includes(key)) throw new TailStart(ks);
      if (key === "planned_values") return head.plannedValues(vat, (v) => (doc.planned_values = v));
      return head.placeholder(vat, (v) => put(doc, key, v));
    });
    if (skipWs(b, end) !== b.length) throw new JsonSkimError(end);
  } catch (e) {
    if (!(e instanceof TailStart)) throw e;
    tail = e;
  }
  let changes: unknown;
  if (tail) {
    // `{` + the rest of the document from the first tail key: one JSON.parse checks and builds it all.
    const rest = JSON.parse(`{${b.toString("utf8", tail.keyStart)}`) as Record<string, unknown>;
    for (const k of Object.keys(rest)) put(doc, k, rest[k]);
    changes = rest.resource_changes;
  }
  // Planned values the adapter will read: wanted resources no resource_changes entry covers.
  const covered = new Set<unknown>();
  if (Array.isArray(changes)) for (const rc of changes) if (rc && typeof rc === "object") covered.add((rc as Record<string, unknown>).address);
  for (const p of head.pending) {
    const r = p.resource;
    if (wanted(r.type, r.mode) && !covered.has(r.address)) r.values = parseSpan(b, p.start, p.end);
  }
  return doc;
}
