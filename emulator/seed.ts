/**
 * Loading and validating an emulator seed: ajv against emulator/seed.schema.json, then the cross
 * references a schema cannot express (principals in known tenants, owners and groups that exist).
 * Errors are one line naming the file, the JSON path and the fix.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { jsonSyntaxProblem } from "../rules/json-syntax";
import { emulatorSchema, firstSchemaError } from "./json-validation";
import type { EmulatorSeed } from "./types";
import seedSchema from "./seed.schema.json";
import demoSeed from "./seeds/demo.json";

const SEED_SCHEMA = emulatorSchema("seed", seedSchema);

export class SeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedError";
  }
}

/** The default seed shipped with partnerlink (a partner tenant and three customers). */
export const DEMO_SEED_PATH: string =
  [path.join(__dirname, "seeds", "demo.json"), path.join(__dirname, "..", "..", "emulator", "seeds", "demo.json")].find((p) =>
    existsSync(p),
  ) ?? path.join(__dirname, "seeds", "demo.json");

/** Validates a parsed seed; `sourceName` names it in errors (a file path or "seed object"). */
export function validateSeed(obj: unknown, sourceName: string): EmulatorSeed {
  const schemaError = firstSchemaError(SEED_SCHEMA, obj);
  if (schemaError) throw new SeedError(`seed ${sourceName}: ${schemaError}`);
  const seed = obj as EmulatorSeed;
  const fail = (at: string, msg: string): never => {
    throw new SeedError(`seed ${sourceName}: ${at}: ${msg}`);
  };
  const tenants = new Set<string>();
  seed.tenants.forEach((t, i) => {
    const id = t.tenantId.toLowerCase();
    if (tenants.has(id)) fail(`$.tenants[${i}].tenantId`, `duplicate tenant '${t.tenantId}'`);
    tenants.add(id);
  });
  const principals = new Map<string, (typeof seed.principals)[number]>();
  const appIds = new Set<string>();
  seed.principals.forEach((p, i) => {
    const id = p.objectId.toLowerCase();
    if (principals.has(id)) fail(`$.principals[${i}].objectId`, `duplicate principal '${p.objectId}'`);
    principals.set(id, p);
    if (!tenants.has(p.tenantId.toLowerCase()))
      fail(`$.principals[${i}].tenantId`, `tenant '${p.tenantId}' is not in $.tenants (add it there)`);
    if (p.type !== "ServicePrincipal" && (p.appId || p.clientSecret || p.certificatePem || p.federatedCredentials))
      fail(`$.principals[${i}]`, `appId/clientSecret/certificatePem/federatedCredentials are for service principals only (type is '${p.type}')`);
    if (p.type === "ServicePrincipal" && !p.appId)
      fail(`$.principals[${i}].appId`, "a service principal needs an appId (its client ID) to sign in");
    if (p.appId) {
      const a = `${p.tenantId.toLowerCase()}/${p.appId.toLowerCase()}`;
      if (appIds.has(a)) fail(`$.principals[${i}].appId`, `duplicate appId '${p.appId}' in tenant '${p.tenantId}'`);
      appIds.add(a);
    }
  });
  seed.principals.forEach((p, i) =>
    (p.memberOf ?? []).forEach((g, j) => {
      const grp = principals.get(g.toLowerCase());
      if (!grp || grp.type !== "Group") fail(`$.principals[${i}].memberOf[${j}]`, `'${g}' is not a group in $.principals`);
      else if (grp.tenantId.toLowerCase() !== p.tenantId.toLowerCase())
        fail(`$.principals[${i}].memberOf[${j}]`, `group '${g}' is in another tenant`);
    }),
  );
  const subs = new Set<string>();
  seed.subscriptions.forEach((s, i) => {
    const id = s.subscriptionId.toLowerCase();
    if (subs.has(id)) fail(`$.subscriptions[${i}].subscriptionId`, `duplicate subscription '${s.subscriptionId}'`);
    subs.add(id);
    if (!tenants.has(s.tenantId.toLowerCase()))
      fail(`$.subscriptions[${i}].tenantId`, `tenant '${s.tenantId}' is not in $.tenants (add it there)`);
    s.owners.forEach((o, j) => {
      const p = principals.get(o.toLowerCase());
      if (!p) fail(`$.subscriptions[${i}].owners[${j}]`, `principal '${o}' is not in $.principals (add it there)`);
      else if (p.tenantId.toLowerCase() !== s.tenantId.toLowerCase())
        fail(`$.subscriptions[${i}].owners[${j}]`, `principal '${o}' is in tenant '${p.tenantId}', not the subscription's tenant '${s.tenantId}'`);
    });
  });
  return seed;
}

/** Reads and validates a seed file (JSON). */
export function loadSeedFile(file: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new SeedError(`seed ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`seed ${file}: not valid JSON${jsonSyntaxProblem(text, err)}; fix the syntax`);
  }
  return validateSeed(obj, file);
}

export function resolveSeed(seed: EmulatorSeed | string | undefined): EmulatorSeed {
  if (seed === undefined) return validateSeed(JSON.parse(JSON.stringify(demoSeed)), DEMO_SEED_PATH);
  if (typeof seed === "string") return loadSeedFile(seed);
  return validateSeed(JSON.parse(JSON.stringify(seed)), "object");
}
