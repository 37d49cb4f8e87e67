/**
 * Microsoft.ManagedServices marketplaceRegistrationDefinitions (2022-10-01): the managed-service offers published
 * to the marketplace, at tenant scope (`/providers/...`) or a customer scope (`/subscriptions/{id}[/resourceGroups/{rg}]/providers/...`).
 * The catalog is the seed's `marketplaceOffers`; identifiers are `{publisher}.{product}.{planName}.{version}`,
 * `$filter=planIdentifier eq '<identifier>'` selects one. Shape: spec 2022-10-01 MarketplaceRegistrationDefinition
 * (examples GetMarketplaceRegistrationDefinition*.json).
 */
import { requireApiVersion } from "./api-version";
import { ArmError } from "./errors";
import { MANAGED_SERVICES_API_VERSIONS } from "./managed-services";
import type { ArmRequest, EmuResponse } from "./request";
import type { SeedMarketplaceOffer } from "./types";

const RE = /^((?:\/subscriptions\/[^/]+(?:\/resourceGroups\/[^/]+)?)?)\/providers\/Microsoft\.ManagedServices\/marketplaceRegistrationDefinitions(?:\/([^/]+))?\/?$/i;

export function matchMarketplace(path: string): { scope: string; identifier?: string } | undefined {
  const m = RE.exec(path);
  if (!m) return undefined;
  return { scope: m[1] ?? "", ...(m[2] ? { identifier: decodeURIComponent(m[2]) } : {}) };
}

export function planIdentifier(o: SeedMarketplaceOffer): string {
  return `${o.plan.publisher}.${o.plan.product}.${o.plan.name}.${o.plan.version}`;
}

function offerResponse(scope: string, o: SeedMarketplaceOffer): Record<string, unknown> {
  const name = planIdentifier(o);
  const properties: Record<string, unknown> = { managedByTenantId: o.managedByTenantId, authorizations: o.authorizations };
  if (o.eligibleAuthorizations) properties.eligibleAuthorizations = o.eligibleAuthorizations;
  for (const k of ["offerDisplayName", "publisherDisplayName", "planDisplayName"] as const) if (o[k] !== undefined) properties[k] = o[k];
  return {
    properties,
    plan: { name: o.plan.name, product: o.plan.product, publisher: o.plan.publisher, version: o.plan.version },
    id: `${scope}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions/${name}`,
    type: "Microsoft.ManagedServices/marketplaceRegistrationDefinitions",
    name,
  };
}

export function handleMarketplace(req: ArmRequest, route: { scope: string; identifier?: string }): EmuResponse {
  requireApiVersion(req, "marketplaceRegistrationDefinitions", MANAGED_SERVICES_API_VERSIONS);
  if (req.method !== "GET") throw new ArmError(405, "MethodNotAllowed", `The requested method '${req.method}' is not allowed on '${req.path}'.`);
  const subId = /^\/subscriptions\/([^/]+)/i.exec(route.scope)?.[1];
  if (subId && !req.state.subscription(subId)) throw new ArmError(404, "SubscriptionNotFound", `The subscription '${subId}' could not be found.`);
  const offers = req.state.seed.marketplaceOffers ?? [];
  if (route.identifier) {
    const o = offers.find((x) => planIdentifier(x).toLowerCase() === route.identifier!.toLowerCase());
    if (!o) throw new ArmError(404, "MarketplaceRegistrationDefinitionNotFound", `The marketplace registration definition '${route.identifier}' could not be found.`);
    return { status: 200, body: offerResponse(route.scope, o) };
  }
  const f = req.query.get("$filter");
  let selected = offers;
  if (f !== null && f.trim() !== "") {
    const m = /^\s*planIdentifier\s+eq\s+'([^']*)'\s*$/i.exec(f);
    if (!m) throw new ArmError(400, "InvalidFilterParameter", `The $filter '${f}' is not supported: use planIdentifier eq '<publisher.product.plan.version>'.`);
    selected = offers.filter((o) => planIdentifier(o).toLowerCase() === m[1]!.toLowerCase());
  }
  return { status: 200, body: { value: selected.map((o) => offerResponse(route.scope, o)) } };
}
