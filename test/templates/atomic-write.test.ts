import { spawnSync } from "node:child_process";
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

  it("refuses, before writing anything, to replace a previous output whose folder is not writable", () => {
    // Permissions bind only a process without root's override: as root the writer runs as 'nobody' (uid 65534) in a
    // child process, through the built module (dist/, as `partnerlink template` runs it); otherwise as this user.
    const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
    fs.chmodSync(root, 0o777);
    const distTemplates = path.resolve(__dirname, "../../dist/templates");
    // As root, 'nobody' must be able to run this checkout's node and read dist/ (a clone under a private home may not):
    // where it cannot, the test shows root's side instead, that root's override replaces such a folder.
    const nobodyRuns =
      !asRoot || spawnSync(process.execPath, ["-e", `require(${JSON.stringify(distTemplates)})`], { encoding: "utf8", uid: 65534, gid: 65534 }).status === 0;
    const writer = `
      const { writeTreeAtomically } = require(${JSON.stringify(distTemplates)});
      try { writeTreeAtomically(process.argv[1], JSON.parse(process.argv[2]), { overwrite: true }); console.log("written"); }
      catch (e) { console.log(JSON.stringify({ reason: e.reason ?? e.code, message: e.message })); }`;
    const write = (out: string, tree: Record<string, string>) => {
      const r = spawnSync(process.execPath, ["-e", writer, out, JSON.stringify(tree)], { encoding: "utf8", ...(asRoot && nobodyRuns ? { uid: 65534, gid: 65534 } : {}) });
      expect(r.stderr).toBe("");
      return r.stdout.trim();
    };
    const out = path.join(root, "pkg");
    expect(write(out, { "a.json": "1", "sub/b.json": "1" })).toBe("written");
    if (!nobodyRuns) {
      fs.chmodSync(out, 0o555);
      expect(write(out, { "a.json": "2", "sub/b.json": "2" })).toBe("written");
      expect(fs.readdirSync(root)).toEqual(["pkg"]);
      expect(fs.readFileSync(path.join(out, "sub", "b.json"), "utf8")).toBe("2");
      return;
    }
    for (const locked of [out, path.join(out, "sub")]) {
      fs.chmodSync(locked, 0o555);
      const result = JSON.parse(write(out, { "a.json": "2", "sub/b.json": "2" })) as { reason: string; message: string };
      expect(result.reason).toBe("not-writable");
      expect(result.message).toMatch(locked === out ? /pkg cannot be replaced: the files in its folder .*pkg cannot be removed/ : /pkg cannot be replaced: the files in its folder 'sub' cannot be removed/);
      // Nothing written: the old output as it was, and no temporary or old folder beside it.
      expect(fs.readdirSync(root)).toEqual(["pkg"]);
      expect(fs.readFileSync(path.join(out, "a.json"), "utf8")).toBe("1");
      expect(fs.readFileSync(path.join(out, "sub", "b.json"), "utf8")).toBe("1");
      fs.chmodSync(locked, 0o755);
    }
    expect(write(out, { "a.json": "2", "sub/b.json": "2" })).toBe("written");
    expect(fs.readFileSync(path.join(out, "a.json"), "utf8")).toBe("2");
  });

  it("refuses paths that leave the output directory", () => {
    expect(() => writeTreeAtomically(path.join(root, "out"), { "../escape.txt": "x" })).toThrow(/outside/);
    expect(fs.readdirSync(root)).toEqual([]);
  });
});
