import { createHash } from "node:crypto";

/**
 * Typed parsers, one per identifier kind. Every adapter and every rule parses identifiers here, once:
 * a parser returns the normalized value (lower-case GUIDs, canonical scopes) or `undefined` when malformed.
 * Nothing here throws.
 */

const GUID_SRC = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/**
 * 0 when `s` is not a GUID, 1 when it is one in lower case, 2 when it has upper-case hex digits.
 * Hand-rolled: the rules call it for every property of every delegation.
 */
function guidShape(s: string): 0 | 1 | 2 {
  if (s.length !== 36) return 0;
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return 0;
    } else if (c >= 65 && c <= 70) upper = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return 0;
  }
  return upper ? 2 : 1;
}

/** A GUID in the 8-4-4-4-12 hex form ARM uses (no braces), any case. */
export function isGuid(s: unknown): s is string {
  return typeof s === "string" && guidShape(s) !== 0;
}

/** The GUID in lower case, or undefined when `s` is not one. */
export function parseGuid(s: unknown): string | undefined {
  if (typeof s !== "string") return undefined;
  const shape = guidShape(s);
  return shape === 1 ? s : shape === 2 ? s.toLowerCase() : undefined;
}

/**
 * The GUIDs that are placeholders, never an identifier Azure assigns: the Nil UUID (all zeros) and the Max UUID (all
 * ones), the two special values of RFC 9562 (sections 5.9 and 5.10, https://www.rfc-editor.org/rfc/rfc9562#section-5.9).
 * The public onboarding samples ship the Nil UUID as every principalId for the partner to replace
 * (github.com/Azure/Azure-Lighthouse-samples, templates/.../*.parameters.json); one left in is a delegation to no
 * principal, or a deployment Azure refuses. Only rule PL010 refuses them: {@link parseGuid} accepts them, because
 * they are well formed and Azure's own recordings name subscription 00000000-0000-0000-0000-000000000000 (the ARM
 * emulator and the client layer replay those).
 */
export const PLACEHOLDER_GUIDS: readonly string[] = Object.freeze(["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"]);

/** Whether `s` is a GUID that is a placeholder ({@link PLACEHOLDER_GUIDS}), in any case. */
export function isPlaceholderGuid(s: unknown): boolean {
  // Called for every GUID the rules walk: one pass that stops at the first digit unlike the first (the 8th of
  // 00000001-...), without parsing the GUID again.
  if (typeof s !== "string" || s.length !== 36) return false;
  const first = s.charCodeAt(0);
  const lower = first === 70 /* F */ ? 102 /* f */ : first;
  if (lower !== 48 /* 0 */ && lower !== 102 /* f */) return false;
  for (let i = 1; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45 /* - */) return false;
    } else if (c !== lower && !(lower === 102 && c === 70)) return false;
  }
  return true;
}

/**
 * Memoizes a pure string parser: estates repeat the same principals, roles and scopes thousands of times.
 * Bounded: the cache is cleared when it reaches `max` entries.
 */
function memo<T>(fn: (s: string) => T | undefined, max = 50_000): (s: unknown) => T | undefined {
  const NONE = Symbol("none");
  const cache = new Map<string, T | typeof NONE>();
  return (s: unknown): T | undefined => {
    if (typeof s !== "string") return undefined;
    const hit = cache.get(s);
    if (hit !== undefined) return hit === NONE ? undefined : hit;
    const v = fn(s);
    if (cache.size >= max) cache.clear();
    cache.set(s, v === undefined ? NONE : v);
    return v;
  };
}

/**
 * Partner ID (MPN ID / Associated Partner ID): a numeric string of 6 to 10 digits.
 * The PAL API takes it as a path segment; the reference (azure-apis.md) says "numeric strings, commonly 6-7
 * digits" and the recorded traffic uses 7 (5127255). We accept 6..10 digits: every ID seen in the wild, with
 * headroom for longer IDs, and reject shorter values, which are nearly always truncated or mistyped.
 */
export const PARTNER_ID_RE = /^[0-9]{6,10}$/;

export function isPartnerId(s: unknown): s is string {
  return typeof s === "string" && PARTNER_ID_RE.test(s);
}

/** A subscription or resource-group scope. */
export interface Scope {
  /** Lower-case subscription GUID. */
  subscriptionId: string;
  /** Resource group name as written (ARM resource group names are case-insensitive). */
  resourceGroup?: string;
  /** Canonical form: `/subscriptions/{id}` or `/subscriptions/{id}/resourceGroups/{rg}`. */
  scope: string;
}

const SUBSCRIPTIONS_SEGMENT = "subscriptions/";
const REG_DEF_PROVIDER = "/providers/microsoft.managedservices/registrationdefinitions/";

/** Whether `s` at `at` reads `lower` (lower-case ASCII), ignoring ASCII case only (as a RegExp `i` flag without `u`). */
function hasAsciiCi(s: string, at: number, lower: string): boolean {
  if (at + lower.length > s.length) return false;
  for (let k = 0; k < lower.length; k++) {
    const c = s.charCodeAt(at + k);
    const e = lower.charCodeAt(k);
    if (c !== e && !(e >= 97 && e <= 122 && c === e - 32)) return false;
  }
  return true;
}

// Resource group names: 1-90 chars of letters, digits, _ - . ( ) and Unicode letters; not ending in '.'.
const RG_SRC = "[-\\w._()\\p{L}\\p{N}]{0,89}[-\\w_()\\p{L}\\p{N}]";
const SCOPE_RE = new RegExp(`^/?subscriptions/(${GUID_SRC})(?:/resourceGroups/(${RG_SRC}))?/?$`, "iu");
const RG_RE = new RegExp(`^${RG_SRC}$`, "u");

/** A resource group name as ARM takes it: 1-90 letters, digits, `_ - . ( )`, not ending in `.`. */
export function isResourceGroupName(s: unknown): s is string {
  return typeof s === "string" && RG_RE.test(s);
}

/** `/subscriptions/{guid}[/resourceGroups/{rg}]`, with or without the leading slash; case-insensitive keywords. */
export function parseScope(s: unknown): Readonly<Scope> | undefined {
  return parseScopeMemo(s);
}

const parseScopeMemo = memo((s: string): Scope | undefined => {
  const t = s.trim();
  // Fast path, no RegExp: `/subscriptions/{guid}` (leading and trailing `/` optional), what nearly every scope is.
  const at = t.charCodeAt(0) === 47 /* / */ ? 1 : 0;
  const end = at + SUBSCRIPTIONS_SEGMENT.length + 36;
  if ((t.length === end || (t.length === end + 1 && t.charCodeAt(end) === 47)) && hasAsciiCi(t, at, SUBSCRIPTIONS_SEGMENT)) {
    const subscriptionId = parseGuid(t.slice(end - 36, end));
    if (subscriptionId !== undefined) return Object.freeze({ subscriptionId, scope: `/subscriptions/${subscriptionId}` });
  }
  const m = SCOPE_RE.exec(t);
  if (!m) return undefined;
  const subscriptionId = m[1].toLowerCase();
  const resourceGroup = m[2];
  // Frozen: the memoized value is shared by every caller.
  return Object.freeze(
    resourceGroup === undefined
      ? { subscriptionId, scope: `/subscriptions/${subscriptionId}` }
      : { subscriptionId, resourceGroup, scope: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}` },
  );
});

/** A subscription ID: a GUID, or `/subscriptions/{guid}`. Returns the lower-case GUID. */
export function parseSubscriptionId(s: unknown): string | undefined {
  const g = parseGuid(s);
  if (g) return g;
  const sc = parseScope(s);
  return sc && sc.resourceGroup === undefined ? sc.subscriptionId : undefined;
}

const ROLE_DEF_RE = new RegExp(
  `^(?:/?subscriptions/${GUID_SRC}(?:/resourceGroups/${RG_SRC})?|/?providers/Microsoft\\.Management/managementGroups/[^/]+)?` +
    `/?providers/Microsoft\\.Authorization/roleDefinitions/(${GUID_SRC})/?$`,
  "iu",
);

/**
 * Role definition ID -> lower-case GUID. Accepts a bare GUID,
 * `/providers/Microsoft.Authorization/roleDefinitions/{guid}`, and the same under a subscription,
 * resource group or management group scope (what `subscriptionResourceId(...)` produces). Case-insensitive.
 */
export function parseRoleDefinitionId(s: unknown): string | undefined {
  return parseGuid(s) ?? parseRoleResourceId(s);
}

const parseRoleResourceId = memo((s: string): string | undefined => {
  const t = s.trim();
  const g = parseGuid(t);
  if (g) return g;
  const m = ROLE_DEF_RE.exec(t);
  return m ? m[1].toLowerCase() : undefined;
});

/** A registration definition reference. */
export interface RegistrationDefinitionRef {
  /** Lower-case definition GUID. */
  definitionId: string;
  /** Lower-case subscription GUID when the input is a full resource ID. */
  subscriptionId?: string;
}

/**
 * Registration definition ID: `/subscriptions/{sub}/providers/Microsoft.ManagedServices/registrationDefinitions/{guid}`
 * (the form assignments carry; leading `/` and trailing `/` optional, keywords case-insensitive) or a bare GUID
 * (the definition's name). Hand-rolled, no RegExp: every assignment of a plan carries a different one.
 */
export function parseRegistrationDefinitionId(s: unknown): RegistrationDefinitionRef | undefined {
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  const g = parseGuid(t);
  if (g) return { definitionId: g };
  let i = t.charCodeAt(0) === 47 /* / */ ? 1 : 0;
  if (!hasAsciiCi(t, i, SUBSCRIPTIONS_SEGMENT)) return undefined;
  i += SUBSCRIPTIONS_SEGMENT.length;
  const subscriptionId = parseGuid(t.slice(i, i + 36));
  if (subscriptionId === undefined) return undefined;
  i += 36;
  if (!hasAsciiCi(t, i, REG_DEF_PROVIDER)) return undefined;
  i += REG_DEF_PROVIDER.length;
  const definitionId = parseGuid(t.slice(i, i + 36));
  if (definitionId === undefined) return undefined;
  i += 36;
  if (i !== t.length && !(i === t.length - 1 && t.charCodeAt(i) === 47)) return undefined;
  return { subscriptionId, definitionId };
}

const DURATION_RE = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * ISO 8601 duration -> minutes (fractional for seconds). Weeks, days, hours, minutes, seconds; years and
 * months are rejected (not a fixed number of minutes, and Azure's `maximumActivationDuration` never uses them).
 * `P`, `PT` and other empty forms are rejected.
 */
export function parseIsoDuration(s: unknown): number | undefined {
  return parseDurationMemo(s);
}

const parseDurationMemo = memo((s: string): number | undefined => {
  const t = s.trim().toUpperCase();
  const m = DURATION_RE.exec(t);
  if (!m || t === "P" || t.endsWith("T")) return undefined;
  if (m.slice(1).every((x) => x === undefined)) return undefined;
  const n = (i: number): number => (m[i] === undefined ? 0 : Number(m[i]));
  return n(1) * 7 * 24 * 60 + n(2) * 24 * 60 + n(3) * 60 + n(4) + n(5) / 60;
});

/** A tenant ID: a GUID (domain names are not accepted where ARM expects a tenant GUID). */
export function parseTenantId(s: unknown): string | undefined {
  return parseGuid(s);
}

/** A principal (object) ID: a GUID. */
export function parsePrincipalId(s: unknown): string | undefined {
  return parseGuid(s);
}

/** Namespace ARM's `guid()` template function uses for its name-based UUIDs. */
export const ARM_GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

/**
 * RFC 4122 name-based version-5 UUID (SHA-1) of `name` (UTF-8) under `namespace`.
 * Exported so tests can check it against the RFC's published vectors.
 */
export function uuidv5(name: string, namespace: string): string {
  const ns = parseGuid(namespace);
  if (!ns) throw new TypeError(`uuidv5: namespace '${namespace}' is not a GUID`);
  const nsBytes = Buffer.from(ns.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(nsBytes).update(Buffer.from(name, "utf8")).digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50; // version 5
  b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * ARM's `guid(a, b, ...)`: uuidv5 under {@link ARM_GUID_NAMESPACE} over the arguments joined with `-`.
 * Source: azure-apis.md section 2 (ARM template function `guid`, reproduced by Terraform `uuidv5` users
 * matching Bicep names); learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#guid.
 */
export function armGuid(...parts: string[]): string {
  if (parts.length === 0) throw new TypeError("armGuid: guid() needs at least one argument");
  return uuidv5(parts.join("-"), ARM_GUID_NAMESPACE);
}
