/**
 * GET /subscriptions and GET /subscriptions/{id} (Microsoft.Resources, api-versions as @azure/arm-resources
 * and the SDKs send them) as the CALLER's tenant sees them: home-tenant subscriptions where the caller
 * holds a role (Owner, directly or through a group; the seed knows no other roles) plus subscriptions
 * delegated to the caller's tenant where an assignment authorizes the caller. `managedByTenants` lists
 * the tenants holding a (non-failed) assignment in the subscription, like ARM.
 * Shape: azure-rest-api-specs specification/resources/.../subscriptions/stable/2022-12-01 (Subscription).
 */
import { requireApiVersion } from "./api-version";
import { ArmError } from "./errors";
import type { ArmRequest, EmuResponse } from "./request";
import type { SeedSubscription } from "./types";

export const SUBSCRIPTIONS_API_VERSIONS = ["2022-12-01", "2021-01-01", "2020-01-01", "2019-11-01", "2019-06-01", "2016-06-01"] as const;

function visible(req: ArmRequest, s: SeedSubscription): boolean {
  const { tid, oid } = req.caller;
  if (tid.toLowerCase() === s.tenantId.toLowerCase()) return req.state.isOwner(oid, s.subscriptionId);
  return req.state.delegationsFor(tid, oid, s.subscriptionId).length > 0;
}

function subscriptionResponse(req: ArmRequest, s: SeedSubscription): Record<string, unknown> {
  const managedBy = new Set<string>();
  for (const a of req.state.listAssignments(s.subscriptionId)) {
    if (a.provisioningState === "Failed") continue;
    const d = req.state.getDefinition(a.registrationDefinitionId);
    if (d) managedBy.add(String(d.properties.managedByTenantId).toLowerCase());
  }
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: [...managedBy].map((tenantId) => ({ tenantId })),
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: s.agreement === "EA" ? "EnterpriseAgreement_2014-09-01" : s.agreement === "CSP" ? "CSP_2015-05-01" : "PayAsYouGo_2014-09-01",
      spendingLimit: "Off",
    },
  };
}

export function matchSubscriptions(path: string): { subscriptionId?: string } | undefined {
  const m = /^\/subscriptions(?:\/([^/]+))?\/?$/i.exec(path);
  if (!m) return undefined;
  return m[1] ? { subscriptionId: decodeURIComponent(m[1]) } : {};
}

/** The subscriptions a caller sees, cached per state revision: paging through 10,000 must not recompute per page. */
const visibleCache = new WeakMap<object, Map<string, { revision: number; subs: SeedSubscription[] }>>();

function visibleSubscriptions(req: ArmRequest): SeedSubscription[] {
  let perState = visibleCache.get(req.state);
  if (!perState) visibleCache.set(req.state, (perState = new Map()));
  const k = `${req.caller.tid}|${req.caller.oid}`.toLowerCase();
  const hit = perState.get(k);
  if (hit && hit.revision === req.state.revision) return hit.subs;
  const subs = req.state.subscriptions().filter((s) => visible(req, s));
  perState.set(k, { revision: req.state.revision, subs });
  return subs;
}

export function handleSubscriptions(req: ArmRequest, subscriptionId: string | undefined): EmuResponse {
  requireApiVersion(req, "subscriptions", SUBSCRIPTIONS_API_VERSIONS);
  if (req.method !== "GET") throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed on '${req.path}'.`);
  if (subscriptionId === undefined) {
    const all = visibleSubscriptions(req);
    const skip = Math.max(0, Number(req.query.get("$skipToken") ?? 0) || 0);
    const value = all.slice(skip, skip + req.pageSize).map((s) => subscriptionResponse(req, s));
    if (skip + req.pageSize >= all.length) return { status: 200, body: { value } };
    const q = new URLSearchParams(req.query);
    q.set("$skipToken", String(skip + req.pageSize));
    return { status: 200, body: { value, nextLink: `${req.baseUrl}${req.path}?${q.toString()}` } };
  }
  const s = req.state.subscription(subscriptionId);
  if (!s || !visible(req, s)) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${subscriptionId}' could not be found.`);
  return { status: 200, body: subscriptionResponse(req, s) };
}
