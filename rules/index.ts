/**
 * partnerlink rules: the normalized model, the rule table, the role catalog, identifier parsers, config loading
 * and the engine. One source of truth for every rule and role fact, and for what Azure and azurerm accept (facts).
 *
 * @example Check an estate an adapter produced
 *   import { evaluate, loadConfigFile, mergeConfigFlags } from "partnerlink/rules";
 *   const config = mergeConfigFlags(loadConfigFile("partnerlink.config.yaml"), { pecPrincipals: ["<objectId>"] });
 *   const { findings, notices } = evaluate(estate, config, { inlineWaivers, configFile: "partnerlink.config.yaml" });
 *   const failing = findings.filter((f) => f.severity === "error" && !f.suppressed);
 *
 * @example Resource-level vs stack-level (Pulumi policy pack)
 *   evaluate(oneDelegationEstate, config, { only: [...perDelegationRules] });
 *   evaluate(wholeStackEstate, config, { only: [...estateRules] });
 *
 * @example Role facts and identifiers
 *   lookupRole("/subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/b24988ac-...")?.pecEligible; // true
 *   buildRoleCatalog(config.roles ?? []).lookup(id);   // with config overrides
 *   parseScope("subscriptions/<guid>/resourceGroups/rg"); // { subscriptionId, resourceGroup, scope }
 *   armGuid(offerName, scope);                         // ARM guid()
 */
export * from "./model";
export * from "./metadata";
export * from "./config-types";
export * from "./identifiers";
export * from "./resource-groups";
export * from "./roles";
export * from "./facts";
export * from "./config";
export * from "./waivers";
export * from "./engine";
export type { Check, RawFinding, Report, RuleContext } from "./checks";
