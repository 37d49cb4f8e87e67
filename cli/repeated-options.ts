import { UsageError } from "./command";

/**
 * Refuses a single-valued option given more than once. Node's parseArgs (and a hand-written loop) keep the last
 * value silently, so `--managing-tenant A ... --managing-tenant B` would build for B without a word. Repeatable
 * options (`--pec-principal`, `--authorization`, ...) are listed in `repeatable`; a repeated switch (`--force`
 * twice) changes nothing and passes. Values are not echoed: the message names the option only.
 */
export function refuseRepeatedOptions(given: Iterable<{ name: string; hasValue: boolean }>, repeatable: ReadonlySet<string>, command: string): void {
  const seen = new Set<string>();
  for (const { name, hasValue } of given) {
    if (!hasValue || repeatable.has(name)) continue;
    if (seen.has(name)) throw new UsageError(`--${name} is given more than once; give it once. Run 'partnerlink ${command} --help'.`);
    seen.add(name);
  }
}

/** The options in parseArgs tokens, for {@link refuseRepeatedOptions}. */
export function optionsOfTokens(tokens: readonly { kind: string; name?: string; value?: string | undefined }[] | undefined): { name: string; hasValue: boolean }[] {
  return (tokens ?? []).filter((t) => t.kind === "option").map((t) => ({ name: t.name!, hasValue: t.value !== undefined }));
}

/** The names of the `multiple: true` options of a parseArgs options object. */
export function repeatableOf(options: Readonly<Record<string, { readonly type: string; readonly multiple?: boolean }>>): Set<string> {
  return new Set(Object.entries(options).filter(([, o]) => o.multiple === true).map(([n]) => n));
}
