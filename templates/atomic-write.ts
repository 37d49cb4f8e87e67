import * as fs from "node:fs";
import * as path from "node:path";

/** A directory tree in memory: relative file path -> content. */
export type FileTree = Record<string, string>;

export interface WriteTreeOptions {
  /** Replace an existing `outDir` (`--force`), if it holds only files {@link owned} says this tool writes. */
  overwrite?: boolean;
  /** Whether a file (path relative to `outDir`, `/`-separated) is one this tool writes. Default: any file of `tree`. */
  owned?: (rel: string) => boolean;
  /** The working directory: never replaced, nor any folder that contains it. */
  cwd?: string;
}

/**
 * Why an output folder is refused: it exists (no `overwrite`), is not a directory, is the working directory (or
 * contains it) or the filesystem root, holds too many entries to be a previous output, or holds files this tool
 * did not write, or has a folder whose files cannot be removed (not writable).
 */
export type OutputDirRefusal = "exists" | "not-a-directory" | "protected" | "too-large" | "foreign-files" | "not-writable";

/**
 * An output folder this tool will not write or replace (exists without --force, not a folder, not its own). The
 * message is the CLI's (`--out`, `--force`); `reason` and `files` let another front end (the root stack) word it
 * in its own terms.
 */
export class OutputDirRefused extends Error {
  constructor(
    message: string,
    readonly reason: OutputDirRefusal,
    /** For "foreign-files": the first few files (relative, `/`-separated) this tool did not write. */
    readonly files: readonly string[] = [],
  ) {
    super(message);
    this.name = "OutputDirRefused";
  }
}

/** How many entries of an existing output folder are looked at before it is refused as too large to be ours. */
const MAX_REPLACED_ENTRIES = 10_000;

/**
 * Writes `tree` as the directory `outDir`, atomically: everything goes to a temporary sibling directory
 * first, which is renamed onto `outDir` only when every file is written. On any error the temporary
 * directory is removed and `outDir` is left as it was. An existing `outDir` is refused unless `overwrite`
 * (then it is replaced: renamed aside, the new one renamed in, the old one removed). Even then, a folder holding
 * anything this tool did not write (another file, a symlink), the working directory, a folder that contains it,
 * or the filesystem root is refused: `--force` replaces a previous output, never a user's folder.
 */
export function writeTreeAtomically(outDir: string, tree: FileTree, options: WriteTreeOptions = {}): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  checkTreeWritable(outDir, tree, options);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.partial-`));
  // mkdtemp makes the folder 0700; the output gets the usual mode, as the folders inside it do.
  fs.chmodSync(tmp, 0o755);
  let old: string | undefined;
  try {
    for (const [rel, content] of Object.entries(tree)) {
      const file = path.resolve(tmp, rel);
      if (!file.startsWith(tmp + path.sep)) throw new Error(`refusing to write '${rel}' outside ${outDir}`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { flag: "wx" });
    }
    if (fs.existsSync(target)) {
      old = `${tmp}.old`;
      fs.renameSync(target, old);
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (old !== undefined && !fs.existsSync(target)) fs.renameSync(old, target);
    throw err;
  }
  if (old !== undefined) fs.rmSync(old, { recursive: true, force: true });
}

/**
 * What {@link writeTreeAtomically} checks before it writes anything, without writing: throws
 * {@link OutputDirRefused} when `outDir` would be refused (so a dry run can report it).
 */
export function checkTreeWritable(outDir: string, tree: FileTree, options: WriteTreeOptions = {}): void {
  const target = path.resolve(outDir);
  if (!fs.existsSync(target)) return;
  if (!options.overwrite) throw new OutputDirRefused(`${outDir} already exists; choose a new --out directory or pass --force to replace it`, "exists");
  if (!fs.lstatSync(target).isDirectory()) throw new OutputDirRefused(`${outDir} exists and is not a directory; choose another --out`, "not-a-directory");
  refuseUnlessReplaceable(outDir, target, tree, options);
}

/** Throws unless `target` (an existing directory) is a previous output of this tool that may be replaced. */
function refuseUnlessReplaceable(outDir: string, target: string, tree: FileTree, options: WriteTreeOptions): void {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  if (target === path.parse(target).root || cwd === target || cwd.startsWith(target + path.sep))
    throw new OutputDirRefused(`${outDir} is ${target === path.parse(target).root ? "the filesystem root" : "the working directory or contains it"}; --force replaces only a previous output folder. Choose another --out`, "protected");
  const owned = options.owned ?? ((rel: string) => Object.prototype.hasOwnProperty.call(tree, rel));
  const foreign: string[] = [];
  // Folders whose entries cannot be removed (no write or search permission): the old output is renamed aside only
  // after the new one is complete, then removed; a failure there came after the new folder was in place, so the command
  // failed with its output written and the old one left beside it as `.<name>.partial-*.old`. Refused up front instead.
  const locked: string[] = [];
  let seen = 0;
  const walk = (dir: string, rel: string): void => {
    if (locked.length === 0 && !removable(dir)) locked.push(rel === "" ? "." : rel);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_REPLACED_ENTRIES || foreign.length >= 5) return;
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else if (!e.isFile() || !owned(r)) foreign.push(r);
    }
  };
  walk(target, "");
  if (seen > MAX_REPLACED_ENTRIES) throw new OutputDirRefused(`${outDir} holds more than ${MAX_REPLACED_ENTRIES} entries: not a previous output; --force will not replace it. Choose another --out`, "too-large");
  if (locked.length > 0 && foreign.length === 0)
    throw new OutputDirRefused(
      `${outDir} cannot be replaced: the files in its folder ${locked[0] === "." ? outDir : `'${locked[0]}'`} cannot be removed (the folder is not writable); make it writable (chmod -R u+w ${outDir}) or choose another --out`,
      "not-writable",
      locked,
    );
  if (foreign.length > 0)
    throw new OutputDirRefused(
      `${outDir} holds files partnerlink did not write (${foreign.join(", ")}${foreign.length >= 5 ? ", ..." : ""}); --force replaces only a previous output folder. Choose another --out, or move those files away`,
      "foreign-files",
      foreign,
    );
}

/** Whether the entries of folder `dir` can be removed by this process: write and search permission on it. */
function removable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
