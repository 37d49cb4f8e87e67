import type { PartnerlinkConfig } from "../rules/config-types";
import { emptyEstate } from "../rules/model";
import type { FileEstate } from "./file-estate";

/** A partnerlink config file given as an input: its `subscriptions` become Subscriptions of the estate. */
export function adaptConfigSubscriptions(cfg: PartnerlinkConfig, file: string): FileEstate {
  const estate = emptyEstate();
  (cfg.subscriptions ?? []).forEach((s, i) => {
    const name = s.name ?? s.subscriptionId;
    const sub: (typeof estate.subscriptions)[number] = {
      name,
      source: { file, path: `$.subscriptions[${i}]`, resource: name },
      subscriptionId: s.subscriptionId,
      agreement: s.agreement ?? "unknown",
    };
    if (s.dpor !== undefined) sub.dpor = s.dpor;
    estate.subscriptions.push(sub);
  });
  return { estate, inlineWaivers: [], notices: [] };
}
