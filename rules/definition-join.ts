import { parseRegistrationDefinitionId, parseScope } from "./identifiers";
import type { Delegation } from "./model";

/**
 * Which of several registration definitions with one GUID an assignment names. A definition's ID is
 * `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}`: one GUID can name a
 * definition in each of several subscriptions (an ARM nested deployment copied per customer subscription with the
 * GUID derived from the offer name, as Azure-Lighthouse-samples derive it; a Terraform `for_each` with a fixed
 * `lighthouse_definition_id`; a Pulumi loop with a fixed `registrationDefinitionId`). An assignment's definition is
 * in the assignment's own subscription (registrationAssignments are created in the definition's subscription or one
 * of its resource groups), so that subscription decides: the one a full definition ID names, else the assignment's
 * scope's. The input adapters (ARM, Terraform, the Pulumi policy pack) all join through this.
 */
export function definitionInSubscription<T>(candidates: readonly T[], delegationOf: (c: T) => Delegation, definitionRef: unknown, assignmentScope: unknown): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const subscription = parseRegistrationDefinitionId(definitionRef)?.subscriptionId ?? subscriptionOf(assignmentScope);
  if (subscription === undefined) return undefined;
  return candidates.find((c) => subscriptionOf(delegationOf(c).definitionScope) === subscription);
}

/** Definitions by GUID (`guidOf`; undefined leaves one out), each GUID's in input order: the candidates above. */
export function definitionsByGuid<T>(defs: readonly T[], guidOf: (d: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (let i = 0; i < defs.length; i++) {
    const d = defs[i]!;
    const g = guidOf(d);
    if (!g) continue;
    const list = out.get(g);
    if (list) list.push(d);
    else out.set(g, [d]);
  }
  return out;
}

/** The subscription GUID (lower case) of a known `/subscriptions/{id}[/resourceGroups/{rg}]` scope. */
function subscriptionOf(scope: unknown): string | undefined {
  return typeof scope === "string" ? parseScope(scope)?.subscriptionId : undefined;
}
