import { blankJsonComments } from "../../formats/json-comments";

describe("blankJsonComments", () => {
  test("blanks line and block comments outside strings, keeping every offset and line break", () => {
    const text = '{ // one\n  "a": "x // y /* z */", /* two\n lines */ "b": "q\\" // r"\n}';
    const out = blankJsonComments(text)!;
    expect(out).toHaveLength(text.length);
    expect(out.split("\n")).toHaveLength(text.split("\n").length);
    expect(JSON.parse(out)).toEqual({ a: "x // y /* z */", b: 'q" // r' });
    expect(out.indexOf('"b"')).toBe(text.indexOf('"b"'));
  });
  test("undefined when there is no comment, even with slashes in strings", () => {
    expect(blankJsonComments('{"$schema": "https://schema.management.azure.com/x.json#", "n": 1 / 2}')).toBeUndefined();
  });
  test("an unterminated block comment runs to the end", () => {
    expect(blankJsonComments('{"a": 1 /* open')).toBe('{"a": 1        ');
  });
});
