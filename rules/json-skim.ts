/**
 * Byte-level JSON scanning: where a value ends in a UTF-8 buffer, without building it, so a reader can
 * JSON.parse only the parts it needs (formats/plan-sections.ts skips the planned values of a Terraform plan).
 *
 * {@link skipValue} checks the full JSON grammar (RFC 8259: literals, numbers, string escapes, control
 * characters, commas and colons, matching brackets) of what it skips: nothing malformed passes unread. It is
 * iterative (an explicit stack), so deep nesting cannot overflow the call stack, and throws
 * {@link JsonSkimError} on malformed input; callers then fall back to JSON.parse of the whole text, whose error
 * names the line and column. UTF-8 is not validated here: Buffer#toString replaces bad sequences exactly as the
 * whole-file decode does.
 */

export class JsonSkimError extends Error {
  constructor(readonly pos: number) {
    super(`malformed JSON at byte ${pos}`);
    this.name = "JsonSkimError";
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Index of the first byte at or after `i` that is not JSON whitespace (space, tab, CR, LF). */
export function skipWs(b: Uint8Array, i: number): number {
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
    else break;
  }
  return i;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** End (exclusive) of the string whose opening quote is at `i`, checking escapes and control characters. */
export function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  i++;
  for (;;) {
    if (i >= n) throw new JsonSkimError(i);
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const e = b[i + 1];
      if (e === 0x75 /* u */) {
        if (!isHex(b[i + 2]) || !isHex(b[i + 3]) || !isHex(b[i + 4]) || !isHex(b[i + 5])) throw new JsonSkimError(i);
        i += 6;
        continue;
      }
      // " \ / b f n r t
      if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
        continue;
      }
      throw new JsonSkimError(i + 1);
    }
    if (c < 0x20) throw new JsonSkimError(i);
    i++;
  }
}

function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === 0x2d) i++;
  if (b[i] === 0x30) i++;
  else if (isDigit(b[i]) && b[i] !== 0x30) while (isDigit(b[i])) i++;
  else throw new JsonSkimError(i);
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i])) throw new JsonSkimError(i);
    while (isDigit(b[i])) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    if (!isDigit(b[i])) throw new JsonSkimError(i);
    while (isDigit(b[i])) i++;
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number, lit: string): number {
  for (let k = 0; k < lit.length; k++) if (b[i + k] !== lit.charCodeAt(k)) throw new JsonSkimError(i + k);
  return i + lit.length;
}

/** End of the literal or number at `i`. */
function skipScalar(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === 0x74) return skipLiteral(b, i, "true");
  if (c === 0x66) return skipLiteral(b, i, "false");
  if (c === 0x6e) return skipLiteral(b, i, "null");
  if (c === 0x2d || isDigit(c)) return skipNumber(b, i);
  throw new JsonSkimError(i);
}

/** `"key"` then `:`; returns the index of the value after it. */
function skipKeyAndColon(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) throw new JsonSkimError(i);
  i = skipWs(b, skipString(b, i));
  if (b[i] !== COLON) throw new JsonSkimError(i);
  return skipWs(b, i + 1);
}

/**
 * {@link skipValue}'s container stack, allocated once and shared by every call. A deeper document gets a larger
 * copy for that call; only up to 4 KiB is kept for the next (a pathological nesting is not held on to).
 */
let containerStack: Uint8Array = new Uint8Array(64);

function growStack(stack: Uint8Array): Uint8Array {
  const next = new Uint8Array(stack.length * 2);
  next.set(stack);
  if (next.length <= 4096) containerStack = next;
  return next;
}

/**
 * End (exclusive) of the JSON value starting at `i` (leading whitespace allowed), checking its whole grammar.
 */
export function skipValue(b: Uint8Array, i: number): number {
  i = skipWs(b, i);
  // A scalar needs no stack: most values a reader skips (a resource's address, type, name) are scalars.
  const first = b[i];
  if (first === QUOTE) return skipString(b, i);
  if (first !== OPEN_OBJ && first !== OPEN_ARR) return skipScalar(b, i);
  // OPEN_OBJ or OPEN_ARR per open container, in one buffer reused by every call (skipValue never re-enters).
  let stack = containerStack;
  let depth = 0;
  for (;;) {
    // A value starts at i.
    const c = b[i];
    if (c === OPEN_OBJ) {
      i = skipWs(b, i + 1);
      if (b[i] === CLOSE_OBJ) i++;
      else {
        if (depth === stack.length) stack = growStack(stack);
        stack[depth++] = OPEN_OBJ;
        i = skipKeyAndColon(b, i);
        continue;
      }
    } else if (c === OPEN_ARR) {
      i = skipWs(b, i + 1);
      if (b[i] === CLOSE_ARR) i++;
      else {
        if (depth === stack.length) stack = growStack(stack);
        stack[depth++] = OPEN_ARR;
        continue;
      }
    } else if (c === QUOTE) i = skipString(b, i);
    else i = skipScalar(b, i);
    // After a value: close containers, or a comma and the next member/element.
    for (;;) {
      if (depth === 0) return i;
      i = skipWs(b, i);
      const d = b[i];
      const top = stack[depth - 1];
      if (d === COMMA) {
        i = skipWs(b, i + 1);
        if (top === OPEN_OBJ) i = skipKeyAndColon(b, i);
        break;
      }
      if ((top === OPEN_OBJ && d === CLOSE_OBJ) || (top === OPEN_ARR && d === CLOSE_ARR)) {
        depth--;
        i++;
        continue;
      }
      throw new JsonSkimError(i);
    }
  }
}

/** Buffer's own slice decoders (what Buffer#toString calls after checking its arguments); toString where absent. */
type Slicer = (b: Buffer, start: number, end: number) => string;
const proto = Buffer.prototype as unknown as Record<string, unknown>;
const latin1: Slicer =
  typeof proto.latin1Slice === "function" ? (b, s, e) => (b as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e) : (b, s, e) => b.toString("latin1", s, e);
const utf8: Slicer =
  typeof proto.utf8Slice === "function" ? (b, s, e) => (b as unknown as { utf8Slice(s: number, e: number): string }).utf8Slice(s, e) : (b, s, e) => b.toString("utf8", s, e);

/** The text of the JSON string whose quotes are at `start` and `end - 1`. */
export function decodeString(b: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start + 1; i < end - 1; i++) {
    const c = b[i]!;
    if (c === BACKSLASH) return JSON.parse(utf8(b, start, end)) as string;
    if (c >= 0x80) ascii = false;
  }
  return ascii ? latin1(b, start + 1, end - 1) : utf8(b, start + 1, end - 1);
}

/** A JSON number's value (its grammar already checked). */
export function decodeNumber(b: Buffer, start: number, end: number): number {
  return Number(latin1(b, start, end));
}

/** Whether the JSON string at [start, end) (quotes included) reads as exactly `name` (ASCII, no backslash). */
export function stringIs(b: Buffer, start: number, end: number, name: string): boolean {
  if (end - start - 2 === name.length) {
    // Same length: an escape would make the text shorter than name, so the bytes decide.
    for (let k = 0; k < name.length; k++) if (b[start + 1 + k] !== name.charCodeAt(k)) return false;
    return true;
  }
  for (let i = start + 1; i < end - 1; i++) if (b[i] === BACKSLASH) return decodeString(b, start, end) === name;
  return false;
}

/** JSON.parse of the bytes [start, end) (the caller knows they hold one value). */
export function parseSpan(b: Buffer, start: number, end: number): unknown {
  if (b[start] === QUOTE) return decodeString(b, start, end);
  return JSON.parse(utf8(b, start, end));
}

/*
 * Cursor steps for walking a container without callbacks. An "item" position is where the next member's key
 * (objects) or the next element (arrays) starts; a negative result -(end + 1) says the container closed and ends
 * at `end` (see {@link closedAt}).
 */

/** The first item of the container at `i` (`{` or `[`), or -(end + 1) when it is empty. */
export function firstItem(b: Uint8Array, i: number): number {
  const open = b[i];
  if (open !== OPEN_OBJ && open !== OPEN_ARR) throw new JsonSkimError(i);
  i = skipWs(b, i + 1);
  if (b[i] === (open === OPEN_OBJ ? CLOSE_OBJ : CLOSE_ARR)) return -(i + 1) - 1;
  if (open === OPEN_OBJ && b[i] !== QUOTE) throw new JsonSkimError(i);
  return i;
}

/** After an item that ends at `i` in a container closed by `close` (`}` or `]`): the next item, or -(end + 1). */
export function nextItem(b: Uint8Array, i: number, close: number): number {
  i = skipWs(b, i);
  if (b[i] === COMMA) {
    i = skipWs(b, i + 1);
    if (close === CLOSE_OBJ && b[i] !== QUOTE) throw new JsonSkimError(i);
    return i;
  }
  if (b[i] === close) return -(i + 1) - 1;
  throw new JsonSkimError(i);
}

/** The end of a container from a negative cursor result. */
export function closedAt(r: number): number {
  return -r - 1;
}

/** The start of a member's value, given the end of its key string. */
export function memberValue(b: Uint8Array, keyEnd: number): number {
  const i = skipWs(b, keyEnd);
  if (b[i] !== COLON) throw new JsonSkimError(i);
  return skipWs(b, i + 1);
}

export const CLOSE_OBJECT = CLOSE_OBJ;
export const CLOSE_ARRAY = CLOSE_ARR;

/**
 * Walks the members of the object at `i` (which must be `{`): `member(keyStart, keyEnd, valueStart)` gets the
 * key's JSON string span (quotes included; {@link decodeString} or {@link stringIs} read it) and returns the end of
 * the value (by skipping or reading it). Returns the end of the object. Keys may come in any order.
 */
export function forEachMember(b: Buffer, i: number, member: (keyStart: number, keyEnd: number, at: number) => number): number {
  if (b[i] !== OPEN_OBJ) throw new JsonSkimError(i);
  i = skipWs(b, i + 1);
  if (b[i] === CLOSE_OBJ) return i + 1;
  for (;;) {
    if (b[i] !== QUOTE) throw new JsonSkimError(i);
    const keyStart = i;
    const keyEnd = skipString(b, i);
    i = skipWs(b, keyEnd);
    if (b[i] !== COLON) throw new JsonSkimError(i);
    i = skipWs(b, member(keyStart, keyEnd, skipWs(b, i + 1)));
    if (b[i] === COMMA) {
      i = skipWs(b, i + 1);
      continue;
    }
    if (b[i] === CLOSE_OBJ) return i + 1;
    throw new JsonSkimError(i);
  }
}
