/**
 * scripts/language-host-shim, the `pulumi-language-nodejs` scripts/ensure-pulumi-cli.sh builds: the real v3.68 host
 * it starts dies with it. The engine kills a plugin it is done with (SIGKILL after its grace period), which the shim
 * cannot forward; a failed `pulumi preview` used to leave the host running, reparented to init. Runs the built shim
 * with a stand-in host (PULUMI_LANGUAGE_NODEJS_REAL) that prints a port, records its PID and sleeps.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pulumiBinDir } from "./harness/pulumi-cli";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

test("the real host dies with the shim when the shim is killed (SIGKILL)", async () => {
  const bin = pulumiBinDir();
  const shim = path.join(bin, "pulumi-language-nodejs");
  if (!existsSync(path.join(bin, "pulumi-language-nodejs-v3.68")))
    throw new Error(`${bin} holds no partnerlink language host shim (a system Pulumi CLI?): this suite tests the one scripts/ensure-pulumi-cli.sh builds`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "pl-shim-"));
  try {
    const pidFile = path.join(dir, "host.pid");
    const host = path.join(dir, "host.sh");
    writeFileSync(host, `#!/bin/sh\necho $$ > '${pidFile}'\necho 45678\nexec sleep 300\n`);
    chmodSync(host, 0o755);
    const child = spawn(shim, [], { env: { ...process.env, PULUMI_LANGUAGE_NODEJS_REAL: host }, stdio: ["ignore", "pipe", "pipe"] });
    // The shim prints its own port once the host has printed its one.
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the shim exited (${code}) before printing its port`)));
    });
    expect(port).toMatch(/^\d+$/);
    const hostPid = Number(readFileSync(pidFile, "utf8").trim());
    expect(alive(hostPid)).toBe(true);
    child.kill("SIGKILL");
    expect(await until(() => !alive(hostPid), 5000)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
