import type { ErrorObject } from "ajv";
import { ACTIVATION_DURATION_FORM, ACTIVATION_DURATION_PATTERN, ACTIVATION_DURATION_SCHEMA } from "../rules/activation-duration";
import { schemaValidator, type SchemaValidatorSpec } from "../rules/schema-validator";
import { jsonPathOf, pointerSegments } from "../rules/json-path";
import customerOnboardingSchema from "./schemas/customer-onboarding.schema.json";
import customerListSchema from "./schemas/customer-list.schema.json";
import deploymentTemplateSchema from "./schemas/deployment-template.schema.json";
import deploymentParametersSchema from "./schemas/deployment-parameters.schema.json";
import registrationDefinitionSchema from "./schemas/registration-definition.schema.json";
import registrationAssignmentSchema from "./schemas/registration-assignment.schema.json";
import type { CustomerOnboarding } from "./onboarding-spec";
import { OnboardingError } from "./onboarding-error";
import { fileSource, type OnboardingSource, specPath } from "./onboarding-source";

/** One schema violation, located by a JSON path such as `$.resources[0].properties.managedByTenantId`. */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** The schemas `partnerlink template` validates with, every error at once; compiled at build time. */
export const TEMPLATE_SCHEMA_VALIDATORS = {
  onboarding: { id: "template-customer-onboarding", schema: customerOnboardingSchema, allErrors: true, formats: false, refs: [ACTIVATION_DURATION_SCHEMA] },
  list: { id: "template-customer-list", schema: customerListSchema, allErrors: true, formats: false },
  template: {
    id: "template-deployment-template",
    schema: deploymentTemplateSchema,
    allErrors: true,
    formats: false,
    refs: [registrationDefinitionSchema, registrationAssignmentSchema],
  },
  parameters: { id: "template-deployment-parameters", schema: deploymentParametersSchema, allErrors: true, formats: false, refs: [registrationDefinitionSchema] },
} satisfies Record<string, SchemaValidatorSpec>;

/** `/resources/0/properties` -> `$.resources[0].properties` (rules/json-path.ts). */
export { pointerToJsonPath as toJsonPath } from "../rules/json-path";

/** A location given as keys and indexes (`["authorizations", 0]`) -> its path as the user names it. */
type PathOf = (segments: (string | number)[]) => string;

/** Paths below the document's root: `["resources", 0]` -> `$.resources[0]`. */
const fromRoot: PathOf = (segments) => jsonPathOf(segments);

/**
 * ajv errors -> violations, most specific first: a failing `anyOf`/`oneOf`/`if` is reported through the
 * deepest error under it, so the path points at the offending property rather than its parent.
 */
function violations(errors: ErrorObject[] | null | undefined, pathOf: PathOf, doc: unknown): SchemaViolation[] {
  if (!errors || errors.length === 0) return [];
  const combinators = new Set(["anyOf", "oneOf", "if", "allOf"]);
  const depth = (e: ErrorObject) => e.instancePath.split("/").length;
  const concrete = errors.filter((e) => !combinators.has(e.keyword));
  const pool = concrete.length > 0 ? concrete : errors;
  const maxDepth = Math.max(...pool.map(depth));
  // Keep the deepest errors; among sibling branches of an anyOf only the deepest say something useful.
  // An empty string fails minLength and a name's "not blank" pattern at once: "must not be empty" says it plainly.
  const chosen = pool.filter((e) => depth(e) === maxDepth).sort((a, b) => Number(b.keyword === "minLength") - Number(a.keyword === "minLength"));
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  for (const e of chosen) {
    const segments = pointerSegments(e.instancePath, doc);
    let message = e.message ?? "is invalid";
    const params = e.params as Record<string, unknown>;
    if (e.keyword === "required") {
      segments.push(String(params.missingProperty));
      message = "is required";
    } else if (e.keyword === "additionalProperties") {
      segments.push(String(params.additionalProperty));
      message = UNKNOWN_PROPERTY;
    } else if (e.keyword === "enum") {
      message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    } else if (e.keyword === "const") {
      message = `must be ${JSON.stringify(params.allowedValue)}`;
    } else if (e.keyword === "minLength" && params.limit === 1) {
      message = "must not be empty";
    } else if (e.keyword === "pattern") {
      message = describePattern(String(params.pattern));
    }
    // Sibling anyOf branches (a GUID, or an expression) fail at the same path: report the first only. So do two keys
    // the source names alike (a construct's offerName is the spec's customer and offerName).
    const path = pathOf(segments);
    if (!seen.has(path)) {
      seen.add(path);
      out.push({ path, message });
    }
  }
  return out;
}

function describePattern(pattern: string): string {
  if (pattern.includes("{8}-") && pattern.includes("roleDefinitions")) return "must be a role definition GUID (8-4-4-4-12 hex) or its resource ID";
  if (pattern.includes("{8}-")) return "must be a GUID (8-4-4-4-12 hex)";
  if (pattern === "^[0-9]{6,10}$") return "must be a numeric partner ID (6-10 digits)";
  if (pattern.startsWith("^[-\\w._()]")) return "must be a resource group name (1-90 letters, digits, _ - . ( ), not ending in '.')";
  // The form only (rules/activation-duration.ts); the range is PL005's.
  if (pattern === ACTIVATION_DURATION_PATTERN) return `must be written as ${ACTIVATION_DURATION_FORM}`;
  // Names and display names (customer-onboarding.schema.json definitions name, displayName).
  if (pattern === "\\S") return "must not be blank";
  if (pattern.startsWith("^[^\\u0000-\\u001f")) return "must be one line of text without control characters (a line break, tab or escape)";
  return `must match ${pattern}`;
}

const UNKNOWN_PROPERTY = "is not allowed here (unknown property; check its spelling)";

/** Throws the first violation (and how many more), with `fixFor` it: what to do about that one. */
function fail(sourceName: string, list: SchemaViolation[], fixFor: (first: SchemaViolation) => string): never {
  const first = list[0];
  const more = list.length > 1 ? ` (and ${list.length - 1} more: ${list.slice(1, 4).map((v) => v.path).join(", ")})` : "";
  throw new OnboardingError(`${sourceName}: ${first.path} ${first.message}${more}. ${fixFor(first)}`);
}

/**
 * Schema violations of one onboarding (customer-onboarding.schema.json), located as `source` names them (a JSON path
 * from `$` by default); empty when it is valid.
 */
export function onboardingSpecViolations(input: unknown, source: string | OnboardingSource = "$"): SchemaViolation[] {
  const v = schemaValidator(TEMPLATE_SCHEMA_VALIDATORS.onboarding);
  if (v(input)) return [];
  const s = typeof source === "string" ? fileSource("", source) : source;
  return violations(v.errors, (segments) => specPath(s, ...segments), input);
}

/**
 * Validates one onboarding against customer-onboarding.schema.json; throws {@link OnboardingError} naming the source
 * and the path as the source names it (`customers.yaml: $[2].subscriptionId ...`, `LighthouseOnboarding '...':
 * subscriptionId ...`). `source`: a file's name, with `pathPrefix` the spec's JSON path in it, or an {@link OnboardingSource}.
 */
export function validateOnboardingSpec(input: unknown, source: string | OnboardingSource, pathPrefix = "$"): CustomerOnboarding {
  const s = typeof source === "string" ? fileSource(source, pathPrefix) : source;
  const list = onboardingSpecViolations(input, s);
  // The schema file is the reference for a spec file; props in code are described by their type.
  // A property that is not in the schema has no value to fix, but a name.
  const see = s.root === undefined ? "" : " (see templates/schemas/customer-onboarding.schema.json)";
  if (list.length > 0) fail(s.name, list, (first) => `${first.message === UNKNOWN_PROPERTY ? "Remove it or correct its name" : "Fix the value"}${see}.`);
  return input as CustomerOnboarding;
}

/** Validates a `--customers` list's envelope; entries are validated one by one after defaults are merged. */
export function validateCustomerList(input: unknown, sourceName: string): Record<string, unknown>[] {
  const list = input !== null && typeof input === "object" && !Array.isArray(input) && "customers" in input
    ? (input as { customers: unknown }).customers
    : input;
  const v = schemaValidator(TEMPLATE_SCHEMA_VALIDATORS.list);
  if (!v(list)) fail(sourceName, violations(v.errors, fromRoot, list), () => "The file must hold a non-empty list of customer objects (or {\"customers\": [...]}).");
  return list as Record<string, unknown>[];
}

/** Schema violations of an ARM deployment template (empty when it is valid). */
export function armTemplateViolations(template: unknown): SchemaViolation[] {
  const v = schemaValidator(TEMPLATE_SCHEMA_VALIDATORS.template);
  return v(template) ? [] : violations(v.errors, fromRoot, template);
}

/** Schema violations of an ARM parameters file (empty when it is valid). */
export function armParametersViolations(parameters: unknown): SchemaViolation[] {
  const v = schemaValidator(TEMPLATE_SCHEMA_VALIDATORS.parameters);
  return v(parameters) ? [] : violations(v.errors, fromRoot, parameters);
}
