/**
 * The connection a partnerlink resource signs in with, as Pulumi inputs, and the helpers that keep its secrets
 * out of every message. The shape is arm/'s ArmConnection restricted to what can live in Pulumi state: credential
 * *options* (no TokenCredential object, no custom HttpClient).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ArmConnection, CredentialOptions } from "../arm/connection";

/** What a resource stores and passes to arm/: plain data, serializable into state (as a secret). */
export type ProviderConnection = Omit<ArmConnection, "credential" | "httpClient"> & { credential: CredentialOptions };

/** `T` with every member a `pulumi.Input` (distributes over unions, so each credential kind keeps its fields). */
export type Inputify<T> = T extends string | number | boolean | undefined | null
  ? T
  : T extends readonly (infer E)[]
    ? pulumi.Input<Inputify<E>>[]
    : { [K in keyof T]: pulumi.Input<Inputify<T[K]>> };

/** A connection as a resource argument; every field may be an Output (e.g. a secret from config). */
export type ProviderConnectionArgs = pulumi.Input<Inputify<ProviderConnection>>;

/**
 * `opts` with the connection argument `key` also kept secret in the outputs (`additionalSecretOutputs`); the input
 * itself is registered as `pulumi.secret(...)` by the resource.
 */
export function withSecretConnectionOutput(opts: pulumi.CustomResourceOptions | undefined, key: string): pulumi.CustomResourceOptions {
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), key] };
}

/** The secret strings a connection carries (never to be shown anywhere). */
export function connectionSecrets(conn: unknown): string[] {
  const c = (conn as { credential?: Record<string, unknown> } | undefined)?.credential;
  if (!c || typeof c !== "object") return [];
  const out: string[] = [];
  for (const key of ["clientSecret", "certificatePem"]) {
    const v = c[key];
    if (typeof v === "string" && v.length > 0) out.push(v);
  }
  return out;
}

/** Removes every secret (and each PEM body line, in case a PEM was re-wrapped) from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join("***");
    if (s.includes("-----BEGIN")) {
      for (const line of s.split(/\r?\n/)) {
        const l = line.trim();
        if (l.length >= 16 && !l.startsWith("-----")) out = out.split(l).join("***");
      }
    }
  }
  return out;
}

/**
 * The one way provider operations fail: a plain Error whose message names the resource and says what to do,
 * with every secret of the given connections removed. `partial` marks a partial create for the Pulumi engine
 * (the dynamic provider host turns `id` + `properties` into ErrorResourceInitFailed, so the resource is recorded).
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  /** Set on a partial create: the ID of what exists. */
  id?: string;
  /** Set on a partial create: the outputs of what exists. */
  properties?: Record<string, unknown>;
  reasons?: string[];
  constructor(message: string) {
    super(message);
  }
}

export function providerError(prefix: string, err: unknown, connections: readonly unknown[]): ProviderError {
  const secrets = connections.flatMap(connectionSecrets);
  const raw = err instanceof Error ? err.message : String(err);
  const e = new ProviderError(redact(`${prefix}: ${raw}`, secrets));
  // The stack repeats the message: rebuild it from the redacted one.
  e.stack = `${e.name}: ${e.message}`;
  return e;
}

/** A short description of who signs in, without any secret: "clientSecret app <clientId> in tenant <tenantId>". */
export function describeConnection(conn: unknown): string {
  const c = (conn as { credential?: Record<string, unknown> } | undefined)?.credential;
  if (!c || typeof c !== "object") return "a connection without credential";
  const parts = [String(c.kind ?? "unknown")];
  if (typeof c.clientId === "string") parts.push(`app ${c.clientId}`);
  if (typeof c.tenantId === "string") parts.push(`in tenant ${c.tenantId}`);
  return parts.join(" ");
}
