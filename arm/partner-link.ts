/**
 * Partner Admin Link (Microsoft.ManagementPartner, api-version 2018-02-01) through @azure/arm-managementpartner.
 * The link belongs to the calling identity (the token's oid + tid): see azure-apis.md section 1 and
 * specification/managementpartner/resource-manager/Microsoft.ManagementPartner/preview/2018-02-01/ManagementPartner.json.
 */
import type { PartnerResponse } from "@azure/arm-managementpartner";
import { isPartnerId } from "../rules/identifiers";
import { partnerClient, runArm, type CallOptions } from "./client";
import type { ArmConnection } from "./connection";
import { ArmError, invalidInput, toArmError } from "./errors";
import { callerIdentity } from "./whoami";

export interface PartnerLinkInfo {
  partnerId: string;
  partnerName?: string;
  objectId: string;
  tenantId: string;
  /** Active | Deleted */
  state: string;
  etag?: number;
  version?: number;
  createdTime?: string;
  updatedTime?: string;
}

/** The caller's current link (GET /partners); undefined when the identity has none (404). */
export async function getCurrentPartnerLink(conn: ArmConnection, options: CallOptions = {}): Promise<PartnerLinkInfo | undefined> {
  try {
    const r = await runArm(conn, { operation: "getCurrentPartnerLink" }, () => partnerClient(conn).partners.get({ abortSignal: options.abortSignal }));
    const info = toInfo(r, undefined);
    // A Deleted record is not a link (DELETE keeps the record; azure-apis.md section 1).
    return info.state.toLowerCase() === "deleted" ? undefined : info;
  } catch (err) {
    if (err instanceof ArmError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/**
 * The caller's link to one partner ID (GET /partners/{partnerId}); undefined when the identity has no link or is
 * linked to another partner ID (Azure answers 404 for both).
 */
export async function getPartnerLink(conn: ArmConnection, partnerId: string, options: CallOptions = {}): Promise<PartnerLinkInfo | undefined> {
  checkPartnerId("getPartnerLink", partnerId);
  try {
    const r = await runArm(conn, { operation: "getPartnerLink", target: partnerId }, () =>
      partnerClient(conn).partner.get(partnerId, { abortSignal: options.abortSignal }),
    );
    const info = toInfo(r, partnerId);
    return info.state.toLowerCase() === "deleted" ? undefined : info;
  } catch (err) {
    if (err instanceof ArmError && err.statusCode === 404) return undefined;
    throw err;
  }
}

/** Link the calling identity to `partnerId` (PUT). Fails with kind "alreadyLinked" when it is linked already. */
export async function createPartnerLink(conn: ArmConnection, partnerId: string, options: CallOptions = {}): Promise<PartnerLinkInfo> {
  checkPartnerId("createPartnerLink", partnerId);
  try {
    const r = await runArm(conn, { operation: "createPartnerLink", target: partnerId }, () =>
      partnerClient(conn).partner.create(partnerId, { abortSignal: options.abortSignal }),
    );
    return toInfo(r, partnerId);
  } catch (err) {
    if (err instanceof ArmError && err.kind === "alreadyLinked" && !/partner ID \d/.test(err.message)) {
      // Name the partner ID the identity is linked to: one cheap GET.
      const current = await getCurrentPartnerLink(conn, options).catch(() => undefined);
      if (current) {
        const identity = { tenantId: current.tenantId, objectId: current.objectId };
        throw toArmError(
          { statusCode: err.statusCode, code: err.code, message: err.azureMessage },
          { operation: "createPartnerLink", target: partnerId, linkedPartnerId: current.partnerId, identity: await callerIdentity(conn).catch(() => identity) },
        );
      }
    }
    throw err;
  }
}

/** Switch the caller's existing link to `partnerId` (PATCH). Fails with kind "notLinked" when there is no link. */
export async function updatePartnerLink(conn: ArmConnection, partnerId: string, options: CallOptions = {}): Promise<PartnerLinkInfo> {
  checkPartnerId("updatePartnerLink", partnerId);
  const r = await runArm(conn, { operation: "updatePartnerLink", target: partnerId }, () =>
    partnerClient(conn).partner.update(partnerId, { abortSignal: options.abortSignal }),
  );
  return toInfo(r, partnerId);
}

/** Remove the caller's link to `partnerId` (DELETE). */
export async function deletePartnerLink(conn: ArmConnection, partnerId: string, options: CallOptions = {}): Promise<void> {
  checkPartnerId("deletePartnerLink", partnerId);
  await runArm(conn, { operation: "deletePartnerLink", target: partnerId }, () =>
    partnerClient(conn).partner.delete(partnerId, { abortSignal: options.abortSignal }),
  );
}

function checkPartnerId(operation: string, partnerId: string): void {
  if (!isPartnerId(partnerId)) {
    throw invalidInput(operation, String(partnerId), `partnerId must be the numeric Associated Partner ID (MPN ID, 6-10 digits), e.g. "5127255"`);
  }
}

/** PartnerResponse (properties flattened by the SDK) -> PartnerLinkInfo. */
export function toInfo(r: PartnerResponse, requested: string | undefined): PartnerLinkInfo {
  const partnerId = r.partnerId ?? r.name ?? requested;
  if (!partnerId || !r.objectId || !r.tenantId) {
    throw new ArmError(
      `partner link response lacks ${!partnerId ? "partnerId" : !r.objectId ? "objectId" : "tenantId"}: the endpoint did not answer like Microsoft.ManagementPartner 2018-02-01; check endpoint/cloud`,
      { kind: "unknown", operation: "partnerLink", target: requested },
    );
  }
  const info: PartnerLinkInfo = { partnerId, objectId: r.objectId, tenantId: r.tenantId, state: r.state ?? "Active" };
  if (r.partnerName !== undefined) info.partnerName = r.partnerName;
  const etag = num(r.etag);
  if (etag !== undefined) info.etag = etag;
  const version = num(r.version);
  if (version !== undefined) info.version = version;
  if (r.createdTime) info.createdTime = iso(r.createdTime);
  if (r.updatedTime) info.updatedTime = iso(r.updatedTime);
  return info;
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function iso(v: Date | string): string {
  return v instanceof Date ? v.toISOString() : v;
}
