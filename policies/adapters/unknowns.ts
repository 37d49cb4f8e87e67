/**
 * How @pulumi/policy 1.21 presents values Pulumi does not know yet (preview unknowns), and how partnerlink
 * turns them into the model's {@link Unresolved}.
 *
 * Facts, from node_modules/@pulumi/policy (1.21.0):
 * - The engine marshals inputs with `KeepUnknowns: true` (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go,
 *   `Analyze` and `AnalyzeStack`), so an unknown arrives as one of seven sentinel strings
 *   (`proxy.js`: `unknownStringValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"`, ...; the engine picks the one
 *   matching the computed value's type: pulumi/pulumi sdk/go/common/resource/plugin/rpc.go `marshalUnknownProperty`).
 * - `server.js` wraps `args.props` (and every stack resource's `props`) in `unknownCheckingProxy`: reading a
 *   property whose value is a sentinel throws `UnknownValueError`, which the server turns into a generic
 *   advisory "can't run policy ... during preview". Inputs that are absent are simply not there (undefined).
 * - The proxy answers the key `__getSpecialProxyTarget` with the raw object underneath (`proxy.js`,
 *   `getSpecialProxyTarget`); nested values of the raw object are not proxied.
 *
 * partnerlink reads the raw object, so one unknown field never hides the checks on the known ones, and
 * each sentinel becomes an `Unresolved` that rule PL012 reports as "cannot be checked until apply".
 */
import { unresolved, type Unresolved, type Val } from "../../rules/model";

/** The internals of @pulumi/policy/proxy.js this module relies on (its .d.ts strips `@internal` exports). */
interface PolicyProxyInternals {
  isSpecialProxy: string;
  getSpecialProxyTarget: string;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownAssetValue: string;
  unknownArchiveValue: string;
  unknownObjectValue: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as PolicyProxyInternals;

const SENTINELS: ReadonlySet<string> = new Set(
  [
    proxy.unknownBooleanValue,
    proxy.unknownNumberValue,
    proxy.unknownStringValue,
    proxy.unknownArrayValue,
    proxy.unknownAssetValue,
    proxy.unknownArchiveValue,
    proxy.unknownObjectValue,
  ].filter((s): s is string => typeof s === "string"),
);
if (SENTINELS.size !== 7 || typeof proxy.getSpecialProxyTarget !== "string") {
  throw new Error(
    "partnerlink policy pack: this @pulumi/policy version does not expose the preview-unknown sentinels it was built for (1.21); install @pulumi/policy@1.21.0",
  );
}

/** The reason every preview unknown carries. */
export const PREVIEW_UNKNOWN_REASON = "known only after apply (Pulumi preview unknown)";

/** True for a Pulumi preview-unknown sentinel. */
export function isPreviewUnknown(v: unknown): boolean {
  return typeof v === "string" && SENTINELS.has(v);
}

/** The object under @pulumi/policy's unknown-checking proxy (or the value itself when it is not proxied). */
export function rawProps(props: unknown): Record<string, unknown> {
  if (typeof props !== "object" || props === null) return {};
  const p = props as Record<string, unknown>;
  if (p[proxy.isSpecialProxy] === true) {
    const target = p[proxy.getSpecialProxyTarget];
    return typeof target === "object" && target !== null ? (target as Record<string, unknown>) : {};
  }
  return p;
}

/** Reads raw property values as model values: strings, unknowns and absences. */
export class PropReader {
  private readonly where: string;

  /** @param where JSON path of the object read (`$`, `$.properties`, or relative to `$`), for `expression`s. */
  constructor(where: string) {
    this.where = where === "" ? "$" : where.startsWith("$") ? where : `$.${where}`;
  }

  /** A string (or unknown) at `obj[key]`; non-string values are stringified so rule PL010 can name them. */
  str(obj: unknown, key: string): Val<string> | undefined {
    const v = field(obj, key);
    if (v === undefined || v === null) return undefined;
    if (isPreviewUnknown(v)) return unresolved(PREVIEW_UNKNOWN_REASON, `${this.where}.${key}`);
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    // Not a string: pass it on as written so rule PL010 names the malformed value.
    return JSON.stringify(v);
  }

  /** An object at `obj[key]`: the object, `unknown` when the whole object is a preview unknown, or undefined. */
  obj(obj: unknown, key: string): Record<string, unknown> | Unresolved | undefined {
    const v = field(obj, key);
    if (v === undefined || v === null) return undefined;
    if (isPreviewUnknown(v)) return unresolved(PREVIEW_UNKNOWN_REASON, `${this.where}.${key}`);
    return typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  /** An array at `obj[key]`: its elements, `unknown` when the whole array is a preview unknown, or []. */
  arr(obj: unknown, key: string): unknown[] | Unresolved {
    const v = field(obj, key);
    if (isPreviewUnknown(v)) return unresolved(PREVIEW_UNKNOWN_REASON, `${this.where}.${key}`);
    return Array.isArray(v) ? v : [];
  }

}

function field(obj: unknown, key: string): unknown {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  return (obj as Record<string, unknown>)[key];
}
