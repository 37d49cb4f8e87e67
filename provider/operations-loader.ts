/**
 * How the dynamic providers find their operations at run time. Pulumi serializes each provider object into
 * `__provider`; these two functions are captured with it, so they reference nothing but Node built-ins and the
 * serialized text stays small and carries no secret. The operations themselves (ARM calls, rules) are loaded from
 * `partnerlink/provider` where the program runs.
 */

/**
 * The partnerlink package a provider comes from (a fallback for loading the operations): walks up from `from` to
 * the package root, the folder whose package.json is partnerlink's and whose "./provider" export exists (not a copy
 * of package.json compiled into dist/). A path, never a secret.
 */
export function findPackageRoot(from: string): string | undefined {
  const { existsSync, readFileSync } = require("node:fs");
  const { dirname, join } = require("node:path");
  let dir: string = from;
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (!existsSync(pkg)) continue;
    const meta = JSON.parse(readFileSync(pkg, "utf8"));
    const target = meta?.exports?.["./provider"]?.default;
    if (meta?.name === "partnerlink" && typeof target === "string" && existsSync(join(dir, target))) return dir;
  }
  return undefined;
}

/**
 * One export of `partnerlink/provider`: from where the program runs (partnerlink installed in its node_modules, or
 * this repository itself through package.json "exports"); else from the package the provider was created from (a
 * program in a sub-folder).
 */
export function loadProviderExport<T>(packageRoot: string | undefined, name: string): T {
  const { createRequire } = require("node:module");
  const { join } = require("node:path");
  try {
    return createRequire(join(process.cwd(), "partnerlink-provider.js"))("partnerlink/provider")[name];
  } catch (err) {
    if (!packageRoot) throw err;
    return createRequire(join(packageRoot, "package.json"))("partnerlink/provider")[name];
  }
}
