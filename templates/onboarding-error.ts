/** Bad onboarding input or an invalid generated file: the message names the source, the JSON path or property, and the fix. */
export class OnboardingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OnboardingError";
  }
}
