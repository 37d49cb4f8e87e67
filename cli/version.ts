import * as fs from "node:fs";
import * as path from "node:path";

/**
 * partnerlink's version from its package.json, found by walking up from this file, so it works both from the
 * sources (cli/) and from the compiled output (dist/cli/), where `require("../package.json")` finds nothing.
 */
function findVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, "package.json");
    if (fs.existsSync(p)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(p, "utf8")) as { name?: string; version?: string };
        if (pkg.name === "partnerlink" && typeof pkg.version === "string") return pkg.version;
      } catch {
        /* keep looking */
      }
    }
    dir = path.dirname(dir);
  }
  return "0.0.0";
}

export const VERSION: string = findVersion();
