/** What a route handler gets and returns (the server turns it into an HTTP answer). */
import type { AccessClaims } from "./tokens";
import type { EmulatorState } from "./state";

export interface EmuRequest {
  method: string;
  /** Path with duplicate slashes collapsed, no query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  /** The emulator's base URL (https://127.0.0.1:PORT). */
  baseUrl: string;
}

export interface EmuResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An ARM request whose bearer token was verified. */
export interface ArmRequest extends EmuRequest {
  caller: AccessClaims;
  state: EmulatorState;
  /** Page size of list operations. */
  pageSize: number;
  lro: { pollsUntilDone: number; retryAfterSeconds: number };
  /** Set by the fault layer: the LRO this request starts must end Failed. */
  failLro: boolean;
}
