import * as https from "node:https";
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
  if (conn.caCertificatePem) options.agent = trustingAgent(conn.caCertificatePem);
  if (conn.httpClient) options.httpClient = conn.httpClient;
  return options;
}

/** Pipeline settings for ARM clients: the shared ones plus the connection's extra policies (not for token calls). */
export function armPipelineOptions(conn: ArmConnection): CommonClientOptions {
  const options = pipelineOptions(conn);
  return conn.additionalPolicies?.length ? { ...options, additionalPolicies: conn.additionalPolicies } : options;
}

/**
 * An https agent that trusts Node's roots plus one extra CA, shared by every client built for that CA (keep-alive).
 *
 * Why not the pipeline's `tlsOptions: {ca}`: Node's https Agent names its connection pools with `getName()`, which
 * concatenates every TLS option, `ca` included, on EACH request (three times: addRequest, the pool lookup and
 * removeSocket). With Node's ~140 root certificates plus the extra CA that is ~200 KB of string work per request:
 * 17% of the audit's CPU in bench/audit before this agent. Its pools are named by host, port and servername, which is
 * all that varies for one CA.
 */
class ExtraCaAgent extends https.Agent {
  override getName(options?: https.RequestOptions & { servername?: string }): string {
    return `${options?.host ?? "localhost"}:${options?.port ?? ""}:${options?.localAddress ?? ""}:${options?.servername ?? ""}`;
  }
}

const agents = new Map<string, https.Agent>();

function trustingAgent(caPem: string): https.Agent {
  let agent = agents.get(caPem);
  if (!agent) {
    agent = new ExtraCaAgent({ keepAlive: true, ca: [...tls.rootCertificates, caPem] });
    agents.set(caPem, agent);
  }
  return agent;
}

function userAgent(conn: ArmConnection): string {
  return conn.userAgentSuffix ? `partnerlink ${conn.userAgentSuffix}` : "partnerlink";
}
