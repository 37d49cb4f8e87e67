/** Pulumi resources -> partnerlink's normalized model (rules/model.ts). Used by the policy pack and the root stack. */
export * from "./resource";
export * from "./unknowns";
export * from "./billing";
export * from "./lighthouse";
export * from "./azure-native";
export * from "./azure-classic";
export * from "./partnerlink";
export * from "./registry";
export * from "./estate";
