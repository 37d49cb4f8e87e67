import { ArmError } from "./errors";
import type { EmuRequest } from "./request";

/** ARM's api-version gate: missing -> 400 MissingApiVersionParameter; unsupported -> 400 NoRegisteredProviderFound. */
export function requireApiVersion(req: EmuRequest, resourceType: string, supported: readonly string[], flatErrors = false): string {
  const v = req.query.get("api-version");
  if (!v)
    throw new ArmError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.", {}, flatErrors);
  if (!supported.includes(v))
    throw new ArmError(
      400,
      "NoRegisteredProviderFound",
      `No registered resource provider found for location 'global' and API version '${v}' for type '${resourceType}'. ` +
        `The supported api-versions are '${supported.join(", ")}'. The supported locations are ', global'.`,
      {},
      flatErrors,
    );
  return v;
}
