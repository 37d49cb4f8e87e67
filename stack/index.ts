/**
 * Entry point of the root onboarding stack (Pulumi.yaml at the repo root, `main: dist/stack/index.js`: compiled
 * by `npm run build`). Reads `partnerlink:*` stack config, declares the Partner Admin Link and one onboarding per
 * customer (stack/onboarding-program.ts), and exports:
 *  - `link`: the Partner Admin Link (partnerId, objectId, state);
 *  - `onboarded`: customer name -> { definitionId, assignmentIds } for customers onboarded with a deployer;
 *  - `templates`: customer name -> folder of the generated customer-side template package.
 */
import { runOnboardingStack } from "./run-stack";

const stack = runOnboardingStack();

export const link = stack.link;
export const onboarded = stack.onboarded;
export const templates = stack.templates;
