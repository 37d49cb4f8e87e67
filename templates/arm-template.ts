import { TARGET_SUBSCRIPTION_KEY } from "../formats/arm-metadata";
import type { OnboardingPlan } from "./onboarding-plan";

/**
 * ARM onboarding templates in the shapes of the public Azure Lighthouse samples
 * (Azure/Azure-Lighthouse-samples, templates/delegated-resource-management{,-eligible-authorizations}:
 * subscription/subscription.json, rg/rg.json, rg/multi-rg.json), on api-version 2022-10-01, with the same
 * parameter names and guid() names (multi-rg excepted: see armTemplate), so a customer or partner who knows the samples recognises them
 * and IaC computing the same IDs (templates/onboarding-plan `onboardingIds`) adopts what they deployed.
 * Parameters carry the customer's values as defaults too: the portal's custom deployment then needs no file.
 */

export const SUBSCRIPTION_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#";
export const SUBSCRIPTION_PARAMETERS_SCHEMA = "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#";
export const NESTED_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";
/** Microsoft.ManagedServices stable api-version (REST spec managedservices/stable/2022-10-01). */
export const MANAGED_SERVICES_API_VERSION = "2022-10-01";
export const DEPLOYMENTS_API_VERSION = "2021-04-01";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DEFINITION_ID_EXPR = "[resourceId('Microsoft.ManagedServices/registrationDefinitions/', variables('mspRegistrationName'))]";

function toJson<T>(v: T): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

/** The values the template's parameters take, in order (also written to the parameters file). */
export function parameterValues(plan: OnboardingPlan): JsonObject {
  const values: JsonObject = {
    mspOfferName: plan.offerName,
    mspOfferDescription: plan.offerDescription,
    managedByTenantId: plan.managingTenantId,
    authorizations: toJson(plan.authorizations),
  };
  if (plan.eligibleAuthorizations.length > 0) {
    // principalType is partnerlink's own input; Azure's EligibleAuthorization has no such property.
    values.eligibleAuthorizations = toJson(plan.eligibleAuthorizations.map(({ principalType: _t, ...rest }) => rest));
  }
  if (plan.variant === "resource-group") values.rgName = plan.resourceGroups[0];
  if (plan.variant === "multiple-resource-groups") values.resourceGroups = plan.resourceGroups.map((rgName) => ({ rgName }));
  return values;
}

const DESCRIPTIONS: Record<string, string> = {
  mspOfferName: "Name of the offer; the registration definition and assignment are named guid() of it. Keep it unchanged on redeploys.",
  mspOfferDescription: "Description of the managed service offer, shown to the customer.",
  managedByTenantId: "Tenant ID of the managed service provider (the partner tenant).",
  authorizations:
    "Permanent authorizations: principalId (in the partner tenant), roleDefinitionId (built-in role) and principalIdDisplayName. The first entry is the partner's Partner Earned Credit identity: do not remove it or change its role.",
  eligibleAuthorizations: "Just-in-time (eligible) authorizations for users and groups of the partner tenant.",
  rgName: "The resource group to delegate; it must already exist.",
  resourceGroups: "The resource groups to delegate, as objects {\"rgName\": \"...\"}; they must already exist.",
};

function parameterDeclarations(values: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(values)) {
    out[name] = {
      type: Array.isArray(value) ? "array" : typeof value === "object" && value !== null ? "object" : "string",
      defaultValue: value,
      metadata: { description: DESCRIPTIONS[name] ?? name },
    };
  }
  return out;
}

function definitionResource(plan: OnboardingPlan, name: string, copy?: JsonObject): JsonObject {
  const properties: JsonObject = {
    registrationDefinitionName: "[parameters('mspOfferName')]",
    description: "[parameters('mspOfferDescription')]",
    managedByTenantId: "[parameters('managedByTenantId')]",
    authorizations: "[parameters('authorizations')]",
  };
  if (plan.eligibleAuthorizations.length > 0) properties.eligibleAuthorizations = "[parameters('eligibleAuthorizations')]";
  const r: JsonObject = { type: "Microsoft.ManagedServices/registrationDefinitions", apiVersion: MANAGED_SERVICES_API_VERSION, name, properties };
  if (copy) r.copy = copy;
  return r;
}

function assignmentResource(name: string, definitionIdExpr: string, dependsOn?: string): JsonObject {
  const r: JsonObject = { type: "Microsoft.ManagedServices/registrationAssignments", apiVersion: MANAGED_SERVICES_API_VERSION, name };
  if (dependsOn) r.dependsOn = [dependsOn];
  r.properties = { registrationDefinitionId: definitionIdExpr };
  return r;
}

/** A nested deployment into a resource group holding the assignment; expressions are evaluated in the outer scope, as in rg.json. */
function nestedAssignment(deploymentName: string, resourceGroupExpr: string, assignmentName: string, definitionIdExpr: string, copy?: JsonObject): JsonObject {
  const r: JsonObject = { type: "Microsoft.Resources/deployments", apiVersion: DEPLOYMENTS_API_VERSION, name: deploymentName, resourceGroup: resourceGroupExpr };
  if (copy) r.copy = copy;
  r.dependsOn = [definitionIdExpr];
  r.properties = {
    mode: "Incremental",
    template: {
      $schema: NESTED_TEMPLATE_SCHEMA,
      contentVersion: "1.0.0.0",
      parameters: {},
      resources: [assignmentResource(assignmentName, definitionIdExpr)],
    },
  };
  return r;
}

/** The subscription-scope deployment template for one customer (subscription, one RG, or several RGs). */
export function armTemplate(plan: OnboardingPlan, generator = "partnerlink"): JsonObject {
  const values = parameterValues(plan);
  const template: JsonObject = {
    $schema: SUBSCRIPTION_TEMPLATE_SCHEMA,
    contentVersion: "1.0.0.0",
    metadata: {
      generator,
      customer: plan.customer,
      // The subscription this template is made for, which partnerlink check judges it in (formats/arm-metadata.ts);
      // ARM ignores metadata, and the guide's commands deploy to this subscription.
      [TARGET_SUBSCRIPTION_KEY]: plan.subscriptionId,
      variant: plan.variant,
      description: "Azure Lighthouse onboarding: deploy at subscription scope (az deployment sub create) as an Owner of the subscription, signed in to the customer's tenant.",
    },
    parameters: parameterDeclarations(values),
  };
  const outputs: JsonObject = {
    mspOfferName: { type: "string", value: "[concat('Managed by', ' ', parameters('mspOfferName'))]" },
    authorizations: { type: "array", value: "[parameters('authorizations')]" },
  };
  if (plan.eligibleAuthorizations.length > 0) outputs.eligibleAuthorizations = { type: "array", value: "[parameters('eligibleAuthorizations')]" };

  template.variables = {
    mspRegistrationName: "[guid(parameters('mspOfferName'))]",
    mspAssignmentName: "[guid(parameters('mspOfferName'))]",
  };
  // Several resource groups: ONE definition named guid(offer), assigned in each group under the same name (an
  // assignment's resource ID includes its scope), as deploying rg.json once per group does. The public multi-rg.json
  // instead creates one definition per group named guid(rgName), which collides when two offers delegate groups of
  // the same name in one subscription, and which the Pulumi LighthouseOnboarding could not adopt; partnerlink keeps
  // one naming scheme everywhere (provider/lighthouse-ids.ts).
  template.resources =
    plan.variant === "subscription"
      ? [
          definitionResource(plan, "[variables('mspRegistrationName')]"),
          assignmentResource("[variables('mspAssignmentName')]", DEFINITION_ID_EXPR, DEFINITION_ID_EXPR),
        ]
      : plan.variant === "resource-group"
        ? [
            definitionResource(plan, "[variables('mspRegistrationName')]"),
            nestedAssignment("rgAssignment", "[parameters('rgName')]", "[variables('mspAssignmentName')]", DEFINITION_ID_EXPR),
          ]
        : [
            definitionResource(plan, "[variables('mspRegistrationName')]"),
            nestedAssignment(
              "[concat('rgAssignment', copyIndex())]",
              "[parameters('resourceGroups')[copyIndex()].rgName]",
              "[variables('mspAssignmentName')]",
              DEFINITION_ID_EXPR,
              { name: "deploymentCopy", count: "[length(parameters('resourceGroups'))]" },
            ),
          ];
  template.outputs = outputs;
  return template;
}

/** The parameters file that goes with {@link armTemplate}. */
export function armParameters(plan: OnboardingPlan): JsonObject {
  const parameters: JsonObject = {};
  for (const [name, value] of Object.entries(parameterValues(plan))) parameters[name] = { value };
  return { $schema: SUBSCRIPTION_PARAMETERS_SCHEMA, contentVersion: "1.0.0.0", parameters };
}
