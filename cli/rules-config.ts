import * as fs from "node:fs";
import * as path from "node:path";
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
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw new UsageError(`${file}: cannot read the config: ${(e as Error).message}`);
  }
  return { config, file };
}
