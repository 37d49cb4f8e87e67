/** Subscriptions visible to the caller (GET /subscriptions, Microsoft.Resources subscriptions api-version 2022-12-01). */
import type { CallOptions } from "./client";
import type { ArmConnection } from "./connection";
import { pageAll } from "./paging";
import { assertShape } from "./response-schema";

export const SUBSCRIPTIONS_API_VERSION = "2022-12-01";

export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
  /** The subscription's home (customer) tenant. */
  tenantId: string;
  /** Tenants managing it through Azure Lighthouse. */
  managedByTenants: string[];
  /** Enabled | Warned | PastDue | Disabled | Deleted */
  state: string;
}

export function listSubscriptions(conn: ArmConnection, options: CallOptions = {}): AsyncIterable<SubscriptionInfo> {
  const ctx = { operation: "listSubscriptions", target: "/subscriptions" };
  return pageAll(conn, `/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`, ctx, options, (item, where) => {
    assertShape("subscription", item, ctx, where);
    const s = item as { subscriptionId: string; displayName?: string; tenantId?: string; state?: string; managedByTenants?: { tenantId?: string }[] };
    return {
      subscriptionId: s.subscriptionId,
      displayName: s.displayName ?? "",
      tenantId: s.tenantId ?? "",
      managedByTenants: (s.managedByTenants ?? []).map((m) => m.tenantId).filter((t): t is string => typeof t === "string"),
      state: s.state ?? "",
    };
  });
}
