import { armParameters, armTemplate } from "./arm-template";
import { BUNDLE_FILES, customerGuide, withoutAccents } from "./customer-guide";
import { OnboardingError } from "./onboarding-error";
import { type OnboardingPlan, planOnboarding } from "./onboarding-plan";
import type { OnboardingSource } from "./onboarding-source";
import { armParametersViolations, armTemplateViolations } from "./schema-validation";

/** One customer's files, in memory: file name -> content. */
export interface OnboardingBundle {
  plan: OnboardingPlan;
  files: Record<string, string>;
}

/**
 * Plans, renders and validates one customer's onboarding: template and parameters are checked with ajv
 * against templates/schemas before anything is returned, so nothing invalid is ever written. `generator`
 * goes into the template's metadata (the CLI passes "partnerlink <version>"). `source` and `pathPrefix`: as for
 * {@link planOnboarding}.
 */
export function renderOnboarding(
  input: unknown,
  source: string | OnboardingSource = "onboarding",
  pathPrefix = "$",
  options: { generator?: string } = {},
): OnboardingBundle {
  const plan = planOnboarding(input, source, pathPrefix);
  const sourceName = plan.source.name;
  const template = armTemplate(plan, options.generator ?? "partnerlink");
  const parameters = armParameters(plan);
  const bad = [
    ...armTemplateViolations(template).map((v) => `${BUNDLE_FILES.template} ${v.path} ${v.message}`),
    ...armParametersViolations(parameters).map((v) => `${BUNDLE_FILES.parameters} ${v.path} ${v.message}`),
  ];
  if (bad.length > 0) {
    throw new OnboardingError(`${sourceName}: the generated files fail their schema (a partnerlink bug, please report it): ${bad.join("; ")}`);
  }
  const json = (v: unknown) => JSON.stringify(v, null, 2) + "\n";
  return {
    plan,
    files: {
      [BUNDLE_FILES.template]: json(template),
      [BUNDLE_FILES.parameters]: json(parameters),
      [BUNDLE_FILES.guide]: customerGuide(plan),
      [BUNDLE_FILES.config]: json(plan.config),
    },
  };
}

/**
 * Folder name for a customer: lower-case letters, digits and hyphens. Accents (U+0300..U+036F) are dropped
 * (Ünïcode GmbH -> unicode-gmbh, Ελληνική -> ελληνικη); letters of other scripts are kept (株式会社テスト stays as
 * written, in NFC), so customers named in them do not all collapse into one "customer" folder. At most 60
 * characters (code points, never half a pair).
 */
export function customerFolderName(customer: string): string {
  const slug = Array.from(
    withoutAccents(customer)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "")
      .normalize("NFC"),
  )
    .slice(0, 60)
    .join("")
    .replace(/-+$/, "");
  return slug || "customer";
}
