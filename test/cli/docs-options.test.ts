/**
 * The docs of `partnerlink audit` (docs/audit.md) and `partnerlink emulator` (emulator/README.md) against the
 * commands: every option `--help` lists is in the doc, and every option the doc names is one the command takes.
 * (docs/check.md's options table has its own test, test/check/docs.test.ts.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../check/run-cli";

const ROOT = path.resolve(__dirname, "..", "..");

function options(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z-]*/g)].map((m) => m[0]))].filter((o) => o !== "--help" && o !== "--version").sort();
}

test.each([
  ["audit", "docs/audit.md"],
  ["emulator", "emulator/README.md"],
])("partnerlink %s --help and %s name the same options", async (command, doc) => {
  const help = await runCli([command, "--help"]);
  expect(help.code).toBe(0);
  const fromHelp = options(help.stdout);
  expect(fromHelp.length).toBeGreaterThan(4);
  expect(options(fs.readFileSync(path.join(ROOT, doc), "utf8"))).toEqual(fromHelp);
});
