import { BUNDLE_FILES } from "../../templates/customer-guide";
import { VERSION } from "../version";
import { existsSync, readFileSync, statSync, type Stats } from "node:fs";
import * as path from "node:path";
import { parseCommandOptions } from "../parse-options";
import { jsonPathOf } from "../../rules/json-path";
import { jsonSyntaxProblem } from "../../rules/json-syntax";
import { parse as parseYaml } from "yaml";
import type { CommandModule, CommandIO } from "../command";
import { UsageError } from "../command";
import {
  customerFolderName,
  type FileTree,
  OnboardingError,
  type OnboardingSource,
  onboardingSpecViolations,
  type OnboardingBundle,
  noteLine,
  renderOnboarding,
  validateCustomerList,
  OutputDirRefused,
  writeTreeAtomically,
} from "../../templates";

// eslint-disable-next-line @typescript-eslint/no-var-requires

const GENERATOR = `partnerlink ${VERSION}`;

const USAGE = `Usage: partnerlink template --customer <name> --subscription <id> --managing-tenant <id>
                            --pec-principal <objectId> --out <dir> [options]
       partnerlink template --customers <file.json|yaml> --out <dir> [defaults...]

Generates what a customer needs to onboard to Azure Lighthouse themselves: an ARM deployment template
(subscription scope; one or several resource groups with --resource-group), its parameters file, a
customer guide (CUSTOMER-GUIDE.md) and the partnerlink.config.json that checks it. The PEC principal always
gets a permanent PEC-eligible role (default Contributor); the result passes 'partnerlink check' or nothing is written.

Options:
  --customer <name>              Customer name (guide, folder, default offer name)
  --subscription <id>            Customer subscription ID (GUID)
  --resource-group <name>        Delegate this resource group instead of the subscription (repeatable)
  --managing-tenant <id>         Partner (managing) tenant ID
  --pec-principal <objectId>     Object ID of the PAL-linked identity that earns Partner Earned Credit
  --pec-principal-name <name>    Display name shown to the customer for it
  --pec-role <roleId>            Its PEC-eligible built-in role (default Contributor b24988ac-6180-42a0-ab88-20f7382dd24c)
  --offer-name <name>            Offer name; the definition is named guid(offer name) (default "<customer> managed services")
  --offer-description <text>     Offer description
  --authorization <principalId:roleId[:displayName]>   Another permanent authorization (repeatable)
  --eligible <principalId:roleId[:displayName]>        A just-in-time authorization for a user or group (repeatable;
                                 MFA Azure, at most PT8H)
  --agreement <EA|MCA|CSP>       The customer's agreement; EA adds the Partner of Record (DPOR) steps
  --partner-id <id>              The partner's Associated Partner ID (shown in the DPOR steps)
  --customers <file>             Batch: a JSON or YAML list of customers (keys as in
                                 templates/schemas/customer-onboarding.schema.json); options above act as defaults
                                 (except --customer and --subscription); one folder per customer under --out
  --out <dir>                    Output directory (written atomically; must not exist unless --force)
  --force                        Replace an existing output directory that holds only a previous package
`;

/** Command-line option -> onboarding key, to name the option in errors. */
const OPTION_OF_KEY: Record<string, string> = {
  customer: "--customer",
  subscriptionId: "--subscription",
  resourceGroups: "--resource-group",
  managingTenantId: "--managing-tenant",
  pecPrincipalId: "--pec-principal",
  pecPrincipalDisplayName: "--pec-principal-name",
  pecRoleId: "--pec-role",
  offerName: "--offer-name",
  offerDescription: "--offer-description",
  authorizations: "--authorization",
  eligibleAuthorizations: "--eligible",
  agreement: "--agreement",
  partnerId: "--partner-id",
};

const OPTIONS = {
  customer: { type: "string" },
  subscription: { type: "string" },
  "resource-group": { type: "string", multiple: true },
  "managing-tenant": { type: "string" },
  "pec-principal": { type: "string" },
  "pec-principal-name": { type: "string" },
  "pec-role": { type: "string" },
  "offer-name": { type: "string" },
  "offer-description": { type: "string" },
  authorization: { type: "string", multiple: true },
  eligible: { type: "string", multiple: true },
  agreement: { type: "string" },
  "partner-id": { type: "string" },
  customers: { type: "string" },
  out: { type: "string" },
  force: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseCommandOptions<typeof OPTIONS>>;

/** `principalId:roleId[:displayName]` -> an authorization object; the display name may contain colons. */
function parseAuthorization(option: string, raw: string): Record<string, string> {
  const parts = raw.split(":");
  if (parts.length < 2 || parts[0].trim() === "" || parts[1].trim() === "") {
    throw new UsageError(`${option} '${raw}' must read principalId:roleId[:displayName], e.g. 00000000-0000-0000-0000-000000000000:b24988ac-6180-42a0-ab88-20f7382dd24c:Ops team`);
  }
  const out: Record<string, string> = { principalId: parts[0].trim(), roleDefinitionId: parts[1].trim() };
  const name = parts.slice(2).join(":").trim();
  if (name !== "") out.principalIdDisplayName = name;
  return out;
}

/** The onboarding keys the options give (only those present). */
function specFromOptions(v: Values): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) spec[key] = value;
  };
  set("customer", v.customer);
  set("subscriptionId", v.subscription);
  set("resourceGroups", v["resource-group"]);
  set("managingTenantId", v["managing-tenant"]);
  set("pecPrincipalId", v["pec-principal"]);
  set("pecPrincipalDisplayName", v["pec-principal-name"]);
  set("pecRoleId", v["pec-role"]);
  set("offerName", v["offer-name"]);
  set("offerDescription", v["offer-description"]);
  set("authorizations", v.authorization?.map((a) => parseAuthorization("--authorization", a)));
  set("eligibleAuthorizations", v.eligible?.map((a) => parseAuthorization("--eligible", a)));
  if (v.agreement !== undefined) {
    const a = v.agreement.toUpperCase();
    if (a !== "EA" && a !== "MCA" && a !== "CSP") throw new UsageError(`--agreement '${v.agreement}' must be EA, MCA or CSP`);
    spec.agreement = a;
  }
  set("partnerId", v["partner-id"]);
  return spec;
}

/**
 * How the options name a spec location (templates/onboarding-source.ts `pathOf`): `["authorizations", 1, "principalId"]`
 * -> `--authorization #2 (principalId)`, `["pecRoleId"]` -> `--pec-role`. Errors, rule findings and notes on a spec
 * given by options name the option that gave the value, and its place on the command line.
 */
function optionPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return "";
  const [key, ...rest] = segments;
  const option = OPTION_OF_KEY[String(key)] ?? `option for '${String(key)}'`;
  const index = typeof rest[0] === "number" ? ` #${(rest.shift() as number) + 1}` : "";
  const inner = jsonPathOf(rest, "").replace(/^\./, "");
  return `${option}${index}${inner === "" ? "" : ` (${inner})`}`;
}

/** A spec given by options, as the planner names it: messages start `options (customer '...')`. */
const OPTIONS_SOURCE: OnboardingSource = { name: "options", root: "$", pathOf: optionPath };

function readCustomerFile(file: string, cwd: string): unknown {
  const full = path.resolve(cwd, file);
  if (!existsSync(full)) throw new UsageError(`--customers ${file}: file not found; give the path of a JSON or YAML list of customers`);
  const text = readFileSync(full, "utf8");
  const yaml = /\.ya?ml$/i.test(file);
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    // JSON: line, column and reason (V8's own message quotes the text around the error).
    const problem = yaml ? ` (${err instanceof Error ? err.message.split("\n")[0] : String(err)})` : jsonSyntaxProblem(text, err);
    throw new UsageError(`--customers ${file}: not valid ${yaml ? "YAML" : "JSON"}${problem}; fix the syntax`);
  }
}

function renderSingle(v: Values): OnboardingBundle {
  const spec = specFromOptions(v);
  for (const key of ["customer", "subscriptionId", "managingTenantId", "pecPrincipalId"]) {
    if (spec[key] === undefined) throw new UsageError(`${OPTION_OF_KEY[key]} is required (or use --customers <file> for a list)`);
  }
  const problems = onboardingSpecViolations(spec, OPTIONS_SOURCE);
  if (problems.length > 0) {
    const p = problems[0];
    throw new UsageError(`${p.path} ${p.message}. Run 'partnerlink template --help' for the formats.`);
  }
  return renderOnboarding(spec, OPTIONS_SOURCE, "$", { generator: GENERATOR });
}

function renderBatch(v: Values, io: CommandIO): { tree: FileTree; bundles: [string, OnboardingBundle][] } {
  const file = v.customers!;
  const entries = validateCustomerList(readCustomerFile(file, io.cwd), file);
  const defaults = specFromOptions(v);
  const tree: FileTree = {};
  const bundles: [string, OnboardingBundle][] = [];
  const folders = new Map<string, number>();
  // subscription + offer name -> entry: the registration definition and assignments are named guid(offerName) in
  // that subscription, so two entries with both equal would deploy the same delegation (the second overwrites the first).
  const delegations = new Map<string, { index: number; customer: string }>();
  entries.forEach((entry, i) => {
    const merged = { ...defaults, ...entry };
    const bundle = renderOnboarding(merged, file, `$[${i}]`, { generator: GENERATOR });
    const folder = customerFolderName(bundle.plan.customer);
    const prev = folders.get(folder);
    if (prev !== undefined) {
      throw new UsageError(`${file}: $[${i}].customer '${bundle.plan.customer}' gives the same folder '${folder}' as $[${prev}]; give each customer a distinct name`);
    }
    folders.set(folder, i);
    const key = `${bundle.plan.subscriptionId.toLowerCase()}\n${bundle.plan.offerName}`;
    const same = delegations.get(key);
    if (same !== undefined) {
      throw new UsageError(
        `${file}: $[${i}] (customer '${bundle.plan.customer}') has the same subscriptionId and offerName '${bundle.plan.offerName}' as $[${same.index}] (customer '${same.customer}'): ` +
          `both would deploy registration definition ${bundle.plan.delegations[0].definitionId} (guid(offerName)), so one would overwrite the other's delegation; give $[${i}] a different offerName`,
      );
    }
    delegations.set(key, { index: i, customer: bundle.plan.customer });
    for (const [name, content] of Object.entries(bundle.files)) tree[`${folder}/${name}`] = content;
    bundles.push([folder, bundle]);
  });
  return { tree, bundles };
}

export const templateCommand: CommandModule = {
  usage: USAGE,
  async run(argv: string[], io: CommandIO): Promise<number> {
    const v = parseCommandOptions(argv, OPTIONS, "template");
    // One customer's own facts cannot be a default for a list: each entry names its customer and subscription.
    for (const [own, key] of [["customer", "customer"], ["subscription", "subscriptionId"]] as const) {
      if (v.customers !== undefined && v[own] !== undefined) throw new UsageError(`--${own} is one customer's; with --customers each entry gives its own '${key}': drop --${own} (or drop --customers)`);
    }
    if (v.out === undefined) throw new UsageError("--out <dir> is required: the directory to write the template, parameters and guide into");
    // An empty --out resolves to the working directory, which is refused as "already exists ... pass --force", and
    // --force then as the working directory: say what is wrong instead.
    if (v.out.trim() === "") throw new UsageError("--out is empty: give the directory to write the template, parameters and guide into (a new one)");
    const outDir = path.resolve(io.cwd, v.out);
    try {
      if (v.customers !== undefined) {
        const { tree, bundles } = renderBatch(v, io);
        writeTreeAtomically(outDir, tree, { overwrite: v.force === true, owned: ownedByTemplate, cwd: io.cwd });
        for (const [folder, b] of bundles) report(io, path.join(v.out, folder), b);
        io.stdout.write(`partnerlink template: ${bundles.length} customer${bundles.length === 1 ? "" : "s"} written to ${v.out}\n`);
      } else {
        const bundle = renderSingle(v);
        writeTreeAtomically(outDir, bundle.files, { overwrite: v.force === true, owned: ownedByTemplate, cwd: io.cwd });
        report(io, v.out, bundle);
      }
    } catch (err) {
      if (err instanceof OnboardingError) throw new UsageError(err.message);
      if (err instanceof UsageError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e && typeof e.code === "string") throw new UsageError(`cannot write ${v.out}: ${writeFailure(e, v.out, outDir, io.cwd)}`);
      if (err instanceof OutputDirRefused) throw new UsageError(err.message);
      throw err;
    }
    return 0;
  },
};

/**
 * Why the output could not be written, in words and with the fix, from the system error: `EEXIST: file already
 * exists, mkdir '/abs/afile'` is a file standing where a folder of the path must be. Paths are shown as --out was
 * given (relative to the working directory, or absolute); a temporary name (`.<name>.partial-XXXXXX`) as its folder.
 */
function writeFailure(e: NodeJS.ErrnoException, out: string, outDir: string, cwd: string): string {
  const shown = (p: string): string => (path.isAbsolute(out) ? p : path.relative(cwd, p) || ".");
  // The first part of the path that exists and is not a folder.
  for (let p = outDir; ; p = path.dirname(p)) {
    let st: Stats | undefined;
    try {
      st = statSync(p);
    } catch {
      st = undefined;
    }
    if (st && !st.isDirectory()) return `${shown(p)} is a file, not a folder; choose another --out, or move that file away`;
    if (st || p === path.dirname(p)) break;
  }
  const named = e.path === undefined ? path.dirname(outDir) : /\.partial-/.test(path.basename(e.path)) ? path.dirname(e.path) : e.path;
  const at = shown(named);
  switch (e.code) {
    case "EACCES":
    case "EPERM":
      return `permission denied on ${at}; choose a folder you can write to, or change its permissions`;
    case "EROFS":
      return `${at} is on a read-only file system; choose another --out`;
    case "ENOSPC":
    case "EDQUOT":
      return `no space left on the device of ${at}; free some space or choose another --out`;
    default:
      return `${at} does not take new folders (${e.code}); choose another --out`;
  }
}

/** A file `partnerlink template` writes: a bundle file at the top (one customer) or one folder down (a batch). */
function ownedByTemplate(rel: string): boolean {
  const parts = rel.split("/");
  return parts.length <= 2 && (Object.values(BUNDLE_FILES) as string[]).includes(parts[parts.length - 1]!);
}

function report(io: CommandIO, dir: string, b: OnboardingBundle): void {
  const ids = b.plan.delegations.map((d) => `definition ${d.definitionId} -> ${d.assignment.scope}`).join("; ");
  io.stdout.write(`${dir}: ${Object.keys(b.files).join(", ")} (${b.plan.variant}; ${ids})\n`);
  for (const n of b.plan.notices) io.stderr.write(`${dir}: note: ${n}\n`);
  for (const n of b.plan.notes) io.stderr.write(`${dir}: ${noteLine(n)}\n`);
}
