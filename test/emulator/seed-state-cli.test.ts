import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, validateSeed, loadSeedFile, type EmulatorSeed } from "../../emulator";
import { loadFaultFile } from "../../emulator/fault-file";
import { startCli } from "../check/run-cli";
import { FABRIKAM, PARTNER_TENANT, PROVIDER_SP, armClient, defPath, definitionBody, secretCredential, send } from "./helpers";

const DEMO = path.join(__dirname, "../../emulator/seeds/demo.json");
const demo = (): EmulatorSeed => JSON.parse(readFileSync(DEMO, "utf8"));
const tmp = mkdtempSync(path.join(os.tmpdir(), "pl-emu-test-"));

describe("seed validation names the JSON path", () => {
  test("the demo seed is valid", () => {
    expect(loadSeedFile(DEMO).tenants).toHaveLength(4);
  });
  test.each([
    ["a bad GUID", (s: any) => (s.principals[1].objectId = "nope"), /seed x\.json: \$\.principals\[1\]\.objectId: must be a GUID/],
    ["a missing property", (s: any) => delete s.subscriptions[0].owners, /\$\.subscriptions\[0\]: missing required property 'owners'/],
    ["an unknown property", (s: any) => (s.tenants[0].name = "x"), /\$\.tenants\[0\]: unknown property 'name'/],
    ["an owner not in the directory", (s: any) => (s.subscriptions[0].owners = ["99999999-0000-4000-8000-000000000000"]), /\$\.subscriptions\[0\]\.owners\[0\]: principal .* is not in \$\.principals/],
    ["an owner from another tenant", (s: any) => (s.subscriptions[0].owners = [PROVIDER_SP.objectId]), /\$\.subscriptions\[0\]\.owners\[0\]: .* not the subscription's tenant/],
    ["a secret on a user", (s: any) => (s.principals[2].clientSecret = "x"), /\$\.principals\[2\]: .*service principals only/],
    ["memberOf a non-group", (s: any) => (s.principals[2].memberOf = [PROVIDER_SP.objectId]), /\$\.principals\[2\]\.memberOf\[0\]: .* is not a group/],
  ])("%s", (_name, mutate, message) => {
    const s = demo();
    mutate(s);
    expect(() => validateSeed(s, "x.json")).toThrow(message);
  });
  test("startEmulator refuses a bad seed file with the file name", async () => {
    const f = path.join(tmp, "bad-seed.json");
    writeFileSync(f, "{ not json");
    await expect(startEmulator({ seed: f })).rejects.toThrow(`seed ${f}: not valid JSON`);
  });
  test("a syntax error in a seed, fault or state file is placed by line and column, never quoted (seeds hold client secrets)", async () => {
    // V8's own message for this one quotes the text around the error, secret included.
    const text = '{"tenants": [],\n "principals": [{"objectId": "x", "clientSecret": hunter2-seed-secret}]}';
    const seed = path.join(tmp, "secret-seed.json");
    writeFileSync(seed, text);
    const seedError = await startEmulator({ seed }).then(() => "started", (e: Error) => e.message);
    expect(seedError).toMatch(/^seed .*secret-seed\.json: not valid JSON \(line 2, column \d+\): an unexpected character .*; fix the syntax$/);
    const faults = path.join(tmp, "secret-faults.json");
    writeFileSync(faults, '[{"kind": "503", "everyNth": 2, "note": hunter2-seed-secret}]');
    expect(() => loadFaultFile(faults)).toThrow(/^faults .*secret-faults\.json: not valid JSON \(line 1, column \d+\): an unexpected character .*; fix the syntax$/);
    const state = path.join(tmp, "secret-state.json");
    writeFileSync(state, text);
    const stateError = await startEmulator({ statePath: state }).then(() => "started", (e: Error) => e.message);
    expect(stateError).toMatch(/^emulator state .*secret-state\.json: not valid JSON \(line 2, column \d+\): an unexpected character/);
    for (const m of [seedError, stateError, String((() => { try { loadFaultFile(faults); } catch (e) { return (e as Error).message; } })())]) expect(m).not.toContain("hunter2");
  });

  test("fault files are validated too", () => {
    const f = path.join(tmp, "faults.json");
    writeFileSync(f, JSON.stringify([{ kind: "503", everyNth: 2 }, { kind: "teapot" }]));
    expect(() => loadFaultFile(f)).toThrow(/faults .*faults\.json: \$\[1\]\.kind: must be one of "429", "500"/);
  });
});

describe("persistence", () => {
  test("links and delegations survive a restart; the file is replaced atomically", async () => {
    const statePath = path.join(tmp, "state.json");
    const a = await startEmulator({ statePath });
    const cred = () => secretCredential(a, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret);
    try {
      const c = armClient(a, cred());
      expect((await send(c, a, "PUT", defPath(FABRIKAM.subscriptionId, "0000000c-0000-4000-8000-000000000001"), definitionBody())).status).toBe(201);
      const p = armClient(a, secretCredential(a, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret));
      expect((await send(p, a, "PUT", "/providers/Microsoft.ManagementPartner/partners/1234567?api-version=2018-02-01")).status).toBe(200);
    } finally {
      await a.stop();
    }
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const saved = JSON.parse(readFileSync(statePath, "utf8"));
    expect(saved.registrationDefinitions).toHaveLength(1);
    expect(JSON.stringify(saved)).not.toContain(PROVIDER_SP.secret);

    const b = await startEmulator({ statePath });
    try {
      expect(b.state.counts()).toMatchObject({ registrationDefinitions: 1, activePartnerLinks: 1 });
      const p = armClient(b, secretCredential(b, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret));
      const link = await send(p, b, "GET", "/providers/Microsoft.ManagementPartner/partners?api-version=2018-02-01");
      expect(link.body.properties).toMatchObject({ partnerId: "1234567", version: 1 });
    } finally {
      await b.stop();
    }
  });
  test("a state file of the wrong shape is refused with the JSON path", async () => {
    const f = path.join(tmp, "wrong-shape.json");
    writeFileSync(f, JSON.stringify({ partnerLinks: [{ tenantId: "t", objectId: "o", partnerId: "1234567", version: "1", createdTime: "", updatedTime: "", state: "Active" }], registrationDefinitions: [], registrationAssignments: [] }));
    await expect(startEmulator({ statePath: f })).rejects.toThrow(`emulator state ${f}: $.partnerLinks[0].version: must be integer`);
  });

  test("a corrupt state file is refused with its name", async () => {
    const f = path.join(tmp, "corrupt.json");
    writeFileSync(f, "[1,2");
    await expect(startEmulator({ statePath: f })).rejects.toThrow(`emulator state ${f}: not valid JSON`);
  });
});

describe("trusting the CA in a child process", () => {
  test("NODE_EXTRA_CA_CERTS=<caCertPath> lets a child process (e.g. the Pulumi CLI) call the emulator", async () => {
    const { execFile } = await import("node:child_process");
    const emu = await startEmulator();
    try {
      const script = `require("https").get(process.argv[1], (r) => { console.log(r.statusCode); r.resume(); }).on("error", (e) => { console.log(e.code); })`;
      const run = (env: NodeJS.ProcessEnv) =>
        new Promise<string>((resolve, reject) =>
          execFile(process.execPath, ["-e", script, `${emu.url}/${PARTNER_TENANT}/v2.0/.well-known/openid-configuration`], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
        );
      const { NODE_EXTRA_CA_CERTS: _drop, ...base } = process.env;
      expect(await run({ ...base, NODE_EXTRA_CA_CERTS: emu.caCertPath })).toBe("200");
      expect(await run(base)).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/);
    } finally {
      await emu.stop();
    }
  });
});

describe("partnerlink emulator (CLI)", () => {
  const start = (argv: string[]) => startCli(argv, { cwd: tmp });

  test("prints URL, CA file and env snippet, serves, and stops cleanly on SIGINT", async () => {
    const t = start(["emulator", "--port", "0", "--state", "cli-state.json"]);
    for (let i = 0; i < 200 && !t.stdout().includes("Stop with Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 50));
    const out = t.stdout();
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    const ca = /export NODE_EXTRA_CA_CERTS=(\S+)/.exec(out)![1]!;
    expect(out).toContain(`export AZURE_AUTHORITY_HOST=${url}`);
    expect(readFileSync(ca, "utf8")).toContain("BEGIN CERTIFICATE");
    const https = await import("node:https");
    const status = await new Promise<number>((resolve, reject) =>
      https.get(`${url}/${PARTNER_TENANT}/v2.0/.well-known/openid-configuration`, { ca: readFileSync(ca) }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on("error", reject),
    );
    expect(status).toBe(200);
    process.emit("SIGINT");
    expect(await t.running).toBe(0);
    expect(t.stdout()).toContain("stopped");
    expect(existsSync(ca)).toBe(false);
    expect(t.stderr()).toMatch(/GET \/11111111-1111-4111-8111-111111111111\/v2\.0\/\.well-known\/openid-configuration 200/);
  });

  test("--faults applies the file's rules; --no-throttle and --quiet are accepted", async () => {
    writeFileSync(path.join(tmp, "cli-faults.json"), JSON.stringify([{ path: "openid-configuration", kind: "503", firstN: 1 }]));
    const t = start(["emulator", "--faults", "cli-faults.json", "--no-throttle", "--quiet"]);
    for (let i = 0; i < 200 && !t.stdout().includes("Stop with Ctrl-C"); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(t.stdout())![1]!;
    const ca = readFileSync(/export NODE_EXTRA_CA_CERTS=(\S+)/.exec(t.stdout())![1]!);
    const https = await import("node:https");
    const get = () =>
      new Promise<number>((resolve, reject) =>
        https.get(`${url}/${PARTNER_TENANT}/v2.0/.well-known/openid-configuration`, { ca }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).on("error", reject),
      );
    expect([await get(), await get()]).toEqual([503, 200]);
    process.emit("SIGTERM");
    expect(await t.running).toBe(0);
    expect(t.stderr()).toBe("");
  });

  test("a --state path that cannot be written is refused before serving, in one line", async () => {
    const missing = start(["emulator", "--port", "0", "--state", "no-such-dir/state.json"]);
    expect(await missing.running).toBe(2);
    expect(missing.stderr()).toMatch(/^partnerlink emulator: --state no-such-dir\/state\.json: folder .*no-such-dir does not exist; create it or choose another path\n$/);
    expect(missing.stdout()).not.toContain("listening");
    const dir = start(["emulator", "--port", "0", "--state", "."]);
    expect(await dir.running).toBe(2);
    expect(dir.stderr()).toMatch(/--state \. is a directory; give a file path/);
  });

  test("a bad seed is one line and exit code 2", async () => {
    const f = path.join(tmp, "seed-bad.json");
    const s = demo() as any;
    s.subscriptions[0].tenantId = "99999999-0000-4000-8000-000000000000";
    writeFileSync(f, JSON.stringify(s));
    const t = start(["emulator", "--seed", "seed-bad.json"]);
    expect(await t.running).toBe(2);
    expect(t.stderr()).toBe(`partnerlink emulator: seed ${f}: $.subscriptions[0].tenantId: tenant '99999999-0000-4000-8000-000000000000' is not in $.tenants (add it there)\n`);
    const t2 = start(["emulator", "--port", "x"]);
    expect(await t2.running).toBe(2);
    expect(t2.stderr()).toMatch(/--port 'x' is not a port number/);
  });
});
