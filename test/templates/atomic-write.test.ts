import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeTreeAtomically } from "../../templates";

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-atomic-"));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("writeTreeAtomically", () => {
  it("writes nested files", () => {
    writeTreeAtomically(path.join(root, "out"), { "a/x.json": "1", "b.md": "2" });
    expect(fs.readFileSync(path.join(root, "out", "a", "x.json"), "utf8")).toBe("1");
    expect(fs.readdirSync(root)).toEqual(["out"]);
  });

  it("leaves nothing behind when a write fails half-way", () => {
    // The second file needs 'a' to be a folder, but the first made it a file: the write fails mid-way.
    expect(() => writeTreeAtomically(path.join(root, "out"), { a: "file", "a/b": "inside" })).toThrow();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it("keeps the old directory intact when replacing fails", () => {
    writeTreeAtomically(path.join(root, "out"), { "old.txt": "old" });
    expect(() => writeTreeAtomically(path.join(root, "out"), { a: "file", "a/b": "x" }, { overwrite: true, owned: () => true })).toThrow(/EEXIST|ENOTDIR/);
    expect(fs.readdirSync(root)).toEqual(["out"]);
    expect(fs.readdirSync(path.join(root, "out"))).toEqual(["old.txt"]);
  });

  it("replaces only a folder of files it owns; a symlink or another file stops it", () => {
    const out = path.join(root, "out");
    writeTreeAtomically(out, { "a.json": "1" });
    writeTreeAtomically(out, { "a.json": "2" }, { overwrite: true });
    expect(fs.readFileSync(path.join(out, "a.json"), "utf8")).toBe("2");
    fs.symlinkSync(path.join(root, "elsewhere"), path.join(out, "link"));
    expect(() => writeTreeAtomically(out, { "a.json": "3" }, { overwrite: true })).toThrow(/holds files partnerlink did not write \(link\)/);
    expect(fs.readFileSync(path.join(out, "a.json"), "utf8")).toBe("2");
  });

  it("refuses paths that leave the output directory", () => {
    expect(() => writeTreeAtomically(path.join(root, "out"), { "../escape.txt": "x" })).toThrow(/outside/);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
