/**
 * partnerlink's ARM client layer: every call partnerlink makes to Azure goes through here, on the Azure SDK for JS
 * (@azure/identity, @azure/arm-managementpartner, @azure/core-client + core-rest-pipeline, @azure/core-lro).
 *
 * ```ts
 * import { getCurrentPartnerLink, createRegistrationAssignment, type ArmConnection } from "partnerlink/arm";
 * const conn: ArmConnection = { credential: { kind: "clientSecret", tenantId, clientId, clientSecret } };
 * const link = await getCurrentPartnerLink(conn);                 // undefined when not linked
 * const a = await createRegistrationAssignment(conn, "/subscriptions/<sub>", assignmentGuid, definitionResourceId);
 * ```
 * Emulator: `{ credential, endpoint: emu.url, authorityHost: emu.url, caCertificatePem: emu.caCertPem }`.
 * Every failure is an `ArmError` (kind, statusCode, code, operation, target) whose message says what to do.
 */
import type { ArmConnection } from "./connection";
import { runArm } from "./client";
import type { CallerIdentity } from "./errors";
import { callerIdentity } from "./whoami";

export type { CredentialOptions, ArmConnection } from "./connection";
export { resolveEndpoints, strayEndpoint } from "./connection";
export { CLOUDS, type CloudName, type CloudEndpoints } from "./clouds";
export { createCredential } from "./credentials";
export { ArmError, redact, type ArmErrorKind, type CallerIdentity } from "./errors";
export type { CallOptions } from "./client";
export type { LroOptions } from "./lro";
export {
  getCurrentPartnerLink,
  getPartnerLink,
  createPartnerLink,
  updatePartnerLink,
  deletePartnerLink,
  type PartnerLinkInfo,
} from "./partner-link";
export {
  MANAGED_SERVICES_API_VERSION,
  type RegistrationDefinitionBody,
  type RegistrationDefinition,
  type RegistrationAssignment,
  type LighthouseAuthorization,
  type LighthouseEligibleAuthorization,
  type JustInTimeAccessPolicy,
  type EligibleApprover,
  type RegistrationPlan,
} from "./lighthouse-types";
export {
  getRegistrationDefinition,
  putRegistrationDefinition,
  deleteRegistrationDefinition,
  listRegistrationDefinitions,
  getRegistrationAssignment,
  createRegistrationAssignment,
  deleteRegistrationAssignment,
  listRegistrationAssignments,
} from "./lighthouse";
export { listSubscriptions, SUBSCRIPTIONS_API_VERSION, type SubscriptionInfo } from "./subscriptions";

/** The identity the connection signs in as (tenant, object ID, app ID), decoded from its ARM access token. */
export function whoAmI(conn: ArmConnection, options: { abortSignal?: AbortSignal } = {}): Promise<CallerIdentity> {
  return runArm(conn, { operation: "whoAmI" }, () => callerIdentity(conn, options));
}
