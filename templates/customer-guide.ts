import { lookupRole } from "../rules/roles";
import type { OnboardingPlan } from "./onboarding-plan";

/** File names of one customer's onboarding bundle. */
export const BUNDLE_FILES = {
  template: "onboarding.json",
  parameters: "onboarding.parameters.json",
  guide: "CUSTOMER-GUIDE.md",
  config: "partnerlink.config.json",
} as const;

function roleName(roleId: string): string {
  return lookupRole(roleId)?.name ?? `role ${roleId}`;
}

/**
 * A value as one word of a POSIX shell command: as is when it holds only characters no shell treats specially, else
 * in single quotes (a resource group name may hold parentheses, which bash and zsh read as syntax).
 */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_.\/:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A value as one PowerShell argument: always a single-quoted (verbatim) string, in which PowerShell expands nothing
 * (`$`, backtick, parentheses, `;` are text) and a quote is written twice. PowerShell takes the typographic single
 * quotes U+2018..U+201B for `'` too, so they are doubled as well; a bare word is never used, since PowerShell may read
 * one that starts with digits as a number (`1e5`). Sources: learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules
 * ("Single-quoted strings", "use a second consecutive single quote"); PowerShell Language Specification 3.0, 2.3.5.2
 * String literals (single-quote-character: U+0027, U+2018, U+2019, U+201A, U+201B).
 */
export function powerShellString(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (q) => q + q)}'`;
}

/**
 * A name as markdown text: the characters markdown reads as syntax are escaped, so a display name or offer name shows
 * as written and a `|` in it does not split a table row (CommonMark backslash escapes; GFM tables honour `\|`).
 */
function mdText(value: string): string {
  return value.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}

/** `s` with its combining accents dropped (`Ünïcode` -> `Unicode`): the guide's deployment name, and the folder name (bundle.ts). */
export function withoutAccents(s: string): string {
  return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

/**
 * The deployment name the guide's commands use: `lighthouse-` and the offer name in ASCII letters, digits, `_ . -`
 * (ARM deployment names: at most 64 characters). Accents are dropped first, as the folder name drops them
 * (bundle.ts customerFolderName), so `Ünïcode GmbH` gives `Unicode-GmbH`, not `n-code-GmbH`.
 */
function deploymentName(plan: OnboardingPlan): string {
  const slug = withoutAccents(plan.offerName).replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50);
  return `lighthouse-${slug || "onboarding"}`;
}

/**
 * The markdown guide a partner hands the customer with the template: who deploys it, how (Azure CLI,
 * portal, PowerShell), how to verify, the DPOR steps for EA subscriptions, and how to remove the delegation.
 * Sources: learn.microsoft.com/azure/lighthouse/how-to/onboard-customer (deploy, verify, "non-guest account
 * ... Owner"), /how-to/remove-delegation, partner-center link-partner-id-for-azure-performance-pec (DPOR).
 */
export function customerGuide(plan: OnboardingPlan): string {
  const sub = plan.subscriptionId;
  const name = deploymentName(plan);
  const scopeText =
    plan.variant === "subscription"
      ? `the whole subscription \`${sub}\``
      : `the resource group${plan.resourceGroups.length > 1 ? "s" : ""} ${plan.resourceGroups.map((r) => `\`${r}\``).join(", ")} of subscription \`${sub}\``;
  const L: string[] = [];
  L.push(`# Azure Lighthouse onboarding for ${mdText(plan.customer)}`, "");
  L.push(
    `This folder delegates ${scopeText} to your managed service provider's tenant \`${plan.managingTenantId}\` ` +
      `through Azure Lighthouse (offer **${mdText(plan.offerName)}**). Your provider's people get exactly the roles listed below; ` +
      `you can see and remove the delegation at any time.`,
    "",
  );
  L.push("Files:", "", `- \`${BUNDLE_FILES.template}\`: the ARM deployment template (subscription scope).`);
  L.push(`- \`${BUNDLE_FILES.parameters}\`: its parameters, filled in for you.`);
  L.push(`- \`${BUNDLE_FILES.config}\`: for your provider (\`partnerlink check\`); you do not need it.`, "");

  L.push("## What you grant", "", "| principal (in the provider's tenant) | role | kind |", "|---|---|---|");
  for (const [i, a] of plan.authorizations.entries()) {
    const note = i === 0 ? " (the provider's Partner Earned Credit identity; keep it)" : "";
    L.push(`| ${who(a.principalIdDisplayName, a.principalId)}${note} | ${roleName(a.roleDefinitionId)} | permanent |`);
  }
  for (const e of plan.eligibleAuthorizations) {
    const p = e.justInTimeAccessPolicy;
    // Who must approve each activation, when anyone must: the customer sees it before granting.
    const approvers = (p?.managedByTenantApprovers ?? []).map((a) => who(a.principalIdDisplayName, a.principalId));
    L.push(
      `| ${who(e.principalIdDisplayName, e.principalId)} | ${roleName(e.roleDefinitionId)} | just-in-time, up to ${p?.maximumActivationDuration ?? "PT8H"}, MFA: ${p?.multiFactorAuthProvider ?? "Azure"}${approvers.length > 0 ? `, approved by ${approvers.join(", ")}` : ""} |`,
    );
  }
  L.push("");

  L.push("## Who must deploy it", "");
  L.push(
    "- A user **in your own tenant** (not a guest account invited from another tenant) who is **Owner** of the subscription " +
      `\`${sub}\` (or holds another role with \`Microsoft.Authorization/roleAssignments/write\`).`,
    "- Deploy it once per subscription. The deployment is idempotent: running it again with the same offer name updates the same delegation.",
    "- The `Microsoft.ManagedServices` resource provider must be registered on the subscription " +
      `(\`az provider register --namespace Microsoft.ManagedServices --subscription ${sub}\`).`,
    "",
  );

  L.push("## Deploy", "", "Pick one of the three ways. The location below is only where the deployment record is kept.", "");
  L.push("### Azure CLI", "", "```sh", "az login --tenant <your tenant ID>", `az account set --subscription ${sub}`);
  L.push(
    `az deployment sub create --name ${name} --location westeurope \\`,
    `  --template-file ${BUNDLE_FILES.template} --parameters @${BUNDLE_FILES.parameters}`,
    "```",
    "",
  );
  L.push("### Azure PowerShell", "", "```powershell", "Connect-AzAccount -Tenant <your tenant ID>", `Set-AzContext -Subscription ${sub}`);
  L.push(
    `New-AzSubscriptionDeployment -Name ${name} -Location westeurope \``,
    `  -TemplateFile ${BUNDLE_FILES.template} -TemplateParameterFile ${BUNDLE_FILES.parameters}`,
    "```",
    "",
  );
  L.push(
    "### Azure portal",
    "",
    "1. Search for **Deploy a custom template**, choose **Build your own template in the editor**, **Load file**, pick " +
      `\`${BUNDLE_FILES.template}\`, then **Save**.`,
    `2. Choose the subscription \`${sub}\` and a region; the parameters are already filled in from the template.`,
    "3. **Review + create**, then **Create**.",
    "",
  );

  L.push("## Verify", "");
  L.push(
    "- Portal: **Service providers** > **Service provider offers** shows the offer; **Delegations** shows what is delegated.",
    "- Azure CLI:",
    "",
    "```sh",
    `az managedservices assignment list --subscription ${sub} --include-definition true -o table`,
  );
  for (const id of new Set(plan.delegations.map((d) => d.definitionId))) L.push(`az managedservices definition show --definition ${id} --subscription ${sub}`);
  L.push("```", "", "- Azure PowerShell (module Az.ManagedServices, part of Az):", "", "```powershell");
  // Get-AzManagedServicesAssignment -Name -Scope -ExpandRegistrationDefinition, Get-AzManagedServicesDefinition -Name
  // -Scope (learn.microsoft.com/powershell/module/az.managedservices/get-azmanagedservicesassignment and
  // /get-azmanagedservicesdefinition, parameter set "Get"). -Scope is given every time: left out, it is the subscription
  // of the current context, and an assignment to a resource group is found only at the group's scope.
  for (const d of plan.delegations) {
    L.push(`Get-AzManagedServicesAssignment -Name ${powerShellString(d.assignment.assignmentId)} -Scope ${powerShellString(d.assignment.scope)} -ExpandRegistrationDefinition`);
  }
  for (const [id, scope] of new Map(plan.delegations.map((d) => [d.definitionId, d.definitionScope]))) {
    L.push(`Get-AzManagedServicesDefinition -Name ${powerShellString(id)} -Scope ${powerShellString(scope)}`);
  }
  L.push("```", "", "Expected registration definition and assignment names:", "");
  for (const d of plan.delegations) {
    L.push(`- definition \`${d.definitionId}\`, assignment \`${d.assignment.assignmentId}\` at \`${d.assignment.scope}\``);
  }
  L.push("");

  if (plan.agreement === "EA") {
    L.push("## Enterprise Agreement: set the Partner of Record (DPOR)", "");
    L.push(
      "Your subscription is under an Enterprise Agreement, where the partner is recognised through the Digital Partner " +
        "of Record (DPOR). There is no API for it: the account owner sets it in the portal, per subscription.",
      "",
      "1. Sign in to the Azure portal as the **account owner** of the subscription (service administrators, co-administrators and delegated-admin partners cannot set it).",
      `2. Open **Subscriptions** > \`${sub}\` > **Partner information**.`,
      `3. Enter the partner ID **${plan.partnerId ?? "<ask your provider for its partner ID>"}** and **Save**.`,
      "4. Tell your provider it is done; they record it as `dpor: true` for this subscription.",
      "",
      "A subscription has one Partner of Record at a time. DPOR does not carry over if the subscription moves from EA to an Azure plan (Microsoft Customer Agreement).",
      "",
    );
  }

  L.push("## Remove the delegation", "");
  L.push(
    "You can end the delegation at any time; your provider loses access immediately.",
    "",
    "- Portal: **Service providers** > **Delegations**, select the delegation, **Remove** (trash icon). Needs Owner (or a role with `Microsoft.Authorization/roleAssignments/write`).",
    "- Azure CLI:",
    "",
    "```sh",
  );
  for (const d of plan.delegations) {
    L.push(`az managedservices assignment delete --assignment ${d.assignment.assignmentId} --subscription ${sub}${d.assignment.resourceGroup ? ` --resource-group ${shellWord(d.assignment.resourceGroup)}` : ""}`);
  }
  L.push("```", "", "- Azure PowerShell:", "", "```powershell");
  // Remove-AzManagedServicesAssignment -Name -Scope, subscription and resource group scope alike
  // (learn.microsoft.com/powershell/module/az.managedservices/remove-azmanagedservicesassignment, examples 1 and 2).
  for (const d of plan.delegations) {
    L.push(`Remove-AzManagedServicesAssignment -Name ${powerShellString(d.assignment.assignmentId)} -Scope ${powerShellString(d.assignment.scope)}`);
  }
  L.push("```", "");
  L.push(
    "Deleting the deployment record (`az deployment sub delete`, `Remove-AzSubscriptionDeployment`) does **not** remove the delegation; delete the assignment as above.",
    "",
  );
  return L.join("\n");
}

/** A principal as the guide names it: its display name and object ID, or the ID alone when it has no name. */
function who(displayName: string | undefined, principalId: string): string {
  return displayName === undefined ? `\`${principalId}\`` : `${mdText(displayName)} \`${principalId}\``;
}
