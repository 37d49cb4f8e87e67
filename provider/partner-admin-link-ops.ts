/**
 * What the PartnerAdminLink provider does, operation by operation, over arm/ (Microsoft.ManagementPartner
 * 2018-02-01 through @azure/arm-managementpartner). The serialized provider (partner-admin-link.ts) loads this
 * module at run time (package self-reference `partnerlink/provider`), so the provider text in state stays small.
 *
 * The link belongs to the identity that makes the call (the token's oid + tid; azure-apis.md section 1): the
 * resource signs in with `connection`, typically the Provider Automation Account service principal.
 * Robust pattern (azure-apis.md): GET the caller's current link, then PUT (none), adopt (same ID) or PATCH
 * (another ID, only when `allowRelink`).
 */
import type * as pulumi from "@pulumi/pulumi";
import { createPartnerLink, deletePartnerLink, getCurrentPartnerLink, updatePartnerLink, whoAmI, type PartnerLinkInfo } from "../arm";
import { isPartnerId, isPlaceholderGuid, parseGuid } from "../rules/identifiers";
import { describeConnection, providerError, type ProviderConnection } from "./connection-args";
import { engineFailures, isUnknown, PROVIDER_INPUT_VALIDATORS, validateInputs } from "./input-validation";

/** Inputs as the provider receives them (Outputs resolved). */
export interface PartnerAdminLinkInputs {
  partnerId: string;
  connection: ProviderConnection;
  allowRelink?: boolean;
  /**
   * The object ID the identity of `connection` must have, when the program states it: create and update sign in and
   * compare before any write, so a credential of another identity (an app registration's object ID taken for its
   * service principal's, a secret of another app) links no one. As an input it also tells policy packs at preview
   * which principal the link is for (PL008); the output `objectId` is the linked identity as ARM reports it.
   */
  objectId?: string;
  /** How the program's user sets these inputs, named in messages instead of the input (the root stack's config keys). */
  messageKeys?: { partnerId?: string; allowRelink?: string; objectId?: string };
}

/** How a message names an input: the program's own key when it gave one (`partnerlink:partner.allowRelink`). */
function keyOf(inputs: { messageKeys?: unknown }, input: "partnerId" | "allowRelink" | "objectId"): string {
  const keys = inputs.messageKeys as Record<string, unknown> | undefined;
  const k = keys && typeof keys === "object" && !isUnknown(keys) ? keys[input] : undefined;
  return typeof k === "string" && !isUnknown(k) ? k : input;
}

/** Everything the resource records. `connection` is kept (delete and refresh sign in with it) and is a secret. */
export interface PartnerAdminLinkOutputs {
  partnerId: string;
  allowRelink: boolean;
  messageKeys?: { partnerId?: string; allowRelink?: string; objectId?: string };
  connection: ProviderConnection;
  partnerName: string;
  objectId: string;
  tenantId: string;
  state: string;
  createdTime: string;
  updatedTime: string;
}

const LABEL = "PartnerAdminLink";

export async function check(olds: unknown, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
  const failures = validateInputs(PROVIDER_INPUT_VALIDATORS.partnerAdminLink, news, LABEL);
  const partnerId = news.partnerId;
  if (typeof partnerId === "string" && !isUnknown(partnerId) && !isPartnerId(partnerId)) {
    failures.push({
      property: "partnerId",
      reason: `${LABEL}: partnerId "${partnerId}" is not a partner ID: use the numeric Associated Partner ID (MPN ID) from Partner Center, e.g. "5127255"`,
    });
  }
  const objectId = news.objectId;
  // Not a GUID, or the placeholder the samples ship (rules/identifiers.ts PLACEHOLDER_GUIDS): no identity has it, so
  // create would refuse it only after signing in.
  const objectIdProblem =
    typeof objectId !== "string" || isUnknown(objectId) ? undefined : parseGuid(objectId) === undefined ? "is not a GUID (8-4-4-4-12 hex digits)" : isPlaceholderGuid(objectId) ? "is a placeholder GUID, not an object ID" : undefined;
  if (objectIdProblem !== undefined) {
    failures.push({
      property: "objectId",
      reason:
        `${LABEL}: ${keyOf(news, "objectId")} '${objectId}' ${objectIdProblem}. Fix: use the object ID of the service principal ` +
        `the connection signs in as (Entra ID > Enterprise applications, or az ad sp show --id <clientId> --query id), or leave it out`,
    });
  }
  // A partnerId change moves the identity's link (PATCH), which update refuses without allowRelink: say so at
  // preview, not half-way through `pulumi up`. (olds are the recorded inputs; none on a create.)
  const old = (olds as Record<string, unknown> | undefined)?.partnerId;
  if (
    failures.length === 0 &&
    typeof old === "string" &&
    typeof partnerId === "string" &&
    !isUnknown(partnerId) &&
    old !== partnerId &&
    !isUnknown(news.allowRelink) &&
    news.allowRelink !== true
  ) {
    failures.push({
      property: "allowRelink",
      reason:
        `${LABEL}: ${keyOf(news, "partnerId")} changes from ${old} to ${partnerId}, which moves the identity's link to another partner ID (PATCH): ` +
        `set ${keyOf(news, "allowRelink")} to true to move it, or set ${keyOf(news, "partnerId")} back to ${old}`,
    });
  }
  const inputs: Record<string, unknown> = { ...news, allowRelink: news.allowRelink ?? false };
  return failures.length > 0 ? { inputs, failures: engineFailures(failures) } : { inputs };
}

export async function diff(_id: string, olds: PartnerAdminLinkOutputs, news: PartnerAdminLinkInputs): Promise<pulumi.dynamic.DiffResult> {
  // Another identity means another link: the old identity's link is removed, the new one's made.
  const replaces: string[] = [];
  const oc = olds.connection?.credential as unknown as Record<string, unknown> | undefined;
  const nc = news.connection?.credential as unknown as Record<string, unknown> | undefined;
  if (oc && nc && !isUnknown(nc) && (oc.kind !== nc.kind || oc.tenantId !== nc.tenantId || oc.clientId !== nc.clientId)) {
    if (!isUnknown(nc.tenantId) && !isUnknown(nc.clientId)) replaces.push("connection");
  }
  const changes =
    replaces.length > 0 ||
    olds.partnerId !== news.partnerId ||
    (olds.allowRelink ?? false) !== (news.allowRelink ?? false) ||
    // A stated objectId is compared with the linked identity's (the output): another one is an update, which
    // signs in and refuses the link when the connection is not that identity.
    (news.objectId !== undefined && !isUnknown(news.objectId) && parseGuid(news.objectId) !== parseGuid(olds.objectId)) ||
    JSON.stringify(olds.connection) !== JSON.stringify(news.connection);
  return replaces.length > 0 ? { changes: true, replaces } : { changes };
}

export async function create(inputs: PartnerAdminLinkInputs): Promise<pulumi.dynamic.CreateResult> {
  const link = await ensureLinked(inputs, "create");
  return { id: inputs.partnerId, outs: outputsOf(inputs, link) };
}

export async function update(_id: string, _olds: PartnerAdminLinkOutputs, news: PartnerAdminLinkInputs): Promise<pulumi.dynamic.UpdateResult> {
  const link = await ensureLinked(news, "update");
  return { outs: outputsOf(news, link) };
}

/**
 * Reads the caller's link as it is: removed -> the resource is gone (refresh drops it, the next `up` links again);
 * linked to another partner ID -> outputs show that ID, so the next diff sees the drift.
 * Works for `pulumi import` with only the ID (the partner ID) and the inputs' connection.
 */
export async function read(id: string, props: Partial<PartnerAdminLinkOutputs>): Promise<pulumi.dynamic.ReadResult> {
  const conn = props.connection;
  if (!conn) {
    throw providerError(LABEL, `cannot read partner link ${id}: no connection in the resource's inputs; declare the resource with its connection before importing it`, []);
  }
  const current = await arm(conn, "read", () => getCurrentPartnerLink(conn));
  if (!current) return { id: "" };
  const expected = props.partnerId ?? id;
  const inputs: PartnerAdminLinkInputs = { partnerId: expected, connection: conn, allowRelink: props.allowRelink ?? false };
  const outs = outputsOf(inputs, current);
  // An import (no recorded outputs yet: `state` is one the resource always records) adopts the link as it is,
  // provided it is the one asked for. (`objectId` can be an input, so it does not tell an import from a refresh.)
  if (props.state === undefined && current.partnerId !== expected) {
    throw providerError(
      LABEL,
      `cannot import partner link ${expected}: the identity (${describeConnection(conn)}) is linked to partner ID ${current.partnerId}; import "${current.partnerId}" or relink first`,
      [conn],
    );
  }
  return { id: id || current.partnerId, props: outs };
}

/** Unlinks, unless the identity is now linked to another partner ID (then that link is not this resource's). */
export async function remove(_id: string, props: PartnerAdminLinkOutputs): Promise<void> {
  const conn = props.connection;
  const current = await arm(conn, "delete", () => getCurrentPartnerLink(conn));
  if (!current || current.partnerId !== props.partnerId) return;
  await arm(conn, "delete", () => deletePartnerLink(conn, props.partnerId));
}

/** GET the caller's link, then PUT / adopt / PATCH. Idempotent: a retry after any failure converges. */
async function ensureLinked(inputs: PartnerAdminLinkInputs, op: string): Promise<PartnerLinkInfo> {
  const conn = inputs.connection;
  const wanted = inputs.partnerId;
  const current = await arm(conn, op, () => getCurrentPartnerLink(conn));
  await verifyIdentity(inputs, op, current?.objectId);
  if (!current) {
    try {
      return await arm(conn, op, () => createPartnerLink(conn, wanted));
    } catch (err) {
      // The PUT may have succeeded before its answer was lost (the SDK then retried into "already linked"):
      // look again and adopt what is there when it is what we asked for.
      const again = await arm(conn, op, () => getCurrentPartnerLink(conn)).catch(() => undefined);
      if (again && again.partnerId === wanted) return again;
      throw err;
    }
  }
  if (current.partnerId === wanted) return current;
  if (!inputs.allowRelink) {
    throw providerError(
      LABEL,
      `the identity (${describeConnection(conn)}, object ${current.objectId}) is already linked to partner ID ${current.partnerId}, not ${wanted}. ` +
        `Set ${keyOf(inputs, "allowRelink")} to true to move the link to ${wanted} (PATCH), or set ${keyOf(inputs, "partnerId")} to ${current.partnerId}`,
      [conn],
    );
  }
  return arm(conn, op, () => updatePartnerLink(conn, wanted));
}

/**
 * When the program states the identity's object ID, the connection must sign in as it (the token's `oid`,
 * arm/whoami.ts): checked before any write, so the link is never made for another identity. The usual mix-up is the
 * app registration's object ID for the service principal's: both are in the portal, only the service principal's is
 * a principal that holds roles, and the PEC authorizations name it. `linkedObjectId`: the object of the caller's
 * current link, when it has one (the link is the caller's own, so that is who it signs in as): no second sign-in.
 */
async function verifyIdentity(inputs: PartnerAdminLinkInputs, op: string, linkedObjectId: string | undefined): Promise<void> {
  const expected = parseGuid(inputs.objectId);
  if (expected === undefined) return;
  const conn = inputs.connection;
  const actual = linkedObjectId ?? (await arm(conn, op, () => whoAmI(conn))).objectId;
  if (parseGuid(actual) === expected) return;
  const key = keyOf(inputs, "objectId");
  throw providerError(
    LABEL,
    `the connection (${describeConnection(conn)}) signs in as object ${actual}, not ${key} ${inputs.objectId}: nothing was written. ` +
      `Fix: set ${key} to ${actual} if that is the PEC identity (a service principal's object ID, not its app registration's), ` +
      `or give the connection the credential of object ${inputs.objectId}`,
    [conn],
  );
}

function outputsOf(inputs: PartnerAdminLinkInputs, link: PartnerLinkInfo): PartnerAdminLinkOutputs {
  return {
    partnerId: link.partnerId,
    allowRelink: inputs.allowRelink ?? false,
    ...(inputs.messageKeys !== undefined ? { messageKeys: inputs.messageKeys } : {}),
    connection: inputs.connection,
    partnerName: link.partnerName ?? "",
    objectId: link.objectId,
    tenantId: link.tenantId,
    state: link.state,
    createdTime: link.createdTime ?? "",
    updatedTime: link.updatedTime ?? "",
  };
}

/** Runs one ARM-layer call; its failure leaves as a ProviderError naming the operation, secrets removed. */
async function arm<T>(conn: ProviderConnection, op: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof Error && err.name === "ProviderError") throw err;
    throw providerError(`${LABEL} ${op}`, err, [conn]);
  }
}
