/**
 * PL006 definition-scope-invalid: a registration definition is created at subscription scope.
 *
 * Semantics:
 * - Reported when definitionScope parses as a resource-group scope (Azure: InvalidRegistrationDefinitionUri).
 * - Also when the scope is unresolved but the deployment level is known not to be a subscription
 *   (definitionScopeLevel: an ARM resource-group, management-group or tenant template): whatever IDs are chosen at
 *   deployment, the scope is not a subscription.
 * - Absent definitionScope (the input does not say): nothing to check. Unresolved otherwise: PL012. Not a scope at
 *   all: PL010.
 */
import { parseScope } from "../identifiers";
import { isUnresolved } from "../model";
import type { Check } from "./context";
import { basePath, propPath, wherePath } from "./paths";

const LEVEL_NAMES = { resourceGroup: "resource group-level", managementGroup: "management group-level", tenant: "tenant-level" } as const;

export const pl006DefinitionScopeInvalid: Check = (estate, _ctx, report) => {
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const s = d.definitionScope;
    if (s !== undefined && isUnresolved(s) && d.definitionScopeLevel !== undefined) {
      const path = propPath(basePath(d.source), "definitionScope", d.source);
      const level = LEVEL_NAMES[d.definitionScopeLevel];
      report({
        resource: d.name,
        source: d.source,
        path,
        message: `Delegation '${d.name}'${wherePath(path)}: the registration definition is deployed by a ${level} template, so its scope is not a subscription; Azure requires subscription scope (InvalidRegistrationDefinitionUri). Fix: deploy it from a subscription-level template (subscriptionDeploymentTemplate.json) or a nested deployment with a subscriptionId, and assign it where it is needed.`,
      });
      continue;
    }
    if (s === undefined || isUnresolved(s)) continue;
    const sc = parseScope(s);
    if (!sc || sc.resourceGroup === undefined) continue;
    const path = propPath(basePath(d.source), "definitionScope", d.source);
    report({
      resource: d.name,
      source: d.source,
      path,
      message: `Delegation '${d.name}'${wherePath(path)}: the registration definition is created at resource group scope '${s}'; Azure requires subscription scope (InvalidRegistrationDefinitionUri). Fix: create it at /subscriptions/${sc.subscriptionId} and assign it to resource group '${sc.resourceGroup}'.`,
    });
  }
};
