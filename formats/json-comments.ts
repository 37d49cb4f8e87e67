/**
 * Comments in ARM templates and parameters files. Azure accepts `//` and `/* *\/` comments in both (Azure CLI
 * 2.3.0+, Azure PowerShell, the VS Code ARM tools: https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#comments),
 * so a template that deploys must not be refused as "not valid JSON". Other formats (Terraform JSON, plans,
 * CDKTF output, partnerlink config) stay strict: Terraform refuses comments in JSON.
 */

/**
 * `text` with every comment outside strings replaced by spaces (line breaks kept), so offsets, lines and columns
 * are those of the original file; `undefined` when it has no comment. An unterminated block comment runs to the end,
 * as it would for a reader that allows them; JSON.parse then says what is missing.
 */
export function blankJsonComments(text: string): string | undefined {
  let out: string[] | undefined;
  let from = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22 || s === 0x0a) break;
      }
      continue;
    }
    if (c !== 0x2f /* / */ || i + 1 >= n) continue;
    const next = text.charCodeAt(i + 1);
    if (next !== 0x2f && next !== 0x2a /* * */) continue;
    let end: number;
    if (next === 0x2f) {
      end = text.indexOf("\n", i + 2);
      if (end < 0) end = n;
    } else {
      end = text.indexOf("*/", i + 2);
      end = end < 0 ? n : end + 2;
    }
    out ??= [];
    out.push(text.slice(from, i), text.slice(i, end).replace(/[^\r\n]/g, " "));
    from = end;
    i = end - 1;
  }
  if (out === undefined) return undefined;
  out.push(text.slice(from));
  return out.join("");
}
