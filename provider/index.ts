/**
 * partnerlink's Pulumi resources: `PartnerAdminLink` (Partner Admin Link) and `LighthouseOnboarding` (Azure
 * Lighthouse delegation carrying the PEC authorization). See provider/README.md.
 *
 * The `*Operations` namespaces are what the serialized providers load at run time (`partnerlink/provider`);
 * they are public so other tools can run the same operations without the Pulumi engine.
 */
import * as partnerAdminLinkOperations from "./partner-admin-link-ops";
import * as lighthouseOnboardingOperations from "./lighthouse-onboarding-ops";

export { PartnerAdminLink, PartnerAdminLinkProvider, type PartnerAdminLinkArgs } from "./partner-admin-link";
export {
  LighthouseOnboarding,
  LighthouseOnboardingProvider,
  type LighthouseOnboardingArgs,
  type LighthouseOnboardingProviderOptions,
  type PecAuthorizationArgs,
} from "./lighthouse-onboarding";
export type { PartnerAdminLinkInputs, PartnerAdminLinkOutputs } from "./partner-admin-link-ops";
export type { LighthouseOnboardingInputs, LighthouseOnboardingOutputs, PecAuthorization } from "./lighthouse-inputs";
export type { ProviderConnection, ProviderConnectionArgs } from "./connection-args";
export { definitionGuid, assignmentGuid, assignmentScopes, definitionResourceId, assignmentResourceId } from "./lighthouse-ids";
export { delegationOf as lighthouseOnboardingDelegation } from "./lighthouse-check";
export * from "./type-tokens";
export { partnerAdminLinkOperations, lighthouseOnboardingOperations };
