/**
 * GET /providers/Microsoft.ManagementPartner/operations and /[{scope}/]providers/Microsoft.ManagedServices/operations:
 * the provider's operation list (shape: OperationList in each provider's 2018-02-01 / 2022-10-01 spec).
 */
import { requireApiVersion } from "./api-version";
import { MANAGED_SERVICES_API_VERSIONS } from "./managed-services";
import { PAL_API_VERSIONS } from "./partners";
import type { EmuRequest, EmuResponse } from "./request";

const op = (provider: string, resource: string, name: string, operation: string, description: string) => ({
  name,
  display: { provider, resource, operation, description },
});

const PAL_OPS = ["read", "write", "action", "delete"].map((verb) =>
  op("Microsoft ManagementPartner", "ManagementPartner", `Microsoft.ManagementPartner/partners/${verb}`, `${verb} ManagementPartner`, `${verb} the caller's Partner Admin Link`),
);

const MS_OPS = (["registrationDefinitions", "registrationAssignments"] as const).flatMap((t) =>
  ["read", "write", "delete"].map((verb) =>
    op("Microsoft Managed Services", `Managed Services ${t}`, `Microsoft.ManagedServices/${t}/${verb}`, `${verb} ${t}`, `${verb} Managed Services ${t}.`),
  ),
);

export function handleOperations(req: EmuRequest): EmuResponse | undefined {
  if (req.method !== "GET") return undefined;
  if (/^\/providers\/Microsoft\.ManagementPartner\/operations\/?$/i.test(req.path)) {
    requireApiVersion(req, "operations", PAL_API_VERSIONS, true);
    return { status: 200, body: { value: PAL_OPS } };
  }
  if (/^(\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+)?)?\/providers\/Microsoft\.ManagedServices\/operations\/?$/i.test(req.path)) {
    requireApiVersion(req, "operations", MANAGED_SERVICES_API_VERSIONS);
    return { status: 200, body: { value: MS_OPS } };
  }
  return undefined;
}
