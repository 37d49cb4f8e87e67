import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, TerraformVariable, Testing, Token } from "cdktf";
import { AzurermProvider } from "@cdktf/provider-azurerm/lib/provider";
import { AzapiProvider, LighthouseOnboarding, PartnerAdminLink } from "../../cdktf";
import { armGuid } from "../../rules/identifiers";
import { OnboardingError, onboardingConfig, planOnboarding } from "../../templates";
import { check } from "../templates/run-cli";

const SUB = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const TENANT = "0b5f7a3e-2c1d-4e6f-9a8b-7c6d5e4f3a2b";
const PEC_SP = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
const OPS = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
const ONCALL = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const OFFER = "Contoso managed services";

type Obj = Record<string, any>;

function stackWith(build: (stack: TerraformStack) => void, app = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, "partner");
  new AzurermProvider(stack, "azurerm", { features: [{}] });
  build(stack);
  return stack;
}

const props = {
  offerName: OFFER,
  subscriptionId: SUB,
  managingTenantId: TENANT,
  pecPrincipalId: PEC_SP,
  authorizations: [{ principalId: OPS, roleDefinitionId: READER, principalIdDisplayName: "Ops" }],
};

/** The OnboardingError message the construct throws for `p`. */
function errorOf(p: Record<string, unknown>): string {
  try {
    stackWith((s) => new LighthouseOnboarding(s, "contoso", p as unknown as typeof props));
  } catch (err) {
    expect(err).toBeInstanceOf(OnboardingError);
    return (err as Error).message;
  }
  throw new Error("the construct accepted the props");
}

describe("LighthouseOnboarding", () => {
  it("synthesizes a definition with the PEC authorization first and an assignment named as the templates name it", () => {
    const synth = Testing.synth(stackWith((s) => new LighthouseOnboarding(s, "contoso", props)));
    const json = JSON.parse(synth) as Obj;
    const defs = Object.values(json.resource.azurerm_lighthouse_definition) as Obj[];
    const asgs = Object.values(json.resource.azurerm_lighthouse_assignment) as Obj[];
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({
      name: OFFER,
      scope: `/subscriptions/${SUB}`,
      managing_tenant_id: TENANT,
      lighthouse_definition_id: armGuid(OFFER),
    });
    expect(defs[0].authorization).toEqual([
      { principal_id: PEC_SP, role_definition_id: CONTRIBUTOR, principal_display_name: "Partner Earned Credit identity" },
      { principal_id: OPS, role_definition_id: READER, principal_display_name: "Ops" },
    ]);
    expect(asgs[0]).toMatchObject({ name: armGuid(OFFER), scope: `/subscriptions/${SUB}` });
    expect(asgs[0].lighthouse_definition_id).toMatch(/^\$\{azurerm_lighthouse_definition\.[\w-]+\.id\}$/);
    expect(
      Testing.toHaveResourceWithProperties(synth, "azurerm_lighthouse_assignment", { name: armGuid(OFFER), scope: `/subscriptions/${SUB}` }),
    ).toBe(true);
  });

  it("uses the same names as the generated template for several resource groups, with eligible authorizations", () => {
    const rgs = ["rg-a", "rg-b"];
    const eligible = [{ principalId: ONCALL, roleDefinitionId: CONTRIBUTOR, principalType: "Group" as const }];
    const synth = Testing.synth(stackWith((s) => new LighthouseOnboarding(s, "contoso", { ...props, resourceGroups: rgs, eligibleAuthorizations: eligible })));
    const json = JSON.parse(synth) as Obj;
    const defs = Object.values(json.resource.azurerm_lighthouse_definition) as Obj[];
    const asgs = Object.values(json.resource.azurerm_lighthouse_assignment) as Obj[];
    const plan = planOnboarding({ customer: OFFER, offerName: OFFER, subscriptionId: SUB, managingTenantId: TENANT, pecPrincipalId: PEC_SP, resourceGroups: rgs });
    // One definition, assigned in each group under the offer's name (provider/lighthouse-ids.ts), as the template does.
    expect(defs.map((d) => d.lighthouse_definition_id)).toEqual([armGuid(OFFER)]);
    expect(plan.delegations.map((d) => d.definitionId)).toEqual([armGuid(OFFER), armGuid(OFFER)]);
    expect(asgs.map((a) => [a.name, a.scope])).toEqual(rgs.map((rg) => [armGuid(OFFER), `/subscriptions/${SUB}/resourceGroups/${rg}`]));
    expect(asgs.map((a) => [a.name, a.scope])).toEqual(plan.delegations.map((d) => [d.assignment.assignmentId, d.assignment.scope]));
    expect(defs[0].eligible_authorization).toEqual([
      {
        principal_id: ONCALL,
        role_definition_id: CONTRIBUTOR,
        just_in_time_access_policy: { multi_factor_auth_provider: "Azure", maximum_activation_duration: "PT8H" },
      },
    ]);
  });

  it("leaves multi_factor_auth_provider out for MFA None: azurerm 4.x accepts only \"Azure\" there and sends None when absent", () => {
    const eligible = [
      {
        principalId: ONCALL,
        roleDefinitionId: CONTRIBUTOR,
        justInTimeAccessPolicy: { multiFactorAuthProvider: "None" as const, maximumActivationDuration: "PT1H", managedByTenantApprovers: [{ principalId: OPS }] },
      },
    ];
    const json = JSON.parse(Testing.synth(stackWith((s) => new LighthouseOnboarding(s, "contoso", { ...props, eligibleAuthorizations: eligible })))) as Obj;
    const def = (Object.values(json.resource.azurerm_lighthouse_definition) as Obj[])[0];
    expect(def.eligible_authorization[0].just_in_time_access_policy).toEqual({ maximum_activation_duration: "PT1H", approver: [{ principal_id: OPS }] });
  });

  it("refuses a PEC role that earns no credit, naming the construct and the rule", () => {
    expect(() => stackWith((s) => new LighthouseOnboarding(s, "contoso", { ...props, pecRoleId: READER }))).toThrow(
      /LighthouseOnboarding 'partner\/contoso'.*PL003/,
    );
  });

  it("names its own properties in errors (offerName, description, subscriptionId), never the template spec's customer or $.paths", () => {
    const { offerName: _o, ...withoutOffer } = props;
    expect(errorOf(withoutOffer)).toBe("LighthouseOnboarding 'partner/contoso': offerName is required. Fix the value.");
    expect(errorOf({ ...props, offerName: "" })).toBe("LighthouseOnboarding 'partner/contoso': offerName must not be empty. Fix the value.");
    expect(errorOf({ ...props, offerName: "[Contoso]" })).toMatch(/^LighthouseOnboarding 'partner\/contoso': offerName '\[Contoso\]' starts with '\['/);
    expect(errorOf({ ...props, description: "[x]" })).toMatch(/^LighthouseOnboarding 'partner\/contoso': description '\[x\]' starts with/);
    expect(errorOf({ ...props, subscriptionId: "nope" })).toBe("LighthouseOnboarding 'partner/contoso': subscriptionId must be a GUID (8-4-4-4-12 hex). Fix the value.");
    expect(errorOf({ ...props, pecRoleId: READER })).toMatch(/^LighthouseOnboarding 'partner\/contoso': pecRoleId Reader .*PL003.*Use a PEC-eligible role for pecRoleId:/);
    // A property it does not have (a JavaScript caller's `customer`, `offerDescription`) is refused, not silently used.
    expect(errorOf({ ...props, customer: "Fabrikam" })).toMatch(/'customer' is not a property of LighthouseOnboarding; use offerName, description,/);
    expect(errorOf({ ...props, offerDescription: "x" })).toMatch(/\(the offer description is 'description'\)/);
    // The offer name is shown as written, even when it holds "$." (no message text is rewritten).
    const owner = { principalId: OPS, roleDefinitionId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" };
    expect(errorOf({ ...props, offerName: "Contoso $.x", authorizations: [owner] })).toMatch(/Delegation 'Contoso \$\.x' \(authorizations\[0\]\.roleDefinitionId\)/);
  });

  it("names an authorization by its index in the construct's props, not in the generated definition (where the PEC one is first)", () => {
    const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    const ops = { principalId: OPS, roleDefinitionId: READER };
    expect(errorOf({ ...props, authorizations: [{ principalId: OPS, roleDefinitionId: OWNER }] })).toMatch(
      /^LighthouseOnboarding 'partner\/contoso': the onboarding would fail partnerlink check: PL004 [\w-]+: Delegation 'Contoso managed services' \(authorizations\[0\]\.roleDefinitionId\): Owner /,
    );
    expect(errorOf({ ...props, authorizations: [ops, { principalId: ONCALL, roleDefinitionId: OWNER }] })).toMatch(/\(authorizations\[1\]\.roleDefinitionId\): Owner /);
    // A warning kept on the plan (a role partnerlink does not know) names the same property.
    const custom = "0f0e0d0c-0b0a-4909-8807-060504030201";
    const onboarding = new LighthouseOnboarding(
      stackWith(() => undefined),
      "custom",
      { ...props, authorizations: [{ principalId: OPS, roleDefinitionId: custom }] },
    );
    const notes = onboarding.plan.notes.filter((n) => n.ruleId === "PL004");
    expect(notes.map((n) => n.path)).toEqual(["authorizations[0].roleDefinitionId"]);
    expect(notes[0].message).toMatch(/^Delegation 'Contoso managed services' \(authorizations\[0\]\.roleDefinitionId\): role 0f0e0d0c-/);
    // ... and `cdktf synth` shows it, as `partnerlink template` prints it.
    const warnings = onboarding.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([`warning PL004 ${notes[0].ruleName}: ${notes[0].message}`]);
  });

  it("lists an authorization repeated exactly once, with a synth warning naming the property and the fix", () => {
    let onboarding: LighthouseOnboarding | undefined;
    const pecAgain = { principalId: PEC_SP, roleDefinitionId: CONTRIBUTOR };
    const synth = Testing.synth(stackWith((s) => (onboarding = new LighthouseOnboarding(s, "contoso", { ...props, authorizations: [pecAgain, ...props.authorizations, ...props.authorizations] }))));
    const def = (Object.values((JSON.parse(synth) as Obj).resource.azurerm_lighthouse_definition) as Obj[])[0];
    expect(def.authorization.map((a: Obj) => a.principal_id)).toEqual([PEC_SP, OPS]);
    const warnings = onboarding!.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([
      `LighthouseOnboarding 'partner/contoso': authorizations[0] repeats the PEC authorization, which is always added (pecPrincipalId as Contributor (${CONTRIBUTOR})) ` +
        "(the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove authorizations[0].",
      "LighthouseOnboarding 'partner/contoso': authorizations[2] repeats authorizations[1] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: " +
        "the definition lists each authorization once. Remove authorizations[2].",
    ]);
  });

  it("refuses an empty resourceGroups (it would delegate the whole subscription); left out, it delegates the subscription", () => {
    expect(errorOf({ ...props, resourceGroups: [] })).toBe(
      "LighthouseOnboarding 'partner/contoso': resourceGroups is an empty list, which would delegate the whole subscription (an onboarding without resource groups is assigned at the subscription). " +
        "Fix: leave resourceGroups out to delegate the whole subscription, or list at least one resource group.",
    );
    // A list computed by a filter that matched nothing, as a program would pass it.
    const rgs = ["rg-web", "rg-data"].filter((rg) => rg.startsWith("rg-app"));
    expect(errorOf({ ...props, resourceGroups: rgs })).toMatch(/: resourceGroups is an empty list/);
    const synth = JSON.parse(Testing.synth(stackWith((s) => new LighthouseOnboarding(s, "contoso", props)))) as Obj;
    expect(Object.values(synth.resource.azurerm_lighthouse_assignment).map((a) => (a as Obj).scope)).toEqual([`/subscriptions/${SUB}`]);
  });

  it("refuses a placeholder GUID (00000000-...) left in any identifier, naming its own property", () => {
    const NIL = "00000000-0000-0000-0000-000000000000";
    expect(errorOf({ ...props, managingTenantId: NIL })).toMatch(/^LighthouseOnboarding 'partner\/contoso': .*PL010 invalid-identifier: .*\(managingTenantId\): "0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a tenant ID/);
    expect(errorOf({ ...props, authorizations: [{ principalId: NIL, roleDefinitionId: READER }] })).toMatch(/\(authorizations\[0\]\.principalId\): .* is a placeholder GUID left in place of a principal object ID/);
    // subscriptionId is the definition's scope, the assignment's and the subscription checked: named once.
    const sub = errorOf({ ...props, subscriptionId: NIL });
    expect(sub.match(/PL010/g)).toHaveLength(1);
    expect(sub).toMatch(/\(subscriptionId\): "(\/subscriptions\/)?0{8}-0{4}-0{4}-0{4}-0{12}" is a placeholder GUID left in place of a subscription/);
  });

  it("refuses tokens, which cannot be checked before apply", () => {
    expect(() =>
      stackWith((s) => new LighthouseOnboarding(s, "contoso", { ...props, pecPrincipalId: Token.asString({ Ref: "x" }) })),
    ).toThrow(OnboardingError);
  });

  it("refuses a second onboarding of the same subscription and offer name (one definition, guid(offerName)), in any stack of the app", () => {
    const same = `LighthouseOnboarding 'partner/b': subscriptionId ${SUB.toUpperCase()} and offerName '${OFFER}' are those of LighthouseOnboarding 'partner/a': ` +
      `both would be registration definition ${armGuid(OFFER)} (guid(offerName)) and its assignments, so one would overwrite the other's delegation. ` +
      "Give one of them a different offerName, or list every resource group in one construct's resourceGroups.";
    expect(() =>
      stackWith((s) => {
        new LighthouseOnboarding(s, "a", { ...props, resourceGroups: ["rg-a"] });
        new LighthouseOnboarding(s, "b", { ...props, subscriptionId: SUB.toUpperCase(), resourceGroups: ["rg-b"] });
      }),
    ).toThrow(same);
    const app = Testing.app();
    stackWith((s) => new LighthouseOnboarding(s, "a", props), app);
    const other = new TerraformStack(app, "other");
    new AzurermProvider(other, "azurerm", { features: [{}] });
    expect(() => new LighthouseOnboarding(other, "a", props)).toThrow(/^LighthouseOnboarding 'other\/a': .* are those of LighthouseOnboarding 'partner\/a'/);
    // Another offer name, or another subscription, is another delegation.
    expect(() =>
      stackWith((s) => {
        new LighthouseOnboarding(s, "a", props);
        new LighthouseOnboarding(s, "b", { ...props, offerName: "Contoso security services" });
        new LighthouseOnboarding(s, "c", { ...props, subscriptionId: "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d" });
      }),
    ).not.toThrow();
  });

  it("names the token's own property, also inside lists and for list tokens (a variable's listValue is not a resource group name)", () => {
    const tokenError = (build: (s: TerraformStack) => Record<string, unknown>) => {
      try {
        stackWith((s) => new LighthouseOnboarding(s, "contoso", build(s) as unknown as typeof props));
      } catch (err) {
        expect(err).toBeInstanceOf(OnboardingError);
        return (err as Error).message;
      }
      throw new Error("the construct accepted the props");
    };
    const known = "is a token (known only at apply); pass literal values so the PEC rules can be checked at synth";
    const rgs = (s: TerraformStack) => ({ ...props, resourceGroups: new TerraformVariable(s, "rgs", { type: "list(string)" }).listValue });
    expect(tokenError(rgs)).toBe(`LighthouseOnboarding 'partner/contoso': resourceGroups ${known}`);
    expect(tokenError(() => ({ ...props, resourceGroups: Token.asList({ Ref: "x" }) }))).toBe(`LighthouseOnboarding 'partner/contoso': resourceGroups ${known}`);
    const ops = (s: TerraformStack) => ({ ...props, authorizations: [{ principalId: new TerraformVariable(s, "ops", { type: "string" }).stringValue, roleDefinitionId: READER }] });
    expect(tokenError(ops)).toBe(`LighthouseOnboarding 'partner/contoso': authorizations[0].principalId ${known}`);
    const jit = (s: TerraformStack) => ({
      ...props,
      eligibleAuthorizations: [{ principalId: ONCALL, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { maximumActivationDuration: new TerraformVariable(s, "d", { type: "string" }).stringValue } }],
    });
    expect(tokenError(jit)).toBe(`LighthouseOnboarding 'partner/contoso': eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration ${known}`);
    // From JavaScript, no props at all is a clear error, not a TypeError from deep inside.
    expect(tokenError(() => null as unknown as Record<string, unknown>)).toMatch(/^LighthouseOnboarding 'partner\/contoso': props must be an object/);
  });
});

describe("PartnerAdminLink", () => {
  it("is an azapi_resource_action PUT when applied and a DELETE when destroyed, with the azapi provider declared", () => {
    const json = JSON.parse(Testing.synth(stackWith((s) => new PartnerAdminLink(s, "pal", { partnerId: "5127255" })))) as Obj;
    const actions = Object.values(json.resource.azapi_resource_action) as Obj[];
    const common = { type: "Microsoft.ManagementPartner/partners@2018-02-01", resource_id: "/providers/Microsoft.ManagementPartner/partners/5127255" };
    expect(actions).toEqual([
      expect.objectContaining({ ...common, method: "PUT", when: "apply" }),
      expect.objectContaining({ ...common, method: "DELETE", when: "destroy" }),
    ]);
    expect(json.terraform.required_providers.azapi).toEqual({ source: "Azure/azapi", version: "~> 2.0" });
    expect(json.provider.azapi).toEqual([{}]);
  });

  it("refuses a partner ID that is not numeric", () => {
    expect(() => stackWith((s) => new PartnerAdminLink(s, "pal", { partnerId: "contoso" }))).toThrow(/partnerId 'contoso' must be the numeric/);
  });

  it("refuses a second link for one provider's identity (Azure refuses the PUT), and accepts one per provider", () => {
    expect(() =>
      stackWith((s) => {
        new PartnerAdminLink(s, "pal", { partnerId: "5127255" });
        new PartnerAdminLink(s, "pal2", { partnerId: "7654321" });
      }),
    ).toThrow(
      "PartnerAdminLink 'partner/pal2': provider 'partner/azapi' already links its identity in PartnerAdminLink 'partner/pal'; " +
        "an identity has one Partner Admin Link and Azure refuses a second PUT. Remove one of them, or pass another provider (another identity) to this one.",
    );
    const json = JSON.parse(
      Testing.synth(
        stackWith((s) => {
          new PartnerAdminLink(s, "pal", { partnerId: "5127255" });
          new PartnerAdminLink(s, "pal2", { partnerId: "5127255", provider: new AzapiProvider(s, "other", { alias: "other" }) });
        }),
      ),
    ) as Obj;
    expect(Object.values(json.resource.azapi_resource_action as Record<string, Obj>).map((a) => a.provider).sort()).toEqual(["azapi", "azapi", "azapi.other", "azapi.other"]);
  });

  it("refuses a token, a number or a missing partnerId with one error naming the construct (no encoded token, no TypeError)", () => {
    const palError = (build: (s: TerraformStack) => unknown) => {
      try {
        stackWith((s) => new PartnerAdminLink(s, "pal", build(s) as { partnerId: string }));
      } catch (err) {
        expect(err).toBeInstanceOf(OnboardingError);
        return (err as Error).message;
      }
      throw new Error("the construct accepted the props");
    };
    const token = palError((s) => ({ partnerId: new TerraformVariable(s, "pid", { type: "string" }).stringValue }));
    expect(token).toBe(`PartnerAdminLink 'partner/pal': partnerId is a token (known only at apply); pass the Associated Partner ID as a literal string (e.g. "5127255")`);
    expect(palError(() => ({ partnerId: 5127255 }))).toMatch(/^PartnerAdminLink 'partner\/pal': partnerId must be a string, not the number 5127255; /);
    expect(palError(() => undefined)).toMatch(/^PartnerAdminLink 'partner\/pal': partnerId is required; /);
  });
});

describe("synthesized output passes partnerlink check", () => {
  let root: string;
  let configFile: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pl-cdktf-"));
    const config = onboardingConfig(
      planOnboarding({ customer: OFFER, offerName: OFFER, subscriptionId: SUB, managingTenantId: TENANT, pecPrincipalId: PEC_SP }),
    );
    configFile = path.join(root, "partnerlink.config.json");
    fs.writeFileSync(configFile, JSON.stringify({ ...config, partnerId: "5127255" }));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function synthApp(build: (stack: TerraformStack) => void): string {
    const dir = fs.mkdtempSync(path.join(root, "cdktf.out-"));
    const app = new App({ outdir: dir });
    stackWith(build, app);
    app.synth();
    return dir;
  }

  it("the cdktf.out folder and its cdk.tf.json", async () => {
    const dir = synthApp((s) => {
      new LighthouseOnboarding(s, "contoso", { ...props, resourceGroups: ["rg-a", "rg-b"] });
      new PartnerAdminLink(s, "pal", { partnerId: "5127255" });
    });
    const stackFile = path.join(dir, "stacks", "partner", "cdk.tf.json");
    expect(fs.existsSync(path.join(dir, "manifest.json"))).toBe(true);
    for (const input of [dir, stackFile]) {
      const { code, report, stderr } = await check([input], configFile, root);
      expect(stderr).toBe("");
      expect(report.findings.filter((f) => f.severity !== "info")).toEqual([]);
      expect(code).toBe(0);
    }
  });

  it("MFA None and Azure as the construct writes them pass the check's azurerm rule (one fact, rules/facts.ts)", async () => {
    const withMfa = (mfa: "Azure" | "None") => [{ principalId: ONCALL, roleDefinitionId: CONTRIBUTOR, principalType: "Group" as const, justInTimeAccessPolicy: { multiFactorAuthProvider: mfa } }];
    const dir = synthApp((s) => {
      new LighthouseOnboarding(s, "none", { ...props, offerName: "MFA none", eligibleAuthorizations: withMfa("None") });
      new LighthouseOnboarding(s, "azure", { ...props, offerName: "MFA azure", eligibleAuthorizations: withMfa("Azure") });
    });
    const stackFile = path.join(dir, "stacks", "partner", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as Obj;
    const jits = (Object.values(json.resource.azurerm_lighthouse_definition) as Obj[]).map((d) => d.eligible_authorization[0].just_in_time_access_policy.multi_factor_auth_provider);
    expect(jits.sort()).toEqual(["Azure", undefined]);
    const { code, report } = await check([stackFile], configFile, root);
    expect(report.findings.filter((f) => f.ruleId === "PL005")).toEqual([]);
    expect(code).toBe(0);
  });

  it("and the same check fails with PL005 when multi_factor_auth_provider \"None\" is written into cdk.tf.json", async () => {
    const dir = synthApp((s) => new LighthouseOnboarding(s, "contoso", { ...props, eligibleAuthorizations: [{ principalId: ONCALL, roleDefinitionId: CONTRIBUTOR, principalType: "Group" }] }));
    const stackFile = path.join(dir, "stacks", "partner", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as Obj;
    const [key, def] = Object.entries(json.resource.azurerm_lighthouse_definition as Record<string, Obj>)[0]!;
    def.eligible_authorization[0].just_in_time_access_policy.multi_factor_auth_provider = "None";
    fs.writeFileSync(stackFile, JSON.stringify(json));
    const { code, report } = await check([stackFile], configFile, root);
    expect(code).toBe(1);
    const f = report.findings.filter((x) => x.ruleId === "PL005");
    expect(f.map((x) => x.path)).toEqual([`$.resource.azurerm_lighthouse_definition.${key}.eligible_authorization[0].just_in_time_access_policy.multi_factor_auth_provider`]);
    expect(f[0]!.message).toContain("Fix: leave out multi_factor_auth_provider: azurerm sends None when it is absent");
  });

  it("and the same check fails when the PEC authorization is removed from cdk.tf.json", async () => {
    const dir = synthApp((s) => new LighthouseOnboarding(s, "contoso", props));
    const stackFile = path.join(dir, "stacks", "partner", "cdk.tf.json");
    const json = JSON.parse(fs.readFileSync(stackFile, "utf8")) as Obj;
    for (const d of Object.values(json.resource.azurerm_lighthouse_definition) as Obj[]) d.authorization = d.authorization.slice(1);
    fs.writeFileSync(stackFile, JSON.stringify(json));
    const { code, report } = await check([stackFile], configFile, root);
    expect(code).toBe(1);
    expect(report.findings.map((f) => f.ruleId)).toContain("PL001");
  });
});
