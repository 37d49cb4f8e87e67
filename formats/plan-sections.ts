/**
 * Reads a Terraform plan JSON (`terraform show -json`) from its bytes, building only what partnerlink reads.
 *
 * A plan repeats every resource in `planned_values` and `resource_changes` (and `prior_state`); a bare JSON.parse
 * builds all of it. Terraform writes the top-level keys in a fixed order: format_version, terraform_version,
 * variables, planned_values, resource_drift, resource_changes, ... (the field order of the `plan` struct in
 * hashicorp/terraform internal/command/jsonplan/plan.go, 1.9-1.13 and OpenTofu 1.7-1.10 alike; what newer versions
 * add, deferred_changes to errored, comes after resource_changes). This reader:
 * - walks the leading members (those five, in any order) over the bytes (rules/json-skim.ts, checking the JSON
 *   grammar of everything it skips). In `planned_values.root_module` (and its `child_modules`) a module keeps
 *   `address`, `resources`, `child_modules`; a resource keeps `address`, `type`, `name`, `mode`, `index`, `values`,
 *   `sensitive_values`;
 *   their other members are checked and left out; `variables` and `resource_drift` become typed placeholders;
 * - JSON.parses everything from the first other key to the end (resource_changes, prior_state, configuration, ...)
 *   in one native call: finding where resource_changes ends would cost a scan of its bytes;
 * - then parses the `values` (and `sensitive_values`) of a planned resource only when the adapter will read it: a wanted type and mode, and
 *   an address that no resource_changes entry has (formats/terraform.ts reads resource_changes first and skips
 *   planned resources it has seen). The others keep a placeholder `{}`.
 * Typed placeholders (`{}`, `[]`; scalars are read) stand where formats/schemas/terraform-plan.schema.json and the
 * adapter never look inside, so validation and findings are the same as from JSON.parse (test/check/plan-sections).
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format#plan-representation
 *
 * Malformed bytes throw {@link JsonSkimError} or a SyntaxError; the caller then re-reads the text with JSON.parse
 * for an error message with line and column.
 */
import {
  CLOSE_ARRAY,
  CLOSE_OBJECT,
  JsonSkimError,
  closedAt,
  decodeNumber,
  decodeString,
  firstItem,
  forEachMember,
  memberValue,
  nextItem,
  parseSpan,
  skipString,
  skipValue,
  skipWs,
  stringIs,
} from "../rules/json-skim";

/** Whether the adapter reads a resource of this type and mode (terraform.ts `planResourceWanted`). */
export type PlanResourceFilter = (type: unknown, mode: unknown) => boolean;

/** Whether every character is ASCII: only then do a string's characters compare one to one with its bytes. */
function isAscii(s: string): boolean {
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) >= 0x80) return false;
  return true;
}

/** Sets an own property even for `__proto__`, as JSON.parse does. */
function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** A scalar as it is; a container (grammar checked) as a typed empty placeholder. */
function scalarOrPlaceholder(b: Buffer, at: number, end: number): unknown {
  const c = b[at];
  return c === 0x7b ? {} : c === 0x5b ? [] : c === 0x22 ? decodeString(b, at, end) : c === 0x74 ? true : c === 0x66 ? false : c === 0x6e ? null : decodeNumber(b, at, end);
}

/** A planned resource whose `values` (an object at [start, end)) is parsed only if the adapter will read it. */
interface PendingValues {
  resource: Record<string, unknown>;
  start: number;
  end: number;
  /** Where its `sensitive_values` object is, parsed with the values (the adapter reads them together). */
  sensitive?: { start: number; end: number };
}

/**
 * Walks the leading sections with cursor steps (no callback per member: 10,000s of resources). Each reader
 * leaves what it built in `out` and returns the end of the value it read.
 */
class HeadReader {
  readonly pending: PendingValues[] = [];
  out: unknown;

  /**
   * The last `type` and `mode` read: resources repeat a few of each, and the string read before is used again
   * rather than decoding the same bytes into one more string per resource.
   */
  private lastType: string | undefined;
  private lastMode: string | undefined;

  constructor(private readonly b: Buffer) {}

  /** The value at [at, end): the last one of `slot` read when the bytes are the same string. */
  private repeated(at: number, end: number, slot: "type" | "mode"): unknown {
    const last = slot === "type" ? this.lastType : this.lastMode;
    if (last !== undefined && this.b[at] === 0x22 && stringIs(this.b, at, end, last)) return last;
    const v = scalarOrPlaceholder(this.b, at, end);
    // Kept only when ASCII: only then do its characters compare one to one with bytes (stringIs).
    if (typeof v === "string" && isAscii(v)) {
      if (slot === "type") this.lastType = v;
      else this.lastMode = v;
    }
    return v;
  }

  placeholder(at: number): number {
    const end = skipValue(this.b, at);
    this.out = scalarOrPlaceholder(this.b, at, end);
    return end;
  }

  plannedValues(at: number): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at);
    const o: Record<string, unknown> = {};
    let i = firstItem(b, at);
    while (i >= 0) {
      const keyEnd = skipString(b, i);
      const v = memberValue(b, keyEnd);
      const end = stringIs(b, i, keyEnd, "root_module") ? this.module(v) : this.placeholder(v);
      put(o, decodeString(b, i, keyEnd), this.out);
      i = nextItem(b, end, CLOSE_OBJECT);
    }
    this.out = o;
    return closedAt(i);
  }

  module(at: number): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at);
    const o: Record<string, unknown> = {};
    let i = firstItem(b, at);
    while (i >= 0) {
      const keyEnd = skipString(b, i);
      const v = memberValue(b, keyEnd);
      let end: number;
      if (stringIs(b, i, keyEnd, "resources")) {
        end = this.list(v, false);
        o.resources = this.out;
      } else if (stringIs(b, i, keyEnd, "child_modules")) {
        end = this.list(v, true);
        o.child_modules = this.out;
      } else if (stringIs(b, i, keyEnd, "address")) {
        end = this.placeholder(v);
        o.address = this.out;
      } else end = skipValue(b, v);
      i = nextItem(b, end, CLOSE_OBJECT);
    }
    this.out = o;
    return closedAt(i);
  }

  /** An array of resources, or of modules. */
  list(at: number, modules: boolean): number {
    const b = this.b;
    if (b[at] !== 0x5b) return this.placeholder(at);
    const items: unknown[] = [];
    let i = firstItem(b, at);
    while (i >= 0) {
      const end = modules ? this.module(i) : this.resource(i);
      items.push(this.out);
      i = nextItem(b, end, CLOSE_ARRAY);
    }
    this.out = items;
    return closedAt(i);
  }

  resource(at: number): number {
    const b = this.b;
    if (b[at] !== 0x7b) return this.placeholder(at);
    const o: Record<string, unknown> = {};
    let pending: PendingValues | undefined;
    let sensitive: { start: number; end: number } | undefined;
    let i = firstItem(b, at);
    while (i >= 0) {
      const keyEnd = skipString(b, i);
      const v = memberValue(b, keyEnd);
      const end = skipValue(b, v);
      // The key's first letter picks the one comparison that can match.
      switch (b[i + 1]) {
        case 0x76 /* v */:
          if (stringIs(b, i, keyEnd, "values")) {
            o.values = scalarOrPlaceholder(b, v, end);
            // A repeated key: the last one wins, as in JSON.parse.
            pending = b[v] === 0x7b ? { resource: o, start: v, end } : undefined;
          }
          break;
        case 0x61 /* a */:
          if (stringIs(b, i, keyEnd, "address")) o.address = scalarOrPlaceholder(b, v, end);
          break;
        case 0x74 /* t */:
          if (stringIs(b, i, keyEnd, "type")) o.type = this.repeated(v, end, "type");
          break;
        case 0x6e /* n */:
          if (stringIs(b, i, keyEnd, "name")) o.name = scalarOrPlaceholder(b, v, end);
          break;
        case 0x6d /* m */:
          if (stringIs(b, i, keyEnd, "mode")) o.mode = this.repeated(v, end, "mode");
          break;
        case 0x69 /* i */:
          if (stringIs(b, i, keyEnd, "index")) o.index = scalarOrPlaceholder(b, v, end);
          break;
        case 0x73 /* s */:
          if (stringIs(b, i, keyEnd, "sensitive_values")) {
            o.sensitive_values = scalarOrPlaceholder(b, v, end);
            sensitive = b[v] === 0x7b ? { start: v, end } : undefined;
          }
          break;
        default:
          // An escaped key (`"\u0061ddress"`) is compared decoded.
          if (b[i + 1] === 0x5c) {
            const k = decodeString(b, i, keyEnd);
            if (k === "values") {
              o.values = scalarOrPlaceholder(b, v, end);
              pending = b[v] === 0x7b ? { resource: o, start: v, end } : undefined;
            } else if (k === "sensitive_values") {
              o.sensitive_values = scalarOrPlaceholder(b, v, end);
              sensitive = b[v] === 0x7b ? { start: v, end } : undefined;
            } else if (k === "address" || k === "type" || k === "name" || k === "mode" || k === "index") o[k] = scalarOrPlaceholder(b, v, end);
          }
      }
      i = nextItem(b, end, CLOSE_OBJECT);
    }
    if (pending) {
      if (sensitive) pending.sensitive = sensitive;
      this.pending.push(pending);
    }
    this.out = o;
    return closedAt(i);
  }
}

/** Leading top-level members read over the bytes; the first other key starts the JSON.parse'd tail. */
const HEAD_KEYS = ["format_version", "terraform_version", "variables", "planned_values", "resource_drift"] as const;

/** Stops the head walk at the first key that is not a head key. */
class TailStart {
  constructor(readonly keyStart: number) {}
}

/**
 * The text `{` + the rest of the document from the first tail key, for one JSON.parse that checks and builds it
 * all. The byte before the key (`,` or whitespace; the head walk put it there) becomes `{` while it is decoded and
 * is put back at once: prefixing the decoded text instead makes JSON.parse flatten a 10s-of-MB concatenation.
 */
function tailText(b: Buffer, keyStart: number): string {
  const at = keyStart - 1;
  const saved = b[at]!;
  b[at] = 0x7b;
  try {
    return b.toString("utf8", at);
  } finally {
    b[at] = saved;
  }
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
      const end = key === "planned_values" ? head.plannedValues(vat) : head.placeholder(vat);
      put(doc, key, head.out);
      return end;
    });
    if (skipWs(b, end) !== b.length) throw new JsonSkimError(end);
  } catch (e) {
    if (!(e instanceof TailStart)) throw e;
    tail = e;
  }
  let changes: unknown;
  if (tail) {
    const rest = JSON.parse(tailText(b, tail.keyStart)) as Record<string, unknown>;
    for (const k of Object.keys(rest)) put(doc, k, rest[k]);
    changes = rest.resource_changes;
  }
  // Planned values the adapter will read: wanted resources no resource_changes entry covers.
  const covered = new Set<unknown>();
  if (Array.isArray(changes))
    for (let i = 0; i < changes.length; i++) {
      const rc: unknown = changes[i];
      if (rc && typeof rc === "object") covered.add((rc as Record<string, unknown>).address);
    }
  for (const p of head.pending) {
    const r = p.resource;
    if (wanted(r.type, r.mode) && !covered.has(r.address)) {
      r.values = parseSpan(b, p.start, p.end);
      if (p.sensitive) r.sensitive_values = parseSpan(b, p.sensitive.start, p.sensitive.end);
    }
  }
  return doc;
}
