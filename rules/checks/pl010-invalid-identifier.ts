/**
 * PL010 invalid-identifier: every identifier in the estate is well formed.
 *
 * Semantics: walks the same properties as PL012 (rules/checks/fields.ts): tenant, principal and approver IDs,
 * role definition IDs (incl. delegatedRoleDefinitionIds), scopes, definition and assignment IDs, partner IDs,
 * PartnerLink objectIds, subscription IDs and ISO 8601 durations. Unresolved values are PL012's. One finding per
 * malformed value; the rules that need the value skip it, so it is reported once. multiFactorAuthProvider is an
 * enum, checked by PL005.
 *
 * A GUID that is a placeholder (00000000-0000-0000-0000-000000000000, what the public samples ship as every
 * principalId: rules/identifiers.ts PLACEHOLDER_GUIDS) is reported too, as a placeholder to replace: Azure refuses it
 * at deployment, or the delegation is made to no principal. Its message says what to put there instead.
 */
import type { Check } from "./context";
import { fieldProblems, type Field, type FieldKind } from "./fields";
import { propName } from "./paths";

/**
 * Per kind: what the value should be, the fix for a malformed one and, for the GUID kinds, what to put in place of a
 * placeholder GUID (`placeholder`: the identifier it stands for, `replace`: where to find it).
 */
const DESCRIBE: Record<Exclude<FieldKind, "mfaProvider">, { what: string; fix: string; placeholder?: string; replace?: string }> = {
  tenantId: {
    what: "a tenant ID (GUID)",
    fix: "use the tenant's GUID, not its domain name",
    placeholder: "a tenant ID",
    replace: "put the tenant's own ID there (az account show --query tenantId, signed in to that tenant)",
  },
  principalId: {
    what: "a principal object ID (GUID)",
    fix: "use the object ID of the user, group or service principal (not the app ID or a name)",
    placeholder: "a principal object ID",
    replace:
      "put the object ID of the user, group or service principal of the managing tenant there (az ad group show --group <name> --query id; az ad sp show --id <appId> --query id)",
  },
  objectId: {
    what: "an object ID (GUID)",
    fix: "use the object ID of the linked identity",
    placeholder: "an object ID",
    replace: "put the object ID of the identity that makes the link there (az ad sp show --id <appId> --query id)",
  },
  roleDefinitionId: {
    what: "a role definition ID",
    fix: "use the role's GUID, e.g. b24988ac-6180-42a0-ab88-20f7382dd24c (Contributor)",
    placeholder: "a role definition ID",
    replace: "put the built-in role's GUID there, e.g. b24988ac-6180-42a0-ab88-20f7382dd24c (Contributor)",
  },
  definitionScope: {
    what: "a scope",
    fix: "use /subscriptions/{guid}",
    placeholder: "a subscription in a scope",
    replace: "put the customer subscription's ID in /subscriptions/{guid} (az account show --query id)",
  },
  scope: {
    what: "a scope",
    fix: "use /subscriptions/{guid} or /subscriptions/{guid}/resourceGroups/{name}",
    placeholder: "a subscription in a scope",
    replace: "put the customer subscription's ID in /subscriptions/{guid}[/resourceGroups/{name}] (az account show --query id)",
  },
  definitionId: {
    what: "a registration definition ID (GUID)",
    fix: "use a GUID, e.g. guid(offerName) in a template",
    placeholder: "a registration definition ID",
    replace: "use a GUID of its own, e.g. guid(offerName) in a template",
  },
  assignmentId: {
    what: "a registration assignment ID (GUID)",
    fix: "use a GUID, e.g. guid(offerName, scope) in a template",
    placeholder: "a registration assignment ID",
    replace: "use a GUID of its own, e.g. guid(offerName, scope) in a template",
  },
  partnerId: { what: "a partner ID (6 to 10 digits)", fix: "use the numeric Associated Partner ID (MPN ID)" },
  subscriptionId: {
    what: "a subscription ID (GUID)",
    fix: "use the subscription's GUID",
    placeholder: "a subscription ID",
    replace: "put the customer subscription's ID there (az account show --query id)",
  },
  duration: { what: "an ISO 8601 duration", fix: "use a duration such as PT8H or PT30M" },
};

/**
 * The fix for a malformed definition or assignment ID in the input's terms: azurerm generates the GUID when its
 * attribute is left out (lighthouse_definition_id, the assignment's name: registry.terraform.io/providers/hashicorp/
 * azurerm/latest/docs/resources/lighthouse_definition, lighthouse_assignment); an ARM template derives it with guid().
 */
function fixOf(f: Field & { kind: Exclude<FieldKind, "mfaProvider"> }): string {
  // azurerm input: its names for the delegation's properties (managing_tenant_id) are on the element's source.
  if ((f.kind === "definitionId" || f.kind === "assignmentId") && propName("managedByTenantId", f.source) === "managing_tenant_id") {
    return `use a GUID, or leave out ${f.kind === "definitionId" ? propName("definitionId", f.source) : "name"} and azurerm generates one`;
  }
  const c = DESCRIBE[f.kind];
  if (f.placeholder) return c.replace ?? c.fix;
  return c.fix;
}

export const pl010InvalidIdentifier: Check = (estate, ctx, report) => {
  for (const f of fieldProblems(estate, ctx).malformed) {
    if (f.kind === "mfaProvider") continue;
    const kind = f.kind;
    const c = DESCRIBE[kind];
    report({
      resource: f.resource,
      source: f.source,
      path: f.path,
      message: f.placeholder
        ? `'${f.resource}' (${f.path}): ${JSON.stringify(f.value)} is a placeholder GUID left in place of ${c.placeholder ?? c.what}: Azure refuses it, or it points at nothing. Fix: ${fixOf({ ...f, kind })}.`
        : `'${f.resource}' (${f.path}): ${JSON.stringify(f.value)} is not ${c.what}. Fix: ${fixOf({ ...f, kind })}.`,
    });
  }
};
