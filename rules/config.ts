import { jsonSyntaxProblem } from "./json-syntax";
import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import type { PartnerlinkConfig } from "./config-types";
import { isPartnerId, isPlaceholderGuid, parseGuid, parseSubscriptionId } from "./identifiers";
import { childPath, pointerToJsonPath, valueAtPointer } from "./json-path";
import { RULES, ruleMeta } from "./metadata";
import schema from "./config.schema.json";
import { schemaValidator, unquotedScalarProblem, type SchemaValidatorSpec } from "./schema-validator";

/** The names a config in the working folder is found by, in this order, when no --config is given. */
export const DEFAULT_CONFIG_FILES: readonly string[] = ["partnerlink.config.json", "partnerlink.config.yaml", "partnerlink.config.yml"];

/**
 * Loading and validating partnerlink configuration (JSON or YAML) against rules/config.schema.json.
 * Every error reads `<file>: <json path>: <what is wrong>. <fix>` on one line.
 */

export interface ConfigProblem {
  /** JSON path, e.g. `$.waivers[0].expires`. */
  path: string;
  /** `<what is wrong>. <fix>` */
  message: string;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(file: string, problems: ConfigProblem[]) {
    const line = (p: ConfigProblem): string => `${file}: ${p.path}: ${p.message}`;
    const first = problems[0] ?? { path: "$", message: "invalid configuration." };
    const rest = problems.slice(1);
    super(
      rest.length === 0
        ? line(first)
        : `${line(first)} (${rest.length} more: ${rest.map((p) => `${p.path}: ${p.message}`).join("; ")})`,
    );
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems.length > 0 ? problems : [first];
  }
}

/** rules/config.schema.json: every problem at once, with ajv-formats' `date`; compiled at build time. */
export const CONFIG_SCHEMA_VALIDATOR: SchemaValidatorSpec = { id: "partnerlink-config", schema, allErrors: true, formats: true };

/**
 * Where an ajv error points, as a JSON path: `/waivers/0/expires` -> `$.waivers[0].expires`, plus `member` below
 * it. `root`: the validated document, which tells an array index from a member named with digits.
 */
export function toJsonPath(instancePath: string, member?: string, root?: unknown): string {
  const at = pointerToJsonPath(instancePath, "$", root);
  return member === undefined ? at : childPath(at, member);
}

/** The schema object holding the keyword an error's schemaPath ends with (`#/properties/x/additionalProperties`). */
function subschemaAt(schemaPath: string): Record<string, unknown> | undefined {
  const pointer = schemaPath.replace(/^#/, "");
  const node = valueAtPointer(schema, pointer.slice(0, pointer.lastIndexOf("/")));
  return typeof node === "object" && node !== null ? (node as Record<string, unknown>) : undefined;
}

function describe(e: ErrorObject, doc: unknown): ConfigProblem {
  const p = e.params as Record<string, unknown>;
  const path = toJsonPath(e.instancePath, undefined, doc);
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const parent = subschemaAt(e.schemaPath);
      const props = parent && typeof parent.properties === "object" ? Object.keys(parent.properties as object) : [];
      return {
        path: childPath(path, key),
        message: `unknown key '${key}'. Allowed keys: ${props.join(", ")}.`,
      };
    }
    case "required":
      return {
        path: childPath(path, String(p.missingProperty)),
        message: `'${String(p.missingProperty)}' is required. Add it.`,
      };
    case "pattern":
      if (/partnerId$/.test(path)) return { path, message: "must be a numeric partner ID of 6 to 10 digits. Use your Associated Partner ID (MPN ID) as a string, e.g. \"1234567\"." };
      return { path, message: "must be a GUID (8-4-4-4-12 hex digits). Use the object or tenant ID from Entra ID, not a name." };
    case "format":
      return {
        path,
        message: `must be a ${String(p.format)}${p.format === "date" ? " (YYYY-MM-DD)" : ""}. Fix the value.`,
      };
    case "enum":
      return {
        path,
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}. Use one of them.`,
      };
    case "type": {
      const unquoted = unquotedScalarProblem(e, doc);
      return { path, message: unquoted !== undefined ? `${unquoted}.` : `must be ${String(p.type)}. Change the value's type.` };
    }
    case "minLength":
      return { path, message: "must not be empty. Give a value." };
    default:
      return { path, message: `${e.message ?? "is invalid"}. Fix the value.` };
  }
}

/** The problem with a placeholder GUID where `what` belongs (rules/identifiers.ts PLACEHOLDER_GUIDS). */
function placeholderMessage(v: string, what: string): string {
  return `'${v}' is a placeholder GUID, not an ID Azure assigns. Replace it with ${what}.`;
}

/** Checks that ajv cannot express: rule references must name a rule in rules/metadata.ts. */
function semanticProblems(cfg: PartnerlinkConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const known = `Use a rule ID (${RULES[0].id}..${RULES[RULES.length - 1].id}) or name (e.g. ${RULES[0].name}).`;
  (cfg.waivers ?? []).forEach((w, i) => {
    if (!ruleMeta(w.rule)) out.push({ path: `$.waivers[${i}].rule`, message: `unknown rule '${w.rule}'. ${known}` });
    if (w.expires !== undefined && Number.isNaN(Date.parse(`${w.expires}T00:00:00Z`))) {
      out.push({ path: `$.waivers[${i}].expires`, message: "is not a valid date. Use YYYY-MM-DD." });
    }
  });
  for (const key of Object.keys(cfg.rules ?? {})) {
    if (!ruleMeta(key)) out.push({ path: childPath("$.rules", key), message: `unknown rule '${key}'. ${known}` });
  }
  // A placeholder GUID (the samples' 00000000-...) left where an ID belongs: every rule would judge by it.
  const lists: [string, readonly string[] | undefined, string][] = [
    ["pecPrincipals", cfg.pecPrincipals, "the PEC principal's object ID"],
    ["palLinkedPrincipals", cfg.palLinkedPrincipals, "the PAL-linked principal's object ID"],
    ["servicePrincipals", cfg.servicePrincipals, "the service principal's object ID"],
    ["allowedManagingTenants", cfg.allowedManagingTenants, "the managing tenant's ID"],
  ];
  for (const [key, list, what] of lists)
    (list ?? []).forEach((v, i) => {
      if (isPlaceholderGuid(v)) out.push({ path: `$.${key}[${i}]`, message: placeholderMessage(v, what) });
    });
  (cfg.subscriptions ?? []).forEach((sub, i) => {
    if (isPlaceholderGuid(sub.subscriptionId)) out.push({ path: `$.subscriptions[${i}].subscriptionId`, message: placeholderMessage(sub.subscriptionId, "the customer subscription's ID") });
  });
  // A subscription listed twice (IDs compare without case): its agreement and DPOR would be taken from one entry
  // and the other's silently dropped.
  const firstAt = new Map<string, number>();
  (cfg.subscriptions ?? []).forEach((sub, i) => {
    const id = parseSubscriptionId(sub.subscriptionId);
    if (id === undefined) return;
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else out.push({ path: `$.subscriptions[${i}].subscriptionId`, message: `lists subscription ${id} again (first at $.subscriptions[${first}]). Fix: keep one entry per subscription, with its agreement and dpor.` });
  });
  return out;
}

/**
 * Validates a parsed configuration object. Throws {@link ConfigError} naming `sourceName` and the JSON path.
 * Returns the object typed (unchanged).
 */
export function validateConfig(obj: unknown, sourceName: string): PartnerlinkConfig {
  const v = schemaValidator(CONFIG_SCHEMA_VALIDATOR);
  if (!v(obj)) {
    const problems = (v.errors ?? []).map((e) => describe(e, obj));
    // Keep one problem per path+message (allErrors can repeat through $ref).
    const seen = new Set<string>();
    throw new ConfigError(
      sourceName,
      problems.filter((p) => {
        const k = `${p.path}\u0000${p.message}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      }),
    );
  }
  const cfg = obj as PartnerlinkConfig;
  const sem = semanticProblems(cfg);
  if (sem.length > 0) throw new ConfigError(sourceName, sem);
  return cfg;
}

/** Parses JSON or YAML text (by extension; `.json` is JSON, anything else YAML, which also reads JSON). */
export function parseConfigText(text: string, sourceName: string): PartnerlinkConfig {
  let obj: unknown;
  if (/\.json$/i.test(sourceName)) {
    try {
      obj = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(sourceName, [{ path: "$", message: `is not valid JSON${jsonSyntaxProblem(text, e)}. Fix the syntax.` }]);
    }
  } else {
    // Loaded here, not at the top: `yaml` costs ~30 ms to load, and most runs have a JSON config or none.
    const { parse: parseYaml, YAMLParseError } = require("yaml") as typeof import("yaml");
    try {
      obj = parseYaml(text);
    } catch (e) {
      const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
      // The library's own advice ("use YAML.parseAllDocuments()") is for programmers, not for whoever wrote the file.
      if (e instanceof YAMLParseError && e.code === "MULTIPLE_DOCS")
        throw new ConfigError(sourceName, [{ path: "$", message: `holds more than one YAML document (a '---' line${where}); a partnerlink config is one document. Fix: keep one document, merging the settings, and remove the '---' line.` }]);
      const msg = e instanceof Error ? e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "") : String(e);
      throw new ConfigError(sourceName, [{ path: "$", message: `is not valid YAML${where} (${msg}). Fix the syntax.` }]);
    }
  }
  if (obj === null || obj === undefined) obj = {};
  return validateConfig(obj, sourceName);
}

/** Reads and validates `partnerlink.config.{json,yaml,yml}` (or any path). Throws {@link ConfigError}. */
export function loadConfigFile(path: string): PartnerlinkConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : `cannot read (${code ?? "error"})`;
    throw new ConfigError(path, [{ path: "$", message: `${what}. Check the path given with --config.` }]);
  }
  return parseConfigText(text, path);
}

/** The CLI flags that feed configuration. */
export interface ConfigFlags {
  /** `--pec-principal` (repeatable). */
  pecPrincipals?: string[];
  /** `--pal-linked` (repeatable). */
  palLinkedPrincipals?: string[];
  /** `--partner-id`. */
  partnerId?: string;
  /** `--allowed-tenant` (repeatable). */
  allowedManagingTenants?: string[];
}

function unionGuids(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of [...(a ?? []), ...(b ?? [])]) {
    const k = s.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(s);
    }
  }
  return out;
}

/**
 * Merges CLI flags into a configuration: GUID lists are unioned (flags added to config), `--partner-id`
 * replaces the configured one. Flag values are validated; errors name the flag (`--pec-principal: ...`).
 * Returns a new object; the input is not modified.
 */
export function mergeConfigFlags(config: PartnerlinkConfig, flags: ConfigFlags): PartnerlinkConfig {
  const problems: ConfigProblem[] = [];
  for (const [flag, list] of [
    ["--pec-principal", flags.pecPrincipals],
    ["--pal-linked", flags.palLinkedPrincipals],
    ["--allowed-tenant", flags.allowedManagingTenants],
  ] as const) {
    for (const v of list ?? []) {
      const what = flag === "--allowed-tenant" ? "the managing tenant's ID" : "the principal's object ID";
      if (!parseGuid(v)) problems.push({ path: flag, message: `'${v}' is not a GUID. Pass ${what} (8-4-4-4-12 hex digits).` });
      else if (isPlaceholderGuid(v)) problems.push({ path: flag, message: placeholderMessage(v, what) });
    }
  }
  if (flags.partnerId !== undefined && !isPartnerId(flags.partnerId)) {
    problems.push({ path: "--partner-id", message: `'${flags.partnerId}' is not a partner ID. Pass your numeric Associated Partner ID (6 to 10 digits).` });
  }
  if (problems.length > 0) throw new ConfigError("command line", problems);
  const out: PartnerlinkConfig = { ...config };
  const pec = unionGuids(config.pecPrincipals, flags.pecPrincipals);
  if (pec) out.pecPrincipals = pec;
  const linked = unionGuids(config.palLinkedPrincipals, flags.palLinkedPrincipals);
  if (linked) out.palLinkedPrincipals = linked;
  const tenants = unionGuids(config.allowedManagingTenants, flags.allowedManagingTenants);
  if (tenants) out.allowedManagingTenants = tenants;
  if (flags.partnerId !== undefined) out.partnerId = flags.partnerId;
  return out;
}
