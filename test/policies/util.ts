/**
 * Test helpers in the style of pulumi/pulumi-policy-aws `src/tests/util.ts`: build the args a policy receives,
 * run it, and read the test as "given these inputs, expect this violation".
 *
 * The props go through @pulumi/policy's own `unknownCheckingProxy` (the wrapper the analyzer server applies,
 * server.js), and preview unknowns are its own sentinels, so the policies meet what they meet under the CLI.
 */
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { policies } from "../../policies/policies";

// The policies read PARTNERLINK_CONFIG as their default config file: the tests give config explicitly.
delete process.env.PARTNERLINK_CONFIG;

// @pulumi/policy's .d.ts strips its @internal exports; these are the runtime ones server.js uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy: <T>(o: T) => T;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
};

/** What Pulumi puts where a string is unknown at preview. */
export const UNKNOWN = proxy.unknownStringValue;
export const UNKNOWN_ARRAY = proxy.unknownArrayValue;
export const UNKNOWN_OBJECT = proxy.unknownObjectValue;

export const TENANT = "99999999-9999-4999-8999-999999999999";
export const OTHER_TENANT = "88888888-8888-4888-8888-888888888888";
export const PEC = "11111111-1111-4111-8111-111111111111";
export const OTHER = "22222222-2222-4222-8222-222222222222";
export const APPROVER = "33333333-3333-4333-8333-333333333333";
export const SUB = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
export const SUB2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
export const DEF_GUID = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";
export const ASSIGN_GUID = "dddddddd-dddd-4ddd-8ddd-dddddddddddd";
export const PARTNER_ID = "1234567";

export const ROLES = {
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  userAccessAdministrator: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
} as const;

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface ResourceArgsOptions {
  name?: string;
  /** What `getConfig()` returns: the policy's config from --policy-pack-config (default: none, `{}`). */
  config?: Record<string, unknown> | unknown;
}

/** The `args` of `validateResource` for one resource of `type` with inputs `props`. */
export function createResourceValidationArgs(
  type: string,
  props: Record<string, unknown>,
  opts: ResourceArgsOptions = {},
): ResourceValidationArgs {
  const name = opts.name ?? "res";
  const proxied = proxy.unknownCheckingProxy(props);
  return {
    type,
    props: proxied,
    urn: urnOf(type, name),
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => ((opts.config ?? {}) as T),
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "not applicable");
    },
  } as unknown as ResourceValidationArgs;
}

export interface StackResourceSpec {
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Names of resources (in the same list) this one depends on. */
  dependsOn?: string[];
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::partnerlink-test::${type}::${name}`;
}

/** The `args` of `validateStack` for the given resources. */
export function createStackValidationArgs(resources: StackResourceSpec[], config?: unknown): StackValidationArgs {
  const built: PolicyResource[] = resources.map(
    (r) =>
      ({
        type: r.type,
        name: r.name,
        urn: urnOf(r.type, r.name),
        props: proxy.unknownCheckingProxy(r.props),
        opts: {},
        dependencies: [],
        propertyDependencies: {},
        isType: () => false,
        asType: () => undefined,
      }) as unknown as PolicyResource,
  );
  const byName = new Map(built.map((b) => [b.name, b]));
  resources.forEach((r, i) => {
    built[i].dependencies = (r.dependsOn ?? []).map((n) => {
      const d = byName.get(n);
      if (!d) throw new Error(`test setup: unknown dependency ${n}`);
      return d;
    });
  });
  return {
    resources: built,
    getConfig: <T extends object>() => ((config ?? {}) as T),
    stackTags: new Map(),
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "not applicable");
    },
  } as unknown as StackValidationArgs;
}

export interface Violation {
  message: string;
  urn?: string;
}

export interface PolicyRun {
  violations: Violation[];
  /** The reason given to `args.notApplicable()`, when the policy called it. */
  notApplicable?: string;
}

/** The pack's policy by name (fails the test when the pack has none by that name). */
export function policy(name: string): ResourceValidationPolicy & StackValidationPolicy {
  const p = policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy named ${name}`);
  return p as ResourceValidationPolicy & StackValidationPolicy;
}

export async function runResourcePolicy(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<PolicyRun> {
  const violations: Violation[] = [];
  const v = p.validateResource;
  if (!v) throw new Error(`${p.name} is not a resource policy`);
  try {
    for (const f of Array.isArray(v) ? v : [v]) await f(args, (message, urn) => violations.push(urn ? { message, urn } : { message }));
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason };
    throw e;
  }
  return { violations };
}

export async function runStackPolicy(p: StackValidationPolicy, args: StackValidationArgs): Promise<PolicyRun> {
  const violations: Violation[] = [];
  if (!p.validateStack) throw new Error(`${p.name} is not a stack policy`);
  try {
    await p.validateStack(args, (message, urn) => violations.push(urn ? { message, urn } : { message }));
  } catch (e) {
    if (e instanceof NotApplicable) return { violations, notApplicable: e.reason };
    throw e;
  }
  return { violations };
}

function matches(v: Violation, expected: string | RegExp): boolean {
  return typeof expected === "string" ? v.message.includes(expected) : expected.test(v.message);
}

/** Fails unless the policy reports a violation whose message contains (or matches) `expected`. */
export async function assertHasResourceViolation(
  p: ResourceValidationPolicy,
  args: ResourceValidationArgs,
  expected: string | RegExp,
): Promise<Violation[]> {
  const run = await runResourcePolicy(p, args);
  if (run.notApplicable !== undefined) throw new Error(`${p.name}: expected a violation, the policy said not applicable: ${run.notApplicable}`);
  if (!run.violations.some((v) => matches(v, expected))) {
    throw new Error(`${p.name}: expected a violation matching ${String(expected)}, got ${JSON.stringify(run.violations.map((v) => v.message))}`);
  }
  return run.violations;
}

/** Fails when the policy reports any violation (not applicable counts as no violation). */
export async function assertNoResourceViolations(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<PolicyRun> {
  const run = await runResourcePolicy(p, args);
  if (run.violations.length > 0) throw new Error(`${p.name}: expected no violation, got ${JSON.stringify(run.violations.map((v) => v.message))}`);
  return run;
}

/** Fails unless the policy reports a stack violation matching `expected` (and, when given, on the resource `onName`). */
export async function assertHasStackViolation(
  p: StackValidationPolicy,
  args: StackValidationArgs,
  expected: string | RegExp,
  onUrn?: string,
): Promise<Violation[]> {
  const run = await runStackPolicy(p, args);
  if (run.notApplicable !== undefined) throw new Error(`${p.name}: expected a violation, the policy said not applicable: ${run.notApplicable}`);
  const hit = run.violations.find((v) => matches(v, expected));
  if (!hit) throw new Error(`${p.name}: expected a violation matching ${String(expected)}, got ${JSON.stringify(run.violations.map((v) => v.message))}`);
  if (onUrn !== undefined && hit.urn !== onUrn) throw new Error(`${p.name}: violation reported on ${String(hit.urn)}, expected ${onUrn}`);
  return run.violations;
}

export async function assertNoStackViolations(p: StackValidationPolicy, args: StackValidationArgs): Promise<PolicyRun> {
  const run = await runStackPolicy(p, args);
  if (run.violations.length > 0) throw new Error(`${p.name}: expected no violation, got ${JSON.stringify(run.violations.map((v) => v.message))}`);
  return run;
}
