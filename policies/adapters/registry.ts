import {
  adaptPartner,
  adaptRegistrationAssignment,
  adaptRegistrationDefinition,
  adaptSubscriptionAlias,
  AZURE_NATIVE_TYPES,
} from "./azure-native";
import {
  adaptClassicSubscription,
  adaptLighthouseAssignment,
  adaptLighthouseDefinition,
  AZURE_CLASSIC_TYPES,
} from "./azure-classic";
import { adaptLighthouseOnboarding, adaptPartnerAdminLink, PARTNERLINK_TYPES } from "./partnerlink";
import type { AdaptedResource, ResourceAdapter } from "./resource";

export type ResourceKind = AdaptedResource["kind"];

interface Entry {
  kind: ResourceKind;
  adapt: ResourceAdapter;
}

/** Every Pulumi type token partnerlink understands, with what it is and how to read it. */
export const ADAPTERS: ReadonlyMap<string, Entry> = new Map<string, Entry>([
  [PARTNERLINK_TYPES.partnerAdminLink, { kind: "partnerLink", adapt: adaptPartnerAdminLink }],
  [PARTNERLINK_TYPES.lighthouseOnboarding, { kind: "onboarding", adapt: adaptLighthouseOnboarding }],
  [PARTNERLINK_TYPES.pluginPartnerAdminLink, { kind: "partnerLink", adapt: adaptPartnerAdminLink }],
  [PARTNERLINK_TYPES.pluginLighthouseOnboarding, { kind: "onboarding", adapt: adaptLighthouseOnboarding }],
  [AZURE_NATIVE_TYPES.registrationDefinition, { kind: "definition", adapt: adaptRegistrationDefinition }],
  [AZURE_NATIVE_TYPES.registrationAssignment, { kind: "assignment", adapt: adaptRegistrationAssignment }],
  [AZURE_NATIVE_TYPES.partner, { kind: "partnerLink", adapt: adaptPartner }],
  [AZURE_NATIVE_TYPES.subscriptionAlias, { kind: "subscription", adapt: adaptSubscriptionAlias }],
  [AZURE_CLASSIC_TYPES.lighthouseDefinition, { kind: "definition", adapt: adaptLighthouseDefinition }],
  [AZURE_CLASSIC_TYPES.lighthouseAssignment, { kind: "assignment", adapt: adaptLighthouseAssignment }],
  [AZURE_CLASSIC_TYPES.subscription, { kind: "subscription", adapt: adaptClassicSubscription }],
]);

/** The adapter for a type token, or undefined when partnerlink has nothing to say about the resource. */
export function adapterFor(type: string): Entry | undefined {
  return ADAPTERS.get(type);
}
