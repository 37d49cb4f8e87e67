/**
 * Validates resource inputs against the JSON schemas in provider/schemas/ (ajv) inside check(), turning each error
 * into a Pulumi CheckFailure whose property is the JSON path of the offending input.
 *
 * Values unknown during preview reach check() as the engine's unknown sentinel (a fixed GUID string, see
 * @pulumi/pulumi runtime/rpc.ts `unknownValue`); an error on or under an unknown value is not reported: it is
 * checked again when the value is known.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import connectionSchema from "./schemas/connection.schema.json";

/** @pulumi/pulumi runtime/rpc.ts: `export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";` */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

export interface InputFailure {
  property: string;
  reason: string;
}

const compiled = new Map<object, ValidateFunction>();
let ajvInstance: Ajv | undefined;

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    if (!ajvInstance) {
      ajvInstance = new Ajv({ allErrors: true, strict: false, discriminator: true });
      addFormats(ajvInstance);
      ajvInstance.addSchema(connectionSchema);
    }
    v = ajvInstance.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** JSON pointer (`/connection/credential/kind`) -> property path (`connection.credential.kind`, `authorizations[0].principalId`). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return "";
  let out = "";
  for (const raw of pointer.split("/").slice(1)) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(seg) ? `[${seg}]` : out ? `.${seg}` : seg;
  }
  return out;
}

/** Pointers of every unknown value in `value`. */
function unknownPointers(value: unknown, pointer = "", acc: string[] = []): string[] {
  if (isUnknown(value)) acc.push(pointer);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPointers(v, `${pointer}/${i}`, acc));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) unknownPointers(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, acc);
  }
  return acc;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case "required":
      return `is required (missing "${(e.params as { missingProperty: string }).missingProperty}")`;
    case "additionalProperties":
      return `has an unknown property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
    case "enum":
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return e.message ?? "is invalid";
  }
}

/**
 * Schema errors of `inputs` as check failures, ignoring errors at unknown values and the `__provider` key.
 * A `oneOf` over credential kinds reports its branch errors; the message never contains an input value.
 */
export function validateInputs(schema: object, inputs: Record<string, unknown>, resourceLabel: string): InputFailure[] {
  const { __provider: _ignored, ...rest } = inputs;
  void _ignored;
  const validate = validatorFor(schema);
  if (validate(rest)) return [];
  const unknowns = unknownPointers(rest);
  const seen = new Set<string>();
  const out: InputFailure[] = [];
  for (const e of validate.errors ?? []) {
    if (unknowns.some((u) => e.instancePath === u || e.instancePath.startsWith(`${u}/`))) continue;
    if (e.keyword === "oneOf" || e.keyword === "if" || e.keyword === "anyOf") continue;
    const base = pointerToPath(e.instancePath);
    const property =
      e.keyword === "required" ? joinPath(base, (e.params as { missingProperty: string }).missingProperty)
      : e.keyword === "additionalProperties" ? joinPath(base, (e.params as { additionalProperty: string }).additionalProperty)
      : base;
    const reason = `${resourceLabel}: ${property || "inputs"} ${describe(e)}`;
    if (seen.has(reason)) continue;
    seen.add(reason);
    out.push({ property: property || "inputs", reason });
  }
  return out;
}

function joinPath(base: string, key: string): string {
  return base ? `${base}.${key}` : key;
}
