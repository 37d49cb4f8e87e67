export * from "./model";
export * from "./metadata";
export * from "./config-types";
export * from "./identifiers";
export * from "./roles";
export * from "./config";
export * from "./waivers";
export * from "./engine";
export type { Check, RawFinding, Report, RuleContext } from "./checks";
