/** Reading a fault-rules file (`partnerlink emulator --faults`): JSON validated against emulator/faults.schema.json. */
import { readFileSync } from "node:fs";
import { jsonSyntaxProblem } from "../rules/json-syntax";
import { emulatorSchema, firstSchemaError } from "./json-validation";
import faultsSchema from "./faults.schema.json";
import { SeedError } from "./seed";
import type { FaultRule } from "./types";

const FAULTS_SCHEMA = emulatorSchema("faults", faultsSchema);

export function loadFaultFile(file: string): FaultRule[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new SeedError(`faults ${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    throw new SeedError(`faults ${file}: not valid JSON${jsonSyntaxProblem(text, err)}; fix the syntax`);
  }
  const schemaError = firstSchemaError(FAULTS_SCHEMA, obj);
  if (schemaError) throw new SeedError(`faults ${file}: ${schemaError}`);
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
