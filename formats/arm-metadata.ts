/**
 * The template-level `metadata` key that names the subscription a template is made for:
 * `"metadata": {"partnerlink:subscriptionId": "<GUID>"}`. ARM ignores `metadata` ("Resource Manager ignores the
 * object", learn.microsoft.com/azure/azure-resource-manager/templates/syntax#metadata), so it changes nothing in a
 * deployment; `partnerlink check` reads it as the target subscription of the top-level deployment, which the file
 * otherwise cannot say (the deployment command chooses it: `az deployment sub create` in the current subscription).
 * `partnerlink template` writes it, since it makes each template for one subscription (its CUSTOMER-GUIDE.md sets
 * that subscription before deploying); the rules then judge the delegation in that subscription (PL006, PL007)
 * instead of reporting its scope as unknown (PL012). Like `partnerlink:waive` on a resource, it is a claim of the
 * template's author: a template without it keeps its scope unknown until deployment.
 */
export const TARGET_SUBSCRIPTION_KEY = "partnerlink:subscriptionId";
