import * as fs from "node:fs";
import * as path from "node:path";

/** A directory tree in memory: relative file path -> content. */
export type FileTree = Record<string, string>;

/**
 * Writes `tree` as the directory `outDir`, atomically: everything goes to a temporary sibling directory
 * first, which is renamed onto `outDir` only when every file is written. On any error the temporary
 * directory is removed and `outDir` is left as it was. An existing `outDir` is refused unless `overwrite`
 * (then it is replaced: renamed aside, the new one renamed in, the old one removed).
 */
export function writeTreeAtomically(outDir: string, tree: FileTree, options: { overwrite?: boolean } = {}): void {
  const target = path.resolve(outDir);
  const parent = path.dirname(target);
  if (fs.existsSync(target)) {
    if (!options.overwrite) throw new Error(`${outDir} already exists; choose a new --out directory or pass --force to replace it`);
    if (!fs.statSync(target).isDirectory()) throw new Error(`${outDir} exists and is not a directory; choose another --out`);
  }
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.partial-`));
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
