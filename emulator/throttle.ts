/**
 * ARM request throttling: token buckets per principal, per subscription (or the tenant for tenant-level
 * calls), per kind (reads / writes / deletes). Azure's numbers (learn.microsoft.com, "Understand how
 * Azure Resource Manager throttles requests", token bucket algorithm): reads 250 burst refilled 25 per
 * second; writes and deletes 200 burst refilled 10 per second. Every answer carries
 * x-ms-ratelimit-remaining-subscription-{reads|writes|deletes} or x-ms-ratelimit-remaining-tenant-{reads|writes}
 * (ARM has no tenant deletes bucket: a tenant-level DELETE is a write); an empty bucket answers 429.
 */
import type { ThrottleOptions } from "./types";

export const AZURE_THROTTLE: ThrottleOptions = { readsBurst: 250, readsPerSecond: 25, writesBurst: 200, writesPerSecond: 10 };

interface Bucket {
  tokens: number;
  at: number;
}

export type ThrottleVerdict = { ok: true; header: string; remaining: number } | { ok: false; header: string; retryAfterSeconds: number };

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly opts: ThrottleOptions) {}

  take(principal: string, subscriptionId: string | undefined, method: string, now = Date.now()): ThrottleVerdict {
    const level = subscriptionId ? "subscription" : "tenant";
    // Deletes have their own bucket per subscription only: tenant-level DELETEs draw on the tenant's WRITES
    // bucket and answer x-ms-ratelimit-remaining-tenant-writes. Recorded: every PAL DELETE in
    // ../shared/azure-contract (Azure__azure-powershell .../ManagementPartnerTests/TestRemoveParnter.json: PUT
    // tenant-writes 1199, then DELETE tenant-writes 1198, the same counter; likewise TestNewParnter.json,
    // TestUpdateParnter.json, TestGetPartner.json, TestGetPartnerNoParnterId.json and the Azure CLI
    // test_*_managementpartner.yaml recordings), while Lighthouse DELETEs under /subscriptions answer
    // x-ms-ratelimit-remaining-subscription-deletes (ManagedServices_CRUD.json, test_managedservices_commands.yaml).
    const kind = method === "GET" || method === "HEAD" ? "reads" : method === "DELETE" && level === "subscription" ? "deletes" : "writes";
    const header = `x-ms-ratelimit-remaining-${level}-${kind}`;
    const burst = kind === "reads" ? this.opts.readsBurst : this.opts.writesBurst;
    const rate = kind === "reads" ? this.opts.readsPerSecond : this.opts.writesPerSecond;
    const key = `${principal.toLowerCase()}|${(subscriptionId ?? "tenant").toLowerCase()}|${kind}`;
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return { ok: false, header, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate)) };
    b.tokens -= 1;
    return { ok: true, header, remaining: Math.floor(b.tokens) };
  }
}
