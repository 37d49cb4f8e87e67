import { createHash } from "node:crypto";

/**
 * The partialFingerprints key of `partnerlink check`'s SARIF results. GitHub code scanning matches a result to an
 * alert by the fingerprints of the same key
 * (https://docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#providing-data-to-track-code-scanning-alerts-across-runs;
 * SARIF 2.1.0 sections 3.27.16-3.27.17: a fingerprint key is a versioned hierarchical string, the version
 * naming the way the value is computed). v1 held the finding's whole JSON path; v2 the path within its resource (see {@link pathInResource}).
 * The audit's results keep `partnerlink/v1`: their scheme (rule, ARM resource ID, path) has not changed.
 */
export const CHECK_FINGERPRINT_KEY = "partnerlink/v2";

/**
 * The JSON path members that locate a resource by its position in a list of the file: `$.resource_changes[12]` and
 * `$.planned_values.root_module.child_modules[1].resources[3]` in a Terraform plan (terraform show -json), `$.resources[2]`
 * in an ARM template and in a nested deployment's `properties.template` (formats/terraform.ts, formats/arm-template.ts),
 * `$.subscriptions[4]` in the partnerlink config (rules/engine.ts). A resource added before the one a finding is on
 * shifts that index. Members that name a resource (`$.resource.azurerm_lighthouse_definition.contoso` in .tf.json
 * and CDKTF output, `$.resources.definition` in a languageVersion 2.0 template) do not shift and are kept.
 */
const RESOURCE_BY_POSITION = /\.(?:resources|resource_changes)\[\d+\]|^\$\.subscriptions\[\d+\]/g;

/**
 * A finding's JSON path below the innermost resource it passes through by position:
 * `$.resource_changes[12].change.after.authorization[0].principal_id` -> `.change.after.authorization[0].principal_id`
 * (the resource's own path is "": a finding on the whole resource). A path through no such member is returned whole.
 * Indexes below the resource (authorization[0]) stay: they tell two findings on one resource apart, and they change
 * only when the resource itself changes.
 */
export function pathInResource(path: string): string {
  let end = -1;
  for (const m of path.matchAll(RESOURCE_BY_POSITION)) end = m.index + m[0].length;
  return end < 0 ? path : path.slice(end);
}

/** What a check result's fingerprint is made of. `uri` is the file as the result's location names it. */
export interface FingerprintInput {
  ruleId: string;
  uri: string;
  resource: string;
  path?: string;
  message: string;
}

/**
 * One fingerprint per finding (in order): rule, file, resource and the path within the resource, so it survives
 * resources added or removed before it in the file (GitHub would otherwise close the alert and open a new one).
 * The resource is named by the finding; the file is there because a template copied per customer holds the same
 * resource at the same place, and those are two alerts. Findings that still share one (a copy loop's iterations,
 * located at the loop; one resource name at the same place in two nested deployments) add a digest of their message
 * with the path written the same way; those that share even that, a digest of the message as it is.
 */
export function checkFingerprints(items: readonly FingerprintInput[]): string[] {
  const inResource = items.map((i) => pathInResource(i.path ?? ""));
  const base = items.map((i, n) => `${i.ruleId}:${i.uri}:${i.resource}:${inResource[n]}`);
  const withMessage = items.map((i, n) => `${base[n]}:${digest(i.path ? i.message.split(i.path).join(inResource[n]) : i.message)}`);
  const withRawMessage = items.map((i, n) => `${base[n]}:${digest(i.message)}`);
  const baseCount = counts(base);
  const messageCount = counts(withMessage);
  return items.map((_, n) => (baseCount.get(base[n]!)! === 1 ? base[n]! : messageCount.get(withMessage[n]!)! === 1 ? withMessage[n]! : withRawMessage[n]!));
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function counts(keys: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const k of keys) out.set(k, (out.get(k) ?? 0) + 1);
  return out;
}
