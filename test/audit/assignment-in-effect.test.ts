import { assignmentEffect } from "../../audit/assignment-in-effect";

// Every value of the 2022-10-01 ProvisioningState enum, and what it means for an audit.
test.each([
  ["Succeeded", "in-effect"],
  ["succeeded", "in-effect"],
  [undefined, "in-effect"],
  ["Accepted", "provisioning"],
  ["Running", "provisioning"],
  ["Ready", "provisioning"],
  ["Creating", "provisioning"],
  ["Created", "provisioning"],
  ["Updating", "provisioning"],
  ["NotSpecified", "provisioning"],
  ["SomeFutureState", "provisioning"],
  ["Failed", "not-in-effect"],
  ["FAILED", "not-in-effect"],
  ["Canceled", "not-in-effect"],
  ["Deleting", "not-in-effect"],
  ["Deleted", "not-in-effect"],
] as const)("provisioningState %s: %s", (state, effect) => {
  expect(assignmentEffect(state)).toBe(effect);
});
