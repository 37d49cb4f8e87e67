/**
 * Access tokens the emulator issues (HS256 JWTs signed with a per-run secret, carrying tid, oid, appid,
 * exp like Entra ID's) and the client assertions it accepts at the token endpoint:
 * - client certificate (RFC 7523 as MSAL builds it: RS256 with `x5t` or PS256 with `x5t#S256`), verified
 *   against the certificate registered on the service principal in the seed;
 * - workload identity federation: an RS256/PS256 JWT from an issuer registered on the principal
 *   (`federatedCredentials`: issuer, subject, audience, public key), verified with that key.
 */
import { X509Certificate, constants, createHash, createHmac, createPublicKey, createVerify, timingSafeEqual, type KeyObject } from "node:crypto";

export interface AccessClaims {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  sub: string;
  appid?: string;
  idtyp: "app" | "user";
  iat: number;
  nbf: number;
  exp: number;
  name?: string;
}

function b64url(buf: Buffer | string): string {
  return Buffer.from(buf).toString("base64url");
}

export function signAccessToken(secret: Buffer, claims: AccessClaims): string {
  const head = b64url(JSON.stringify({ typ: "JWT", alg: "HS256", kid: "partnerlink-emulator" }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac("sha256", secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

export type TokenCheck = { ok: true; claims: AccessClaims } | { ok: false; code: "InvalidAuthenticationToken" | "ExpiredAuthenticationToken"; message: string };

/** Verifies an access token this emulator issued (signature, expiry). */
export function verifyAccessToken(secret: Buffer, token: string, nowSeconds = Math.floor(Date.now() / 1000)): TokenCheck {
  const parts = token.split(".");
  const invalid: TokenCheck = { ok: false, code: "InvalidAuthenticationToken", message: "The access token is invalid." };
  if (parts.length !== 3) return invalid;
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, "base64url");
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return invalid;
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as AccessClaims;
  } catch {
    return invalid;
  }
  if (typeof claims.exp !== "number" || claims.exp < nowSeconds)
    return { ok: false, code: "ExpiredAuthenticationToken", message: "The access token expiry UTC time is earlier than current UTC time." };
  return { ok: true, claims };
}

interface Jwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

export function decodeJwt(token: string): Jwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, "base64url"),
    };
  } catch {
    return undefined;
  }
}

/** RS256 / PS256 signature check (PS256 as JWS: RSA-PSS, SHA-256, MGF1-SHA-256). */
export function verifyRsaJwt(jwt: Jwt, key: KeyObject): boolean {
  const alg = jwt.header.alg;
  if (alg !== "RS256" && alg !== "PS256") return false;
  const v = createVerify("RSA-SHA256");
  v.update(jwt.signingInput);
  try {
    return alg === "RS256"
      ? v.verify(key, jwt.signature)
      : v.verify({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, jwt.signature);
  } catch {
    return false;
  }
}

/** Why a client assertion was refused (AADSTS wording), or undefined when it is good. */
export function checkCertificateAssertion(jwt: Jwt, certificatePem: string, clientId: string, nowSeconds: number): string | undefined {
  const cert = new X509Certificate(certificatePem);
  const der = cert.raw;
  const x5t = createHash("sha1").update(der).digest("base64url");
  const x5t256 = createHash("sha256").update(der).digest("base64url");
  const hdrT = jwt.header["x5t"];
  const hdrT256 = jwt.header["x5t#S256"];
  if ((hdrT !== undefined && hdrT !== x5t) || (hdrT256 !== undefined && hdrT256 !== x5t256) || (hdrT === undefined && hdrT256 === undefined))
    return "AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.";
  if (!verifyRsaJwt(jwt, cert.publicKey)) return "AADSTS700027: Client assertion failed signature validation.";
  return checkTimesAndSubject(jwt, clientId, nowSeconds);
}

function checkTimesAndSubject(jwt: Jwt, clientId: string, nowSeconds: number): string | undefined {
  const p = jwt.payload;
  if (typeof p.exp !== "number" || p.exp < nowSeconds - 300) return "AADSTS700024: Client assertion is not within its valid time range.";
  if (typeof p.nbf === "number" && p.nbf > nowSeconds + 300) return "AADSTS700024: Client assertion is not within its valid time range.";
  if (String(p.sub ?? "").toLowerCase() !== clientId.toLowerCase() || String(p.iss ?? "").toLowerCase() !== clientId.toLowerCase())
    return "AADSTS700021: Client assertion application identifier doesn't match 'client_id' parameter.";
  return undefined;
}

/** Workload identity federation: the assertion's iss/sub/aud must match a registered credential and verify with its key. */
export function checkFederatedAssertion(
  jwt: Jwt,
  credentials: { issuer: string; subject: string; audience?: string; publicKeyPem: string }[],
  nowSeconds: number,
): string | undefined {
  const p = jwt.payload;
  const cred = credentials.find((c) => c.issuer === p.iss && c.subject === p.sub);
  if (!cred)
    return `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${String(p.iss)}'. Assertion Subject: '${String(p.sub)}'.`;
  const aud = cred.audience ?? "api://AzureADTokenExchange";
  const auds = Array.isArray(p.aud) ? p.aud : [p.aud];
  if (!auds.includes(aud)) return `AADSTS700212: No matching federated identity record found for presented assertion audience '${String(p.aud)}'.`;
  if (!verifyRsaJwt(jwt, createPublicKey(cred.publicKeyPem))) return "AADSTS700211: The assertion signature could not be verified.";
  if (typeof p.exp !== "number" || p.exp < nowSeconds) return "AADSTS700024: Client assertion is not within its valid time range.";
  return undefined;
}
