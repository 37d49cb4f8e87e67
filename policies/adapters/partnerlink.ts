import { isUnresolved, unresolved, type Authorization, type Delegation, type Val } from "../../rules/model";
import type { Waiver } from "../../rules/config-types";
import { DEFAULT_PEC_ROLE_ID } from "../../rules/roles";
import {
  LIGHTHOUSE_ONBOARDING_TYPE,
  PARTNER_ADMIN_LINK_TYPE,
  PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE,
  PLUGIN_PARTNER_ADMIN_LINK_TYPE,
} from "../../provider/type-tokens";
import { ARM_SHAPE, definitionGuid, readAuthorizations, readEligibleAuthorizations, unknownAuthorization } from "./lighthouse";
import type { AdaptedResource, PulumiResource } from "./resource";
import { sourceOf } from "./resource";
import { LIGHTHOUSE_INPUT_NAMES } from "../../provider/lighthouse-inputs";
import { isPreviewUnknown, PREVIEW_UNKNOWN_REASON, PropReader } from "./unknowns";

/**
 * partnerlink's own resources (type tokens from provider/type-tokens.ts): the dynamic ones, and the same resources
 * served by the provider plugin (provider/plugin/), which have the same properties and are read the same way.
 */
export const PARTNERLINK_TYPES = {
  partnerAdminLink: PARTNER_ADMIN_LINK_TYPE,
  lighthouseOnboarding: LIGHTHOUSE_ONBOARDING_TYPE,
  pluginPartnerAdminLink: PLUGIN_PARTNER_ADMIN_LINK_TYPE,
  pluginLighthouseOnboarding: PLUGIN_LIGHTHOUSE_ONBOARDING_TYPE,
} as const;

/**
 * `PartnerAdminLink` (provider/partner-admin-link-ops.ts): input `partnerId`; `objectId` of the identity the link
 * belongs to (the one the `connection` signs in as): an input when the program states it (create refuses any other
 * identity), else an output, unknown at preview for a new link; output `tenantId`.
 */
export function adaptPartnerAdminLink(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const link: Extract<AdaptedResource, { kind: "partnerLink" }>["link"] = {
    name: r.name,
    source: sourceOf(r),
    partnerId: read.str(r.props, "partnerId") ?? "",
  };
  // Not stated: an output (the identity `connection` signs in as), unknown until apply; say so rather than "anyone".
  link.objectId =
    read.str(r.props, "objectId") ??
    unresolved("the object ID of the identity the link's connection signs in as, known after apply (state it with the objectId input)", "$.objectId");
  const tenantId = read.str(r.props, "tenantId");
  if (tenantId !== undefined) link.tenantId = tenantId;
  return { kind: "partnerLink", link };
}

/**
 * `LighthouseOnboarding` (provider/lighthouse-inputs.ts `LighthouseOnboardingInputs`): one registration definition
 * at `/subscriptions/{subscriptionId}` named `offerName`, managed by `managingTenantId`, assigned at the
 * subscription or at each of `resourceGroups[]`. Its permanent authorizations are `pecAuthorization` first
 * (role default Contributor, as provider/lighthouse-inputs.ts `effectiveAuthorizations` does) then
 * `authorizations[]`, in the ARM shape; `pecAuthorization.principalId` is the resource's PEC principal.
 */
export function adaptLighthouseOnboarding(r: PulumiResource): AdaptedResource {
  const read = new PropReader("$");
  const p = r.props;
  const delegation: Delegation = {
    name: r.name,
    // Findings name the resource's inputs (managingTenantId, subscriptionId), not the model's ARM names.
    source: { ...sourceOf(r), properties: LIGHTHOUSE_INPUT_NAMES },
    managedByTenantId: read.str(p, "managingTenantId") ?? "",
    assignments: [],
    authorizations: [],
    eligibleAuthorizations: readEligibleAuthorizations(r, p, "eligibleAuthorizations", "eligibleAuthorizations", ARM_SHAPE),
  };
  const name = read.str(p, "offerName");
  if (name !== undefined) delegation.registrationDefinitionName = name;
  const description = read.str(p, "offerDescription");
  if (description !== undefined) delegation.description = description;
  // Output: the definition's resource ID; the model holds its GUID.
  const definitionId = read.str(p, "definitionId");
  if (definitionId !== undefined) delegation.definitionId = definitionGuid(definitionId) ?? definitionId;

  // The PEC authorization, then the others.
  let pecPrincipal: Val<string> | undefined;
  const pec = read.obj(p, "pecAuthorization");
  if (isUnresolved(pec)) {
    delegation.authorizations.push(unknownAuthorization(r, "pecAuthorization", pec));
    pecPrincipal = pec;
  } else if (pec !== undefined) {
    const pr = new PropReader("$.pecAuthorization");
    pecPrincipal = pr.str(pec, "principalId") ?? "";
    const a: Authorization = {
      principalId: pecPrincipal,
      roleDefinitionId: pr.str(pec, "roleDefinitionId") ?? DEFAULT_PEC_ROLE_ID,
      source: sourceOf(r, "pecAuthorization"),
    };
    const display = pr.str(pec, "principalDisplayName");
    if (display !== undefined) a.principalIdDisplayName = display;
    delegation.authorizations.push(a);
  }
  delegation.authorizations.push(...readAuthorizations(r, p, "authorizations", "authorizations", ARM_SHAPE));

  const subscriptionId = read.str(p, "subscriptionId");
  const subScope: Val<string> | undefined =
    subscriptionId === undefined ? undefined : isUnresolved(subscriptionId) ? subscriptionId : `/subscriptions/${subscriptionId}`;
  if (subScope !== undefined) delegation.definitionScope = subScope;

  // The inputs as check() returned them: resourceGroups left out is [] there (normalizeInputs); an empty list as given
  // was refused by check() (rules/resource-groups.ts), so [] here is the subscription.
  const rgs = read.arr(p, "resourceGroups");
  if (isUnresolved(rgs)) {
    delegation.assignments.push({ scope: rgs, source: sourceOf(r, "resourceGroups") });
  } else if (rgs.length > 0) {
    rgs.forEach((g, i) => {
      const path = `$.resourceGroups[${i}]`;
      const v = isPreviewUnknown(g) ? unresolved(PREVIEW_UNKNOWN_REASON, path) : typeof g === "string" ? g : JSON.stringify(g ?? null);
      const scope: Val<string> = isUnresolved(v) ? v : subScope === undefined ? unresolved("no subscriptionId", "$.subscriptionId") : isUnresolved(subScope) ? subScope : `${subScope}/resourceGroups/${v}`;
      // The scope is the resource group it is made from: a finding on it points there.
      delegation.assignments.push({ scope, source: { ...sourceOf(r, path), properties: { scope: "" } } });
    });
  } else if (subScope !== undefined) {
    delegation.assignments.push({ scope: subScope, source: { ...sourceOf(r, "subscriptionId"), properties: { scope: "" } } });
  }
  const out: Extract<AdaptedResource, { kind: "onboarding" }> = { kind: "onboarding", delegation };
  if (pecPrincipal !== undefined) out.pecPrincipal = pecPrincipal;
  const waivers = inlineWaiversOf(r);
  if (waivers.length > 0) out.inlineWaivers = waivers;
  return out;
}

/**
 * `rulesConfig.waivers` of a LighthouseOnboarding: the waivers its provider applies in `check`
 * (provider/lighthouse-check.ts), applied by the pack too so both agree. They are inline waivers scoped to this
 * resource (`*` means this resource; a waiver naming another resource is not this resource's to give); the
 * findings stay reported as suppressed. Malformed entries are skipped (the provider's check rejects them).
 */
export function inlineWaiversOf(r: PulumiResource): Waiver[] {
  const cfg = r.props.rulesConfig;
  if (typeof cfg !== "object" || cfg === null || Array.isArray(cfg)) return [];
  const list = (cfg as Record<string, unknown>).waivers;
  if (!Array.isArray(list)) return [];
  const out: Waiver[] = [];
  for (const w of list) {
    if (typeof w !== "object" || w === null) continue;
    const { rule, resource, reason, expires } = w as Record<string, unknown>;
    if (typeof rule !== "string" || typeof resource !== "string" || typeof reason !== "string" || reason === "") continue;
    if (isPreviewUnknown(rule) || isPreviewUnknown(resource) || isPreviewUnknown(reason)) continue;
    if (resource !== "*" && resource !== r.name) continue;
    const waiver: Waiver = { rule, resource: r.name, reason };
    if (typeof expires === "string" && !isPreviewUnknown(expires)) waiver.expires = expires;
    out.push(waiver);
  }
  return out;
}
