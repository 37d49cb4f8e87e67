/**
 * What an onboarding's `resourceGroups` means, for every input that takes one (the CDKTF LighthouseOnboarding
 * construct, the Pulumi LighthouseOnboarding resource, the root stack's customers[].resourceGroups, a
 * `partnerlink template` spec): left out, the registration is assigned at the subscription, so the managing tenant
 * gets the whole subscription; listed, one assignment per resource group and nothing else of the subscription.
 * (Onboarding at subscription or resource group scope: learn.microsoft.com/azure/lighthouse/how-to/onboard-customer;
 * the public templates delegate the subscription unless a resource group is given:
 * github.com/Azure/Azure-Lighthouse-samples, templates/delegated-resource-management/{subscription,rg}.)
 *
 * An explicitly empty list was read as "left out": a program that computes its list (a filter that matched nothing)
 * then handed the partner the customer's whole subscription. It is refused instead, by every input, with this one
 * message.
 */

/** The fix for an empty list, as every input names it. */
export const EMPTY_RESOURCE_GROUPS_FIX = "leave resourceGroups out to delegate the whole subscription, or list at least one resource group";

/**
 * The problem with an onboarding's `resourceGroups` as given, or undefined: an empty array is one (absent, a list of
 * names or a value not known yet is not). `path` is how the input names the property (`resourceGroups`,
 * `$[2].resourceGroups`, `partnerlink:customers[2].resourceGroups`); the caller prefixes where the input is.
 */
export function emptyResourceGroupsProblem(resourceGroups: unknown, path: string): string | undefined {
  if (!Array.isArray(resourceGroups) || resourceGroups.length > 0) return undefined;
  return (
    `${path} is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). ` +
    `Fix: ${EMPTY_RESOURCE_GROUPS_FIX}.`
  );
}
