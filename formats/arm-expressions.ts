/**
 * ARM template expressions: the bracket language of `"[concat('a', parameters('b'))]"`.
 *
 * Grammar and function semantics follow Microsoft's reference:
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-expressions
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions
 *
 * - A string is an expression when it starts with `[` and ends with `]`; `[[` at the start escapes the bracket
 *   (the value is the string without its first `[`).
 * - String literals are single-quoted; `''` inside one is a quote.
 * - Calls nest, and any value can be followed by `.property` or `[index]`.
 *
 * Whatever cannot be evaluated before deployment (reference(), listKeys(), an unknown function, the target
 * subscription when none was given, a required parameter with no value) becomes an {@link Unresolved} carrying
 * the expression; nothing is guessed.
 */
import { armGuid } from "../rules/identifiers";
import { isUnresolved, unresolved, type Unresolved } from "../rules/model";

/* ------------------------------------------------------------------------------------------------ */
/* Parsing                                                                                           */
/* ------------------------------------------------------------------------------------------------ */

export type ExprNode =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "call"; name: string; args: ExprNode[] }
  | { kind: "property"; target: ExprNode; name: string }
  | { kind: "index"; target: ExprNode; index: ExprNode };

/** A syntax error in an expression; `offset` is the character position inside the expression body. */
export class ExpressionSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
    this.name = "ExpressionSyntaxError";
  }
}

/** True when the JSON string is a template expression (and not a `[[` literal). */
export function isExpression(s: string): boolean {
  return s.length >= 2 && s.charCodeAt(0) === 0x5b && s.charCodeAt(1) !== 0x5b && s.charCodeAt(s.length - 1) === 0x5d;
}

/** The literal value of a non-expression string: `[[x]` becomes `[x]`. */
export function literalString(s: string): string {
  return s.startsWith("[[") ? s.slice(1) : s;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): ExprNode {
    const node = this.expr();
    this.ws();
    if (this.pos < this.src.length) this.fail(`unexpected '${this.src[this.pos]}'`);
    return node;
  }

  private fail(msg: string): never {
    throw new ExpressionSyntaxError(`${msg} at position ${this.pos + 1}`, this.pos);
  }

  private ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private expr(): ExprNode {
    this.ws();
    let node = this.primary();
    for (;;) {
      this.ws();
      const c = this.src[this.pos];
      if (c === ".") {
        this.pos++;
        this.ws();
        const name = this.ident();
        if (!name) this.fail("expected a property name after '.'");
        node = { kind: "property", target: node, name };
      } else if (c === "[") {
        this.pos++;
        const index = this.expr();
        this.ws();
        if (this.src[this.pos] !== "]") this.fail("expected ']'");
        this.pos++;
        node = { kind: "index", target: node, index };
      } else {
        return node;
      }
    }
  }

  private ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.src.slice(this.pos));
    if (!m) return "";
    // A dotted identifier is only a namespaced user function when followed by '('; otherwise stop at the dot.
    let name = m[0];
    const after = this.src.slice(this.pos + name.length).trimStart();
    if (name.includes(".") && !after.startsWith("(")) name = name.slice(0, name.indexOf("."));
    this.pos += name.length;
    return name;
  }

  private primary(): ExprNode {
    const c = this.src[this.pos];
    if (c === undefined) this.fail("unexpected end of expression");
    if (c === "'") return { kind: "string", value: this.string() };
    if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(this.src.slice(this.pos));
      if (!m) this.fail("invalid number");
      this.pos += m[0].length;
      return { kind: "number", value: Number(m[0]) };
    }
    const name = this.ident();
    if (!name) this.fail(`unexpected '${c}'`);
    this.ws();
    if (this.src[this.pos] !== "(") this.fail(`expected '(' after function name '${name}'`);
    this.pos++;
    const args: ExprNode[] = [];
    this.ws();
    if (this.src[this.pos] === ")") {
      this.pos++;
      return { kind: "call", name, args };
    }
    for (;;) {
      args.push(this.expr());
      this.ws();
      const d = this.src[this.pos];
      if (d === ",") {
        this.pos++;
        continue;
      }
      if (d === ")") {
        this.pos++;
        return { kind: "call", name, args };
      }
      if (d === undefined) this.fail(`unbalanced parentheses: '${name}(' is not closed`);
      this.fail(`expected ',' or ')' in the arguments of '${name}'`);
    }
  }

  private string(): string {
    this.pos++; // opening quote
    let out = "";
    for (;;) {
      const i = this.src.indexOf("'", this.pos);
      if (i < 0) this.fail("unterminated string literal");
      out += this.src.slice(this.pos, i);
      if (this.src[i + 1] === "'") {
        out += "'";
        this.pos = i + 2;
      } else {
        this.pos = i + 1;
        return out;
      }
    }
  }
}

const PARSE_CACHE = new Map<string, ExprNode>();

/** Parses the body of an expression string (with or without the surrounding brackets). */
export function parseExpression(text: string): ExprNode {
  const body = isExpression(text) ? text.slice(1, -1) : text;
  const hit = PARSE_CACHE.get(body);
  if (hit) return hit;
  const node = new Parser(body).parse();
  if (PARSE_CACHE.size > 10000) PARSE_CACHE.clear();
  PARSE_CACHE.set(body, node);
  return node;
}

/* ------------------------------------------------------------------------------------------------ */
/* Evaluation                                                                                        */
/* ------------------------------------------------------------------------------------------------ */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
/** A JSON value in which any element may be {@link Unresolved}. */
export type EvalValue = null | boolean | number | string | Unresolved | EvalValue[] | { [k: string]: EvalValue };

/** What an expression can see. Everything optional is "not known before deployment" when absent. */
export interface EvalContext {
  parameter(name: string): EvalValue;
  variable(name: string): EvalValue;
  /** The deployment's target subscription ID, when known. */
  subscriptionId?: string;
  tenantId?: string;
  /** Resource group name of the deployment scope (nested deployments with `resourceGroup`). */
  resourceGroup?: string;
  /** The deployment's scope level: decides what resourceId() returns. */
  scopeLevel: "tenant" | "managementGroup" | "subscription" | "resourceGroup";
  deploymentName?: string;
  /** Current copy indexes by loop name; `""` is the innermost loop. */
  copyIndexes?: Record<string, number>;
  /** The template's user-defined function `namespace.member` (its `functions` section), case-insensitive. */
  userFunction?(name: string): UserFunction | undefined;
  /** How many user-defined function calls deep this evaluation is. */
  functionDepth?: number;
  /**
   * The variables of the lambdas being evaluated (`lambda('x', ...)`; read with `lambdaVariables('x')`), by lower-cased
   * name, an inner lambda's shadowing an outer one's. Absent outside a lambda.
   */
  lambdaVariables?: ReadonlyMap<string, EvalValue>;
  /** Values that must never be printed (secure parameters), and what is built from them: see {@link SecureTracker}. */
  secure?: SecureTracker;
}

/**
 * Taint tracking for secure values (rules/sensitive.ts). The context's `parameter()` sets `reached` when it hands out a
 * secure value; every expression that reached one passes its result to `add` (the value built from a secret, e.g. by
 * substring(), replace(), split() or string(), is a secret too) and passes `reached` on to the expression around it.
 * An expression that reads one and fails does not quote what it was given.
 */
export interface SecureTracker {
  reached: boolean;
  add(value: EvalValue): void;
}

/** The reason an expression that read a secure value could not be evaluated: its own error could quote the value. */
export const SECURE_EXPRESSION_ERROR = "the expression reads a secure parameter and cannot be evaluated before deployment (its error is not shown: it could quote the value)";

/**
 * A user-defined function (`"functions": [{"namespace", "members": {name: {parameters, output}}}]`; Bicep's `func`).
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/user-defined-functions
 */
export interface UserFunction {
  parameters: { name: string }[];
  output: { value: unknown };
}

/** Calls to user-defined functions nested deeper than this are not followed (a function may call another). */
const MAX_FUNCTION_DEPTH = 16;

/**
 * Evaluates a user-defined function's output with its arguments. Such a function sees only its own parameters (ARM:
 * "can't access variables", and parameters() means the function's parameters), so nothing of the template leaks in.
 */
function callUserFunction(fn: UserFunction, name: string, args: EvalValue[], ctx: EvalContext): EvalValue {
  checkArity(name, args.length, fn.parameters.length);
  const depth = (ctx.functionDepth ?? 0) + 1;
  if (depth > MAX_FUNCTION_DEPTH) fail(`user-defined function calls nest deeper than ${MAX_FUNCTION_DEPTH} ('${name}')`);
  const inner: EvalContext = {
    ...ctx,
    copyIndexes: undefined,
    lambdaVariables: undefined,
    functionDepth: depth,
    parameter: (p) => {
      const i = fn.parameters.findIndex((d) => d.name.toLowerCase() === p.toLowerCase());
      return i < 0 ? err(`parameter '${p}' is not a parameter of function ${name}`) : args[i]!;
    },
    variable: () => err(`a user-defined function cannot use variables (${name})`),
  };
  return need(evaluateValue(fn.output.value, inner));
}

/**
 * union() of two objects as ARM computes it: members of both, in first-seen order; where both have a member whose
 * values are objects, those are merged the same way (recursively); otherwise the later value wins (a nested array is
 * replaced, not merged). https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object#union
 * ("merges not only the top-level elements but also recursively merges any nested objects"; the example in
 * Azure/PSRule.Rules.Azure#2885 shows nested arrays replaced). A member not known before deployment that would be
 * merged with an object makes that member not known.
 */
function unionObjects(a: Record<string, EvalValue>, b: Record<string, EvalValue>): Record<string, EvalValue> {
  const out: Record<string, EvalValue> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    if (isPlainObject(prev) && isPlainObject(v)) out[k] = unionObjects(prev, v);
    else if (isUnresolved(prev) && isPlainObject(v)) out[k] = prev;
    else out[k] = v;
  }
  return out;
}

/** An object value that is known: not an array, not null, not an Unresolved marker. */
function isPlainObject(x: EvalValue | undefined): x is Record<string, EvalValue> {
  return x !== null && typeof x === "object" && !Array.isArray(x) && !isUnresolved(x);
}

/** Thrown inside evaluation to short-circuit to an Unresolved result. */
class UnresolvedSignal extends Error {
  constructor(readonly value: Unresolved) {
    super(value.reason);
  }
}

function fail(reason: string): never {
  throw new UnresolvedSignal(unresolved(reason));
}

/** Evaluates one expression string; returns its value or an Unresolved naming the expression. */
export function evaluateExpression(text: string, ctx: EvalContext): EvalValue {
  let node: ExprNode;
  try {
    node = parseExpression(text);
  } catch (e) {
    return unresolved(`invalid template expression: ${(e as Error).message}`, text);
  }
  // The outermost expression owns the step budget; the expressions it reaches (variables, parameters' default values,
  // user-defined functions' outputs) spend from it.
  const outermost = budget === undefined;
  if (outermost) budget = { left: MAX_EVAL_STEPS };
  const secure = ctx.secure;
  const outerReached = secure?.reached ?? false;
  if (secure) secure.reached = false;
  let result: EvalValue;
  let failed = false;
  let reached = false;
  try {
    const v = evalNode(node, ctx);
    // A parameter or variable that is itself unresolved: name this expression, keep the reason.
    result = isUnresolved(v) && v.expression === undefined ? unresolved(v.reason, text) : v;
  } catch (e) {
    failed = true;
    if (e instanceof UnresolvedSignal) result = unresolved(e.value.reason, text);
    else if (e instanceof ArmEvalError) result = unresolved(`template expression error: ${e.message}`, text);
    else throw e;
  } finally {
    if (outermost) budget = undefined;
    if (secure) {
      reached = secure.reached;
      secure.reached ||= outerReached;
    }
  }
  if (reached && failed) return unresolved(SECURE_EXPRESSION_ERROR, text);
  if (reached) secure!.add(result);
  return result;
}

/*
 * Limits. Lambdas (map, reduce, ...) make loops, so one short expression can ask for a great deal of work: every
 * lambda call, array element, object member and hundred characters built spends a step, and an expression that
 * needs more than MAX_EVAL_STEPS is not evaluated (an Unresolved saying so, reported by PL012). Strings are capped
 * at MAX_STRING_LENGTH; a value reduce() builds (which can double at every step) at MAX_VALUE_NODES members and
 * MAX_VALUE_DEPTH levels.
 */
const MAX_EVAL_STEPS = 100_000;
const MAX_STRING_LENGTH = 1_000_000;
const MAX_VALUE_NODES = 100_000;
const MAX_VALUE_DEPTH = 64;
let budget: { left: number } | undefined;

function charge(steps: number): void {
  if (budget === undefined) return;
  budget.left -= steps;
  if (budget.left < 0)
    fail(`the expression needs more than ${MAX_EVAL_STEPS} evaluation steps (lambda calls, elements and text built); it is not evaluated before deployment`);
}

/** A string a function built: within MAX_STRING_LENGTH, and paid for. */
function built(s: string, fn: string): string {
  if (s.length > MAX_STRING_LENGTH) fail(`${fn}() would build a string longer than ${MAX_STRING_LENGTH} characters`);
  charge(Math.ceil(s.length / 100));
  return s;
}

/** An array a function built, paid for. */
function builtArray<T extends EvalValue[]>(a: T): T {
  charge(a.length);
  return a;
}

/** A definite evaluation error (wrong argument types, index out of range): reported as unresolvable. */
export class ArmEvalError extends Error {}

function err(msg: string): never {
  throw new ArmEvalError(msg);
}

/**
 * Evaluates a template value: expressions in strings (at any depth) are evaluated, `[[` literals unescaped.
 * Unresolved parts stay in place as {@link Unresolved} values.
 */
export function evaluateValue(value: unknown, ctx: EvalContext): EvalValue {
  if (typeof value === "string") return isExpression(value) ? evaluateExpression(value, ctx) : literalString(value);
  if (Array.isArray(value)) return value.map((v) => evaluateValue(v, ctx));
  if (value !== null && typeof value === "object") {
    if (isUnresolved(value)) return value;
    const out: { [k: string]: EvalValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateValue(v, ctx);
    return out;
  }
  return value as EvalValue;
}

function evalNode(node: ExprNode, ctx: EvalContext): EvalValue {
  switch (node.kind) {
    case "string":
      return node.value;
    case "number":
      return node.value;
    case "property": {
      const target = need(evalNode(node.target, ctx));
      if (target === null || typeof target !== "object" || Array.isArray(target))
        err(`cannot read property '${node.name}' of ${describe(target)}`);
      const key = findKey(target as Record<string, EvalValue>, node.name);
      if (key === undefined) err(`property '${node.name}' does not exist`);
      return need((target as Record<string, EvalValue>)[key]!);
    }
    case "index": {
      const target = need(evalNode(node.target, ctx));
      const index = need(evalNode(node.index, ctx));
      if (Array.isArray(target)) {
        if (typeof index !== "number" || !Number.isInteger(index)) err(`array index must be an integer, got ${describe(index)}`);
        if (index < 0 || index >= target.length) err(`index ${index} is out of range (length ${target.length})`);
        return need(target[index]!);
      }
      if (target !== null && typeof target === "object" && typeof index === "string") {
        const key = findKey(target as Record<string, EvalValue>, index);
        if (key === undefined) err(`property '${index}' does not exist`);
        return need((target as Record<string, EvalValue>)[key]!);
      }
      return err(`cannot index ${describe(target)} with ${describe(index)}`);
    }
    case "call":
      return call(node, ctx);
  }
}

/** ARM property names are case-insensitive. */
function findKey(obj: Record<string, EvalValue>, name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

function need(v: EvalValue): EvalValue {
  if (isUnresolved(v)) throw new UnresolvedSignal(v);
  return v;
}

function describe(v: EvalValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}

function str(v: EvalValue, fn: string): string {
  if (typeof v !== "string") err(`${fn}() expects a string, got ${describe(v)}`);
  return v;
}

function int(v: EvalValue, fn: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) err(`${fn}() expects an integer, got ${describe(v)}`);
  return v;
}

/**
 * Whether two values are equal (strings case-sensitively, arrays and objects deeply), or the Unresolved the answer
 * depends on: `[1, <unknown>]` is not `[2, 3]`, but whether it is `[1, 2]` is not known.
 */
function compareValues(a: EvalValue, b: EvalValue): boolean | Unresolved {
  charge(1);
  if (isUnresolved(a)) return a;
  if (isUnresolved(b)) return b;
  if (a === b) return true;
  let pairs: [EvalValue, EvalValue][];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    pairs = a.map((x, i) => [x, b[i]!]);
  } else if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length || ka.some((k) => !Object.prototype.hasOwnProperty.call(b, k))) return false;
    pairs = ka.map((k) => [(a as Record<string, EvalValue>)[k]!, (b as Record<string, EvalValue>)[k]!]);
  } else {
    return false;
  }
  let unknown: Unresolved | undefined;
  for (const [x, y] of pairs) {
    const r = compareValues(x, y);
    if (r === false) return false;
    if (r !== true) unknown ??= r;
  }
  return unknown ?? true;
}

function deepEqual(a: EvalValue, b: EvalValue): boolean {
  const r = compareValues(a, b);
  if (r === true || r === false) return r;
  throw new UnresolvedSignal(r);
}

/** parts.join(sep), refused before it is built when it would be longer than MAX_STRING_LENGTH. */
function joinWithin(parts: string[], sep: string, fn: string): string {
  let length = sep.length * Math.max(parts.length - 1, 0);
  for (const p of parts) length += p.length;
  if (length > MAX_STRING_LENGTH) fail(`${fn}() would build a string longer than ${MAX_STRING_LENGTH} characters`);
  return built(parts.join(sep), fn);
}

/** Keys in alphabetical order, case-insensitively (ordinal on upper case); keys equal but for case keep their order. */
function alphabetical(keys: string[]): string[] {
  return keys
    .map((k, i) => ({ k, upper: k.toUpperCase(), i }))
    .sort((a, b) => (a.upper < b.upper ? -1 : a.upper > b.upper ? 1 : a.i - b.i))
    .map((e) => e.k);
}

/** o[k] = v as an own member, whatever k is ("__proto__" included). */
function setMember(o: Record<string, EvalValue>, k: string, v: EvalValue): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * An array index for tryGet(): an integer, or Bicep's from-the-end index {value: n, fromEnd: true} (`a[?^n]`); the
 * position in an array of `length`, or undefined when it is outside.
 */
function arrayIndex(key: EvalValue, length: number, fn: string): number | undefined {
  let i: number;
  if (typeof key === "number") {
    if (!Number.isInteger(key)) err(`${fn}() index must be an integer, got ${describe(key)}`);
    i = key;
  } else if (key !== null && typeof key === "object" && !Array.isArray(key)) {
    const o = key as Record<string, EvalValue>;
    const vk = findKey(o, "value");
    const fk = findKey(o, "fromEnd");
    const value = vk === undefined ? undefined : o[vk];
    const fromEnd = fk === undefined ? undefined : o[fk];
    if (typeof value !== "number" || !Number.isInteger(value) || (fromEnd !== undefined && typeof fromEnd !== "boolean") || Object.keys(o).length !== (fromEnd === undefined ? 1 : 2))
      err(`${fn}() index object must be {value: <integer>, fromEnd: <bool>}`);
    i = fromEnd === true ? length - value : value;
  } else if (typeof key === "string") {
    return err(`${fn}() cannot look up property '${key}' in an array`);
  } else {
    return err(`${fn}() key must be a string or an integer, got ${describe(key)}`);
  }
  return i >= 0 && i < length ? i : undefined;
}

/** .NET-style composite format used by format(): `{0}`, `{1:N2}` (format specifiers beyond plain are unsupported). */
function dotnetFormat(fmt: string, args: EvalValue[]): string {
  return fmt.replace(/\{\{|\}\}|\{(\d+)(?::([^}]*))?\}/g, (m, idx: string | undefined, spec: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const i = Number(idx);
    if (i >= args.length) err(`format() has no argument {${i}}`);
    if (spec) fail(`format specifier '${spec}' in format() is not supported`);
    return toStringValue(args[i]!);
  });
}

function toStringValue(v: EvalValue): string {
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  return jsonText(v);
}

/**
 * Compact JSON of an array or object (what JSON.stringify writes), stopping at MAX_STRING_LENGTH characters: a value
 * whose parts are shared many times over (variables nesting variables) is small in memory but not written out. An
 * unresolved member leaves the text unknown.
 */
function jsonText(v: EvalValue): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (s: string): void => {
    length += s.length;
    if (length > MAX_STRING_LENGTH) fail(`the JSON text of the value is longer than ${MAX_STRING_LENGTH} characters`);
    parts.push(s);
  };
  const walk = (x: EvalValue): void => {
    need(x);
    if (x === null || typeof x !== "object") return emit(JSON.stringify(x));
    if (Array.isArray(x)) {
      emit("[");
      x.forEach((e, i) => {
        if (i > 0) emit(",");
        walk(e);
      });
      return emit("]");
    }
    emit("{");
    Object.entries(x).forEach(([k, e], i) => {
      emit(`${i > 0 ? "," : ""}${JSON.stringify(k)}:`);
      walk(e);
    });
    emit("}");
  };
  walk(v);
  return parts.join("");
}

function typeSegments(type: string): { type: string; count: number } {
  const t = type.replace(/\/+$/, "");
  const parts = t.split("/");
  if (parts.length < 2) err(`'${type}' is not a resource type (expected Namespace/type)`);
  return { type: t, count: parts.length - 1 };
}

function resourcePath(type: string, names: string[]): string {
  const t = type.split("/");
  let out = `providers/${t[0]}`;
  for (let i = 1; i < t.length; i++) out += `/${t[i]}/${names[i - 1]}`;
  return out;
}

function subscriptionOf(ctx: EvalContext, fn: string): string {
  if (ctx.subscriptionId === undefined)
    fail(`${fn} depends on the target subscription, which is chosen at deployment`);
  return ctx.subscriptionId;
}

/** Functions known to depend on deployed state or secrets: never evaluable before deployment. */
const RUNTIME_FUNCTIONS = new Set([
  "reference", "references", "list", "listkeys", "listsecrets", "listaccountsas", "listservicesas",
  "listcallbackurl", "pickzones", "providers", "environment", "managementgroup", "utcnow", "newguid",
  "managementgroupresourceid",
]);

/*
 * Lambda functions. A lambda (`lambda('x', ['y', ...], <expression>)`) is an argument of one of these alone and is not
 * evaluated itself: its expression is evaluated for every element, with the element (and its index, or the value so
 * far) as its variables. Bicep's `map(xs, (x, i) => ...)` compiles to `map(xs, lambda('x', 'i', ...))`.
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda
 * https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-lambda (the index variables)
 */
const LAMBDA_FUNCTIONS = new Map(
  ["filter", "groupBy", "map", "mapValues", "reduce", "sort", "toObject"].map((f) => [f.toLowerCase(), f] as const),
);

interface Lambda {
  fn: string;
  /** Its variables' names, lower-cased (lambdaVariables looks them up without regard to case). */
  names: string[];
  body: ExprNode;
}

/** The lambda argument `node` of `fn`, which gives its lambda one of `counts` variables. */
function lambdaArg(node: ExprNode, fn: string, position: number, counts: number[], ctx: EvalContext): Lambda {
  if (node.kind !== "call" || node.name.toLowerCase() !== "lambda")
    err(`${fn}() expects a lambda as argument ${position}, as in lambda('x', <expression>)`);
  if (node.args.length < 2) err("lambda() takes the names of its variables and an expression");
  const names = node.args.slice(0, -1).map((a) => str(need(evalNode(a, ctx)), "lambda"));
  if (!counts.includes(names.length))
    err(`the lambda of ${fn}() takes ${counts.join(" or ")} variable(s), got ${names.length}`);
  const lower = names.map((v) => v.toLowerCase());
  if (new Set(lower).size !== lower.length) err(`lambda() names a variable twice (${names.join(", ")})`);
  return { fn, names: lower, body: node.args[node.args.length - 1]! };
}

/** The lambda's expression with its variables bound to `values` (more values than variables: the rest are unused). */
function invoke(l: Lambda, values: EvalValue[], ctx: EvalContext): EvalValue {
  charge(1);
  const vars = new Map<string, EvalValue>(ctx.lambdaVariables ?? []);
  l.names.forEach((v, i) => vars.set(v, values[i]!));
  return evalNode(l.body, { ...ctx, lambdaVariables: vars });
}

function arrayArg(node: ExprNode, fn: string, ctx: EvalContext): EvalValue[] {
  const v = need(evalNode(node, ctx));
  if (!Array.isArray(v)) err(`${fn}() expects an array, got ${describe(v)}`);
  return v;
}

/** A lambda's result that must be known: a filter's or sort's boolean, toObject's or groupBy's key. */
function lambdaResult<T extends "boolean" | "string">(l: Lambda, v: EvalValue, type: T): T extends "boolean" ? boolean : string {
  const x = need(v);
  if (typeof x !== type) err(`the lambda of ${l.fn}() must return a ${type}, got ${describe(x)}`);
  return x as never;
}

function callLambdaFunction(name: string, node: CallNode, ctx: EvalContext): EvalValue {
  const fn = LAMBDA_FUNCTIONS.get(name)!;
  const a = node.args;
  switch (name) {
    case "map": {
      // map(inputArray, lambda(x, [i])): the lambda's value for every element, in order. A value the lambda keeps
      // unresolved inside it stays in place; a lambda whose value cannot be known leaves the whole array unknown.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#map
      checkArity(fn, a.length, 2);
      const input = arrayArg(a[0]!, fn, ctx);
      const l = lambdaArg(a[1]!, fn, 2, [1, 2], ctx);
      return input.map((x, i) => invoke(l, [x, i], ctx));
    }
    case "filter": {
      // filter(inputArray, lambda(x, [i])): the elements for which the lambda is true.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#filter
      checkArity(fn, a.length, 2);
      const input = arrayArg(a[0]!, fn, ctx);
      const l = lambdaArg(a[1]!, fn, 2, [1, 2], ctx);
      return input.filter((x, i) => lambdaResult(l, invoke(l, [x, i], ctx), "boolean"));
    }
    case "reduce": {
      // reduce(inputArray, initialValue, lambda(current, next, [i])): the value the lambda makes of the value so far
      // and every element in turn; initialValue for an empty array.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#reduce
      checkArity(fn, a.length, 3);
      const input = arrayArg(a[0]!, fn, ctx);
      let acc = evalNode(a[1]!, ctx);
      const l = lambdaArg(a[2]!, fn, 3, [2, 3], ctx);
      input.forEach((x, i) => {
        acc = invoke(l, [acc, x, i], ctx);
        checkSize(acc, fn);
      });
      return acc;
    }
    case "sort": {
      // sort(inputArray, lambda(a, b)): the elements ordered so that a comes before b where the lambda is true. The
      // order of elements neither of which comes before the other is not documented: they keep their order (a
      // stable sort).
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#sort
      checkArity(fn, a.length, 2);
      const input = arrayArg(a[0]!, fn, ctx);
      const l = lambdaArg(a[1]!, fn, 2, [2], ctx);
      return stableSort(input, (x, y) => lambdaResult(l, invoke(l, [x, y], ctx), "boolean"));
    }
    case "toobject":
    case "groupby": {
      // toObject(inputArray, lambda(x) key, [lambda(x) value]): an object with a member for every element, named by
      // the key lambda, its value the element or the value lambda's. groupBy: the same, every member an array of
      // the elements (or values) with that key, in order. Two elements with one key in toObject(), and keys that
      // differ only in case, are not documented: not evaluated.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#toobject
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#groupby
      checkArity(fn, a.length, 2, 3);
      const input = arrayArg(a[0]!, fn, ctx);
      const keyOf = lambdaArg(a[1]!, fn, 2, [1], ctx);
      const valueOf = a.length === 3 ? lambdaArg(a[2]!, fn, 3, [1], ctx) : undefined;
      const out: Record<string, EvalValue> = {};
      const seen = new Map<string, string>();
      for (const x of input) {
        const k = lambdaResult(keyOf, invoke(keyOf, [x], ctx), "string");
        const v = valueOf ? invoke(valueOf, [x], ctx) : x;
        const prev = seen.get(k.toLowerCase());
        if (prev !== undefined && prev !== k) fail(`${fn}() makes the keys '${prev}' and '${k}', which differ only in case`);
        seen.set(k.toLowerCase(), k);
        if (name === "groupby") {
          if (prev === undefined) setMember(out, k, []);
          (out[k] as EvalValue[]).push(v);
        } else {
          if (prev !== undefined) fail(`toObject() makes the key '${k}' twice`);
          setMember(out, k, v);
        }
      }
      return out;
    }
    case "mapvalues": {
      // mapValues(inputObject, lambda(value)): the object with every member's value mapped by the lambda.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda#mapvalues
      checkArity(fn, a.length, 2);
      const input = need(evalNode(a[0]!, ctx));
      if (input === null || typeof input !== "object" || Array.isArray(input)) err(`mapValues() expects an object, got ${describe(input)}`);
      const l = lambdaArg(a[1]!, fn, 2, [1], ctx);
      const out: Record<string, EvalValue> = {};
      for (const [k, v] of Object.entries(input)) setMember(out, k, invoke(l, [v], ctx));
      return out;
    }
  }
  return err(`${fn}() is not a lambda function`);
}

/** A stable merge sort: `before(x, y)` puts x first; elements neither of which is before the other keep their order. */
function stableSort(items: EvalValue[], before: (x: EvalValue, y: EvalValue) => boolean): EvalValue[] {
  if (items.length <= 1) return items.slice();
  const mid = items.length >> 1;
  const left = stableSort(items.slice(0, mid), before);
  const right = stableSort(items.slice(mid), before);
  const out: EvalValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(before(right[j]!, left[i]!) ? right[j++]! : left[i++]!);
  while (i < left.length) out.push(left[i++]!);
  while (j < right.length) out.push(right[j++]!);
  return out;
}

const SIZES = new WeakMap<object, { nodes: number; depth: number }>();

/** Members and nesting of a value, counting a shared part as often as it appears (as written out). */
function sizeOf(v: EvalValue): { nodes: number; depth: number } {
  if (v === null || typeof v !== "object") return { nodes: 1, depth: 0 };
  const hit = SIZES.get(v);
  if (hit) return hit;
  let nodes = 1;
  let depth = 0;
  for (const x of Array.isArray(v) ? v : Object.values(v)) {
    const s = sizeOf(x);
    nodes += s.nodes;
    depth = Math.max(depth, s.depth + 1);
    if (nodes > MAX_VALUE_NODES || depth > MAX_VALUE_DEPTH) break;
  }
  const size = { nodes, depth };
  SIZES.set(v, size);
  return size;
}

/** reduce() can double its value at every step: one too large to write out is not evaluated. */
function checkSize(v: EvalValue, fn: string): void {
  const { nodes, depth } = sizeOf(v);
  if (nodes > MAX_VALUE_NODES) fail(`${fn}() builds a value of more than ${MAX_VALUE_NODES} elements`);
  if (depth > MAX_VALUE_DEPTH) fail(`${fn}() builds a value nested more than ${MAX_VALUE_DEPTH} levels deep`);
}

function checkArity(fn: string, n: number, min: number, max = min): void {
  if (n < min || n > max)
    err(`${fn}() takes ${min === max ? min : `${min} to ${max === Infinity ? "any number of" : max}`} argument(s), got ${n}`);
}

type CallNode = Extract<ExprNode, { kind: "call" }>;

function call(node: CallNode, ctx: EvalContext): EvalValue {
  const name = node.name.toLowerCase();
  // Lazily evaluated functions first.
  if (name === "if") {
    if (node.args.length !== 3) err("if() takes 3 arguments");
    const cond = need(evalNode(node.args[0]!, ctx));
    if (typeof cond !== "boolean") err(`if() condition must be a boolean, got ${describe(cond)}`);
    return evalNode(node.args[cond ? 1 : 2]!, ctx);
  }
  if (name === "coalesce") {
    for (const a of node.args) {
      const v = need(evalNode(a, ctx));
      if (v !== null) return v;
    }
    return null;
  }
  if (name === "lambda")
    err(`lambda() can only be an argument of ${[...LAMBDA_FUNCTIONS.values()].map((f) => `${f}()`).join(", ")}`);
  if (LAMBDA_FUNCTIONS.has(name)) return callLambdaFunction(name, node, ctx);
  if (RUNTIME_FUNCTIONS.has(name) || name.startsWith("list")) {
    fail(`template function '${node.name}' is evaluated only at deployment`);
  }
  const args = node.args.map((a) => need(evalNode(a, ctx)));
  const n = args.length;
  const arity = (min: number, max = min): void => checkArity(node.name, n, min, max);
  switch (name) {
    case "parameters":
      arity(1);
      return ctx.parameter(str(args[0]!, "parameters"));
    case "variables":
      arity(1);
      return ctx.variable(str(args[0]!, "variables"));
    case "concat": {
      if (n === 0) return "";
      if (args.every((a) => Array.isArray(a))) return builtArray(([] as EvalValue[]).concat(...(args as EvalValue[][])));
      const parts = args.map((a) => (Array.isArray(a) ? err("concat() cannot mix arrays and strings") : toStringValue(a)));
      return joinWithin(parts, "", "concat");
    }
    case "format":
      arity(1, Infinity);
      return built(dotnetFormat(str(args[0]!, "format"), args.slice(1)), "format");
    case "guid":
      arity(1, Infinity);
      return armGuid(...args.map((a) => str(a, "guid")));
    case "tolower":
      arity(1);
      return built(str(args[0]!, "toLower").toLowerCase(), "toLower");
    case "toupper":
      arity(1);
      return built(str(args[0]!, "toUpper").toUpperCase(), "toUpper");
    case "trim":
      arity(1);
      return str(args[0]!, "trim").trim();
    case "replace":
      arity(3);
      return joinWithin(str(args[0]!, "replace").split(str(args[1]!, "replace")), str(args[2]!, "replace"), "replace");
    case "substring": {
      arity(1, 3);
      const s = str(args[0]!, "substring");
      const start = n > 1 ? int(args[1]!, "substring") : 0;
      const len = n > 2 ? int(args[2]!, "substring") : s.length - start;
      if (start < 0 || len < 0 || start + len > s.length) err("substring() range is outside the string");
      return s.substr(start, len);
    }
    case "startswith":
      arity(2);
      return str(args[0]!, "startsWith").toLowerCase().startsWith(str(args[1]!, "startsWith").toLowerCase());
    case "endswith":
      arity(2);
      return str(args[0]!, "endsWith").toLowerCase().endsWith(str(args[1]!, "endsWith").toLowerCase());
    case "indexof":
    case "lastindexof": {
      // A string: case-insensitive position of a substring.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#indexof
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#lastindexof
      // An array: index of an equal element (strings case-sensitively, arrays and objects deeply), -1 when none is.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#indexof
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#lastindexof
      arity(2);
      const [c, item] = args as [EvalValue, EvalValue];
      const last = name === "lastindexof";
      if (Array.isArray(c)) {
        for (let k = 0; k < c.length; k++) {
          const i = last ? c.length - 1 - k : k;
          const same = compareValues(c[i]!, item);
          if (same === true) return i;
          // An element not known before it: whether it is the one is not known.
          if (same !== false) throw new UnresolvedSignal(same);
        }
        return -1;
      }
      if (typeof c !== "string") err(`${node.name}() expects a string or an array, got ${describe(c)}`);
      const s = c.toLowerCase();
      const find = str(item, node.name).toLowerCase();
      return last ? s.lastIndexOf(find) : s.indexOf(find);
    }
    case "length": {
      arity(1);
      const v = args[0]!;
      if (typeof v === "string" || Array.isArray(v)) return v.length;
      if (v && typeof v === "object") return Object.keys(v).length;
      return err(`length() expects a string, array or object, got ${describe(v)}`);
    }
    case "empty": {
      arity(1);
      const v = args[0]!;
      if (v === null) return true;
      if (typeof v === "string" || Array.isArray(v)) return v.length === 0;
      if (typeof v === "object") return Object.keys(v).length === 0;
      return err(`empty() expects a string, array or object, got ${describe(v)}`);
    }
    case "equals":
      arity(2);
      return deepEqual(args[0]!, args[1]!);
    case "not":
      arity(1);
      if (typeof args[0] !== "boolean") err(`not() expects a boolean, got ${describe(args[0]!)}`);
      return !args[0];
    case "and":
    case "or": {
      arity(2, Infinity);
      for (const a of args) if (typeof a !== "boolean") err(`${node.name}() expects booleans, got ${describe(a)}`);
      return name === "and" ? args.every((a) => a === true) : args.some((a) => a === true);
    }
    case "greater":
    case "less":
    case "greaterorequals":
    case "lessorequals": {
      arity(2);
      const [a, b] = args as [EvalValue, EvalValue];
      if (!((typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string")))
        err(`${node.name}() compares two numbers or two strings`);
      const c = a < b ? -1 : a > b ? 1 : 0;
      return name === "greater" ? c > 0 : name === "less" ? c < 0 : name === "greaterorequals" ? c >= 0 : c <= 0;
    }
    case "true":
      arity(0);
      return true;
    case "false":
      arity(0);
      return false;
    case "null":
      arity(0);
      return null;
    case "createarray":
      return args;
    case "createobject": {
      if (n % 2 !== 0) err("createObject() takes key/value pairs");
      const o: Record<string, EvalValue> = {};
      for (let i = 0; i < n; i += 2) o[str(args[i]!, "createObject")] = args[i + 1]!;
      return o;
    }
    case "union": {
      arity(1, Infinity);
      if (args.every((a) => Array.isArray(a))) {
        // Every element once, in order. A plain value is looked up by value (so that a union of long lists of names
        // stays within the step limit); arrays and objects are compared deeply.
        const out: EvalValue[] = [];
        const plain = new Set<string>();
        const others: EvalValue[] = [];
        let unknown: Unresolved | undefined;
        for (const a of args as EvalValue[][])
          for (const x of a) {
            // Whether a value not known is one already in the union is not known.
            if (unknown !== undefined) throw new UnresolvedSignal(unknown);
            if (isUnresolved(x)) {
              if (out.length > 0) throw new UnresolvedSignal(x);
              unknown = x;
            } else if (x === null || typeof x !== "object") {
              const key = `${typeof x}:${String(x)}`;
              if (plain.has(key)) continue;
              plain.add(key);
            } else {
              if (others.some((y) => deepEqual(x, y))) continue;
              others.push(x);
            }
            out.push(x);
          }
        return builtArray(out);
      }
      if (args.every((a) => a !== null && typeof a === "object" && !Array.isArray(a))) {
        let merged: Record<string, EvalValue> = {};
        for (const a of args as Record<string, EvalValue>[]) merged = unionObjects(merged, a);
        charge(Object.keys(merged).length);
        return merged;
      }
      return err("union() takes arrays or objects, not a mix");
    }
    case "string":
      arity(1);
      return built(toStringValue(args[0]!), "string");
    case "int": {
      arity(1);
      const v = args[0]!;
      if (typeof v === "number") return Math.trunc(v);
      if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
      return err(`int() cannot convert ${describe(v)}`);
    }
    case "bool": {
      arity(1);
      const v = args[0]!;
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
      return err(`bool() cannot convert ${describe(v)}`);
    }
    case "json": {
      arity(1);
      try {
        return JSON.parse(built(str(args[0]!, "json"), "json")) as EvalValue;
      } catch {
        return err("json() argument is not valid JSON");
      }
    }
    case "first":
    case "last": {
      arity(1);
      const v = args[0]!;
      if (typeof v === "string" || Array.isArray(v)) {
        if (v.length === 0) return Array.isArray(v) ? null : "";
        return (name === "first" ? v[0] : v[v.length - 1]) as EvalValue;
      }
      return err(`${node.name}() expects a string or array, got ${describe(v)}`);
    }
    case "contains": {
      arity(2);
      const [c, item] = args as [EvalValue, EvalValue];
      if (typeof c === "string") return c.includes(toStringValue(item));
      if (Array.isArray(c)) return c.some((x) => deepEqual(x, item));
      if (c && typeof c === "object") return findKey(c as Record<string, EvalValue>, str(item, "contains")) !== undefined;
      return err(`contains() expects a string, array or object, got ${describe(c)}`);
    }
    case "split": {
      arity(2);
      const s = str(args[0]!, "split");
      const d = args[1]!;
      const delims = Array.isArray(d) ? d.map((x) => str(x, "split")) : [str(d, "split")];
      let parts = [s];
      for (const delim of delims) parts = builtArray(parts.flatMap((p) => p.split(delim)));
      return parts;
    }
    case "array":
      arity(1);
      return Array.isArray(args[0]) ? args[0]! : [args[0]!];
    case "range": {
      arity(2);
      const start = int(args[0]!, "range");
      const count = int(args[1]!, "range");
      if (count < 0 || count > 10000) err("range() count must be 0..10000");
      return builtArray(Array.from({ length: count }, (_, i) => start + i));
    }
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "mod": {
      arity(2);
      const a = int(args[0]!, node.name);
      const b = int(args[1]!, node.name);
      if ((name === "div" || name === "mod") && b === 0) err(`${node.name}() by zero`);
      return name === "add" ? a + b : name === "sub" ? a - b : name === "mul" ? a * b : name === "div" ? Math.trunc(a / b) : a % b;
    }
    case "copyindex": {
      arity(0, 2);
      let loop = "";
      let offset = 0;
      if (n === 1) {
        if (typeof args[0] === "string") loop = args[0];
        else offset = int(args[0]!, "copyIndex");
      } else if (n === 2) {
        loop = str(args[0]!, "copyIndex");
        offset = int(args[1]!, "copyIndex");
      }
      const indexes = ctx.copyIndexes ?? {};
      const key = loop === "" ? "" : Object.keys(indexes).find((k) => k.toLowerCase() === loop.toLowerCase());
      if (key === undefined || indexes[key] === undefined)
        err(loop ? `copyIndex('${loop}') is used outside the copy loop '${loop}'` : "copyIndex() is used outside a copy loop");
      return indexes[key]! + offset;
    }
    case "subscription": {
      arity(0);
      const sub = ctx.subscriptionId;
      const o: Record<string, EvalValue> = {
        id: sub === undefined ? unresolved("subscription().id depends on the target subscription") : `/subscriptions/${sub}`,
        subscriptionId: sub ?? unresolved("subscription().subscriptionId depends on the target subscription"),
        tenantId: ctx.tenantId ?? unresolved("subscription().tenantId depends on the target tenant"),
        displayName: unresolved("subscription().displayName is known only at deployment"),
      };
      return o;
    }
    case "tenant":
      arity(0);
      return {
        tenantId: ctx.tenantId ?? unresolved("tenant().tenantId depends on the target tenant"),
        countryCode: unresolved("tenant() details are known only at deployment"),
        displayName: unresolved("tenant() details are known only at deployment"),
      };
    case "resourcegroup": {
      arity(0);
      if (ctx.scopeLevel !== "resourceGroup") err("resourceGroup() is not available in a subscription or tenant deployment");
      const sub = ctx.subscriptionId;
      const rg = ctx.resourceGroup;
      return {
        name: rg ?? unresolved("resourceGroup().name depends on the target resource group"),
        id:
          sub !== undefined && rg !== undefined
            ? `/subscriptions/${sub}/resourceGroups/${rg}`
            : unresolved("resourceGroup().id depends on the deployment target"),
        location: unresolved("resourceGroup().location is known only at deployment"),
      };
    }
    case "deployment":
      arity(0);
      return {
        name: ctx.deploymentName ?? unresolved("deployment().name is chosen at deployment"),
        properties: unresolved("deployment().properties is known only at deployment"),
      };
    case "subscriptionresourceid": {
      // subscriptionResourceId([subscriptionId], resourceType, name1, ...)
      arity(2, Infinity);
      const strs = args.map((a) => str(a, "subscriptionResourceId"));
      const typeAt = strs.findIndex((s) => s.includes("/"));
      if (typeAt < 0 || typeAt > 1) err("subscriptionResourceId() needs a resource type such as 'Microsoft.X/y'");
      const { type, count } = typeSegments(strs[typeAt]!);
      const names = strs.slice(typeAt + 1);
      if (names.length !== count) err(`subscriptionResourceId() for '${type}' needs ${count} name(s), got ${names.length}`);
      const sub = typeAt === 1 ? strs[0]! : subscriptionOf(ctx, "subscriptionResourceId()");
      return `/subscriptions/${sub}/${resourcePath(type, names)}`;
    }
    case "tenantresourceid": {
      arity(2, Infinity);
      const strs = args.map((a) => str(a, "tenantResourceId"));
      const { type, count } = typeSegments(strs[0]!);
      if (strs.length - 1 !== count) err(`tenantResourceId() for '${type}' needs ${count} name(s), got ${strs.length - 1}`);
      return `/${resourcePath(type, strs.slice(1))}`;
    }
    case "resourceid": {
      // resourceId([subscriptionId], [resourceGroupName], resourceType, name1, ...)
      arity(2, Infinity);
      const strs = args.map((a) => str(a, "resourceId"));
      const typeAt = strs.findIndex((s) => s.includes("/"));
      if (typeAt < 0 || typeAt > 2) err("resourceId() needs a resource type such as 'Microsoft.X/y'");
      const { type, count } = typeSegments(strs[typeAt]!);
      const names = strs.slice(typeAt + 1);
      if (names.length !== count) err(`resourceId() for '${type}' needs ${count} name(s), got ${names.length}`);
      const path = resourcePath(type, names);
      let sub: string | undefined;
      let rg: string | undefined;
      if (typeAt === 2) {
        sub = strs[0];
        rg = strs[1];
      } else if (typeAt === 1) {
        rg = strs[0];
      }
      if (rg === undefined && ctx.scopeLevel === "resourceGroup") {
        if (ctx.resourceGroup === undefined) fail("resourceId() depends on the target resource group");
        rg = ctx.resourceGroup;
      }
      if (sub === undefined) {
        if (ctx.scopeLevel === "tenant" || ctx.scopeLevel === "managementGroup") {
          if (rg === undefined) return `/${path}`;
        }
        sub = subscriptionOf(ctx, "resourceId()");
      }
      return rg === undefined ? `/subscriptions/${sub}/${path}` : `/subscriptions/${sub}/resourceGroups/${rg}/${path}`;
    }
    case "extensionresourceid": {
      // extensionResourceId(baseResourceId, resourceType, name1, ...): the ID of an extension resource applied to the
      // resource (or resource group, subscription, management group) baseResourceId names. A string function of its
      // arguments alone, nothing of the deployment.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource#extensionresourceid
      arity(3, Infinity);
      const strs = args.map((a) => str(a, "extensionResourceId"));
      const base = strs[0]!.replace(/\/+$/, "");
      if (!strs[0]!.startsWith("/"))
        err(`extensionResourceId() needs the ID of the resource it extends (starting with '/'), got '${strs[0]}'`);
      const { type, count } = typeSegments(strs[1]!);
      const names = strs.slice(2);
      if (names.length !== count) err(`extensionResourceId() for '${type}' needs ${count} name(s), got ${names.length}`);
      return `${base}/${resourcePath(type, names)}`;
    }
    case "lambdavariables": {
      // The value a lambda variable has in the lambda being evaluated (nested lambdas see their outer ones' variables).
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda
      arity(1);
      const v = str(args[0]!, "lambdaVariables");
      const vars = ctx.lambdaVariables;
      if (vars === undefined) err(`lambdaVariables('${v}') is used outside a lambda`);
      const value = vars.get(v.toLowerCase());
      if (value === undefined) err(`lambdaVariables('${v}') is not a variable of the lambda it is in (${[...vars.keys()].join(", ")})`);
      return value;
    }
    case "tryget": {
      // tryGet(itemToTest, keyOrIndex, ...): what Bicep's safe dereference (`a.?b`, `a[?0]`) compiles to. A key
      // (object) or index (array) that is not there gives null, not an error; so does any step on null ("if a
      // evaluates to null, the result of a.?x is null"), and an index into an object. Bicep writes a chain `a.?b.c`
      // as one call with several keys, and `a[?^1]` as the index {value: 1, fromEnd: true}.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object#tryget
      // https://learn.microsoft.com/azure/azure-resource-manager/bicep/operator-safe-dereference
      arity(2, Infinity);
      let cur: EvalValue = args[0]!;
      for (const key of args.slice(1)) {
        if (cur === null) return null;
        cur = need(cur);
        if (Array.isArray(cur)) {
          const i = arrayIndex(key, cur.length, "tryGet");
          if (i === undefined) return null;
          cur = cur[i]!;
        } else if (typeof cur === "object") {
          if (typeof key !== "string") {
            arrayIndex(key, 0, "tryGet"); // an index of the right form; an object has no element there
            return null;
          }
          const k = findKey(cur as Record<string, EvalValue>, key);
          if (k === undefined) return null;
          cur = (cur as Record<string, EvalValue>)[k]!;
        } else {
          err(`tryGet() looks into an object or an array, not ${describe(cur)}`);
        }
      }
      return need(cur);
    }
    case "indexfromend":
    case "tryindexfromend": {
      // indexFromEnd(sourceArray, reverseIndex): the element reverseIndex from the end, one-based (Bicep's `a[^1]`);
      // tryIndexFromEnd gives null where indexFromEnd fails (`a[?^1]`).
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#indexfromend
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array#tryindexfromend
      arity(2);
      const a = args[0]!;
      if (!Array.isArray(a)) err(`${node.name}() expects an array, got ${describe(a)}`);
      const k = int(args[1]!, node.name);
      if (k < 1 || k > a.length) return name === "tryindexfromend" ? null : err(`${node.name}(): index ${k} from the end is out of range (length ${a.length})`);
      return need(a[a.length - k]!);
    }
    case "items":
    case "objectkeys": {
      // items(object): [{key, value}] for every member; objectKeys(object): the keys. Both in alphabetical order of
      // the keys ("the Bicep items() function sorts the objects in the alphabetical order"; Bicep: "Elements are
      // consistently ordered alphabetically"), case-insensitively, as ARM orders 'abcKey' before 'ABCKey' before
      // 'defKey' (Bicep's EvaluationTests, run on the ARM engine). Keys equal but for case keep their order.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object#items
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object#objectkeys
      arity(1);
      const o = args[0]!;
      if (o === null || typeof o !== "object" || Array.isArray(o)) err(`${node.name}() expects an object, got ${describe(o)}`);
      const keys = builtArray(alphabetical(Object.keys(o)));
      return name === "objectkeys" ? keys : keys.map((k) => ({ key: k, value: (o as Record<string, EvalValue>)[k]! }));
    }
    case "shallowmerge": {
      // shallowMerge(inputArray): the objects' members in one object, a later object's member replacing an earlier
      // one's whole (nested objects are not merged). Keys that differ only in case: how ARM merges them is not
      // documented, so such a merge is not evaluated.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object#shallowmerge
      arity(1);
      const list = args[0]!;
      if (!Array.isArray(list)) err(`shallowMerge() expects an array of objects, got ${describe(list)}`);
      const out: Record<string, EvalValue> = {};
      const seen = new Map<string, string>();
      list.forEach((item, i) => {
        const o = need(item);
        if (o === null || typeof o !== "object" || Array.isArray(o)) err(`shallowMerge() expects an array of objects, got ${describe(o)} at index ${i}`);
        const keys = Object.keys(o);
        charge(keys.length);
        for (const k of keys) {
          const prev = seen.get(k.toLowerCase());
          if (prev !== undefined && prev !== k) fail(`shallowMerge() merges the keys '${prev}' and '${k}', which differ only in case`);
        }
        for (const k of keys) {
          seen.set(k.toLowerCase(), k);
          setMember(out, k, (o as Record<string, EvalValue>)[k]!);
        }
      });
      return out;
    }
    case "flatten": {
      // flatten(arrayToFlatten): the subarrays' elements in order, flattened once (not recursively). Not on the ARM
      // array functions page; Bicep's flatten() compiles to it and its tests evaluate it on the ARM engine.
      // https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-array#flatten
      arity(1);
      const list = args[0]!;
      if (!Array.isArray(list)) err(`flatten() expects an array of arrays, got ${describe(list)}`);
      const out: EvalValue[] = [];
      list.forEach((item, i) => {
        const sub = need(item);
        if (!Array.isArray(sub)) err(`flatten() expects an array of arrays, got ${describe(sub)} at index ${i}`);
        charge(sub.length);
        for (const x of sub) out.push(x);
      });
      return out;
    }
    case "join": {
      // join(inputArray, delimiter): the strings of the array, separated by delimiter.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string#join
      arity(2);
      const list = args[0]!;
      if (!Array.isArray(list)) err(`join() expects an array of strings, got ${describe(list)}`);
      const parts = list.map((item, i) => {
        const x = need(item);
        return typeof x === "string" ? x : err(`join() expects an array of strings, got ${describe(x)} at index ${i}`);
      });
      return joinWithin(parts, str(args[1]!, "join"), "join");
    }
    case "uniquestring":
      // ARM's uniqueString() hash is not published; it is not reproduced here rather than guessed.
      return fail("uniqueString() uses an unpublished hash and is not evaluated before deployment");
    default: {
      const fn = name.includes(".") ? ctx.userFunction?.(node.name) : undefined;
      if (fn) return callUserFunction(fn, node.name, args, ctx);
      return fail(`unsupported template function '${node.name}'`);
    }
  }
}
