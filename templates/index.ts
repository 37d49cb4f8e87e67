export type {
  CustomerOnboarding,
  OnboardingAuthorization,
  OnboardingEligibleAuthorization,
  OnboardingApprover,
} from "./onboarding-spec";
export { OnboardingError } from "./onboarding-error";
export { type OnboardingSource } from "./onboarding-source";
export {
  type OnboardingPlan,
  type OnboardingVariant,
  type PlannedDelegation,
  planOnboarding,
  withoutRepeats,
  noteLine,
  writtenJitPolicy,
  WRITTEN_JIT_POLICY_DEFAULTS,
  type KeptAuthorizations,
  onboardingIds,
  onboardingConfig,
  onboardingEstate,
  defaultOfferName,
  DEFAULT_PEC_DISPLAY_NAME,
} from "./onboarding-plan";
export { armTemplate, armParameters, parameterValues, MANAGED_SERVICES_API_VERSION } from "./arm-template";
export { customerGuide, BUNDLE_FILES } from "./customer-guide";
export { renderOnboarding, customerFolderName, type OnboardingBundle } from "./bundle";
export { checkTreeWritable, OutputDirRefused, type OutputDirRefusal, writeTreeAtomically, type FileTree } from "./atomic-write";
export {
  validateOnboardingSpec,
  validateCustomerList,
  onboardingSpecViolations,
  armTemplateViolations,
  armParametersViolations,
  toJsonPath,
  type SchemaViolation,
} from "./schema-validation";
