import { armGuid } from "../../rules/identifiers";
import { isUnresolved } from "../../rules/model";
import { evaluateExpression, evaluateValue, isExpression, parseExpression, type EvalContext, type EvalValue, type UserFunction } from "../../formats/arm-expressions";

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

describe("lambda functions (Bicep's map, filter, reduce, sort, toObject, groupBy, mapValues)", () => {
  // The examples of https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda and
  // its Bicep page (bicep-functions-lambda: index variables, groupBy, mapValues), with the outputs they document.
  const dogs = [
    { name: "Evie", age: 5, interests: ["Ball", "Frisbee"] },
    { name: "Casper", age: 3, interests: ["Other dogs"] },
    { name: "Indy", age: 2, interests: ["Butter"] },
    { name: "Kira", age: 8, interests: ["Rubs"] },
  ];
  const dogsWithProperties = dogs.map(({ name, ...properties }) => ({ name, properties }));
  const c = ctx({}, {}, { dogs, dogsWithProperties, ages: [5, 3, 2, 8], inputArray: ["foo", "bar", "baz"], inputObject: { foo: "foo", bar: "bar" } });
  const lv = (name: string) => `lambdaVariables('${name}')`;

  test.each([
    [`[filter(variables('dogs'), lambda('dog', greaterOrEquals(${lv("dog")}.age, 5)))]`, [dogs[0], dogs[3]]],
    [`[filter(range(0, 10), lambda('i', equals(0, mod(${lv("i")}, 2))))]`, [0, 2, 4, 6, 8]],
    [`[filter(range(0, 10), lambda('i', greater(${lv("i")}, 5)))]`, [6, 7, 8, 9]],
    [`[filter(variables('dogs'), lambda('val', 'i', and(less(${lv("i")}, 2), equals(substring(${lv("val")}.name, 0, 1), 'C'))))]`, [dogs[1]]],
    [`[map(variables('dogs'), lambda('dog', ${lv("dog")}.name))]`, ["Evie", "Casper", "Indy", "Kira"]],
    [`[map(variables('dogs'), lambda('dog', format('Hello {0}!', ${lv("dog")}.name)))]`, ["Hello Evie!", "Hello Casper!", "Hello Indy!", "Hello Kira!"]],
    [
      `[map(range(0, length(variables('dogs'))), lambda('i', createObject('i', ${lv("i")}, 'dog', variables('dogs')[${lv("i")}].name, 'greeting', format('Ahoy, {0}!', variables('dogs')[${lv("i")}].name))))]`,
      ["Evie", "Casper", "Indy", "Kira"].map((d, i) => ({ i, dog: d, greeting: `Ahoy, ${d}!` })),
    ],
    [`[map(variables('dogs'), lambda('x', 'i', createObject('index', ${lv("i")}, 'val', ${lv("x")}.name)))]`, ["Evie", "Casper", "Indy", "Kira"].map((val, index) => ({ index, val }))],
    [`[reduce(variables('ages'), 0, lambda('cur', 'next', add(${lv("cur")}, ${lv("next")})))]`, 18],
    [`[reduce(variables('ages'), 1, lambda('cur', 'next', add(${lv("cur")}, ${lv("next")})))]`, 19],
    [`[reduce(variables('ages'), 0, lambda('cur', 'next', 'i', if(equals(mod(${lv("i")}, 2), 0), add(${lv("cur")}, ${lv("next")}), ${lv("cur")})))]`, 7],
    [
      `[reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), createObject(), lambda('cur', 'next', union(${lv("cur")}, ${lv("next")})))]`,
      { foo: 123, bar: 456, baz: 789 },
    ],
    [`[reduce(createArray(), 0, lambda('cur', 'next', ${lv("cur")}))]`, 0],
    [`[sort(variables('dogs'), lambda('a', 'b', less(${lv("a")}.age, ${lv("b")}.age)))]`, [dogs[2], dogs[1], dogs[0], dogs[3]]],
    [`[toObject(variables('dogs'), lambda('entry', ${lv("entry")}.name))]`, Object.fromEntries(dogs.map((d) => [d.name, d]))],
    [`[toObject(variables('dogs'), lambda('entry', ${lv("entry")}.name), lambda('entry', ${lv("entry")}))]`, Object.fromEntries(dogs.map((d) => [d.name, d]))],
    [
      `[toObject(variables('dogsWithProperties'), lambda('entry', ${lv("entry")}.name), lambda('entry', ${lv("entry")}.properties))]`,
      Object.fromEntries(dogsWithProperties.map((d) => [d.name, d.properties])),
    ],
    [`[groupBy(variables('inputArray'), lambda('x', substring(${lv("x")}, 0, 1)))]`, { f: ["foo"], b: ["bar", "baz"] }],
    [`[mapValues(variables('inputObject'), lambda('val', toUpper(${lv("val")})))]`, { foo: "FOO", bar: "BAR" }],
  ])("documented: %s", (expr, expected) => {
    expect(ev(expr, c)).toEqual(expected);
  });

  // What Bicep's EvaluationTests (src/Bicep.Core.IntegrationTests/EvaluationTests.cs, run on the ARM engine) expect of
  // the JSON Bicep compiles to.
  test.each([
    [`[sort(createArray(8, 3, 10, -13, 5), lambda('x', 'y', less(${lv("x")}, ${lv("y")})))]`, [-13, 3, 5, 8, 10]],
    [`[sort(createArray('ghi', 'abc', 'def'), lambda('x', 'y', less(${lv("x")}, ${lv("y")})))]`, ["abc", "def", "ghi"]],
    [`[sort(createArray('ghi', 'abc', 'def'), lambda('x', 'y', greater(${lv("x")}, ${lv("y")})))]`, ["ghi", "def", "abc"]],
    [`[sort(createArray(), lambda('x', 'y', less(int(${lv("x")}), int(${lv("y")}))))]`, []],
    [`[reduce(range(1, 5), 1, lambda('cur', 'next', mul(${lv("cur")}, ${lv("next")})))]`, 120],
    [`[reduce(createArray('abc', 'def', 'ghi'), '', lambda('cur', 'next', 'i', if(equals(mod(${lv("i")}, 2), 0), concat(${lv("cur")}, ${lv("next")}), ${lv("cur")})))]`, "abcghi"],
    [`[toObject(createArray(123, 456, 789), lambda('i', format('{0}', div(${lv("i")}, 100))))]`, { "1": 123, "4": 456, "7": 789 }],
    [`[map(createArray('Evie', 'Casper', 'Lady Lechuga'), lambda('dog', 'i', format('{0} {1}!', if(equals(mod(${lv("i")}, 2), 0), 'Hi', 'Ahoy'), ${lv("dog")})))]`, ["Hi Evie!", "Ahoy Casper!", "Hi Lady Lechuga!"]],
    [`[mapValues(createObject('a', 123, 'b', 456), lambda('val', mul(${lv("val")}, 2)))]`, { a: 246, b: 912 }],
    [
      `[groupBy(createArray(createObject('type', 'a', 'value', 123), createObject('type', 'b', 'value', 456), createObject('type', 'a', 'value', 789)), lambda('arg', ${lv("arg")}.type), lambda('arg', ${lv("arg")}.value))]`,
      { a: [123, 789], b: [456] },
    ],
    [`[map(filter(range(0, 4), lambda('i', contains(filter(range(0, 4), lambda('j', equals(0, mod(${lv("j")}, 2)))), ${lv("i")}))), lambda('x', createArray('Evie', 'Casper', 'Indy', 'Kira')[${lv("x")}]))]`, ["Evie", "Indy"]],
  ])("as ARM evaluates Bicep's output: %s", (expr, expected) => {
    expect(ev(expr)).toEqual(expected);
  });

  test("a nested lambda sees the outer lambda's variables (names are case-insensitive, the inner one shadows)", () => {
    expect(ev(`[map(range(1, 2), lambda('x', map(range(10, 2), lambda('y', add(${lv("X")}, ${lv("y")})))))]`)).toEqual([[11, 12], [12, 13]]);
    expect(ev(`[map(range(1, 2), lambda('x', map(range(10, 2), lambda('X', ${lv("x")}))))]`)).toEqual([[10, 11], [10, 11]]);
  });

  test("the lambda is evaluated lazily, per element: nothing of it runs for an empty array", () => {
    expect(ev(`[map(createArray(), lambda('x', reference('never').id))]`)).toEqual([]);
    expect(ev(`[filter(createArray(1, 2), lambda('x', if(equals(${lv("x")}, 1), true(), false())))]`)).toEqual([1]);
  });

  test("sort keeps the order of elements neither of which comes before the other (stable)", () => {
    const byAge = ev(`[sort(createArray(createObject('n', 'a', 'age', 2), createObject('n', 'b', 'age', 1), createObject('n', 'c', 'age', 2), createObject('n', 'd', 'age', 1)), lambda('x', 'y', less(${lv("x")}.age, ${lv("y")}.age)))]`);
    expect((byAge as { n: string }[]).map((d) => d.n)).toEqual(["b", "d", "a", "c"]);
  });

  test("what the array holds unresolved stays in place; what the lambda cannot know leaves the result unknown, with the reason", () => {
    const withUnknown = ctx({}, { ops: [{ id: "a" }, { unresolved: true, reason: "copy element not known" }] });
    const kept = ev(`[map(parameters('ops'), lambda('o', ${lv("o")}))]`, withUnknown) as EvalValue[];
    expect(kept[0]).toEqual({ id: "a" });
    expect(isUnresolved(kept[1]) && kept[1].reason).toBe("copy element not known");
    const inside = ev(`[map(range(0, 2), lambda('i', createObject('i', ${lv("i")}, 'sub', subscription())))]`) as { i: number; sub: Record<string, EvalValue> }[];
    expect(inside.map((x) => x.i)).toEqual([0, 1]);
    expect(isUnresolved(inside[1]!.sub.subscriptionId)).toBe(true);
    const whole = ev(`[map(parameters('ops'), lambda('o', ${lv("o")}.id))]`, withUnknown);
    expect(isUnresolved(whole) && whole.reason).toBe("copy element not known");
    const input = ev(`[map(parameters('missing'), lambda('o', ${lv("o")}.id))]`);
    expect(isUnresolved(input) && input.reason).toBe("no missing");
    const inReduce = ev(`[reduce(createArray(1), 0, lambda('c', 'n', add(${lv("c")}, subscription().subscriptionId)))]`);
    expect(isUnresolved(inReduce) && inReduce.reason).toMatch(/target subscription/);
  });

  test.each([
    [`[lambdaVariables('x')]`, /lambdaVariables\('x'\) is used outside a lambda/],
    [`[map(range(0, 2), lambda('x', ${lv("y")}))]`, /lambdaVariables\('y'\) is not a variable of the lambda it is in \(x\)/],
    [`[lambda('x', 1)]`, /lambda\(\) can only be an argument of filter\(\), groupBy\(\), map\(\)/],
    [`[map(lambda('x', 1), lambda('x', 1))]`, /lambda\(\) can only be an argument of/],
    [`[map(range(0, 2))]`, /map\(\) takes 2 argument\(s\), got 1/],
    [`[map(range(0, 2), 'x')]`, /map\(\) expects a lambda as argument 2/],
    [`[map(createObject('a', 1), lambda('x', 1))]`, /map\(\) expects an array, got an object/],
    [`[map(range(0, 2), lambda('x', 'i', 'j', 1))]`, /the lambda of map\(\) takes 1 or 2 variable\(s\), got 3/],
    [`[map(range(0, 2), lambda(1))]`, /lambda\(\) takes the names of its variables and an expression/],
    [`[map(range(0, 2), lambda('x', 'X', 1))]`, /names a variable twice/],
    [`[map(range(0, 2), lambda(1, 1))]`, /lambda\(\) expects a string/],
    [`[filter(range(0, 2), lambda('x', 1))]`, /the lambda of filter\(\) must return a boolean, got number 1/],
    [`[sort(range(0, 2), lambda('x', 1))]`, /the lambda of sort\(\) takes 2 variable\(s\), got 1/],
    [`[sort(range(0, 2), lambda('x', 'y', 'yes'))]`, /the lambda of sort\(\) must return a boolean/],
    [`[reduce(range(0, 2), lambda('c', 'n', 1))]`, /reduce\(\) takes 3 argument\(s\), got 2/],
    [`[toObject(range(0, 2), lambda('x', ${lv("x")}))]`, /the lambda of toObject\(\) must return a string, got number 0/],
    [`[toObject(range(0, 2), lambda('x', 'k'))]`, /toObject\(\) makes the key 'k' twice/],
    [`[toObject(createArray('a', 'A'), lambda('x', ${lv("x")}))]`, /keys 'a' and 'A', which differ only in case/],
    [`[groupBy(createArray('a', 'A'), lambda('x', ${lv("x")}))]`, /keys 'a' and 'A', which differ only in case/],
    [`[groupBy(range(0, 2), lambda('x', 'k'), lambda('x', 'y', 1))]`, /the lambda of groupBy\(\) takes 1 variable\(s\), got 2/],
    [`[mapValues(range(0, 2), lambda('x', 1))]`, /mapValues\(\) expects an object, got an array/],
    [`[mapValues(createObject('a', 1))]`, /mapValues\(\) takes 2 argument\(s\), got 1/],
  ])("%s is Unresolved with the reason, never an exception", (expr, reason) => {
    const v = ev(expr);
    expect(isUnresolved(v) && v.reason).toMatch(reason);
    expect((v as { expression: string }).expression).toBe(expr);
  });
});

describe("tryGet (Bicep's .? safe dereference), object, array and string functions Bicep emits", () => {
  const c = ctx({}, {}, {
    users: { name: "John Doe", age: 30 },
    colors: ["red", "green"],
    entities: { item002: { enabled: false, displayName: "Example item 2", number: 200 }, item001: { enabled: true, displayName: "Example item 1", number: 300 } },
    names: ["one", "two", "three"],
    numbers: [4, 5, 6],
    duplicates: [1, 2, 3, 1],
    items: ["apple", "banana", "orange", "grape"],
    value: { obj: { deeply: { nested: { arrayOfObjects: [{ property: 1 }, { property: 2 }, { property: 3 }] } } }, array: [1, 2, 3] },
  });

  test.each([
    // template-functions-object#tryget's example and what it documents: null for a key or index not there.
    ["[tryGet(variables('users'), 'region')]", null],
    ["[tryGet(variables('users'), 'name')]", "John Doe"],
    ["[tryGet(variables('colors'), 0)]", "red"],
    ["[tryGet(variables('colors'), 2)]", null],
    ["[tryGet(variables('colors'), -1)]", null],
    ["[tryGet(variables('users'), 'NAME')]", "John Doe"],
    // Bicep's chains (`value.?obj.deeply.nested.arrayOfObjects[0].property`, `[?^2]`) as it compiles them.
    ["[tryGet(variables('value'), 'obj', 'deeply', 'nested', 'arrayOfObjects', 0, 'property')]", 1],
    ["[tryGet(variables('value').obj.deeply, 'nested', 'arrayOfObjects', createObject('fromEnd', true(), 'value', 2), 'property')]", 2],
    ["[tryGet(variables('value'), 'array', createObject('value', 1, 'fromEnd', true()))]", 3],
    ["[tryGet(variables('value'), 'array', createObject('value', 4, 'fromEnd', true()))]", null],
    ["[tryGet(variables('value'), 'missing', 'deeper', 0)]", null],
    // operator-safe-dereference: null when the base is null, and an object has no element at an index.
    ["[tryGet(null(), 'x')]", null],
    ["[tryGet(variables('users'), 0)]", null],
    ["[coalesce(tryGet(variables('users'), 'region'), 'westus')]", "westus"],
    // template-functions-array#indexfromend and #tryindexfromend.
    ["[indexFromEnd(variables('items'), 2)]", "orange"],
    ["[tryIndexFromEnd(variables('items'), 2)]", "orange"],
    ["[tryIndexFromEnd(variables('items'), 5)]", null],
    // template-functions-object#items: sorted by key (item001 before item002 although written after it).
    [
      "[items(variables('entities'))]",
      [
        { key: "item001", value: { enabled: true, displayName: "Example item 1", number: 300 } },
        { key: "item002", value: { enabled: false, displayName: "Example item 2", number: 200 } },
      ],
    ],
    ["[items(createObject())]", []],
    ["[objectKeys(createObject('a', 1, 'b', 2))]", ["a", "b"]],
    ["[objectKeys(createObject('b', 1, 'a', 2))]", ["a", "b"]],
    // template-functions-object#shallowmerge's examples.
    ["[shallowMerge(createArray(createObject('one', 'a'), createObject('two', 'b'), createObject('two', 'c')))]", { one: "a", two: "c" }],
    [
      "[shallowMerge(createArray(createObject('one', 'a', 'nested', createObject('a', 1, 'nested', createObject('c', 3))), createObject('two', 'b', 'nested', createObject('b', 2))))]",
      { one: "a", nested: { b: 2 }, two: "b" },
    ],
    ["[shallowMerge(createArray())]", {}],
    // bicep-functions-array#flatten's example, and Bicep's EvaluationTests.
    ["[flatten(createArray(createArray('one', 'two'), createArray('three'), createArray('four', 'five')))]", ["one", "two", "three", "four", "five"]],
    ["[flatten(createArray(createArray(0, 1), createArray(createArray(2))))]", [0, 1, [2]]],
    ["[flatten(createArray())]", []],
    // template-functions-array#indexof / #lastindexof's example.
    ["[lastIndexOf(variables('names'), 'two')]", 1],
    ["[indexOf(variables('names'), 'one')]", 0],
    ["[lastIndexOf(variables('names'), 'Three')]", -1],
    ["[lastIndexOf(variables('numbers'), 4)]", 0],
    ["[indexOf(variables('numbers'), 6)]", 2],
    ["[lastIndexOf(variables('numbers'), '5')]", -1],
    ["[indexOf(createArray(variables('names'), variables('numbers')), variables('numbers'))]", 1],
    ["[indexOf(variables('duplicates'), 1)]", 0],
    ["[lastIndexOf(variables('duplicates'), 1)]", 3],
    ["[indexOf(createArray('FOO', 'BAR'), false())]", -1],
    ["[indexOf(createArray(createObject('a', 1)), createObject('a', 1))]", 0],
    // template-functions-string#indexof / #lastindexof (case-insensitive) and #join.
    ["[indexOf('test', 't')]", 0],
    ["[lastIndexOf('test', 't')]", 3],
    ["[indexOf('abcdef', 'CD')]", 2],
    ["[lastIndexOf('abcdef', 'AB')]", 0],
    ["[lastIndexOf('abcdef', 'z')]", -1],
    ["[join(variables('names'), ',')]", "one,two,three"],
    ["[join(variables('names'), ';')]", "one;two;three"],
    ["[join(createArray(), ',')]", ""],
    // template-functions-resource#extensionresourceid: {scope}/providers/{namespace}/{type}/{name}.
    [
      "[extensionResourceId('/subscriptions/66666666-6666-6666-6666-666666666666/resourceGroups/rg1', 'Microsoft.Authorization/locks', 'rgLock')]",
      "/subscriptions/66666666-6666-6666-6666-666666666666/resourceGroups/rg1/providers/Microsoft.Authorization/locks/rgLock",
    ],
    [
      "[extensionResourceId('/providers/Microsoft.Management/managementGroups/mg1', 'Microsoft.Authorization/policyDefinitions', 'p')]",
      "/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p",
    ],
    [
      "[extensionResourceId(subscriptionResourceId('66666666-6666-6666-6666-666666666666', 'Microsoft.ManagedServices/registrationDefinitions', 'd'), 'Microsoft.Rp2/resource2/child2', 'res2', 'child2')]",
      "/subscriptions/66666666-6666-6666-6666-666666666666/providers/Microsoft.ManagedServices/registrationDefinitions/d/providers/Microsoft.Rp2/resource2/res2/child2/child2",
    ],
  ])("%s", (expr, expected) => {
    expect(ev(expr, c)).toEqual(expected);
  });

  test("items() and objectKeys() order keys alphabetically, case-insensitively, as Bicep's EvaluationTests see ARM do", () => {
    const obj = { ghiKey: "ghiValue", defKey: "defValue", abcKey: "abcValue", "123Key": "123Value", GHIKey: "GHIValue", DEFKey: "DEFValue", ABCKey: "ABCValue", "456Key": "456Value" };
    const keys = ["123Key", "456Key", "abcKey", "ABCKey", "defKey", "DEFKey", "ghiKey", "GHIKey"];
    const o = ctx({}, { obj });
    expect(ev("[objectKeys(parameters('obj'))]", o)).toEqual(keys);
    expect((ev("[items(parameters('obj'))]", o) as { key: string; value: string }[]).map((e) => [e.key, e.value])).toEqual(keys.map((k) => [k, k.replace("Key", "Value")]));
  });

  test("extensionResourceId() is evaluated: the lock ID of a resource group, known when the resource group is", () => {
    const rg = ctx({ subscriptionId: "s1", scopeLevel: "resourceGroup", resourceGroup: "rg1" });
    expect(ev("[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lock')]", rg)).toBe(
      "/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Authorization/locks/lock",
    );
    const unknown = ev("[extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lock')]", ctx({ scopeLevel: "resourceGroup" }));
    expect(isUnresolved(unknown) && unknown.reason).toMatch(/depends on the deployment target/);
  });

  test("an element not known before the one sought leaves indexOf() unknown; one after it does not", () => {
    const u = ctx({}, { xs: ["a", { unresolved: true, reason: "element not known" }, "b"] });
    expect(ev("[indexOf(parameters('xs'), 'a')]", u)).toBe(0);
    const v = ev("[indexOf(parameters('xs'), 'b')]", u);
    expect(isUnresolved(v) && v.reason).toBe("element not known");
    expect(ev("[lastIndexOf(parameters('xs'), 'b')]", u)).toBe(2);
    expect(ev("[objectKeys(createObject('sub', subscription().subscriptionId))]", ctx({ subscriptionId: "s1" }))).toEqual(["sub"]);
    const keysOfUnknown = ev("[items(subscription())]") as { key: string; value: EvalValue }[];
    expect(keysOfUnknown.map((e) => e.key)).toEqual(["displayName", "id", "subscriptionId", "tenantId"]);
    expect(isUnresolved(keysOfUnknown[1]!.value)).toBe(true);
  });

  test.each([
    ["[tryGet(variables('users'))]", /tryGet\(\) takes 2 to any number of argument\(s\), got 1/],
    ["[tryGet('abc', 0)]", /tryGet\(\) looks into an object or an array, not string "abc"/],
    ["[tryGet(variables('colors'), 'first')]", /tryGet\(\) cannot look up property 'first' in an array/],
    ["[tryGet(variables('colors'), 1.5)]", /index must be an integer/],
    ["[tryGet(variables('colors'), true())]", /key must be a string or an integer, got boolean true/],
    ["[tryGet(variables('colors'), createObject('at', 1))]", /index object must be \{value: <integer>, fromEnd: <bool>\}/],
    ["[tryGet(subscription(), 'subscriptionId')]", /target subscription/],
    ["[indexFromEnd(variables('items'), 5)]", /indexFromEnd\(\): index 5 from the end is out of range \(length 4\)/],
    ["[indexFromEnd(variables('users'), 1)]", /indexFromEnd\(\) expects an array, got an object/],
    ["[items(variables('colors'))]", /items\(\) expects an object, got an array/],
    ["[objectKeys('abc')]", /objectKeys\(\) expects an object, got string "abc"/],
    ["[items()]", /items\(\) takes 1 argument\(s\), got 0/],
    ["[shallowMerge(variables('users'))]", /shallowMerge\(\) expects an array of objects, got an object/],
    ["[shallowMerge(createArray(createObject('a', 1), 2))]", /shallowMerge\(\) expects an array of objects, got number 2 at index 1/],
    ["[shallowMerge(createArray(createObject('a', 1), createObject('A', 2)))]", /keys 'a' and 'A', which differ only in case/],
    ["[flatten(createArray(createArray(1), 2))]", /flatten\(\) expects an array of arrays, got number 2 at index 1/],
    ["[flatten('abc')]", /flatten\(\) expects an array of arrays, got string "abc"/],
    ["[join(createArray('a', 1), ',')]", /join\(\) expects an array of strings, got number 1 at index 1/],
    ["[join('a', ',')]", /join\(\) expects an array of strings, got string "a"/],
    ["[join(createArray('a'), 1)]", /join\(\) expects a string, got number 1/],
    ["[indexOf(createObject('a', 1), 'a')]", /indexOf\(\) expects a string or an array, got an object/],
    ["[lastIndexOf('abc', 1)]", /lastIndexOf\(\) expects a string, got number 1/],
    ["[extensionResourceId('rg1', 'Microsoft.Authorization/locks', 'l')]", /extensionResourceId\(\) needs the ID of the resource it extends \(starting with '\/'\), got 'rg1'/],
    ["[extensionResourceId('/subscriptions/s', 'Microsoft.Authorization/locks')]", /extensionResourceId\(\) takes 3 to any number of argument\(s\), got 2/],
    ["[extensionResourceId('/subscriptions/s', 'Microsoft.Authorization/locks', 'a', 'b')]", /needs 1 name\(s\), got 2/],
    ["[extensionResourceId('/subscriptions/s', 'locks', 'a')]", /is not a resource type/],
  ])("%s is Unresolved with the reason, never an exception", (expr, reason) => {
    const v = ev(expr, c);
    expect(isUnresolved(v) && v.reason).toMatch(reason);
    expect((v as { expression: string }).expression).toBe(expr);
  });
});

describe("limits: a template cannot make the evaluator run or build without bound", () => {
  const timed = (expr: string, c: EvalContext = ctx()) => {
    const start = Date.now();
    const v = ev(expr, c);
    return { v, ms: Date.now() - start };
  };
  const lv = (name: string) => `lambdaVariables('${name}')`;

  test("nested maps over the largest range stop at the step limit, quickly", () => {
    const { v, ms } = timed(`[map(range(0, 10000), lambda('i', map(range(0, 10000), lambda('j', add(${lv("i")}, ${lv("j")})))))]`);
    expect(isUnresolved(v) && v.reason).toMatch(/more than 100000 evaluation steps/);
    expect(ms).toBeLessThan(5000);
    // range() itself stays capped at ARM's 10000.
    const big = ev(`[map(range(0, 10000000), lambda('i', ${lv("i")}))]`);
    expect(isUnresolved(big) && big.reason).toMatch(/range\(\) count must be 0..10000/);
    // Within the limit, a map over the largest range is evaluated.
    expect((ev(`[map(range(0, 10000), lambda('i', mul(${lv("i")}, 2)))]`) as number[])[9999]).toBe(19998);
  });

  test("the step limit is the whole expression's, user-defined functions' work included", () => {
    const fns: Record<string, UserFunction> = { "x.big": { parameters: [], output: { value: `[map(range(0, 10000), lambda('i', ${lv("i")}))]` } } };
    const c = ctx({ userFunction: (n) => fns[n.toLowerCase()] });
    expect((ev("[x.big()]", c) as number[]).length).toBe(10000);
    const { v, ms } = timed(`[map(range(0, 1000), lambda('i', length(x.big())))]`, c);
    expect(isUnresolved(v) && v.reason).toMatch(/evaluation steps/);
    expect(ms).toBeLessThan(5000);
  });

  test("reduce() cannot double a string or an array into a value too large to hold or write out", () => {
    const text = timed(`[reduce(range(0, 64), 'x', lambda('c', 'n', concat(${lv("c")}, ${lv("c")})))]`);
    expect(isUnresolved(text.v) && text.v.reason).toMatch(/concat\(\) would build a string longer than 1000000 characters/);
    const tree = timed(`[reduce(range(0, 64), createArray(), lambda('c', 'n', createArray(${lv("c")}, ${lv("c")})))]`);
    expect(isUnresolved(tree.v) && tree.v.reason).toMatch(/reduce\(\) builds a value of more than 100000 elements/);
    const deep = timed(`[reduce(range(0, 1000), createArray(), lambda('c', 'n', createArray(${lv("c")})))]`);
    expect(isUnresolved(deep.v) && deep.v.reason).toMatch(/nested more than 64 levels deep/);
    const replaced = timed(`[reduce(range(0, 64), 'xx', lambda('c', 'n', replace(${lv("c")}, 'x', ${lv("c")})))]`);
    expect(isUnresolved(replaced.v) && replaced.v.reason).toMatch(/replace\(\) would build a string longer than 1000000 characters/);
    expect(Math.max(text.ms, tree.ms, deep.ms, replaced.ms)).toBeLessThan(5000);
  });

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

describe("union() of objects", () => {
  test("merges nested objects recursively, replaces nested arrays, keeps first-seen member order (Azure/PSRule.Rules.Azure#2885)", () => {
    const c = ctx({}, {
      first: { property: { one: "a", two: "b", three: "c1" }, nestedArray: [1, 2] },
      second: { property: { three: "c2", four: "d", five: "e" }, nestedArray: [3, 4] },
    });
    const v = ev("[union(parameters('first'), parameters('second'))]", c);
    expect(JSON.stringify(v)).toBe('{"property":{"one":"a","two":"b","three":"c2","four":"d","five":"e"},"nestedArray":[3,4]}');
  });
  test("a member not known before deployment merged with an object is not known", () => {
    const later = { unresolved: true, reason: "later" } as unknown as EvalValue;
    const c = ctx({}, { known: { p: { a: 1 }, q: 1 }, partly: { p: later, r: 2 } });
    const v = ev("[union(parameters('known'), parameters('partly'))]", c) as Record<string, EvalValue>;
    expect(isUnresolved(v.p)).toBe(true);
    expect([v.q, v.r]).toEqual([1, 2]);
  });
});
