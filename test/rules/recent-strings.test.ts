import { RecentStrings } from "../../rules/recent-strings";

describe("RecentStrings", () => {
  it("remembers the last four strings, by content, and forgets the oldest for a fifth", () => {
    const r = new RecentStrings();
    for (const s of ["a", "b", "c", "d"]) r.add(s);
    // Equal content from another string object (as JSON.parse makes each occurrence).
    expect(r.has(JSON.parse('"a"') as string)).toBe(true);
    expect(r.has("d")).toBe(true);
    r.add("e");
    expect(r.has("a")).toBe(false);
    expect(["b", "c", "d", "e"].every((s) => r.has(s))).toBe(true);
  });

  it("knows nothing until told, not even the empty string", () => {
    const r = new RecentStrings();
    expect(r.has("")).toBe(false);
    expect(r.reuse("")).toBe("");
    expect(r.has("")).toBe(true);
  });

  it("reuse gives back an equal string and remembers a new one in place of the oldest", () => {
    const r = new RecentStrings();
    expect(r.reuse("x")).toBe("x");
    expect(r.has("x")).toBe(true);
    // A repeat takes no place: four new strings after it leave "x" out only at the fourth.
    expect(r.reuse("x")).toBe("x");
    for (const s of ["1", "2", "3"]) r.reuse(s);
    expect(r.has("x")).toBe(true);
    r.reuse("4");
    expect(r.has("x")).toBe(false);
  });
});
