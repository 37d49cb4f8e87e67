import { defineOnboardingStack, type OnboardingStackOptions, type OnboardingStackOutputs } from "./onboarding-program";
import { readStackConfig } from "./read-config";

/** The whole program: reads `partnerlink:*` stack config and declares the stack (what stack/index.ts runs). */
export function runOnboardingStack(options: OnboardingStackOptions = {}): OnboardingStackOutputs {
  const { config, secrets } = readStackConfig();
  return defineOnboardingStack(config, secrets, options);
}
