/** Reading a fault-rules file (`partnerlink emulator --faults`): JSON validated against emulator/faults.schema.json. */
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import faultsSchema from "./faults.schema.json";
import { SeedError } from "./seed";
import type { FaultRule } from "./types";

let validate: ReturnType<Ajv["compile"]> | undefined;

export function loadFaultFile(file: string): FaultRule[] {
  let obj: unknown;
  try {
    obj = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new SeedError(`faults ${file}: cannot read it as JSON (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(faultsSchema);
  if (!validate(obj)) {
    const e = validate.errors![0]!;
    const at = "$" + e.instancePath.split("/").slice(1).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join("");
    const extra = e.keyword === "additionalProperties" ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : "";
    throw new SeedError(`faults ${file}: ${at}: ${e.message ?? "is invalid"}${extra}`);
  }
  const rules = obj as FaultRule[];
  rules.forEach((r, i) => {
    for (const k of ["method", "path"] as const) {
      const src = r[k];
      if (src === undefined) continue;
      try {
        new RegExp(src, "i");
      } catch (err) {
        throw new SeedError(`faults ${file}: $[${i}].${k}: invalid regular expression (${(err as Error).message})`);
      }
    }
  });
  return rules;
}
