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
 *   `address`, `resources`, `child_modules`; of a resource it only notes where `address`, `type`, `name`, `mode`,
 *   `index`, `values` and `sensitive_values` are, in a typed array (no object or string per resource);
 *   their other members are checked and left out; `variables` and `resource_drift` become typed placeholders;
 * - JSON.parses everything from the first other key to the end (resource_changes, prior_state, configuration, ...)
 *   in one native call: finding where resource_changes ends would cost a scan of its bytes;
 * - then builds a planned resource, `values` (and `sensitive_values`) parsed, only when the adapter will read it: a
 *   wanted type and mode, and an address that no resource_changes entry has (formats/terraform.ts reads
 *   resource_changes first and skips planned resources it has seen). Every other one is the same frozen placeholder,
 *   a resource of no type with the members the schema requires, in its place in the array (paths keep their
 *   indexes); one that lacks what the schema requires is built whole, for validation to say so.
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
export function put(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/** A scalar as it is; a container (grammar checked) as a typed empty placeholder. */
function scalarOrPlaceholder(b: Buffer, at: number, end: number): unknown {
  const c = b[at];
  return c === 0x7b ? {} : c === 0x5b ? [] : c === 0x22 ? decodeString(b, at, end) : c === 0x74 ? true : c === 0x66 ? false : c === 0x6e ? null : decodeNumber(b, at, end);
}

/**
 * Walks the leading sections with cursor steps (no callback per member: 10,000s of resources). Each reader
 * leaves what it built in `out` and returns the end of the value it read.
 */
class HeadReader {
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
      let end: number;
      if (modules) {
        end = this.module(i);
        items.push(this.out);
      } else end = this.resource(i, items);
      i = nextItem(b, end, CLOSE_ARRAY);
    }
    this.out = items;
    return closedAt(i);
  }

  /**
   * A planned resource. Its members are only located here (no object, no string): {@link PlannedRecords} holds
   * where they are, and {@link finish} builds the resources the adapter will read once resource_changes says which.
   * A resource that does not have what the schema asks (see {@link conforms}) is built at once, for validation to
   * report it as from JSON.parse.
   */
  resource(at: number, items: unknown[]): number {
    const b = this.b;
    if (b[at] !== 0x7b) {
      const end = this.placeholder(at);
      items.push(this.out);
      return end;
    }
    // Where the value of each member read is, in the record (the last one of a repeated key wins, as in
    // JSON.parse); -1: absent. The spans are read after add(): it may have grown them.
    const r = this.records;
    const at0 = r.add(items, items.length);
    const s = r.spans;
    s.fill(-1, at0, at0 + RECORD);
    let i = firstItem(b, at);
    while (i >= 0) {
      const keyEnd = skipString(b, i);
      const v = memberValue(b, keyEnd);
      const end = skipValue(b, v);
      // The key's first letter picks the one comparison that can match; a key written with escapes
      // (`"\u0061ddress"`) is compared decoded.
      const escaped = b[i + 1] === 0x5c;
      let slot = -1;
      switch (escaped ? escapedKey(decodeString(b, i, keyEnd)) : b[i + 1]) {
        case 0x76 /* v */:
          if (escaped || stringIs(b, i, keyEnd, "values")) slot = VALUES;
          break;
        case 0x61 /* a */:
          if (escaped || stringIs(b, i, keyEnd, "address")) slot = ADDRESS;
          break;
        case 0x74 /* t */:
          if (escaped || stringIs(b, i, keyEnd, "type")) slot = TYPE;
          break;
        case 0x6e /* n */:
          if (escaped || stringIs(b, i, keyEnd, "name")) slot = NAME;
          break;
        case 0x6d /* m */:
          if (escaped || stringIs(b, i, keyEnd, "mode")) slot = MODE;
          break;
        case 0x69 /* i */:
          if (escaped || stringIs(b, i, keyEnd, "index")) slot = INDEX;
          break;
        case 0x73 /* s */:
          if (escaped || stringIs(b, i, keyEnd, "sensitive_values")) slot = SENSITIVE;
          break;
      }
      if (slot >= 0) {
        s[at0 + slot] = v;
        s[at0 + slot + 1] = end;
      }
      i = nextItem(b, end, CLOSE_OBJECT);
    }
    items.push(conforms(b, s, at0) ? UNREAD_RESOURCE : this.build(at0, false));
    return closedAt(i);
  }

  /** The planned resources located so far. */
  readonly records = new PlannedRecords();

  /**
   * The planned resource of record `at` (offset in `records.spans`) with the members JSON.parse would give it, its
   * `values` (and `sensitive_values`) parsed when `read`, else typed placeholders.
   */
  build(at: number, read: boolean): Record<string, unknown> {
    const b = this.b;
    const s = this.records.spans;
    const o: Record<string, unknown> = {};
    if (s[at + ADDRESS]! >= 0) o.address = scalarOrPlaceholder(b, s[at + ADDRESS]!, s[at + ADDRESS + 1]!);
    if (s[at + MODE]! >= 0) o.mode = this.repeated(s[at + MODE]!, s[at + MODE + 1]!, "mode");
    if (s[at + TYPE]! >= 0) o.type = this.repeated(s[at + TYPE]!, s[at + TYPE + 1]!, "type");
    if (s[at + NAME]! >= 0) o.name = scalarOrPlaceholder(b, s[at + NAME]!, s[at + NAME + 1]!);
    if (s[at + INDEX]! >= 0) o.index = scalarOrPlaceholder(b, s[at + INDEX]!, s[at + INDEX + 1]!);
    if (s[at + VALUES]! >= 0) o.values = scalarOrPlaceholder(b, s[at + VALUES]!, s[at + VALUES + 1]!);
    if (s[at + SENSITIVE]! >= 0) o.sensitive_values = scalarOrPlaceholder(b, s[at + SENSITIVE]!, s[at + SENSITIVE + 1]!);
    if (read) this.readValues(o, at);
    return o;
  }

  /** Parses the `values` of `o` (record `at`), and its `sensitive_values` with them, when `values` is an object. */
  private readValues(o: Record<string, unknown>, at: number): void {
    const b = this.b;
    const s = this.records.spans;
    if (s[at + VALUES]! < 0 || b[s[at + VALUES]!] !== 0x7b) return;
    o.values = parseSpan(b, s[at + VALUES]!, s[at + VALUES + 1]!);
    if (s[at + SENSITIVE]! >= 0 && b[s[at + SENSITIVE]!] === 0x7b) o.sensitive_values = parseSpan(b, s[at + SENSITIVE]!, s[at + SENSITIVE + 1]!);
  }

  /**
   * Builds, in place of their placeholders, the planned resources the adapter will read: a wanted type and mode, and
   * an address no resource_changes entry has.
   */
  finish(wanted: PlanResourceFilter, changes: ChangeAddresses): void {
    const b = this.b;
    const r = this.records;
    const s = r.spans;
    let next = 0;
    for (let k = 0; k < r.count; k++) {
      const items = r.items[k]!;
      const pos = r.positions[k]!;
      const at = k * RECORD;
      const item = items[pos] as Record<string, unknown>;
      if (item !== UNREAD_RESOURCE) {
        // Built already (validation will refuse it): its values read as for any other.
        if (wanted(item.type, item.mode) && !changes.set().has(item.address)) this.readValues(item, at);
        continue;
      }
      const start = s[at + ADDRESS]!;
      const end = s[at + ADDRESS + 1]!;
      // Terraform lists planned resources in the order of their resource_changes entries (by address; a deleted
      // resource's entry has none): the bytes are compared with the next entries' addresses before anything is
      // decoded, and a resource an entry covers is passed over whatever its type (nearly every one in a plan).
      let found = false;
      for (let ahead = 0; ahead < LOOK_AHEAD; ahead++) {
        const address = changes.at(next + ahead);
        if (address === undefined) break;
        if (typeof address === "string" && asciiIs(b, start, end, address)) {
          next += ahead + 1;
          found = true;
          break;
        }
      }
      if (found) continue;
      if (!wanted(this.repeated(s[at + TYPE]!, s[at + TYPE + 1]!, "type"), s[at + MODE]! >= 0 ? this.repeated(s[at + MODE]!, s[at + MODE + 1]!, "mode") : undefined)) continue;
      if (changes.set().has(decodeString(b, start, end))) continue;
      items[pos] = this.build(at, true);
    }
  }
}

/** How many resource_changes entries past the last one matched a planned resource is compared with the next. */
const LOOK_AHEAD = 4;

/** Whether the JSON string at [start, end) (quotes included) is `name` in ASCII bytes, without escapes. */
function asciiIs(b: Buffer, start: number, end: number, name: string): boolean {
  if (end - start - 2 !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    const c = b[start + 1 + k]!;
    if (c >= 0x80 || c === 0x5c || c !== name.charCodeAt(k)) return false;
  }
  return true;
}

/** The addresses of a plan's resource_changes entries: in the plan's order, and as a set (made when first asked for). */
export interface ChangeAddresses {
  /** The address of entry `i`; undefined past the last entry. */
  at(i: number): unknown;
  set(): ReadonlySet<unknown>;
}

/** Offsets of a member's value span (start, end) in a planned resource's record. */
const ADDRESS = 0;
const TYPE = 2;
const NAME = 4;
const MODE = 6;
const INDEX = 8;
const VALUES = 10;
const SENSITIVE = 12;
/** Numbers per record. */
const RECORD = 14;

/** The first letter that picks a member in {@link HeadReader.resource}, of a key written with escapes; 0: none. */
function escapedKey(key: string): number {
  switch (key) {
    case "values":
    case "address":
    case "type":
    case "name":
    case "mode":
    case "index":
    case "sensitive_values":
      return key.charCodeAt(0);
  }
  return 0;
}

/**
 * Whether a planned resource has all formats/schemas/terraform-plan.schema.json asks of one: `address`, `type` and
 * `name` strings, `values` an object when present (test/check/plan-sections.test.ts compares the verdicts).
 */
function conforms(b: Buffer, s: Int32Array, at: number): boolean {
  return (
    s[at + ADDRESS]! >= 0 &&
    b[s[at + ADDRESS]!] === 0x22 &&
    s[at + TYPE]! >= 0 &&
    b[s[at + TYPE]!] === 0x22 &&
    s[at + NAME]! >= 0 &&
    b[s[at + NAME]!] === 0x22 &&
    (s[at + VALUES]! < 0 || b[s[at + VALUES]!] === 0x7b)
  );
}

/**
 * Where the members of each planned resource are, in one typed array rather than an object per resource (10,000s
 * in a plan), with the array and position of its element.
 */
class PlannedRecords {
  spans = new Int32Array(RECORD * 256);
  readonly items: unknown[][] = [];
  readonly positions: number[] = [];
  count = 0;

  /** A new record for element `pos` of `items`; returns its offset in {@link spans}. */
  add(items: unknown[], pos: number): number {
    const at = this.count * RECORD;
    if (at + RECORD > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    this.items.push(items);
    this.positions.push(pos);
    this.count++;
    return at;
  }
}

/**
 * What a planned resource the adapter does not read stands as in the document (one object, shared and frozen): a
 * resource of no type, which formats/terraform.ts skips, with the members the schema requires.
 */
const UNREAD_RESOURCE: Readonly<Record<string, unknown>> = Object.freeze({ address: "", type: "", name: "" });

/** Leading top-level members read over the bytes; the first other key starts the JSON.parse'd tail. */
const HEAD_KEYS = ["format_version", "terraform_version", "variables", "planned_values", "resource_drift"] as const;

/** Stops the head walk at the first key that is not a head key. */
class TailStart {
  constructor(readonly keyStart: number) {}
}

/**
 * The text `before` + the bytes [from, to) + `after`, for one JSON.parse: the bytes just outside the span (the caller
 * knows they are there and are not needed: a `,`, whitespace, the end of the previous member) take the place of
 * `before` and `after` while it is decoded, and are put back at once. Prefixing the decoded text instead makes
 * JSON.parse flatten a 10s-of-MB concatenation.
 */
export function textAround(b: Buffer, from: number, to: number, before: string, after = ""): string {
  const at = from - before.length;
  const saved = Buffer.from(b.subarray(at, from));
  const savedAfter = after === "" ? undefined : Buffer.from(b.subarray(to, to + after.length));
  b.write(before, at, "latin1");
  if (savedAfter) b.write(after, to, "latin1");
  try {
    return b.toString("utf8", at, to + after.length);
  } finally {
    saved.copy(b, at);
    if (savedAfter) savedAfter.copy(b, to);
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

/** The leading members of a plan, read over its bytes (see the file comment). */
export interface PlanHead {
  /** The document so far: its leading members, in their order. */
  doc: Record<string, unknown>;
  /** Where the key of the first other member starts (its opening quote), or undefined when none follows. */
  tailKeyStart: number | undefined;
  /**
   * Builds, in their places in `doc`, the planned resources the adapter will read: of a `wanted` type and mode, at an
   * address no resource_changes entry has (`changes`).
   */
  buildPlanned(wanted: PlanResourceFilter, changes: ChangeAddresses): void;
}

/** Reads the leading members. Throws {@link JsonSkimError} when their bytes are not JSON. */
export function readPlanHead(b: Buffer): PlanHead {
  let start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  start = skipWs(b, start);
  if (b[start] !== 0x7b) throw new JsonSkimError(start);
  const head = new HeadReader(b);
  const doc: Record<string, unknown> = {};
  let tailKeyStart: number | undefined;
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
    tailKeyStart = e.keyStart;
  }
  return { doc, tailKeyStart, buildPlanned: (wanted, changes) => head.finish(wanted, changes) };
}

/** The addresses of a plan's resource_changes entries, from whatever JSON.parse made of `changes`. */
function changeAddresses(changes: unknown): ChangeAddresses {
  const list: unknown[] = Array.isArray(changes) ? changes : [];
  const address = (rc: unknown): unknown => (rc && typeof rc === "object" ? (rc as Record<string, unknown>).address : undefined);
  let set: Set<unknown> | undefined;
  return {
    at: (i) => (i < list.length ? (address(list[i]) ?? null) : undefined),
    set: () => {
      if (set) return set;
      set = new Set<unknown>();
      for (let i = 0; i < list.length; i++) if (list[i] && typeof list[i] === "object") set.add(address(list[i]));
      return set;
    },
  };
}

/**
 * The plan document with only what partnerlink reads built (see the file comment). `wanted` says which
 * resources the adapter reads. Throws {@link JsonSkimError} or SyntaxError when the bytes are not one JSON value.
 */
export function readPlanSections(b: Buffer, wanted: PlanResourceFilter): Record<string, unknown> {
  const head = readPlanHead(b);
  const doc = head.doc;
  let changes: unknown;
  if (head.tailKeyStart !== undefined) {
    // `{` + the rest of the document from the first tail key: the byte before that key is a `,` or whitespace.
    const rest = JSON.parse(textAround(b, head.tailKeyStart, b.length, "{")) as Record<string, unknown>;
    for (const k of Object.keys(rest)) put(doc, k, rest[k]);
    changes = rest.resource_changes;
  }
  // Planned values the adapter will read: wanted resources no resource_changes entry covers.
  head.buildPlanned(wanted, changeAddresses(changes));
  return doc;
}
