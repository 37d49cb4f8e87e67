import { isUnresolved, unresolved, type AssignmentScope, type Delegation, type PrincipalType } from "../../rules/model";
import { LIGHTHOUSE_ONBOARDING_TYPE, PARTNER_ADMIN_LINK_TYPE } from "../../provider/type-tokens";
import { ARM_SHAPE, readAuthorizations, readEligibleAuthorizations } from "./lighthouse";
import type { AdaptedResource, PulumiResource } from "./resource";
import { sourceOf } from "./resource";
import { PropReader } from "./unknowns";

/** partnerlink's own dynamic resources (type tokens from provider/type-tokens.ts). */
export const PARTNERLINK_TYPES = {
  partnerAdminLink: PARTNER_ADMIN_LINK_TYPE,
  lighthouseOnboarding: LIGHTHOUSE_ONBOARDING_TYPE,
} as const;

/**
 * `PartnerAdminLink {partnerId, objectId?, tenantId?, principalType?}`: the link of the identity the resource
 * runs as; `objectId` is an output the provider fills in (unknown at preview for a new link).
 */
export function adaptPartnerAdminLink(r: PulumiResource): AdaptedResource {
  const read = new PropReader("props");
  const link: Extract<AdaptedResource, { kind: "partnerLink" }>["link"] = {
    name: r.name,
    source: sourceOf(r, "partnerId"),
    partnerId: read.str(r.props, "partnerId") ?? "",
  };
  const objectId = read.str(r.props, "objectId");
  if (objectId !== undefined) link.objectId = objectId;
  const tenantId = read.str(r.props, "tenantId");
  if (tenantId !== undefined) link.tenantId = tenantId;
  const pt = r.props.principalType;
  const types: Record<string, PrincipalType> = {};
  if (typeof objectId === "string" && (pt === "User" || pt === "ServicePrincipal" || pt === "Group")) {
    types[objectId.toLowerCase()] = pt;
  }
  return Object.keys(types).length > 0 ? { kind: "partnerLink", link, principalTypes: types } : { kind: "partnerLink", link };
}

/**
 * `LighthouseOnboarding`: one registration definition plus its assignments. Inputs follow the ARM body
 * (`managedByTenantId`, `registrationDefinitionName`, `description`, `authorizations[]`,
 * `eligibleAuthorizations[]`), the definition at `/subscriptions/{subscriptionId}` and assignments at the
 * subscription or at each of `resourceGroups[]`. `scope`/`scopes` are read too when given explicitly.
 */
export function adaptLighthouseOnboarding(r: PulumiResource): AdaptedResource {
  const read = new PropReader("props");
  const p = r.props;
  const delegation: Delegation = {
    name: r.name,
    source: sourceOf(r),
    managedByTenantId: read.str(p, "managedByTenantId") ?? "",
    assignments: [],
    authorizations: readAuthorizations(r, p, "authorizations", "authorizations", ARM_SHAPE),
    eligibleAuthorizations: readEligibleAuthorizations(r, p, "eligibleAuthorizations", "eligibleAuthorizations", ARM_SHAPE),
  };
  const name = read.str(p, "registrationDefinitionName") ?? read.str(p, "offerName");
  if (name !== undefined) delegation.registrationDefinitionName = name;
  const description = read.str(p, "description");
  if (description !== undefined) delegation.description = description;
  const definitionId = read.str(p, "registrationDefinitionId") ?? read.str(p, "definitionId");
  if (definitionId !== undefined) delegation.definitionId = definitionId;

  const subscriptionId = read.str(p, "subscriptionId");
  const subScope =
    subscriptionId === undefined
      ? undefined
      : isUnresolved(subscriptionId)
        ? subscriptionId
        : `/subscriptions/${subscriptionId}`;
  const explicitScope = read.str(p, "definitionScope") ?? read.str(p, "scope");
  const definitionScope = explicitScope ?? subScope;
  if (definitionScope !== undefined) delegation.definitionScope = definitionScope;

  const assignments: AssignmentScope[] = [];
  const scopes = read.arr(p, "scopes");
  const rgs = read.arr(p, "resourceGroups");
  if (isUnresolved(scopes)) assignments.push({ scope: scopes, source: sourceOf(r, "scopes") });
  else
    scopes.forEach((s, i) => {
      const v = new PropReader(`props.scopes[${i}]`).str({ s }, "s");
      assignments.push({ scope: v ?? "", source: sourceOf(r, `scopes[${i}]`) });
    });
  if (isUnresolved(rgs)) assignments.push({ scope: rgs, source: sourceOf(r, "resourceGroups") });
  else
    rgs.forEach((g, i) => {
      const v = new PropReader(`props.resourceGroups[${i}]`).str({ g }, "g");
      const scope =
        v === undefined || subScope === undefined
          ? unresolved("resource group without a subscription", `resourceGroups[${i}]`)
          : isUnresolved(v)
            ? v
            : isUnresolved(subScope)
              ? subScope
              : `${subScope}/resourceGroups/${v}`;
      assignments.push({ scope, source: sourceOf(r, `resourceGroups[${i}]`) });
    });
  if (assignments.length === 0 && (explicitScope ?? subScope) !== undefined) {
    const s = (explicitScope ?? subScope)!;
    assignments.push({ scope: s, source: sourceOf(r, explicitScope !== undefined ? "scope" : "subscriptionId") });
  }
  delegation.assignments = assignments;
  return { kind: "onboarding", delegation };
}
