import type { SourceLocation } from "./model";

/**
 * What Azure, and the Terraform provider in front of it, accept in a registration definition, besides the role
 * facts of rules/roles.json: each fact with its source and the date it was last confirmed there. The rules read
 * them (PL005), and so do the generators that write for one provider (the CDKTF construct writes azurerm's
 * attributes): one place to change when a provider or Azure changes.
 */

/** The values one API or provider accepts for a just-in-time policy's multi-factor authentication provider. */
export interface MfaProviderFact {
  /** Who accepts these values, for messages: "Azure", "azurerm". */
  readonly acceptedBy: string;
  /** The accepted values, spelled as the input must spell them when `caseSensitive`. */
  readonly accepted: readonly string[];
  /** A value must match an accepted one letter for letter (false: ARM compares enum values without regard to case). */
  readonly caseSensitive: boolean;
  /** The value sent to ARM when the property is left out, where the provider sends one. */
  readonly sentWhenAbsent?: string;
  /** Where the fact comes from. */
  readonly source: string;
  /** The day the source was last read (YYYY-MM-DD). */
  readonly asOf: string;
}

/** ARM (templates, azapi bodies, Pulumi azure-native, partnerlink's own resources): `Azure` or `None`, any case. */
export const ARM_MFA_PROVIDERS: MfaProviderFact = Object.freeze({
  acceptedBy: "Azure",
  accepted: Object.freeze(["Azure", "None"]),
  caseSensitive: false,
  source:
    "Azure/azure-rest-api-specs specification/managedservices/resource-manager/Microsoft.ManagedServices/ManagedServices/stable/2022-10-01/managedservices.json: " +
    "JustInTimeAccessPolicy.multiFactorAuthProvider enum [Azure, None] (x-ms-enum MultiFactorAuthProvider, modelAsString); " +
    "learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations",
  asOf: "2026-11-21",
});

/**
 * azurerm's `azurerm_lighthouse_definition` `eligible_authorization.just_in_time_access_policy.multi_factor_auth_provider`:
 * only `Azure`, letter for letter; left out, azurerm sends `None`. hashicorp/terraform-provider-azurerm
 * internal/services/lighthouse/lighthouse_definition_resource.go:
 *   "multi_factor_auth_provider": { ..., ValidateFunc: validation.StringInSlice([]string{
 *       string(registrationdefinitions.MultiFactorAuthProviderAzure),
 *   }, false) }                                  // false: the comparison is case-sensitive
 *   expandLighthouseDefinitionJustInTimeAccessPolicy: multiFactorAuthProvider := MultiFactorAuthProviderNone, then
 *   the attribute's value when it is not ""; flattenLighthouseDefinitionJustInTimeAccessPolicy leaves the attribute
 *   out when ARM answers None.
 * The same from the attribute's introduction (v3.36.0, #19569, 2022-12-12) to v5.2.0 (2026-08-20; commit
 * 69697b7fe6 of 2026-08-21, read 2026-11-21): `terraform plan` refuses "None" (expected ... to be one of ["Azure"]).
 */
export const AZURERM_MFA_PROVIDERS: MfaProviderFact = Object.freeze({
  acceptedBy: "azurerm",
  accepted: Object.freeze(["Azure"]),
  caseSensitive: true,
  sentWhenAbsent: "None",
  source:
    "hashicorp/terraform-provider-azurerm internal/services/lighthouse/lighthouse_definition_resource.go: multi_factor_auth_provider " +
    "ValidateFunc validation.StringInSlice([]string{string(registrationdefinitions.MultiFactorAuthProviderAzure)}, false); " +
    "expandLighthouseDefinitionJustInTimeAccessPolicy sends MultiFactorAuthProviderNone when the attribute is empty " +
    "(unchanged from v3.36.0 to v5.2.0, commit 69697b7fe6)",
  asOf: "2026-11-21",
});

/** The MFA provider fact for an element: azurerm's where the adapter marks its source so, else ARM's. */
export function mfaProviderFact(source: SourceLocation | undefined): MfaProviderFact {
  return source?.provider === "azurerm" ? AZURERM_MFA_PROVIDERS : ARM_MFA_PROVIDERS;
}

/** The accepted value `value` is (as `fact` spells it), or undefined when `fact` does not accept it. */
export function acceptedMfaProvider(fact: MfaProviderFact, value: string): string | undefined {
  const list = fact.accepted;
  for (let i = 0; i < list.length; i++) if (list[i] === value) return value;
  if (fact.caseSensitive) return undefined;
  const l = value.toLowerCase();
  for (let i = 0; i < list.length; i++) if (list[i]!.toLowerCase() === l) return list[i];
  return undefined;
}

/**
 * What to write in azurerm's `multi_factor_auth_provider` for an MFA provider ARM accepts: the value azurerm
 * accepts for it (`Azure`), or undefined to leave the attribute out, for the value azurerm sends when it is absent
 * (`None`). A value ARM does not accept is returned as it is, for azurerm's own validation to name.
 */
export function azurermMfaProvider(armValue: string): string | undefined {
  const arm = acceptedMfaProvider(ARM_MFA_PROVIDERS, armValue);
  if (arm === undefined) return armValue;
  if (arm === AZURERM_MFA_PROVIDERS.sentWhenAbsent) return undefined;
  return acceptedMfaProvider(AZURERM_MFA_PROVIDERS, arm) ?? armValue;
}

/** What Azure stores for a just-in-time policy property the request leaves out. */
export interface JitPolicyDefaultsFact {
  readonly multiFactorAuthProvider: "None";
  readonly maximumActivationDuration: "PT8H";
  readonly source: string;
  readonly asOf: string;
}

/**
 * Azure's defaults for a just-in-time policy: no multi-factor authentication, at most 8 hours. The 2022-10-01 REST
 * spec gives `"default": "None"` for JustInTimeAccessPolicy.multiFactorAuthProvider and `"default": "PT8H"` for
 * maximumActivationDuration, and the SDKs generated from it default to the same (azure-mgmt-managedservices
 * `JustInTimeAccessPolicy(multi_factor_auth_provider='None', maximum_activation_duration='PT8H')`); azurerm sends
 * None when `multi_factor_auth_provider` is left out ({@link AZURERM_MFA_PROVIDERS}). An eligible authorization
 * without a policy is read as one with these defaults: nothing documents another reading.
 */
export const ARM_JIT_POLICY_DEFAULTS: JitPolicyDefaultsFact = Object.freeze({
  multiFactorAuthProvider: "None",
  maximumActivationDuration: "PT8H",
  source:
    "Azure/azure-rest-api-specs specification/managedservices/resource-manager/Microsoft.ManagedServices/ManagedServices/stable/2022-10-01/managedservices.json: " +
    'JustInTimeAccessPolicy.multiFactorAuthProvider "default": "None", maximumActivationDuration "default": "PT8H"; ' +
    "learn.microsoft.com/python/api/azure-mgmt-managedservices/azure.mgmt.managedservices.models.justintimeaccesspolicy",
  asOf: "2026-11-21",
});

/** A limit Azure puts on a registration definition, with where it is stated and when that was read. */
export interface LimitFact {
  readonly value: number;
  readonly source: string;
  readonly asOf: string;
}

const ELIGIBLE_DOC = "learn.microsoft.com/azure/lighthouse/how-to/create-eligible-authorizations";

/**
 * A just-in-time policy's `maximumActivationDuration`, in minutes: from 30 minutes to 8 hours. The 2022-10-01 REST
 * spec gives only the format (duration) and the default PT8H; the range is the Lighthouse docs' ("Maximum duration").
 */
export const MIN_ACTIVATION_MINUTES: LimitFact = Object.freeze({ value: 30, source: `${ELIGIBLE_DOC}, "Maximum duration"`, asOf: "2026-11-21" });
export const MAX_ACTIVATION_MINUTES: LimitFact = Object.freeze({ value: 8 * 60, source: `${ELIGIBLE_DOC}, "Maximum duration"`, asOf: "2026-11-21" });

/**
 * `managedByTenantApprovers`: "The approvers element is optional. If you include it, you can specify up to 10 users or
 * user groups in the managing tenant" (the REST spec has no maxItems).
 */
export const MAX_APPROVERS: LimitFact = Object.freeze({ value: 10, source: `${ELIGIBLE_DOC}, "Approvers"`, asOf: "2026-11-21" });

/** Minutes as the ISO 8601 duration Azure's messages and docs use: 30 -> PT30M, 480 -> PT8H, 90 -> PT1H30M. */
export function isoMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h > 0 ? `${h}H` : ""}${m > 0 || h === 0 ? `${m}M` : ""}`;
}
