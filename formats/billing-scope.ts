import type { Agreement } from "../rules/model";

/**
 * The agreement a subscription is billed under, from the billing scope it is created in
 * (azurerm_subscription.billing_scope_id, Microsoft.Subscription/aliases properties.billingScope).
 * Scope forms: https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription
 * - EA:  /providers/Microsoft.Billing/billingAccounts/{id}/enrollmentAccounts/{id}
 * - MCA: /providers/Microsoft.Billing/billingAccounts/{id}/billingProfiles/{id}/invoiceSections/{id}
 * - CSP (MPA): /providers/Microsoft.Billing/billingAccounts/{id}/customers/{id}
 */
export function agreementOfBillingScope(scope: unknown): Agreement {
  if (typeof scope !== "string") return "unknown";
  if (/\/enrollmentAccounts\//i.test(scope)) return "EA";
  if (/\/customers\//i.test(scope)) return "CSP";
  if (/\/invoiceSections\//i.test(scope)) return "MCA";
  return "unknown";
}
