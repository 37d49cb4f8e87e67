/**
 * Azure failures are mapped to ArmError here, ONCE, at the edge of the ARM layer. Every message says what to do.
 * No message ever carries a secret or a token: Azure's own text is passed through `redact` first.
 *
 * Error body shapes: ARM common error `{"error":{"code","message","details"}}`; ManagementPartner 2018-02-01 also
 * repeats `code`/`message` at the top level (specification/managementpartner/.../2018-02-01/ManagementPartner.json,
 * definition "Error"). Network failures arrive as RestError with the Node error code (ECONNREFUSED, TLS codes).
 */
import { RestError } from "@azure/core-rest-pipeline";

/** Who made the call, when known (decoded from the access token; never the token itself). */
export interface CallerIdentity {
  tenantId: string;
  objectId: string;
  appId?: string;
}

/** What the failing call was about: it goes into the message and the error's fields. */
export interface ErrorContext {
  /** The ARM-layer function, e.g. "createRegistrationAssignment". */
  operation: string;
  /** The resource path or partner ID the call targeted. */
  target?: string;
  subscriptionId?: string;
  /** The partner ID the caller is already linked to (PAL conflicts). */
  linkedPartnerId?: string;
  identity?: CallerIdentity;
  /** ARM host, for network/TLS messages. */
  host?: string;
  /** The retry budget that was exhausted (throttling). */
  maxRetries?: number;
  /** Strings that must never appear in a message (client secret, certificate PEM). */
  secrets?: string[];
  /** How the caller's user names the connection's settings (ArmConnection.settingNames). */
  settingNames?: { caCertificatePem?: string; retry?: string };
}

/** ", or raise <the retry setting>", unless the caller offers none. */
function raiseRetries(ctx: ErrorContext): string {
  const name = ctx.settingNames?.retry ?? "retry.maxRetries";
  return name === "" ? "" : `, or raise ${name}`;
}

export type ArmErrorKind =
  | "authorization"
  | "authentication"
  | "alreadyLinked"
  | "notLinked"
  | "notFound"
  | "conflict"
  | "role"
  | "invalidScope"
  | "invalidPrincipal"
  | "badRequest"
  | "throttled"
  | "unavailable"
  | "network"
  | "tls"
  | "operationFailed"
  | "invalidInput"
  | "aborted"
  | "unknown";

export class ArmError extends Error {
  override readonly name = "ArmError";
  readonly kind: ArmErrorKind;
  readonly statusCode?: number;
  /** Azure's error code (AuthorizationFailed, Conflict, ...) or the Node network code. */
  readonly code?: string;
  readonly operation: string;
  readonly target?: string;
  /** x-ms-request-id / x-ms-correlation-request-id, for a support ticket. */
  readonly requestId?: string;
  /** Azure's own message, redacted. */
  readonly azureMessage?: string;

  constructor(
    message: string,
    init: { kind: ArmErrorKind; operation: string; statusCode?: number; code?: string; target?: string; requestId?: string; azureMessage?: string },
  ) {
    super(message);
    this.kind = init.kind;
    this.operation = init.operation;
    this.statusCode = init.statusCode;
    this.code = init.code;
    this.target = init.target;
    this.requestId = init.requestId;
    this.azureMessage = init.azureMessage;
  }
}

/** A caller mistake caught before any request is sent. */
export function invalidInput(operation: string, target: string | undefined, text: string): ArmError {
  return new ArmError(`${operation}${target ? ` ${target}` : ""}: ${text}`, { kind: "invalidInput", operation, target });
}

/** The raw facts of a failure, whatever threw it. */
export interface FailureFacts {
  /** The failure is a long-running operation's terminal Failed/Canceled status, not an HTTP answer. */
  fromOperation?: boolean;
  statusCode?: number;
  code?: string;
  message?: string;
  requestId?: string;
  /** identity's AuthenticationError / CredentialUnavailableError */
  credentialError?: "authentication" | "unavailable";
}

const TLS_TRUST_CODES = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "ESOCKETTIMEDOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "REQUEST_SEND_ERROR"]);

/** Pull code/message out of an ARM error body (either shape). */
export function parseErrorBody(body: unknown): { code?: string; message?: string } {
  let b = body;
  if (typeof body === "string") {
    try {
      b = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : {};
    }
  }
  if (!b || typeof b !== "object") return {};
  const o = b as Record<string, unknown>;
  const inner = o.error && typeof o.error === "object" ? (o.error as Record<string, unknown>) : undefined;
  const code = str(inner?.code) ?? str(o.code);
  const message = str(inner?.message) ?? str(o.message);
  return { code, message };
}

/** Facts from anything thrown by the SDK, identity or core-lro. */
export function failureFacts(err: unknown): FailureFacts {
  if (err instanceof ArmError) return { statusCode: err.statusCode, code: err.code, message: err.azureMessage ?? err.message, requestId: err.requestId };
  const e = (err ?? {}) as Record<string, unknown> & { response?: { bodyAsText?: string | null; headers?: { get(n: string): string | undefined }; parsedBody?: unknown } };
  const facts: FailureFacts = {};
  if (err instanceof RestError || typeof e.statusCode === "number") facts.statusCode = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const name = str(e.name) ?? (err as object | undefined)?.constructor?.name;
  const ctor = (err as object | undefined)?.constructor?.name;
  if ([name, ctor].some((n) => n === "AuthenticationError" || n === "AuthenticationRequiredError")) facts.credentialError = "authentication";
  if ([name, ctor].some((n) => n === "CredentialUnavailableError" || n === "AggregateAuthenticationError")) facts.credentialError = "unavailable";
  // MSAL's ServerError in `cause`: { errorCode: "invalid_client", errorMessage: "... AADSTS7000215: Invalid client secret provided. ..." }
  const cause = e.cause as { errorCode?: unknown; errorMessage?: unknown } | undefined;
  const aadsts = /AADSTS\d+:[^\r\n]*?(?:\.(?=\s)|$)/m.exec(`${str(cause?.errorMessage) ?? ""}\n${str(e.message) ?? ""}`)?.[0];
  if (facts.credentialError && aadsts) {
    facts.code = aadsts.split(":")[0];
    facts.message = aadsts;
  }
  if (e.response) {
    const parsed = parseErrorBody(e.response.parsedBody ?? e.response.bodyAsText);
    facts.code = parsed.code;
    facts.message = parsed.message;
    facts.requestId = e.response.headers?.get("x-ms-request-id") ?? e.response.headers?.get("x-ms-correlation-request-id");
  }
  // identity: AuthenticationError.errorResponse = { error, errorDescription }
  const er = e.errorResponse as { error?: string; errorDescription?: string } | undefined;
  if (er) {
    facts.code ??= er.error;
    facts.message ??= er.errorDescription;
  }
  if (name === "AbortError" || ctor === "AbortError") facts.code = "AbortError";
  facts.code ??= str(e.code);
  facts.message ??= str(e.message);
  // Network/TLS codes hide in `cause` chains (identity wraps the pipeline's RestError).
  const deep = findNodeCode(err);
  if (deep && (!facts.code || !facts.statusCode)) facts.code = deep;
  return facts;
}

function findNodeCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as { code?: unknown; cause?: unknown; message?: unknown; errors?: unknown };
  const code = str(e.code);
  if (code && (TLS_TRUST_CODES.has(code) || NETWORK_CODES.has(code) || code === "ERR_TLS_CERT_ALTNAME_INVALID" || code === "CERT_HAS_EXPIRED")) {
    return code;
  }
  const msg = str(e.message) ?? "";
  if (/self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate/i.test(msg)) return "SELF_SIGNED_CERT_IN_CHAIN";
  const m = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)\b/.exec(msg);
  if (m) return m[1];
  const fromCause = findNodeCode(e.cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(e.errors)) for (const x of e.errors) {
    const c = findNodeCode(x, depth + 1);
    if (c) return c;
  }
  return undefined;
}

/** Map anything thrown during an ARM-layer call to an ArmError whose message names the fix. */
export function toArmError(err: unknown, ctx: ErrorContext): ArmError {
  if (err instanceof ArmError) return err;
  return fromFacts(failureFacts(err), ctx);
}

/** Map a non-2xx response read through the pipeline (Lighthouse calls) to an ArmError. */
export function armErrorFromResponse(statusCode: number, body: unknown, requestId: string | undefined, ctx: ErrorContext): ArmError {
  const { code, message } = parseErrorBody(body);
  return fromFacts({ statusCode, code, message, requestId }, ctx);
}

/** Map the error of a long-running operation that ended Failed/Canceled (its status body's `error`). */
export function armErrorFromOperation(statusBody: unknown, ctx: ErrorContext): ArmError {
  const { code, message } = parseErrorBody(statusBody);
  return fromFacts({ code: code ?? "OperationFailed", message, fromOperation: true }, ctx);
}

function fromFacts(f: FailureFacts, ctx: ErrorContext): ArmError {
  const azure = f.message ? redact(f.message, ctx.secrets) : undefined;
  const code = f.code;
  const status = f.statusCode;
  const who = describeIdentity(ctx.identity);
  const sub = ctx.subscriptionId ? `subscription ${ctx.subscriptionId}` : "the target scope";
  const tail = azure ? ` (Azure said: ${oneLine(azure)})` : "";
  const tag = [status, code].filter((x) => x !== undefined && x !== "").join(" ");
  const make = (kind: ArmErrorKind, text: string) =>
    new ArmError(`${ctx.operation}${ctx.target ? ` ${ctx.target}` : ""}: ${redact(text, ctx.secrets)}`, {
      kind,
      operation: ctx.operation,
      statusCode: status,
      code,
      target: ctx.target,
      requestId: f.requestId,
      azureMessage: azure,
    });
  const msg = azure ?? "";

  if (code === "AbortError") return make("aborted", "aborted by the caller (abortSignal)");
  // Transport first: no HTTP status at all.
  if (status === undefined && code && (TLS_TRUST_CODES.has(code))) {
    return make("tls", `the TLS certificate of ${ctx.host ?? "the server"} is not trusted (${code}): trust the emulator CA with ${ctx.settingNames?.caCertificatePem ?? "caCertificatePem"} or NODE_EXTRA_CA_CERTS, or check for a TLS-inspecting proxy`);
  }
  if (status === undefined && code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return make("tls", `the TLS certificate does not name ${ctx.host ?? "the host"} (${code}): use the host name the certificate was issued for in endpoint/authorityHost`);
  }
  if (status === undefined && code === "CERT_HAS_EXPIRED") {
    return make("tls", `the TLS certificate of ${ctx.host ?? "the server"} has expired: renew it (emulator: restart it to mint a new one)`);
  }
  if (status === undefined && code && NETWORK_CODES.has(code)) {
    return make("network", `could not reach ${ctx.host ?? "Azure Resource Manager"} (${code}) even after the SDK's retries: check endpoint/cloud, network, proxy (HTTPS_PROXY) and firewall`);
  }
  if (f.credentialError === "authentication") {
    return make("authentication", `sign-in failed${code ? ` (${code})` : ""}: check the tenant ID, client ID and the secret/certificate/federated token of the credential, and the cloud/authorityHost${tail}`);
  }
  // MSAL resolves the sign-in authority from the tenant's OpenID metadata; a tenant the authority host does not know
  // (a mistyped tenant ID, or a tenant of another cloud) answers AADSTS90002, which MSAL reports as
  // endpoints_resolution_error (https://aka.ms/msal.js.errors#endpoints_resolution_error): no "configure a credential".
  if (f.credentialError && /endpoints_resolution_error|AADSTS90002/.test(msg)) {
    return make("authentication", `sign-in failed: the tenant is not known to the sign-in authority (a mistyped tenant ID, or a tenant of another cloud): check the credential's tenantId and the cloud/authorityHost${tail}`);
  }
  if (f.credentialError === "unavailable") {
    return make("authentication", `no credential could get a token: configure one (clientSecret, clientCertificate, workloadIdentity, managedIdentity, azureCli: run \`az login\`)${tail}`);
  }

  if (code === "PartnerIdAlreadyLinked" || (status === 409 && /partner/i.test(ctx.operation))) {
    const linked = ctx.linkedPartnerId ?? /partner\s*id\s*'?(\d{4,})/i.exec(msg)?.[1];
    return make(
      "alreadyLinked",
      `the identity ${who} is already linked to partner ID ${linked ?? "(another partner ID)"}: one identity links to one partner ID per tenant; use updatePartnerLink to relink (only when relinking is intended) or deletePartnerLink first${tail}`,
    );
  }
  if (/Partner/.test(ctx.operation) && status === 404) {
    return make("notLinked", `the identity ${who} has no partner link${ctx.operation === "updatePartnerLink" ? ": create one with createPartnerLink first" : ""}${tail}`);
  }
  if (code === "InvalidRegistrationDefinitionUri") {
    return make("invalidScope", `registration definitions must be created at subscription scope (/subscriptions/<id>), not at a resource group: put the definition on the subscription and assign it to the resource group${tail}`);
  }
  if (/Principals of type Application/i.test(msg)) {
    return make("invalidPrincipal", `a principalId is an app registration's object ID: use the object ID of its service principal (Enterprise application) instead${tail}`);
  }
  if (/eligible authorizations? accept users and groups|service principals? (are|is) not (allowed|supported) in eligible/i.test(msg)) {
    return make("invalidPrincipal", `eligible (just-in-time) authorizations accept users and groups only: give the service principal a permanent authorization instead${tail}`);
  }
  if (/role ?definition|Restricted role|data ?actions|built[- ]in role/i.test(msg) || /RoleDefinition|Role/i.test(code ?? "")) {
    return make(
      "role",
      `a role in the delegation is not allowed by Azure Lighthouse: use built-in roles without DataActions, never Owner; User Access Administrator only with delegatedRoleDefinitionIds and never as an eligible authorization; run \`partnerlink check\` to find the authorization${tail}`,
    );
  }
  if (status === 401 || code === "InvalidAuthenticationToken" || code === "ExpiredAuthenticationToken" || code === "InvalidAuthenticationTokenTenant") {
    return make("authentication", `ARM rejected the token of ${who}${code ? ` (${code})` : ""}: sign in to the tenant that owns ${sub} (for Lighthouse onboarding: the CUSTOMER tenant) with the right cloud${tail}`);
  }
  if (status === 403 || code === "AuthorizationFailed" || code === "LinkedAuthorizationFailed") {
    if (/RegistrationDefinition|RegistrationAssignment/.test(ctx.operation) && /^(put|create|delete)/.test(ctx.operation)) {
      return make(
        "authorization",
        `the identity ${who} lacks Owner on ${sub}: onboarding must be deployed by an Owner in the CUSTOMER tenant (a non-guest account, or a service principal with Owner there)${tail}`,
      );
    }
    if (/Partner/.test(ctx.operation)) {
      return make("authorization", `the identity ${who} may not manage a partner link: only the identity itself can link, and groups cannot be linked; sign in as the identity to link${tail}`);
    }
    return make("authorization", `the identity ${who} may not read ${sub}: grant it Reader there (directly or through a Lighthouse delegation)${tail}`);
  }
  if (status === 429) {
    return make("throttled", `ARM kept throttling (429) after ${ctx.maxRetries ?? "the SDK's"} retries: retry later or audit fewer subscriptions at once${raiseRetries(ctx)}${tail}`);
  }
  if (status === 503 || status === 502 || status === 504) {
    return make("unavailable", `ARM stayed unavailable (${status}) after ${ctx.maxRetries ?? "the SDK's"} retries: retry later${raiseRetries(ctx)}${tail}`);
  }
  if (status !== undefined && status >= 500) {
    return make("unavailable", `ARM kept failing (${tag}) after ${ctx.maxRetries ?? "the SDK's"} retries: retry later; if it persists, give Azure support the x-ms-request-id ${f.requestId ?? "of the response"}${tail}`);
  }
  if (code === "RegistrationDefinitionInUse") {
    return make("conflict", `the registration definition is still assigned: delete its registration assignments first, then the definition${tail}`);
  }
  if (code === "SubscriptionNotFound") {
    return make("notFound", `${sub} is not visible to ${who}: check the subscription ID, and sign in to the tenant that owns it (or one it is delegated to)${tail}`);
  }
  if (code === "ResourceGroupNotFound") return make("notFound", `the resource group does not exist in ${sub}: create it first or fix the scope${tail}`);
  if (status === 404) return make("notFound", `not found${tail}`);
  if (status === 409 || code === "Conflict") return make("conflict", `conflicts with an existing resource or an operation in progress: wait for it to finish, or use a new ID${tail}`);
  if (status === 400) return make("badRequest", `Azure rejected the request${code ? ` (${code})` : ""}: fix the input it names${tail}`);
  if (f.fromOperation) {
    return make("operationFailed", `the operation failed (${code}): fix the cause Azure names and run again${tail}`);
  }
  return make("unknown", `failed${tag ? ` (${tag})` : ""}${azure ? `: ${oneLine(azure)}` : ""}`);
}

function describeIdentity(id: CallerIdentity | undefined): string {
  if (!id) return "(the signed-in identity)";
  const name = id.appId ? `app ${id.appId} (object ${id.objectId})` : `object ${id.objectId}`;
  return `${name} in tenant ${id.tenantId}`;
}

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
const BEARER = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const SECRET_PARAM = /(client_secret|client_assertion|access_token|refresh_token)=([^&\s]+)/gi;

/** Remove tokens, private keys, secret form fields and the given secret strings from a text. */
export function redact(text: string, secrets: string[] = []): string {
  let t = text.replace(PEM, "[redacted private key]").replace(BEARER, "Bearer [redacted]").replace(JWT, "[redacted token]").replace(SECRET_PARAM, "$1=[redacted]");
  for (const s of secrets) {
    if (s && s.length >= 4) t = t.split(s).join("[redacted]");
  }
  return t;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 400 ? `${t.slice(0, 400)}...` : t;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}
