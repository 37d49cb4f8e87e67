/**
 * One JSON input file's bytes -> the document the loader detects, validates and adapts.
 *
 * A Terraform plan (`terraform show -json`, first key "format_version") is read by formats/plan-sections.ts,
 * which builds only what the plan adapter reads; everything else, and any plan the section reader cannot take
 * (malformed bytes, or a document that turns out not to be a plan), goes through the whole-text JSON.parse,
 * whose errors name line and column. Either way the document detects, validates and adapts the same. An ARM
 * template or parameters file may hold comments, as Azure allows (formats/json-comments.ts).
 */
import { detectFormat, type InputFormat } from "./detect";
import { InputError } from "./input-error";
import { blankJsonComments } from "./json-comments";
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
  const text = textOfBytes(file, bytes);
  try {
    return parseJsonText(file, text);
  } catch (e) {
    const withComments = e instanceof InputError && (forced === undefined || forced === "arm" || forced === "arm-parameters") ? blankJsonComments(text) : undefined;
    if (withComments === undefined) throw e;
    // Comments blanked, offsets kept: a syntax error elsewhere is reported where it is.
    const doc = parseJsonText(file, withComments);
    const format = forced ?? detectFormat(doc, file);
    if (format === "arm" || format === "arm-parameters") return doc;
    throw e; // comments are ARM's alone: Terraform refuses them in JSON
  }
}
