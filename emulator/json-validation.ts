/** ajv validation shared by the emulator's JSON inputs (seed, fault rules, state file, request bodies). */
import type { ErrorObject } from "ajv";
import { pointerToJsonPath } from "../rules/json-path";
import { schemaValidator, type SchemaValidatorSpec } from "../rules/schema-validator";

/** An emulator schema, compiled once per process by rules/schema-validator.ts like every other partnerlink schema. */
export function emulatorSchema(id: string, schema: object): SchemaValidatorSpec {
  return { id: `emulator-${id}`, schema, allErrors: true, formats: false };
}

const GUID_PATTERN_HINT = /\[0-9a-fA-F\]\{8\}/;

/** One readable line for an ajv error in `doc`: the JSON path, what is wrong, and the fix when it is obvious. */
export function describeError(e: ErrorObject, doc: unknown): string {
  const at = pointerToJsonPath(e.instancePath, "$", doc);
  switch (e.keyword) {
    case "required":
      return `${at}: missing required property '${(e.params as { missingProperty: string }).missingProperty}'`;
    case "additionalProperties":
      return `${at}: unknown property '${(e.params as { additionalProperty: string }).additionalProperty}' (remove it or fix its spelling)`;
    case "enum":
      return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
    case "pattern":
      return GUID_PATTERN_HINT.test((e.params as { pattern: string }).pattern)
        ? `${at}: must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`
        : `${at}: ${e.message ?? "does not match its pattern"}`;
    default:
      return `${at}: ${e.message ?? "is invalid"}`;
  }
}

/** Validates `value`; returns the first error as one line, or undefined when valid. */
export function firstSchemaError(spec: SchemaValidatorSpec, value: unknown): string | undefined {
  const v = schemaValidator(spec);
  return v(value) ? undefined : describeError(v.errors![0]!, value);
}
