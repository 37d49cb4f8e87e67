/**
 * JSON path -> line number for one JSON text, by a single position-tracking scan (no second parse).
 * Used by the SARIF reporter to give each finding a region.
 */
import { childPath } from "../rules/json-path";

export function jsonPathLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  let line = 1;
  const n = text.length;
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 0xfeff) break;
      i++;
    }
  };
  const str = (): string => {
    const start = ++i;
    let escaped = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c === 34) break;
      if (c === 10) line++;
      i++;
    }
    const raw = text.slice(start, i);
    i++;
    if (!escaped) return raw;
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  };
  // Iterative walk with an explicit stack so deep documents cannot overflow the call stack.
  type Frame = { kind: "obj" | "arr"; path: string; index: number };
  const stack: Frame[] = [];
  const value = (path: string): void => {
    ws();
    out.set(path, line);
    const c = text[i];
    if (c === "{") {
      i++;
      stack.push({ kind: "obj", path, index: 0 });
    } else if (c === "[") {
      i++;
      stack.push({ kind: "arr", path, index: 0 });
    } else if (c === '"') {
      str();
    } else {
      while (i < n && !/[,\]}\s]/.test(text[i]!)) i++;
    }
  };
  value("$");
  while (stack.length > 0 && i < n) {
    const top = stack[stack.length - 1]!;
    ws();
    const c = text[i];
    if (c === "," ) {
      i++;
      continue;
    }
    if ((top.kind === "obj" && c === "}") || (top.kind === "arr" && c === "]")) {
      i++;
      stack.pop();
      continue;
    }
    if (top.kind === "obj") {
      if (c !== '"') return out; // not valid JSON: stop with what we have
      const key = str();
      ws();
      if (text[i] === ":") i++;
      value(childPath(top.path, key));
    } else {
      value(childPath(top.path, top.index++));
    }
  }
  return out;
}

/** The line of `path`, or of its nearest ancestor the text has (e.g. a property the adapter added). */
export function lineOf(lines: Map<string, number>, path: string): number | undefined {
  let p = path;
  for (;;) {
    const hit = lines.get(p);
    if (hit !== undefined) return hit;
    const m = /^(.*)(\.[^.[\]]+|\[[^\]]*\])$/.exec(p);
    if (!m || m[1] === "") return undefined;
    p = m[1]!;
  }
}
