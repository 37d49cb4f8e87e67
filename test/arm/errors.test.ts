/**
 * The one mapping from Azure failures to ArmError (arm/errors.ts): each known failure gets a message that says what
 * to do, and no message carries a token or a secret. Real-traffic versions of these run in lighthouse/partner-link/
 * credentials/retry tests against the emulator; this table covers the codes the emulator does not produce.
 */
import { RestError } from "@azure/core-rest-pipeline";
import { ArmError, redact } from "../../arm";
import { armErrorFromResponse, parseErrorBody, toArmError, type ErrorContext } from "../../arm/errors";
import { toRegistrationDefinition } from "../../arm/lighthouse-parse";

const identity = { tenantId: "cccc0000-0000-4000-8000-000000000001", objectId: "cc000000-0000-4000-8000-000000000002", appId: "cc000000-0000-4000-8000-0000000000c2" };
const sub = "5ab50000-0000-4000-8000-000000000001";
const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJlLXZhbHVl";

type Row = [name: string, status: number, body: unknown, ctx: ErrorContext, kind: string, fragments: string[]];

const rows: Row[] = [
  [
    "403 AuthorizationFailed on onboarding",
    403,
    { error: { code: "AuthorizationFailed", message: "The client does not have authorization to perform action 'Microsoft.ManagedServices/registrationDefinitions/write'." } },
    { operation: "putRegistrationDefinition", subscriptionId: sub, identity },
    "authorization",
    [`the identity app ${identity.appId} (object ${identity.objectId}) in tenant ${identity.tenantId} lacks Owner on subscription ${sub}`, "onboarding must be deployed by an Owner in the CUSTOMER tenant"],
  ],
  ["403 on a read", 403, { error: { code: "AuthorizationFailed", message: "no read" } }, { operation: "listRegistrationAssignments", subscriptionId: sub, identity }, "authorization", ["grant it Reader"]],
  [
    "409 Conflict on PAL create",
    409,
    { error: { code: "Conflict", message: "already linked" }, code: "Conflict", message: "already linked" },
    { operation: "createPartnerLink", target: "5127254", linkedPartnerId: "5127255", identity },
    "alreadyLinked",
    ["is already linked to partner ID 5127255", "updatePartnerLink"],
  ],
  [
    "PartnerIdAlreadyLinked (the other code seen in the wild)",
    400,
    { error: { code: "PartnerIdAlreadyLinked", message: "The user is already linked with partner id '1234567'." } },
    { operation: "createPartnerLink", target: "5127254" },
    "alreadyLinked",
    ["already linked to partner ID 1234567"],
  ],
  ["PAL PATCH without a link", 404, { error: { code: "NotFound", message: "no link" } }, { operation: "updatePartnerLink", target: "5127255" }, "notLinked", ["createPartnerLink first"]],
  [
    "definition at resource-group scope",
    400,
    { error: { code: "InvalidRegistrationDefinitionUri", message: "bad uri" } },
    { operation: "putRegistrationDefinition" },
    "invalidScope",
    ["must be created at subscription scope"],
  ],
  [
    "an app registration object ID as principal",
    400,
    { error: { code: "BadRequest", message: "Principals of type Application cannot validly be used in role assignments." } },
    { operation: "putRegistrationDefinition" },
    "invalidPrincipal",
    ["object ID of its service principal"],
  ],
  [
    "a role with DataActions",
    400,
    { error: { code: "InvalidRegistrationDefinitionCreateRequest", message: "Only built in role definitions without any data and notData actions are allowed." } },
    { operation: "putRegistrationDefinition" },
    "role",
    ["without DataActions", "never Owner", "delegatedRoleDefinitionIds"],
  ],
  ["throttling exhausted", 429, { error: { code: "TooManyRequests", message: "slow down" } }, { operation: "listSubscriptions", maxRetries: 3 }, "throttled", ["after 3 retries", "retry later"]],
  ["unavailable", 503, { error: { code: "ServiceUnavailable", message: "down" } }, { operation: "getRegistrationDefinition" }, "unavailable", ["retry later"]],
  ["expired token", 401, { error: { code: "ExpiredAuthenticationToken", message: "expired" } }, { operation: "getRegistrationDefinition", identity, subscriptionId: sub }, "authentication", ["ARM rejected the token"]],
  [
    "deleting a definition that is still assigned",
    409,
    { error: { code: "RegistrationDefinitionInUse", message: "in use" } },
    { operation: "deleteRegistrationDefinition", subscriptionId: sub },
    "conflict",
    ["delete its registration assignments first"],
  ],
  ["an invisible subscription", 404, { error: { code: "SubscriptionNotFound", message: "nope" } }, { operation: "listRegistrationAssignments", subscriptionId: sub, identity }, "notFound", [`subscription ${sub} is not visible to app ${identity.appId}`]],
  ["a proxy's HTML page", 502, "<html><body>Bad gateway</body></html>", { operation: "listSubscriptions" }, "unavailable", ["Bad gateway"]],
];

test.each(rows)("%s", (_name, status, body, ctx, kind, fragments) => {
  const e = armErrorFromResponse(status, body, "req-1", ctx);
  expect(e).toBeInstanceOf(ArmError);
  expect(e).toMatchObject({ kind, statusCode: status, operation: ctx.operation, requestId: "req-1" });
  for (const f of fragments) expect(e.message).toContain(f);
  expect(e.message.startsWith(ctx.operation)).toBe(true);
  expect(e.message).not.toMatch(/\n/);
});

test("RestErrors from the pipeline: TLS trust, refused connections", () => {
  const tls = toArmError(new RestError("self-signed certificate in certificate chain", { code: "SELF_SIGNED_CERT_IN_CHAIN" }), { operation: "whoAmI", host: "127.0.0.1:8443" });
  expect(tls).toMatchObject({ kind: "tls" });
  expect(tls.message).toContain("trust the emulator CA with caCertificatePem or NODE_EXTRA_CA_CERTS");
  // A caller that names its settings otherwise (the CLI's --ca-cert, and no retry setting) is told in its terms.
  const named = { caCertificatePem: "--ca-cert", retry: "" };
  expect(toArmError(new RestError("self-signed certificate", { code: "SELF_SIGNED_CERT_IN_CHAIN" }), { operation: "whoAmI", settingNames: named }).message).toContain(
    "trust the emulator CA with --ca-cert or NODE_EXTRA_CA_CERTS",
  );
  const throttled = (ctx: Partial<ErrorContext>) =>
    armErrorFromResponse(429, { error: { code: "TooManyRequests", message: "slow down" } }, "req-1", { operation: "listSubscriptions", maxRetries: 3, ...ctx }).message;
  expect(throttled({})).toContain("retry later or audit fewer subscriptions at once, or raise retry.maxRetries");
  expect(throttled({ settingNames: named })).toContain("retry later or audit fewer subscriptions at once (");
  expect(throttled({ settingNames: named })).not.toContain("raise");
  const refused = toArmError(new RestError("connect ECONNREFUSED 127.0.0.1:1", { code: "ECONNREFUSED" }), { operation: "listSubscriptions", host: "127.0.0.1:1" });
  expect(refused).toMatchObject({ kind: "network", code: "ECONNREFUSED" });
  expect(refused.message).toContain("could not reach 127.0.0.1:1");
});

test("a Node error with a code but no HTTP status is not mistaken for a failed Azure operation", () => {
  const e = Object.assign(new Error("boom"), { code: "ERR_SOMETHING" });
  expect(toArmError(e, { operation: "listSubscriptions" })).toMatchObject({ kind: "unknown", code: "ERR_SOMETHING" });
});

test("an abort is reported as aborted, not as a failure of Azure", () => {
  const abort = new Error("The operation was aborted.");
  abort.name = "AbortError";
  expect(toArmError(abort, { operation: "createRegistrationAssignment" })).toMatchObject({ kind: "aborted" });
});

test("no token, bearer header, secret form field, private key or configured secret survives into a message", () => {
  const secret = "my-Client~Secret.Value";
  const azureText = `token ${jwt} header Bearer abc.def.ghi body client_secret=${encodeURIComponent(secret)}&x=1 raw ${secret} key -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----`;
  const e = armErrorFromResponse(400, { error: { code: "BadRequest", message: azureText } }, undefined, { operation: "putRegistrationDefinition", secrets: [secret] });
  for (const leaked of [jwt, "abc.def.ghi", secret, encodeURIComponent(secret), "MIIB"]) expect(e.message).not.toContain(leaked);
  expect(e.azureMessage).not.toContain(secret);
  expect(redact(`x ${jwt} y`)).toBe("x [redacted token] y");
});

test("both ARM error body shapes parse", () => {
  expect(parseErrorBody({ error: { code: "A", message: "m" } })).toEqual({ code: "A", message: "m" });
  expect(parseErrorBody({ code: "Conflict", message: "flat" })).toEqual({ code: "Conflict", message: "flat" });
  expect(parseErrorBody('{"error":{"code":"B","message":"text"}}')).toEqual({ code: "B", message: "text" });
  expect(parseErrorBody("")).toEqual({});
});

describe("a malformed ARM answer is one ArmError naming the operation and the JSON path", () => {
  const ctx: ErrorContext = { operation: "getRegistrationDefinition", target: "/subscriptions/s/providers/Microsoft.ManagedServices/registrationDefinitions/d" };
  const good = {
    id: "/subscriptions/s/providers/Microsoft.ManagedServices/registrationDefinitions/d",
    name: "d",
    properties: {
      registrationDefinitionName: "offer",
      managedByTenantId: "11111111-1111-4111-8111-111111111111",
      authorizations: [{ principalId: "1a000000-0000-4000-8000-000000000001", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" }],
    },
  };

  test("a well-formed answer passes", () => {
    expect(toRegistrationDefinition(good, ctx).authorizations).toHaveLength(1);
  });

  test.each([
    ["no properties", { id: good.id, name: "d" }, "$"],
    ["authorizations not a list", { ...good, properties: { ...good.properties, authorizations: "x" } }, "$.properties.authorizations"],
    ["an authorization without its principal", { ...good, properties: { ...good.properties, authorizations: [{ roleDefinitionId: "r" }] } }, "$.properties.authorizations[0]"],
  ])("%s", (_name, body, path) => {
    let err: unknown;
    try {
      toRegistrationDefinition(body, ctx, "$");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ArmError);
    const message = (err as Error).message;
    expect(message).toContain(`getRegistrationDefinition ${ctx.target}: the registrationDefinition answer is malformed at ${path} (`);
    expect(message).toContain("check endpoint/cloud and any proxy");
  });

  test("the path continues where the caller says the answer is", () => {
    expect(() => toRegistrationDefinition({ ...good, properties: { ...good.properties, authorizations: [{}] } }, ctx, "page 2.value[3]")).toThrow(
      /malformed at page 2\.value\[3\]\.properties\.authorizations\[0\] \(/,
    );
  });
});
