import { createHash } from "node:crypto";
import * as path from "node:path";
import type { ErrorObject, ValidateFunction } from "ajv";
import { valueAtPointer } from "./json-path";

/**
 * ajv validators for the schemas applied on every run (`check`: its config and each input format; `template`: the
 * customer specs and the ARM files it writes; the Pulumi resources' inputs and the onboarding stack's config),
 * compiled at build time rather than at every start.
 *
 * Loading ajv's compiler and compiling these schemas cost ~110 ms per CLI process (a check of one small file took
 * 0.15 s, of which 0.02 s is Node's start). `npm run build` therefore also runs scripts/gen-validators.ts, which
 * writes each validator as ajv "standalone" code (https://ajv.js.org/standalone.html) to dist/generated/<id>.js,
 * stamped with a key: a hash of the schema, the ajv options and ajv's version. At run time the stamp is compared
 * with the key of the schema actually imported; when the module is missing (tests run the TypeScript sources) or
 * stale (a schema edited without a rebuild, another ajv installed), the validator is compiled here as before.
 * Either way it is the same ajv, options and schema, so the errors are the same (test/rules/schema-validator.test.ts).
 */

export interface SchemaValidatorSpec {
  /** File name of the generated module: `[a-z0-9-]+`. */
  readonly id: string;
  readonly schema: object;
  /** Every error (configuration: all problems at once) or only the first (inputs). */
  readonly allErrors: boolean;
  /** Adds ajv-formats (`date`, ...). */
  readonly formats: boolean;
  /** Other schemas `schema` refers to by `$id` (`$ref: "other.schema.json#/definitions/x"`). */
  readonly refs?: readonly object[];
  /** ajv's `discriminator` keyword (OpenAPI `oneOf` by a tag property): errors of the tagged branch only. */
  readonly discriminator?: boolean;
}

/** Where the build writes the generated validators, next to this module's compiled folder (dist/rules). */
export const GENERATED_DIR = path.resolve(__dirname, "..", "generated");

/** What a generated module exports besides the function. */
interface GeneratedModule extends ValidateFunction {
  partnerlinkKey?: unknown;
}

/** The ajv the validators are compiled with, the same at build and at run time. */
export function ajvFor(spec: SchemaValidatorSpec, forStandaloneCode: boolean): import("ajv").default {
  // Loaded on demand: a build-time validator needs only ajv's small runtime helpers, not its compiler (~30 ms).
  const Ajv = (require("ajv") as typeof import("ajv")).default;
  const ajv = new Ajv({
    allErrors: spec.allErrors,
    strict: false,
    discriminator: spec.discriminator === true,
    ...(forStandaloneCode ? { code: { source: true } } : {}),
  });
  if (spec.formats) (require("ajv-formats") as typeof import("ajv-formats")).default(ajv);
  for (const r of spec.refs ?? []) ajv.addSchema(r);
  return ajv;
}

/** ajv's version ("unknown" should its package one day stop exposing package.json). */
function ajvVersionOf(): string {
  try {
    return (require("ajv/package.json") as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Read on the first key asked for: importing this module (rules/config does) costs nothing. */
let ajvVersion: string | undefined;

/** The stamp a generated module must carry to be used for `spec`. */
export function validatorKey(spec: SchemaValidatorSpec): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        schema: spec.schema,
        refs: spec.refs ?? [],
        allErrors: spec.allErrors,
        formats: spec.formats,
        discriminator: spec.discriminator === true,
        ajvVersion: (ajvVersion ??= ajvVersionOf()),
      }),
    )
    .digest("hex");
}

export interface LoadedValidator {
  validate: ValidateFunction;
  /** "build": the generated module; "run": compiled in this process. */
  compiled: "build" | "run";
}

/** The generated validator for `spec` when `dir` has a current one, else one compiled now. */
export function loadSchemaValidator(spec: SchemaValidatorSpec, dir: string = GENERATED_DIR): LoadedValidator {
  let generated: GeneratedModule | undefined;
  try {
    generated = require(path.join(dir, `${spec.id}.js`)) as GeneratedModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
  }
  if (typeof generated === "function" && generated.partnerlinkKey === validatorKey(spec)) return { validate: generated, compiled: "build" };
  return { validate: ajvFor(spec, false).compile(spec.schema), compiled: "run" };
}

const cache = new Map<string, ValidateFunction>();

/** {@link loadSchemaValidator}, once per process and spec; `T` is the type the schema describes. */
export function schemaValidator<T = unknown>(spec: SchemaValidatorSpec): ValidateFunction<T> {
  let v = cache.get(spec.id);
  if (!v) {
    v = loadSchemaValidator(spec).validate;
    cache.set(spec.id, v);
  }
  return v as ValidateFunction<T>;
}

/**
 * An ajv type error where a string is due and the input holds a number or true/false: what YAML (and JSON written
 * without quotes) makes of `partnerId: 1234567`. The problem and its fix (quote it), without a final stop, for the
 * config and stack config messages alike; undefined for any other error.
 */
export function unquotedScalarProblem(e: ErrorObject, doc: unknown): string | undefined {
  if (e.keyword !== "type" || (e.params as { type?: unknown }).type !== "string") return undefined;
  const v = valueAtPointer(doc, e.instancePath);
  if (typeof v !== "number" && typeof v !== "boolean") return undefined;
  return `must be a string, not the ${typeof v} ${String(v)}. Quote it: "${String(v)}" (YAML and JSON read an unquoted ${String(v)} as a ${typeof v})`;
}
