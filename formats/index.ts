/**
 * partnerlink input adapters: read ARM templates (+ parameters files), Terraform plan JSON, Terraform JSON,
 * CDKTF output and partnerlink config into the normalized model (rules/model.ts).
 *
 * Most callers want {@link loadInputs}: paths (files, folders, `template.json=params.json`) in, one Estate,
 * the inline waivers, notices and one InputError per unreadable file out.
 */
export { loadInputs, type LoadOptions, type LoadedInputs } from "./load";
export { adaptArmTemplate, templateScopeLevel, type ArmAdaptOptions, type ArmParametersInput } from "./arm-template";
export {
  evaluateExpression,
  evaluateValue,
  isExpression,
  literalString,
  parseExpression,
  ExpressionSyntaxError,
  type EvalContext,
  type EvalValue,
  type ExprNode,
} from "./arm-expressions";
export { adaptTerraformPlan, adaptTerraformJson } from "./terraform";
export { adaptConfigSubscriptions } from "./config-input";
export { detectFormat, walkFolder, pairParameters, INPUT_FORMATS, type InputFormat } from "./detect";
export { validateInput, type SchemaName } from "./validate";
export { readJsonFile, readTextFile, parseJsonText, DEFAULT_MAX_FILE_BYTES } from "./read-json";
export { jsonPathLines, lineOf } from "./json-lines";
export { agreementOfBillingScope } from "./billing-scope";
export { InputError } from "./input-error";
export type { FileEstate } from "./file-estate";
