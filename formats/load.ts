/**
 * Reads every input path (files and folders) into one Estate: detects each file's format, validates it
 * against its schema, pairs ARM templates with parameters files, runs the adapter. A bad file becomes one
 * {@link InputError}; the other files are still read.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Waiver } from "../rules/config-types";
import { ConfigError, parseConfigText, validateConfig } from "../rules/config";
import { mergeEstates, type Estate } from "../rules/model";
import { adaptArmTemplate, type ArmParametersInput } from "./arm-template";
import { adaptConfigSubscriptions } from "./config-input";
import {
  detectFormat,
  isYamlFile,
  notAnInputReason,
  pairParameters,
  parameterNames,
  sourceFileKind,
  templateParams,
  walkFolder,
  type InputFormat,
} from "./detect";
import type { FileEstate } from "./file-estate";
import { InputError } from "./input-error";
import { looksLikeTerraformPlan } from "./plan-sections";
import { SLICE_BYTES, adaptPlanInSlices } from "./plan-slices";
import { parseDocumentBytes } from "./read-document";
import { DEFAULT_MAX_FILE_BYTES, readFileBytes, readTextFile } from "./read-json";
import { adaptTerraformJson, adaptTerraformPlan } from "./terraform";
import { validateInput } from "./validate";

export interface LoadOptions {
  /** Force the format of every explicitly named file. */
  formatIn?: InputFormat;
  /** Parameters files for the templates named (`--parameters`). */
  parameters?: string[];
  maxFileBytes?: number;
  /** Target subscription of ARM deployments, when known (`check --subscription`). */
  subscriptionId?: string;
  /** Target resource group of resource group-level ARM deployments, when known (`check --resource-group`). */
  resourceGroup?: string;
  /** The config in effect (absolute path), so that reading it as an input too needs no notice (formats/config-input.ts). */
  configFile?: string;
}

export interface LoadedInputs {
  estate: Estate;
  inlineWaivers: Waiver[];
  notices: string[];
  errors: InputError[];
  /** Every file that was read (templates, parameters files, plans, configs). */
  files: string[];
}

interface Parsed {
  file: string;
  format: InputFormat;
  doc: Record<string, unknown>;
  explicit: boolean;
  /** A plan validated and adapted as it was read (formats/plan-slices.ts): its estate. */
  adapted?: FileEstate;
}

/** What partnerlink reads, as messages about a path that is none of them list it. */
const READ_FORMATS = "ARM template or parameters file, Terraform plan JSON, Terraform JSON, CDKTF output, partnerlink config";

/** Why a folder gave no input, and what to check instead of the sources it holds. */
function emptyFolderReason(folder: string, sources: readonly string[]): string {
  const base = `holds no input partnerlink reads (${READ_FORMATS})`;
  if (sources.length === 0) return `${base}; check the path`;
  const byKind = new Map<string, { instead: string; files: string[] }>();
  for (const f of sources) {
    const k = sourceFileKind(f)!;
    const entry = byKind.get(k.kind) ?? { instead: k.instead, files: [] };
    entry.files.push(path.relative(folder, f));
    byKind.set(k.kind, entry);
  }
  const parts = [...byKind].map(([kind, { instead, files: list }]) => {
    const shown = list.slice(0, 3).join(", ") + (list.length > 3 ? `, and ${list.length - 3} more` : "");
    return `${kind} (${shown}): ${instead}`;
  });
  return `${base}. It holds ${parts.join("; ")}`;
}

export function loadInputs(paths: string[], options: LoadOptions = {}): LoadedInputs {
  const max = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const errors: InputError[] = [];
  const notices: string[] = [];
  const results: FileEstate[] = [];
  const files: string[] = [];
  const parsed: Parsed[] = [];
  const explicitPairs: { template: string; params: string }[] = [];
  const isConfigInEffect = (file: string): boolean => options.configFile !== undefined && path.resolve(file) === path.resolve(options.configFile);
  const seen = new Set<string>();

  const readOne = (file: string, explicit: boolean, forced?: InputFormat): void => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    try {
      if (isYamlFile(file) || forced === "config") {
        // partnerlink config in YAML or JSON: rules/config validates it.
        const text = readTextFile(file, max);
        files.push(file);
        let cfg;
        try {
          cfg = parseConfigText(text, file);
        } catch (e) {
          if (e instanceof ConfigError) throw new InputError(file, e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message);
          throw e;
        }
        results.push(adaptConfigSubscriptions(cfg, file, isConfigInEffect(file)));
        return;
      }
      const bytes = readFileBytes(file, max);
      // A large plan: read, validated and adapted a slice at a time (formats/plan-slices.ts), else as any input.
      if ((forced === undefined || forced === "tf-plan") && bytes.length > 2 * SLICE_BYTES && looksLikeTerraformPlan(bytes)) {
        const sliced = adaptPlanInSlices(file, bytes);
        if (sliced && (forced === "tf-plan" || detectFormat(sliced.doc, file) === "tf-plan")) {
          files.push(file);
          parsed.push({ file, format: "tf-plan", doc: sliced.doc, explicit, adapted: sliced.adapted });
          return;
        }
      }
      const doc = parseDocumentBytes(file, bytes, forced);
      const format = forced ?? detectFormat(doc, file);
      if (format === undefined) {
        const reason = explicit ? notAnInputReason(doc) : undefined;
        if (reason !== undefined) throw new InputError(file, reason);
        if (explicit)
          throw new InputError(
            file,
            `is not an input partnerlink reads (${READ_FORMATS}); pass --format-in to force one`,
          );
        return; // package.json and friends in a walked folder
      }
      if (format === "config" && !explicit && !/^partnerlink/i.test(path.basename(file))) return;
      if (doc === null || typeof doc !== "object" || Array.isArray(doc))
        throw new InputError(file, "must contain a JSON object at the top level", "$");
      files.push(file);
      parsed.push({ file, format, doc: doc as Record<string, unknown>, explicit });
    } catch (e) {
      errors.push(toInputError(e, file));
    }
  };

  for (const p of paths) {
    const eq = splitPair(p);
    if (eq) {
      explicitPairs.push({ template: path.resolve(eq.template), params: path.resolve(eq.params) });
      readOne(eq.template, true, options.formatIn ?? "arm");
      readOne(eq.params, true, "arm-parameters");
      continue;
    }
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      errors.push(new InputError(p, `does not exist or cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"}); check the path`));
      continue;
    }
    if (st.isDirectory()) {
      const walk = walkFolder(p);
      const before = files.length + errors.length;
      for (const f of walk.files) readOne(f, false);
      // A folder that gives nothing to check is a mistake to say, not a pass (a mistyped path in CI, sources only).
      if (files.length + errors.length === before) errors.push(new InputError(p, emptyFolderReason(p, walk.sources)));
      if (walk.skipped.length > 0)
        notices.push(
          `${p}: not searched: ${walk.skipped.map((d) => path.relative(p, d)).join(", ")} (dependencies, tool caches, build output and dot-folders). Fix: name a folder as a path to check it.`,
        );
    } else {
      const source = options.formatIn === undefined ? sourceFileKind(p) : undefined;
      if (source) errors.push(new InputError(p, `is ${source.kind}, which partnerlink does not read: ${source.instead.replace("<file>", p)}`));
      else readOne(p, true, options.formatIn);
    }
  }
  for (const p of options.parameters ?? []) readOne(p, true, "arm-parameters");
  // A template named on its own takes its sibling `<name>.parameters.json` when there is one.
  if ((options.parameters ?? []).length === 0) {
    for (const t of parsed.filter((p) => p.format === "arm" && p.explicit)) {
      if (explicitPairs.some((e) => e.template === path.resolve(t.file))) continue;
      const sibling = t.file.replace(/\.json$/i, ".parameters.json");
      if (sibling !== t.file && fs.existsSync(sibling)) readOne(sibling, false, "arm-parameters");
    }
  }

  // Validate each document against its schema before adaptation.
  const valid: Parsed[] = [];
  for (const p of parsed) {
    try {
      if (p.adapted) {
        valid.push(p); // validated as it was read
        continue;
      }
      if (p.format === "config") validateConfigDoc(p.doc, p.file);
      else validateInput(schemaOf(p.format), p.doc, p.file);
      valid.push(p);
    } catch (e) {
      errors.push(toInputError(e, p.file));
    }
  }

  // CDKTF manifests name their stacks' cdk.tf.json files; read those once (not again from the folder walk).
  for (const m of valid.filter((p) => p.format === "cdktf-manifest")) {
    const dir = path.dirname(m.file);
    for (const [name, stack] of Object.entries(m.doc.stacks as Record<string, { synthesizedStackPath: string }>)) {
      // cdktf writes this path with path.join, so a cdktf.out synthesized on Windows says `"stacks\\dev\\cdk.tf.json"` in its JSON:
      // read either separator, so the folder checks the same on a Linux agent.
      const stackFile = path.resolve(dir, ...stack.synthesizedStackPath.split(/[\\/]/));
      const already = valid.find((p) => path.resolve(p.file) === stackFile);
      if (already) continue;
      if (!fs.existsSync(stackFile)) {
        errors.push(new InputError(m.file, `stack '${name}' points at ${stack.synthesizedStackPath}, which does not exist; run cdktf synth again`, `$.stacks[${JSON.stringify(name)}].synthesizedStackPath`));
        continue;
      }
      const before = parsed.length;
      readOne(stackFile, true, "cdktf");
      for (const p of parsed.slice(before)) {
        try {
          validateInput("terraform-json", p.doc, p.file);
          valid.push(p);
        } catch (e) {
          errors.push(toInputError(e, p.file));
        }
      }
    }
  }

  // Pair ARM templates with parameters files.
  const templates = valid.filter((p) => p.format === "arm");
  const paramFiles = valid.filter((p) => p.format === "arm-parameters");
  const byFile = new Map(valid.map((p) => [path.resolve(p.file), p]));
  const pairs = new Map<string, string[]>();
  const explicitParams = new Set(explicitPairs.map((e) => e.params));
  for (const e of explicitPairs) {
    if (!byFile.has(e.template) || !byFile.has(e.params)) continue;
    pairs.set(e.template, [...(pairs.get(e.template) ?? []), e.params]);
  }
  const flagParams = new Set((options.parameters ?? []).map((p) => path.resolve(p)));
  if (flagParams.size > 0) {
    const plainTemplates = templates.filter((t) => !pairs.has(path.resolve(t.file)));
    for (const pf of flagParams) {
      if (!byFile.has(pf)) continue;
      explicitParams.add(pf);
      let target = plainTemplates.length === 1 ? plainTemplates[0] : undefined;
      if (!target) {
        const names = parameterNames(byFile.get(pf)!.doc);
        const fits = plainTemplates.filter((t) => {
          const tp = templateParams(t.doc);
          return [...names].every((n) => tp.all.has(n)) && [...tp.required].every((n) => names.has(n));
        });
        target = fits.length === 1 ? fits[0] : undefined;
      }
      if (!target) {
        errors.push(new InputError(pf, "--parameters: cannot tell which template it belongs to; name the pair as <template.json>=<parameters.json>"));
        continue;
      }
      const t = path.resolve(target.file);
      pairs.set(t, [...(pairs.get(t) ?? []), pf]);
    }
  }
  const autoParams = paramFiles.filter((p) => !explicitParams.has(path.resolve(p.file)));
  const autoTemplates = templates.filter((t) => !pairs.has(path.resolve(t.file)));
  const auto = pairParameters(
    autoTemplates.map((t) => ({ file: path.resolve(t.file), params: templateParams(t.doc) })),
    autoParams.map((p) => ({ file: path.resolve(p.file), names: parameterNames(p.doc) })),
  );
  for (const [t, list] of auto.pairs) pairs.set(t, list);
  for (const u of auto.unpaired) {
    const p = byFile.get(u)!;
    const msg = "no template in its folder matches this parameters file (same basename or the same parameter names); name the pair as <template.json>=<parameters.json>";
    if (p.explicit) errors.push(new InputError(p.file, msg));
    else notices.push(`${p.file}: ${msg}`);
  }
  // Several templates fit equally: checking any one of them (or none) with these values would be a guess.
  for (const a of auto.ambiguous) {
    const shown = byFile.get(a.file)!.file;
    const names = a.templates.map((t) => byFile.get(t)!.file);
    errors.push(
      new InputError(shown, `matches ${names.length} templates equally well (${names.join(", ")}: the same parameter names), so it is not checked; name the pair as <template.json>=<parameters.json>, e.g. ${names[0]}=${shown}`),
    );
  }

  // Adapt.
  for (const p of valid) {
    try {
      switch (p.format) {
        case "arm": {
          const list = pairs.get(path.resolve(p.file));
          if (!list || list.length === 0) results.push(adaptArmTemplate(p.doc, { file: p.file, subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup }));
          else
            for (const pf of list) {
              const params = byFile.get(pf)!;
              const input: ArmParametersInput = { file: params.file, document: params.doc as ArmParametersInput["document"] };
              results.push(adaptArmTemplate(p.doc, { file: p.file, parameters: input, subscriptionId: options.subscriptionId, resourceGroup: options.resourceGroup }));
            }
          break;
        }
        case "tf-plan":
          results.push(p.adapted ?? adaptTerraformPlan(p.doc, p.file));
          break;
        case "tf-json":
        case "cdktf":
          results.push(adaptTerraformJson(p.doc, p.file));
          break;
        case "config":
          results.push(adaptConfigSubscriptions(validateConfigDoc(p.doc, p.file), p.file, isConfigInEffect(p.file)));
          break;
        default:
          break; // parameters files and manifests are read through their templates / stacks
      }
    } catch (e) {
      errors.push(toInputError(e, p.file));
    }
  }

  return {
    estate: mergeEstates(results.map((r) => r.estate)),
    inlineWaivers: results.flatMap((r) => r.inlineWaivers),
    notices: [...notices, ...results.flatMap((r) => r.notices)],
    errors,
    files,
  };
}

function validateConfigDoc(doc: unknown, file: string) {
  try {
    return validateConfig(doc, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(file, e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message);
    throw e;
  }
}

function schemaOf(f: Exclude<InputFormat, "config">) {
  switch (f) {
    case "arm":
      return "arm-template" as const;
    case "arm-parameters":
      return "arm-parameters" as const;
    case "tf-plan":
      return "terraform-plan" as const;
    case "tf-json":
    case "cdktf":
      return "terraform-json" as const;
    case "cdktf-manifest":
      return "cdktf-manifest" as const;
  }
}

/** `template.json=params.json` (a path containing '=' that names an existing file is taken as a path). */
function splitPair(p: string): { template: string; params: string } | undefined {
  const i = p.indexOf("=");
  if (i <= 0 || i === p.length - 1) return undefined;
  if (fs.existsSync(p)) return undefined;
  return { template: p.slice(0, i), params: p.slice(i + 1) };
}

function toInputError(e: unknown, file: string): InputError {
  if (e instanceof InputError) return e;
  if (e instanceof RangeError) return new InputError(file, "is nested too deeply to read; flatten the document");
  return new InputError(file, `could not be read: ${(e as Error).message ?? String(e)}`);
}

