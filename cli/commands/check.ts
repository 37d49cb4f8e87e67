import * as fs from "node:fs";
import * as path from "node:path";
import { INPUT_FORMATS, type InputFormat } from "../../formats/detect";
import { loadInputs } from "../../formats/load";
import { DEFAULT_MAX_FILE_BYTES } from "../../formats/read-json";
import { evaluate, mergeSubscriptions } from "../../rules/engine";
import { isGuid, isPartnerId, isResourceGroupName, parseSubscriptionId } from "../../rules/identifiers";
import { SEVERITY_ORDER, type Severity, type SourceLocation } from "../../rules/model";
import { sensitiveRedactor } from "../../rules/sensitive";
import { AtomicOutputError, atomicOutput, checkOutputPath, type AtomicOutput } from "../atomic-output";
import { refuseRepeatedOptions } from "../parse-options";
import { UsageError, type CommandModule, type CommandIO } from "../command";
import { renderJson } from "../reporters/json";
import { renderJunit } from "../reporters/junit";
import type { CheckedResource, CheckReport } from "../reporters/report";
import { renderSarif } from "../reporters/sarif";
import { renderText } from "../reporters/text";
import { resolveRulesConfig } from "../rules-config";
import { VERSION } from "../version";


const USAGE = `Usage: partnerlink check <paths...> [options]

Checks Azure partner associations declared in ARM templates (+ parameters files), Terraform plan JSON,
Terraform JSON (*.tf.json), CDKTF output (cdk.tf.json or a cdktf.out folder) and partnerlink config files,
before anything is deployed. Folders are searched, following symlinks (node_modules, .git, .terraform, .pulumi,
dist and dot-folders are skipped and listed in the notices).

Paths:
  <file|folder>                 an input; ARM parameters files pair with templates by basename or parameter names
  <template.json>=<params.json> an explicit template + parameters pair

Options:
  --pec-principal <objectId>    PAL-linked principal that must hold a PEC-eligible permanent role (repeatable)
  --pal-linked <objectId>       a principal already PAL-linked outside the checked files, e.g. with az managementpartner
                                (repeatable; adds to the config's palLinkedPrincipals)
  --partner-id <id>             the partner's Associated Partner ID (MPN ID)
  --allowed-tenant <tenantId>   allowed managing tenant (repeatable)
  --subscription <id>           the subscription the ARM templates are deployed to (as az deployment sub create
                                --subscription): PL006/PL007 judge them there instead of reporting it unknown (PL012)
  --resource-group <name>       the resource group resource group-level ARM templates are deployed to
  --config <file>               partnerlink config (JSON or YAML); default: partnerlink.config.{json,yaml,yml} in cwd
  --format <f>                  text | json | sarif | junit (default text)
  --output <file>               write the report there (atomically) instead of stdout
  --severity-threshold <s>      error | warning | info: exit 1 when an unwaived finding is at or above it (default error)
  --parameters <file>           parameters file for the template(s) given (repeatable)
  --format-in <f>               force the input format: ${INPUT_FORMATS.join(" | ")}
  --max-file-size <MB>          refuse input files larger than this (default ${DEFAULT_MAX_FILE_BYTES / 1024 / 1024})
  --help, --version

Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage error or unreadable input.
`;

interface CheckArgs {
  paths: string[];
  pecPrincipals: string[];
  palLinked: string[];
  allowedTenants: string[];
  partnerId?: string;
  /** Target subscription (lower-case GUID) and resource group of the ARM templates' deployments. */
  subscriptionId?: string;
  resourceGroup?: string;
  config?: string;
  format: "text" | "json" | "sarif" | "junit";
  output?: string;
  threshold: Severity;
  parameters: string[];
  formatIn?: InputFormat;
  maxFileBytes: number;
  version: boolean;
}

/** The options that take several values; any other given twice is a usage error (cli/parse-options.ts). */
const REPEATABLE: ReadonlySet<string> = new Set(["pec-principal", "pal-linked", "allowed-tenant", "parameters"]);

const VALUE_OPTIONS = new Set([
  "--pec-principal",
  "--pal-linked",
  "--partner-id",
  "--allowed-tenant",
  "--subscription",
  "--resource-group",
  "--config",
  "--format",
  "--output",
  "--severity-threshold",
  "--parameters",
  "--format-in",
  "--max-file-size",
]);

export function parseCheckArgs(argv: string[]): CheckArgs {
  const a: CheckArgs = {
    paths: [],
    pecPrincipals: [],
    palLinked: [],
    allowedTenants: [],
    format: "text",
    threshold: "error",
    parameters: [],
    maxFileBytes: DEFAULT_MAX_FILE_BYTES,
    version: false,
  };
  const given: { name: string; hasValue: boolean }[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    if (arg === "--") {
      a.paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--") && arg.includes("=")) {
      const eq = arg.indexOf("=");
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (arg === "--version") {
      a.version = true;
      continue;
    }
    if (!arg.startsWith("--")) {
      a.paths.push(arg);
      continue;
    }
    if (!VALUE_OPTIONS.has(arg)) throw new UsageError(`unknown option '${arg}'. Run 'partnerlink check --help' for the options.`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined || (value.startsWith("--") && value.length > 2)) throw new UsageError(`${arg} needs a value.`);
    }
    given.push({ name: arg.slice(2), hasValue: true });
    switch (arg) {
      case "--pec-principal":
        if (!isGuid(value)) throw new UsageError(`--pec-principal '${value}' is not an object ID (GUID 8-4-4-4-12); use the service principal's object ID.`);
        a.pecPrincipals.push(value);
        break;
      case "--pal-linked":
        if (!isGuid(value)) throw new UsageError(`--pal-linked '${value}' is not an object ID (GUID 8-4-4-4-12); use the object ID of the principal that made the link.`);
        a.palLinked.push(value);
        break;
      case "--allowed-tenant":
        if (!isGuid(value)) throw new UsageError(`--allowed-tenant '${value}' is not a tenant ID (GUID 8-4-4-4-12).`);
        a.allowedTenants.push(value);
        break;
      case "--partner-id":
        if (!isPartnerId(value)) throw new UsageError(`--partner-id '${value}' is not a partner ID; use your numeric Associated Partner ID (MPN ID).`);
        a.partnerId = value;
        break;
      case "--subscription": {
        const sub = parseSubscriptionId(value);
        if (sub === undefined) throw new UsageError(`--subscription '${value}' is not a subscription ID (GUID 8-4-4-4-12, or /subscriptions/<GUID>).`);
        a.subscriptionId = sub;
        break;
      }
      case "--resource-group":
        if (!isResourceGroupName(value))
          throw new UsageError(`--resource-group '${value}' is not a resource group name (1-90 letters, digits, _ - . ( ), not ending in '.').`);
        a.resourceGroup = value;
        break;
      case "--config":
        a.config = value;
        break;
      case "--format":
        if (!["text", "json", "sarif", "junit"].includes(value)) throw new UsageError(`--format must be text, json, sarif or junit, not '${value}'.`);
        a.format = value as CheckArgs["format"];
        break;
      case "--output":
        a.output = value;
        break;
      case "--severity-threshold":
        if (!Object.hasOwn(SEVERITY_ORDER, value)) throw new UsageError(`--severity-threshold must be error, warning or info, not '${value}'.`);
        a.threshold = value as Severity;
        break;
      case "--parameters":
        a.parameters.push(value);
        break;
      case "--format-in":
        if (!(INPUT_FORMATS as readonly string[]).includes(value))
          throw new UsageError(`--format-in must be one of ${INPUT_FORMATS.join(", ")}, not '${value}'.`);
        a.formatIn = value as InputFormat;
        break;
      case "--max-file-size": {
        const mb = Number(value);
        if (!Number.isFinite(mb) || mb <= 0) throw new UsageError(`--max-file-size must be a positive number of megabytes, not '${value}'.`);
        a.maxFileBytes = Math.floor(mb * 1024 * 1024);
        break;
      }
    }
  }
  refuseRepeatedOptions(given, REPEATABLE, "check");
  return a;
}

/** Writes the report through cli/atomic-output (temp file + rename): never half-written. */
async function writeOutput(file: string, data: string): Promise<void> {
  let out: AtomicOutput | undefined;
  try {
    out = atomicOutput(file);
    out.stream.write(data);
    await out.commit();
  } catch (e) {
    out?.abort();
    // Already one line naming --output, the path and the fix (a missing folder, a directory in its place).
    if (e instanceof AtomicOutputError) throw new UsageError(e.message);
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot write --output ${file}: ${err.code ?? err.message}; check the folder exists and is writable.`);
  }
}

export async function runCheck(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCheckArgs(argv);
  if (args.version) {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  try {
    return await checkAndReport(args, io);
  } catch (e) {
    if (args.output !== undefined) removePreviousReport(path.resolve(io.cwd, args.output), args.output, io);
    throw e;
  }
}

/**
 * A run that ends without a report (a usage error such as a config that is missing or invalid) removes the file a
 * previous run left at --output: a reused CI workspace (a self-hosted runner, an Azure DevOps agent without a clean)
 * would otherwise upload the last run's SARIF or JUnit, with its findings and its pass, as this run's. Without the
 * file the upload step fails or warns that there is none. Only a regular file is removed, never a device or pipe.
 */
function removePreviousReport(file: string, shown: string, io: CommandIO): void {
  try {
    if (!fs.lstatSync(file).isFile()) return;
    fs.rmSync(file);
    io.stderr.write(`partnerlink check: removed the previous report ${shown}: this run wrote none.\n`);
  } catch {
    // No previous report, or one that cannot be removed: nothing more to say than the error itself.
  }
}

async function checkAndReport(args: CheckArgs, io: CommandIO): Promise<number> {
  if (args.paths.length === 0) throw new UsageError("no input paths. Usage: partnerlink check <paths...> (see --help).");
  // An --output that cannot be written (its folder missing, a directory in its place) is refused before the check
  // runs, not after it (as the emulator's --state is): a large estate would be read in full for nothing.
  if (args.output !== undefined) {
    try {
      checkOutputPath("--output", path.resolve(io.cwd, args.output), args.output);
    } catch (e) {
      if (e instanceof AtomicOutputError) throw new UsageError(e.message);
      throw e;
    }
  }
  const { config, file: configFile } = resolveRulesConfig(
    { config: args.config, pecPrincipals: args.pecPrincipals, palLinkedPrincipals: args.palLinked, partnerId: args.partnerId, allowedTenants: args.allowedTenants },
    io.cwd,
  );
  const loaded = loadInputs(
    args.paths.map((p) => (p.includes("=") && !fs.existsSync(path.resolve(io.cwd, p)) ? p.split("=").map((x) => path.resolve(io.cwd, x)).join("=") : path.resolve(io.cwd, p))),
    {
      formatIn: args.formatIn,
      parameters: args.parameters.map((p) => path.resolve(io.cwd, p)),
      maxFileBytes: args.maxFileBytes,
      configFile,
      ...(args.subscriptionId !== undefined ? { subscriptionId: args.subscriptionId } : {}),
      ...(args.resourceGroup !== undefined ? { resourceGroup: args.resourceGroup } : {}),
    },
  );
  const inputErrors = loaded.errors.map((e) => ({ file: e.file, ...(e.jsonPath !== undefined ? { path: e.jsonPath } : {}), message: relativize(e.message, io.cwd) }));
  for (const e of inputErrors) io.stderr.write(`partnerlink check: ${e.message}\n`);

  const result = evaluate(loaded.estate, config, { inlineWaivers: loaded.inlineWaivers, configFile, reportUnusedWaivers: true });
  // Findings come redacted from the engine; the names JUnit lists passing cases under, and the adapters' notices,
  // are hidden here the same way (a definition named by a secure ARM parameter, say).
  const redact = sensitiveRedactor(loaded.estate.sensitiveValues) ?? ((t: string) => t);
  // Every resource read, so JUnit lists it passing, not only when a finding names it: a delegation's assignments too
  // where they are resources of their own (a Terraform assignment's address).
  // Each in its file: a template copied per customer holds the same names in each copy, and each copy is a case.
  // Only JUnit lists them, so they are gathered when a reporter first asks (a walk of every element: 50 ms on the
  // 10,000-delegation plan of bench/check, for formats that never read it).
  let resources: CheckedResource[] | undefined;
  const checkedResources = (): CheckedResource[] =>
    (resources ??= [
      ...loaded.estate.delegations.flatMap((d) => [
        checkedResource(d.name, d),
        ...d.assignments.flatMap((a) => (a.resource === undefined ? [] : [checkedResource(a.resource, a)])),
      ]),
      ...loaded.estate.partnerLinks.map((l) => checkedResource(l.name, l)),
      ...loaded.estate.subscriptions.map((s) => checkedResource(s.name, s)),
      // and the subscriptions the config declares, under the names the rules give them
      ...mergeSubscriptions(loaded.estate, config, configFile).map((s) => checkedResource(s.name, s)),
    ].map((r) => ({ ...r, name: redact(r.name) })));
  const report: CheckReport = {
    findings: result.findings,
    notices: [...loaded.notices.map(redact), ...result.notices].map((n) => relativize(n, io.cwd)),
    files: loaded.files,
    inputErrors,
    notEvaluated: result.notEvaluated,
    get resources() {
      return checkedResources();
    },
    threshold: args.threshold,
    cwd: io.cwd,
    version: VERSION,
    color: args.output === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR,
  };
  const out =
    args.format === "json"
      ? renderJson(report)
      : args.format === "sarif"
        ? renderSarif(report)
        : args.format === "junit"
          ? renderJunit(report)
          : renderText(report);
  if (args.output !== undefined) await writeOutput(path.resolve(io.cwd, args.output), out);
  else io.stdout.write(out);

  if (loaded.errors.length > 0) return 2;
  const limit = SEVERITY_ORDER[args.threshold];
  return result.findings.some((f) => !f.suppressed && SEVERITY_ORDER[f.severity] >= limit) ? 1 : 0;
}

/**
 * A resource as JUnit lists it: its name, the file of the element, and every other file a part of it was read from
 * (an ARM parameters file holding its authorizations), where its findings may point (rules/checks/paths.ts).
 */
function checkedResource(name: string, element: { source: SourceLocation }): CheckedResource {
  const file = element.source.file;
  const other = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || typeof v !== "object" || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === "source") {
        const f = (x as SourceLocation | undefined)?.file;
        if (f !== undefined && f !== file) other.add(f);
      } else walk(x, depth + 1);
    }
  };
  walk(element, 0);
  return { name, ...(file !== undefined ? { file } : {}), ...(other.size > 0 ? { otherFiles: [...other] } : {}) };
}

/** Absolute paths under cwd are shown relative to it. */
function relativize(message: string, cwd: string): string {
  const prefix = path.resolve(cwd) + path.sep;
  return message.split(prefix).join("");
}

export const checkCommand: CommandModule = {
  usage: USAGE,
  run: runCheck,
};
