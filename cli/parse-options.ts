import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./command";

/**
 * A command's options, parsed the one way every command parses them: strictly (an unknown option or a missing value
 * is a usage error pointing at `partnerlink <command> --help`), no positionals, and no single-valued option given
 * twice ({@link refuseRepeatedOptions}).
 */
export function parseCommandOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(argv: string[], options: O, command: string) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}. Run 'partnerlink ${command} --help'.`);
  }
  const given = parsed.tokens.filter((t) => t.kind === "option").map((t) => ({ name: t.name, hasValue: t.value !== undefined }));
  const repeatable = new Set(Object.entries(options).filter(([, o]) => o.multiple === true).map(([n]) => n));
  refuseRepeatedOptions(given, repeatable, command);
  return parsed.values;
}

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
