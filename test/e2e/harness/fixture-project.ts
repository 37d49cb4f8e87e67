/**
 * Copies an e2e fixture (test/e2e/fixtures/<name>: a Pulumi program or policy pack) into a temp dir and links
 * the repo's node_modules beside it, so the language host finds @pulumi/pulumi (and @pulumi/policy) there and
 * nothing a run writes lands in the repo.
 */
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./pulumi-cli";

export const FIXTURES_DIR = path.join(REPO_ROOT, "test", "e2e", "fixtures");

export function copyFixture(name: string, intoDir: string): string {
  const dest = path.join(intoDir, name);
  cpSync(path.join(FIXTURES_DIR, name), dest, { recursive: true });
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dest, "node_modules"), "dir");
  return dest;
}

/**
 * Like {@link copyFixture}, for a program that uses partnerlink as a partner's project does (`require("partnerlink/plugin")`,
 * Pulumi.yaml `plugins.providers` path `node_modules/partnerlink/bin`): its node_modules is a folder of links,
 * one per entry of the repo's node_modules, plus `partnerlink` -> this repository (built).
 */
export function copyFixtureWithPartnerlink(name: string, intoDir: string): string {
  const dest = path.join(intoDir, name);
  cpSync(path.join(FIXTURES_DIR, name), dest, { recursive: true });
  const modules = path.join(dest, "node_modules");
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(REPO_ROOT, "node_modules"))) {
    if (entry === ".bin" || entry === "partnerlink") continue;
    symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  symlinkSync(REPO_ROOT, path.join(modules, "partnerlink"), "dir");
  return dest;
}
