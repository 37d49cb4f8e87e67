/** rules/facts.ts: the MFA providers ARM and azurerm accept, and what the CDKTF construct writes for azurerm. */
import { ARM_MFA_PROVIDERS, AZURERM_MFA_PROVIDERS, MAX_ACTIVATION_MINUTES, MAX_APPROVERS, MIN_ACTIVATION_MINUTES, acceptedMfaProvider, azurermMfaProvider, isoMinutes, mfaProviderFact } from "../../rules/facts";

describe("MFA provider facts", () => {
  it("each fact names its source and the day it was read", () => {
    for (const f of [ARM_MFA_PROVIDERS, AZURERM_MFA_PROVIDERS]) {
      expect(f.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.source.length).toBeGreaterThan(40);
    }
    expect(AZURERM_MFA_PROVIDERS.source).toContain("internal/services/lighthouse/lighthouse_definition_resource.go");
    expect(AZURERM_MFA_PROVIDERS.source).toContain("StringInSlice");
  });

  it("ARM takes Azure and None in any case; azurerm takes Azure only, letter for letter", () => {
    expect(["Azure", "None", "azure", "NONE", "Phone"].map((v) => acceptedMfaProvider(ARM_MFA_PROVIDERS, v))).toEqual(["Azure", "None", "Azure", "None", undefined]);
    expect(["Azure", "None", "azure"].map((v) => acceptedMfaProvider(AZURERM_MFA_PROVIDERS, v))).toEqual(["Azure", undefined, undefined]);
  });

  it("an element's fact follows the provider its adapter marks", () => {
    expect(mfaProviderFact({ provider: "azurerm" })).toBe(AZURERM_MFA_PROVIDERS);
    expect(mfaProviderFact({ file: "t.json" })).toBe(ARM_MFA_PROVIDERS);
    expect(mfaProviderFact(undefined)).toBe(ARM_MFA_PROVIDERS);
  });

  it("azurerm's attribute for an ARM value: Azure written as azurerm spells it, None left out (azurerm sends it)", () => {
    expect(["Azure", "azure", "None", "none"].map(azurermMfaProvider)).toEqual(["Azure", "Azure", undefined, undefined]);
    expect(azurermMfaProvider("Phone")).toBe("Phone");
  });
});

describe("just-in-time limits", () => {
  it("each names its source and the day it was read", () => {
    for (const f of [MIN_ACTIVATION_MINUTES, MAX_ACTIVATION_MINUTES, MAX_APPROVERS]) {
      expect(f.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.source).toContain("create-eligible-authorizations");
    }
    expect([MIN_ACTIVATION_MINUTES.value, MAX_ACTIVATION_MINUTES.value, MAX_APPROVERS.value]).toEqual([30, 480, 10]);
  });

  it("minutes read back as the ISO 8601 durations the messages show", () => {
    expect([30, 480, 90, 60, 0].map(isoMinutes)).toEqual(["PT30M", "PT8H", "PT1H30M", "PT1H", "PT0M"]);
  });
});
