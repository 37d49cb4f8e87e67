import type { RegistrationAssignment } from "../arm";
import type { Approver, Authorization, Delegation, EligibleAuthorization } from "../rules/model";

/**
 * One live delegation, as the rules see it: the assignment's scope plus its expanded definition (read with
 * `$expandRegistrationDefinition=true`). Sources point at the assignment's resource ID, which is what an operator
 * looks up in the portal, and the property path inside it.
 */
export function delegationFromAssignment(a: RegistrationAssignment, subscriptionName: string): Delegation {
  const def = a.registrationDefinition;
  const resource = def?.registrationDefinitionName ? `${subscriptionName}: ${def.registrationDefinitionName}` : `${subscriptionName}: ${a.id}`;
  const source = { resource, path: a.id };
  const base = `${a.id}.properties.registrationDefinition.properties`;
  const definitionScope = a.registrationDefinitionId.replace(/\/providers\/Microsoft\.ManagedServices\/registrationDefinitions\/[^/]+$/i, "");
  const authorizations: Authorization[] = (def?.authorizations ?? []).map((x, i) => ({
    principalId: x.principalId,
    principalIdDisplayName: x.principalIdDisplayName,
    roleDefinitionId: x.roleDefinitionId,
    ...(x.delegatedRoleDefinitionIds ? { delegatedRoleDefinitionIds: x.delegatedRoleDefinitionIds } : {}),
    source: { resource, path: `${base}.authorizations[${i}]` },
  }));
  const eligibleAuthorizations: EligibleAuthorization[] = (def?.eligibleAuthorizations ?? []).map((x, i) => {
    const path = `${base}.eligibleAuthorizations[${i}]`;
    const p = x.justInTimeAccessPolicy;
    const approvers: Approver[] = (p?.managedByTenantApprovers ?? []).map((ap, j) => ({
      principalId: ap.principalId,
      principalIdDisplayName: ap.principalIdDisplayName,
      source: { resource, path: `${path}.justInTimeAccessPolicy.managedByTenantApprovers[${j}]` },
    }));
    return {
      principalId: x.principalId,
      principalIdDisplayName: x.principalIdDisplayName,
      roleDefinitionId: x.roleDefinitionId,
      source: { resource, path },
      ...(p
        ? {
            justInTimeAccessPolicy: {
              multiFactorAuthProvider: p.multiFactorAuthProvider,
              maximumActivationDuration: p.maximumActivationDuration,
              managedByTenantApprovers: approvers,
              source: { resource, path: `${path}.justInTimeAccessPolicy` },
            },
          }
        : {}),
    };
  });
  return {
    name: resource,
    source,
    managedByTenantId: def?.managedByTenantId ?? "",
    registrationDefinitionName: def?.registrationDefinitionName,
    description: def?.description,
    definitionId: a.registrationDefinitionId.split("/").pop() ?? "",
    definitionScope,
    assignments: [{ scope: a.scope, assignmentId: a.name, source }],
    authorizations,
    eligibleAuthorizations,
  };
}
