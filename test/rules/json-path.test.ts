import Ajv from "ajv";
import { childPath, pointerSegment, pointerSegments, pointerToJsonPath, pointerToPropertyPath, valueAtPointer } from "../../rules/json-path";

describe("childPath", () => {
  it("writes identifiers as members, other keys quoted, numbers as indexes", () => {
    expect(childPath("$", "resources")).toBe("$.resources");
    expect(childPath("$.resources", 3)).toBe("$.resources[3]");
    expect(childPath("$.tags", "odd key")).toBe('$.tags["odd key"]');
    expect(childPath("$.tags", "0")).toBe('$.tags["0"]');
    expect(childPath("$", 'say "hi"')).toBe('$["say \\"hi\\""]');
  });
});

describe("pointerSegments", () => {
  it("splits a pointer into members and indexes, an index being a step into an array of the document", () => {
    expect(pointerSegments("")).toEqual([]);
    expect(pointerSegments("/authorizations/0/principalId")).toEqual(["authorizations", 0, "principalId"]);
    expect(pointerSegments("/tags/a~1b")).toEqual(["tags", "a/b"]);
    expect(pointerSegments("/tags/0", { tags: { "0": 1 } })).toEqual(["tags", "0"]);
    expect(pointerSegments("/list/0", { list: [1] })).toEqual(["list", 0]);
  });
});

describe("pointerToJsonPath", () => {
  it.each([
    ["", "$"],
    ["/waivers/0/expires", "$.waivers[0].expires"],
    ["/resources/12/properties/authorizations/0", "$.resources[12].properties.authorizations[0]"],
    ["/tags/a~1b", '$.tags["a/b"]'],
    ["/tags/a~0b", '$.tags["a~b"]'],
    // "~01" is "~1" escaped once: it decodes to the two characters ~1, not to "/".
    ["/tags/~01", '$.tags["~1"]'],
    ["/tags/odd key", '$.tags["odd key"]'],
    ["/rules/no-such-rule", '$.rules["no-such-rule"]'],
    ["/$schema", "$.$schema"],
    ["/", '$[""]'],
  ])("%j -> %s", (pointer, path) => {
    expect(pointerToJsonPath(pointer)).toBe(path);
  });

  it("continues a base path", () => {
    expect(pointerToJsonPath("/properties/authorizations/1", "$.value[4]")).toBe("$.value[4].properties.authorizations[1]");
    expect(pointerToJsonPath("", "$.value[4]")).toBe("$.value[4]");
  });

  it("given the document, writes a member named with digits as a member and only array elements as indexes", () => {
    const doc = { parameters: { "0": { type: "strnig" } }, resources: [{ tags: { "12": "x" } }] };
    expect(pointerToJsonPath("/parameters/0/type", "$", doc)).toBe('$.parameters["0"].type');
    expect(pointerToJsonPath("/resources/0/tags/12", "$", doc)).toBe('$.resources[0].tags["12"]');
    // Without the document, digits read as an index.
    expect(pointerToJsonPath("/parameters/0/type")).toBe("$.parameters[0].type");
    expect(pointerToPropertyPath("/0", undefined, { "0": 1 })).toBe('["0"]');
  });

  it("names the property ajv reports, whatever its key", () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile({ type: "object", additionalProperties: { type: "object", additionalProperties: { type: "string" } } });
    expect(validate({ "a/b": { "odd key": 1 } })).toBe(false);
    expect(pointerToJsonPath(validate.errors![0]!.instancePath)).toBe('$["a/b"]["odd key"]');
  });
});

describe("pointerSegment", () => {
  it("escapes ~ before /, so the segment decodes back to the key", () => {
    expect(pointerSegment("a/b")).toBe("a~1b");
    expect(pointerSegment("~1")).toBe("~01");
    expect(pointerSegment(3)).toBe("3");
    for (const key of ["a/b", "~1", "~/~", "plain"]) expect(pointerToJsonPath(`/${pointerSegment(key)}`)).toBe(childPath("$", key));
  });
});

describe("pointerToPropertyPath", () => {
  it.each([
    ["", undefined, ""],
    ["", "partnerId", "partnerId"],
    ["/connection/credential", "kind", "connection.credential.kind"],
    ["/authorizations/0/principalId", undefined, "authorizations[0].principalId"],
    ["/customers/2", "subscriptionId", "customers[2].subscriptionId"],
    ["/tags/a b", undefined, 'tags["a b"]'],
    ["", "odd key", '["odd key"]'],
    ["/deployerSecrets", "contoso.eu", 'deployerSecrets["contoso.eu"]'],
  ])("%j + %j -> %s", (pointer, member, path) => {
    expect(pointerToPropertyPath(pointer, member)).toBe(path);
  });
});

describe("valueAtPointer", () => {
  const doc = { a: [{ "b/c": 1, "~": [null, false] }], "": "empty key" };
  it.each([
    ["", doc],
    ["/a/0/b~1c", 1],
    ["/a/0/~0/1", false],
    ["/a/0/~0/0", null],
    ["/", "empty key"],
    ["/a/5", undefined],
    ["/a/0/b~1c/deeper", undefined],
    ["/toString", undefined],
  ])("%j", (pointer, value) => {
    expect(valueAtPointer(doc, pointer)).toEqual(value);
  });
});
