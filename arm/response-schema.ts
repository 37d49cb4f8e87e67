/**
 * ajv validation of ARM JSON answers against arm/schemas/managedservices.schema.json: a malformed answer (a wrong
 * endpoint, a proxy page, a changed API) becomes one ArmError naming the operation and the JSON path, never a crash
 * deep in a caller.
 */
import type { ErrorObject } from "ajv";
import schema from "./schemas/managedservices.schema.json";
import { pointerToJsonPath } from "../rules/json-path";
import { schemaValidator, type SchemaValidatorSpec } from "../rules/schema-validator";
import { ArmError, type ErrorContext } from "./errors";

export type ResponseShape = "registrationDefinition" | "registrationAssignment" | "subscription" | "page";

/** One definition of the schema, compiled once per process by rules/schema-validator.ts; the first error only. */
function shapeSchema(shape: ResponseShape): SchemaValidatorSpec {
  return { id: `arm-answer-${shape}`, schema: { $ref: `${schema.$id}#/definitions/${shape}` }, refs: [schema], allErrors: false, formats: false };
}

const SHAPES: Record<ResponseShape, SchemaValidatorSpec> = {
  registrationDefinition: shapeSchema("registrationDefinition"),
  registrationAssignment: shapeSchema("registrationAssignment"),
  subscription: shapeSchema("subscription"),
  page: shapeSchema("page"),
};

/** Throw an ArmError naming the JSON path when `body` is not a `shape`. */
export function assertShape(shape: ResponseShape, body: unknown, ctx: ErrorContext, where = "$"): void {
  const v = schemaValidator(SHAPES[shape]);
  if (v(body)) return;
  const e = (v.errors ?? [])[0] as ErrorObject | undefined;
  const path = e ? pointerToJsonPath(e.instancePath, where, body) : where;
  const what = e?.message ?? "is invalid";
  throw new ArmError(
    `${ctx.operation}${ctx.target ? ` ${ctx.target}` : ""}: the ${shape} answer is malformed at ${path} (${what}): the endpoint did not answer like Microsoft.ManagedServices 2022-10-01; check endpoint/cloud and any proxy`,
    { kind: "unknown", operation: ctx.operation, target: ctx.target },
  );
}
