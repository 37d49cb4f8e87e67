/**
 * Which format a file is (content-based, or forced with `--format-in`), which files a folder holds, and
 * which parameters file goes with which ARM template.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type InputFormat = "arm" | "arm-parameters" | "tf-plan" | "tf-json" | "cdktf" | "cdktf-manifest" | "config";

export const INPUT_FORMATS: readonly InputFormat[] = ["arm", "arm-parameters", "tf-plan", "tf-json", "cdktf", "cdktf-manifest", "config"];

const CONFIG_KEYS = [
  "pecPrincipals",
  "palLinkedPrincipals",
  "partnerId",
  "allowedManagingTenants",
  "subscriptions",
  "servicePrincipals",
  "requireDporForEa",
  "waivers",
];

/** What a format is, as a message names it ("is an ARM deployment template"). */
export const FORMAT_NAMES: Readonly<Record<InputFormat, string>> = Object.freeze({
  arm: "an ARM deployment template",
  "arm-parameters": "an ARM parameters file",
  "tf-plan": "a Terraform plan (terraform show -json)",
  "tf-json": "Terraform JSON",
  cdktf: "CDKTF output (cdk.tf.json)",
  "cdktf-manifest": "a CDKTF manifest (cdktf.out/manifest.json)",
  config: "a partnerlink config",
});

/** The format of a parsed JSON document, or undefined when it is none partnerlink reads. */
export function detectFormat(doc: unknown, file: string): InputFormat | undefined {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const schema = typeof d.$schema === "string" ? d.$schema.toLowerCase() : "";
  if (schema.includes("deploymenttemplate.json")) return "arm";
  if (schema.includes("deploymentparameters.json")) return "arm-parameters";
  if ("format_version" in d && ("planned_values" in d || "resource_changes" in d)) return "tf-plan";
  if ("resource" in d) return path.basename(file) === "cdk.tf.json" || "//" in d ? "cdktf" : "tf-json";
  if ("stacks" in d && "version" in d) return "cdktf-manifest";
  if (CONFIG_KEYS.some((k) => k in d)) return "config";
  // Looks like an ARM template without a $schema: say so rather than ignore it.
  if ("resources" in d && "contentVersion" in d) return "arm";
  return undefined;
}

/**
 * Why a document partnerlink does not read is not an input, when it is one a user may mistake for one: the state
 * `terraform show -json` prints without a plan file (format_version and `values`, no planned_values), and a plan or
 * state file OpenTofu encrypted, which is JSON around the ciphertext (opentofu/opentofu
 * internal/encryption/base.go `basedata`: `meta`, `encrypted_data`, `encryption_version`).
 */
export function notAnInputReason(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  if ("format_version" in d && ("values" in d || "terraform_version" in d) && !("planned_values" in d) && !("resource_changes" in d))
    return "is Terraform state (`terraform show -json` without a plan file), which says what is deployed, not what a plan changes; run `terraform plan -out tfplan` and check `terraform show -json tfplan`, or run partnerlink audit for what is deployed";
  if ("encrypted_data" in d && "encryption_version" in d)
    return "is an OpenTofu encrypted plan or state file, which only OpenTofu can decrypt; check what `tofu show -json <planfile>` prints (with the encryption configured) instead";
  return undefined;
}

export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Folders a walk does not enter: dependencies, VCS data, tool caches and build output (dot-folders too). */
const SKIP_DIRS = new Set(["node_modules", ".git", ".terraform", ".pulumi", "dist"]);

export interface FolderWalk {
  /** Candidate input files, sorted. */
  files: string[];
  /** Folders not entered (SKIP_DIRS and dot-folders), so the report can say what was left out. */
  skipped: string[];
  /** Bicep and Terraform HCL sources seen (not read: partnerlink reads what they compile or plan to), sorted. */
  sources: string[];
}

/**
 * Infrastructure sources partnerlink does not read, and what to check instead: Bicep compiles to an ARM template
 * (`az bicep build`), Terraform HCL is checked through a plan (`terraform show -json`) or as Terraform JSON.
 */
export function sourceFileKind(file: string): { kind: string; instead: string } | undefined {
  if (/\.bicep$/i.test(file)) return { kind: "Bicep source", instead: "compile it with `az bicep build --file <file>` and check the ARM template it writes" };
  if (/\.bicepparam$/i.test(file))
    return { kind: "Bicep parameters", instead: "compile it with `az bicep build-params --file <file>` and check the parameters file it writes with its template" };
  if (/\.tf$/i.test(file))
    return { kind: "Terraform HCL", instead: "check a plan as JSON (`terraform plan -out tfplan && terraform show -json tfplan > plan.json`), or Terraform JSON (.tf.json)" };
  return undefined;
}

/**
 * Files under a folder that may be inputs: `*.json` (content decides), and partnerlink config YAML. Symbolic links
 * are followed, to files and to folders (a folder reached twice, through a link cycle or two links, is read once);
 * a broken link is skipped. Does not enter node_modules, .git, .terraform, .pulumi, dist or other dot-folders, and
 * lists them in `skipped` (name one as a path to check it). Sorted for stable output.
 */
export function walkFolder(dir: string): FolderWalk {
  const files: string[] = [];
  const skipped: string[] = [];
  const sources: string[] = [];
  const entered = new Set<string>();
  const visit = (d: string): void => {
    let real: string;
    let entries: fs.Dirent[];
    try {
      real = fs.realpathSync(d);
      if (entered.has(real)) return;
      entered.add(real);
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(d, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // a broken link
        }
      }
      if (isDir) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith(".")) skipped.push(p);
        else visit(p);
      } else if (isFile) {
        if (/\.json$/i.test(e.name) || (isYamlFile(e.name) && /^partnerlink/i.test(e.name))) files.push(p);
        else if (sourceFileKind(e.name)) sources.push(p);
      }
    }
  };
  visit(dir);
  return { files, skipped, sources };
}

/** Declared parameter names of a template: all, and those without a defaultValue. */
export interface TemplateParams {
  all: Set<string>;
  required: Set<string>;
}

export function templateParams(template: Record<string, unknown>): TemplateParams {
  const all = new Set<string>();
  const required = new Set<string>();
  const p = template.parameters;
  if (p && typeof p === "object" && !Array.isArray(p)) {
    for (const [k, v] of Object.entries(p)) {
      all.add(k.toLowerCase());
      if (!v || typeof v !== "object" || !("defaultValue" in v)) required.add(k.toLowerCase());
    }
  }
  return { all, required };
}

export function parameterNames(params: Record<string, unknown>): Set<string> {
  const p = params.parameters;
  return new Set(p && typeof p === "object" ? Object.keys(p).map((k) => k.toLowerCase()) : []);
}

/** `x.parameters.json`, `x.parameters.dev.json` -> `x`; `x.json` -> `x`. */
function stem(file: string): string {
  const b = path.basename(file).replace(/\.json$/i, "");
  const i = b.toLowerCase().indexOf(".parameters");
  return (i >= 0 ? b.slice(0, i) : b).toLowerCase();
}

/**
 * Pairs parameters files with templates in the same folder: same basename first (`x.json` +
 * `x.parameters.json`), then by parameter names (every name in the parameters file is declared by the template
 * and every required template parameter is given). Returns template -> parameters files, the parameters files
 * no template matches, and those several templates match equally well (with those templates).
 */
export function pairParameters(
  templates: { file: string; params: TemplateParams }[],
  parameterFiles: { file: string; names: Set<string> }[],
): { pairs: Map<string, string[]>; unpaired: string[]; ambiguous: { file: string; templates: string[] }[] } {
  const pairs = new Map<string, string[]>();
  const unpaired: string[] = [];
  const ambiguous: { file: string; templates: string[] }[] = [];
  const add = (t: string, p: string): void => {
    const list = pairs.get(t) ?? [];
    list.push(p);
    pairs.set(t, list);
  };
  // Indexed by folder (and stem) so a folder of thousands of pairs is paired in linear time.
  const byStem = new Map<string, { file: string; params: TemplateParams }>();
  const byDir = new Map<string, { file: string; params: TemplateParams }[]>();
  for (const t of templates) {
    const dir = path.dirname(t.file);
    byStem.set(`${dir}\u0000${stem(t.file)}`, t);
    const list = byDir.get(dir) ?? [];
    list.push(t);
    byDir.set(dir, list);
  }
  const rest: { file: string; names: Set<string> }[] = [];
  for (const pf of parameterFiles) {
    const t = byStem.get(`${path.dirname(pf.file)}\u0000${stem(pf.file)}`);
    if (t) add(t.file, pf.file);
    else rest.push(pf);
  }
  for (const pf of rest) {
    const dir = path.dirname(pf.file);
    const fits = (byDir.get(dir) ?? []).filter(
      (t) =>
        [...pf.names].every((n) => t.params.all.has(n)) &&
        [...t.params.required].every((n) => pf.names.has(n)),
    );
    if (fits.length === 0) {
      unpaired.push(pf.file);
      continue;
    }
    // Prefer a template that has no parameters file yet, then the longest shared name prefix.
    const score = (t: { file: string }): number => (pairs.has(t.file) ? 0 : 1000) + commonPrefix(stem(t.file), stem(pf.file));
    fits.sort((a, b) => score(b) - score(a));
    if (fits.length > 1 && score(fits[0]!) === score(fits[1]!)) {
      const best = score(fits[0]!);
      ambiguous.push({ file: pf.file, templates: fits.filter((t) => score(t) === best).map((t) => t.file) });
      continue;
    }
    add(fits[0]!.file, pf.file);
  }
  return { pairs, unpaired, ambiguous };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
