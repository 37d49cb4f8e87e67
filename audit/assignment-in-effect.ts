/**
 * Whether a registration assignment read from ARM is in effect, from its `provisioningState`.
 *
 * ARM creates an assignment asynchronously: the PUT answers 201 with `Accepted` and the assignment reaches
 * `Succeeded` (or `Failed`) later (recorded in Azure/azure-powershell ManagedServices_CRUD.json, which
 * ../shared/azure-contract holds). Until then, or after a failure, a cancel or during deletion, the partner tenant
 * has no access through it, so it earns nothing and an audit must not count it. The 2022-10-01 spec's
 * ProvisioningState enum (specification/managedservices/.../stable/2022-10-01/managedservices.json):
 * NotSpecified, Accepted, Running, Ready, Creating, Created, Deleting, Deleted, Canceled, Failed, Succeeded, Updating.
 * - `Succeeded`, or no state at all (nothing says otherwise): in effect.
 * - Failed, Canceled, Deleting, Deleted: not in effect, and it will not become so by waiting.
 * - Every other state (Accepted, Running, Creating, ..., and values the enum may gain): still provisioning.
 * Compared case-insensitively, as ARM compares enum values.
 */
export type AssignmentEffect = "in-effect" | "provisioning" | "not-in-effect";

const ENDED = new Set(["failed", "canceled", "deleting", "deleted"]);

export function assignmentEffect(provisioningState: string | undefined): AssignmentEffect {
  const state = provisioningState?.toLowerCase();
  if (state === undefined || state === "" || state === "succeeded") return "in-effect";
  return ENDED.has(state) ? "not-in-effect" : "provisioning";
}
