import { unresolved, type AssignmentScope, type Delegation } from "../../rules/model";
import { agreementOfBillingScope } from "./billing";
import { AZURERM_SHAPE, readAuthorizations, readEligibleAuthorizations } from "./lighthouse";
import type { AdaptedResource, PulumiResource } from "./resource";
import { sourceOf } from "./resource";
import { PropReader } from "./unknowns";

/**
 * Classic `@pulumi/azure` resources, bridged from terraform-provider-azurerm: inputs are azurerm's attributes
 * in camelCase, with repeated blocks pluralised (`authorization` -> `authorizations`, `approver` -> `approvers`).
 * azurerm schema: hashicorp/terraform-provider-azurerm `internal/services/lighthouse/lighthouse_definition_resource.go`,
 * `lighthouse_assignment_resource.go`, `internal/services/subscription/subscription_resource.go`.
 */
export const AZURE_CLASSIC_TYPES = {
  lighthouseDefinition: "azure:lighthouse/definition:Definition",
  lighthouseAssignment: "azure:lighthouse/assignment:Assignment",
  subscription: "azure:core/subscription:Subscription",
} as const;

/**
 * The classic provider's names for the model's (ARM) properties, so that a finding names the input the user wrote
 * (`$.managingTenantId`, not `$.managedByTenantId`): azurerm_lighthouse_definition's arguments, camel-cased by the bridge.
 */
const DEFINITION_INPUT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  managedByTenantId: "managingTenantId",
  definitionId: "lighthouseDefinitionId",
  registrationDefinitionName: "name",
});

/** `lighthouse.Definition {name, description, scope, lighthouseDefinitionId, managingTenantId, authorizations, eligibleAuthorizations, plan}`. */
export function adaptLighthouseDefinition(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const delegation: Delegation = {
    name: r.name,
    source: { ...sourceOf(r), properties: DEFINITION_INPUT_NAMES },
    managedByTenantId: read.str(r.props, "managingTenantId") ?? "",
    assignments: [],
    authorizations: readAuthorizations(r, r.props, "authorizations", "authorizations", AZURERM_SHAPE),
    eligibleAuthorizations: readEligibleAuthorizations(
      r,
      r.props,
      "eligibleAuthorizations",
      "eligibleAuthorizations",
      AZURERM_SHAPE,
    ),
  };
  const n = read.str(r.props, "name");
  if (n !== undefined) delegation.registrationDefinitionName = n;
  const d = read.str(r.props, "description");
  if (d !== undefined) delegation.description = d;
  const id = read.str(r.props, "lighthouseDefinitionId");
  if (id !== undefined) delegation.definitionId = id;
  const scope = read.str(r.props, "scope");
  if (scope !== undefined) delegation.definitionScope = scope;
  return { kind: "definition", delegation };
}

/** `lighthouse.Assignment {scope, lighthouseDefinitionId, name}` (`name` is the assignment GUID). */
export function adaptLighthouseAssignment(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const assignment: AssignmentScope = { scope: read.str(r.props, "scope") ?? "", source: sourceOf(r) };
  const aid = read.str(r.props, "name");
  if (aid !== undefined) assignment.assignmentId = aid;
  const definitionRef = read.str(r.props, "lighthouseDefinitionId");
  return definitionRef === undefined
    ? { kind: "assignment", ref: { assignment } }
    : { kind: "assignment", ref: { assignment, definitionRef, definitionRefPath: "$.lighthouseDefinitionId" } };
}

/** `core.Subscription {subscriptionName, alias, billingScopeId, subscriptionId, workload}`. */
export function adaptClassicSubscription(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  return {
    kind: "subscription",
    subscription: {
      name: r.name,
      source: sourceOf(r),
      subscriptionId:
        read.str(r.props, "subscriptionId") ??
        unresolved("assigned when the subscription is created (known only after apply)", "$.subscriptionId"),
      agreement: agreementOfBillingScope(read.str(r.props, "billingScopeId")),
    },
  };
}
