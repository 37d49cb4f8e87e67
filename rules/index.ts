export * from "./model";
export * from "./metadata";
export * from "./config-types";
export * from "./identifiers";
export * from "./roles";
export * from "./engine";
