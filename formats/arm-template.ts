/**
 * ARM deployment templates (+ parameters files) -> Estate.
 *
 * Reads Microsoft.ManagedServices/registrationDefinitions and registrationAssignments (joined into Delegations
 * through the assignment's `registrationDefinitionId`), Microsoft.ManagementPartner/partners (Partner Admin Link),
 * copy loops on resources and properties, and nested Microsoft.Resources/deployments with inline templates
 * (outer or inner expression scope, resourceGroup/subscriptionId targets), as in the public Lighthouse
 * onboarding samples (github.com/Azure/Azure-Lighthouse-samples, templates/).
 * Template structure: https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax
 * Nested templates and expression scope:
 * https://learn.microsoft.com/azure/azure-resource-manager/templates/linked-templates#expression-evaluation-scope-in-nested-templates
 */
import type { Waiver } from "../rules/config-types";
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
  type Val,
} from "../rules/model";
import {
  evaluateExpression,
  evaluateValue,
  isExpression,
  literalString,
  parseExpression,
  type EvalContext,
  type EvalValue,
  type SecureTracker,
  type UserFunction,
} from "./arm-expressions";
import { agreementOfBillingScope } from "./billing-scope";
import type { FileEstate } from "./file-estate";
import { parseGuid } from "../rules/identifiers";
import { TARGET_SUBSCRIPTION_KEY } from "./arm-metadata";
import { InputError } from "./input-error";
import { addSensitiveStrings } from "./terraform-sensitive";
import { definitionInSubscription, definitionsByGuid } from "../rules/definition-join";
import { childPath, valueAtPointer } from "../rules/json-path";
import { repeatedValue } from "../rules/recent-strings";

export interface ArmParametersInput {
  file: string;
  /** The parsed parameters file (validated against formats/schemas/arm-parameters.schema.json). */
  document: { parameters?: Record<string, { value?: unknown; reference?: unknown }> };
}

export interface ArmAdaptOptions {
  file: string;
  parameters?: ArmParametersInput;
  /** Target subscription of the deployment, when the caller knows it. */
  subscriptionId?: string;
  tenantId?: string;
  /** Target resource group (resource-group deployments). */
  resourceGroup?: string;
}

type Scope = EvalContext["scopeLevel"];

/** Where a parameter's value came from, to point findings at the parameters file when it was there. */
interface ParamOrigin {
  file: string;
  path: string;
}

/** A parameter's given value; `secure` when a parent deployment built it from a secure value. */
interface ParamValue {
  value: EvalValue;
  origin?: ParamOrigin;
  secure?: boolean;
}

interface TemplateScope {
  ctx: EvalContext;
  /** Origins of parameter values by lower-case name. */
  paramOrigins: Map<string, ParamOrigin>;
  file: string;
}

interface DefinitionRecord {
  delegation: Delegation;
  /** Lower-case definition GUID (the resource name) when known. */
  key?: string;
}

interface AssignmentRecord {
  name: string;
  source: SourceLocation;
  scope: Val<string>;
  assignmentId?: Val<string>;
  /** Lower-case GUID of the definition it points at, when it can be read. */
  definitionKey?: string;
  /** Why the definition it points at cannot be read before deployment (no definitionKey). */
  definitionUnknown?: string;
  definitionExpression: Val<string>;
}

const DEF_TYPE = "microsoft.managedservices/registrationdefinitions";
const ASG_TYPE = "microsoft.managedservices/registrationassignments";
const PAL_TYPE = "microsoft.managementpartner/partners";
const DEPLOYMENT_TYPE = "microsoft.resources/deployments";
/** A subscription the template creates or names (https://learn.microsoft.com/azure/templates/microsoft.subscription/aliases). */
const ALIAS_TYPE = "microsoft.subscription/aliases";

/** A stand-in subscription used only to read which definition an assignment points at (never reported). */
const JOIN_SUBSCRIPTION = "00000000-0000-0000-0000-00000000join";
/** The same for a resource group-level template: resourceId() then needs the target resource group. */
const JOIN_RESOURCE_GROUP = "partnerlink-join";

const TARGET_SUBSCRIPTION_PATH = childPath("$.metadata", TARGET_SUBSCRIPTION_KEY);

/**
 * The subscription a template says it is made for (`metadata["partnerlink:subscriptionId"]`, formats/arm-metadata.ts),
 * lower case; undefined when it says none. Anything but a subscription GUID on a subscription- or resource group-level
 * template is an input error naming the property and the fix.
 */
function declaredSubscription(template: Record<string, unknown>, file: string, level: Scope): string | undefined {
  const md = template.metadata;
  if (!isObject(md) || !(TARGET_SUBSCRIPTION_KEY in md)) return undefined;
  const v = md[TARGET_SUBSCRIPTION_KEY];
  if (level !== "subscription" && level !== "resourceGroup") {
    throw new InputError(file, `a ${level}-level template is not deployed to a subscription; remove "${TARGET_SUBSCRIPTION_KEY}" from its metadata`, TARGET_SUBSCRIPTION_PATH);
  }
  const sub = parseGuid(v);
  if (sub === undefined) {
    throw new InputError(
      file,
      `"${TARGET_SUBSCRIPTION_KEY}" must be the GUID of the subscription the template is deployed to (it names where the template is meant to go; ARM itself ignores metadata). Fix: write that subscription's ID, or remove the key to check the template for any subscription`,
      TARGET_SUBSCRIPTION_PATH,
    );
  }
  return sub;
}

/** Scope level of a template from its `$schema`. */
export function templateScopeLevel(schema: unknown): Scope {
  const s = typeof schema === "string" ? schema.toLowerCase() : "";
  if (s.includes("subscriptiondeploymenttemplate")) return "subscription";
  if (s.includes("managementgroupdeploymenttemplate")) return "managementGroup";
  if (s.includes("tenantdeploymenttemplate")) return "tenant";
  return "resourceGroup";
}

export function adaptArmTemplate(template: Record<string, unknown>, options: ArmAdaptOptions): FileEstate {
  const adapter = new ArmAdapter(options);
  return adapter.run(template);
}

class ArmAdapter {
  private readonly estate: Estate = emptyEstate();
  private readonly waivers: Waiver[] = [];
  private readonly notices: string[] = [];
  private readonly definitions: DefinitionRecord[] = [];
  private readonly assignments: AssignmentRecord[] = [];
  private readonly usedNames = new Map<string, number>();
  /** Values of `secureString` / `secureObject` parameters: findings never print them (rules/sensitive.ts). */
  private readonly sensitive = new Set<string>();
  /** Marks what expressions build from a secure value sensitive too (formats/arm-expressions.ts). */
  private readonly secure: SecureTracker = { reached: false, add: (v) => addSensitiveStrings(v, this.sensitive, MIN_DERIVED_SECRET) };

  constructor(private readonly options: ArmAdaptOptions) {}

  run(template: Record<string, unknown>): FileEstate {
    const file = this.options.file;
    const level = templateScopeLevel(template.$schema);
    // The caller's subscription (the deployment's target, `check --subscription`), else the one the template says it
    // is made for (formats/arm-metadata.ts); both given, they must agree: a template made for one subscription
    // deployed to another is a mistake the check is there to catch.
    const declared = declaredSubscription(template, file, level);
    const given = this.options.subscriptionId;
    if (declared !== undefined && given !== undefined && parseGuid(given) !== declared)
      throw new InputError(
        file,
        `the template is made for subscription ${declared} ("${TARGET_SUBSCRIPTION_KEY}" in its metadata), but the check was given subscription ${given} as the deployment's target (--subscription). Fix: check it for the subscription it is made for, or correct the metadata if the template is meant for ${given}`,
        TARGET_SUBSCRIPTION_PATH,
      );
    const subscriptionId = given ?? declared;
    const scope = this.makeScope(template, {
      file,
      level,
      subscriptionId,
      resourceGroup: this.options.resourceGroup,
      parameterValues: this.parameterValuesFromFile(template),
      pathPrefix: "$",
    });
    // The scope a top-level resource is deployed at is the deployment command's; in the file, the `$schema` says which
    // level, and the metadata key, when present, which subscription.
    const targetPath = declared !== undefined ? TARGET_SUBSCRIPTION_PATH : template.$schema !== undefined ? "$.$schema" : undefined;
    const target = makeTarget(level, subscriptionId, this.options.resourceGroup, targetPath);
    this.walkResources(template.resources, scope, "$.resources", target);
    this.join();
    if (this.sensitive.size > 0) this.estate.sensitiveValues = this.sensitive;
    return { estate: this.estate, inlineWaivers: this.waivers, notices: this.notices };
  }

  /** Values from the parameters file: name -> {value, origin}. */
  private parameterValuesFromFile(template: Record<string, unknown>): Map<string, ParamValue> {
    const out = new Map<string, ParamValue>();
    const p = this.options.parameters;
    if (!p) return out;
    const declared = isObject(template.parameters) ? Object.keys(template.parameters).map((k) => k.toLowerCase()) : [];
    for (const [name, entry] of Object.entries(p.document.parameters ?? {})) {
      const path = childPath("$.parameters", name);
      if (!declared.includes(name.toLowerCase()))
        throw new InputError(
          p.file,
          `parameter '${name}' is not declared in the template ${this.options.file}; remove it or pair the file with the right template`,
          path,
        );
      if (entry.reference !== undefined) {
        out.set(name.toLowerCase(), {
          value: unresolved(`parameter '${name}' is a Key Vault reference, read at deployment`),
          origin: { file: p.file, path },
        });
      } else {
        out.set(name.toLowerCase(), { value: entry.value as EvalValue, origin: { file: p.file, path: childPath(path, "value") } });
      }
    }
    return out;
  }

  private makeScope(
    template: Record<string, unknown>,
    o: {
      file: string;
      level: Scope;
      subscriptionId?: string;
      resourceGroup?: string;
      parameterValues: Map<string, ParamValue>;
      pathPrefix: string;
    },
  ): TemplateScope {
    const declared = isObject(template.parameters) ? (template.parameters as Record<string, unknown>) : {};
    const variables = isObject(template.variables) ? (template.variables as Record<string, unknown>) : {};
    const paramCache = new Map<string, EvalValue>();
    const varCache = new Map<string, EvalValue>();
    /** Parameters and variables whose values are, or are built from, secure values. */
    const secureNames = new Set<string>();
    const inProgress = new Set<string>();
    const paramOrigins = new Map<string, ParamOrigin>();
    const declaredByLower = new Map(Object.keys(declared).map((k) => [k.toLowerCase(), k]));
    const varsByLower = new Map(Object.keys(variables).map((k) => [k.toLowerCase(), k]));
    const ctx: EvalContext = {
      scopeLevel: o.level,
      subscriptionId: o.subscriptionId,
      resourceGroup: o.resourceGroup,
      tenantId: this.options.tenantId,
      userFunction: userFunctionsOf(template),
      secure: this.secure,
      parameter: (name) => {
        const lower = name.toLowerCase();
        const hit = paramCache.get(lower);
        if (hit !== undefined) {
          if (secureNames.has(`p:${lower}`)) this.secure.reached = true;
          return hit;
        }
        const realName = declaredByLower.get(lower);
        if (realName === undefined)
          return unresolved(`parameter '${name}' is not declared in the template`, `[parameters('${name}')]`);
        const decl = declared[realName] as Record<string, unknown>;
        const type = declaredType(decl, template);
        const nullable = decl.nullable === true;
        const given = o.parameterValues.get(lower);
        let value: EvalValue;
        if (given !== undefined) {
          value = given.value;
          if (given.origin) paramOrigins.set(lower, given.origin);
          if (!(nullable && value === null))
            checkParameterType(realName, type, value, given.origin ?? { file: o.file, path: childPath(`${o.pathPrefix}.parameters`, realName) });
        } else if (decl.defaultValue !== undefined) {
          if (inProgress.has(`p:${lower}`)) return unresolved(`parameter '${name}' refers to itself`);
          inProgress.add(`p:${lower}`);
          value = evaluateValue(decl.defaultValue, ctx);
          inProgress.delete(`p:${lower}`);
          paramOrigins.set(lower, { file: o.file, path: childPath(childPath(`${o.pathPrefix}.parameters`, realName), "defaultValue") });
        } else if (nullable) {
          // languageVersion 2.0 (Bicep's `param x type?`): a nullable parameter left out is null.
          value = null;
        } else {
          value = unresolved(
            `required parameter '${realName}' has no value: give it in a parameters file or a defaultValue`,
            `[parameters('${realName}')]`,
          );
        }
        // A secure parameter (a password, a key, or an ID someone chose to keep out of logs) is evaluated like any
        // other but never printed: ARM itself never shows or logs its value.
        // A value a parent deployment built from a secure one is hidden the same way.
        if (isSecureType(type) || given?.secure) {
          addSensitiveStrings(value, this.sensitive);
          secureNames.add(`p:${lower}`);
          this.secure.reached = true;
        }
        paramCache.set(lower, value);
        return value;
      },
      variable: (name) => {
        const lower = name.toLowerCase();
        const hit = varCache.get(lower);
        if (hit !== undefined) {
          if (secureNames.has(`v:${lower}`)) this.secure.reached = true;
          return hit;
        }
        const realName = varsByLower.get(lower);
        if (realName === undefined) {
          if (lower === "copy" || !varsByLower.has("copy"))
            return unresolved(`variable '${name}' is not declared in the template`, `[variables('${name}')]`);
        }
        if (inProgress.has(`v:${lower}`)) return unresolved(`variable '${name}' refers to itself`, `[variables('${name}')]`);
        inProgress.add(`v:${lower}`);
        const { value, secure } = this.readsSecure(() =>
          realName === undefined ? this.copyVariable(variables.copy, name, ctx) : this.evaluateWithPropertyCopy(variables[realName], ctx),
        );
        if (secure) secureNames.add(`v:${lower}`);
        inProgress.delete(`v:${lower}`);
        varCache.set(lower, value);
        return value;
      },
    };
    return { ctx, paramOrigins, file: o.file };
  }

  /** `fn`'s value, and whether it read a secure value; the expression around it still learns that it did. */
  private readsSecure(fn: () => EvalValue): { value: EvalValue; secure: boolean } {
    const outer = this.secure.reached;
    this.secure.reached = false;
    try {
      const value = fn();
      return { value, secure: this.secure.reached };
    } finally {
      this.secure.reached ||= outer;
    }
  }

  /** `variables.copy: [{name, count, input}]` */
  private copyVariable(copy: unknown, name: string, ctx: EvalContext): EvalValue {
    if (!Array.isArray(copy)) return unresolved(`variable '${name}' is not declared in the template`);
    const spec = copy.find((c) => isObject(c) && typeof c.name === "string" && c.name.toLowerCase() === name.toLowerCase());
    if (!spec) return unresolved(`variable '${name}' is not declared in the template`);
    return this.expandCopy(spec as Record<string, unknown>, ctx);
  }

  private expandCopy(spec: Record<string, unknown>, ctx: EvalContext): EvalValue {
    const count = evaluateValue(spec.count, ctx);
    if (isUnresolved(count)) return count;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > 800)
      return unresolved(`copy '${String(spec.name)}' count must be an integer 0..800`);
    const loop = String(spec.name);
    const out: EvalValue[] = [];
    for (let i = 0; i < count; i++) {
      const inner: EvalContext = { ...ctx, copyIndexes: { ...(ctx.copyIndexes ?? {}), [loop]: i } };
      out.push(this.evaluateWithPropertyCopy(spec.input, inner));
    }
    return out;
  }

  /** evaluateValue plus property copy loops (`"copy": [{name, count, input}]` inside an object). */
  private evaluateWithPropertyCopy(value: unknown, ctx: EvalContext): EvalValue {
    if (isObject(value) && Array.isArray(value.copy) && value.copy.every((c) => isObject(c) && "input" in c)) {
      const out: Record<string, EvalValue> = {};
      for (const [k, v] of Object.entries(value)) if (k !== "copy") out[k] = this.evaluateWithPropertyCopy(v, ctx);
      for (const spec of value.copy as Record<string, unknown>[]) out[String(spec.name)] = this.expandCopy(spec, ctx);
      return out;
    }
    if (isObject(value)) {
      const out: Record<string, EvalValue> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.evaluateWithPropertyCopy(v, ctx);
      return out;
    }
    if (Array.isArray(value)) return value.map((v) => this.evaluateWithPropertyCopy(v, ctx));
    return evaluateValue(value, ctx);
  }

  private walkResources(resources: unknown, scope: TemplateScope, path: string, target: DeploymentTarget): void {
    // languageVersion 2.0 templates use an object of symbolic names instead of an array.
    const entries: [string | number, unknown][] = Array.isArray(resources)
      ? resources.map((r, i) => [i, r])
      : isObject(resources)
        ? Object.entries(resources)
        : [];
    for (const [key, res] of entries) {
      if (!isObject(res)) continue;
      // `"existing": true` (languageVersion 2.0; Bicep's `resource x '...' existing = {...}`) names a resource that is
      // already there, to read it: nothing is deployed and it has no properties here. Not a delegation to judge.
      // https://learn.microsoft.com/azure/azure-resource-manager/templates/resource-declaration#use-symbolic-name
      if (res.existing === true) continue;
      const resPath = childPath(path, key);
      const copy = isObject(res.copy) ? (res.copy as Record<string, unknown>) : undefined;
      if (copy) {
        const count = evaluateValue(copy.count, scope.ctx);
        if (isUnresolved(count) || typeof count !== "number" || !Number.isInteger(count) || count < 0) {
          this.notices.push(
            `${scope.file} ${resPath}: the copy count of '${String(res.name)}' cannot be evaluated (${isUnresolved(count) ? count.reason : "not an integer"}); its resources are not checked`,
          );
          continue;
        }
        const loop = typeof copy.name === "string" ? copy.name : "";
        for (let i = 0; i < count; i++) {
          const ctx: EvalContext = { ...scope.ctx, copyIndexes: { ...(scope.ctx.copyIndexes ?? {}), "": i, [loop]: i } };
          this.resource(res, { ...scope, ctx }, resPath, target, i);
        }
      } else {
        this.resource(res, scope, resPath, target);
      }
    }
  }

  private resource(
    res: Record<string, unknown>,
    scope: TemplateScope,
    path: string,
    target: DeploymentTarget,
    copyIndex?: number,
  ): void {
    const ctx = scope.ctx;
    if (res.condition !== undefined) {
      const cond = evaluateValue(res.condition, ctx);
      if (cond === false) return;
      if (isUnresolved(cond))
        this.notices.push(`${scope.file} ${path}: the condition of '${String(res.name)}' cannot be evaluated; it is checked as if deployed`);
    }
    const type = typeof res.type === "string" ? res.type.toLowerCase().replace(/\/+$/, "") : "";
    const rawName = typeof res.name === "string" ? res.name : "";
    const nameVal = evaluateValue(res.name, ctx);
    if (type === DEPLOYMENT_TYPE) return this.nestedDeployment(res, scope, path, target, nameVal, copyIndex);
    if (type !== DEF_TYPE && type !== ASG_TYPE && type !== PAL_TYPE && type !== ALIAS_TYPE) return;
    const props = isObject(res.properties) ? this.evaluateWithPropertyCopy(res.properties, ctx) : {};
    const propsPath = childPath(path, "properties");
    if (!isObject(props)) throw new InputError(scope.file, "properties must be an object", propsPath);
    const displayName = typeof nameVal === "string" ? nameVal : rawName;

    if (type === ALIAS_TYPE) {
      const name = this.uniqueName(`aliases/${displayName}`, target, copyIndex);
      this.estate.subscriptions.push({
        name,
        source: { file: scope.file, path: propsPath, resource: name },
        subscriptionId:
          str(props.subscriptionId, scope.file, childPath(propsPath, "subscriptionId")) ??
          unresolved(`the ID of subscription alias '${displayName}' is known only after deployment`),
        agreement: agreementOfBillingScope(props.billingScope),
      });
      this.inlineWaivers(res, scope.file, path, name);
      return;
    }

    if (type === PAL_TYPE) {
      const name = this.uniqueName(`partners/${displayName}`, target, copyIndex);
      const link = {
        name,
        // The linked identity is whoever deploys it: no property in the file, so findings on it point at the resource.
        source: { file: scope.file, path, resource: name, properties: { objectId: "" } },
        partnerId: str(props.partnerId ?? nameVal, scope.file, childPath(path, props.partnerId !== undefined ? "properties.partnerId" : "name")) ?? unresolved("partner ID missing"),
      };
      this.estate.partnerLinks.push(link);
      this.inlineWaivers(res, scope.file, path, name);
      return;
    }

    if (type === DEF_TYPE) {
      const offer = props.registrationDefinitionName;
      const base = typeof offer === "string" && offer !== "" ? offer : `registrationDefinitions/${displayName}`;
      const name = this.uniqueName(base, target, copyIndex);
      // Rules append model property names (managedByTenantId, authorizations) to the source path: point it at `properties`.
      // The definition's ID is its resource `name`, beside `properties`: an absolute path (rules/checks/paths.ts).
      // Its scope is the deployment's: the property that sets the target (scopeAt), beside or above the resource.
      const source: SourceLocation = { file: scope.file, path: propsPath, resource: name, properties: { definitionId: childPath(path, "name"), definitionScope: scopeAt(target, path) } };
      const delegation: Delegation = {
        name,
        source,
        managedByTenantId:
          repeatedValue("tenant", str(props.managedByTenantId, scope.file, childPath(propsPath, "managedByTenantId"))) ??
          unresolved(`registration definition '${name}' has no managedByTenantId`),
        registrationDefinitionName: str(offer, scope.file, childPath(propsPath, "registrationDefinitionName")),
        description: repeatedValue("text", str(props.description, scope.file, childPath(propsPath, "description"))),
        definitionId: typeof nameVal === "string" ? nameVal : isUnresolved(nameVal) ? nameVal : undefined,
        definitionScope: target.scope,
        ...(isUnresolved(target.scope) && target.level !== "subscription" ? { definitionScopeLevel: target.level } : {}),
        assignments: [],
        authorizations: this.authorizations(res, props.authorizations, scope, childPath(propsPath, "authorizations"), name, false),
        eligibleAuthorizations: this.authorizations(
          res,
          props.eligibleAuthorizations,
          scope,
          childPath(propsPath, "eligibleAuthorizations"),
          name,
          true,
        ) as EligibleAuthorization[],
      };
      this.estate.delegations.push(delegation);
      this.definitions.push({ delegation, key: typeof nameVal === "string" ? nameVal.toLowerCase() : undefined });
      this.inlineWaivers(res, scope.file, path, name);
      return;
    }

    // registrationAssignments
    const defIdPath = childPath(propsPath, "registrationDefinitionId");
    const defId = props.registrationDefinitionId;
    let definitionKey: string | undefined;
    let definitionUnknown: string | undefined;
    if (typeof defId === "string") definitionKey = lastSegment(defId);
    else {
      // Read which definition it points at even when the subscription is not known (the ID's last segment).
      const raw = isObject(res.properties) ? (res.properties as Record<string, unknown>).registrationDefinitionId : undefined;
      if (typeof raw === "string" && isExpression(raw)) {
        const joined = evaluateExpression(raw, {
          ...ctx,
          subscriptionId: ctx.subscriptionId ?? JOIN_SUBSCRIPTION,
          ...(ctx.scopeLevel === "resourceGroup" ? { resourceGroup: ctx.resourceGroup ?? JOIN_RESOURCE_GROUP } : {}),
        });
        if (typeof joined === "string") definitionKey = lastSegment(joined);
        else if (isUnresolved(joined)) definitionUnknown = joined.reason;
      }
      if (definitionKey === undefined && definitionUnknown === undefined && isUnresolved(defId)) definitionUnknown = defId.reason;
    }
    const name = this.uniqueName(`registrationAssignments/${displayName}`, target, copyIndex);
    this.assignments.push({
      name,
      // The assignment's ID is its resource `name`.
      source: { file: scope.file, path, resource: name, properties: { assignmentId: "name", scope: scopeAt(target, path) } },
      scope: target.scope,
      assignmentId: typeof nameVal === "string" || isUnresolved(nameVal) ? nameVal : undefined,
      definitionKey,
      ...(definitionUnknown !== undefined ? { definitionUnknown } : {}),
      definitionExpression:
        str(defId, scope.file, defIdPath) ?? unresolved(`registration assignment '${name}' has no registrationDefinitionId`),
    });
    this.inlineWaivers(res, scope.file, path, name);
  }

  private nestedDeployment(
    res: Record<string, unknown>,
    scope: TemplateScope,
    path: string,
    target: DeploymentTarget,
    nameVal: EvalValue,
    copyIndex: number | undefined,
  ): void {
    const props = isObject(res.properties) ? (res.properties as Record<string, unknown>) : {};
    const name = typeof nameVal === "string" ? nameVal : String(res.name);
    if (props.templateLink !== undefined && props.template === undefined) {
      this.notices.push(`${scope.file} ${path}: nested deployment '${name}' uses a linked template, which is not followed; check that template directly`);
      return;
    }
    const inner = props.template;
    if (!isObject(inner)) return;
    // Target of the nested deployment.
    let sub: Val<string> | undefined = target.subscriptionId;
    let rg: Val<string> | undefined = target.resourceGroup;
    let level: Scope = target.level;
    if (res.subscriptionId !== undefined) {
      const v = evaluateValue(res.subscriptionId, scope.ctx);
      sub = typeof v === "string" || isUnresolved(v) ? v : undefined;
      level = "subscription";
      rg = undefined;
    }
    if (res.resourceGroup !== undefined) {
      const v = evaluateValue(res.resourceGroup, scope.ctx);
      rg = typeof v === "string" || isUnresolved(v) ? v : undefined;
      level = "resourceGroup";
    }
    if (typeof res.scope === "string" && literalString(res.scope) === "/") level = "tenant";
    // Where this deployment sets its target: its resourceGroup, subscriptionId or scope; else where its parent's was set.
    const setBy = level === "tenant" && typeof res.scope === "string" ? "scope" : res.resourceGroup !== undefined ? "resourceGroup" : res.subscriptionId !== undefined ? "subscriptionId" : undefined;
    const targetPath = setBy !== undefined ? childPath(path, setBy) : target.path;
    const innerTarget = makeTarget(level, sub, rg, targetPath);
    const copies = copyIndex === undefined ? target.copies : [...(target.copies ?? []), copyIndex];
    if (copies !== undefined) innerTarget.copies = copies;
    const innerPath = childPath(childPath(path, "properties"), "template");
    const evalScope = isObject(props.expressionEvaluationOptions)
      ? String((props.expressionEvaluationOptions as Record<string, unknown>).scope ?? "outer").toLowerCase()
      : "outer";
    let innerScope: TemplateScope;
    if (evalScope === "inner") {
      const values = new Map<string, ParamValue>();
      if (isObject(props.parameters)) {
        const paramsPath = childPath(childPath(path, "properties"), "parameters");
        for (const [k, v] of Object.entries(props.parameters)) {
          if (isObject(v) && "value" in v) {
            const { value, secure } = this.readsSecure(() => this.evaluateWithPropertyCopy(v.value, scope.ctx));
            // `"value": "[parameters('x')]"` passes the parent's parameter on: its value is where that one's is (a
            // parameters file, a defaultValue), not in this string. Evaluated first, so the parent knows its origin.
            const origin = this.parameterOrigin(v.value, scope) ?? { file: scope.file, path: childPath(childPath(paramsPath, k), "value") };
            values.set(k.toLowerCase(), { value, origin, ...(secure ? { secure } : {}) });
          }
        }
      }
      innerScope = this.makeScope(inner, {
        file: scope.file,
        level,
        subscriptionId: typeof sub === "string" ? sub : undefined,
        resourceGroup: typeof rg === "string" ? rg : undefined,
        parameterValues: values,
        pathPrefix: innerPath,
      });
    } else {
      // Outer scope (the default): the inner template's expressions are evaluated with the parent's parameters,
      // variables and deployment context; only the deployment target changes.
      innerScope = scope;
    }
    this.walkResources(inner.resources, innerScope, childPath(innerPath, "resources"), innerTarget);
  }

  private authorizations(
    res: Record<string, unknown>,
    value: EvalValue | undefined,
    scope: TemplateScope,
    path: string,
    resource: string,
    eligible: boolean,
  ): Authorization[] {
    if (value === undefined || value === null) return [];
    const prop = eligible ? "eligibleAuthorizations" : "authorizations";
    const raw = isObject(res.properties) ? (res.properties as Record<string, unknown>)[prop] : undefined;
    // Exactly `[parameters('x')]`: the list is where x's value is (a parameters file, a defaultValue).
    const origin = this.parameterOrigin(raw, scope);
    const basePath = origin?.path ?? path;
    const file = origin?.file ?? scope.file;
    if (isUnresolved(value)) {
      // The whole list is unknown: one placeholder whose fields carry the reason, so PL012 reports it.
      return [{ principalId: value, roleDefinitionId: value, source: { file, path: basePath, resource, properties: { principalId: "", roleDefinitionId: "" } } }];
    }
    if (!Array.isArray(value)) throw new InputError(file, `${prop} must be an array of objects`, basePath);
    // Elements that are not in the file point where they are made: a property copy loop (what Bicep makes of
    // `authorizations: [for a in auths: {...}]`) at its `input`; a list written as one other expression (Bicep's
    // `map(...)`) at it. An input that is one expression holds no members: they all point at it (`flat`).
    const made = origin ? undefined : (propertyCopyInput(res, prop, path) ?? (typeof raw === "string" && isExpression(raw) ? { path, flat: true } : undefined));
    const flat = made?.flat ?? false;
    const at = (p: string, key: string | number): string => memberPath(p, key, flat);
    return value.map((a, i) => {
      const p = made ? made.path : childPath(basePath, i);
      // One element known only at deployment (`"[reference(...)]"` in the list): a placeholder as for a whole list.
      if (isUnresolved(a)) return { principalId: a, roleDefinitionId: a, source: elementSource(file, p, resource, true) };
      if (!isObject(a)) throw new InputError(file, "each authorization must be an object with principalId and roleDefinitionId", p);
      const source = elementSource(file, p, resource, flat);
      const auth: EligibleAuthorization = {
        principalId: repeatedValue("principal", str(a.principalId, file, at(p, "principalId"))) ?? missing(file, p, "principalId"),
        roleDefinitionId: repeatedValue("role", str(a.roleDefinitionId, file, at(p, "roleDefinitionId"))) ?? missing(file, p, "roleDefinitionId"),
        source,
      };
      const display = repeatedValue("displayName", str(a.principalIdDisplayName, file, at(p, "principalIdDisplayName")));
      if (display !== undefined) auth.principalIdDisplayName = display;
      if (a.delegatedRoleDefinitionIds !== undefined && a.delegatedRoleDefinitionIds !== null) {
        const d = a.delegatedRoleDefinitionIds;
        const dp = at(p, "delegatedRoleDefinitionIds");
        if (isUnresolved(d)) auth.delegatedRoleDefinitionIds = [d];
        else if (!Array.isArray(d)) throw new InputError(file, "delegatedRoleDefinitionIds must be an array of role definition IDs", dp);
        else auth.delegatedRoleDefinitionIds = d.map((x, j) => str(x, file, at(dp, j)) ?? missing(file, dp, String(j)));
      }
      if (eligible && a.justInTimeAccessPolicy !== undefined && a.justInTimeAccessPolicy !== null) {
        auth.justInTimeAccessPolicy = jitPolicy(a.justInTimeAccessPolicy, file, at(p, "justInTimeAccessPolicy"), resource, flat);
      }
      return auth;
    });
  }

  /** Where the value of `raw` is when it is exactly `[parameters('x')]` and x's value came from somewhere known. */
  private parameterOrigin(raw: unknown, scope: TemplateScope): ParamOrigin | undefined {
    if (typeof raw !== "string" || !isExpression(raw)) return undefined;
    let node;
    try {
      node = parseExpression(raw);
    } catch {
      return undefined;
    }
    if (node.kind !== "call" || node.name.toLowerCase() !== "parameters" || node.args.length !== 1) return undefined;
    const arg = node.args[0]!;
    if (arg.kind !== "string") return undefined;
    return scope.paramOrigins.get(arg.value.toLowerCase());
  }

  private inlineWaivers(res: Record<string, unknown>, file: string, path: string, resource: string): void {
    const md = res.metadata;
    if (!isObject(md) || md["partnerlink:waive"] === undefined) return;
    // The resource's findings can point at the template or at its parameters file (values read there).
    const files = this.options.parameters ? [file, this.options.parameters.file] : [file];
    readInlineWaivers(md["partnerlink:waive"], file, childPath(childPath(path, "metadata"), "partnerlink:waive"), resource, this.waivers, files);
  }

  /** `base`, with the copy indexes of its deployments and its own (`Contoso[1]`), made unique in this input (`#2`). */
  private uniqueName(base: string, target: DeploymentTarget, copyIndex?: number): string {
    let name = base;
    for (const i of target.copies ?? []) name += `[${i}]`;
    if (copyIndex !== undefined) name += `[${copyIndex}]`;
    const n = this.usedNames.get(name) ?? 0;
    this.usedNames.set(name, n + 1);
    return n === 0 ? name : `${name}#${n + 1}`;
  }

  /**
   * Joins assignments to definitions by the definition GUID at the end of `registrationDefinitionId`; of several
   * definitions with that GUID, the one in the assignment's subscription (rules/definition-join.ts), else the last.
   */
  private join(): void {
    const byKey = definitionsByGuid(this.definitions, (d) => d.key);
    for (const a of this.assignments) {
      const candidates = a.definitionKey ? (byKey.get(a.definitionKey) ?? []) : [];
      const def = definitionInSubscription(candidates, (c) => c.delegation, undefined, a.scope) ?? candidates[candidates.length - 1];
      const scope: AssignmentScope = { scope: a.scope, source: a.source };
      if (a.assignmentId !== undefined) scope.assignmentId = a.assignmentId;
      if (def) {
        addAssignment(def.delegation, scope);
        continue;
      }
      const why = unresolved(
        a.definitionKey === undefined && a.definitionUnknown !== undefined && this.definitions.length > 0
          ? `cannot tell which registration definition assignment '${a.name}' points at before deployment (${a.definitionUnknown})`
          : `the registration definition of assignment '${a.name}' is not in this input`,
        typeof a.definitionExpression === "string" ? a.definitionExpression : a.definitionExpression.expression,
      );
      this.estate.delegations.push(
        unknownDefinitionDelegation({
          name: a.name,
          source: a.source,
          why,
          reference: "properties.registrationDefinitionId",
          definitionId: a.definitionKey ?? a.definitionExpression,
          assignment: scope,
        }),
      );
    }
  }
}

interface DeploymentTarget {
  level: Scope;
  subscriptionId?: Val<string>;
  resourceGroup?: Val<string>;
  /** `/subscriptions/{id}[/resourceGroups/{rg}]`, or why it is not known. */
  scope: Val<string>;
  /**
   * JSON path of what sets the target in the file: a nested deployment's `resourceGroup`, `subscriptionId` or `scope`,
   * else the template's `$schema` (the level; the IDs are the deployment command's). Absent when the file says nothing.
   */
  path?: string;
  /**
   * The copy indexes of the copied nested deployments this one is inside, outermost first: a resource they deploy
   * once per copy is named with them (`Contoso[1]`), so each copy's findings say which one they are about.
   */
  copies?: readonly number[];
}

/**
 * The shortest string an expression built from a secure value is hidden at (addSensitiveStrings' `minLength`).
 * Findings hide a sensitive string wherever it occurs in their text: a one-letter result (`first()`, or the branch
 * `if(empty(parameters('pw')), 'x', ...)` picks, which the tracker cannot tell from a value computed from the secret)
 * would blank that letter in every message. At most three characters of a derived value can then be printed, and only
 * where the rules quote that value; the secure value itself is always hidden.
 */
const MIN_DERIVED_SECRET = 4;

/** Where a finding on the scope of a resource at `resourcePath` points: what sets its deployment's target, else the resource. */
function scopeAt(target: DeploymentTarget, resourcePath: string): string {
  return target.path ?? resourcePath;
}

function makeTarget(level: Scope, sub: Val<string> | undefined, rg: Val<string> | undefined, path?: string): DeploymentTarget {
  let scope: Val<string>;
  const subExpr = "[subscription().id]";
  if (level === "tenant" || level === "managementGroup") {
    scope = unresolved(`a ${level} deployment has no subscription scope`, subExpr);
  } else if (sub === undefined || isUnresolved(sub)) {
    const where = level === "resourceGroup" && typeof rg === "string" ? ` of resource group '${rg}'` : "";
    scope = unresolved(`the target subscription${where} is chosen at deployment`, level === "resourceGroup" ? "[resourceGroup().id]" : subExpr);
  } else if (level === "resourceGroup") {
    scope =
      rg === undefined || isUnresolved(rg)
        ? unresolved("the target resource group is chosen at deployment", "[resourceGroup().id]")
        : `/subscriptions/${sub}/resourceGroups/${rg}`;
  } else {
    scope = `/subscriptions/${sub}`;
  }
  return { level, subscriptionId: sub, resourceGroup: rg, scope, ...(path !== undefined ? { path } : {}) };
}

/**
 * The `input` of the property copy loop that writes `prop` of a resource's properties (`"copy": [{"name": prop,
 * "count", "input"}]`), as the path every element comes from; `flat` when the input is one expression, not an object
 * whose members are in the file. `propPath` is where `prop` itself would be (`...properties.authorizations`).
 */
function propertyCopyInput(res: Record<string, unknown>, prop: string, propPath: string): { path: string; flat: boolean } | undefined {
  const props = isObject(res.properties) ? (res.properties as Record<string, unknown>) : undefined;
  const loops = props?.copy;
  if (!Array.isArray(loops)) return undefined;
  const k = loops.findIndex((c) => isObject(c) && typeof c.name === "string" && c.name.toLowerCase() === prop.toLowerCase());
  if (k < 0) return undefined;
  const propsPath = propPath.slice(0, propPath.lastIndexOf("."));
  return { path: childPath(childPath(childPath(propsPath, "copy"), k), "input"), flat: !isObject((loops[k] as Record<string, unknown>).input) };
}

/** An element written as one expression: each of its properties is reported at the element (rules/model.ts SourceLocation). */
const WHOLE_ELEMENT: Readonly<Record<string, string>> = Object.freeze({
  principalId: "",
  roleDefinitionId: "",
  principalIdDisplayName: "",
  delegatedRoleDefinitionIds: "",
  justInTimeAccessPolicy: "",
  maximumActivationDuration: "",
  multiFactorAuthProvider: "",
  managedByTenantApprovers: "",
});

/** The member `key` of the element at `p`; `flat`: the element is one expression, and its members are `p` itself. */
function memberPath(p: string, key: string | number, flat: boolean): string {
  return flat ? p : childPath(p, key);
}

/** Where an element at `p` is; `flat` as for {@link memberPath}: each of its properties is reported at it. */
function elementSource(file: string, p: string, resource: string, flat: boolean): SourceLocation {
  return flat ? { file, path: p, resource, properties: WHOLE_ELEMENT } : { file, path: p, resource };
}

/** A justInTimeAccessPolicy; `flat`: it is part of one expression, and every path is `path` itself. */
function jitPolicy(v: unknown, file: string, path: string, resource: string, flat = false): JustInTimeAccessPolicy {
  const at = (p: string, key: string | number): string => memberPath(p, key, flat);
  const source = (p: string): SourceLocation => elementSource(file, p, resource, flat);
  if (isUnresolved(v))
    return { multiFactorAuthProvider: v, maximumActivationDuration: v, managedByTenantApprovers: [], source: source(path) };
  if (!isObject(v)) throw new InputError(file, "justInTimeAccessPolicy must be an object", path);
  const approversPath = at(path, "managedByTenantApprovers");
  const raw = v.managedByTenantApprovers;
  let approvers: Approver[] = [];
  if (isUnresolved(raw)) approvers = [{ principalId: raw, source: source(approversPath) }];
  else if (Array.isArray(raw)) {
    approvers = raw.map((a, i) => {
      const p = at(approversPath, i);
      if (isUnresolved(a)) return { principalId: a, source: elementSource(file, p, resource, true) };
      if (!isObject(a)) throw new InputError(file, "each approver must be an object with principalId", p);
      const ap: Approver = { principalId: repeatedValue("principal", str(a.principalId, file, at(p, "principalId"))) ?? missing(file, p, "principalId"), source: source(p) };
      const d = repeatedValue("displayName", str(a.principalIdDisplayName, file, at(p, "principalIdDisplayName")));
      if (d !== undefined) ap.principalIdDisplayName = d;
      return ap;
    });
  } else if (raw !== undefined && raw !== null) throw new InputError(file, "managedByTenantApprovers must be an array", approversPath);
  const out: JustInTimeAccessPolicy = { managedByTenantApprovers: approvers, source: source(path) };
  const mfa = repeatedValue("text", str(v.multiFactorAuthProvider, file, at(path, "multiFactorAuthProvider")));
  if (mfa !== undefined) out.multiFactorAuthProvider = mfa;
  const dur = repeatedValue("text", str(v.maximumActivationDuration, file, at(path, "maximumActivationDuration")));
  if (dur !== undefined) out.maximumActivationDuration = dur;
  return out;
}

/**
 * Reads `[{rule, reason, expires?}]` inline waivers (shared by the ARM and Terraform JSON adapters). They apply to
 * the resource's findings in `files` (default: the file they are declared in) alone.
 */
export function readInlineWaivers(v: unknown, file: string, path: string, resource: string, out: Waiver[], files: string[] = [file]): void {
  if (!Array.isArray(v)) throw new InputError(file, `"partnerlink:waive" must be an array of {"rule", "reason", "expires"?}`, path);
  v.forEach((w, i) => {
    const p = childPath(path, i);
    if (!isObject(w) || typeof w.rule !== "string" || typeof w.reason !== "string" || w.reason.trim() === "")
      throw new InputError(file, `each waiver needs "rule" (e.g. "PL003") and a non-empty "reason"`, p);
    if (w.expires !== undefined && (typeof w.expires !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(w.expires)))
      throw new InputError(file, `"expires" must be a date YYYY-MM-DD`, childPath(p, "expires"));
    const waiver: Waiver = { rule: w.rule, resource, reason: w.reason, files };
    if (typeof w.expires === "string") waiver.expires = w.expires;
    out.push(waiver);
  });
}

function str(v: unknown, file: string, path: string): Val<string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || isUnresolved(v)) return v;
  throw new InputError(file, `must be a string, got ${Array.isArray(v) ? "an array" : typeof v}`, path);
}

function missing(file: string, path: string, prop: string): never {
  throw new InputError(file, `'${prop}' is required`, path);
}

function lastSegment(id: string): string {
  const parts = id.replace(/\/+$/, "").split("/");
  return parts[parts.length - 1]!.toLowerCase();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnresolved(v);
}

/**
 * A parameter's declared type: its `type`, or the `type` of the `definitions` entry its `$ref` names
 * (languageVersion 2.0 user-defined types, `"$ref": "#/definitions/authorizations"`), followed a few steps; undefined
 * when neither says.
 */
function declaredType(decl: Record<string, unknown>, template: Record<string, unknown>): unknown {
  let node: unknown = decl;
  for (let step = 0; step < 8 && isObject(node); step++) {
    if (node.type !== undefined) return node.type;
    const ref = node.$ref;
    if (typeof ref !== "string" || !/^#\/definitions\/[^/]+$/.test(ref)) return undefined;
    node = valueAtPointer(template, ref.slice(1));
  }
  return undefined;
}

/**
 * The template's user-defined functions by `namespace.member`, lower-cased (ARM function names are case-insensitive).
 * A member without a parameter list or an output value is left out: calling it stays an unsupported function.
 */
function userFunctionsOf(template: Record<string, unknown>): ((name: string) => UserFunction | undefined) | undefined {
  if (!Array.isArray(template.functions)) return undefined;
  const byName = new Map<string, UserFunction>();
  for (const ns of template.functions) {
    if (!isObject(ns) || typeof ns.namespace !== "string" || !isObject(ns.members)) continue;
    for (const [member, def] of Object.entries(ns.members)) {
      if (!isObject(def) || !isObject(def.output) || !("value" in def.output)) continue;
      const params = def.parameters === undefined ? [] : def.parameters;
      if (!Array.isArray(params) || !params.every((x) => isObject(x) && typeof x.name === "string")) continue;
      byName.set(`${ns.namespace}.${member}`.toLowerCase(), { parameters: params as { name: string }[], output: def.output as { value: unknown } });
    }
  }
  return (name) => byName.get(name.toLowerCase());
}

/** `secureString` and `secureObject`, in any case (ARM type names are case-insensitive). */
function isSecureType(type: unknown): boolean {
  return typeof type === "string" && (type.toLowerCase() === "securestring" || type.toLowerCase() === "secureobject");
}

function checkParameterType(name: string, type: unknown, value: EvalValue, origin: ParamOrigin): void {
  if (isUnresolved(value) || typeof type !== "string") return;
  const t = type.toLowerCase();
  const ok =
    t === "string" || t === "securestring"
      ? typeof value === "string"
      : t === "int"
        ? typeof value === "number" && Number.isInteger(value)
        : t === "bool"
          ? typeof value === "boolean"
          : t === "array"
            ? Array.isArray(value)
            : t === "object" || t === "secureobject"
              ? value !== null && typeof value === "object" && !Array.isArray(value)
              : true;
  if (!ok)
    throw new InputError(
      origin.file,
      `parameter '${name}' is declared as ${type} but the value is ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}; give a ${type}`,
      origin.path,
    );
}
