/** `--version` prints the package version, whichever command it is given to, and runs nothing. */
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../check/run-cli";

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };

test.each([[["--version"]], [["check", "--version"]], [["audit", "--version"]], [["template", "--version"]], [["emulator", "--version"]], [["audit", "--format", "json", "--version"]]])(
  "partnerlink %j prints the version and exits 0, reading and starting nothing",
  async (argv) => {
    const run = await runCli(argv);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
    expect(run.stderr).toBe("");
  },
);

test("after `--` it is a path, not the option", async () => {
  const run = await runCli(["check", "--", "--version"]);
  expect(run.code).toBe(2);
  expect(run.stdout).not.toBe(`${pkg.version}\n`);
});
