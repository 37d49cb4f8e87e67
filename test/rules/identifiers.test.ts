import { createHash } from "node:crypto";
import {
  ARM_GUID_NAMESPACE,
  armGuid,
  isGuid,
  isPartnerId,
  isPlaceholderGuid,
  parseGuid,
  parseIsoDuration,
  parseRegistrationDefinitionId,
  parseRoleDefinitionId,
  parseScope,
  parseSubscriptionId,
  uuidv5,
} from "../../rules/identifiers";

const SUB = "66666666-6666-4666-8666-666666666666";
const DNS_NS = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

describe("GUIDs", () => {
  it("accepts 8-4-4-4-12 hex in any case and normalizes to lower case", () => {
    expect(isGuid("B24988AC-6180-42a0-ab88-20f7382dd24c")).toBe(true);
    expect(parseGuid("B24988AC-6180-42A0-AB88-20F7382DD24C")).toBe("b24988ac-6180-42a0-ab88-20f7382dd24c");
  });
  it.each(["", "not-a-guid", "{b24988ac-6180-42a0-ab88-20f7382dd24c}", "b24988ac618042a0ab8820f7382dd24c", "b24988ac-6180-42a0-ab88-20f7382dd24g"])(
    "rejects %j",
    (s) => expect(parseGuid(s)).toBeUndefined(),
  );
  it("rejects non-strings", () => expect(isGuid(42)).toBe(false));
  it("parses the placeholder GUIDs (Azure's recordings name subscription 00000000-...), which isPlaceholderGuid tells apart", () => {
    for (const p of ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"]) {
      expect(parseGuid(p)).toBe(p.toLowerCase());
      expect(isPlaceholderGuid(p)).toBe(true);
    }
    expect(isPlaceholderGuid("ffffFFFF-ffff-FFFF-ffff-FFFFffffFFFF")).toBe(true);
    // The same length and digits without the hyphens where a GUID has them, or another character: not a GUID at all.
    for (const g of ["b24988ac-6180-42a0-ab88-20f7382dd24c", "00000000-0000-0000-0000-000000000001", "f0000000-0000-0000-0000-000000000000", "0000000000000000000000000000000000-0", "00000000-0000-0000-0000-0000000000\u0010", "not-a-guid", 0]) {
      expect(isPlaceholderGuid(g)).toBe(false);
    }
  });
});

describe("partner IDs (6..10 digits)", () => {
  it.each(["123456", "1234567", "1234567890"])("accepts %s", (s) => expect(isPartnerId(s)).toBe(true));
  it.each(["12345", "12345678901", "12a4567", " 1234567", "", "-123456"])("rejects %j", (s) => expect(isPartnerId(s)).toBe(false));
});

describe("scopes", () => {
  it("parses subscription scope with or without leading slash", () => {
    expect(parseScope(`/subscriptions/${SUB}`)).toEqual({ subscriptionId: SUB, scope: `/subscriptions/${SUB}` });
    expect(parseScope(`subscriptions/${SUB.toUpperCase()}`)).toEqual({ subscriptionId: SUB, scope: `/subscriptions/${SUB}` });
  });
  it("parses resource group scope, keyword case-insensitive", () => {
    expect(parseScope(`/SUBSCRIPTIONS/${SUB}/resourcegroups/rg-1.(x)`)).toEqual({
      subscriptionId: SUB,
      resourceGroup: "rg-1.(x)",
      scope: `/subscriptions/${SUB}/resourceGroups/rg-1.(x)`,
    });
  });
  it.each([`/subscriptions/not-a-guid`, `/subscriptions/${SUB}/resourceGroups/`, `/subscriptions/${SUB}/resourceGroups/rg/providers/x`, SUB, "", `/subscriptions/${SUB}/resourceGroups/ends.`])(
    "rejects %j",
    (s) => expect(parseScope(s)).toBeUndefined(),
  );
  it("subscription IDs: GUID or /subscriptions/{guid}, never an RG scope", () => {
    expect(parseSubscriptionId(SUB.toUpperCase())).toBe(SUB);
    expect(parseSubscriptionId(`/subscriptions/${SUB}`)).toBe(SUB);
    expect(parseSubscriptionId(`/subscriptions/${SUB}/resourceGroups/rg`)).toBeUndefined();
  });
});

describe("memoized parsers", () => {
  it("answer the same on repeated calls, for valid and invalid input, and share frozen results", () => {
    for (let i = 0; i < 2; i++) {
      expect(parseScope(`/subscriptions/${SUB}/resourceGroups/memo`)?.resourceGroup).toBe("memo");
      expect(parseScope("/subscriptions/memo-bad")).toBeUndefined();
      expect(parseRoleDefinitionId("/providers/Microsoft.Authorization/roleDefinitions/bad")).toBeUndefined();
      expect(parseIsoDuration("PT45M")).toBe(45);
      expect(parseIsoDuration("PT45")).toBeUndefined();
    }
    expect(Object.isFrozen(parseScope(`/subscriptions/${SUB}`))).toBe(true);
  });
});

describe("role definition IDs", () => {
  const G = "b24988ac-6180-42a0-ab88-20f7382dd24c";
  it.each([
    G,
    G.toUpperCase(),
    `/providers/Microsoft.Authorization/roleDefinitions/${G}`,
    `providers/microsoft.authorization/roledefinitions/${G.toUpperCase()}`,
    `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${G}`,
    `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/${G}`,
    `/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/roleDefinitions/${G}`,
  ])("parses %s", (s) => expect(parseRoleDefinitionId(s)).toBe(G));
  it.each(["Contributor", `/providers/Microsoft.Authorization/roleAssignments/${G}`, `/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/${G}`])(
    "rejects %j",
    (s) => expect(parseRoleDefinitionId(s)).toBeUndefined(),
  );
});

describe("registration definition IDs", () => {
  const D = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
  it("parses the resource ID and the bare GUID", () => {
    expect(parseRegistrationDefinitionId(`/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/${D.toUpperCase()}`)).toEqual({
      subscriptionId: SUB,
      definitionId: D,
    });
    expect(parseRegistrationDefinitionId(D)).toEqual({ definitionId: D });
  });
  it("rejects RG-scoped and other resource IDs", () => {
    expect(parseRegistrationDefinitionId(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ManagedServices/registrationDefinitions/${D}`)).toBeUndefined();
    expect(parseRegistrationDefinitionId(`/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationAssignments/${D}`)).toBeUndefined();
  });
});

describe("ISO 8601 durations -> minutes", () => {
  it.each([
    ["PT30M", 30],
    ["PT8H", 480],
    ["PT1H30M", 90],
    ["P1D", 1440],
    ["P1W", 10080],
    ["P1DT2H", 1560],
    ["PT90S", 1.5],
    ["pt0.5h", 30],
  ])("%s = %d", (s, m) => expect(parseIsoDuration(s)).toBe(m));
  it.each(["", "P", "PT", "8H", "PT8", "P1M", "P1Y", "PT-1H", "P1DT", "PT8H30"])("rejects %j", (s) => expect(parseIsoDuration(s)).toBeUndefined());
});

describe("armGuid (ARM guid(): uuidv5 under 11fb06fb-..., parts joined with '-')", () => {
  it("matches the published RFC 4122 / Python uuid5 vectors for the DNS namespace (same code path)", () => {
    // Python docs: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org') == 886313e1-3b8a-5372-9b90-0c9aee199e5d
    expect(uuidv5("python.org", DNS_NS)).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
    // uuid (npm) README / widely reproduced: v5('www.example.com', DNS) == 2ed6657d-e927-568b-95e1-2665a8aea6a2
    expect(uuidv5("www.example.com", DNS_NS)).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("is uuidv5 of the joined parts under the ARM namespace, with version 5 and RFC 4122 variant bits", () => {
    const g = armGuid("contoso-offer", "/subscriptions/x");
    expect(g).toBe(uuidv5("contoso-offer-/subscriptions/x", ARM_GUID_NAMESPACE));
    expect(g[14]).toBe("5");
    expect(["8", "9", "a", "b"]).toContain(g[19]);
    // Independent derivation of the first 32 bits: SHA-1(namespace bytes || name).
    const sha = createHash("sha1").update(Buffer.from(ARM_GUID_NAMESPACE.replace(/-/g, ""), "hex")).update("contoso-offer-/subscriptions/x").digest("hex");
    expect(g.slice(0, 8)).toBe(sha.slice(0, 8));
  });

  it("differs by argument split only through the '-' join (guid('a','b') == guid('a-b'))", () => {
    expect(armGuid("a", "b")).toBe(armGuid("a-b"));
    expect(armGuid("a", "b")).not.toBe(armGuid("ab"));
  });

  it("refuses zero arguments", () => expect(() => armGuid()).toThrow(/at least one/));
});
