/**
 * A large Terraform plan read and adapted a slice of `resource_changes` at a time.
 *
 * formats/plan-sections.ts builds a plan's `resource_changes` with one JSON.parse, and the adapter then reads it: every
 * object of every entry (24 MB for 10,000 delegations) is alive until the last entry is adapted, so each scavenge
 * on the way copies them, and they end in the old generation. Here the entries are parsed about a megabyte at a time
 * ({@link SLICE_BYTES}) and each slice is validated and adapted (formats/terraform.ts {@link PlanAdapter}) before the
 * next is parsed: its objects die young, and only the model stays.
 *
 * Where a slice ends is found by a native search, not by walking the bytes: `terraform show -json` writes compact
 * JSON, and one entry ends and the next begins with `},{"address":"` (`address` is an entry's first member: see
 * {@link ENTRY_CHANGE}). A quote after `{` is never escaped, so in valid JSON those bytes are outside any string.
 * They may still be inside an entry (a value that is a list of objects whose first member is an `address` string),
 * or after resource_changes (the resources of prior_state and configuration: slicing stops at the first candidate
 * with no `change`). A slice that starts where an entry starts and parses as the elements of an array ends where an
 * entry ends: one that ends inside an entry, or past the end of `resource_changes`, has brackets that do not close
 * and does not parse. Such a slice is read together with the next one. The entries after the last slice and every
 * member after `resource_changes` are parsed together, as `{"resource_changes":[` + the rest of the file; that parse
 * succeeds only where an entry starts.
 *
 * This is only a faster way to the same result: whenever the bytes are not what it expects (another key order,
 * indented JSON, a plan below two slices, a second `resource_changes` key, malformed JSON, an entry or a document the
 * schema refuses, an adapter error), it gives up and the caller reads the plan whole (formats/read-document.ts,
 * validate.ts, terraform.ts), which says what is wrong exactly as before. test/check/plan-slices.test.ts compares
 * the two.
 */
import { JsonSkimError, skipWs } from "../rules/json-skim";
import type { FileEstate } from "./file-estate";
import { InputError } from "./input-error";
import { put, readPlanHead, textAround } from "./plan-sections";
import { PlanAdapter, planResourceWanted } from "./terraform";
import { isValidPlanChange, validateInput } from "./validate";

/** How many bytes of `resource_changes` one JSON.parse reads, at least (a slice ends where an entry ends). */
export const SLICE_BYTES = 1 << 20;

/** Where one `resource_changes` entry ends and the next begins in Terraform's compact output. */
const BETWEEN_ENTRIES = Buffer.from('},{"address":"', "latin1");

/**
 * What a resource_changes entry holds soon after it begins: its `change`, whose first member is `actions`, comes
 * after its address, previous and module address, mode, type, name, index, index_unknown, provider and deposed key.
 * That is the field order of `ResourceChange` (hashicorp/terraform internal/command/jsonplan/resource.go; in plan.go
 * before 1.x moved it) and of `Change` (plan.go), which encoding/json keeps; `Marshal` in plan.go writes the plan with
 * `json.Marshal`, which indents nothing. Read in the terraform repository as stored on 2026-11-22 (plan.go at
 * 0000ad57, resource.go at 04de0a91).
 */
const ENTRY_CHANGE = Buffer.from('"change":{"actions":[', "latin1");
/** How far into an entry its change is looked for. */
const ENTRY_HEAD_BYTES = 4096;

/** resource_changes' key and the opening of its array, as Terraform's compact output writes them. */
const CHANGES_KEY = '"resource_changes":[';

/** What the entries after the last slice, and the rest of the document, are parsed behind. */
const CHANGES_OPEN = '{"resource_changes":[';

/** How many slices may fail to parse (and be read with the next) before the plan is read whole. */
const MAX_MERGES = 8;

/** A plan read in slices: its document without the entries (an empty `resource_changes`), and its estate. */
export interface SlicedPlan {
  doc: Record<string, unknown>;
  adapted: FileEstate;
}

/**
 * The plan in `b` (bytes of `file`) validated and adapted a slice at a time, or undefined when the caller must read
 * it whole (see the file comment). `sliceBytes` is for tests.
 */
export function adaptPlanInSlices(file: string, b: Buffer, sliceBytes: number = SLICE_BYTES): SlicedPlan | undefined {
  try {
    return readSlices(file, b, Math.max(sliceBytes, CHANGES_OPEN.length));
  } catch (e) {
    // Malformed, refused or too deep: the whole reading says so, exactly.
    if (e instanceof JsonSkimError || e instanceof SyntaxError || e instanceof RangeError || e instanceof InputError) return undefined;
    throw e;
  }
}

function readSlices(file: string, b: Buffer, sliceBytes: number): SlicedPlan | undefined {
  // Where resource_changes begins as Terraform writes it, found by a search: what is not sliced (indented JSON, a
  // small plan) is left to the whole reading before the walk over planned_values, which the whole reading makes
  // again. The walk, below, confirms it is the member that follows the leading ones.
  const keyStart = b.indexOf(CHANGES_KEY, 0, "latin1");
  if (keyStart < 0) return undefined;
  const first = skipWs(b, keyStart + CHANGES_KEY.length);
  // Slices [start, end): whole entries, a `,` after each.
  const bounds: number[] = [];
  let next = first;
  for (;;) {
    const at = b.indexOf(BETWEEN_ENTRIES, next + sliceBytes);
    if (at < 0) break;
    // Past resource_changes the resources of prior_state and configuration begin the same way, and have no change:
    // the slices stop at the first such resource (or at an entry that does not look like one: the rest is parsed
    // whole).
    if (b.subarray(at, at + ENTRY_HEAD_BYTES).indexOf(ENTRY_CHANGE) < 0) break;
    bounds.push(next, at + 1);
    next = at + 2;
  }
  // One slice: the whole reading parses as little.
  if (bounds.length === 0) return undefined;
  // A second `resource_changes` would replace the first (JSON.parse keeps the last): read whole.
  if (b.indexOf('"resource_changes"', next, "latin1") >= 0) return undefined;

  const head = readPlanHead(b);
  if (head.tailKeyStart !== keyStart) return undefined;
  const rest = JSON.parse(textAround(b, next, b.length, CHANGES_OPEN)) as Record<string, unknown>;
  const lastEntries = rest.resource_changes as unknown[];
  const doc = head.doc;
  for (const k of Object.keys(rest)) put(doc, k, rest[k]);
  // The entries are adapted below and not kept: the document is validated with none.
  doc.resource_changes = [];

  const adapter = new PlanAdapter(doc, file);
  let index = 0;
  const adapt = (entries: unknown[]): boolean => {
    for (let i = 0; i < entries.length; i++) {
      const rc = entries[i];
      if (!isValidPlanChange(rc)) return false;
      adapter.change(rc as Record<string, unknown>, index++);
    }
    return true;
  };
  let merges = 0;
  for (let k = 0; k < bounds.length; k += 2) {
    const start = bounds[k]!;
    let end = bounds[k + 1]!;
    let entries: unknown[] | undefined;
    for (;;) {
      try {
        entries = JSON.parse(textAround(b, start, end, "[", "]")) as unknown[];
        break;
      } catch (e) {
        // Ended inside an entry: read it with the next slice (the last one's end is the rest's, parsed above).
        if (!(e instanceof SyntaxError) || ++merges > MAX_MERGES || k + 2 >= bounds.length) throw e;
        k += 2;
        end = bounds[k + 1]!;
      }
    }
    if (!adapt(entries)) return undefined;
  }
  if (!adapt(lastEntries)) return undefined;
  const addresses = adapter.changeAddresses;
  head.buildPlanned(planResourceWanted, { at: (i) => addresses[i], set: () => adapter.seen });
  validateInput("terraform-plan", doc, file);
  return { doc, adapted: adapter.finish(doc) };
}
