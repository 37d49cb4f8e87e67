import type { PipelinePolicy, PipelineRequest, PipelineResponse, SendRequest } from "@azure/core-rest-pipeline";
import { BucketSet } from "./token-bucket";

/**
 * A pipeline policy (placed "perRetry", so every retry also draws a token) that waits for a token from the
 * ARM bucket the request draws on before sending it, and lowers the bucket to what ARM says remains
 * (`x-ms-ratelimit-remaining-subscription-reads|writes`, `x-ms-ratelimit-remaining-tenant-reads|writes`).
 * 429 and Retry-After stay the SDK's throttlingRetryPolicy's job.
 */
export function armRateLimitPolicy(buckets: BucketSet): PipelinePolicy {
  return {
    name: "partnerlinkArmRateLimit",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const { kind, scope } = bucketOf(request);
      const bucket = buckets.get(kind, scope);
      await bucket.take();
      const response = await next(request);
      const level = scope === "tenant" ? "tenant" : "subscription";
      const header = response.headers.get(`x-ms-ratelimit-remaining-${level}-${kind === "read" ? "reads" : "writes"}`);
      if (header !== undefined) bucket.observeRemaining(Number(header));
      return response;
    },
  };
}

const SUBSCRIPTION_PATH = /^\/subscriptions\/([0-9a-fA-F-]{36})(?:\/|$)/;

/** Which bucket a request draws on: reads vs writes, one subscription's bucket or the tenant's. */
export function bucketOf(request: Pick<PipelineRequest, "method" | "url">): { kind: "read" | "write"; scope: string } {
  const kind = request.method === "GET" || request.method === "HEAD" ? "read" : "write";
  let path = "/";
  try {
    path = new URL(request.url).pathname;
  } catch {
    /* a relative or malformed URL draws on the tenant bucket */
  }
  const m = SUBSCRIPTION_PATH.exec(path);
  // Token requests go to the authority, not ARM; they draw on no ARM bucket but sharing "tenant" is harmless.
  return { kind, scope: m ? m[1].toLowerCase() : "tenant" };
}
