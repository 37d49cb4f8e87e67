/**
 * PL010 invalid-identifier: every identifier in the estate is well formed.
 *
 * Semantics: walks the same properties as PL012 (rules/checks/fields.ts): tenant, principal and approver IDs,
 * role definition IDs (incl. delegatedRoleDefinitionIds), scopes, definition and assignment IDs, partner IDs,
 * PartnerLink objectIds, subscription IDs and ISO 8601 durations. Unresolved values are PL012's. One finding per
 * malformed value; the rules that need the value skip it, so it is reported once. multiFactorAuthProvider is an
 * enum, checked by PL005.
 */
import {
  isPartnerId,
  parseGuid,
  parseIsoDuration,
  parseRoleDefinitionId,
  parseScope,
  parseSubscriptionId,
} from "../identifiers";
import { isUnresolved } from "../model";
import type { Check } from "./context";
import { forEachField, type FieldKind } from "./fields";

const CHECKS: Partial<Record<FieldKind, { ok: (s: string) => boolean; what: string; fix: string }>> = {
  tenantId: { ok: (s) => parseGuid(s) !== undefined, what: "a tenant ID (GUID)", fix: "use the tenant's GUID, not its domain name" },
  principalId: { ok: (s) => parseGuid(s) !== undefined, what: "a principal object ID (GUID)", fix: "use the object ID of the user, group or service principal (not the app ID or a name)" },
  objectId: { ok: (s) => parseGuid(s) !== undefined, what: "an object ID (GUID)", fix: "use the object ID of the linked identity" },
  roleDefinitionId: { ok: (s) => parseRoleDefinitionId(s) !== undefined, what: "a role definition ID", fix: "use the role's GUID, e.g. b24988ac-6180-42a0-ab88-20f7382dd24c (Contributor)" },
  scope: { ok: (s) => parseScope(s) !== undefined, what: "a scope", fix: "use /subscriptions/{guid} or /subscriptions/{guid}/resourceGroups/{name}" },
  definitionId: { ok: (s) => parseGuid(s) !== undefined, what: "a registration definition ID (GUID)", fix: "use a GUID, e.g. guid(offerName) in a template" },
  assignmentId: { ok: (s) => parseGuid(s) !== undefined, what: "a registration assignment ID (GUID)", fix: "use a GUID, e.g. guid(offerName, scope) in a template" },
  partnerId: { ok: isPartnerId, what: "a partner ID (6 to 10 digits)", fix: "use the numeric Associated Partner ID (MPN ID)" },
  subscriptionId: { ok: (s) => parseSubscriptionId(s) !== undefined, what: "a subscription ID (GUID)", fix: "use the subscription's GUID" },
  duration: { ok: (s) => parseIsoDuration(s) !== undefined, what: "an ISO 8601 duration", fix: "use a duration such as PT8H or PT30M" },
};

export const pl010InvalidIdentifier: Check = (estate, _ctx, report) => {
  forEachField(estate, (f) => {
    if (isUnresolved(f.value)) return;
    const c = CHECKS[f.kind];
    if (!c || c.ok(f.value)) return;
    report({
      resource: f.resource,
      source: f.source,
      path: f.path,
      message: `'${f.resource}' (${f.path}): ${JSON.stringify(f.value)} is not ${c.what}. Fix: ${c.fix}.`,
    });
  });
};
