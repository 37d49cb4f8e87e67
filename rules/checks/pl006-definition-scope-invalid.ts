/**
 * PL006 definition-scope-invalid: a registration definition is created at subscription scope.
 *
 * Semantics:
 * - Reported when definitionScope parses as a resource-group scope (Azure: InvalidRegistrationDefinitionUri).
 * - Absent definitionScope (the input does not say): nothing to check. Unresolved: PL012. Not a scope at all: PL010.
 */
import { parseScope } from "../identifiers";
import { isUnresolved } from "../model";
import type { Check } from "./context";
import { basePath, propPath } from "./paths";

export const pl006DefinitionScopeInvalid: Check = (estate, _ctx, report) => {
  for (let dIndex = 0; dIndex < estate.delegations.length; dIndex++) {
    const d = estate.delegations[dIndex]!;
    const s = d.definitionScope;
    if (s === undefined || isUnresolved(s)) continue;
    const sc = parseScope(s);
    if (!sc || sc.resourceGroup === undefined) continue;
    const path = propPath(basePath(d.source), "definitionScope");
    report({
      resource: d.name,
      source: d.source,
      path,
      message: `Delegation '${d.name}' (${path}): the registration definition is created at resource group scope '${s}'; Azure requires subscription scope (InvalidRegistrationDefinitionUri). Fix: create it at /subscriptions/${sc.subscriptionId} and assign it to resource group '${sc.resourceGroup}'.`,
    });
  }
};
