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

/** `"key"` then `:`; returns the index of the value after it. */
function skipKeyAndColon(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) throw new JsonSkimError(i);
  i = skipWs(b, skipString(b, i));
  if (b[i] !== COLON) throw new JsonSkimError(i);
  return skipWs(b, i + 1);
}

/**
 * End (exclusive) of the JSON value starting at `i` (leading whitespace allowed), checking its whole grammar.
 */
export function skipValue(b: Uint8Array, i: number): number {
  const stack: number[] = []; // OPEN_OBJ or OPEN_ARR per open container
  i = skipWs(b, i);
  for (;;) {
    // A value starts at i.
    const c = b[i];
    if (c === OPEN_OBJ) {
      i = skipWs(b, i + 1);
      if (b[i] === CLOSE_OBJ) i++;
      else {
        stack.push(OPEN_OBJ);
        i = skipKeyAndColon(b, i);
        continue;
      }
    } else if (c === OPEN_ARR) {
      i = skipWs(b, i + 1);
      if (b[i] === CLOSE_ARR) i++;
      else {
        stack.push(OPEN_ARR);
        continue;
      }
    } else if (c === QUOTE) i = skipString(b, i);
    else if (c === 0x74) i = skipLiteral(b, i, "true");
    else if (c === 0x66) i = skipLiteral(b, i, "false");
    else if (c === 0x6e) i = skipLiteral(b, i, "null");
    else if (c === 0x2d || isDigit(c)) i = skipNumber(b, i);
    else throw new JsonSkimError(i);
    // After a value: close containers, or a comma and the next member/element.
    for (;;) {
      if (stack.length === 0) return i;
      i = skipWs(b, i);
      const d = b[i];
      const top = stack[stack.length - 1];
      if (d === COMMA) {
        i = skipWs(b, i + 1);
        if (top === OPEN_OBJ) i = skipKeyAndColon(b, i);
        break;
      }
      if ((top === OPEN_OBJ && d === CLOSE_OBJ) || (top === OPEN_ARR && d === CLOSE_ARR)) {
        stack.pop();
        i++;
        continue;
      }
      throw new JsonSkimError(i);
    }
  }
}

/** The text of the JSON string whose quotes are at `start` and `end - 1`. */
export function decodeString(b: Buffer, start: number, end: number): string {
  let ascii = true;
  for (let i = start + 1; i < end - 1; i++) {
    const c = b[i]!;
    if (c === BACKSLASH) return JSON.parse(b.toString("utf8", start, end)) as string;
    if (c >= 0x80) ascii = false;
  }
  return b.toString(ascii ? "latin1" : "utf8", start + 1, end - 1);
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
  return JSON.parse(b.toString("utf8", start, end));
}

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

/** Walks the elements of the array at `i` (which must be `[`), like {@link forEachMember}. */
export function forEachElement(b: Buffer, i: number, element: (index: number, at: number) => number): number {
  if (b[i] !== OPEN_ARR) throw new JsonSkimError(i);
  i = skipWs(b, i + 1);
  if (b[i] === CLOSE_ARR) return i + 1;
  for (let k = 0; ; k++) {
    i = skipWs(b, element(k, i));
    if (b[i] === COMMA) {
      i = skipWs(b, i + 1);
      continue;
    }
    if (b[i] === CLOSE_ARR) return i + 1;
    throw new JsonSkimError(i);
  }
}
