/**
 * The byte-level JSON skimmer (rules/json-skim.ts) and the Terraform plan section reader
 * (formats/plan-sections.ts): same validity verdicts as JSON.parse, same estate and the same validation errors
 * as a JSON.parse'd plan, malformed bytes fall back to JSON.parse's error message.
 */
import { InputError } from "../../formats/input-error";
import { JsonSkimError, skipValue } from "../../rules/json-skim";
import { looksLikeTerraformPlan, readPlanSections as readSections } from "../../formats/plan-sections";
import { parseDocumentBytes } from "../../formats/read-document";
import { parseJsonText } from "../../formats/read-json";
import { adaptTerraformPlan, planResourceWanted } from "../../formats/terraform";
import { validateInput } from "../../formats/validate";

const PEC = "11111111-1111-1111-1111-111111111111";
const TENANT = "44444444-4444-4444-4444-444444444444";
const SUB = "66666666-6666-6666-6666-666666666666";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";

/** true when skipValue consumes exactly the whole text (after whitespace). */
function skims(text: string): boolean {
  const b = Buffer.from(text, "utf8");
  try {
    let end = skipValue(b, 0);
    while (end < b.length && " \t\r\n".includes(String.fromCharCode(b[end]!))) end++;
    return end === b.length;
  } catch (e) {
    if (e instanceof JsonSkimError) return false;
    throw e;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const SNIPPETS = [
  "{}",
  "[]",
  ' { "a" : [ 1 , -2.5e+3 , 0 , -0.0 , 1E9 , true , false , null ] } ',
  '"plain"',
  '"braces } ] { [ and , : inside"',
  '"quote \\" and backslash \\\\"',
  '"ends in backslash \\\\"',
  '"\\u00e9\\uD83D\\uDE00 \\/ \\b\\f\\n\\r\\t"',
  '"unicode é 😀 as bytes"',
  '{"a":{"b":{"c":[[[{}]]]}}}',
  '{"__proto__":{"x":1}}',
  // malformed
  "",
  "{",
  '{"a":1',
  '{"a":1,}',
  "[1,]",
  "[1 2]",
  '{"a" 1}',
  '{a:1}',
  "{'a':1}",
  '{"a":1}}',
  "[}",
  '{"a":]',
  "01",
  "1.",
  ".5",
  "-",
  "1e",
  "+1",
  "tru",
  "nul",
  "NaN",
  '"unterminated',
  '"bad escape \\x"',
  '"short unicode \\u12"',
  '"raw\ttab"',
  '"raw\nnewline"',
  "[1]x",
  '{"a":1} {"b":2}',
];

describe("json-skim", () => {
  test.each(SNIPPETS.map((s) => [s]))("skipValue agrees with JSON.parse on %j", (text) => {
    expect(skims(text)).toBe(parses(text));
  });

  test("deep nesting does not overflow the stack", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(skipValue(Buffer.from(deep), 0)).toBe(deep.length);
    expect(() => skipValue(Buffer.from(deep.slice(0, -1)), 0)).toThrow(JsonSkimError);
    // The container stack is shared between calls: what a deep document left in it decides nothing after.
    const mixed = '{"a":[{"b":[1,{"c":{}}]}]}';
    expect(skipValue(Buffer.from(mixed), 0)).toBe(mixed.length);
    expect(() => skipValue(Buffer.from('[{"a":[}]]'), 0)).toThrow(JsonSkimError);
    expect(() => skipValue(Buffer.from('{"a":[1}'), 0)).toThrow(JsonSkimError);
  });
});

const defValues = (i: number, role = CONTRIBUTOR) => ({
  name: `offer ${i} with "quotes", {braces} and \\ backslash`,
  description: "é 😀 \u2028",
  managing_tenant_id: TENANT,
  scope: `/subscriptions/${SUB}`,
  lighthouse_definition_id: `00000000-0000-4000-8000-00000000000${i}`,
  authorization: [{ principal_id: PEC, role_definition_id: role, principal_display_name: "}{][\"", delegated_role_definition_ids: null }],
  eligible_authorization: [
    {
      principal_id: "22222222-2222-2222-2222-222222222222",
      role_definition_id: CONTRIBUTOR,
      just_in_time_access_policy: [{ maximum_activation_duration: "PT4H", multi_factor_auth_provider: "Azure", approver: [{ principal_id: "33333333-3333-3333-3333-333333333333" }] }],
    },
  ],
});

/**
 * A plan with every section, keys in the order Terraform 1.9-1.13 writes them (the `plan` struct's field order in
 * hashicorp/terraform internal/command/jsonplan/plan.go: ... resource_changes, deferred_changes, output_changes,
 * prior_state, configuration, relevant_attributes, checks, timestamp, applyable, complete, errored), with the
 * members newer versions add (`identity` of a planned resource and `after_identity` of a change in 1.12,
 * internal/command/jsonplan/resource.go and plan.go; `deferred_changes` in 1.9) where they write them.
 */
function samplePlan(): Record<string, unknown> {
  const asg = (i: number) => ({ scope: `/subscriptions/${SUB}`, lighthouse_definition_id: `/subscriptions/${SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/00000000-0000-4000-8000-00000000000${i}` });
  return {
    format_version: "1.2",
    terraform_version: "1.9.8",
    variables: { x: { value: [1, 2, { y: "}" }] } },
    planned_values: {
      outputs: { o: { sensitive: false, value: "v" } },
      root_module: {
        resources: [
          { address: "azurerm_lighthouse_definition.d0", mode: "managed", type: "azurerm_lighthouse_definition", name: "d0", provider_name: "p", schema_version: 0, values: defValues(0), sensitive_values: { authorization: [{}] }, identity_schema_version: 0, identity: { id: "x" } },
          { address: "azurerm_lighthouse_assignment.a0", mode: "managed", type: "azurerm_lighthouse_assignment", name: "a0", values: asg(0) },
          // Only in planned_values: read from its deferred values.
          { address: "azurerm_lighthouse_definition.only_planned", mode: "managed", type: "azurerm_lighthouse_definition", name: "only_planned", values: defValues(1, "acdd72a7-3385-48ef-bd42-f606fba81ae7") },
          { address: "data.azurerm_subscription.s", mode: "data", type: "azurerm_subscription", name: "s", values: { subscription_id: SUB } },
          { address: "azurerm_resource_group.rg[\"a\"]", mode: "managed", type: "azurerm_resource_group", name: "rg", index: "a", values: { name: "rg" } },
        ],
        child_modules: [
          {
            address: "module.m",
            resources: [{ address: "module.m.azurerm_lighthouse_assignment.a[0]", mode: "managed", type: "azurerm_lighthouse_assignment", name: "a", index: 0, values: { scope: `/subscriptions/${SUB}/resourceGroups/rg` } }],
          },
        ],
      },
    },
    resource_drift: [{ address: "x.y", change: { actions: ["update"], before: { a: 1 }, after: { a: 2 } } }],
    resource_changes: [
      {
        address: "azurerm_lighthouse_definition.d0",
        mode: "managed",
        type: "azurerm_lighthouse_definition",
        name: "d0",
        change: { actions: ["create"], before: null, after: defValues(0), after_unknown: { id: true, authorization: [{}], eligible_authorization: [{ just_in_time_access_policy: [{ approver: [{}] }] }] }, before_sensitive: false, after_sensitive: { authorization: [{}] }, after_identity: { id: "x" } },
      },
      { address: "azurerm_lighthouse_assignment.a0", mode: "managed", type: "azurerm_lighthouse_assignment", name: "a0", change: { actions: ["create"], before: null, after: asg(0), after_unknown: { id: true, name: true } } },
      { address: "azurerm_resource_group.rg[\"a\"]", mode: "managed", type: "azurerm_resource_group", name: "rg", index: "a", change: { actions: ["no-op"], before: { name: "rg" }, after: { name: "rg" }, after_unknown: {} } },
    ],
    // Not applied by this plan (a later plan has it in resource_changes): not read.
    deferred_changes: [{ reason: "instance_count_unknown", resource_change: { address: "azurerm_lighthouse_definition.later[*]", mode: "managed", type: "azurerm_lighthouse_definition", name: "later", index_unknown: true, change: { actions: ["create"], before: null, after: defValues(3), after_unknown: { id: true } } } }],
    output_changes: { o: { actions: ["create"], before: null, after: "v", after_unknown: false, before_sensitive: false, after_sensitive: false } },
    prior_state: {
      format_version: "1.0",
      values: { root_module: { resources: [{ address: "azurerm_lighthouse_definition.kept", mode: "managed", type: "azurerm_lighthouse_definition", name: "kept", values: defValues(2) }] } },
    },
    configuration: {
      root_module: {
        module_calls: {
          m: { module: { resources: [{ address: "azurerm_lighthouse_assignment.a", expressions: { lighthouse_definition_id: { references: ["azurerm_lighthouse_definition.only_planned.id", "azurerm_lighthouse_definition.only_planned"] } } }] } },
        },
      },
    },
    relevant_attributes: [{ resource: "azurerm_lighthouse_definition.d0", attribute: ["id"] }],
    checks: [{ address: { kind: "resource", mode: "managed", name: "d0", to_display: "azurerm_lighthouse_definition.d0", type: "azurerm_lighthouse_definition" }, status: "pass", instances: [] }],
    timestamp: "2026-11-21T00:00:00Z",
    applyable: true,
    complete: false,
    errored: false,
  };
}

/** Reverses the key order of every object (keys in odd order: `change` before `type`, `values` before `address`). */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
  return v;
}

const readPlanSections = (b: Buffer) => readSections(b, planResourceWanted);

/** "valid", or the message validation gives a plan document. */
function err(doc: unknown): string {
  try {
    validateInput("terraform-plan", doc, "plan.json");
    return "valid";
  } catch (e) {
    return (e as Error).message;
  }
}

function viaSections(doc: unknown, indent?: number): Record<string, unknown> {
  return readPlanSections(Buffer.from(JSON.stringify(doc, null, indent), "utf8"));
}

describe("plan-sections", () => {
  test.each([
    ["Terraform's key order, compact", samplePlan(), undefined],
    ["Terraform's key order, indented", samplePlan(), 2],
    ["keys in reverse order", reversedKeys(samplePlan()), undefined],
  ] as const)("%s: the same estate as from JSON.parse", (_name, plan, indent) => {
    const fromParse = adaptTerraformPlan(JSON.parse(JSON.stringify(plan)) as Record<string, unknown>, "plan.json");
    const doc = viaSections(plan, indent);
    expect(() => validateInput("terraform-plan", doc, "plan.json")).not.toThrow();
    const fromSections = adaptTerraformPlan(doc, "plan.json");
    expect(fromSections).toEqual(fromParse);
    expect(fromSections.estate.delegations.map((d) => d.name)).toEqual([
      "azurerm_lighthouse_definition.d0",
      "azurerm_lighthouse_definition.only_planned",
      "azurerm_lighthouse_definition.kept",
      "module.m.azurerm_lighthouse_assignment.a[0]", // its reference names no definition in module.m: on its own
    ]);
    // after_unknown became Unresolved on the definition read from resource_changes.
    expect(fromSections.estate.delegations[0]!.assignments.map((a) => a.scope)).toEqual([`/subscriptions/${SUB}`]);
  });

  test("planned values are built only for resources the adapter reads from planned_values", () => {
    const doc = viaSections(samplePlan());
    const resources = ((doc.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources;
    const parsed = (samplePlan().planned_values as { root_module: { resources: Record<string, unknown>[] } }).root_module.resources;
    expect(resources).toHaveLength(parsed.length); // every element in its place: paths keep their indexes
    // Only planned (no resource_changes entry) and of a type the adapter reads: built, values and all.
    expect(resources[2]).toEqual(parsed[2]);
    // In resource_changes (the adapter reads it there), a data source, a type the adapter does not read: one shared
    // placeholder of no type, with the members the schema requires.
    const unread = resources[0]!;
    expect(unread).toEqual({ address: "", type: "", name: "" });
    expect(Object.isFrozen(unread)).toBe(true);
    expect(resources[3]).toBe(unread);
    expect(resources[4]).toBe(unread);
    expect(planResourceWanted(unread.type, unread.mode)).toBe(false);
    // A child module's resource in resource_changes: the placeholder too.
    const child = ((doc.planned_values as { root_module: { child_modules: { address: string; resources: unknown[] }[] } }).root_module.child_modules[0])!;
    expect(child.address).toBe("module.m");
    expect(child.resources[0]).toEqual((((samplePlan().planned_values as Record<string, unknown>).root_module as { child_modules: { resources: unknown[] }[] }).child_modules[0]!.resources[0]));
    // The rest of the document from resource_changes on is JSON.parse's own.
    expect(doc.resource_changes).toEqual(samplePlan().resource_changes);
    expect(doc.prior_state).toEqual(samplePlan().prior_state);
    expect(Object.keys(doc)).toEqual(Object.keys(samplePlan()));
  });

  test("planned resources are matched with their resource_changes entries in any order, and by escaped or non-ASCII addresses", () => {
    const def = (address: string) => ({ address, mode: "managed", type: "azurerm_lighthouse_definition", name: "d", values: defValues(1) });
    const change = (address: string, actions = ["create"]) => ({ address, mode: "managed", type: "azurerm_lighthouse_definition", name: "d", change: { actions, before: null, after: defValues(2), after_unknown: {} } });
    const planned = ['d.a', 'd.b', 'd["é"]', "d.only_planned", 'd["x"]', "d.c", "d.e"].map(def);
    // Out of order, a deleted resource's entry among them (it has no planned resource), one not in planned_values.
    const changes = [change("d.gone", ["delete"]), change("d.c"), change("d.a"), change('d["é"]'), change("d.b"), change('d["x"]'), change("d.e"), change("d.z")];
    const text = JSON.stringify({ format_version: "1.2", planned_values: { root_module: { resources: planned } }, resource_changes: changes }).replace('"address":"d[\\"x\\"]","mode"', '"address":"d[\\"\\u0078\\"]","mode"');
    expect(text).toContain("\\u0078");
    const doc = readPlanSections(Buffer.from(text));
    const read = (doc.planned_values as { root_module: { resources: Record<string, unknown>[] } }).root_module.resources;
    // Only the planned-only resource is built; every other one is the placeholder.
    expect(read.map((r) => r.address)).toEqual(["", "", "", "d.only_planned", "", "", ""]);
    expect(adaptTerraformPlan(doc, "plan.json")).toEqual(adaptTerraformPlan(JSON.parse(text) as Record<string, unknown>, "plan.json"));
  });

  test("a planned resource is read with its sensitive values, and both only when values is an object", () => {
    const withSensitive = '{"address":"azurerm_subscription.s","mode":"managed","type":"azurerm_subscription","name":"s","sensitive_values":{"subscription_id":true},"values":{"subscription_id":"x"}}';
    const sensitiveOnly = '{"address":"azurerm_subscription.t","mode":"managed","type":"azurerm_subscription","name":"t","sensitive_values":{"a":true}}';
    const text = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[${withSensitive},${sensitiveOnly}]}},"resource_changes":[]}`;
    const read = (readPlanSections(Buffer.from(text)).planned_values as { root_module: { resources: Record<string, unknown>[] } }).root_module.resources;
    expect(read[0]).toEqual(JSON.parse(withSensitive));
    expect(read[1]).toEqual({ ...JSON.parse(sensitiveOnly), sensitive_values: {} });
  });

  test("a key repeated after resource_changes wins, as with JSON.parse", () => {
    const text = '{"format_version":"1.2","planned_values":{"root_module":{}},"resource_changes":[],"planned_values":{"outputs":{"o":1}},"format_version":"1.3"}';
    expect(readPlanSections(Buffer.from(text))).toEqual(JSON.parse(text));
  });

  test("escaped keys and values in planned resources read as JSON.parse reads them", () => {
    const plan = samplePlan();
    const text = JSON.stringify(plan)
      .replace('{"address":"azurerm_lighthouse_definition.only_planned","mode"', '{"\\u0061ddress":"azurerm_lighthouse_definition.only_planned","mod\\u0065"')
      .replace('"type":"azurerm_lighthouse_definition","name":"only_planned","values"', '"type":"azurerm_lighthouse_definition","name":"only_planned","v\\u0061lues"');
    expect(text).toContain("\\u0061ddress");
    expect(text).toContain("v\\u0061lues");
    const doc = readPlanSections(Buffer.from(text));
    expect(adaptTerraformPlan(doc, "plan.json")).toEqual(adaptTerraformPlan(JSON.parse(text) as Record<string, unknown>, "plan.json"));
    expect(adaptTerraformPlan(doc, "plan.json").estate.delegations.map((d) => d.name)).toContain("azurerm_lighthouse_definition.only_planned");
  });

  test("each planned resource's type and mode are its own, when the one before had another or wrote it escaped", () => {
    // The reader reuses the string of the type (mode) read before when the bytes are the same: a type that differs
    // in one letter, an escaped one, a non-ASCII one and a number must each read as JSON.parse reads them.
    const types = ["azurerm_lighthouse_definition", "azurerm_lighthousE_definition", "azurerm_lighthouse_d\\u0065finition", "azurerm_lighthouse_definition", "typé", "typé", "typ\\u00e9", 7, "azurerm_lighthouse_definition"];
    const modes = ["managed", "managed", "data", "d\\u0061ta", "managed", "ö", "ö", "managed", "managed"];
    const resources = types.map((t, i) => `{"address":"r${i}","mode":"${modes[i]}","type":${typeof t === "number" ? t : `"${t}"`},"name":"n${i}","values":{}}`);
    const text = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[${resources.join(",")}]}},"resource_changes":[]}`;
    const asked: [unknown, unknown][] = [];
    const doc = readSections(Buffer.from(text), (type, mode) => (asked.push([type, mode]), true));
    const read = (doc.planned_values as { root_module: { resources: { type: unknown; mode: unknown }[] } }).root_module.resources;
    const parsed = (JSON.parse(text) as { planned_values: { root_module: { resources: { type: unknown; mode: unknown }[] } } }).planned_values.root_module.resources;
    // What the adapter's filter is asked, and what the resources it reads hold (a type that is a number fails
    // validation: built at once, it is asked about the value it has).
    expect(asked).toEqual(parsed.map((r) => [r.type, r.mode]));
    expect(read.map((r) => [r.type, r.mode])).toEqual(parsed.map((r) => [r.type, r.mode]));
    expect(read.map((r) => r.type)).toContain("azurerm_lighthousE_definition");
  });

  test("a planned member repeated is read as its last value, as with JSON.parse", () => {
    const valid = '{"address":7,"type":"t","name":"n","\\u0061ddress":"a","values":[],"v\\u0061lues":{}}';
    const invalid = '{"address":"a","type":"t","name":"n","n\\u0061me":false}';
    for (const [resource, verdict] of [[valid, "valid"], [invalid, "not valid"]] as const) {
      const text = `{"format_version":"1.2","planned_values":{"root_module":{"resources":[${resource}]}},"resource_changes":[]}`;
      const expected = err(JSON.parse(text));
      expect(expected === "valid" ? "valid" : "not valid").toBe(verdict);
      expect(err(readPlanSections(Buffer.from(text)))).toBe(expected);
    }
  });

  test("the bytes are left as they were read", () => {
    const bytes = Buffer.from(JSON.stringify(samplePlan()));
    const copy = Buffer.from(bytes);
    readPlanSections(bytes);
    expect(bytes.equals(copy)).toBe(true);
  });

  test("a __proto__ key stays an own property, as with JSON.parse", () => {
    const text = '{"format_version":"1.2","planned_values":{},"__proto__":{"polluted":true}}';
    const doc = readPlanSections(Buffer.from(text));
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(Object.keys(JSON.parse(text)));
  });

  const wrongTypes: [string, (p: Record<string, unknown>) => void][] = [
    ["resource_changes is an object", (p) => (p.resource_changes = {})],
    ["an unknown change action", (p) => (((p.resource_changes as Record<string, unknown>[])[2]!.change as Record<string, unknown>).actions = ["explode"])],
    ["after is an array", (p) => (((p.resource_changes as Record<string, unknown>[])[1]!.change as Record<string, unknown>).after = [1])],
    ["planned values is an array", (p) => (((p.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources[1]!.values = [])],
    ["planned address is a number", (p) => (((p.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources[0]!.address = 7)],
    ["planned name is missing", (p) => delete ((p.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources[0]!.name],
    ["planned type is null", (p) => (((p.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources[3]!.type = null)],
    ["planned values is null", (p) => (((p.planned_values as Record<string, unknown>).root_module as { resources: Record<string, unknown>[] }).resources[4]!.values = null)],
    ["a child module's planned name is a number", (p) => (((p.planned_values as Record<string, unknown>).root_module as { child_modules: { resources: Record<string, unknown>[] }[] }).child_modules[0]!.resources[0]!.name = 3)],
    ["child module resources is an object", (p) => (((p.planned_values as Record<string, unknown>).root_module as { child_modules: Record<string, unknown>[] }).child_modules[0]!.resources = {})],
    ["prior state values is a string", (p) => ((p.prior_state as Record<string, unknown>).values = "x")],
    ["format_version is a number", (p) => (p.format_version = 1.2)],
    ["configuration is an array", (p) => (p.configuration = [])],
  ];
  test.each(wrongTypes)("wrong types give the same validation error as JSON.parse: %s", (_name, breakIt) => {
    const plan = samplePlan();
    breakIt(plan);
    const expected = err(JSON.parse(JSON.stringify(plan)));
    expect(expected).not.toBe("valid");
    expect(err(viaSections(plan))).toBe(expected);
  });

  test("every truncation of a plan is refused, and the message is JSON.parse's", () => {
    const text = JSON.stringify(samplePlan());
    const bytes = Buffer.from(text, "utf8");
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const part = bytes.subarray(0, cut);
      expect(() => readPlanSections(part)).toThrow();
      const got = (() => {
        try {
          parseDocumentBytes("p.json", part);
          return "accepted";
        } catch (e) {
          return e instanceof InputError ? e.message : `not an InputError: ${String(e)}`;
        }
      })();
      const want = (() => {
        try {
          parseJsonText("p.json", part.toString("utf8"));
          return "accepted";
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(got).toBe(want);
    }
  });

  test.each([
    ["a trailing comma in sensitive_values (skipped)", '"sensitive_values":{"authorization":[{}]}', '"sensitive_values":{"authorization":[{},]}'],
    ["a bad escape in an unread top-level string", '"timestamp":"2026', '"timestamp":"20\\x26'],
    ["a bare word in resource_drift (skipped)", '"before":{"a":1}', '"before":{"a":one}'],
    ["a bare word in change.before (parsed)", '"before":{"name":"rg"}', '"before":{"name":rg}'],
  ])("a syntax error in a part that is not built is still refused: %s", (_name, from, to) => {
    const good = JSON.stringify(samplePlan());
    expect(good).toContain(from);
    const text = good.replace(from, to);
    expect(() => readPlanSections(Buffer.from(text))).toThrow();
    expect(() => parseDocumentBytes("p.json", Buffer.from(text))).toThrow(/^p\.json: is not valid JSON/);
  });

  test("only documents whose first key is format_version take the section reader; others parse whole", () => {
    expect(looksLikeTerraformPlan(Buffer.from('\ufeff \n{ "format_version": "1.2"}'))).toBe(true);
    expect(looksLikeTerraformPlan(Buffer.from('{"resource_changes": [], "format_version": "1.2"}'))).toBe(false);
    // First key format_version but a Terraform JSON config, not a plan: the whole document, as JSON.parse builds it.
    const tfJson = { format_version: "1.0", resource: { azurerm_lighthouse_definition: { d: { name: "x", values: { deep: [1, { a: 2 }] } } } } };
    expect(parseDocumentBytes("t.json", Buffer.from(JSON.stringify(tfJson)))).toEqual(tfJson);
    // Forced to another format: never the section reader.
    const plan = samplePlan();
    expect(parseDocumentBytes("p.json", Buffer.from(JSON.stringify(plan)), "arm")).toEqual(plan);
  });
});
