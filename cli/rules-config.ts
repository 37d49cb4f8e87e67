import * as fs from "node:fs";
import * as path from "node:path";
import { detectFormat, FORMAT_NAMES } from "../formats/detect";
import { ConfigError, DEFAULT_CONFIG_FILES, loadConfigFile, mergeConfigFlags } from "../rules/config";
import type { PartnerlinkConfig } from "../rules/config-types";
import { UsageError } from "./command";

/** The rules options every command that judges an estate takes (check, audit). */
export interface RulesConfigArgs {
  /** `--config <file>`. */
  config?: string;
  pecPrincipals?: string[];
  /** `--pal-linked` (check only). */
  palLinkedPrincipals?: string[];
  partnerId?: string;
  allowedTenants?: string[];
}


/**
 * When a file given as the config is an input instead (a template, a plan: easy to swap on a command line), the
 * one line that says so; its schema errors would list every key the input has that a config has not.
 */
function notAConfig(file: string, shown: string): string | undefined {
  if (!/\.json$/i.test(file)) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  const format = detectFormat(doc, file);
  if (format === undefined || format === "config") return undefined;
  return `${shown}: is ${FORMAT_NAMES[format]}, not a partnerlink config. Fix: name it as a path to check (partnerlink check ${shown}), and give --config a partnerlink config (partnerlink.config.yaml or .json).`;
}

/**
 * The config: `--config`, else partnerlink.config.{json,yaml,yml} in cwd, else empty; CLI flags merged on top
 * by rules/config `mergeConfigFlags` (validated there). Errors become one-line usage errors naming the file,
 * JSON path or flag.
 */
export function resolveRulesConfig(args: RulesConfigArgs, cwd: string): { config: PartnerlinkConfig; file?: string } {
  let file = args.config === undefined ? undefined : path.resolve(cwd, args.config);
  if (file === undefined) file = DEFAULT_CONFIG_FILES.map((n) => path.join(cwd, n)).find((p) => fs.existsSync(p));
  let config: PartnerlinkConfig = {};
  try {
    if (file !== undefined) {
      if (!fs.existsSync(file)) throw new UsageError(`config file ${args.config} does not exist; check the --config path.`);
      config = loadConfigFile(file);
    }
    config = mergeConfigFlags(config, {
      pecPrincipals: args.pecPrincipals,
      palLinkedPrincipals: args.palLinkedPrincipals,
      partnerId: args.partnerId,
      allowedManagingTenants: args.allowedTenants,
    });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof ConfigError) throw new UsageError((file !== undefined && notAConfig(file, args.config ?? path.basename(file))) || e.message);
    throw new UsageError(`${file}: cannot read the config: ${(e as Error).message}`);
  }
  return { config, file };
}
