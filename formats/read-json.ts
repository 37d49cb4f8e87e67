import * as fs from "node:fs";
import { InputError } from "./input-error";
import { jsonSyntaxProblem } from "../rules/json-syntax";

/** Default size limit for one input file (`--max-file-size`). */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

export interface ReadJsonResult {
  value: unknown;
  /** The decoded text, kept for JSON path -> line mapping in reporters. */
  text: string;
}

/**
 * Reads and parses one JSON file. The size is checked with stat before anything is read, so a huge file
 * costs nothing. A UTF-8 byte order mark is accepted (Visual Studio writes one and ARM accepts it).
 */
export function readJsonFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): ReadJsonResult {
  const text = readTextFile(file, maxBytes);
  return { value: parseJsonText(file, text), text };
}

export function readTextFile(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): string {
  return textOfBytes(file, readFileBytes(file, maxBytes));
}

/**
 * The bytes of one input file, after the checks every input gets: not a directory, within the size limit
 * (checked with stat before anything is read), not empty, no NUL bytes.
 */
export function readFileBytes(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Buffer {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new InputError(file, "is a directory, not a file");
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); check the path and permissions`);
  }
  if (size > maxBytes)
    throw new InputError(
      file,
      `is ${formatMb(size)}, above the ${formatMb(maxBytes)} limit; split the input or raise --max-file-size`,
    );
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); check the path and permissions`);
  }
  if (buf.length === 0) throw new InputError(file, "is empty; expected a JSON document");
  if (buf.includes(0)) throw new InputError(file, "is not a text file (it contains NUL bytes); expected a JSON document");
  return buf;
}

/** The UTF-8 text of an input's bytes, without a byte order mark; refuses whitespace only. */
export function textOfBytes(file: string, buf: Buffer): string {
  let text = buf.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") throw new InputError(file, "contains only whitespace; expected a JSON document");
  return text;
}

export function parseJsonText(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(file, "is nested too deeply to read; flatten the document");
    throw new InputError(file, `is not valid JSON${jsonSyntaxProblem(text, e)}; fix the syntax`);
  }
}

function formatMb(bytes: number): string {
  // Under 1 MB in KB or bytes: a limit of 0.0001 MB is 105 bytes, not "0.00 MB".
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(0)} MB`;
}
