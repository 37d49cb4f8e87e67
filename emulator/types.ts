/**
 * Public types of the local ARM emulator (see emulator/README.md). Kept apart from the server so that
 * clients, the CLI and tests can import them without starting anything.
 */
import type { EmulatorState } from "./state";

export type PrincipalKind = "User" | "Group" | "ServicePrincipal";

/** A federated identity credential (workload identity federation) registered on a service principal. */
export interface SeedFederatedCredential {
  /** `iss` the external token must carry, e.g. `https://token.actions.githubusercontent.com`. */
  issuer: string;
  /** `sub` the external token must carry, e.g. `repo:contoso/infra:ref:refs/heads/main`. */
  subject: string;
  /** Accepted `aud`; default `api://AzureADTokenExchange`. */
  audience?: string;
  /** PEM public key (or certificate) of the issuer: the emulator does not fetch JWKS. */
  publicKeyPem: string;
}

export interface SeedPrincipal {
  objectId: string;
  tenantId: string;
  type: PrincipalKind;
  displayName: string;
  /** Client ID of a service principal (what `client_id` carries at sign-in). */
  appId?: string;
  clientSecret?: string;
  /** Public certificate (PEM) for client-certificate sign-in. */
  certificatePem?: string;
  federatedCredentials?: SeedFederatedCredential[];
  /** Object IDs of the groups this principal belongs to. */
  memberOf?: string[];
}

export interface SeedSubscription {
  subscriptionId: string;
  tenantId: string;
  displayName: string;
  /** Object IDs (users, groups, service principals) holding Owner on the subscription. */
  owners: string[];
  resourceGroups?: string[];
  agreement?: "EA" | "MCA" | "CSP";
}

/** A published Lighthouse managed-service offer (what Partner Center publishes to the marketplace). */
export interface SeedMarketplaceOffer {
  plan: { publisher: string; product: string; name: string; version: string };
  offerDisplayName?: string;
  publisherDisplayName?: string;
  planDisplayName?: string;
  managedByTenantId: string;
  authorizations: Record<string, unknown>[];
  eligibleAuthorizations?: Record<string, unknown>[];
}

export interface EmulatorSeed {
  tenants: { tenantId: string; displayName: string }[];
  principals: SeedPrincipal[];
  subscriptions: SeedSubscription[];
  /** Optional partner directory: the `partnerName` PAL answers carry for a partner ID. */
  partners?: { partnerId: string; partnerName: string }[];
  /** Optional marketplace catalog served by marketplaceRegistrationDefinitions. */
  marketplaceOffers?: SeedMarketplaceOffer[];
}

export type FaultKind = "429" | "500" | "503" | "drop" | "slow" | "lro-failed";

/**
 * One fault rule. A request matches when its method and path match; then the rule fires by
 * `firstN` (the first N matches), `everyNth` (matches N, 2N, ...) or `probability` (seeded PRNG).
 * With none of the three it fires on every match.
 */
export interface FaultRule {
  /** Regex (case-insensitive) over the HTTP method; default any. */
  method?: string;
  /** Regex (case-insensitive) over the path including the query string; default any. */
  path?: string;
  kind: FaultKind;
  probability?: number;
  everyNth?: number;
  firstN?: number;
  /** 429: Retry-After seconds (default 1); 503: Retry-After seconds (none when not given). */
  retryAfterSeconds?: number;
  /** slow: delay before the normal answer (default 1000). */
  delayMs?: number;
  /** Seed of this rule's PRNG (default 1): the same seed, the same decisions. */
  seed?: number;
}

export interface ThrottleOptions {
  readsBurst: number;
  readsPerSecond: number;
  writesBurst: number;
  writesPerSecond: number;
}

export interface EmulatorOptions {
  /** 0 / undefined: a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Object or path to a JSON seed file (validated against emulator/seed.schema.json). Default: emulator/seeds/demo.json. */
  seed?: EmulatorSeed | string;
  /** Optional JSON persistence: loaded at start when the file exists, saved atomically after each write. */
  statePath?: string;
  faults?: FaultRule[];
  /** ARM token buckets; default Azure's numbers (reads 250 burst / 25 per s; writes 200 / 10 per s, per principal). */
  throttle?: ThrottleOptions | false;
  latencyMs?: number | { min: number; max: number };
  /** How assignment create/delete LROs behave: polls answered Running before Succeeded, Retry-After seconds. */
  lro?: { pollsUntilDone?: number; retryAfterSeconds?: number };
  /** Page size of list operations (nextLink paging); default 100. */
  pageSize?: number;
  /** One readable line per request; default off programmatically (the CLI passes stderr). */
  log?: ((line: string) => void) | false;
}

export interface EmulatorStats {
  requests: number;
  faultsInjected: number;
  throttled: number;
}

export interface RunningEmulator {
  /** https://127.0.0.1:PORT: the ARM endpoint AND the authority host. */
  url: string;
  port: number;
  /** The CA that signed the server certificate (pipeline `tlsOptions.ca`, or NODE_EXTRA_CA_CERTS). */
  caCertPem: string;
  /** The same, written to a file (for NODE_EXTRA_CA_CERTS in child processes). */
  caCertPath: string;
  state: EmulatorState;
  setFaults(rules: FaultRule[]): void;
  stats(): EmulatorStats;
  /**
   * A bearer token (audience https://management.azure.com, one hour) for a seeded user or service principal:
   * users cannot sign in through the token endpoint here, so tests and the demo use this. Groups: throws.
   */
  tokenFor(objectId: string): string;
  stop(): Promise<void>;
}
