/**
 * The root onboarding stack's program: from a validated {@link StackConfig} and the two secrets, declares one
 * PartnerAdminLink (signed in as the PEC service principal) and, per customer, either a LighthouseOnboarding (the
 * partner holds a deployer credential in the customer's tenant) or the customer-side template package (the
 * customer deploys it). stack/index.ts is the entry Pulumi runs; this module is what tests call under setMocks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { LighthouseEligibleAuthorization } from "../arm";
import { strayEndpoint } from "../arm/connection";
import { LighthouseOnboarding, PartnerAdminLink, type ProviderConnection } from "../provider";
import { definitionGuid } from "../provider/lighthouse-ids";
import { PartnerAdminLink as PluginPartnerAdminLink } from "../provider/plugin";
import type { PartnerlinkConfig } from "../rules/config-types";
import { DEFAULT_PEC_ROLE_ID } from "../rules/roles";
import {
  checkTreeWritable,
  customerFolderName,
  type OnboardingBundle,
  OnboardingError,
  OutputDirRefused,
  renderOnboarding,
  noteLine,
  planOnboarding,
  withoutRepeats,
  writeTreeAtomically,
  writtenJitPolicy,
} from "../templates";
import type { CustomerOnboarding, KeptAuthorizations, OnboardingPlan, OnboardingSource } from "../templates";
import { customerNameProblem, deployerSecretPath, effectiveOfferName, sharedDelegationProblem, type CustomerConfig, type StackConfig } from "./stack-config";

/** Default folder (relative to the Pulumi project directory) for customer-side template packages. */
export const DEFAULT_TEMPLATES_DIR = "customer-templates";

/** The secrets, as Pulumi secret Outputs (never unwrapped outside an apply). */
export interface StackSecrets {
  /** Client secret of the PEC service principal (partner tenant): signs the Partner Admin Link. */
  pecClientSecret: pulumi.Input<string>;
  /** Customer name -> client secret of that customer's deployer. */
  deployerSecrets: pulumi.Input<Record<string, string>>;
  /**
   * The customer names `deployerSecrets` holds (not the values), when known: a deployer without its secret is
   * then refused before any resource is declared.
   */
  deployerSecretNames?: readonly string[];
}

export interface OnboardingStackOptions {
  /**
   * Project directory: relative `templatesDir` and `arm.caCertificateFile` are resolved against it. Default: the
   * Pulumi project's directory, the one holding Pulumi.yaml ({@link pulumiProjectDir}), not the working directory.
   */
  projectDir?: string;
  /** True during `pulumi preview`: template packages are rendered (validated) but not written. Default: the engine's. */
  dryRun?: boolean;
  /** LRO poll interval for the LighthouseOnboarding provider (the emulator answers fast). */
  updateIntervalInMs?: number;
}

/** What the stack exports. */
export interface OnboardingStackOutputs {
  link: pulumi.Output<{ partnerId: string; objectId: string; state: string }>;
  /** Customer name -> its delegation (definition ID and assignment IDs). */
  onboarded: pulumi.Output<Record<string, { definitionId: string; assignmentIds: string[] }>>;
  /** Customer name -> the folder holding its template package (written on update only). */
  templates: Record<string, string>;
  /** The resources, for tests and for programs that build on the stack. */
  resources: { partnerAdminLink: PartnerAdminLink | PluginPartnerAdminLink; onboardings: Record<string, LighthouseOnboarding> };
}

/**
 * Resource name of a customer's LighthouseOnboarding: derived from what the delegation IS in Azure, its
 * subscription and its registration definition name guid(offerName) (provider/lighthouse-ids.ts), never from the
 * customer name. Renaming a customer in the config then keeps the resource (an update of its inputs): a name
 * derived from the customer made a rename "create the new, delete the old", and the new one adopted the very
 * definition and assignments (same guid(offerName)) that deleting the old one then removed. Unique per stack:
 * two customers with one subscription and one offer name are refused (sharedDelegationProblem). Adding a
 * customer still adds just its resource; a new offer name or subscription is another delegation, so another name.
 */
export function onboardingResourceName(subscriptionId: string, offerName: string): string {
  return `lighthouse-${subscriptionId.toLowerCase()}-${definitionGuid(offerName)}`;
}

/**
 * The name earlier versions gave a customer's LighthouseOnboarding (`lighthouse-<customer>`): declared as an alias,
 * so a stack onboarded by them moves to the new name with no replacement (the engine matches the alias to the
 * recorded resource). Upgrade first, then rename customers: a stack that renames a customer in the same update
 * as it upgrades has no record under the new customer's old name.
 */
export function legacyOnboardingResourceName(customer: string): string {
  return `lighthouse-${customer}`;
}

export const PARTNER_ADMIN_LINK_NAME = "partner-admin-link";

/** A clean, stackless failure: Pulumi's runner prints a RunError's message only (@pulumi/pulumi cmd/run/run.js). */
export function stackError(message: string): pulumi.RunError {
  const e = new pulumi.RunError(message);
  e.stack = message;
  return e;
}

/**
 * The Pulumi project's directory (the one holding Pulumi.yaml). Not `process.cwd()`: when Pulumi.yaml's `main` names a
 * file, the engine starts the program in that file's folder (the root stack's `main: dist/stack/index.js` runs in
 * dist/stack), so relative config paths would land in the build output. The engine's root directory when the
 * language host passes it (PULUMI_NODEJS_ROOT_DIRECTORY), else the nearest folder from `start` up that holds a
 * Pulumi.yaml (or Pulumi.yml), else `start`.
 */
export function pulumiProjectDir(start: string = process.cwd()): string {
  const root = pulumi.runtime.getRootDirectory();
  if (path.isAbsolute(root) && isProjectDir(root)) return root;
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isProjectDir(dir)) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

function isProjectDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, "Pulumi.yaml")) || fs.existsSync(path.join(dir, "Pulumi.yml"));
}

/** Endpoint settings shared by every connection (`partnerlink:arm`); reads the CA file. */
export function connectionBase(cfg: StackConfig, projectDir: string): Omit<ProviderConnection, "credential"> {
  const arm = cfg.arm ?? {};
  const base: Omit<ProviderConnection, "credential"> = {};
  if (arm.cloud) base.cloud = arm.cloud;
  if (arm.endpoint) base.endpoint = arm.endpoint;
  if (arm.authorityHost) base.authorityHost = arm.authorityHost;
  // The stack signs in from credentials it builds: a foreign endpoint without its authority would get the cloud's token.
  const stray = strayEndpoint(base);
  if (stray !== undefined) {
    throw stackError(
      `partnerlink:arm.endpoint: '${stray.endpoint}' is not the cloud's ARM endpoint, and partnerlink:arm.authorityHost is not set: the stack would sign in at ${stray.authority} and send that token to it. Set partnerlink:arm.authorityHost too (the emulator's URL), or remove partnerlink:arm.endpoint`,
    );
  }
  if (arm.caCertificateFile) {
    const file = path.resolve(projectDir, arm.caCertificateFile);
    let pem: string;
    try {
      pem = fs.readFileSync(file, "utf8");
    } catch {
      throw stackError(`partnerlink:arm.caCertificateFile: cannot read '${arm.caCertificateFile}'; give the path of a PEM CA certificate (e.g. the emulator's ca.pem)`);
    }
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
      throw stackError(`partnerlink:arm.caCertificateFile: '${arm.caCertificateFile}' holds no PEM certificate; give the emulator's ca.pem`);
    }
    base.caCertificatePem = pem;
  }
  return base;
}

/**
 * The rules configuration each LighthouseOnboarding's check() applies (per-delegation rules only). It holds only
 * what those rules read: the partner ID or the PAL-linked principals belong to the estate rules (the policy pack),
 * and putting them here would make every onboarding "change" when the link is moved to another partner ID.
 */
export function rulesConfigOf(cfg: StackConfig): PartnerlinkConfig {
  return {
    pecPrincipals: [cfg.partner.pecPrincipal.objectId],
    allowedManagingTenants: cfg.allowedManagingTenants ?? [cfg.partner.managingTenantId],
  };
}

/** An eligible authorization with its just-in-time policy as the template generator writes it (templates/onboarding-plan.ts writtenJitPolicy), so a delegation made here equals the one a template would make. */
function withJitDefaults(e: NonNullable<CustomerConfig["eligibleAuthorizations"]>[number]): LighthouseEligibleAuthorization {
  const out: LighthouseEligibleAuthorization = { principalId: e.principalId, roleDefinitionId: e.roleDefinitionId, justInTimeAccessPolicy: writtenJitPolicy(e.justInTimeAccessPolicy) };
  if (e.principalIdDisplayName !== undefined) out.principalIdDisplayName = e.principalIdDisplayName;
  return out;
}

/** One customer's template package input (templates/ generator), from the stack config. */
export function templateSpecOf(cfg: StackConfig, c: CustomerConfig): CustomerOnboarding {
  const p = cfg.partner;
  const spec: CustomerOnboarding = {
    customer: c.name,
    subscriptionId: c.subscriptionId,
    managingTenantId: p.managingTenantId,
    pecPrincipalId: p.pecPrincipal.objectId,
    pecRoleId: p.pecPrincipal.roleDefinitionId ?? DEFAULT_PEC_ROLE_ID,
    offerName: effectiveOfferName(cfg, c),
    partnerId: p.partnerId,
  };
  if (p.pecPrincipal.displayName) spec.pecPrincipalDisplayName = p.pecPrincipal.displayName;
  // As given: an empty list is refused by the planner (rules/resource-groups.ts), not read as the subscription.
  if (c.resourceGroups !== undefined) spec.resourceGroups = c.resourceGroups;
  if (c.authorizations?.length) spec.authorizations = c.authorizations;
  if (c.eligibleAuthorizations?.length) spec.eligibleAuthorizations = c.eligibleAuthorizations;
  if (c.agreement) spec.agreement = c.agreement;
  return spec;
}

/**
 * How the stack's config names a customer's onboarding (templates/onboarding-source.ts): the planner's errors, rule
 * findings and notices name the `pulumi config` paths the values come from, `partnerlink:customers[2].authorizations[0]`
 * and `partnerlink:partner.pecPrincipal.roleDefinitionId`, the spec being made of the partner's and the customer's
 * config. Every spec key is named (the stack has no offerDescription: the default one is made of the customer name).
 */
export function onboardingSourceOf(cfg: StackConfig, index: number): OnboardingSource {
  const c = cfg.customers[index];
  const customer = `partnerlink:customers[${index}]`;
  const partner = "partnerlink:partner";
  const keys: Record<keyof CustomerOnboarding, string> = {
    customer: `${customer}.name`,
    subscriptionId: `${customer}.subscriptionId`,
    resourceGroups: `${customer}.resourceGroups`,
    managingTenantId: `${partner}.managingTenantId`,
    pecPrincipalId: `${partner}.pecPrincipal.objectId`,
    pecPrincipalDisplayName: `${partner}.pecPrincipal.displayName`,
    pecRoleId: `${partner}.pecPrincipal.roleDefinitionId`,
    offerName: c.offerName === undefined && cfg.partner.offerName !== undefined ? `${partner}.offerName` : `${customer}.offerName`,
    offerDescription: `${customer}.name`,
    authorizations: `${customer}.authorizations`,
    eligibleAuthorizations: `${customer}.eligibleAuthorizations`,
    agreement: `${customer}.agreement`,
    partnerId: `${partner}.partnerId`,
  };
  return { name: `${customer} (customer '${c.name}')`, keys };
}

/**
 * What the stack keeps of a customer's authorizations, as the template generator does (templates/onboarding-plan.ts
 * withoutRepeats): each grant once, an exact repeat (of the PEC authorization the stack adds, or of an earlier entry)
 * left out, with a notice naming the config path and the fix. The LighthouseOnboarding it declares then gets no
 * repeat, which its check() would refuse.
 */
export function keptAuthorizations(cfg: StackConfig, index: number): KeptAuthorizations {
  return withoutRepeats(templateSpecOf(cfg, cfg.customers[index]), onboardingSourceOf(cfg, index));
}

/**
 * The PartnerAdminLink's inputs: the link is made by the PEC service principal (client secret credential in the
 * partner tenant). `S` is a plain string (the demo's direct create() path) or a secret Output (the stack).
 * `objectId` is the PEC principal's: the link refuses a credential of another identity, which would leave every
 * delegation's PEC authorization (made for pecPrincipal.objectId) unlinked.
 */
export function partnerAdminLinkInputs<S>(cfg: StackConfig, base: Omit<ProviderConnection, "credential">, clientSecret: S) {
  const p = cfg.partner;
  return {
    partnerId: p.partnerId,
    allowRelink: p.allowRelink ?? false,
    objectId: p.pecPrincipal.objectId,
    messageKeys: { partnerId: "partnerlink:partner.partnerId", allowRelink: "partnerlink:partner.allowRelink", objectId: "partnerlink:partner.pecPrincipal.objectId" },
    connection: { ...base, credential: { kind: "clientSecret" as const, tenantId: p.managingTenantId, clientId: p.pecPrincipal.clientId, clientSecret } },
  };
}

/** One customer's LighthouseOnboarding inputs (signed in as the customer's deployer). `S` as above. */
export function lighthouseOnboardingInputs<S>(cfg: StackConfig, c: CustomerConfig, base: Omit<ProviderConnection, "credential">, clientSecret: S) {
  const p = cfg.partner;
  if (!c.deployer) throw new Error(`customer '${c.name}' has no deployer`);
  const index = cfg.customers.indexOf(c);
  if (index < 0) throw new Error(`customer '${c.name}' is not one of the config's customers`);
  const kept = keptAuthorizations(cfg, index);
  const authorizations = c.authorizations ?? [];
  const eligible = c.eligibleAuthorizations ?? [];
  return {
    managingTenantId: p.managingTenantId,
    customerTenantId: c.tenantId,
    subscriptionId: c.subscriptionId,
    // Left out when the config leaves it out: the resource reads that as the subscription, and refuses [].
    ...(c.resourceGroups !== undefined ? { resourceGroups: c.resourceGroups } : {}),
    offerName: effectiveOfferName(cfg, c),
    authorizations: kept.authorizations.map((i) => authorizations[i]!),
    eligibleAuthorizations: kept.eligibleAuthorizations.map((i) => withJitDefaults(eligible[i]!)),
    pecAuthorization: {
      principalId: p.pecPrincipal.objectId,
      principalDisplayName: p.pecPrincipal.displayName ?? "Partner Earned Credit identity",
      roleDefinitionId: p.pecPrincipal.roleDefinitionId ?? DEFAULT_PEC_ROLE_ID,
    },
    customerConnection: { ...base, credential: { kind: "clientSecret" as const, tenantId: c.tenantId, clientId: c.deployer.clientId, clientSecret } },
    rulesConfig: {
      ...rulesConfigOf(cfg),
      subscriptions: [{ subscriptionId: c.subscriptionId, name: c.name, ...(c.agreement ? { agreement: c.agreement } : {}), ...(c.dpor !== undefined ? { dpor: c.dpor } : {}) }],
    },
  };
}

/**
 * The template package of a customer without a deployer (templates/ generator), with the plan's notices. Throws a
 * RunError when the onboarding would fail the rules; it names the stack config's paths (onboardingSourceOf).
 */
export function templateBundle(cfg: StackConfig, index: number): OnboardingBundle {
  return inStackTerms(() => renderOnboarding(templateSpecOf(cfg, cfg.customers[index]), onboardingSourceOf(cfg, index)));
}

/** The onboarding plan of a customer (its rules judged, in stack config terms), as {@link templateBundle} plans it. */
export function onboardingPlan(cfg: StackConfig, index: number): OnboardingPlan {
  return inStackTerms(() => planOnboarding(templateSpecOf(cfg, cfg.customers[index]), onboardingSourceOf(cfg, index)));
}

/** `fn`'s result; an error it throws (an OnboardingError names the stack config's paths) as one stack error line. */
function inStackTerms<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const msg = err instanceof OnboardingError || err instanceof Error ? err.message : String(err);
    throw stackError(msg.split("\n")[0]);
  }
}

/** The files of {@link templateBundle}: file name -> content. */
export function templatePackage(cfg: StackConfig, index: number): Record<string, string> {
  return templateBundle(cfg, index).files;
}

/** Where a customer's template package goes. */
export function templateFolder(cfg: StackConfig, customer: string, projectDir: string): string {
  return path.join(path.resolve(projectDir, cfg.templatesDir ?? DEFAULT_TEMPLATES_DIR), customerFolderName(customer));
}

/**
 * Why a customer's template folder cannot be (re)written, in stack terms: one line naming
 * `partnerlink:templatesDir`, the customer and the fix. `err` is what writing (or checking) the folder threw.
 */
export function templateFolderError(cfg: StackConfig, index: number, folder: string, err: unknown): pulumi.RunError {
  const c = cfg.customers[index];
  const where = `partnerlink:templatesDir: the template folder of customer '${c.name}' (partnerlink:customers[${index}]), ${folder},`;
  const elsewhere = "or set partnerlink:templatesDir to another folder";
  if (err instanceof OutputDirRefused) {
    switch (err.reason) {
      case "foreign-files":
        return stackError(
          `${where} holds files partnerlink did not write (${err.files.join(", ")}${err.files.length >= 5 ? ", ..." : ""}); ` +
            `every pulumi up replaces that folder with the generated package, so move those files out of it, ${elsewhere}`,
        );
      case "not-a-directory":
        return stackError(`${where} exists and is not a folder; move it away, ${elsewhere}`);
      case "protected":
        return stackError(`${where} is the project directory, contains it, or is the filesystem root; set partnerlink:templatesDir to a folder of its own`);
      case "too-large":
        return stackError(`${where} holds too many entries to be a previous template package; move it away, ${elsewhere}`);
      case "not-writable":
        return stackError(
          `${where} cannot be replaced: ${err.files[0] === "." ? "it is" : `its folder '${err.files[0]}' is`} not writable, so its files cannot be removed; make it writable, ${elsewhere}`,
        );
      default:
        return stackError(`${where} cannot be replaced; move it away, ${elsewhere}`);
    }
  }
  const detail = (err instanceof Error ? err.message.split("\n")[0] : String(err)).replace(/^Error: /, "");
  return stackError(`${where} cannot be written (${detail}); check the folder's permissions, ${elsewhere}`);
}

/**
 * Declares the stack's resources. Throws a RunError (one line naming the config key) for config the schema
 * cannot see: an unreadable CA file, a customer whose onboarding would fail the rules.
 */
export function defineOnboardingStack(cfg: StackConfig, secrets: StackSecrets, options: OnboardingStackOptions = {}): OnboardingStackOutputs {
  const projectDir = options.projectDir ?? pulumiProjectDir();
  const dryRun = options.dryRun ?? pulumi.runtime.isDryRun();
  const base = connectionBase(cfg, projectDir);

  // Everything the config can get wrong is refused before any resource is declared (nothing half-declared), with
  // the checks parseStackConfig makes: a StackConfig built by a program has not been through it.
  const clash = customerNameProblem(cfg);
  if (clash !== undefined) throw stackError(clash);
  const shared = sharedDelegationProblem(cfg);
  if (shared !== undefined) throw stackError(shared);
  const packages = new Map<string, { folder: string; files: Record<string, string> }>();
  // What the stack leaves out of the config (an authorization repeating another), one warning each, as the template
  // command prints notes and the CDKTF construct warns at synth.
  const notices: string[] = [];
  const infos: string[] = [];
  cfg.customers.forEach((c, i) => {
    let plan: OnboardingPlan;
    if (c.deployer) {
      if (secrets.deployerSecretNames !== undefined && !secrets.deployerSecretNames.includes(c.name)) {
        throw stackError(
          `partnerlink:customers[${i}].deployer: no secret for customer '${c.name}' in partnerlink:deployerSecrets; ` +
            `add it (pulumi config set --secret --path '${deployerSecretPath(c.name)}' <client secret>) or remove 'deployer' to generate the customer-side template instead`,
        );
      }
      // Judged here as a template customer is, so a mistake is named by its stack config path and customer before
      // anything is declared (the LighthouseOnboarding's check() judges the same inputs again, by its input names).
      plan = onboardingPlan(cfg, i);
    } else {
      const bundle = templateBundle(cfg, i);
      plan = bundle.plan;
      // What the write would refuse (a file the user put in the folder, ...) is reported by preview too.
      const folder = templateFolder(cfg, c.name, projectDir);
      try {
        checkTreeWritable(folder, bundle.files, { overwrite: true, cwd: projectDir });
      } catch (err) {
        throw templateFolderError(cfg, i, folder, err);
      }
      packages.set(c.name, { folder, files: bundle.files });
    }
    // What the planner left out, and the rules' warnings, as `partnerlink template` prints them.
    notices.push(...plan.notices);
    for (const note of plan.notes) (note.severity === "info" ? infos : notices).push(`partnerlink:customers[${i}] (customer '${c.name}'): ${noteLine(note)}`);
  });
  for (const n of notices) void pulumi.log.warn(n);
  for (const n of infos) void pulumi.log.info(n);
  // The customers without a deployer deploy the generated packages themselves: written on a real update only,
  // before any resource is declared (a folder that cannot be written stops the update with nothing declared).
  if (!dryRun) {
    cfg.customers.forEach((c, i) => {
      const p = packages.get(c.name);
      if (!p) return;
      try {
        writeTreeAtomically(p.folder, p.files, { overwrite: true, cwd: projectDir });
      } catch (err) {
        throw templateFolderError(cfg, i, p.folder, err);
      }
    });
  }

  // The same link either way; the plugin's form can be adopted with `pulumi import` (provider/README.md).
  const linkInputs = partnerAdminLinkInputs(cfg, base, pulumi.secret(secrets.pecClientSecret));
  const partnerAdminLink =
    cfg.partner.linkProvider === "plugin"
      ? new PluginPartnerAdminLink(PARTNER_ADMIN_LINK_NAME, linkInputs)
      : new PartnerAdminLink(PARTNER_ADMIN_LINK_NAME, linkInputs);

  const deployerSecrets = pulumi.secret(secrets.deployerSecrets);
  const onboardings: Record<string, LighthouseOnboarding> = {};
  const templates: Record<string, string> = {};

  cfg.customers.forEach((c) => {
    if (c.deployer) {
      const clientSecret = deployerSecrets.apply((all) => all?.[c.name] ?? "");
      onboardings[c.name] = new LighthouseOnboarding(
        onboardingResourceName(c.subscriptionId, effectiveOfferName(cfg, c)),
        lighthouseOnboardingInputs(cfg, c, base, clientSecret),
        { dependsOn: [partnerAdminLink], aliases: [{ name: legacyOnboardingResourceName(c.name) }] },
        options.updateIntervalInMs !== undefined ? { updateIntervalInMs: options.updateIntervalInMs } : undefined,
      );
      return;
    }
    // No deployer: the customer deploys the generated package (rendered, checked and written above).
    templates[c.name] = packages.get(c.name)!.folder;
  });

  const link = pulumi
    .all([partnerAdminLink.partnerId, partnerAdminLink.objectId, partnerAdminLink.state])
    .apply(([partnerId, objectId, state]) => ({ partnerId, objectId, state }));
  const names = Object.keys(onboardings);
  const onboarded = pulumi
    .all(names.map((n) => pulumi.all([onboardings[n].definitionId, onboardings[n].assignmentIds])))
    .apply((rows) => Object.fromEntries(rows.map(([definitionId, assignmentIds], k) => [names[k], { definitionId, assignmentIds }])));
  return { link, onboarded, templates, resources: { partnerAdminLink, onboardings } };
}
