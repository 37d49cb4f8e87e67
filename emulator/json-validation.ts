/** ajv validation shared by the emulator's JSON inputs (seed, fault rules, state file, request bodies). */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { pointerToJsonPath } from "../rules/json-path";

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new Map<object, ValidateFunction>();

const GUID_PATTERN_HINT = /\[0-9a-fA-F\]\{8\}/;

/** One readable line for an ajv error: the JSON path, what is wrong, and the fix when it is obvious. */
export function describeError(e: ErrorObject): string {
  const at = pointerToJsonPath(e.instancePath);
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
export function firstSchemaError(schema: object, value: unknown): string | undefined {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v(value) ? undefined : describeError(v.errors![0]!);
}
