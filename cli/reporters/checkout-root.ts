import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The checkout a SARIF file's relative URIs are resolved against: GitHub code scanning resolves them against the
 * repository root (upload-sarif's `checkout_path`, https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#specifying-the-location-for-source-files),
 * so a check run from a subfolder must still write `infra/lh/onboard.json`, not `lh/onboard.json`. The nearest folder
 * at or above `cwd` holding `.git` (a folder, or a file in a worktree or submodule); `cwd` when there is none.
 */
export function checkoutRoot(cwd: string): string {
  let dir = path.resolve(cwd);
  for (;;) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(cwd);
    dir = parent;
  }
}

/**
 * `file` (absolute, or relative to `cwd`) relative to `root` with forward slashes, or undefined when it lies outside
 * `root` (a SARIF location then reaches it with `..` segments from the root: sarif.ts artifactLocation).
 */
export function pathInCheckout(file: string, cwd: string, root: string): string | undefined {
  const rel = path.relative(root, path.resolve(cwd, file));
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}
