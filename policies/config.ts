import { accessSync, constants } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { ConfigError, loadConfigFile, validateConfig } from "../rules/config";
import configJsonSchema from "../rules/config.schema.json";
import type { PartnerlinkConfig } from "../rules/config-types";

/**
 * The policy pack's configuration: partnerlink's configuration (rules/config.schema.json, the same keys as
 * partnerlink.config.json) given per policy through `pulumi preview --policy-pack-config <file>`, plus
 * `configFile`, a partnerlink.config.{json,yaml} to start from (default: the file named by the environment
 * variable PARTNERLINK_CONFIG, for every policy at once). Keys given inline override the file's.
 *
 * ```json
 * {
 *   "all": "mandatory",
 *   "pec-principal-missing": { "configFile": "/ci/partnerlink.config.yaml" },
 *   "pal-link-missing": { "pecPrincipals": ["<object id>"], "palLinkedPrincipals": ["<object id>"] },
 *   "dpor-agreement-mismatch": { "enforcementLevel": "mandatory", "requireDporForEa": true,
 *     "subscriptions": [{ "subscriptionId": "<guid>", "agreement": "EA", "dpor": true }] },
 *   "value-unresolved": "disabled"
 * }
 * ```
 */

/** Name of the extra key that points at a partnerlink configuration file. */
export const CONFIG_FILE_KEY = "configFile";

type Json = Record<string, unknown>;

/** Replaces local `$ref`s (`#/definitions/x`) by the definitions: the Pulumi CLI validates each property alone. */
function inlineRefs(node: unknown, defs: Json): unknown {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, defs));
  if (typeof node !== "object" || node === null) return node;
  const o = node as Json;
  if (typeof o.$ref === "string" && o.$ref.startsWith("#/definitions/")) {
    const target = defs[o.$ref.slice("#/definitions/".length)];
    const rest: Json = { ...o };
    delete rest.$ref;
    return { ...(inlineRefs(target, defs) as Json), ...(inlineRefs(rest, defs) as Json) };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(o)) out[k] = inlineRefs(v, defs);
  return out;
}

function buildConfigSchema(): PolicyConfigSchema {
  const schema = configJsonSchema as unknown as Json;
  const defs = (schema.definitions ?? {}) as Json;
  const props = inlineRefs(schema.properties ?? {}, defs) as Record<string, PolicyConfigJSONSchema>;
  delete props.$schema;
  return {
    properties: {
      ...props,
      [CONFIG_FILE_KEY]: {
        type: "string",
        minLength: 1,
        description:
          "Path of a partnerlink.config.{json,yaml} to read first (relative paths are relative to the policy pack directory). Keys given here override the file's.",
      },
    },
  };
}

/** The `configSchema` every partnerlink policy declares (derived from rules/config.schema.json). */
export const POLICY_CONFIG_SCHEMA: PolicyConfigSchema = buildConfigSchema();

/** The effective partnerlink configuration of one policy, or the one-line reason it is invalid. */
export type PolicyConfigResult = { ok: true; config: PartnerlinkConfig } | { ok: false; message: string };

/**
 * The environment variable naming a partnerlink.config.{json,yaml} for every policy that has no `configFile`:
 * one file for the whole pack (the same file `partnerlink check --config` reads) instead of repeating keys per
 * policy. The Pulumi CLI passes its environment to the policy pack process.
 */
export const CONFIG_FILE_ENV = "PARTNERLINK_CONFIG";

/**
 * Applies partnerlink's defaults to what `args.getConfig()` returned (`{}` when the pack was not configured),
 * reads `configFile` (else the file named by `PARTNERLINK_CONFIG`) when given, and validates the result with
 * rules/config.ts (ajv). Never throws.
 *
 * @param raw what `getConfig()` returned
 * @param policyName the policy, named in error messages
 * @param baseDir directory relative `configFile` paths are resolved against (the pack's working directory)
 * @param envFile the `PARTNERLINK_CONFIG` value (the pack passes `process.env.PARTNERLINK_CONFIG`)
 */
export function resolvePolicyConfig(
  raw: unknown,
  policyName: string,
  baseDir: string = process.cwd(),
  envFile: string | undefined = process.env[CONFIG_FILE_ENV],
): PolicyConfigResult {
  // The analyzer asks for every resource; config is fixed for the process (set once by Configure), so resolve it once.
  let key: string;
  try {
    key = JSON.stringify([policyName, baseDir, envFile ?? null, raw ?? null]);
  } catch {
    return resolveUncached(raw, policyName, baseDir, envFile);
  }
  const hit = resolved.get(key);
  if (hit) return hit;
  const result = resolveUncached(raw, policyName, baseDir, envFile);
  if (resolved.size > 1000) resolved.clear();
  resolved.set(key, result);
  return result;
}

const resolved = new Map<string, PolicyConfigResult>();

/** Why a config file cannot be read ("file not found", ...), or undefined when it can. */
function unreadable(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : `cannot read (${code ?? "error"})`;
  }
}

/** The fix for a config file path the pack cannot read (the CLI's `--config` does not exist here). */
function fileFix(given: string, baseDir: string): string {
  return isAbsolute(given)
    ? "Give the path of a partnerlink.config.json or .yaml."
    : `Relative paths are relative to the policy pack directory (${baseDir}), not to the project: give an absolute path.`;
}

function resolveUncached(raw: unknown, policyName: string, baseDir: string, envFile: string | undefined): PolicyConfigResult {
  const source = `policy pack config for '${policyName}'`;
  try {
    if (raw !== undefined && (typeof raw !== "object" || raw === null || Array.isArray(raw))) {
      return { ok: false, message: `${source}: $: must be an object. Give the policy's settings as a JSON object.` };
    }
    const inline: Json = { ...((raw ?? {}) as Json) };
    const file = inline[CONFIG_FILE_KEY];
    delete inline[CONFIG_FILE_KEY];
    let base: PartnerlinkConfig = {};
    if (file !== undefined) {
      if (typeof file !== "string" || file.length === 0) {
        return { ok: false, message: `${source}: $.${CONFIG_FILE_KEY}: must be a non-empty string. Give the path of a partnerlink.config.json or .yaml.` };
      }
      const path = isAbsolute(file) ? file : resolve(baseDir, file);
      const missing = unreadable(path);
      if (missing !== undefined) {
        return { ok: false, message: `${source}: $.${CONFIG_FILE_KEY}: ${path}: ${missing}. ${fileFix(file, baseDir)}` };
      }
      base = loadConfigFile(path);
    } else if (envFile !== undefined && envFile !== "") {
      const path = isAbsolute(envFile) ? envFile : resolve(baseDir, envFile);
      const missing = unreadable(path);
      if (missing !== undefined) {
        return { ok: false, message: `${source}: ${CONFIG_FILE_ENV}: ${path}: ${missing}. ${fileFix(envFile, baseDir)}` };
      }
      base = loadConfigFile(path);
    }
    const merged = { ...base, ...inline };
    return { ok: true, config: validateConfig(merged, source) };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, message: e.message };
    return { ok: false, message: `${source}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
