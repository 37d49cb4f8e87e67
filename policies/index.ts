import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_DESCRIPTION, POLICY_PACK_NAME, policies } from "./policies";

/**
 * The partnerlink policy pack. Run it with `pulumi preview --policy-pack <partnerlink>/policies
 * [--policy-pack-config partnerlink-policy.json]`; see docs/policies.md for every policy and the config shape.
 * Constructing the PolicyPack starts the analyzer's gRPC server: nothing else may import this file.
 */
new PolicyPack(POLICY_PACK_NAME, { description: POLICY_PACK_DESCRIPTION, policies });
