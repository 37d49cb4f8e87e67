import * as path from "node:path";
import { DEFAULT_CONFIG_FILES } from "../rules/config";
import type { PartnerlinkConfig } from "../rules/config-types";
import { emptyEstate } from "../rules/model";
import type { FileEstate } from "./file-estate";

/**
 * A partnerlink config file given as an input: its `subscriptions` become Subscriptions of the estate.
 * Its settings (pecPrincipals, partnerId, waivers, ...) apply only to the config in effect (`--config`, else the one
 * in the working folder). When this file is not that one and has settings, a notice says so: a folder written by
 * `partnerlink template` holds the config that checks it, and checking the folder from elsewhere would otherwise
 * say "no PEC principal is configured" beside a file that configures one.
 */
export function adaptConfigSubscriptions(cfg: PartnerlinkConfig, file: string, inEffect = false): FileEstate {
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
  const settings = Object.keys(cfg).filter((k) => k !== "subscriptions" && k !== "$schema");
  const notices = inEffect || settings.length === 0 ? [] : [
    `${file} is read as an input for its subscriptions only; its ${settings.join(", ")} apply only to the config in effect. ` +
      `Fix: pass --config ${file}${DEFAULT_CONFIG_FILES.includes(path.basename(file)) ? " (or run partnerlink check from its folder)" : ""} to apply them.`,
  ];
  return { estate, inlineWaivers: [], notices };
}
