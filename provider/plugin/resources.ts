/**
 * The plugin-served resources (`partnerlink/plugin`): the same arguments as the dynamic `PartnerAdminLink` and
 * `LighthouseOnboarding` (provider/), registered as `partnerlink:index:*` custom resources that the
 * `pulumi-resource-partnerlink` plugin serves. Use them to `pulumi import` existing links and delegations, or to
 * keep no serialized provider code in state. The connection may be left out: the plugin then signs in from the
 * environment (provider/plugin/environment-connection.ts) and records no connection.
 *
 * The engine finds the plugin through the project's Pulumi.yaml:
 *   plugins:
 *     providers:
 *       - name: partnerlink
 *         path: node_modules/partnerlink/bin
 */
import * as pulumi from "@pulumi/pulumi";
import { withSecretConnectionOutput } from "../connection-args";
import type { LighthouseOnboardingArgs } from "../lighthouse-onboarding";
import type { PartnerAdminLinkArgs } from "../partner-admin-link";
import { PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE, PLUGIN_PARTNER_ADMIN_LINK_TYPE } from "../type-tokens";

/** `args` as the engine registers them: a declared connection as a secret, absent members left out. */
function registered(args: object, connectionKey: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    out[k] = k === connectionKey ? pulumi.secret(v as pulumi.Input<unknown>) : v;
  }
  return out;
}

export type PluginPartnerAdminLinkArgs = Omit<PartnerAdminLinkArgs, "connection"> & Partial<Pick<PartnerAdminLinkArgs, "connection">>;
export type PluginLighthouseOnboardingArgs = Omit<LighthouseOnboardingArgs, "customerConnection"> &
  Partial<Pick<LighthouseOnboardingArgs, "customerConnection">>;

export class PartnerAdminLink extends pulumi.CustomResource {
  static readonly __pulumiType = PLUGIN_PARTNER_ADMIN_LINK_TYPE;

  declare public readonly partnerId: pulumi.Output<string>;
  declare public readonly allowRelink: pulumi.Output<boolean>;
  declare public readonly partnerName: pulumi.Output<string>;
  declare public readonly objectId: pulumi.Output<string>;
  declare public readonly tenantId: pulumi.Output<string>;
  declare public readonly state: pulumi.Output<string>;
  declare public readonly createdTime: pulumi.Output<string>;
  declare public readonly updatedTime: pulumi.Output<string>;

  constructor(name: string, args: PluginPartnerAdminLinkArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...registered(args, "connection"),
      partnerName: undefined,
      objectId: args.objectId,
      tenantId: undefined,
      state: undefined,
      createdTime: undefined,
      updatedTime: undefined,
    };
    super(PLUGIN_PARTNER_ADMIN_LINK_TYPE, name, props, withSecretConnectionOutput(opts, "connection"));
  }
}

export class LighthouseOnboarding extends pulumi.CustomResource {
  static readonly __pulumiType = PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE;

  declare public readonly managingTenantId: pulumi.Output<string>;
  declare public readonly customerTenantId: pulumi.Output<string>;
  declare public readonly subscriptionId: pulumi.Output<string>;
  declare public readonly resourceGroups: pulumi.Output<string[]>;
  declare public readonly offerName: pulumi.Output<string>;
  declare public readonly definitionId: pulumi.Output<string>;
  declare public readonly assignmentIds: pulumi.Output<string[]>;
  declare public readonly provisioningState: pulumi.Output<string>;
  declare public readonly manageeTenantId: pulumi.Output<string>;

  constructor(name: string, args: PluginLighthouseOnboardingArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      ...registered(args, "customerConnection"),
      definitionId: undefined,
      assignmentIds: undefined,
      provisioningState: undefined,
      manageeTenantId: undefined,
    };
    super(PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE, name, props, withSecretConnectionOutput(opts, "customerConnection"));
  }
}
