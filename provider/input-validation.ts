/**
 * Validates resource inputs against the JSON schemas in provider/schemas/ (ajv) inside check(), turning each error
 * into a Pulumi CheckFailure whose property is the JSON path of the offending input.
 *
 * Values unknown during preview reach check() as the engine's unknown sentinel (a fixed GUID string, see
 * @pulumi/pulumi runtime/rpc.ts `unknownValue`); an error on or under an unknown value is not reported: it is
 * checked again when the value is known.
 */
import type { ErrorObject } from "ajv";
import { pointerSegment, pointerToPropertyPath } from "../rules/json-path";
import { schemaValidator, type SchemaValidatorSpec } from "../rules/schema-validator";
import connectionSchema from "./schemas/connection.schema.json";
import lighthouseOnboardingSchema from "./schemas/lighthouse-onboarding.schema.json";
import partnerAdminLinkSchema from "./schemas/partner-admin-link.schema.json";

/** @pulumi/pulumi runtime/rpc.ts: `export const unknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";` */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

export interface InputFailure {
  property: string;
  reason: string;
}

/**
 * Failures as check() hands them to the Pulumi engine. The engine prints a failure with a property as
 * "property <p> value {<inputs[p]>} has a problem", looking `p` up among the top-level inputs only
 * (pkg/resource/deploy/step_generator.go issueCheckFailures): a nested path (`authorizations[2].roleDefinitionId`)
 * printed "value {<nil>}" beside a value that is set. Those go without a property ("resource '<name>' has a
 * problem: <reason>"); their reason names the path, which is added where it does not.
 */
export function engineFailures(failures: readonly InputFailure[]): InputFailure[] {
  return failures.map((f) => (/[.[]/.test(f.property) ? { property: "", reason: f.reason.includes(f.property) ? f.reason : `${f.property}: ${f.reason}` } : f));
}

function inputSpec(id: string, schema: object): SchemaValidatorSpec {
  // discriminator: a credential's `kind` picks its oneOf branch, so only that branch's errors are reported.
  return { id, schema, allErrors: true, formats: true, discriminator: true, refs: [connectionSchema] };
}

/**
 * The input schema of each resource (provider/schemas/), compiled at build time like the CLI's
 * (rules/schema-validator.ts): a provider process starts without loading ajv's compiler.
 */
export const PROVIDER_INPUT_VALIDATORS = {
  partnerAdminLink: inputSpec("provider-partner-admin-link", partnerAdminLinkSchema),
  lighthouseOnboarding: inputSpec("provider-lighthouse-onboarding", lighthouseOnboardingSchema),
} satisfies Record<string, SchemaValidatorSpec>;

/** Pointers of every unknown value in `value`. */
function unknownPointers(value: unknown, pointer = "", acc: string[] = []): string[] {
  if (isUnknown(value)) acc.push(pointer);
  else if (Array.isArray(value)) value.forEach((v, i) => unknownPointers(v, `${pointer}/${i}`, acc));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) unknownPointers(v, `${pointer}/${pointerSegment(k)}`, acc);
  }
  return acc;
}

/** The credential kinds connection.schema.json accepts (the `const` of each `oneOf` branch), for messages. */
function credentialKinds(): string[] {
  const credential = (connectionSchema as { properties: { credential: { oneOf: { properties: { kind: { const: string } } }[] } } }).properties.credential;
  return credential.oneOf.map((b) => b.properties.kind.const);
}

/** What is wrong with the property an error names (the failure's property), never quoting an input value. */
function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not an input of this resource: remove it or check its spelling";
    case "discriminator":
      return `must name one of the credential kinds ${credentialKinds().map((k) => JSON.stringify(k)).join(", ")}`;
    case "enum":
      return `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return e.message ?? "is invalid";
  }
}

/** The member an error names below its instancePath: the missing or unknown property, or the discriminator's tag. */
function memberOf(e: ErrorObject): string | undefined {
  const p = e.params as { missingProperty?: string; additionalProperty?: string; tag?: string };
  if (e.keyword === "required") return p.missingProperty;
  if (e.keyword === "additionalProperties") return p.additionalProperty;
  if (e.keyword === "discriminator") return p.tag;
  return undefined;
}

/**
 * Schema errors of `inputs` as check failures, ignoring errors at unknown values and the `__provider` key.
 * A `oneOf` over credential kinds reports its branch errors; the message never contains an input value.
 */
export function validateInputs(spec: SchemaValidatorSpec, inputs: Record<string, unknown>, resourceLabel: string): InputFailure[] {
  const { __provider: _ignored, ...rest } = inputs;
  void _ignored;
  const validate = schemaValidator(spec);
  if (validate(rest)) return [];
  const unknowns = unknownPointers(rest);
  const seen = new Set<string>();
  const out: InputFailure[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === "oneOf" || e.keyword === "if" || e.keyword === "anyOf") continue;
    const member = memberOf(e);
    // The value the error is about: a member (a missing, unknown or tag property) below instancePath, or instancePath.
    const pointer = member === undefined ? e.instancePath : `${e.instancePath}/${pointerSegment(member)}`;
    if (unknowns.some((u) => pointer === u || pointer.startsWith(`${u}/`))) continue;
    const property = pointerToPropertyPath(e.instancePath, member, rest);
    const reason = `${resourceLabel}: ${property || "inputs"} ${describe(e)}`;
    if (seen.has(reason)) continue;
    seen.add(reason);
    out.push({ property: property || "inputs", reason });
  }
  return out;
}
