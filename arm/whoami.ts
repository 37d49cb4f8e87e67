import { resolveEndpoints, type ArmConnection } from "./connection";
import { createCredential } from "./credentials";
import type { CallerIdentity } from "./errors";

/**
 * Who the connection signs in as: tenant, object and app IDs decoded from the ARM access token's claims
 * (`tid`, `oid`, `appid`/`azp`; https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * The token itself is never returned, logged or kept. Errors are raw here; `whoAmI` in index maps them.
 */
export async function callerIdentity(conn: ArmConnection, options: { abortSignal?: AbortSignal } = {}): Promise<CallerIdentity> {
  const ep = resolveEndpoints(conn);
  const token = await createCredential(conn).getToken(ep.scope, { abortSignal: options.abortSignal });
  if (!token) throw new Error("the credential returned no access token");
  return identityFromToken(token.token);
}

/** Decode (not verify) a JWT access token's caller claims. */
export function identityFromToken(jwt: string): CallerIdentity {
  const parts = jwt.split(".");
  let claims: Record<string, unknown> = {};
  if (parts.length >= 2) {
    try {
      claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
    } catch {
      claims = {};
    }
  }
  const tenantId = typeof claims.tid === "string" ? claims.tid : undefined;
  const objectId = typeof claims.oid === "string" ? claims.oid : undefined;
  if (!tenantId || !objectId) {
    throw new Error("the access token carries no tid/oid claims: the credential did not return an Entra ID access token");
  }
  // In a user's token appid/azp name the client application (e.g. the Azure CLI), not the caller: report an appId
  // only for app-only tokens (idtyp "app", or no delegated-user claims when idtyp is absent).
  const userToken = claims.idtyp === "user" || (claims.idtyp === undefined && (typeof claims.scp === "string" || typeof claims.upn === "string" || typeof claims.unique_name === "string"));
  const clientId = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : undefined;
  const appId = userToken ? undefined : clientId;
  return appId ? { tenantId, objectId, appId } : { tenantId, objectId };
}
