/**
 * An eligible authorization's maximumActivationDuration is taken in one form by `partnerlink template` (the template
 * spec, templates/schemas/customer-onboarding.schema.json) and by the root stack's config (stack/config.schema.json):
 * both $ref rules/activation-duration.schema.json. Each duration below goes through both inputs and gets the same answer.
 */
import { ACTIVATION_DURATION_FORM } from "../../rules/activation-duration";
import { parseStackConfig, StackConfigError } from "../../stack/stack-config";
import { OnboardingError, planOnboarding } from "../../templates";
import { baseConfig } from "../stack/fixtures";
import { contoso, ONCALL_GROUP, VM_CONTRIBUTOR } from "./fixtures";

/** The template spec's answer: undefined when the duration is taken, else the error message. */
function viaTemplateSpec(duration: string): string | undefined {
  try {
    planOnboarding(
      contoso({
        eligibleAuthorizations: [{ principalId: ONCALL_GROUP, roleDefinitionId: VM_CONTRIBUTOR, justInTimeAccessPolicy: { maximumActivationDuration: duration } }],
      }),
      "customers.yaml",
      "$[0]",
    );
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(OnboardingError);
    return (e as Error).message;
  }
}

/** The stack config's answer, the same way. */
function viaStackConfig(duration: string): string | undefined {
  const c = baseConfig();
  c.customers[1].eligibleAuthorizations![0].justInTimeAccessPolicy = { maximumActivationDuration: duration };
  try {
    parseStackConfig(c);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(StackConfigError);
    return (e as Error).message;
  }
}

describe("maximumActivationDuration: the template spec and the stack config take the same form", () => {
  it.each(["PT8H", "PT30M", "PT1H30M", "PT4H"])("%s is taken by both", (d) => {
    expect(viaTemplateSpec(d)).toBeUndefined();
    expect(viaStackConfig(d)).toBeUndefined();
  });

  // Seconds (PT28800S is 8 hours), days, an empty time part, lower case, no unit: refused by both, naming the key
  // and the form to write it in.
  it.each(["PT28800S", "PT1800S", "P0DT8H", "PT", "P1D", "pt8h", "PT8", "8H"])("%s is refused by both, naming the key and the form", (d) => {
    expect(viaTemplateSpec(d)).toBe(
      `customers.yaml: $[0].eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration must be written as ${ACTIVATION_DURATION_FORM}. Fix the value (see templates/schemas/customer-onboarding.schema.json).`,
    );
    expect(viaStackConfig(d)).toBe(
      `invalid stack config:\n  partnerlink:customers[1].eligibleAuthorizations[0].justInTimeAccessPolicy.maximumActivationDuration: '${d}' must be written as ${ACTIVATION_DURATION_FORM}`,
    );
  });
});
