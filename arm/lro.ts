/**
 * Long-running ARM operations through @azure/core-lro's createHttpPoller, with an LroResponse adapter over the
 * ServiceClient pipeline. core-lro follows Azure-AsyncOperation / Operation-Location / Location and honours
 * Retry-After (core-lro src/http/operation.ts parseRetryAfter); `updateIntervalInMs`, when given, takes precedence
 * over Retry-After (for tests and impatient callers).
 */
import { createHttpPoller, type OperationResponse, type OperationState, type ResourceLocationConfig } from "@azure/core-lro";
import type { ServiceClient } from "@azure/core-client";
import { checkSameOrigin, sendJson, type JsonResponse } from "./client";
import type { ArmConnection } from "./connection";
import { armErrorFromOperation, type ErrorContext } from "./errors";

export interface LroOptions {
  abortSignal?: AbortSignal;
  /** Poll interval; overrides Retry-After when set. */
  updateIntervalInMs?: number;
  /** Called after each poll with the operation's status. */
  onProgress?: (progress: { status: string }) => void;
}

export async function runLro<T>(
  conn: ArmConnection,
  client: ServiceClient,
  initial: { method: "PUT" | "DELETE" | "POST" | "PATCH"; url: string; body?: unknown },
  ctx: ErrorContext,
  options: LroOptions,
  processResult: (finalBody: unknown, initialBody: unknown) => T,
  resourceLocationConfig?: ResourceLocationConfig,
): Promise<T> {
  let initialBody: unknown;
  let lastBody: unknown;
  const adapt = (res: JsonResponse, method: string, url: string): OperationResponse<unknown> => {
    const headers = { ...res.headers };
    if (options.updateIntervalInMs !== undefined) delete headers["retry-after"];
    lastBody = res.body;
    return { flatResponse: res.body, rawResponse: { statusCode: res.status, request: { method, url: res.raw.request.url ?? url }, headers, body: res.body } };
  };
  const poller = createHttpPoller<T, OperationState<T>>(
    {
      sendInitialRequest: async () => {
        const res = await sendJson(conn, client, { ...initial, abortSignal: options.abortSignal }, ctx);
        initialBody = res.body;
        return adapt(res, initial.method, initial.url);
      },
      sendPollRequest: async (path, pollOptions) => {
        checkSameOrigin(conn, path, ctx);
        const res = await sendJson(conn, client, { method: "GET", url: path, abortSignal: (pollOptions?.abortSignal as AbortSignal | undefined) ?? options.abortSignal }, ctx);
        return adapt(res, "GET", path);
      },
    },
    {
      intervalInMs: options.updateIntervalInMs,
      resourceLocationConfig,
      resolveOnUnsuccessful: true,
      // With resolveOnUnsuccessful, core-lro also hands a Failed/Canceled status body here: only convert success.
      processResult: async (result: unknown, state: OperationState<T>) =>
        state.status === "failed" || state.status === "canceled" ? (undefined as T) : processResult(result, initialBody),
    },
  );
  if (options.onProgress) {
    const cb = options.onProgress;
    poller.onProgress((state) => cb({ status: state.status }));
  }
  const result = await poller.pollUntilDone({ abortSignal: options.abortSignal });
  const state = poller.operationState;
  if (state?.status === "failed" || state?.status === "canceled") {
    const body = lastBody as { error?: unknown; status?: unknown } | undefined;
    const statusBody =
      body && typeof body === "object" && body.error
        ? { error: body.error }
        : { error: { code: state.status === "failed" ? "OperationFailed" : "OperationCanceled", message: `the operation ended ${String(body?.status ?? state.status)}` } };
    throw armErrorFromOperation(statusBody, ctx);
  }
  return result as T;
}
