/**
 * The demo's failure path: when a step does not do what it should (here: a "broken" example that is not broken
 * any more, so the checker does not flag it), runDemo fails with one clear line naming the example and the rule,
 * and still stops the emulator and removes its temp dir.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { DemoError, runDemo } from "../../examples/demo";

const ROOT = path.resolve(__dirname, "../..");

test("an example the checker does not flag fails the demo with one line; the emulator is stopped", async () => {
  const examples = fs.mkdtempSync(path.join(os.tmpdir(), "partnerlink-demo-examples-"));
  try {
    fs.cpSync(path.join(ROOT, "examples", "arm-templates"), path.join(examples, "arm-templates"), { recursive: true });
    fs.cpSync(path.join(ROOT, "examples", "broken"), path.join(examples, "broken"), { recursive: true });
    // "Fix" the PL001 example's template: the PEC principal gets its permanent Contributor.
    const file = path.join(examples, "broken", "pec-principal-missing", "template.json");
    const t = JSON.parse(fs.readFileSync(file, "utf8"));
    t.resources[0].properties.authorizations.unshift({ principalId: "1a000000-0000-4000-8000-000000000001", roleDefinitionId: "b24988ac-6180-42a0-ab88-20f7382dd24c" });
    fs.writeFileSync(file, JSON.stringify(t));

    const ports: number[] = [];
    let err: unknown;
    try {
      await runDemo({ pulumi: "never", examplesDir: examples, log: (l) => { const m = /127\.0\.0\.1:(\d+)/.exec(l); if (m) ports.push(Number(m[1])); } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DemoError);
    expect((err as Error).message).toBe("partnerlink check did not flag examples/broken/pec-principal-missing with PL001 (exit 0, found nothing)");
    expect(ports).toHaveLength(1);
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.connect(ports[0], "127.0.0.1");
      sock.once("connect", () => (sock.destroy(), resolve(false)));
      sock.once("error", () => resolve(true));
    });
    expect(refused).toBe(true);
  } finally {
    fs.rmSync(examples, { recursive: true, force: true });
  }
});
