/**
 * `partnerlink/plugin`: partnerlink's resources served by the `pulumi-resource-partnerlink` provider plugin
 * (importable with `pulumi import`). See provider/README.md, "The provider plugin".
 */
export { PartnerAdminLink, LighthouseOnboarding, type PluginPartnerAdminLinkArgs, type PluginLighthouseOnboardingArgs } from "./resources";
export { PLUGIN_PACKAGE, PLUGIN_PARTNER_ADMIN_LINK_TYPE, PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE } from "../type-tokens";
export { CONNECTION_ENVIRONMENT } from "./environment-connection";
