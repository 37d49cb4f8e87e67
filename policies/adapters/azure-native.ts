import { parseGuid } from "../../rules/identifiers";
import { isUnresolved, unresolved, type AssignmentScope, type Delegation, type Val } from "../../rules/model";
import { agreementOfBillingScope } from "./billing";
import { ARM_SHAPE, readAuthorizations, readEligibleAuthorizations, unknownAuthorization } from "./lighthouse";
import type { AdaptedResource, PulumiResource } from "./resource";
import { sourceOf } from "./resource";
import { PropReader } from "./unknowns";

/**
 * azure-native resources, recognised by type token only (the package is not a dependency). Input names are
 * azure-native's, which follow the ARM REST bodies (Microsoft.ManagedServices 2022-10-01,
 * Microsoft.ManagementPartner 2018-02-01, Microsoft.Subscription aliases 2021-10-01): see the provider schema,
 * pulumi/pulumi-azure-native `provider/cmd/pulumi-resource-azure-native/schema.json`, and e.g.
 * https://www.pulumi.com/registry/packages/azure-native/api-docs/managedservices/registrationassignment/
 * (`properties.registrationDefinitionId`, `registrationAssignmentId`, `scope`).
 *
 * Stack policies see a resource's outputs, where azure-native keeps the ARM response (`properties`, `name`) but not
 * path parameters such as `scope`: an absent `scope` is read as unresolved, never as a wrong scope.
 */

const SCOPE_NOT_IN_OUTPUTS = "not among the resource's properties (azure-native keeps path parameters out of its outputs)";

/** `name` when it is a GUID (azure-native outputs carry the ARM resource name, the definition/assignment GUID). */
function guidName(read: PropReader, props: Record<string, unknown>): Val<string> | undefined {
  const n = read.str(props, "name");
  return typeof n === "string" && parseGuid(n) ? n : undefined;
}
export const AZURE_NATIVE_TYPES = {
  registrationDefinition: "azure-native:managedservices:RegistrationDefinition",
  registrationAssignment: "azure-native:managedservices:RegistrationAssignment",
  partner: "azure-native:managementpartner:Partner",
  subscriptionAlias: "azure-native:subscription:Alias",
} as const;

/**
 * The definition's model properties that are not under `properties` in azure-native's inputs but beside it (path
 * parameters of the REST call), so that a finding names the input the user wrote (`$.scope`, not
 * `$.properties.definitionScope`).
 */
const DEFINITION_INPUT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  definitionScope: "$.scope",
  definitionId: "$.registrationDefinitionId",
});

/** `RegistrationDefinition {scope, registrationDefinitionId, properties: {managedByTenantId, authorizations, ...}, plan}`. */
export function adaptRegistrationDefinition(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const props = read.obj(r.props, "properties");
  const base = {
    name: r.name,
    source: { ...sourceOf(r, "properties"), properties: DEFINITION_INPUT_NAMES },
    assignments: [],
  };
  const delegation: Delegation = isUnresolved(props)
    ? {
        ...base,
        managedByTenantId: props,
        authorizations: [unknownAuthorization(r, "properties.authorizations", props)],
        eligibleAuthorizations: [],
      }
    : {
        ...base,
        managedByTenantId:
          new PropReader("$.properties").str(props, "managedByTenantId") ?? "",
        authorizations: readAuthorizations(r, props, "authorizations", "properties.authorizations", ARM_SHAPE),
        eligibleAuthorizations: readEligibleAuthorizations(
          r,
          props,
          "eligibleAuthorizations",
          "properties.eligibleAuthorizations",
          ARM_SHAPE,
        ),
      };
  const pr = new PropReader("$.properties");
  if (props !== undefined && !isUnresolved(props)) {
    const n = pr.str(props, "registrationDefinitionName");
    if (n !== undefined) delegation.registrationDefinitionName = n;
    const d = pr.str(props, "description");
    if (d !== undefined) delegation.description = d;
  }
  const id = read.str(r.props, "registrationDefinitionId") ?? guidName(read, r.props);
  if (id !== undefined) delegation.definitionId = id;
  const scope = read.str(r.props, "scope");
  if (scope !== undefined) delegation.definitionScope = scope;
  return { kind: "definition", delegation };
}

/** `RegistrationAssignment {scope, registrationAssignmentId, properties: {registrationDefinitionId}}`. */
export function adaptRegistrationAssignment(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const props = read.obj(r.props, "properties");
  const scope = read.str(r.props, "scope") ?? unresolved(SCOPE_NOT_IN_OUTPUTS, "$.scope");
  const assignment: AssignmentScope = { scope, source: sourceOf(r) };
  const aid = read.str(r.props, "registrationAssignmentId") ?? guidName(read, r.props);
  if (aid !== undefined) assignment.assignmentId = aid;
  const definitionRef = isUnresolved(props) ? props : new PropReader("$.properties").str(props, "registrationDefinitionId");
  return definitionRef === undefined
    ? { kind: "assignment", ref: { assignment } }
    : { kind: "assignment", ref: { assignment, definitionRef, definitionRefPath: "$.properties.registrationDefinitionId" } };
}

/** `managementpartner:Partner {partnerId}`: links whoever deploys it, so the object ID is not in the inputs. */
export function adaptPartner(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  return {
    kind: "partnerLink",
    link: { name: r.name, source: sourceOf(r), partnerId: read.str(r.props, "partnerId") ?? "" },
  };
}

/** `subscription:Alias {aliasName, properties: {displayName, workload, billingScope, subscriptionId}}`. */
export function adaptSubscriptionAlias(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const props = read.obj(r.props, "properties");
  const pr = new PropReader("$.properties");
  const known = props !== undefined && !isUnresolved(props) ? props : undefined;
  const subscriptionId =
    (known && pr.str(known, "subscriptionId")) ??
    unresolved("assigned when the subscription is created (known only after apply)", "$.properties.subscriptionId");
  return {
    kind: "subscription",
    subscription: {
      name: r.name,
      source: sourceOf(r, "properties"),
      subscriptionId,
      agreement: agreementOfBillingScope(known && pr.str(known, "billingScope")),
    },
  };
}
