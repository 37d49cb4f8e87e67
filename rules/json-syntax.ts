/**
 * JSON.parse syntax errors described without quoting the document: every reader of JSON input (files, config,
 * emulator seeds) reports the line, the column and what was wrong, never the text around it.
 */

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
