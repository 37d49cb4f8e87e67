/**
 * Terraform inputs -> Estate: plan JSON (`terraform show -json plan`), Terraform JSON (`*.tf.json`) and the
 * `cdk.tf.json` CDKTF synthesizes (same format, snake_case keys, `"//"` metadata).
 *
 * Resources read (azurerm 4.x / azapi 2.x):
 * - azurerm_lighthouse_definition / azurerm_lighthouse_assignment, joined through `lighthouse_definition_id`
 *   (a `${azurerm_lighthouse_definition.x.id}` reference, the plan's `configuration` references, or the GUID);
 *   https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/lighthouse_definition
 * - azapi_resource with type Microsoft.ManagedServices/registrationDefinitions|registrationAssignments@<api>;
 * - azapi_resource_action / azapi_resource with type Microsoft.ManagementPartner/partners@2018-02-01 (PAL);
 * - azurerm_subscription (a subscription that should carry a partner association).
 * Plan format: https://developer.hashicorp.com/terraform/internals/json-format
 * Unknown values (`after_unknown`) and interpolations become Unresolved; nothing is guessed. Values the plan marks
 * sensitive are read and listed in `Estate.sensitiveValues`, which findings never print (formats/terraform-sensitive.ts).
 */
import type { Waiver } from "../rules/config-types";
import { definitionInSubscription, definitionsByGuid } from "../rules/definition-join";
import { parseRegistrationDefinitionId } from "../rules/identifiers";
import {
  addAssignment,
  emptyEstate,
  isUnresolved,
  unknownDefinitionDelegation,
  unresolved,
  type Approver,
  type AssignmentScope,
  type Authorization,
  type Delegation,
  type EligibleAuthorization,
  type Estate,
  type JustInTimeAccessPolicy,
  type SourceLocation,
  type Unresolved,
  type Val,
} from "../rules/model";
import { readInlineWaivers } from "./arm-template";
import { agreementOfBillingScope } from "./billing-scope";
import { dynamicBlocks } from "./terraform-dynamic";
import { resourceInstances } from "./terraform-instances";
import { collectSensitive } from "./terraform-sensitive";
import type { FileEstate } from "./file-estate";
import { InputError } from "./input-error";
import { childPath } from "../rules/json-path";
import { repeatedValue } from "../rules/recent-strings";

/** One resource instance as found in the input, values with Unresolved markers in place. */
interface TfResource {
  address: string;
  /** Address without the instance key (`module.m.azurerm_x.y`), as configuration references use it. */
  configAddress: string;
  /** Instance key (`0`, `"a"`) or undefined. */
  indexKey?: string;
  /** The module instance it is in (`module.m["a"].`; "" at the root): references join within one. */
  moduleInstance?: string;
  type: string;
  values: Record<string, unknown>;
  file: string;
  path: string;
  /** References found in the input for attributes: attribute -> referenced addresses. */
  references: Record<string, string[]>;
  waive?: { value: unknown; path: string };
  /**
   * Terraform JSON: where a nested block is when its index in the attribute's list is not its place in the file
   * (a block a `dynamic` block made, a single block written as an object). Absent for plans.
   */
  blockPaths?: Map<object, string>;
}

const AFTER_APPLY = "known only after apply";

/* ------------------------------------------------------------------------------------------------ */
/* Plan JSON                                                                                         */
/* ------------------------------------------------------------------------------------------------ */

export function adaptTerraformPlan(plan: Record<string, unknown>, file: string): FileEstate {
  const adapter = new PlanAdapter(plan, file);
  const changes = Array.isArray(plan.resource_changes) ? (plan.resource_changes as Record<string, unknown>[]) : [];
  for (let i = 0; i < changes.length; i++) adapter.change(changes[i]!, i);
  return adapter.finish(plan);
}

/**
 * A plan's estate built one resource_changes entry at a time ({@link change}), then its planned and prior-state
 * resources and the joins ({@link finish}). Each resource is made into the model as it is read, and a definition's
 * values are let go once it is: formats/plan-slices.ts hands the entries over a slice at a time, and the objects
 * JSON.parse made for a slice can then die young. Entries must come in the plan's order, from index 0.
 */
export class PlanAdapter {
  private readonly sensitive = new Set<string>();
  private readonly configRefs: Map<string, Record<string, string[]>>;
  /**
   * The addresses of every resource_changes entry read so far, and then of each planned resource read. Made from
   * {@link changeAddresses} when first asked for: a plan's planned resources are nearly all covered by an entry and
   * passed over without it (formats/plan-sections.ts compares their bytes with the next entries' addresses).
   */
  get seen(): Set<string> {
    if (this.seenSet === undefined) this.seenSet = new Set(this.changeAddresses);
    return this.seenSet;
  }
  private seenSet: Set<string> | undefined;
  /** The addresses of the resource_changes entries read, in order. */
  readonly changeAddresses: string[] = [];
  private readonly builder = new EstateBuilder();

  /** `plan`: the document, whose `resource_changes` this does not read (see {@link change}). */
  constructor(plan: Record<string, unknown>, private readonly file: string) {
    // `terraform plan -out` (and `tofu plan -out`) saves the partial plan of a run that failed, which `show -json`
    // prints with "errored": true and without what failed to plan (hashicorp/terraform internal/command/jsonplan/plan.go
    // `Errored`, internal/backend/local/backend_plan.go "generate a partial saved plan file", internal/command/show_test.go
    // with testdata/show-json/plan-error; the same in opentofu/opentofu): what it leaves out cannot be checked.
    if (plan.errored === true)
      throw new InputError(
        file,
        "the plan is partial: planning stopped at an error, so it leaves out what could not be planned (and cannot be applied); fix the errors `terraform plan` (or `tofu plan`) reported, then check the new plan",
        "$.errored",
      );
    this.configRefs = configurationReferences(plan.configuration);
  }

  /** Reads resource_changes entry `i` (validated against the plan schema). */
  change(rc: Record<string, unknown>, i: number): void {
    this.changeAddresses.push(rc.address as string);
    this.seenSet?.add(rc.address as string);
    if (!planResourceWanted(rc.type, rc.mode)) return;
    const change = rc.change as Record<string, unknown>;
    const actions = change.actions as string[];
    if (actions.length === 1 && (actions[0] === "delete" || actions[0] === "forget")) return;
    const after = change.after;
    if (after === null || typeof after !== "object") return;
    // Before withUnknowns puts its markers in: a sensitive attribute that is also unknown has no value to hide.
    if (change.after_sensitive !== undefined && change.after_sensitive !== false) collectSensitive(after, change.after_sensitive, this.sensitive);
    if (change.before_sensitive !== undefined && change.before_sensitive !== false) collectSensitive(change.before, change.before_sensitive, this.sensitive);
    const at = childPath("$.resource_changes", i);
    const values = withUnknowns(after as Record<string, unknown>, change.after_unknown, at + ".change.after_unknown") as Record<string, unknown>;
    this.builder.add(planResource(rc, values, this.file, at + ".change.after", this.configRefs));
  }

  /** After the last entry: the planned resources no entry covered, then prior state's, then the joins. */
  finish(plan: Record<string, unknown>): FileEstate {
    const { sensitive, file, configRefs } = this;
    const walk = (mod: unknown, path: string): void => {
      if (!mod || typeof mod !== "object") return;
      const m = mod as Record<string, unknown>;
      const list = Array.isArray(m.resources) ? (m.resources as Record<string, unknown>[]) : [];
      list.forEach((r, i) => {
        // The type first: the planned resources formats/plan-sections.ts leaves unread have none.
        if (!planResourceWanted(r.type, r.mode) || this.seen.has(r.address as string)) return;
        this.seen.add(r.address as string);
        const values = (r.values && typeof r.values === "object" ? r.values : {}) as Record<string, unknown>;
        if (r.sensitive_values !== undefined && r.sensitive_values !== false) collectSensitive(values, r.sensitive_values, sensitive);
        this.builder.add(planResource(r, values, file, `${path}.resources[${i}].values`, configRefs));
      });
      const children = Array.isArray(m.child_modules) ? m.child_modules : [];
      children.forEach((c, i) => walk(c, `${path}.child_modules[${i}]`));
    };
    walk((plan.planned_values as Record<string, unknown> | undefined)?.root_module, "$.planned_values.root_module");
    const prior = (plan.prior_state as Record<string, unknown> | undefined)?.values as Record<string, unknown> | undefined;
    walk(prior?.root_module, "$.prior_state.values.root_module");
    const out = this.builder.finish();
    if (sensitive.size > 0) out.estate.sensitiveValues = sensitive;
    return out;
  }
}

/** Whether the plan adapter reads a resource of this type and mode (managed resources of the types below). */
export function planResourceWanted(type: unknown, mode: unknown): boolean {
  return mode !== "data" && INTERESTING.has(type as string);
}

const INTERESTING = new Set([
  "azurerm_lighthouse_definition",
  "azurerm_lighthouse_assignment",
  "azapi_resource",
  "azapi_resource_action",
  "azurerm_subscription",
]);

function planResource(
  r: Record<string, unknown>,
  values: Record<string, unknown>,
  file: string,
  path: string,
  configRefs: Map<string, Record<string, string[]>>,
): TfResource {
  const address = r.address as string;
  const { configAddress, moduleInstance, indexKey } = splitAddress(address, r.index);
  return {
    address,
    configAddress,
    indexKey,
    moduleInstance,
    type: r.type as string,
    values,
    file,
    path,
    references: configRefs.get(configAddress) ?? NO_REFERENCES,
  };
}

/** The references of a resource the configuration says nothing about (read only, shared). */
const NO_REFERENCES: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/**
 * An instance address split: `module.m["a"].azurerm_x.y[0]` -> configAddress `module.m.azurerm_x.y` (every instance
 * key removed, as configuration references name it), moduleInstance `module.m["a"].` and indexKey `0`.
 * https://developer.hashicorp.com/terraform/cli/state/resource-addressing
 */
function splitAddress(address: string, index: unknown): { configAddress: string; moduleInstance: string; indexKey?: string } {
  // Most addresses have no instance key and no module: nothing to split (this runs for 10,000s of resources).
  if (address.indexOf("[") < 0) return { configAddress: address, moduleInstance: address.startsWith("module.") ? moduleOf(address) : "" };
  let config = "";
  let lastKey: string | undefined;
  let moduleInstance = "";
  let segmentStart = 0;
  let segments = 0;
  let inModule = false;
  let i = 0;
  while (i < address.length) {
    const c = address.charCodeAt(i);
    if (c === 0x5b /* [ */) {
      const close = closingBracket(address, i);
      if (close < 0) return { configAddress: address, moduleInstance: "" };
      lastKey = address.slice(i + 1, close);
      i = close + 1;
      continue;
    }
    if (c === 0x2e /* . */) {
      // A segment ends: `module` starts a module step, the name after it ends one.
      const word = address.slice(segmentStart, i);
      if (inModule) {
        moduleInstance = address.slice(0, i + 1);
        inModule = false;
      } else if (word === "module") inModule = true;
      segments++;
      segmentStart = i + 1;
      lastKey = undefined;
    }
    config += address[i];
    i++;
  }
  const out: { configAddress: string; moduleInstance: string; indexKey?: string } = { configAddress: config, moduleInstance };
  if (lastKey !== undefined && segments > 0) out.indexKey = index === undefined ? lastKey : JSON.stringify(index);
  return out;
}

/** `module.a.module.b.` of `module.a.module.b.azurerm_x.y` (an address without instance keys). */
function moduleOf(address: string): string {
  const parts = address.split(".");
  let n = 0;
  while (n + 1 < parts.length && parts[n] === "module") n += 2;
  return n === 0 ? "" : parts.slice(0, n).join(".") + ".";
}

/** Index of the `]` closing the `[` at `open` (a quoted key may hold `]`, `.` and escaped quotes), or -1. */
function closingBracket(s: string, open: number): number {
  let quoted = false;
  for (let i = open + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) quoted = true;
    else if (c === 0x5d) return i;
  }
  return -1;
}

/** A module instance's address prefix without its instance keys (`module.a["x"].` -> `module.a.`). */
function configScope(scope: string): string {
  return scope.indexOf("[") < 0 ? scope : scope.replace(/\[[^\]]*\]/g, "");
}

/** The `references` of a configuration expression (strings only), or undefined. */
function expressionReferences(e: unknown): string[] | undefined {
  const list = e && typeof e === "object" ? (e as { references?: unknown }).references : undefined;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : undefined;
}

/**
 * `configuration.root_module` (+ module_calls) -> config address -> attribute -> referenced addresses. References
 * are followed across module boundaries as the configuration wires them: `module.defs.definition_id` to what the
 * output `definition_id` of module `defs` references, `var.definition_id` in a module to what its module call passes
 * (https://developer.hashicorp.com/terraform/internals/json-format#configuration-representation).
 */
function configurationReferences(configuration: unknown): Map<string, Record<string, string[]>> {
  /** A reference as written in the module whose address prefix is `scope` ("" at the root, `module.a.` ...). */
  type Ref = { scope: string; ref: string };
  const raw = new Map<string, { scope: string; refs: Record<string, string[]> }>();
  /** `<scope>module.x.<output>` -> the output's references (in module x's scope). */
  const outputs = new Map<string, Ref[]>();
  /** `<module scope>var.<name>` -> what the module call passes (in the caller's scope). */
  const variables = new Map<string, Ref[]>();
  const walk = (mod: unknown, scope: string): void => {
    if (!mod || typeof mod !== "object") return;
    const m = mod as Record<string, unknown>;
    for (const r of Array.isArray(m.resources) ? (m.resources as Record<string, unknown>[]) : []) {
      const refs: Record<string, string[]> = {};
      for (const [attr, e] of Object.entries((r.expressions as Record<string, unknown> | undefined) ?? {})) {
        const list = expressionReferences(e);
        if (list) refs[attr] = list;
      }
      // What `each` iterates over (`for_each = azurerm_lighthouse_definition.def`), under the key .tf.json uses.
      const fe = expressionReferences(r.for_each_expression);
      if (fe) refs.for_each = fe;
      raw.set(scope + String(r.address), { scope, refs });
    }
    for (const [name, call] of Object.entries((m.module_calls as Record<string, unknown>) ?? {})) {
      const c = (call ?? {}) as Record<string, unknown>;
      const inner = `${scope}module.${name}.`;
      for (const [v, e] of Object.entries((c.expressions as Record<string, unknown> | undefined) ?? {})) {
        const list = expressionReferences(e);
        if (list) variables.set(`${inner}var.${v}`, list.map((ref) => ({ scope, ref })));
      }
      const outs = (c.module as Record<string, unknown> | undefined)?.outputs;
      for (const [o, out] of Object.entries((outs as Record<string, unknown> | undefined) ?? {})) {
        const list = expressionReferences((out as Record<string, unknown> | undefined)?.expression);
        if (list) outputs.set(`${inner}${o}`, list.map((ref) => ({ scope: inner, ref })));
      }
      walk(c.module, inner);
    }
  };
  walk((configuration as Record<string, unknown> | undefined)?.root_module, "");
  // A reference as addresses: a module output or variable followed to what it references (a few steps at most).
  const resolve = (r: Ref, out: string[], depth: number): void => {
    // `each.value.id` names the iteration, not an address in the module: it keeps no module prefix.
    if (r.ref.startsWith("each.")) return void out.push(r.ref);
    const via = depth > 8 ? undefined : r.ref.startsWith("var.") ? variables.get(configScope(r.scope) + /^var\.[^.[]+/.exec(r.ref)![0]) : moduleOutput(r);
    if (via) for (const x of via) resolve(x, out, depth + 1);
    else out.push(r.scope + r.ref);
  };
  // `module.defs["a"].definition_id`: what the output references, in that module instance (`module.defs["a"].`).
  const moduleOutput = (r: Ref): Ref[] | undefined => {
    const m = /^module\.([^.[]+)(\[[^\]]*\])?\.([^.[]+)/.exec(r.ref);
    const refs = m ? outputs.get(`${configScope(r.scope)}module.${m[1]}.${m[3]}`) : undefined;
    return refs && m![2] !== undefined ? refs.map((x) => ({ scope: `${r.scope}module.${m![1]}${m![2]}.`, ref: x.ref })) : refs;
  };
  const out = new Map<string, Record<string, string[]>>();
  for (const [address, { scope, refs }] of raw) {
    const resolved: Record<string, string[]> = {};
    for (const [attr, list] of Object.entries(refs)) {
      const addresses: string[] = [];
      for (const ref of list) resolve({ scope, ref }, addresses, 0);
      resolved[attr] = addresses;
    }
    out.set(address, resolved);
  }
  return out;
}

/** True when an `after_unknown` subtree marks anything unknown. */
function anyUnknown(u: unknown): boolean {
  if (u === true) return true;
  if (u === null || typeof u !== "object") return false;
  if (Array.isArray(u)) {
    for (let i = 0; i < u.length; i++) if (anyUnknown(u[i])) return true;
    return false;
  }
  for (const k in u as Record<string, unknown>) if (anyUnknown((u as Record<string, unknown>)[k])) return true;
  return false;
}

/** The marker of a value `after_unknown` marks at `path`: a plan leaves the value itself out of `after`. */
function afterApply(path: string): Unresolved {
  return { unresolved: true, reason: AFTER_APPLY, path };
}

/**
 * Puts an Unresolved wherever `after_unknown` (at `path` in the plan) says true. Writes into `after` in place: the
 * document was parsed for this adapter alone, and copying 10,000s of resources showed up in profiles (bench/check.ts).
 */
function withUnknowns(after: unknown, unknown: unknown, path: string): unknown {
  if (unknown === true) return afterApply(path);
  if (unknown === null || typeof unknown !== "object" || !anyUnknown(unknown)) return after;
  if (Array.isArray(unknown)) {
    const arr = Array.isArray(after) ? after : [];
    for (let i = 0; i < unknown.length; i++) {
      const u = unknown[i];
      if (u === true) arr[i] = afterApply(childPath(path, i));
      else if (u !== null && typeof u === "object") arr[i] = withUnknowns(arr[i], u, childPath(path, i));
    }
    return arr;
  }
  const obj = (after && typeof after === "object" && !Array.isArray(after) ? after : {}) as Record<string, unknown>;
  for (const k in unknown as Record<string, unknown>) {
    const u = (unknown as Record<string, unknown>)[k];
    if (u === true) obj[k] = afterApply(childPath(path, k));
    else if (u !== null && typeof u === "object") obj[k] = withUnknowns(obj[k], u, childPath(path, k));
  }
  return obj;
}

/* ------------------------------------------------------------------------------------------------ */
/* Terraform JSON / cdk.tf.json                                                                      */
/* ------------------------------------------------------------------------------------------------ */

export function adaptTerraformJson(doc: Record<string, unknown>, file: string): FileEstate {
  const resources: TfResource[] = [];
  const notices: string[] = [];
  const byType = doc.resource as Record<string, Record<string, unknown>>;
  for (const [type, byName] of Object.entries(byType)) {
    if (!INTERESTING.has(type)) continue;
    for (const [name, body] of Object.entries(byName)) {
      const bodies = Array.isArray(body) ? body : [body];
      bodies.forEach((block, i) => {
        const namePath = childPath(childPath("$.resource", type), name);
        const path = Array.isArray(body) ? childPath(namePath, i) : namePath;
        const configAddress = `${type}.${name}`;
        // A literal count or for_each: one resource per instance, none for count 0 or an empty for_each.
        const { instances, notice } = resourceInstances(block, configAddress, file, path);
        if (notice) notices.push(notice);
        for (const { address, indexKey, body: b } of instances) {
          const refs: Record<string, string[]> = {};
          // azurerm resources have nested blocks, which `dynamic` blocks can make; azapi's `body` is an attribute.
          const read: JsonRead | undefined = type.startsWith("azurerm_") ? { file, address, blockPaths: new Map() } : undefined;
          const values = interpolations(b, refs, "", read, path) as Record<string, unknown>;
          const res: TfResource = { address, configAddress, type, values, file, path, references: refs };
          if (indexKey !== undefined) res.indexKey = indexKey;
          if (read) res.blockPaths = read.blockPaths;
          const meta = (b as Record<string, unknown>)["//"];
          if (meta && typeof meta === "object" && (meta as Record<string, unknown>)["partnerlink:waive"] !== undefined)
            res.waive = { value: (meta as Record<string, unknown>)["partnerlink:waive"], path: `${path}["//"]["partnerlink:waive"]` };
          resources.push(res);
        }
      });
    }
  }
  return buildEstate(resources, notices);
}

const REF_RE = /^\$\{\s*([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)+(?:\[[^\]]*\])?(?:\.[A-Za-z_][\w-]*)*)\s*\}$/;

/** What reading one Terraform JSON resource with nested blocks needs besides the values. */
interface JsonRead {
  file: string;
  address: string;
  blockPaths: Map<object, string>;
}

/**
 * Replaces `${...}` interpolations by Unresolved, recording plain references per top-level attribute. With `read`
 * (a resource with nested blocks), a `dynamic` member adds the blocks it makes to its block type
 * (formats/terraform-dynamic.ts) and `path` follows the value, for where those blocks are.
 */
function interpolations(v: unknown, refs: Record<string, string[]>, attr: string, read?: JsonRead, path = "$"): unknown {
  if (typeof v === "string") {
    if (!/(^|[^$])\$\{|(^|[^%])%\{/.test(v)) return v.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    const m = REF_RE.exec(v);
    if (m && attr) {
      const ref = m[1]!;
      (refs[attr] ??= []).push(ref.replace(/\.id$/, ""));
      (refs[attr] as string[]).push(ref);
    }
    return unresolved(m ? `Terraform reference '${m[1]}' is known only at plan or apply` : "Terraform expression is evaluated at plan time", v);
  }
  if (Array.isArray(v)) return v.map((x, i) => interpolations(x, refs, attr, read, read ? childPath(path, i) : path));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    let dynamic: unknown;
    for (const [k, x] of Object.entries(v)) {
      if (k === "//") continue;
      if (k === "dynamic" && read) {
        dynamic = x;
        continue;
      }
      out[k] = interpolations(x, refs, attr || k, read, read ? childPath(path, k) : path);
    }
    if (dynamic !== undefined && read) addDynamicBlocks(out, dynamic, refs, attr, read, path);
    return out;
  }
  return v;
}

/** The blocks a `dynamic` member of the object at `path` makes, appended to the blocks of their type in `out`. */
function addDynamicBlocks(out: Record<string, unknown>, spec: unknown, refs: Record<string, string[]>, attr: string, read: JsonRead, path: string): void {
  for (const [type, made] of dynamicBlocks(spec, childPath(path, "dynamic"), read)) {
    const given = out[type];
    const list: unknown[] = given === undefined ? [] : Array.isArray(given) ? given.slice() : [given];
    if (given && typeof given === "object" && !Array.isArray(given)) read.blockPaths.set(given, childPath(path, type));
    for (const m of made) {
      const block = "unknown" in m ? unknownBlock(type, m.unknown) : interpolations(m.content, refs, attr || type, read, m.path);
      if (block && typeof block === "object") read.blockPaths.set(block, m.path);
      list.push(block);
    }
    out[type] = list;
  }
}

/** The attributes the adapter reads of each azurerm block type, for a block no one knows before plan. */
const BLOCK_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  authorization: ["principal_id", "role_definition_id"],
  eligible_authorization: ["principal_id", "role_definition_id"],
  approver: ["principal_id"],
  just_in_time_access_policy: ["maximum_activation_duration", "multi_factor_auth_provider", "approver"],
};

/** A block standing for the unknown blocks of a dynamic block: each attribute the adapter reads is `why`. */
function unknownBlock(type: string, why: Unresolved): unknown {
  const attrs = BLOCK_ATTRIBUTES[type];
  if (!attrs) return why;
  const block: Record<string, unknown> = {};
  for (const a of attrs) block[a] = why;
  return block;
}

/* ------------------------------------------------------------------------------------------------ */
/* Resources -> Estate                                                                               */
/* ------------------------------------------------------------------------------------------------ */

interface DefRecord {
  res: TfResource;
  delegation: Delegation;
  guid?: string;
}

function buildEstate(resources: TfResource[], notices: string[] = []): FileEstate {
  const builder = new EstateBuilder(notices);
  for (let rIndex = 0; rIndex < resources.length; rIndex++) builder.add(resources[rIndex]!);
  return builder.finish();
}

/** Resources made into the model in the order they are added ({@link add}), then joined ({@link finish}). */
class EstateBuilder {
  private readonly estate: Estate = emptyEstate();
  private readonly waivers: Waiver[] = [];
  private readonly defs: DefRecord[] = [];
  private readonly assignments: TfResource[] = [];

  constructor(private readonly notices: string[] = []) {}

  add(r: TfResource): void {
    const { estate } = this;
    if (r.waive) readInlineWaivers(r.waive.value, r.file, r.waive.path, r.address, this.waivers);
    const kind = kindOf(r);
    if (kind === "definition") {
      const d = r.type === "azapi_resource" ? azapiDefinition(r) : azurermDefinition(r);
      estate.delegations.push(d.delegation);
      // The joins read a definition's address and instance, not its values: those are let go with the document.
      r.values = READ_VALUES;
      this.defs.push(d);
    } else if (kind === "assignment") this.assignments.push(r);
    else if (kind === "pal") {
      const link = palLink(r);
      if (link) estate.partnerLinks.push(link);
    } else if (kind === "subscription") estate.subscriptions.push(subscription(r));
  }

  finish(): FileEstate {
    const { estate, waivers, defs, assignments, notices } = this;
    // Join assignments to definitions: by the definition GUID (of several with it, the one in the assignment's
    // subscription: rules/definition-join.ts), else through a reference to its address.
    const byGuid = definitionsByGuid(defs, (d) => d.guid);
    // Built on first use: a plan's assignments nearly always name their definition's GUID.
    let addresses: Map<string, DefRecord[]> | undefined;
    const byAddress = (): Map<string, DefRecord[]> => {
      if (addresses) return addresses;
      addresses = new Map();
      for (let dIndex = 0; dIndex < defs.length; dIndex++) {
        const d = defs[dIndex]!;
        // An instance's own address names it alone; its configuration address (without the index) names them all.
        if (d.res.configAddress !== d.res.address) {
          const list = addresses.get(d.res.configAddress);
          if (list) list.push(d);
          else addresses.set(d.res.configAddress, [d]);
        }
        addresses.set(d.res.address, [d]);
      }
      return addresses;
    };
    for (let aIndex = 0; aIndex < assignments.length; aIndex++) {
      const a = assignments[aIndex]!;
      const isAzapi = a.type === "azapi_resource";
      const body = isAzapi ? bodyProps(a) : undefined;
      // The attribute that names the definition, where it is in the file.
      const attr = body === undefined ? "lighthouse_definition_id" : body.inString ? "body" : "body.properties.registrationDefinitionId";
      const defIdRaw = body === undefined ? a.values.lighthouse_definition_id : body.props.registrationDefinitionId;
      let targets: readonly DefRecord[] = [];
      if (typeof defIdRaw === "string") {
        const parsed = parseRegistrationDefinitionId(defIdRaw) ?? parseRegistrationDefinitionId(defIdRaw.split("/").pop());
        const byId = parsed ? byGuid.get(parsed.definitionId) : undefined;
        if (byId) targets = [definitionInSubscription(byId, (d) => d.delegation, defIdRaw, isAzapi ? a.values.parent_id : a.values.scope) ?? byId[byId.length - 1]!];
      }
      if (targets.length === 0) targets = referencedDefinitions(a, a.references[isAzapi ? "body" : attr], byAddress);
      const source = isAzapi ? azapiSource(a, a.path, false) : sourceOf(a, a.path);
      const scopeRaw = isAzapi ? a.values.parent_id : a.values.scope;
      const scope: AssignmentScope = { scope: valStr(scopeRaw, a, isAzapi ? "parent_id" : "scope") ?? { ...unresolved(`${a.address} has no scope`), path: a.path }, resource: a.address, source };
      // A computed assignment name (unknown until apply) is no fact any rule needs: leave it out rather than report it.
      const nameVal = valStr(a.values.name, a, "name");
      if (typeof nameVal === "string") scope.assignmentId = nameVal;
      if (targets.length > 0) {
        for (const t of targets) addAssignment(t.delegation, scope);
      } else {
        const expr = valStr(defIdRaw, a, isAzapi ? "body" : attr, undefined, isAzapi ? "body" : attr, !isAzapi);
        let why = unresolved(`the registration definition of '${a.address}' is not in this input`, typeof expr === "string" ? expr : expr?.expression);
        if (isUnresolved(expr) && expr.path !== undefined) why = { ...why, path: expr.path };
        estate.delegations.push(unknownDefinitionDelegation({ name: a.address, source, why, reference: attr, definitionId: expr, assignment: scope }));
      }
    }
    return { estate, inlineWaivers: waivers, notices };
  }
}

/** What a definition's values are once it is made into the model (read only, shared). */
const READ_VALUES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * The definitions an assignment's references (`refs`, of the attribute naming its definition) name:
 * - `azurerm_lighthouse_definition.def.id`, `...def[0].id`, `...def["a"].id`: that resource, or that instance;
 * - `def[0]` of a definition read as one resource (its `count` or `for_each` is an expression in Terraform JSON): it;
 * - `each.value.id` with `for_each = azurerm_lighthouse_definition.def` (a chained for_each): each instance gives one
 *   assignment instance, so an instance (`asg["a"]`, a plan) joins the definition instance with its key, and an
 *   assignment read as one resource (Terraform JSON: its for_each is an expression) joins every instance.
 */
function referencedDefinitions(a: TfResource, refs: readonly string[] | undefined, byAddress: () => Map<string, DefRecord[]>): readonly DefRecord[] {
  if (!refs) return [];
  const viaForEach = refs.some((x) => x === "each.value" || x.startsWith("each.value."));
  for (const ref of viaForEach ? (a.references.for_each ?? []) : refs) {
    const addr = ref.replace(/\.id$/, "");
    let cands = byAddress().get(addr);
    if (!cands && addr.endsWith("]")) {
      const whole = byAddress().get(addr.slice(0, addr.lastIndexOf("[")));
      if (whole && whole.length === 1 && whole[0]!.res.indexKey === undefined) cands = whole;
    }
    if (!cands || cands.length === 0) continue;
    if (cands.length === 1) return cands;
    if (viaForEach && a.indexKey === undefined) {
      const sameModule = cands.filter((c) => c.res.moduleInstance === a.moduleInstance);
      if (sameModule.length > 0) return sameModule;
    }
    const one = pickInstance(cands, a);
    if (one) return [one];
  }
  return [];
}

/**
 * Of several definitions one reference can name (instances of a `count`/`for_each` resource or module), the one
 * in the assignment's module instance with its instance key; else the only one in its module instance.
 */
function pickInstance(cands: readonly DefRecord[], a: TfResource): DefRecord | undefined {
  const sameModule = cands.filter((c) => c.res.moduleInstance === a.moduleInstance);
  if (sameModule.length === 1) return sameModule[0];
  return sameModule.find((c) => c.res.indexKey === a.indexKey);
}

function azapiType(r: TfResource): string {
  const t = r.values.type;
  return typeof t === "string" ? t.split("@")[0]!.toLowerCase() : "";
}

function kindOf(r: TfResource): "definition" | "assignment" | "pal" | "subscription" | undefined {
  switch (r.type) {
    case "azurerm_lighthouse_definition":
      return "definition";
    case "azurerm_lighthouse_assignment":
      return "assignment";
    case "azurerm_subscription":
      return "subscription";
    case "azapi_resource":
    case "azapi_resource_action": {
      const t = azapiType(r);
      if (t === "microsoft.managementpartner/partners") return "pal";
      if (r.type === "azapi_resource" && t === "microsoft.managedservices/registrationdefinitions") return "definition";
      if (r.type === "azapi_resource" && t === "microsoft.managedservices/registrationassignments") return "assignment";
      return undefined;
    }
  }
  return undefined;
}

/**
 * A string attribute as found (absent, known or Unresolved). An error points at `member` (default `attr`; `[i]`
 * for a list element) of `parent` (default the resource): a nested block's attribute, a member of an azapi body;
 * `member` "" points at `parent` itself (an azapi body that is one JSON string).
 */
function valStr(v: unknown, r: TfResource, attr: string, parent?: string, member: string = attr, converts = true): Val<string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (isUnresolved(v)) return v;
  // Terraform converts a number or bool given for a string attribute (`"name": 1234567` in .tf.json), as long as
  // the number is exact here: a JSON number past 2^53 has lost digits when it was parsed. Not in an azapi body
  // (`converts` false): azapi sends its members to ARM as they are.
  if (converts && (typeof v === "boolean" || (typeof v === "number" && (Number.isSafeInteger(v) || (Number.isFinite(v) && !Number.isInteger(v)))))) return String(v);
  const at = parent ?? r.path;
  const got = Array.isArray(v) ? "an array" : typeof v === "number" ? (converts ? "a number too large to read exactly; quote it" : "a number") : typeof v;
  throw new InputError(r.file, `${r.address}: '${attr}' must be a string, got ${got}`, member === "" ? at : member.startsWith("[") ? at + member : childPath(at, member));
}

/** Nested blocks are lists in plans and may be objects in hand-written JSON. */
function blocks(v: unknown, r: TfResource, path: string): Record<string, unknown>[] {
  if (v === undefined || v === null) return [];
  // A whole list not known (an azurerm block list, an azapi body's authorizations): one block standing for it,
  // under both providers' attribute names.
  if (isUnresolved(v)) return [{ principal_id: v, role_definition_id: v, principalId: v, roleDefinitionId: v }];
  const list = Array.isArray(v) ? v : [v];
  // The list itself when every block is a plain object (the usual plan): callers only read it.
  let out: Record<string, unknown>[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const b: unknown = list[i];
    let block: Record<string, unknown>;
    if (isUnresolved(b)) block = { principal_id: b, role_definition_id: b, principalId: b, roleDefinitionId: b };
    else if (!b || typeof b !== "object" || Array.isArray(b))
      throw new InputError(r.file, `${r.address}: each block must be an object`, Array.isArray(v) ? childPath(path, i) : path);
    else block = b as Record<string, unknown>;
    if (block !== b) out ??= list.slice(0, i) as Record<string, unknown>[];
    if (out) out.push(block);
  }
  return out ?? (list as Record<string, unknown>[]);
}

/** Where the i-th block of a list at `listPath` is: in the file as read (Terraform JSON), else at its index. */
function blockPath(r: TfResource, block: object, listPath: string, i: number): string {
  return r.blockPaths?.get(block) ?? childPath(listPath, i);
}

/** Where an element of `r` is: its file, the JSON path given, and its address; azurerm's names and provider mark. */
function sourceOf(r: TfResource, path: string): SourceLocation {
  return r.type.startsWith("azurerm_") ? { file: r.file, path, resource: r.address, properties: AZURERM_NAMES, provider: "azurerm" } : { file: r.file, path, resource: r.address };
}

/**
 * azurerm's attribute names for the model's (ARM) property names, so a finding's path names the attribute in the
 * plan or `.tf.json` (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/lighthouse_definition,
 * lighthouse_assignment, subscription). azapi resources carry ARM's names in `body` and need none.
 */
const AZURERM_NAMES: Readonly<Record<string, string>> = Object.freeze({
  managedByTenantId: "managing_tenant_id",
  definitionScope: "scope",
  definitionId: "lighthouse_definition_id",
  registrationDefinitionName: "name",
  authorizations: "authorization",
  eligibleAuthorizations: "eligible_authorization",
  principalId: "principal_id",
  principalIdDisplayName: "principal_display_name",
  roleDefinitionId: "role_definition_id",
  delegatedRoleDefinitionIds: "delegated_role_definition_ids",
  justInTimeAccessPolicy: "just_in_time_access_policy",
  maximumActivationDuration: "maximum_activation_duration",
  multiFactorAuthProvider: "multi_factor_auth_provider",
  managedByTenantApprovers: "approver",
  assignmentId: "name",
  subscriptionId: "subscription_id",
  // Declared in partnerlink config, not in Terraform: a finding points at the subscription resource.
  dpor: "",
});

/**
 * The principal, role and display name both kinds of azurerm authorization block carry. Module-level helpers
 * (not closures per definition) and constant attribute names: this runs for every block of 10,000s of resources.
 */
function azurermPrincipalRole(r: TfResource, a: Record<string, unknown>, p: string): Authorization {
  const principalId = repeatedValue("principal", valStr(a.principal_id, r, "principal_id", p)) ?? missingAttr(r, p, "principal_id");
  const roleDefinitionId = repeatedValue("role", valStr(a.role_definition_id, r, "role_definition_id", p)) ?? missingAttr(r, p, "role_definition_id");
  const source = sourceOf(r, p);
  const disp = repeatedValue("displayName", valStr(a.principal_display_name, r, "principal_display_name", p));
  // One literal with every member (in the model's order): a member added afterwards takes V8 a second allocation.
  return disp !== undefined ? { principalId, roleDefinitionId, source, principalIdDisplayName: disp } : { principalId, roleDefinitionId, source };
}

function azurermAuthorizations(r: TfResource): Authorization[] {
  const authPath = childPath(r.path, "authorization");
  const list = blocks(r.values.authorization, r, authPath);
  const auths: Authorization[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const out = azurermPrincipalRole(r, a, blockPath(r, a, authPath, i));
    const d = a.delegated_role_definition_ids;
    if (isUnresolved(d)) out.delegatedRoleDefinitionIds = [d];
    else if (Array.isArray(d) && d.length > 0) {
      const dp = childPath(out.source.path!, "delegated_role_definition_ids");
      out.delegatedRoleDefinitionIds = d.map((x, k) => valStr(x, r, "delegated_role_definition_ids", dp, `[${k}]`) ?? unresolved("empty"));
    }
    auths[i] = out;
  }
  return auths;
}

function azurermJustInTime(r: TfResource, jitRaw: unknown, p: string): JustInTimeAccessPolicy | undefined {
  const jitPath = childPath(p, "just_in_time_access_policy");
  const jitBlocks = blocks(jitRaw, r, jitPath);
  if (jitBlocks.length === 0) return undefined;
  const j = jitBlocks[0]!;
  const jp = r.blockPaths?.get(j) ?? (Array.isArray(jitRaw) ? childPath(jitPath, 0) : jitPath);
  const approverPath = childPath(jp, "approver");
  const list = blocks(j.approver, r, approverPath);
  const approvers: Approver[] = new Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const ap = list[k]!;
    const path = blockPath(r, ap, approverPath, k);
    const principalId = repeatedValue("principal", valStr(ap.principal_id, r, "principal_id", path)) ?? missingAttr(r, path, "principal_id");
    const source = sourceOf(r, path);
    const dn = repeatedValue("displayName", valStr(ap.principal_display_name, r, "principal_display_name", path));
    approvers[k] = dn !== undefined ? { principalId, source, principalIdDisplayName: dn } : { principalId, source };
  }
  const jit: JustInTimeAccessPolicy = { managedByTenantApprovers: approvers, source: sourceOf(r, jp) };
  const mfa = repeatedValue("text", valStr(j.multi_factor_auth_provider, r, "multi_factor_auth_provider", jp));
  if (mfa !== undefined && mfa !== "") jit.multiFactorAuthProvider = mfa;
  const dur = repeatedValue("text", valStr(j.maximum_activation_duration, r, "maximum_activation_duration", jp));
  if (dur !== undefined) jit.maximumActivationDuration = dur;
  return jit;
}

function azurermEligibleAuthorizations(r: TfResource): EligibleAuthorization[] {
  const eligPath = childPath(r.path, "eligible_authorization");
  const list = blocks(r.values.eligible_authorization, r, eligPath);
  const eligible: EligibleAuthorization[] = new Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const p = blockPath(r, a, eligPath, i);
    const out: EligibleAuthorization = azurermPrincipalRole(r, a, p);
    const jit = azurermJustInTime(r, a.just_in_time_access_policy, p);
    if (jit) out.justInTimeAccessPolicy = jit;
    eligible[i] = out;
  }
  return eligible;
}

function azurermDefinition(r: TfResource): DefRecord {
  const v = r.values;
  const delegation: Delegation = {
    name: r.address,
    source: sourceOf(r, r.path),
    managedByTenantId: repeatedValue("tenant", valStr(v.managing_tenant_id, r, "managing_tenant_id")) ?? missingAttr(r, r.path, "managing_tenant_id"),
    assignments: [],
    authorizations: azurermAuthorizations(r),
    eligibleAuthorizations: azurermEligibleAuthorizations(r),
  };
  const name = valStr(v.name, r, "name");
  if (name !== undefined) delegation.registrationDefinitionName = name;
  const desc = repeatedValue("text", valStr(v.description, r, "description"));
  if (desc !== undefined) delegation.description = desc;
  // lighthouse_definition_id is optional and computed (a random GUID) when not set: only a given one is a fact.
  const defId = valStr(v.lighthouse_definition_id, r, "lighthouse_definition_id");
  if (typeof defId === "string") delegation.definitionId = defId;
  const scope = valStr(v.scope, r, "scope");
  if (scope !== undefined) delegation.definitionScope = scope;
  let guid: string | undefined;
  if (typeof defId === "string") guid = parseRegistrationDefinitionId(defId)?.definitionId;
  if (!guid && typeof v.id === "string") guid = parseRegistrationDefinitionId(v.id)?.definitionId;
  return { res: r, delegation, guid };
}

/**
 * azapi `body`: an object (azapi 2.x) or a JSON string (azapi 1.x `jsonencode`). `inString` when the properties are
 * not members in the file (a JSON string, or a body not known before plan): findings on them point at `body`.
 */
function bodyProps(r: TfResource): { props: Record<string, unknown>; inString: boolean } {
  let body = r.values.body;
  const inString = typeof body === "string" || isUnresolved(body);
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      throw new InputError(r.file, `${r.address}: 'body' is a string but not valid JSON`, childPath(r.path, "body"));
    }
  }
  if (isUnresolved(body)) return { props: { registrationDefinitionId: body, managedByTenantId: body, authorizations: body }, inString };
  if (!body || typeof body !== "object") return { props: {}, inString };
  const props = (body as Record<string, unknown>).properties;
  if (isUnresolved(props)) return { props: { registrationDefinitionId: props, managedByTenantId: props, authorizations: props }, inString };
  return { props: props && typeof props === "object" ? (props as Record<string, unknown>) : {}, inString };
}

/**
 * Where azapi has the model's properties (https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource):
 * the resource ID's parts in `name` and `parent_id`, the rest under `body.properties` with ARM's names.
 */
const AZAPI_NAMES: Readonly<Record<string, string>> = Object.freeze({
  managedByTenantId: "body.properties.managedByTenantId",
  registrationDefinitionName: "body.properties.registrationDefinitionName",
  authorizations: "body.properties.authorizations",
  eligibleAuthorizations: "body.properties.eligibleAuthorizations",
  definitionScope: "parent_id",
  definitionId: "name",
  scope: "parent_id",
  assignmentId: "name",
});

/**
 * The same for a body written as one JSON string (azapi 1.x) or not known: what is in it is at `body`, the element
 * itself ("" for the properties of an authorization, approver or just-in-time policy, whose path is `body`).
 */
const AZAPI_STRING_BODY_NAMES: Readonly<Record<string, string>> = Object.freeze({
  ...AZAPI_NAMES,
  managedByTenantId: "body",
  registrationDefinitionName: "body",
  authorizations: "body",
  eligibleAuthorizations: "body",
  principalId: "",
  principalIdDisplayName: "",
  roleDefinitionId: "",
  delegatedRoleDefinitionIds: "",
  justInTimeAccessPolicy: "",
  maximumActivationDuration: "",
  multiFactorAuthProvider: "",
  managedByTenantApprovers: "",
});

/** Where an element of an azapi resource is: `path` in the file, or `body` when the body is a string. */
function azapiSource(r: TfResource, path: string, inString: boolean): SourceLocation {
  return inString
    ? { file: r.file, path: childPath(r.path, "body"), resource: r.address, properties: AZAPI_STRING_BODY_NAMES }
    : { file: r.file, path, resource: r.address, properties: AZAPI_NAMES };
}

function azapiDefinition(r: TfResource): DefRecord {
  const { props: p, inString } = bodyProps(r);
  const base = childPath(childPath(r.path, "body"), "properties");
  const src = (path: string): SourceLocation => azapiSource(r, path, inString);
  // A member of the body at `parent`; in a body that is one string, errors point at the string.
  const bodyPath = childPath(r.path, "body");
  const str = (v: unknown, attr: string, parent: string, member = attr): Val<string> | undefined =>
    inString ? valStr(v, r, attr, bodyPath, "", false) : valStr(v, r, attr, parent, member, false);
  const required = (parent: string, attr: string): never => missingAttr(r, inString ? bodyPath : parent, attr);
  const auth = (list: unknown, path: string, eligible: boolean): EligibleAuthorization[] =>
    blocks(list, r, path).map((a, i) => {
      const ap = childPath(path, i);
      const out: EligibleAuthorization = {
        principalId: repeatedValue("principal", str(a.principalId, "principalId", ap)) ?? required(ap, "principalId"),
        roleDefinitionId: repeatedValue("role", str(a.roleDefinitionId, "roleDefinitionId", ap)) ?? required(ap, "roleDefinitionId"),
        source: src(ap),
      };
      const dn = repeatedValue("displayName", str(a.principalIdDisplayName, "principalIdDisplayName", ap));
      if (dn !== undefined) out.principalIdDisplayName = dn;
      if (Array.isArray(a.delegatedRoleDefinitionIds))
        out.delegatedRoleDefinitionIds = a.delegatedRoleDefinitionIds.map((x, k) => str(x, "delegatedRoleDefinitionIds", childPath(ap, "delegatedRoleDefinitionIds"), `[${k}]`) ?? unresolved("empty"));
      const j = a.justInTimeAccessPolicy;
      if (eligible && j && typeof j === "object" && !isUnresolved(j)) {
        const jo = j as Record<string, unknown>;
        const jp = childPath(ap, "justInTimeAccessPolicy");
        const approvers = blocks(jo.managedByTenantApprovers, r, childPath(jp, "managedByTenantApprovers")).map((x, k) => {
          const xp = childPath(childPath(jp, "managedByTenantApprovers"), k);
          return { principalId: repeatedValue("principal", str(x.principalId, "principalId", xp)) ?? required(xp, "principalId"), source: src(xp) };
        });
        const jit: JustInTimeAccessPolicy = { managedByTenantApprovers: approvers, source: src(jp) };
        const mfa = repeatedValue("text", str(jo.multiFactorAuthProvider, "multiFactorAuthProvider", jp));
        if (mfa !== undefined) jit.multiFactorAuthProvider = mfa;
        const dur = repeatedValue("text", str(jo.maximumActivationDuration, "maximumActivationDuration", jp));
        if (dur !== undefined) jit.maximumActivationDuration = dur;
        out.justInTimeAccessPolicy = jit;
      }
      return out;
    });
  const name = valStr(r.values.name, r, "name");
  const delegation: Delegation = {
    name: r.address,
    source: { file: r.file, path: r.path, resource: r.address, properties: inString ? AZAPI_STRING_BODY_NAMES : AZAPI_NAMES },
    managedByTenantId: repeatedValue("tenant", str(p.managedByTenantId, "managedByTenantId", base)) ?? required(base, "managedByTenantId"),
    assignments: [],
    authorizations: auth(p.authorizations, childPath(base, "authorizations"), false),
    eligibleAuthorizations: auth(p.eligibleAuthorizations, childPath(base, "eligibleAuthorizations"), true),
  };
  const offer = str(p.registrationDefinitionName, "registrationDefinitionName", base);
  if (offer !== undefined) delegation.registrationDefinitionName = offer;
  if (name !== undefined) delegation.definitionId = name;
  const parent = valStr(r.values.parent_id, r, "parent_id");
  if (parent !== undefined) delegation.definitionScope = parent;
  const guid = typeof name === "string" ? parseRegistrationDefinitionId(name)?.definitionId : undefined;
  return { res: r, delegation, guid };
}

function palLink(r: TfResource): Estate["partnerLinks"][number] | undefined {
  const method = r.values.method;
  const when = r.values.when;
  if (r.type === "azapi_resource_action") {
    if (typeof method === "string" && method.toUpperCase() === "DELETE") return undefined;
    if (when === "destroy") return undefined;
  }
  let partnerId: Val<string> | undefined;
  if (r.type === "azapi_resource_action") {
    const id = valStr(r.values.resource_id, r, "resource_id");
    if (typeof id === "string") {
      const m = /\/providers\/Microsoft\.ManagementPartner\/partners\/([^/]+)\/?$/i.exec(id);
      partnerId = m ? m[1]! : id.split("/").pop()!;
    } else partnerId = id;
  } else {
    partnerId = valStr(r.values.name, r, "name");
  }
  // The partner ID is the last segment of resource_id (an action) or the name; the linked identity is not an attribute.
  const properties = { partnerId: r.type === "azapi_resource_action" ? "resource_id" : "name", objectId: "", tenantId: "" };
  return {
    name: r.address,
    source: { ...sourceOf(r, r.path), properties },
    partnerId: partnerId ?? { ...unresolved(`${r.address} names no partner ID`), path: r.path },
  };
}

function subscription(r: TfResource): Estate["subscriptions"][number] {
  const agreement = agreementOfBillingScope(r.values.billing_scope_id);
  const id = valStr(r.values.subscription_id, r, "subscription_id");
  return {
    name: r.address,
    source: sourceOf(r, r.path),
    // Not set: azurerm computes it when the subscription is created (not in the file, so the finding names the resource).
    subscriptionId: id ?? { ...unresolved("subscription_id is not set, so azurerm knows it only after apply"), path: r.path },
    agreement,
  };
}

function missingAttr(r: TfResource, path: string, attr: string): never {
  throw new InputError(r.file, `${r.address}: '${attr}' is required`, path);
}
