/**
 * ARM list paging: `{"value": [...], "nextLink": "<absolute URL>"}` followed until nextLink is absent
 * (https://github.com/Azure/azure-rest-api-specs/blob/main/documentation/openapi-authoring-automated-guidelines.md, x-ms-pageable).
 */
import { armClient, checkSameOrigin, sendJson, type CallOptions } from "./client";
import type { ArmConnection } from "./connection";
import type { ErrorContext } from "./errors";
import { assertShape } from "./response-schema";

export function pageAll<T>(
  conn: ArmConnection,
  firstUrl: string,
  ctx: ErrorContext,
  options: CallOptions,
  convert: (item: unknown, where: string) => T,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const client = armClient(conn);
      let url: string | undefined = firstUrl;
      let page = 0;
      const seen = new Set<string>();
      while (url) {
        const res = await sendJson(conn, client, { method: "GET", url, abortSignal: options.abortSignal }, ctx);
        assertShape("page", res.body, ctx, `page ${page}`);
        const body = res.body as { value: unknown[]; nextLink?: string | null };
        for (let i = 0; i < body.value.length; i++) yield convert(body.value[i], `page ${page} $.value[${i}]`);
        const next: string | undefined = body.nextLink ?? undefined;
        if (next && seen.has(next)) break; // a server repeating a nextLink would loop forever
        if (next) checkSameOrigin(conn, next, ctx);
        if (next) seen.add(next);
        url = next;
        page++;
      }
    },
  };
}
