/**
 * One JSON input file's bytes -> the document the loader detects, validates and adapts.
 *
 * A Terraform plan (`terraform show -json`, first key "format_version") is read by formats/plan-sections.ts,
 * which builds only what the plan adapter reads; everything else, and any plan the section reader cannot take
 * (malformed bytes, or a document that turns out not to be a plan), goes through the whole-text JSON.parse,
 * whose errors name line and column. Either way the document detects, validates and adapts the same.
 */
import { detectFormat, type InputFormat } from "./detect";
import { JsonSkimError } from "../rules/json-skim";
import { looksLikeTerraformPlan, readPlanSections } from "./plan-sections";
import { parseJsonText, textOfBytes } from "./read-json";
import { planResourceWanted } from "./terraform";

export function parseDocumentBytes(file: string, bytes: Buffer, forced?: InputFormat): unknown {
  if ((forced === undefined || forced === "tf-plan") && looksLikeTerraformPlan(bytes)) {
    try {
      const doc = readPlanSections(bytes, planResourceWanted);
      if (forced === "tf-plan" || detectFormat(doc, file) === "tf-plan") return doc;
    } catch (e) {
      if (!(e instanceof JsonSkimError) && !(e instanceof SyntaxError)) throw e;
      // Malformed: the whole-text parse below says where.
    }
  }
  return parseJsonText(file, textOfBytes(file, bytes));
}
