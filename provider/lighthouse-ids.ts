/**
 * Deterministic registration definition and assignment IDs, derived exactly as the public onboarding templates
 * derive them (Azure/Azure-Lighthouse-samples templates/delegated-resource-management/subscription/subscription.json
 * and rg/rg.json, and the eligible-authorizations variants):
 *   "mspRegistrationName": "[guid(parameters('mspOfferName'))]",
 *   "mspAssignmentName":   "[guid(parameters('mspOfferName'))]"
 * The definition is created at the subscription; the assignment, named the same, at the subscription or at each
 * resource group (an assignment's resource ID includes its scope, so one name serves every resource group, as
 * deploying rg.json once per resource group does). A stack thus adopts what a template deployed, and back; a
 * re-run never duplicates.
 */
import { armGuid } from "../rules/identifiers";

export const DEFINITIONS_PATH = "providers/Microsoft.ManagedServices/registrationDefinitions";
export const ASSIGNMENTS_PATH = "providers/Microsoft.ManagedServices/registrationAssignments";

/** `guid(mspOfferName)`: the registration definition's name. */
export function definitionGuid(offerName: string): string {
  return armGuid(offerName);
}

/** `guid(mspOfferName)`: the registration assignment's name, at every scope. */
export function assignmentGuid(offerName: string): string {
  return armGuid(offerName);
}

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId.toLowerCase()}`;
}

/** The scopes to assign at: each resource group, or the subscription when there is none. */
export function assignmentScopes(subscriptionId: string, resourceGroups: readonly string[] | undefined): string[] {
  const sub = subscriptionScope(subscriptionId);
  const rgs = resourceGroups ?? [];
  return rgs.length === 0 ? [sub] : rgs.map((rg) => `${sub}/resourceGroups/${rg}`);
}

export function definitionResourceId(subscriptionId: string, guid: string): string {
  return `${subscriptionScope(subscriptionId)}/${DEFINITIONS_PATH}/${guid}`;
}

export function assignmentResourceId(scope: string, guid: string): string {
  return `${scope}/${ASSIGNMENTS_PATH}/${guid}`;
}

/** `{scope}/providers/Microsoft.ManagedServices/registrationAssignments/{guid}` -> scope + guid. */
export function parseAssignmentResourceId(id: string): { scope: string; guid: string } | undefined {
  const m = /^(\/subscriptions\/[^/]+(?:\/resourceGroups\/[^/]+)?)\/providers\/Microsoft\.ManagedServices\/registrationAssignments\/([^/]+)$/i.exec(id);
  return m ? { scope: m[1], guid: m[2].toLowerCase() } : undefined;
}

/** `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}` (or a bare GUID + sub). */
export function parseDefinitionResourceId(id: string): { subscriptionId?: string; guid: string } | undefined {
  const m = /^\/?subscriptions\/([^/]+)\/providers\/Microsoft\.ManagedServices\/registrationDefinitions\/([^/]+)$/i.exec(id);
  if (m) return { subscriptionId: m[1].toLowerCase(), guid: m[2].toLowerCase() };
  return /^[0-9a-f-]{36}$/i.test(id) ? { guid: id.toLowerCase() } : undefined;
}
