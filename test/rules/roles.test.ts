import Ajv from "ajv";
import addFormats from "ajv-formats";
import catalogJson from "../../rules/roles.json";
import catalogSchema from "../../rules/roles.schema.json";
import {
  DEFAULT_PEC_ROLE_ID,
  PEC_LIGHTHOUSE_ROLES,
  buildRoleCatalog,
  defaultRoleCatalog,
  lookupRole,
} from "../../rules/roles";

const SUB = "66666666-6666-4666-8666-666666666666";
const CONTRIB = "b24988ac-6180-42a0-ab88-20f7382dd24c";

describe("role catalog data", () => {
  const roles = defaultRoleCatalog().all();
  it("holds both reference tables: 98 PEC-eligible, 24 not eligible, plus the Delete Role", () => {
    expect(roles.filter((r) => r.pecEligible)).toHaveLength(98);
    expect(roles.filter((r) => !r.pecEligible)).toHaveLength(25);
    expect(lookupRole("91c1777a-f3dc-4fae-b103-61d183457e46")?.name).toBe("Managed Services Registration assignment Delete Role");
  });
  it("gives every fact a source, and unknown facts stay unknown", () => {
    for (const r of roles) {
      expect(r.sources.pecEligible).toBeTruthy();
      expect(r.sources.lighthouse).toBeTruthy();
      if (r.hasDataActions === null) expect(r.lighthouse).toBe("unknown");
      else expect(r.sources.hasDataActions).toBeTruthy();
    }
    // The reference left the not-eligible roles' DataActions open; they come from the role-definition dump it cites.
    expect(lookupRole("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")).toMatchObject({ name: "Storage Blob Data Reader", hasDataActions: true, lighthouse: "no" });
    expect(lookupRole("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")?.sources.hasDataActions).toMatch(/2026-08-22/);
    expect(lookupRole("72fafb9e-0641-4937-9268-a91bfd8191a3")).toMatchObject({ name: "Cost Management Reader", pecEligible: false, hasDataActions: false, lighthouse: "yes" });
    expect(lookupRole("b9331d33-8a36-4f8c-b097-4f54124fdb44")?.notes).toMatch(/Managed Application Publisher Operator/);
  });
  it("rules/roles.json validates against rules/roles.schema.json", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(catalogSchema);
    expect(validate(catalogJson) ? [] : validate.errors).toEqual([]);
    expect(validate({ catalogDate: "2026-08-22", roles: [{ id: "X", name: "n" }] })).toBe(false);
  });
  it("IDs are unique lower-case GUIDs", () => {
    const ids = (catalogJson as { roles: { id: string }[] }).roles.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
  it("knows the facts the rules rely on", () => {
    expect(lookupRole("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")).toMatchObject({ name: "Owner", pecEligible: true, lighthouse: "no", eligibleAllowed: false });
    expect(lookupRole("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9")).toMatchObject({ lighthouse: "with-delegated-roles", eligibleAllowed: false });
    expect(lookupRole("acdd72a7-3385-48ef-bd42-f606fba81ae7")).toMatchObject({ name: "Reader", pecEligible: false, lighthouse: "yes", eligibleAllowed: true });
    expect(lookupRole("ba92f5b4-2d11-453d-a403-e96b0029c9fe")).toMatchObject({ hasDataActions: true, lighthouse: "no", pecEligible: true });
  });
  it("carries the volatile Log Analytics Contributor fact with its date", () => {
    const la = lookupRole("92aaf0da-9dab-42b6-94a3-d43ce8d16293");
    expect(la).toMatchObject({ volatile: true, asOf: "2026-05-20", hasDataActions: true, lighthouse: "no" });
    expect(la?.sources.hasDataActions).toMatch(/2026-05-20/);
  });
});

describe("lookupRole ID forms", () => {
  it.each([
    CONTRIB,
    CONTRIB.toUpperCase(),
    `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIB}`,
    `/PROVIDERS/microsoft.authorization/ROLEDEFINITIONS/${CONTRIB}`,
    `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${CONTRIB.toUpperCase()}`,
  ])("%s -> Contributor", (id) => expect(lookupRole(id)?.name).toBe("Contributor"));
  it("unknown GUID and garbage -> undefined, never guessed", () => {
    expect(lookupRole("99999999-9999-4999-8999-999999999999")).toBeUndefined();
    expect(lookupRole("Contributor")).toBeUndefined();
  });
});

describe("PEC + Lighthouse roles", () => {
  it("default is Contributor, which is usable", () => {
    expect(DEFAULT_PEC_ROLE_ID).toBe(CONTRIB);
    expect(PEC_LIGHTHOUSE_ROLES.map((r) => r.id)).toContain(CONTRIB);
  });
  it("excludes Owner, Reader, UAA and data roles", () => {
    const ids = new Set(PEC_LIGHTHOUSE_ROLES.map((r) => r.id));
    for (const id of ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "acdd72a7-3385-48ef-bd42-f606fba81ae7", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "92aaf0da-9dab-42b6-94a3-d43ce8d16293"]) {
      expect(ids.has(id)).toBe(false);
    }
    for (const r of PEC_LIGHTHOUSE_ROLES) expect(r.pecEligible && r.lighthouse === "yes" && r.hasDataActions === false).toBe(true);
  });
});

describe("config role overrides", () => {
  it("re-derives Lighthouse support when hasDataActions changes (Log Analytics Contributor lost its data action)", () => {
    const cat = buildRoleCatalog([{ id: "92AAF0DA-9dab-42b6-94a3-d43ce8d16293", hasDataActions: false, reason: "data action removed 2026-09-01" }]);
    const la = cat.lookup("92aaf0da-9dab-42b6-94a3-d43ce8d16293");
    expect(la).toMatchObject({ hasDataActions: false, lighthouse: "yes", overridden: true });
    expect(la?.sources.hasDataActions).toMatch(/config roles override: data action removed/);
    expect(cat.pecLighthouseRoles().map((r) => r.id)).toContain("92aaf0da-9dab-42b6-94a3-d43ce8d16293");
    // The shipped catalog is not modified.
    expect(lookupRole("92aaf0da-9dab-42b6-94a3-d43ce8d16293")?.lighthouse).toBe("no");
  });
  it("adds an unknown role with only the stated facts", () => {
    const cat = buildRoleCatalog([{ id: "99999999-9999-4999-8999-999999999999", name: "Newer Role", hasDataActions: false }]);
    expect(cat.lookup("99999999-9999-4999-8999-999999999999")).toMatchObject({ name: "Newer Role", pecEligible: false, lighthouse: "yes" });
  });
  it("an explicit lighthouse value wins", () => {
    const cat = buildRoleCatalog([{ id: CONTRIB, lighthouse: "no", hasDataActions: true }]);
    expect(cat.lookup(CONTRIB)?.lighthouse).toBe("no");
  });
});
