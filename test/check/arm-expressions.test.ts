import { armGuid } from "../../rules/identifiers";
import { isUnresolved } from "../../rules/model";
import { evaluateExpression, evaluateValue, isExpression, parseExpression, type EvalContext, type EvalValue } from "../../formats/arm-expressions";

function ctx(over: Partial<EvalContext> = {}, params: Record<string, EvalValue> = {}, vars: Record<string, EvalValue> = {}): EvalContext {
  return {
    scopeLevel: "subscription",
    parameter: (n) => (n in params ? params[n]! : { unresolved: true, reason: `no ${n}` }),
    variable: (n) => vars[n]!,
    ...over,
  };
}
const ev = (e: string, c: EvalContext = ctx()) => evaluateExpression(e, c);

describe("syntax", () => {
  test("a string is an expression only in brackets, and [[ escapes", () => {
    expect(isExpression("[concat('a')]")).toBe(true);
    expect(isExpression("[[not an expression]")).toBe(false);
    expect(isExpression("plain")).toBe(false);
    expect(evaluateValue("[[literal]", ctx())).toBe("[literal]");
  });
  test("'' inside a string literal is one quote", () => {
    expect(ev("[concat('it''s', ' ok')]")).toBe("it's ok");
  });
  test("nested calls, property and index access", () => {
    const c = ctx({}, { rgs: [{ rgName: "a" }, { rgName: "b" }] });
    expect(ev("[parameters('rgs')[1].rgName]", c)).toBe("b");
    expect(ev("[toUpper(first(parameters('rgs')).rgName)]", c)).toBe("A");
    expect(ev("[createObject('k', createArray(1, 2))['k'][0]]")).toBe(1);
  });
  test("syntax errors become Unresolved naming the problem, never an exception", () => {
    for (const bad of ["[concat('a', 'b']", "[concat('a)]", "[foo(]", "[)]", "[parameters('x').]", "[1 2]"]) {
      const v = ev(bad);
      expect(isUnresolved(v)).toBe(true);
      expect((v as { reason: string }).reason).toMatch(/invalid template expression/);
      expect((v as { expression: string }).expression).toBe(bad);
    }
    expect(() => parseExpression("concat('a'")).toThrow(/not closed/);
  });
});

describe("functions", () => {
  test("guid() is ARM's uuidv5 (rules/identifiers armGuid) over the arguments", () => {
    expect(ev("[guid('Relecloud Managed Services')]")).toBe(armGuid("Relecloud Managed Services"));
    expect(ev("[guid('a', 'b')]")).toBe(armGuid("a", "b"));
    expect(ev("[guid('a', 'b')]")).not.toBe(ev("[guid('b', 'a')]"));
  });
  test.each([
    ["[concat('a', 'b', 'c')]", "abc"],
    ["[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]],
    ["[format('{0}-{1}', 'x', 2)]", "x-2"],
    ["[format('{{literal}} {0}', 'v')]", "{literal} v"],
    ["[toLower('ABC')]", "abc"],
    ["[replace('a-b-c', '-', '+')]", "a+b+c"],
    ["[length('abcd')]", 4],
    ["[length(createArray(1, 2))]", 2],
    ["[length(createObject('a', 1))]", 1],
    ["[if(equals(1, 1), 'yes', reference('never').x)]", "yes"],
    ["[not(true())]", false],
    ["[and(true(), false())]", false],
    ["[or(false(), true())]", true],
    ["[empty('')]", true],
    ["[empty(createArray())]", true],
    ["[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3]],
    ["[union(createObject('a', 1), createObject('b', 2))]", { a: 1, b: 2 }],
    ["[string(12)]", "12"],
    ["[string(createObject('a', 1))]", '{"a":1}'],
    ["[int('42')]", 42],
    ["[bool('true')]", true],
    ["[json('{\"a\": [1]}').a[0]]", 1],
    ["[coalesce(null(), 'x')]", "x"],
    ["[first('abc')]", "a"],
    ["[last(createArray(1, 2, 3))]", 3],
    ["[contains('abc', 'b')]", true],
    ["[contains(createObject('Key', 1), 'key')]", true],
    ["[split('a,b;c', createArray(',', ';'))]", ["a", "b", "c"]],
    ["[tenantResourceId('Microsoft.ManagementPartner/partners', '1234567')]", "/providers/Microsoft.ManagementPartner/partners/1234567"],
    [
      "[subscriptionResourceId('66666666-6666-6666-6666-666666666666', 'Microsoft.ManagedServices/registrationDefinitions', 'x')]",
      "/subscriptions/66666666-6666-6666-6666-666666666666/providers/Microsoft.ManagedServices/registrationDefinitions/x",
    ],
  ])("%s", (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  test("resourceId() follows the deployment scope and tolerates the samples' trailing slash", () => {
    const sub = ctx({ subscriptionId: "s1" });
    expect(ev("[resourceId('Microsoft.ManagedServices/registrationDefinitions/', 'g')]", sub)).toBe(
      "/subscriptions/s1/providers/Microsoft.ManagedServices/registrationDefinitions/g",
    );
    const rg = ctx({ subscriptionId: "s1", scopeLevel: "resourceGroup", resourceGroup: "rg1" });
    expect(ev("[resourceId('Microsoft.Storage/storageAccounts', 'sa')]", rg)).toBe(
      "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa",
    );
    expect(ev("[resourceId('other', 'Microsoft.Network/virtualNetworks/subnets', 'v', 's')]", rg)).toBe(
      "/subscriptions/s1/resourceGroups/other/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
    );
  });

  test("copyIndex() with offset and loop name", () => {
    const c = ctx({ copyIndexes: { "": 2, loopA: 2, loopB: 5 } });
    expect(ev("[copyIndex()]", c)).toBe(2);
    expect(ev("[copyIndex(1)]", c)).toBe(3);
    expect(ev("[copyIndex('loopB', 10)]", c)).toBe(15);
    expect(isUnresolved(ev("[copyIndex()]"))).toBe(true);
  });

  test("subscription() and resourceGroup() values are known only when the target is", () => {
    expect(ev("[subscription().subscriptionId]", ctx({ subscriptionId: "s1" }))).toBe("s1");
    const v = ev("[subscription().subscriptionId]");
    expect(isUnresolved(v) && v.reason).toMatch(/target subscription/);
    expect(ev("[resourceGroup().name]", ctx({ scopeLevel: "resourceGroup", resourceGroup: "rg" }))).toBe("rg");
  });

  test.each([
    ["[reference('id').principalId]", /evaluated only at deployment/],
    ["[listKeys('sa', '2023-01-01').keys[0].value]", /evaluated only at deployment/],
    ["[utcNow()]", /evaluated only at deployment/],
    ["[uniqueString('a')]", /unpublished hash/],
    ["[frobnicate('a')]", /unsupported template function 'frobnicate'/],
    ["[concat('x', reference('id').y)]", /evaluated only at deployment/],
    ["[parameters('missing')]", /no missing/],
    ["[createArray(1)[5]]", /out of range/],
    ["[concat(createArray(1), 'x')]", /cannot mix/],
  ])("%s is Unresolved, not guessed", (expr, reason) => {
    const v = ev(expr);
    expect(isUnresolved(v)).toBe(true);
    expect((v as { reason: string }).reason).toMatch(reason);
    expect((v as { expression: string }).expression).toBe(expr);
  });

  test("evaluateValue walks objects and arrays, keeping unresolved parts in place", () => {
    const v = evaluateValue({ a: ["[concat('x', 'y')]", "[reference('r').id]"], b: 1 }, ctx()) as { a: EvalValue[]; b: number };
    expect(v.a[0]).toBe("xy");
    expect(isUnresolved(v.a[1])).toBe(true);
    expect(v.b).toBe(1);
  });
});

describe("user-defined functions (a template's `functions`, Bicep's `func`)", () => {
  const fns: Record<string, { parameters: { name: string }[]; output: { value: unknown } }> = {
    "__bicep.offerid": { parameters: [{ name: "offer" }], output: { value: "[guid(parameters('offer'))]" } },
    "contoso.scope": { parameters: [{ name: "sub" }, { name: "rg" }], output: { value: "[format('/subscriptions/{0}/resourceGroups/{1}', parameters('sub'), parameters('rg'))]" } },
    "contoso.wrapped": { parameters: [{ name: "offer" }], output: { value: "[__bicep.offerId(toUpper(parameters('offer')))]" } },
    "contoso.usesvariable": { parameters: [], output: { value: "[variables('x')]" } },
    "contoso.loop": { parameters: [], output: { value: "[contoso.loop()]" } },
    "contoso.object": { parameters: [{ name: "id" }], output: { value: { principalId: "[parameters('id')]", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" } } },
  };
  const c = ctx({ userFunction: (n) => fns[n.toLowerCase()] }, { offer: "not the function's" }, { x: "a template variable" });

  test("a call evaluates the output with the arguments as the function's parameters, case-insensitively", () => {
    expect(ev("[__bicep.offerId('Contoso')]", c)).toBe(ev("[guid('Contoso')]"));
    expect(ev("[CONTOSO.Scope('s', 'rg-a')]", c)).toBe("/subscriptions/s/resourceGroups/rg-a");
    expect(ev("[contoso.wrapped('x')]", c)).toBe(ev("[guid('X')]"));
    expect(ev("[contoso.object('p').principalId]", c)).toBe("p");
  });

  test("what ARM refuses or cannot be known stays Unresolved, named", () => {
    const reason = (e: string) => (ev(e, c) as { reason: string }).reason;
    expect(reason("[__bicep.offerId()]")).toMatch(/__bicep\.offerId\(\) takes 1 argument\(s\), got 0/);
    expect(reason("[contoso.usesVariable()]")).toMatch(/cannot use variables/);
    expect(reason("[contoso.loop()]")).toMatch(/nest deeper than 16/);
    expect(reason("[contoso.missing(1)]")).toMatch(/unsupported template function 'contoso\.missing'/);
    expect(reason("[__bicep.offerId(subscription().id)]")).toMatch(/subscription/);
  });
});

describe("limits: a template cannot make the evaluator run or build without bound", () => {
  const timed = (expr: string, c: EvalContext = ctx()) => {
    const start = Date.now();
    const v = ev(expr, c);
    return { v, ms: Date.now() - start };
  };

  test("a union of long lists of plain values stays well within the step limit", () => {
    const { v, ms } = timed("[union(range(0, 10000), range(5000, 10000), createArray('a', 'a', null(), null()))]");
    expect((v as EvalValue[]).length).toBe(15002);
    expect((v as EvalValue[]).slice(-3)).toEqual([14999, "a", null]);
    expect(ms).toBeLessThan(5000);
  });

  test("strings and arrays built count: a string over 1000000 characters is not built, nor an expression of more than 100000 elements", () => {
    const text = ev("[replace(string(range(0, 1000)), ',', string(range(0, 1000)))]");
    expect(isUnresolved(text) && text.reason).toMatch(/replace\(\) would build a string longer than 1000000 characters/);
    const format = ev("[format('{0}{0}{0}{0}', replace(string(range(0, 1000)), ',', string(range(0, 100))))]");
    expect(isUnresolved(format) && format.reason).toMatch(/format\(\) would build a string longer than 1000000 characters/);
    const six = ev(`[length(concat(${Array(6).fill("range(0, 10000)").join(", ")}))]`);
    expect(isUnresolved(six) && six.reason).toMatch(/more than 100000 evaluation steps/);
    expect(ev(`[length(concat(${Array(4).fill("range(0, 10000)").join(", ")}))]`)).toBe(40000);
  });

  test("string() of a value whose parts are shared many times over stops at the length cap", () => {
    let shared: EvalValue = "x";
    for (let i = 0; i < 60; i++) shared = [shared, shared];
    const { v, ms } = timed("[string(variables('shared'))]", ctx({}, {}, { shared }));
    expect(isUnresolved(v) && v.reason).toMatch(/JSON text of the value is longer than 1000000 characters/);
    expect(ms).toBeLessThan(5000);
  });

  test("comparing values not known is not guessed: equals() and string() of one holding an unknown part are unknown", () => {
    // Before: equals() compared the Unresolved markers as if they were values, and string() wrote them out.
    const eq = ev(`[equals(subscription(), json('{"id": "/subscriptions/s", "subscriptionId": "s", "tenantId": "t", "displayName": "d"}'))]`);
    expect(isUnresolved(eq) && eq.reason).toMatch(/target subscription/);
    expect(ev(`[equals(subscription(), json('{"id": "x"}'))]`)).toBe(false);
    const s = ev("[string(subscription())]");
    expect(isUnresolved(s) && s.reason).toMatch(/target subscription/);
    expect(ev("[string(createObject('a', createArray(1, 'b', true())))]")).toBe('{"a":[1,"b",true]}');
  });
});
