/**
 * The plugin's Pulumi package schema (GetSchema): what `pulumi import` needs to write the code of an imported
 * resource, and what a `pulumi package gen-sdk` would read. Properties mirror the input schemas in
 * provider/schemas/ (ajv validates inputs there, in check); nested ARM shapes are `pulumi.json#/Any` here.
 * Schema format: https://www.pulumi.com/docs/iac/extending-pulumi/schema/
 */
import { LIGHTHOUSE_ONBOARDING_TYPE_NAME, PARTNER_ADMIN_LINK_TYPE_NAME, PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE, PLUGIN_PACKAGE, PLUGIN_PARTNER_ADMIN_LINK_TYPE } from "../type-tokens";

type Property = { type?: string; $ref?: string; items?: Property; description?: string; secret?: boolean };

const str = (description: string): Property => ({ type: "string", description });
const any = (description: string): Property => ({ $ref: "pulumi.json#/Any", description });
const connection = (description: string): Property => ({ ...any(description), secret: true });

const PAL_INPUTS: Record<string, Property> = {
  partnerId: str("The numeric Associated Partner ID (MPN ID), e.g. \"5127255\"."),
  allowRelink: { type: "boolean", description: "Move a link to another partner ID (PATCH) instead of failing." },
  objectId: str("The object ID the identity that signs in must have: create and update refuse to link another. Optional; as an output, the linked identity's."),
  messageKeys: any("How the program's user sets partnerId, allowRelink and objectId (e.g. partnerlink:partner.allowRelink), named in messages."),
  connection: connection(
    "How the linked identity signs in (provider/connection-args.ts). Absent: the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, PARTNERLINK_ARM_ENDPOINT).",
  ),
};

const LIGHTHOUSE_INPUTS: Record<string, Property> = {
  managingTenantId: str("The partner (managing) tenant."),
  customerTenantId: str("The customer's tenant."),
  subscriptionId: str("The customer subscription."),
  resourceGroups: { type: "array", items: { type: "string" }, description: "One assignment per resource group; left out: the whole subscription. An empty list is refused, not read as left out (rules/resource-groups.ts)." },
  offerName: str("The offer name; definition and assignment IDs are guid(offerName)."),
  offerDescription: str("The offer description."),
  authorizations: { type: "array", items: any("A permanent authorization (ARM shape)."), description: "Further permanent authorizations." },
  eligibleAuthorizations: { type: "array", items: any("An eligible authorization (ARM shape)."), description: "Just-in-time authorizations." },
  pecAuthorization: any("The PAL-linked identity's permanent, PEC-eligible authorization: principalId, principalDisplayName, roleDefinitionId."),
  customerConnection: connection("An identity of the customer tenant with Owner on the subscription. Absent: the environment."),
  rulesConfig: any("partnerlink rules configuration (rules/config.schema.json)."),
};

/** Each resource's inputs (what a read gives back as inputs for an import), by type token. */
export const PLUGIN_INPUT_PROPERTIES: Readonly<Record<string, Readonly<Record<string, Property>>>> = {
  [PLUGIN_PARTNER_ADMIN_LINK_TYPE]: PAL_INPUTS,
  [PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE]: LIGHTHOUSE_INPUTS,
};

export function pluginSchema(version: string): Record<string, unknown> {
  return {
    name: PLUGIN_PACKAGE,
    version,
    displayName: "partnerlink",
    description: "Azure partner associations as code: Partner Admin Link and Azure Lighthouse onboarding with a PEC-eligible permanent authorization.",
    license: "Apache-2.0",
    language: { nodejs: { packageName: "partnerlink/plugin" } },
    resources: {
      [PLUGIN_PARTNER_ADMIN_LINK_TYPE]: {
        description: `${PARTNER_ADMIN_LINK_TYPE_NAME}: links the identity that signs in to the partner ID (Microsoft.ManagementPartner).`,
        inputProperties: PAL_INPUTS,
        requiredInputs: ["partnerId"],
        properties: {
          ...PAL_INPUTS,
          partnerName: str("The partner's name as Partner Center has it."),
          tenantId: str("Tenant of the linked identity."),
          state: str("Active, or Deleted."),
          createdTime: str("When the link was made."),
          updatedTime: str("When the link last changed."),
        },
        required: ["partnerId", "objectId", "tenantId", "state"],
      },
      [PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE]: {
        description: `${LIGHTHOUSE_ONBOARDING_TYPE_NAME}: an Azure Lighthouse registration definition and its assignments, with the PEC authorization.`,
        inputProperties: LIGHTHOUSE_INPUTS,
        requiredInputs: ["managingTenantId", "customerTenantId", "subscriptionId", "offerName", "pecAuthorization"],
        properties: {
          ...LIGHTHOUSE_INPUTS,
          definitionId: str("Resource ID of the registration definition."),
          assignmentIds: { type: "array", items: { type: "string" }, description: "Resource IDs of the assignments." },
          provisioningState: str("Succeeded, or Incomplete."),
          manageeTenantId: str("The customer tenant as ARM reports it."),
        },
        required: ["definitionId", "assignmentIds", "provisioningState"],
      },
    },
  };
}
