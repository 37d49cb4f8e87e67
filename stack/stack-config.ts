import type { ErrorObject } from "ajv";
import type { Agreement } from "../rules/model";
import { ACTIVATION_DURATION_FORM, ACTIVATION_DURATION_PATTERN, ACTIVATION_DURATION_SCHEMA } from "../rules/activation-duration";
import { childPath, pointerToPropertyPath, valueAtPointer } from "../rules/json-path";
import { emptyResourceGroupsProblem } from "../rules/resource-groups";
import { schemaValidator, unquotedScalarProblem, type SchemaValidatorSpec } from "../rules/schema-validator";
import { definitionGuid } from "../provider/lighthouse-ids";
import { customerFolderName } from "../templates/bundle";
import { defaultOfferName } from "../templates/onboarding-plan";
import schema from "./config.schema.json";

/** The root onboarding stack's config, as validated by stack/config.schema.json. */
export interface StackConfig {
  partner: {
    partnerId: string;
    managingTenantId: string;
    offerName?: string;
    allowRelink?: boolean;
    /** "plugin": the link is the provider plugin's PartnerAdminLink, which `pulumi import` can adopt. Default "dynamic". */
    linkProvider?: "dynamic" | "plugin";
    pecPrincipal: { objectId: string; clientId: string; displayName?: string; roleDefinitionId?: string };
  };
  arm?: { cloud?: "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud"; endpoint?: string; authorityHost?: string; caCertificateFile?: string };
  templatesDir?: string;
  allowedManagingTenants?: string[];
  customers: CustomerConfig[];
}

export interface CustomerConfig {
  name: string;
  tenantId: string;
  subscriptionId: string;
  resourceGroups?: string[];
  agreement?: Exclude<Agreement, "unknown">;
  dpor?: boolean;
  offerName?: string;
  authorizations?: { principalId: string; principalIdDisplayName?: string; roleDefinitionId: string; delegatedRoleDefinitionIds?: string[] }[];
  eligibleAuthorizations?: {
    principalId: string;
    principalIdDisplayName?: string;
    roleDefinitionId: string;
    justInTimeAccessPolicy?: { multiFactorAuthProvider?: "Azure" | "None"; maximumActivationDuration?: string; managedByTenantApprovers?: { principalId: string; principalIdDisplayName?: string }[] };
  }[];
  deployer?: { clientId: string };
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

/** stack/config.schema.json, compiled at build time (rules/schema-validator.ts). */
export const STACK_CONFIG_VALIDATOR: SchemaValidatorSpec = { id: "stack-config", schema, allErrors: true, formats: false, refs: [ACTIVATION_DURATION_SCHEMA] };

/**
 * The `pulumi config set --secret --path` key of a customer's deployer secret: `deployerSecrets.fabrikam`, and
 * `deployerSecrets["contoso.eu"]` for a name with a dot (a dotted path would nest it).
 */
export function deployerSecretPath(customerName: string): string {
  return childPath("deployerSecrets", customerName);
}

/** `/customers/2/subscriptionId` -> `partnerlink:customers[2].subscriptionId` (the `pulumi config --path` form). */
function configKey(namespace: string, instancePath: string, raw: unknown): string {
  return instancePath === "" ? `${namespace} config` : `${namespace}:${pointerToPropertyPath(instancePath, undefined, raw)}`;
}

function describe(namespace: string, e: ErrorObject, raw: unknown): string {
  const key = configKey(namespace, e.instancePath, raw);
  const value = () => String(valueAtPointer(raw, e.instancePath));
  switch (e.keyword) {
    case "required": {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return `${key}: '${missing}' is required. Set it with \`pulumi config set --path '${pointerToPropertyPath(e.instancePath, missing, raw)}' <value>\``;
    }
    case "additionalProperties":
      return `${key}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'. Allowed keys are listed in stack/config.schema.json`;
    case "pattern":
      if (e.schemaPath.includes("/definitions/guid/")) return `${key}: '${value()}' is not a GUID (8-4-4-4-12 hex digits)`;
      if ((e.params as { pattern?: string }).pattern === ACTIVATION_DURATION_PATTERN) return `${key}: '${value()}' must be written as ${ACTIVATION_DURATION_FORM}`;
      if (/partnerId$/.test(key)) return `${key}: '${value()}' is not a partner ID: use the numeric Associated Partner ID (MPN ID) from Partner Center, 6 to 10 digits, e.g. "5127255"`;
      return `${key}: '${value()}' ${e.message}`;
    case "type":
      return `${key}: ${unquotedScalarProblem(e, raw) ?? e.message}`;
    case "enum":
      return `${key}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
    default:
      return `${key}: ${e.message}`;
  }
}

/** Validates the assembled config; the error names the config key and list index, and how to fix it. */
export function parseStackConfig(raw: unknown, namespace = "partnerlink"): StackConfig {
  const validate = schemaValidator<StackConfig>(STACK_CONFIG_VALIDATOR);
  if (!validate(raw)) {
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const e of validate.errors ?? []) {
      const line = describe(namespace, e, raw);
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
    throw new StackConfigError(`invalid stack config:\n  ${lines.join("\n  ")}`);
  }
  // An empty list would delegate the whole subscription (rules/resource-groups.ts): every one named at once.
  const emptyRgs = raw.customers.flatMap((c, i) => emptyResourceGroupsProblem(c.resourceGroups, `${namespace}:customers[${i}].resourceGroups`) ?? []);
  if (emptyRgs.length > 0) throw new StackConfigError(`invalid stack config:\n  ${emptyRgs.join("\n  ")}`);
  const names = customerNameProblem(raw, namespace);
  if (names !== undefined) throw new StackConfigError(`invalid stack config:\n  ${names}`);
  const shared = sharedDelegationProblem(raw, namespace);
  if (shared !== undefined) throw new StackConfigError(`invalid stack config:\n  ${shared}`);
  return raw;
}

/**
 * Customer names name the Pulumi resources and outputs, and customers without a deployer get a template package in
 * <templatesDir>/<folder of their name>: a name used twice, or two names that make one folder (case, accents,
 * punctuation), would write one package over the other. The line naming the list indexes and the fix, or
 * undefined. Checked by parseStackConfig (stack config) and by defineOnboardingStack (programs that build a
 * StackConfig themselves), so both refuse the same config the same way.
 */
export function customerNameProblem(cfg: Pick<StackConfig, "customers">, namespace = "partnerlink"): string | undefined {
  const names = new Set<string>();
  for (const [i, c] of cfg.customers.entries()) {
    if (names.has(c.name)) return `${namespace}:customers[${i}].name: '${c.name}' is used twice; customer names must be unique (they name the Pulumi resources)`;
    names.add(c.name);
  }
  const folders = new Map<string, number>();
  for (const [i, c] of cfg.customers.entries()) {
    if (c.deployer) continue;
    const folder = customerFolderName(c.name);
    const j = folders.get(folder);
    if (j !== undefined) {
      return `${namespace}:customers[${i}].name: '${c.name}' and ${namespace}:customers[${j}].name '${cfg.customers[j]!.name}' would both write their template package to <templatesDir>/${folder}; give one a name that differs in its letters or digits`;
    }
    folders.set(folder, i);
  }
  return undefined;
}

/** A customer's offer name: its own, else the partner's, else "<customer> managed services". */
export function effectiveOfferName(cfg: Pick<StackConfig, "partner">, c: Pick<CustomerConfig, "name" | "offerName">): string {
  return c.offerName ?? cfg.partner.offerName ?? defaultOfferName(c.name);
}

/**
 * Two customers with the same subscription and the same offer name would be ONE delegation: the registration
 * definition and its assignments are named guid(offerName) in that subscription (provider/lighthouse-ids.ts), so
 * one customer's onboarding (or template) would overwrite or share the other's. The line naming both list
 * indexes and the fix, or undefined.
 */
export function sharedDelegationProblem(cfg: Pick<StackConfig, "partner" | "customers">, namespace = "partnerlink"): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, c] of cfg.customers.entries()) {
    const offer = effectiveOfferName(cfg, c);
    const key = `${c.subscriptionId.toLowerCase()}\n${offer}`;
    const j = seen.get(key);
    if (j === undefined) {
      seen.set(key, i);
      continue;
    }
    const from = c.offerName === undefined && cfg.partner.offerName !== undefined ? ` (from ${namespace}:partner.offerName)` : "";
    return (
      `${namespace}:customers[${i}] ('${c.name}') has the same subscriptionId (${c.subscriptionId}) and offer name '${offer}'${from} as ${namespace}:customers[${j}] ('${cfg.customers[j].name}'): ` +
      `both would be registration definition ${definitionGuid(offer)} (guid(offerName)) and its assignments, so one would overwrite the other's delegation. ` +
      `Give one of them a different offerName (pulumi config set --path 'customers[${i}].offerName' '<offer name>')`
    );
  }
  return undefined;
}
