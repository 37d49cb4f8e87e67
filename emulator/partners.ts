/**
 * Microsoft.ManagementPartner/partners (api-version 2018-02-01): the Partner Admin Link of the CALLING
 * identity (tid + oid of the token). Behaviour from the recorded sessions in Azure/azure-powershell
 * (src/ManagementPartner/.../SessionRecords) and Azure/azure-cli-extensions (managementpartner
 * recordings): PUT answers 200 with the record; PATCH switches the partner ID (same record, etag+1);
 * DELETE answers 200 with an empty body; GET /partners answers the caller's link as one object;
 * DELETE then PUT reuses the record (createdTime kept, etag/version increase).
 * Error shape per the spec's `Error` definition: code/message in `error` and repeated at the top level.
 * UNVERIFIED (not in any recording): the status of PUT when already linked; we answer 409 Conflict
 * (one of the spec's ErrorResponseCode values) -- see emulator/README.md.
 */
import { isPartnerId } from "../rules/identifiers";
import { requireApiVersion } from "./api-version";
import { ArmError } from "./errors";
import type { ArmRequest, EmuResponse } from "./request";
import type { PartnerLinkRecord } from "./state";

export const PAL_API_VERSIONS = ["2018-02-01"] as const;
const PREFIX = "/providers/microsoft.managementpartner/partners";

function err(status: number, code: string, message: string): ArmError {
  return new ArmError(status, code, message, {}, true);
}

export function partnerResponse(rec: PartnerLinkRecord): Record<string, unknown> {
  return {
    id: `${PREFIX}/${rec.partnerId}`,
    type: "Microsoft.ManagementPartner/partners",
    name: rec.partnerId,
    etag: rec.version,
    properties: {
      partnerId: rec.partnerId,
      ...(rec.partnerName !== undefined ? { partnerName: rec.partnerName } : {}),
      tenantId: rec.tenantId,
      objectId: rec.objectId,
      version: rec.version,
      updatedTime: rec.updatedTime,
      createdTime: rec.createdTime,
      state: rec.state,
    },
  };
}

/** Matches `/providers/Microsoft.ManagementPartner/partners[/{id}]`; returns undefined when not ours. */
export function matchPartners(path: string): { partnerId?: string } | undefined {
  const m = /^\/providers\/microsoft\.managementpartner\/partners(?:\/([^/]*))?\/?$/i.exec(path);
  if (!m) return undefined;
  return m[1] ? { partnerId: decodeURIComponent(m[1]) } : {};
}

export function handlePartners(req: ArmRequest, partnerId: string | undefined): EmuResponse {
  requireApiVersion(req, "partners", PAL_API_VERSIONS, true);
  const { state, caller } = req;
  const current = state.getLink(caller.tid, caller.oid);
  const active = current?.state === "Active" ? current : undefined;
  const now = new Date().toISOString();
  const partnerName = (id: string): string | undefined => state.seed.partners?.find((p) => p.partnerId === id)?.partnerName;

  if (partnerId === undefined) {
    if (req.method !== "GET") throw err(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed on '/providers/Microsoft.ManagementPartner/partners'.`);
    if (!active) throw err(404, "NotFound", `No partner is linked to the identity (objectId '${caller.oid}', tenant '${caller.tid}').`);
    return { status: 200, body: partnerResponse(active) };
  }
  if (!isPartnerId(partnerId))
    throw err(400, "BadRequest", `The partner ID '${partnerId}' is invalid: a partner ID (MPN ID / Associated Partner ID) is a number of 6 to 10 digits.`);

  switch (req.method) {
    case "GET": {
      if (!active) throw err(404, "NotFound", `No partner is linked to the identity (objectId '${caller.oid}', tenant '${caller.tid}').`);
      if (active.partnerId !== partnerId)
        throw err(404, "NotFound", `The identity is linked to partner ID '${active.partnerId}', not '${partnerId}'.`);
      return { status: 200, body: partnerResponse(active) };
    }
    case "PUT": {
      if (active)
        throw err(
          409,
          "Conflict",
          `The identity (objectId '${caller.oid}') is already linked to partner ID '${active.partnerId}'. Use PATCH (update) to link it to another partner ID.`,
        );
      const rec: PartnerLinkRecord = current
        ? { ...current, partnerId, partnerName: partnerName(partnerId), version: current.version + 1, updatedTime: now, state: "Active" }
        : { tenantId: caller.tid, objectId: caller.oid, partnerId, partnerName: partnerName(partnerId), version: 1, createdTime: now, updatedTime: now, state: "Active" };
      if (rec.partnerName === undefined) delete rec.partnerName;
      state.putLink(rec);
      return { status: 200, body: partnerResponse(rec) };
    }
    case "PATCH": {
      if (!active) throw err(404, "NotFound", `No partner is linked to the identity (objectId '${caller.oid}'): create the link with PUT first.`);
      const rec: PartnerLinkRecord = { ...active, partnerId, partnerName: partnerName(partnerId), version: active.version + 1, updatedTime: now };
      if (rec.partnerName === undefined) delete rec.partnerName;
      state.putLink(rec);
      return { status: 200, body: partnerResponse(rec) };
    }
    case "DELETE": {
      if (!active) throw err(404, "NotFound", `No partner is linked to the identity (objectId '${caller.oid}').`);
      if (active.partnerId !== partnerId)
        throw err(404, "NotFound", `The identity is linked to partner ID '${active.partnerId}', not '${partnerId}'.`);
      state.putLink({ ...active, version: active.version + 1, updatedTime: now, state: "Deleted" });
      return { status: 200 };
    }
    default:
      throw err(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed.`);
  }
}
