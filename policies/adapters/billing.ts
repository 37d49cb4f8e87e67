import { isUnresolved, type Agreement, type Val } from "../../rules/model";

/**
 * The agreement a subscription is billed under, from the billing scope it is created in. The three forms are
 * the ones Microsoft documents for creating subscriptions programmatically
 * (https://learn.microsoft.com/azure/cost-management-billing/manage/programmatically-create-subscription):
 * - EA:  `/providers/Microsoft.Billing/billingAccounts/{ba}/enrollmentAccounts/{ea}`
 * - MCA: `/providers/Microsoft.Billing/billingAccounts/{ba}/billingProfiles/{bp}/invoiceSections/{is}`
 * - CSP (Microsoft Partner Agreement): `/providers/Microsoft.Billing/billingAccounts/{ba}/customers/{c}`
 */
export function agreementOfBillingScope(scope: Val<string> | undefined): Agreement {
  if (scope === undefined || isUnresolved(scope)) return "unknown";
  const s = scope.toLowerCase();
  if (!s.includes("/providers/microsoft.billing/billingaccounts/")) return "unknown";
  if (/\/enrollmentaccounts\/[^/]+\/?$/.test(s)) return "EA";
  if (/\/billingprofiles\/[^/]+\/invoicesections\/[^/]+\/?$/.test(s)) return "MCA";
  if (/\/customers\/[^/]+\/?$/.test(s)) return "CSP";
  return "unknown";
}
