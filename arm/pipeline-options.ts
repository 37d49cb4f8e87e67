import * as tls from "node:tls";
import type { CommonClientOptions } from "@azure/core-client";
import type { ArmConnection } from "./connection";

/**
 * The Azure SDK pipeline settings shared by the credential and every ARM client built from one connection:
 * retry (the SDK's own exponential + throttling policies, configured here, never re-implemented),
 * TLS trust, transport and User-Agent.
 *
 * `tlsOptions.ca` REPLACES Node's root store for that agent, so the extra CA is appended to
 * `tls.rootCertificates` (https://nodejs.org/api/tls.html#tlscreatesecurecontextoptions).
 */
export function pipelineOptions(conn: ArmConnection): CommonClientOptions {
  const options: CommonClientOptions = {
    retryOptions: {
      maxRetries: conn.retry?.maxRetries,
      maxRetryDelayInMs: conn.retry?.maxRetryDelayMs,
      retryDelayInMs: conn.retry?.retryDelayMs,
    },
    userAgentOptions: { userAgentPrefix: userAgent(conn) },
  };
  if (conn.caCertificatePem) {
    options.tlsOptions = { ca: [...tls.rootCertificates, conn.caCertificatePem] } as CommonClientOptions["tlsOptions"];
  }
  if (conn.httpClient) options.httpClient = conn.httpClient;
  return options;
}

/** Pipeline settings for ARM clients: the shared ones plus the connection's extra policies (not for token calls). */
export function armPipelineOptions(conn: ArmConnection): CommonClientOptions {
  const options = pipelineOptions(conn);
  return conn.additionalPolicies?.length ? { ...options, additionalPolicies: conn.additionalPolicies } : options;
}

function userAgent(conn: ArmConnection): string {
  return conn.userAgentSuffix ? `partnerlink ${conn.userAgentSuffix}` : "partnerlink";
}
