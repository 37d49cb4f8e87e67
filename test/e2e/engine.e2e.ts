/**
 * The engine itself, end to end, before anything else depends on it: the real Pulumi CLI, the Node.js language
 * host, a dynamic provider and a policy pack, on a local file backend, offline. The program
 * (fixtures/file-program) has one dynamic resource that writes a file; every assertion reads the file system
 * or the engine's own state/JSON, never a mock. The steps build on each other (one stack's life).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { copyFixture } from "./harness/fixture-project";
import { resourceOps, stateResources, type PreviewDigest, type StackExport } from "./harness/pulumi-json";
import { PulumiSession } from "./harness/pulumi-session";

const FILE_TYPE = "pulumi-nodejs:dynamic/file:File";

describe("Pulumi engine with a dynamic resource (file program)", () => {
  let session: PulumiSession;
  let prog: string;
  let pack: string;
  let target: string;

  const pulumi = (args: string[], allowFailure = false) => session.run(args, { cwd: prog, allowFailure });
  const preview = async (): Promise<PreviewDigest> => (await session.json<PreviewDigest>(["preview"], { cwd: prog })).value;
  const exported = async (): Promise<StackExport> => JSON.parse((await pulumi(["stack", "export"])).stdout) as StackExport;

  beforeAll(async () => {
    session = await PulumiSession.create();
    prog = copyFixture("file-program", session.dir);
    pack = copyFixture("file-policy-pack", session.dir);
    target = path.join(session.dir, "greeting.txt");
    await pulumi(["stack", "init", "e2e"]);
    await pulumi(["config", "set", "path", target]);
  });

  afterAll(() => session?.dispose());

  test("pulumi up creates the resource; program and provider run on Node 24", async () => {
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(readFileSync(target, "utf8")).toBe("hello");
    const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
    expect(outputs.size).toBe(5);
    expect(String(outputs.nodeVersion)).toMatch(/^v24\./);
    const [file] = stateResources(await exported(), FILE_TYPE);
    expect(file.id).toBe(target);
    expect(typeof file.outputs?.__provider).toBe("string"); // the serialized provider, as the host stores it
  });

  test("a second preview shows no change", async () => {
    const digest = await preview();
    expect(digest.changeSummary).toEqual({ same: 2 }); // the stack and the file
    expect(resourceOps(digest).filter((op) => !op.startsWith("same "))).toEqual([]);
  });

  test("pulumi refresh picks up drift made behind Pulumi's back, and the next preview shows it", async () => {
    writeFileSync(target, "changed by hand");
    const r = await pulumi(["refresh", "--yes", "--skip-preview"]);
    expect(r.stdout).toMatch(/~\s+1 updated|1 updated/);
    const [file] = stateResources(await exported(), FILE_TYPE);
    expect(file.outputs?.content).toBe("changed by hand");
    expect(resourceOps(await preview())).toEqual(["update greeting"]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(readFileSync(target, "utf8")).toBe("hello");
  });

  test("a config change that updates in place", async () => {
    await pulumi(["config", "set", "content", "second version"]);
    expect(resourceOps(await preview())).toEqual(["update greeting"]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(readFileSync(target, "utf8")).toBe("second version");
  });

  test("a config change that replaces (delete before replace)", async () => {
    const moved = path.join(session.dir, "moved.txt");
    await pulumi(["config", "set", "path", moved]);
    const digest = await preview();
    expect(resourceOps(digest)).toEqual(["replace greeting"]);
    expect(digest.steps?.find((s) => s.op === "replace")?.replaceReasons).toEqual(["path"]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    expect(existsSync(target)).toBe(false);
    expect(readFileSync(moved, "utf8")).toBe("second version");
    target = moved;
  });

  test("pulumi preview --policy-pack fails on a violation and passes without one", async () => {
    await pulumi(["config", "set", "content", "forbidden words"]);
    const bad = await session.run(["preview", "--policy-pack", pack], { cwd: prog, allowFailure: true });
    expect(bad.code).not.toBe(0);
    const badText = `${bad.stdout}\n${bad.stderr}`;
    expect(badText).toContain("no-forbidden-content");
    expect(badText).toMatch(/contains 'forbidden' \(policy host node v24\./);

    await pulumi(["config", "set", "content", "fine words"]);
    const good = await session.run(["preview", "--policy-pack", pack], { cwd: prog });
    expect(good.code).toBe(0);
    expect(`${good.stdout}\n${good.stderr}`).not.toContain("mandatory");
  });

  test("pulumi destroy removes the resource and empties the stack", async () => {
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(existsSync(target)).toBe(false);
    expect(stateResources(await exported())).toEqual([]);
    await pulumi(["stack", "rm", "--yes"]);
  });
});
