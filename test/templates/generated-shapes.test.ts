import { spawnSync } from "node:child_process";
import { armParameters, armTemplate, planOnboarding, renderOnboarding, BUNDLE_FILES } from "../../templates";
import { powerShellString } from "../../templates/customer-guide";
import { armGuid } from "../../rules/identifiers";
import { contoso, CONTRIBUTOR, ONCALL_GROUP, OPS_GROUP, PEC_SP, READER, SUB, SUPPORT_REQUEST_CONTRIBUTOR, TENANT } from "./fixtures";

type Obj = Record<string, any>;

describe("subscription variant", () => {
  const plan = planOnboarding(contoso());
  const t = armTemplate(plan) as Obj;
  const p = armParameters(plan) as Obj;

  it("is a subscription deployment with a definition and an assignment named guid(offer name)", () => {
    expect(t.$schema).toBe("https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#");
    expect(t.resources.map((r: Obj) => r.type)).toEqual([
      "Microsoft.ManagedServices/registrationDefinitions",
      "Microsoft.ManagedServices/registrationAssignments",
    ]);
    expect(t.resources.every((r: Obj) => r.apiVersion === "2022-10-01")).toBe(true);
    expect(t.variables.mspRegistrationName).toBe("[guid(parameters('mspOfferName'))]");
    expect(plan.variant).toBe("subscription");
    expect(plan.delegations).toEqual([
      {
        definitionId: armGuid("Contoso Ltd managed services"),
        definitionScope: `/subscriptions/${SUB}`,
        assignment: { assignmentId: armGuid("Contoso Ltd managed services"), scope: `/subscriptions/${SUB}` },
      },
    ]);
  });

  it("puts the PEC principal first with Contributor, then the other authorizations", () => {
    const auths = p.parameters.authorizations.value;
    expect(auths[0]).toEqual({ principalId: PEC_SP, roleDefinitionId: CONTRIBUTOR, principalIdDisplayName: "Partner Earned Credit identity" });
    expect(auths[1]).toEqual({ principalId: OPS_GROUP, roleDefinitionId: READER, principalIdDisplayName: "Ops" });
    expect(p.parameters.managedByTenantId.value).toBe(TENANT);
    expect(t.parameters.authorizations.defaultValue).toEqual(auths);
    expect(t.parameters.eligibleAuthorizations).toBeUndefined();
    expect(t.resources[0].properties.eligibleAuthorizations).toBeUndefined();
  });

  it("keeps a given PEC role and does not repeat an identical PEC authorization", () => {
    const plan2 = planOnboarding(
      contoso({ pecRoleId: SUPPORT_REQUEST_CONTRIBUTOR, authorizations: [{ principalId: PEC_SP, roleDefinitionId: SUPPORT_REQUEST_CONTRIBUTOR }] }),
    );
    expect(plan2.authorizations).toEqual([
      { principalId: PEC_SP, roleDefinitionId: SUPPORT_REQUEST_CONTRIBUTOR, principalIdDisplayName: "Partner Earned Credit identity" },
    ]);
  });

  it("adds eligible authorizations with Azure's just-in-time defaults, without partnerlink's principalType", () => {
    const plan3 = planOnboarding(
      contoso({ eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: CONTRIBUTOR, principalType: "Group" }] }),
    );
    const t3 = armTemplate(plan3) as Obj;
    expect(t3.resources[0].properties.eligibleAuthorizations).toBe("[parameters('eligibleAuthorizations')]");
    expect(t3.parameters.eligibleAuthorizations.defaultValue).toEqual([
      {
        principalId: ONCALL_GROUP,
        roleDefinitionId: CONTRIBUTOR,
        justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" },
      },
    ]);
  });
});

describe("an authorization that repeats another exactly", () => {
  const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
  const where = "customers.yaml $[1] (customer 'Contoso Ltd')";

  it("is left out once, with a notice naming the file, both paths and the fix: the PEC one the planner adds", () => {
    // As the samples' parameters files list it, in another case and as a role resource ID.
    const pecAgain = { principalId: PEC_SP.toUpperCase(), roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${CONTRIBUTOR.toUpperCase()}`, principalIdDisplayName: "PEC SP" };
    const plan = planOnboarding(contoso({ authorizations: [pecAgain, { principalId: OPS_GROUP, roleDefinitionId: READER }] }), "customers.yaml", "$[1]");
    expect(plan.authorizations.map((a) => [a.principalId, a.roleDefinitionId])).toEqual([
      [PEC_SP, CONTRIBUTOR],
      [OPS_GROUP, READER],
    ]);
    expect(plan.notices).toEqual([
      `${where}: $[1].authorizations[0] repeats the PEC authorization, which is always added ($[1].pecPrincipalId as Contributor (${CONTRIBUTOR})) ` +
        "(the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: the definition lists each authorization once. Remove $[1].authorizations[0].",
    ]);
    // The entry after it keeps its own index in findings.
    expect(plan.origins.authorizations).toEqual(["pec", 1]);
  });

  it("is left out when the user lists the same principal and role twice (GUIDs in any case, delegated roles in any order)", () => {
    const a = { principalId: OPS_GROUP, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [CONTRIBUTOR, READER] };
    const again = { principalId: OPS_GROUP.toUpperCase(), roleDefinitionId: UAA.toUpperCase(), delegatedRoleDefinitionIds: [READER.toUpperCase(), CONTRIBUTOR], principalIdDisplayName: "Ops" };
    const plan = planOnboarding(contoso({ authorizations: [a, again] }), "customers.yaml", "$[1]");
    expect(plan.authorizations.slice(1)).toEqual([{ ...a }]);
    expect(plan.notices).toEqual([
      `${where}: $[1].authorizations[1] repeats $[1].authorizations[0] (the same principalId, roleDefinitionId and delegatedRoleDefinitionIds) and is left out: ` +
        "the definition lists each authorization once. Remove $[1].authorizations[1].",
    ]);
    const t = armTemplate(plan) as Obj;
    expect(t.parameters.authorizations.defaultValue).toHaveLength(2);
  });

  it("is kept when it differs in the roles it may delegate (not a repeat), and so is the PEC principal with another role", () => {
    const plan = planOnboarding(
      contoso({
        authorizations: [
          { principalId: OPS_GROUP, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [CONTRIBUTOR] },
          { principalId: OPS_GROUP, roleDefinitionId: UAA, delegatedRoleDefinitionIds: [READER] },
          { principalId: PEC_SP, roleDefinitionId: READER },
        ],
      }),
    );
    expect(plan.authorizations).toHaveLength(4);
    expect(plan.notices).toEqual([]);
  });

  it("eligible: the same principal, role and just-in-time policy as written (partnerlink's defaults, Azure and PT8H, written out or not) is listed once", () => {
    const e = { principalId: ONCALL_GROUP, roleDefinitionId: CONTRIBUTOR };
    const same = { ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure" as const, maximumActivationDuration: "PT8H" } };
    const shorter = { ...e, justInTimeAccessPolicy: { maximumActivationDuration: "PT1H" } };
    // Azure's own default: written as given, so not the policy written for `e`.
    const withoutMfa = { ...e, justInTimeAccessPolicy: { multiFactorAuthProvider: "None" as const } };
    const plan = planOnboarding(contoso({ eligibleAuthorizations: [e, same, shorter, withoutMfa] }), "customers.yaml", "$[1]");
    expect(plan.eligibleAuthorizations.map((x) => x.justInTimeAccessPolicy)).toEqual([
      { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" },
      { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT1H" },
      { multiFactorAuthProvider: "None", maximumActivationDuration: "PT8H" },
    ]);
    expect(plan.origins.eligibleAuthorizations).toEqual([0, 2, 3]);
    expect(plan.notices).toEqual([
      `${where}: $[1].eligibleAuthorizations[1] repeats $[1].eligibleAuthorizations[0] (the same principalId, roleDefinitionId and just-in-time policy) and is left out: ` +
        "the definition lists each eligible authorization once. Remove $[1].eligibleAuthorizations[1].",
    ]);
  });

});

describe("resource-group variants", () => {
  it("one resource group: the definition at the subscription, the assignment in a nested deployment (rg.json)", () => {
    const plan = planOnboarding(contoso({ resourceGroups: ["rg-app"] }));
    const t = armTemplate(plan) as Obj;
    expect(plan.variant).toBe("resource-group");
    const [def, dep] = t.resources;
    expect(def.type).toBe("Microsoft.ManagedServices/registrationDefinitions");
    expect(dep.type).toBe("Microsoft.Resources/deployments");
    expect(dep.resourceGroup).toBe("[parameters('rgName')]");
    expect(dep.properties.template.resources[0]).toMatchObject({
      type: "Microsoft.ManagedServices/registrationAssignments",
      name: "[variables('mspAssignmentName')]",
    });
    expect((armParameters(plan) as Obj).parameters.rgName).toEqual({ value: "rg-app" });
    expect(plan.delegations[0].assignment.scope).toBe(`/subscriptions/${SUB}/resourceGroups/rg-app`);
  });

  it("several resource groups: one definition named guid(offer), a copy loop of nested assignments named guid(offer)", () => {
    const plan = planOnboarding(contoso({ resourceGroups: ["rg-a", "rg-b", "rg-c"] }));
    const t = armTemplate(plan) as Obj;
    expect(plan.variant).toBe("multiple-resource-groups");
    expect(t.resources).toHaveLength(2);
    expect(t.resources[0].name).toBe("[variables('mspRegistrationName')]");
    expect(t.resources[0].copy).toBeUndefined();
    expect(t.resources[1].copy).toEqual({ name: "deploymentCopy", count: "[length(parameters('resourceGroups'))]" });
    expect(t.resources[1].resourceGroup).toBe("[parameters('resourceGroups')[copyIndex()].rgName]");
    expect(t.resources[1].properties.template.resources[0].name).toBe("[variables('mspAssignmentName')]");
    expect((armParameters(plan) as Obj).parameters.resourceGroups.value).toEqual([{ rgName: "rg-a" }, { rgName: "rg-b" }, { rgName: "rg-c" }]);
    const offer = armGuid("Contoso Ltd managed services");
    expect(plan.delegations.map((d) => [d.definitionId, d.assignment.assignmentId])).toEqual([[offer, offer], [offer, offer], [offer, offer]]);
  });
});

describe("guide commands", () => {
  it("run in a POSIX shell as written: a resource group name with parentheses reaches az as one argument", () => {
    const rgs = ["rg-web", "rg(data)", "rg.archive_1"];
    const guide = renderOnboarding(contoso({ resourceGroups: rgs })).files[BUNDLE_FILES.guide];
    const removal = /## Remove the delegation[\s\S]*?```sh\n([\s\S]*?)```/.exec(guide)![1];
    // az stubbed: print each argument on its own line, one blank line per command.
    const r = spawnSync("bash", ["-c", `az() { printf '%s\\n' "$@"; echo; }\n${removal}`], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const groups = r.stdout.trim().split("\n\n").map((cmd) => cmd.split("\n"));
    expect(groups.map((args) => args[args.indexOf("--resource-group") + 1])).toEqual(rgs);
  });
});

/**
 * The arguments of one PowerShell command line made of bare words and single-quoted (verbatim) strings, read as the
 * PowerShell Language Specification 3.0 (2.3.5.2) reads a verbatim string: between single-quote-characters (' and
 * U+2018..U+201B), where two of them in a row stand for the second one. Anything else in a value fails the test.
 */
function powerShellArgs(line: string): string[] {
  const quote = /['\u2018\u2019\u201A\u201B]/;
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    if (quote.test(line[i])) {
      let v = "";
      for (i++; ; i++) {
        if (i >= line.length) throw new Error(`unterminated string in: ${line}`);
        if (quote.test(line[i])) {
          if (i + 1 < line.length && quote.test(line[i + 1])) v += line[++i];
          else break;
        } else v += line[i];
      }
      i++;
      args.push(v);
    } else {
      const m = /^[A-Za-z-]+(?= |$)/.exec(line.slice(i));
      if (!m) throw new Error(`not a bare word at ${i} in: ${line}`);
      args.push(m[0]);
      i += m[0].length;
    }
  }
  return args;
}

/** `-Name x -Scope y -Switch` -> {Name: "x", Scope: "y", Switch: true}. */
function powerShellParams(args: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 1; i < args.length; i++) {
    const name = args[i].slice(1);
    if (i + 1 < args.length && !args[i + 1].startsWith("-")) out[name] = args[++i];
    else out[name] = true;
  }
  return out;
}

/** The command lines of the guide's ```powershell block under `heading`. */
function powerShellBlock(guide: string, heading: string): string[][] {
  const section = guide.slice(guide.indexOf(`## ${heading}`));
  return /```powershell\n([\s\S]*?)```/.exec(section)![1].trim().split("\n").map(powerShellArgs);
}

describe("guide PowerShell commands", () => {
  const offer = armGuid("Contoso Ltd managed services");

  it("quote a value PowerShell would expand or split: $, backtick, parentheses, a quote and a typographic quote", () => {
    for (const v of ["rg(data)", "a'b", "it\u2019s", "$env:x `n; (1)", "1e5"]) {
      expect(powerShellArgs(`Get-X -Name ${powerShellString(v)}`)).toEqual(["Get-X", "-Name", v]);
    }
    expect(powerShellString("a'b\u2019c")).toBe("'a''b\u2019\u2019c'");
  });

  it("verify and remove a subscription delegation at its scope, with Az.ManagedServices' parameter names", () => {
    const guide = renderOnboarding(contoso()).files[BUNDLE_FILES.guide];
    expect(powerShellBlock(guide, "Verify").map((a) => [a[0], powerShellParams(a)])).toEqual([
      ["Get-AzManagedServicesAssignment", { Name: offer, Scope: `/subscriptions/${SUB}`, ExpandRegistrationDefinition: true }],
      ["Get-AzManagedServicesDefinition", { Name: offer, Scope: `/subscriptions/${SUB}` }],
    ]);
    expect(powerShellBlock(guide, "Remove the delegation").map((a) => [a[0], powerShellParams(a)])).toEqual([
      ["Remove-AzManagedServicesAssignment", { Name: offer, Scope: `/subscriptions/${SUB}` }],
    ]);
  });

  it("verify and remove each resource group's assignment at the group's scope; the one definition at the subscription", () => {
    const rgs = ["rg-web", "rg(data)", "rg.archive_1"];
    const guide = renderOnboarding(contoso({ resourceGroups: rgs })).files[BUNDLE_FILES.guide];
    const scopes = rgs.map((rg) => `/subscriptions/${SUB}/resourceGroups/${rg}`);
    expect(powerShellBlock(guide, "Verify").map((a) => [a[0], powerShellParams(a)])).toEqual([
      ...scopes.map((Scope) => ["Get-AzManagedServicesAssignment", { Name: offer, Scope, ExpandRegistrationDefinition: true }]),
      ["Get-AzManagedServicesDefinition", { Name: offer, Scope: `/subscriptions/${SUB}` }],
    ]);
    expect(powerShellBlock(guide, "Remove the delegation").map((a) => [a[0], powerShellParams(a)])).toEqual(
      scopes.map((Scope) => ["Remove-AzManagedServicesAssignment", { Name: offer, Scope }]),
    );
  });
});

describe("guide table", () => {
  it("a display name with markdown syntax (a |) stays in its cell, and a just-in-time row names its approvers", () => {
    const guide = renderOnboarding(
      contoso({
        authorizations: [{ principalId: OPS_GROUP, roleDefinitionId: READER, principalIdDisplayName: "Ops | tier_1 *night*" }],
        eligibleAuthorizations: [
          {
            principalId: ONCALL_GROUP,
            roleDefinitionId: CONTRIBUTOR,
            principalIdDisplayName: "On-call",
            justInTimeAccessPolicy: { maximumActivationDuration: "PT4H", managedByTenantApprovers: [{ principalId: OPS_GROUP, principalIdDisplayName: "Leads|EU" }] },
          },
        ],
      }),
    ).files[BUNDLE_FILES.guide];
    const table = /## What you grant\n\n([\s\S]*?)\n\n/.exec(guide)![1].split("\n");
    // GFM splits a row at every | not escaped by a backslash: each row keeps the header's 3 cells.
    const cells = (row: string) => row.replace(/\\\|/g, "").split("|").length - 2;
    expect(table.map(cells)).toEqual(table.map(() => 3));
    expect(guide).toContain("Ops \\| tier\\_1 \\*night\\*");
    expect(table.find((r) => r.includes("just-in-time"))).toContain(`approved by Leads\\|EU \`${OPS_GROUP}\``);
  });

  it("a principal without a display name is named by its object ID once", () => {
    const guide = renderOnboarding(
      contoso({
        authorizations: [{ principalId: OPS_GROUP, roleDefinitionId: READER }],
        eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: CONTRIBUTOR, justInTimeAccessPolicy: { managedByTenantApprovers: [{ principalId: OPS_GROUP }] } }],
      }),
    ).files[BUNDLE_FILES.guide];
    const table = /## What you grant\n\n([\s\S]*?)\n\n/.exec(guide)![1];
    for (const id of [OPS_GROUP, ONCALL_GROUP]) expect(table).not.toContain(`${id} \`${id}\``);
    expect(table).toContain(`| \`${ONCALL_GROUP}\` | `);
    expect(table).toContain(`approved by \`${OPS_GROUP}\``);
  });
});

describe("bundle", () => {
  it("holds template, parameters, guide and config; EA adds the DPOR steps with the partner ID", () => {
    const b = renderOnboarding(contoso({ agreement: "EA", partnerId: "5127255" }));
    expect(Object.keys(b.files).sort()).toEqual(Object.values(BUNDLE_FILES).sort());
    const guide = b.files[BUNDLE_FILES.guide];
    expect(guide).toContain("az deployment sub create");
    expect(guide).toContain("New-AzSubscriptionDeployment");
    expect(guide).toContain("Deploy a custom template");
    expect(guide).toMatch(/not a guest/);
    expect(guide).toContain("Partner of Record");
    expect(guide).toContain("5127255");
    expect(guide).toContain(`az managedservices assignment delete --assignment ${armGuid("Contoso Ltd managed services")}`);
    const config = JSON.parse(b.files[BUNDLE_FILES.config]);
    expect(config).toMatchObject({ pecPrincipals: [PEC_SP], allowedManagingTenants: [TENANT], partnerId: "5127255" });
    expect(config.subscriptions).toEqual([{ subscriptionId: SUB, name: "Contoso Ltd", agreement: "EA" }]);
  });

  it("names the deployment from the offer name with accents dropped, not cut out with the letters they sit on", () => {
    const guide = renderOnboarding(contoso({ customer: "Ünïcode Société" })).files[BUNDLE_FILES.guide];
    expect(guide).toContain("az deployment sub create --name lighthouse-Unicode-Societe-managed-services --location");
    expect(guide).toContain("New-AzSubscriptionDeployment -Name lighthouse-Unicode-Societe-managed-services -Location");
  });

  it("leaves the DPOR section out for non-EA customers", () => {
    const b = renderOnboarding(contoso({ agreement: "MCA" }));
    expect(b.files[BUNDLE_FILES.guide]).not.toContain("Partner of Record");
  });
});
