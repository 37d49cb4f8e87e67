/**
 * Values a Terraform plan marks sensitive: `resource_changes[].change.after_sensitive` / `before_sensitive` and a
 * planned or prior-state resource's `sensitive_values` mirror the values' shape, `true` where a value (or a whole
 * block) is sensitive (https://developer.hashicorp.com/terraform/internals/json-format#change-representation).
 * The plan adapter collects those values into `Estate.sensitiveValues`; the rules still read them, and the engine
 * prints "(sensitive value)" wherever one would appear in a finding (rules/engine.ts). The ARM adapter lists the
 * values of `secureString` / `secureObject` parameters the same way, through {@link addSensitiveStrings}.
 */
import { isUnresolved } from "../rules/model";

/** Adds to `out` every string in `values` that `marks` marks sensitive (a marked block: every string in it). */
export function collectSensitive(values: unknown, marks: unknown, out: Set<string>): void {
  if (marks === true) {
    addSensitiveStrings(values, out);
    return;
  }
  if (marks === null || typeof marks !== "object" || values === null || typeof values !== "object") return;
  if (Array.isArray(marks)) {
    if (!Array.isArray(values)) return;
    for (let i = 0; i < marks.length; i++) {
      const m: unknown = marks[i];
      if (m === true || (m !== null && typeof m === "object")) collectSensitive(values[i], m, out);
    }
    return;
  }
  for (const k in marks as Record<string, unknown>) {
    const m = (marks as Record<string, unknown>)[k];
    if (m === true || (m !== null && typeof m === "object")) collectSensitive((values as Record<string, unknown>)[k], m, out);
  }
}

/**
 * Adds to `out` every non-empty string in a value (the adapters read string attributes only; nothing else reaches a
 * message), of at least `minLength` characters (the ARM adapter's floor for values derived from a secure one). A value
 * not known before deployment (an unresolved marker) holds no input value: skipped.
 */
export function addSensitiveStrings(v: unknown, out: Set<string>, minLength = 1): void {
  if (typeof v === "string") {
    if (v.length < minLength) return;
    if (v !== "") out.add(v);
    // A JSON document in one string (azapi 1.x `body = jsonencode(...)`, an ARM secureString holding JSON): the
    // adapters parse it and quote its members, so each string in it is sensitive too.
    const doc = jsonDocument(v);
    if (doc !== undefined) addSensitiveStrings(doc, out);
  } else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) addSensitiveStrings(v[i], out, minLength);
  else if (v !== null && typeof v === "object" && !isUnresolved(v))
    for (const k in v as Record<string, unknown>) addSensitiveStrings((v as Record<string, unknown>)[k], out, minLength);
}

/** The object or array a string holds as JSON, else undefined. */
function jsonDocument(s: string): unknown {
  const t = s.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return undefined;
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === "object" ? v : undefined;
  } catch {
    return undefined;
  }
}
