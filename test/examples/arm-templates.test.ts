/**
 * examples/arm-templates: the committed templates are exactly what `partnerlink template` generates from
 * customers.yaml (the command in the example's README), and `partnerlink check` passes on each customer folder
 * with the partnerlink.config.json written next to it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findingsOf, runCli } from "../check/run-cli";

const EXAMPLE = path.resolve(__dirname, "../../examples/arm-templates");
const COMMITTED = path.join(EXAMPLE, "onboarding");

/** The generation command, as the README gives it (defaults for every customer on the command line). */
const TEMPLATE_ARGS = [
  "--managing-tenant", "11111111-1111-4111-8111-111111111111",
  "--pec-principal", "1a000000-0000-4000-8000-000000000001",
  "--pec-principal-name", "Provider Automation Account",
  "--partner-id", "1234567",
];

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))])).sort();
}

test("the README's command is the one the test runs", () => {
  const readme = fs.readFileSync(path.join(EXAMPLE, "README.md"), "utf8");
  for (let i = 0; i < TEMPLATE_ARGS.length; i += 2) expect(readme).toContain(`${TEMPLATE_ARGS[i]} ${/\s/.test(TEMPLATE_ARGS[i + 1]) ? `"${TEMPLATE_ARGS[i + 1]}"` : TEMPLATE_ARGS[i + 1]}`);
});

test("regenerating gives the same bytes", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-arm-templates-"));
  try {
    const out = path.join(tmp, "onboarding");
    const run = await runCli(["template", "--customers", path.join(EXAMPLE, "customers.yaml"), "--out", out, ...TEMPLATE_ARGS]);
    // Nothing but PL014's note on each customer delegated at resource groups only (PEC is earned there alone).
    expect(run.stderr.split("\n").filter((l) => l !== "").map((l) => /^\S+?\/([\w-]+): info PL014 .* at resource groups? ([\w, -]+), none at /.exec(l)?.slice(1))).toEqual([
      ["northwind-traders", "rg-northwind-data, rg-northwind-web"],
      ["tailspin-toys", "rg-tailspin-shop"],
    ]);
    expect(run.code).toBe(0);
    const files = listFiles(out);
    expect(files).toEqual(listFiles(COMMITTED));
    expect(files.length).toBe(12);
    for (const f of files) expect({ f, text: fs.readFileSync(path.join(COMMITTED, f), "utf8") }).toEqual({ f, text: fs.readFileSync(path.join(out, f), "utf8") });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.each(fs.readdirSync(COMMITTED).sort())("partnerlink check passes on %s with its config, every PEC rule evaluated", async (customer) => {
  const dir = path.join(COMMITTED, customer);
  const run = await runCli(["check", dir, "--config", path.join(dir, "partnerlink.config.json"), "--format", "json"]);
  expect(findingsOf(run).filter((f) => f.severity !== "info")).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.stdout + run.stderr).not.toMatch(/not evaluated/);
});
