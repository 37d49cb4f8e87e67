/**
 * ajv validation of ARM JSON answers against arm/schemas/managedservices.schema.json: a malformed answer (a wrong
 * endpoint, a proxy page, a changed API) becomes one ArmError naming the operation and the JSON path, never a crash
 * deep in a caller.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import schema from "./schemas/managedservices.schema.json";
import { pointerToJsonPath } from "../rules/json-path";
import { ArmError, type ErrorContext } from "./errors";

export type ResponseShape = "registrationDefinition" | "registrationAssignment" | "subscription" | "page";

let ajv: Ajv | undefined;
const validators = new Map<ResponseShape, ValidateFunction>();

function validator(shape: ResponseShape): ValidateFunction {
  let v = validators.get(shape);
  if (!v) {
    ajv ??= (() => {
      const a = new Ajv({ allErrors: false, strict: false });
      a.addSchema(schema);
      return a;
    })();
    v = ajv.getSchema(`${schema.$id}#/definitions/${shape}`);
    if (!v) throw new Error(`schema definition ${shape} missing from arm/schemas/managedservices.schema.json`);
    validators.set(shape, v);
  }
  return v;
}

/** Throw an ArmError naming the JSON path when `body` is not a `shape`. */
export function assertShape(shape: ResponseShape, body: unknown, ctx: ErrorContext, where = "$"): void {
  const v = validator(shape);
  if (v(body)) return;
  const e = (v.errors ?? [])[0] as ErrorObject | undefined;
  const path = e ? pointerToJsonPath(e.instancePath, where) : where;
  const what = e?.message ?? "is invalid";
  throw new ArmError(
    `${ctx.operation}${ctx.target ? ` ${ctx.target}` : ""}: the ${shape} answer is malformed at ${path} (${what}): the endpoint did not answer like Microsoft.ManagedServices 2022-10-01; check endpoint/cloud and any proxy`,
    { kind: "unknown", operation: ctx.operation, target: ctx.target },
  );
}
