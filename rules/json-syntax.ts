/**
 * JSON.parse syntax errors described without quoting the document: every reader of JSON input (files, config,
 * emulator seeds) reports the line, the column and what was wrong, never the text around it.
 */
import { JsonSkimError, skipValue, skipWs } from "./json-skim";

/**
 * V8's reason without any of the text: its "Unexpected token 'x', "...snippet..." is not valid JSON" quotes the
 * document around the error, which can be a secret (a parameters file's value). A structural character is named;
 * anything else is "an unexpected character".
 */
export function jsonSyntaxReason(message: string): string {
  const token = /^Unexpected token '(.)'/su.exec(message);
  if (token) return /^[{}[\]:,"]$/.test(token[1]!) ? `unexpected '${token[1]}'` : "an unexpected character (a value must be a string in double quotes, a number, true, false, null, an object or an array)";
  return message
    .replace(/\s*\(line \d+ column \d+\)/, "")
    .replace(/ in JSON at position \d+/, "")
    .replace(/^JSON\.parse: /, "")
    .replace(/,? ".*" is not valid JSON$/su, "");
}

/** `line L, column C` (1-based) of a character offset in `text`. */
export function lineColumn(text: string, pos: number): string {
  const before = text.slice(0, pos);
  return `line ${before.split("\n").length}, column ${pos - before.lastIndexOf("\n")}`;
}

/** ` (line L, column C)` from V8's "at position N", or "" when its message has none. */
export function jsonSyntaxWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  return m ? ` (${lineColumn(text, Number(m[1]))})` : "";
}

/**
 * A JSON.parse error on `text` as ` (line L, column C): what was wrong`, never quoting the text (it can hold a secret):
 * for every reader of JSON (check's inputs and config, the emulator's seed, fault rules and state, audit identities,
 * template customer lists).
 */
export function jsonSyntaxProblem(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `${syntaxErrorWhere(text, message)}: ${jsonSyntaxReason(message)}`;
}

/**
 * ` (line L, column C)` of a JSON syntax error: from V8's "at position N" when it gives one, else from where
 * rules/json-skim.ts stops (V8's "Unexpected token" messages carry a snippet of the text instead).
 */
function syntaxErrorWhere(text: string, message: string): string {
  const fromV8 = jsonSyntaxWhere(text, message);
  if (fromV8 !== "") return fromV8;
  const bytes = Buffer.from(text, "utf8");
  let pos: number | undefined;
  try {
    const end = skipWs(bytes, skipValue(bytes, 0));
    if (end < bytes.length) pos = bytes.subarray(0, end).toString("utf8").length;
  } catch (skim) {
    if (skim instanceof JsonSkimError) pos = bytes.subarray(0, Math.min(skim.pos, bytes.length)).toString("utf8").length;
  }
  return pos === undefined ? "" : ` (${lineColumn(text, pos)})`;
}
