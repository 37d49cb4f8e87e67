export { LighthouseOnboarding, type LighthouseOnboardingProps } from "./lighthouse-onboarding";
export {
  PartnerAdminLink,
  type PartnerAdminLinkProps,
  AzapiProvider,
  AzapiResourceAction,
  PARTNER_RESOURCE_TYPE,
} from "./partner-admin-link";
