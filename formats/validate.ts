/**
 * ajv validation of every input format against its schema in formats/schemas/, before adaptation.
 * Errors name the file and the JSON path (first problem; one line).
 */
import type { ErrorObject } from "ajv";
import { toJsonPath } from "../rules/config";
import { valueAtPointer } from "../rules/json-path";
import { schemaValidator, type SchemaValidatorSpec } from "../rules/schema-validator";
import armParameters from "./schemas/arm-parameters.schema.json";
import armTemplate from "./schemas/arm-template.schema.json";
import cdktfManifest from "./schemas/cdktf-manifest.schema.json";
import terraformJson from "./schemas/terraform-json.schema.json";
import terraformPlan from "./schemas/terraform-plan.schema.json";
import { InputError } from "./input-error";

export type SchemaName = "arm-template" | "arm-parameters" | "terraform-plan" | "terraform-json" | "cdktf-manifest";

const SCHEMAS: Record<SchemaName, object> = {
  "arm-template": armTemplate,
  "arm-parameters": armParameters,
  "terraform-plan": terraformPlan,
  "terraform-json": terraformJson,
  "cdktf-manifest": cdktfManifest,
};

const LABEL: Record<SchemaName, string> = {
  "arm-template": "an ARM deployment template",
  "arm-parameters": "an ARM parameters file",
  "terraform-plan": "a Terraform plan (terraform show -json)",
  "terraform-json": "a Terraform JSON configuration",
  "cdktf-manifest": "a CDKTF manifest",
};

/** One validator per input schema, first error only; compiled at build time (rules/schema-validator.ts). */
export const INPUT_SCHEMA_VALIDATORS: Record<SchemaName, SchemaValidatorSpec> = Object.fromEntries(
  (Object.keys(SCHEMAS) as SchemaName[]).map((name) => [name, { id: `input-${name}`, schema: SCHEMAS[name], allErrors: false, formats: false }]),
) as Record<SchemaName, SchemaValidatorSpec>;

/**
 * One resource_changes entry of a plan, the schema's `resource_changes.items`: formats/plan-slices.ts checks the
 * entries a slice at a time. Only the verdict is used; a plan with an entry that fails is validated whole, for the
 * message (validateInput).
 */
export const PLAN_CHANGE_VALIDATOR: SchemaValidatorSpec = {
  id: "input-terraform-plan-change",
  schema: terraformPlan.properties.resource_changes.items,
  allErrors: false,
  formats: false,
};

/** Whether one resource_changes entry matches the plan schema's `resource_changes.items`. */
export function isValidPlanChange(change: unknown): boolean {
  return schemaValidator(PLAN_CHANGE_VALIDATOR)(change) === true;
}

/** Throws {@link InputError} when `doc` does not match the schema of `name`. */
export function validateInput(name: SchemaName, doc: unknown, file: string): void {
  const v = schemaValidator(INPUT_SCHEMA_VALIDATORS[name]);
  if (v(doc)) return;
  const e = pickError(v.errors ?? []);
  const path = e ? toJsonPath(e.instancePath, e.keyword === "required" ? String((e.params as { missingProperty: string }).missingProperty) : undefined, doc) : "$";
  throw new InputError(file, `is not ${LABEL[name]}: ${describe(e, doc)}`, path);
}

function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  // oneOf/anyOf/if summaries say less than the branch errors before them. Of those, the deepest names the problem:
  // a languageVersion 2.0 `resources` object whose resource lacks a name fails the array branch at `$.resources`
  // and the object branch at the resource; the first error found is the same depth or shallower.
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (e.keyword === "oneOf" || e.keyword === "anyOf" || e.keyword === "if") continue;
    if (best === undefined || e.instancePath.length > best.instancePath.length) best = e;
  }
  return best ?? errors[0];
}

function describe(e: ErrorObject | undefined, doc: unknown): string {
  if (!e) return "it does not match the expected structure";
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `'${String(p.missingProperty)}' is required; add it`;
    case "type":
      return `must be ${String(p.type)}; change the value's type`;
    case "enum":
      return `must be one of ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}`;
    case "pattern":
      return `${JSON.stringify(valueAtPointer(doc, e.instancePath))?.slice(0, 80)} does not match ${String(p.pattern)}`;
    case "minLength":
      return "must not be empty";
    default:
      return `${e.message ?? "is invalid"}`;
  }
}
