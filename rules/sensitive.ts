/**
 * Hiding values the input marks sensitive (`Estate.sensitiveValues`, e.g. a Terraform plan's `after_sensitive`)
 * in the text of findings: the engine passes every finding through {@link sensitiveRedactor}, so no rule can print
 * one. Shown as `terraform show` shows them.
 */

/** What a finding shows in place of a sensitive value. */
export const SENSITIVE_VALUE = "(sensitive value)";

const GUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A trie over case-folded UTF-16 code units; `end` marks the end of a form. */
interface Node {
  next: Map<number, Node>;
  end: boolean;
}

/** One code unit case-folded (ASCII fast path; a character whose lower case is longer stays as it is). */
function fold(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return c + 0x20;
  if (c < 0x80) return c;
  const l = String.fromCharCode(c).toLowerCase();
  return l.length === 1 ? l.charCodeAt(0) : c;
}

/**
 * A function that puts {@link SENSITIVE_VALUE} wherever a sensitive value appears in a text, compared without
 * regard to case (rules print parsed IDs lower-cased), also JSON-escaped (fix texts quote values) and by each GUID
 * inside it (a role definition or scope ID is printed by its GUID). The longest form starting at a place is
 * replaced, so no part of a value is left behind. One pass over the text through a trie: a plan can mark 10,000s
 * of values. Undefined when there is nothing to hide: then findings cost nothing extra.
 */
export function sensitiveRedactor(values: ReadonlySet<string> | undefined): ((text: string) => string) | undefined {
  if (values === undefined || values.size === 0) return undefined;
  const root: Node = { next: new Map(), end: false };
  let forms = 0;
  const add = (form: string): void => {
    if (form === "") return;
    let n = root;
    for (let i = 0; i < form.length; i++) {
      const c = fold(form.charCodeAt(i));
      let m = n.next.get(c);
      if (!m) n.next.set(c, (m = { next: new Map(), end: false }));
      n = m;
    }
    n.end = true;
    forms++;
  };
  for (const v of values) {
    add(v);
    add(JSON.stringify(v).slice(1, -1));
    for (const g of v.match(GUIDS) ?? []) add(g);
  }
  if (forms === 0) return undefined;
  return (text) => {
    let out: string | undefined;
    let copied = 0;
    for (let i = 0; i < text.length; i++) {
      const first = root.next.get(fold(text.charCodeAt(i)));
      if (first === undefined) continue;
      let n: Node = first;
      let matchEnd = n.end ? i + 1 : -1;
      for (let j = i + 1; j < text.length; j++) {
        const m: Node | undefined = n.next.get(fold(text.charCodeAt(j)));
        if (m === undefined) break;
        n = m;
        if (n.end) matchEnd = j + 1;
      }
      if (matchEnd < 0) continue;
      out = (out ?? "") + text.slice(copied, i) + SENSITIVE_VALUE;
      copied = matchEnd;
      i = matchEnd - 1;
    }
    return out === undefined ? text : out + text.slice(copied);
  };
}
