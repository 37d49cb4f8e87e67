/**
 * Values as the Node.js provider server (@pulumi/pulumi provider/server.js) hands them to a provider: secrets are
 * wrapped as `{ [specialSigKey]: specialSecretSig, value }` (the server tells the engine it accepts secrets), and
 * values unknown during preview are the engine's unknown sentinel. The operations work on plain values, so
 * inputs are unwrapped on the way in, and the connection is wrapped again on the way out.
 * Sentinels: @pulumi/pulumi runtime/rpc.ts (`specialSigKey`, `specialSecretSig`).
 */
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

function isSecretWrapper(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** The value with every secret wrapper replaced by what it wraps (at any depth). */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretWrapper(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrapSecrets(x);
    return out;
  }
  return v;
}

/** `v` marked secret for the engine (stored encrypted in state, shown as [secret]). */
export function secretValue(v: unknown): unknown {
  return isSecretWrapper(v) ? v : { [specialSigKey]: specialSecretSig, value: v };
}

/** A copy of `props` with the named members marked secret (members that are absent stay absent). */
export function withSecrets(props: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...props };
  for (const k of keys) if (out[k] !== undefined) out[k] = secretValue(out[k]);
  return out;
}
