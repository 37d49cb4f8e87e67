import { RestError, type PipelinePolicy, type PipelineRequest, type PipelineResponse, type SendRequest } from "@azure/core-rest-pipeline";

/** How long one ARM request of the audit may take, answer read to the end, before it is given up and retried. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * A pipeline policy (placed "perRetry", inside the SDK's retry policy) that gives up on a request with no complete answer
 * after `timeoutMs`: a connection that stalls (a dropped NAT mapping, a black-holed packet, a proxy that stops
 * forwarding) would otherwise hold the audit forever, since the SDK sets no timeout of its own. The request is aborted
 * and fails as ETIMEDOUT, a system error the SDK's exponential retry strategy retries like a dropped connection; after
 * the last retry the subscription is reported unreadable, with that error.
 *
 * The SDK's own `request.timeout` is no use here: it aborts with an AbortError, which the retry policy rethrows at
 * once. The caller's abort signal (Ctrl-C) still aborts as before, and is put back on the request before the retry
 * policy looks at it.
 */
export function requestTimeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: "partnerlinkRequestTimeout",
    async sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const onOuterAbort = () => controller.abort();
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener("abort", onOuterAbort, { once: true });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (err) {
        if (timedOut && !outer?.aborted) {
          throw new RestError(`no complete answer from ${new URL(request.url).host} within ${Math.round(timeoutMs / 1000)} s`, { code: "ETIMEDOUT", request });
        }
        throw err;
      } finally {
        clearTimeout(timer);
        request.abortSignal = outer;
        outer?.removeEventListener("abort", onOuterAbort);
      }
    },
  };
}
