/**
 * Pulumi type tokens of partnerlink's dynamic resources: the one place they are written.
 *
 * A dynamic resource's token is `pulumi-nodejs:dynamic/<module>:<type>` (see @pulumi/pulumi
 * dynamic/index.js: `pulumi-nodejs:dynamic${module ? `/${module}` : ""}:${type}`). The policy pack and the
 * adapters recognise partnerlink's resources by these constants; this file has no runtime dependency so
 * they can import it cheaply.
 */

/** The `module` argument passed to `pulumi.dynamic.Resource` by every partnerlink resource. */
export const DYNAMIC_MODULE = "partnerlink";

export const PARTNER_ADMIN_LINK_TYPE_NAME = "PartnerAdminLink";
export const LIGHTHOUSE_ONBOARDING_TYPE_NAME = "LighthouseOnboarding";

/** `pulumi-nodejs:dynamic/partnerlink:PartnerAdminLink` */
export const PARTNER_ADMIN_LINK_TYPE = `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${PARTNER_ADMIN_LINK_TYPE_NAME}` as const;

/** `pulumi-nodejs:dynamic/partnerlink:LighthouseOnboarding` */
export const LIGHTHOUSE_ONBOARDING_TYPE =
  `pulumi-nodejs:dynamic/${DYNAMIC_MODULE}:${LIGHTHOUSE_ONBOARDING_TYPE_NAME}` as const;

/** The Pulumi package of partnerlink's resource provider plugin (`pulumi-resource-partnerlink`, provider/plugin/). */
export const PLUGIN_PACKAGE = "partnerlink";

/** `partnerlink:index:PartnerAdminLink`: the PartnerAdminLink served by the plugin (importable). */
export const PLUGIN_PARTNER_ADMIN_LINK_TYPE = `${PLUGIN_PACKAGE}:index:${PARTNER_ADMIN_LINK_TYPE_NAME}` as const;

/** `partnerlink:index:LighthouseOnboarding`: the LighthouseOnboarding served by the plugin (importable). */
export const PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE = `${PLUGIN_PACKAGE}:index:${LIGHTHOUSE_ONBOARDING_TYPE_NAME}` as const;
