/**
 * formats/plan-slices.ts: a plan read and adapted a slice of resource_changes at a time gives the estate the whole
 * reading gives, and every plan it does not expect is left to the whole reading (which reports what is wrong).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../formats/input-error";
import { loadInputs } from "../../formats/load";
import { adaptPlanInSlices, SLICE_BYTES } from "../../formats/plan-slices";
import { parseDocumentBytes } from "../../formats/read-document";
import { adaptTerraformPlan } from "../../formats/terraform";
import { validateInput } from "../../formats/validate";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

const sub = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const defGuid = (i: number) => `10000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

function definition(i: number): Record<string, unknown> {
  return {
    name: `offer ${i} "quoted" é`,
    managing_tenant_id: TENANT,
    scope: `/subscriptions/${sub(i)}`,
    lighthouse_definition_id: defGuid(i),
    authorization: [
      { principal_id: PEC, role_definition_id: i % 7 === 0 ? READER : CONTRIBUTOR, principal_display_name: "PEC", delegated_role_definition_ids: null },
      { principal_id: "22222222-2222-2222-2222-222222222222", role_definition_id: READER, principal_display_name: "Ops", delegated_role_definition_ids: null },
    ],
    eligible_authorization:
      i % 3 === 0
        ? [{ principal_id: "33333333-3333-3333-3333-333333333333", role_definition_id: CONTRIBUTOR, just_in_time_access_policy: [{ maximum_activation_duration: i % 9 === 0 ? "PT9H" : "PT4H", multi_factor_auth_provider: "Azure", approver: [{ principal_id: PEC }] }] }]
        : [],
  };
}

/**
 * A compact plan of `n` delegations (definition + assignment each, some in a module with instance keys), with
 * entries the adapter skips (a delete, a data source, other types whose values hold lists of objects that begin with an
 * `address` string), unknown and sensitive values, planned-only and prior-state resources, and a configuration.
 */
function bigPlan(n: number, extra: (p: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const changes: Record<string, unknown>[] = [];
  const planned: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const mod = i % 5 === 0 ? `module.m["k${i}"].` : "";
    const defAddr = `${mod}azurerm_lighthouse_definition.d${i}`;
    const asgAddr = `${mod}azurerm_lighthouse_assignment.a${i}`;
    const after = definition(i);
    changes.push({
      address: defAddr,
      mode: "managed",
      type: "azurerm_lighthouse_definition",
      name: `d${i}`,
      change: { actions: ["create"], before: null, after, after_unknown: { id: true, authorization: [{}, {}] }, before_sensitive: false, after_sensitive: i % 4 === 0 ? { name: true } : {} },
    });
    changes.push({
      address: asgAddr,
      mode: "managed",
      type: "azurerm_lighthouse_assignment",
      name: `a${i}`,
      change: { actions: ["create"], before: null, after: { scope: `/subscriptions/${sub(i)}`, lighthouse_definition_id: `/subscriptions/${sub(i)}/providers/Microsoft.ManagedServices/registrationDefinitions/${defGuid(i)}` }, after_unknown: { id: true, name: true } },
    });
    if (i % 6 === 0)
      // Lists of objects that begin with an `address` string: `},{"address":"` inside an entry.
      changes.push({
        address: `azurerm_lb_backend_address_pool.p${i}`,
        mode: "managed",
        type: "azurerm_lb_backend_address_pool",
        name: `p${i}`,
        change: { actions: ["update"], before: { addresses: [{ address: "10.0.0.1" }, { address: "10.0.0.2" }] }, after: { addresses: Array.from({ length: 12 }, (_, k) => ({ address: `10.0.${i}.${k}`, name: `n${k}` })) }, after_unknown: {} },
      });
    if (i % 11 === 0) changes.push({ address: `azurerm_lighthouse_definition.gone${i}`, mode: "managed", type: "azurerm_lighthouse_definition", name: `gone${i}`, change: { actions: ["delete"], before: definition(i), after: null, after_unknown: {} } });
    planned.push({ address: defAddr, mode: "managed", type: "azurerm_lighthouse_definition", name: `d${i}`, values: after, sensitive_values: {} });
  }
  planned.push({ address: "azurerm_lighthouse_definition.planned_only", mode: "managed", type: "azurerm_lighthouse_definition", name: "planned_only", values: definition(7), sensitive_values: { name: true } });
  planned.push({ address: "data.azurerm_subscription.s", mode: "data", type: "azurerm_subscription", name: "s", values: { subscription_id: sub(1) } });
  const plan: Record<string, unknown> = {
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables: { v: { value: "x" } },
    planned_values: { root_module: { resources: planned } },
    resource_changes: changes,
    output_changes: { o: { actions: ["create"], before: null, after: "v", after_unknown: false, before_sensitive: false, after_sensitive: false } },
    // Resources here begin `{"address":"` too, as the entries do: no slice may end among them.
    prior_state: {
      format_version: "1.0",
      values: {
        root_module: {
          resources: [
            { address: "azurerm_lighthouse_definition.kept", mode: "managed", type: "azurerm_lighthouse_definition", name: "kept", values: definition(14) },
            ...Array.from({ length: 40 }, (_, k) => ({ address: `azurerm_resource_group.rg${k}`, mode: "managed", type: "azurerm_resource_group", name: `rg${k}`, values: { name: `rg${k}`, location: "westeurope" } })),
          ],
        },
      },
    },
    configuration: {
      root_module: {
        resources: [
          { address: "azurerm_lighthouse_assignment.a1", expressions: { lighthouse_definition_id: { references: ["azurerm_lighthouse_definition.d1.id", "azurerm_lighthouse_definition.d1"] } } },
          ...Array.from({ length: 40 }, (_, k) => ({ address: `azurerm_resource_group.rg${k}`, mode: "managed", type: "azurerm_resource_group", name: "rg", expressions: { name: { constant_value: `rg${k}` } } })),
        ],
      },
    },
    relevant_attributes: [{ resource: "azurerm_lighthouse_definition.d0", attribute: ["id"] }],
    timestamp: "2026-11-22T00:00:00Z",
    applyable: true,
    complete: true,
    errored: false,
  };
  extra(plan);
  return plan;
}

/** The estate (and inline waivers, notices) of the whole reading: JSON.parse, validation, the adapter. */
function whole(text: string): unknown {
  const doc = JSON.parse(text) as Record<string, unknown>;
  validateInput("terraform-plan", doc, "plan.json");
  return adaptTerraformPlan(doc, "plan.json");
}

const SLICE = 4096;

describe("plan-slices", () => {
  test("a plan read in slices gives the estate of the whole reading, the document's members and the bytes as they were", () => {
    const text = JSON.stringify(bigPlan(200));
    expect(text.length).toBeGreaterThan(40 * SLICE);
    const bytes = Buffer.from(text, "utf8");
    const sliced = adaptPlanInSlices("plan.json", bytes, SLICE);
    expect(sliced).toBeDefined();
    const expected = whole(text);
    expect(sliced!.adapted).toEqual(expected);
    // What the rules see of it: 200 definitions, the planned-only one, the prior-state one.
    expect(sliced!.adapted.estate.delegations).toHaveLength(202);
    expect(sliced!.adapted.estate.sensitiveValues?.size).toBeGreaterThan(0);
    expect(Object.keys(sliced!.doc)).toEqual(Object.keys(JSON.parse(text) as object));
    expect(sliced!.doc.resource_changes).toEqual([]);
    expect(bytes.toString("utf8")).toBe(text);
  });

  test.each([4096, 700, 64])("every slice size gives the same estate (%d bytes: slices that end inside an entry are read with the next)", (size) => {
    const text = JSON.stringify(bigPlan(60));
    const sliced = adaptPlanInSlices("plan.json", Buffer.from(text), size);
    // Small slices end inside the lists of `address` objects more often than MAX_MERGES allows: read whole then.
    if (size >= 4096) expect(sliced).toBeDefined();
    if (sliced) expect(sliced.adapted).toEqual(whole(text));
  });

  test("with entries full of `address` objects, slices are read together until they end between entries", () => {
    // Each lb entry's list of 12 address objects is longer than a 64-byte slice: nearly every slice ends inside it.
    const text = JSON.stringify(
      bigPlan(30, (p) => {
        p.resource_changes = (p.resource_changes as Record<string, unknown>[]).filter((rc) => rc.type !== "azurerm_lb_backend_address_pool");
      }),
    );
    const withLists = JSON.stringify(bigPlan(30));
    expect(adaptPlanInSlices("plan.json", Buffer.from(text), 64)?.adapted).toEqual(whole(text));
    expect(adaptPlanInSlices("plan.json", Buffer.from(withLists), 64)).toBeUndefined();
    expect(adaptPlanInSlices("plan.json", Buffer.from(withLists), 2048)?.adapted).toEqual(whole(withLists));
  });

  const notSliced: [string, () => string][] = [
    ["indented JSON", () => JSON.stringify(bigPlan(60), null, 2)],
    [
      "another member before resource_changes",
      () => {
        const { resource_changes, ...rest } = bigPlan(60);
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(rest)) {
          out[k] = v;
          if (k === "planned_values") out.deferred_changes = [];
        }
        out.resource_changes = resource_changes;
        return JSON.stringify(out);
      },
    ],
    ["a second resource_changes key", () => JSON.stringify(bigPlan(60)).replace(/\}$/, ',"resource_changes":[]}')],
    ["a syntax error in a slice", () => JSON.stringify(bigPlan(60)).replace('"name":"a30"', '"name" "a30"')],
    ["an entry the schema refuses", () => JSON.stringify(bigPlan(60)).replace('"actions":["create"],"before":null,"after":{"name":"offer 30', '"actions":["explode"],"before":null,"after":{"name":"offer 30')],
    ["a document the schema refuses", () => JSON.stringify(bigPlan(60, (p) => (p.configuration = [])))],
    ["a partial plan", () => JSON.stringify(bigPlan(60, (p) => (p.errored = true)))],
    // In planned_values too, where the adapter does not read it (resource_changes has it).
    ["an attribute of the wrong type", () => JSON.stringify(bigPlan(60)).split(`"managing_tenant_id":"${TENANT}","scope":"/subscriptions/${sub(30)}"`).join(`"managing_tenant_id":["x"],"scope":"/subscriptions/${sub(30)}"`)],
  ];
  test.each(notSliced)("%s: left to the whole reading", (_name, make) => {
    const text = make();
    const bytes = Buffer.from(text);
    expect(adaptPlanInSlices("plan.json", bytes, SLICE)).toBeUndefined();
    expect(bytes.toString("utf8")).toBe(text);
  });

  test("a plan whose resource_changes fit in one slice: left to the whole reading", () => {
    const text = JSON.stringify(bigPlan(60));
    expect(adaptPlanInSlices("plan.json", Buffer.from(text), text.length)).toBeUndefined();
    expect(adaptPlanInSlices("plan.json", Buffer.from(text), text.length / 4)).toBeDefined();
  });

  test("every plan fixture, compact as terraform show -json writes it, gives the whole reading's estate in slices", () => {
    const dir = path.join(__dirname, "..", "fixtures", "check", "tfplan");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(files.length).toBeGreaterThanOrEqual(15);
    let sliced = 0;
    for (const f of files) {
      const text = JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")));
      const entries = (JSON.parse(text) as { resource_changes?: unknown[] }).resource_changes?.length ?? 0;
      const read = adaptPlanInSlices(f, Buffer.from(text), 64);
      // A slice ends before an entry: a plan of one entry has nothing to slice.
      if (entries >= 2) expect(read).toBeDefined();
      if (read) {
        sliced++;
        expect(read.adapted).toEqual(adaptTerraformPlan(JSON.parse(text) as Record<string, unknown>, f));
      }
    }
    expect(sliced).toBeGreaterThanOrEqual(10);
  });

  describe("partnerlink check's reading (loadInputs)", () => {
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "pl-slices-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A plan over two slices of the default size, in a file. */
    function planFile(name: string, text: string): string {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    }
    const big = (): string => {
      const text = JSON.stringify(bigPlan(2000));
      expect(text.length).toBeGreaterThan(2 * SLICE_BYTES);
      return text;
    };

    test("a large plan gives the estate of the whole reading", () => {
      const text = big();
      const f = planFile("plan.json", text);
      // Read in slices, not left to the whole reading (which would give the same).
      expect(adaptPlanInSlices(f, Buffer.from(text))).toBeDefined();
      const loaded = loadInputs([f]);
      expect(loaded.errors).toEqual([]);
      const doc = JSON.parse(text) as Record<string, unknown>;
      const expected = adaptTerraformPlan(doc, f);
      expect(loaded.estate).toEqual(expected.estate);
      expect(loaded.files).toEqual([f]);
    });

    test.each([
      ["malformed", (t: string) => t.replace('"name":"a1500"', '"name" "a1500"')],
      ["an entry the schema refuses", (t: string) => t.replace('"actions":["create"],"before":null,"after":{"name":"offer 1500', '"actions":["explode"],"before":null,"after":{"name":"offer 1500')],
      ["an attribute of the wrong type", (t: string) => t.split(`"managing_tenant_id":"${TENANT}","scope":"/subscriptions/${sub(1500)}"`).join(`"managing_tenant_id":["x"],"scope":"/subscriptions/${sub(1500)}"`)],
    ])("a large plan %s: the error of the whole reading", (_name, breakIt) => {
      const text = breakIt(big());
      expect(text).not.toBe(big());
      const f = planFile("broken.json", text);
      const loaded = loadInputs([f]);
      expect(loaded.errors).toHaveLength(1);
      // The whole reading of the same bytes: parse, validate, adapt.
      let expected: unknown;
      try {
        const doc = parseDocumentBytes(f, fs.readFileSync(f)) as Record<string, unknown>;
        validateInput("terraform-plan", doc, f);
        adaptTerraformPlan(doc, f);
      } catch (e) {
        expected = e;
      }
      expect(expected).toBeInstanceOf(InputError);
      expect(loaded.errors[0]).toEqual(expected);
      expect(loaded.errors[0]!.message).toContain("broken.json");
    });
  });
});
