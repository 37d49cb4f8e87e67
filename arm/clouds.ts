/**
 * The Azure clouds partnerlink can talk to: ARM endpoint, Entra authority and the token audience.
 * Sources: `az cloud show -n <cloud>` / @azure/identity AzureAuthorityHosts
 * (https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/identity/identity/src/constants.ts).
 */
export type CloudName = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export interface CloudEndpoints {
  /** ARM base URL, no trailing slash. */
  resourceManager: string;
  /** Entra ID authority host. */
  authorityHost: string;
  /** Token audience; the scope requested is `${audience}/.default`. */
  audience: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  AzureCloud: {
    resourceManager: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
    audience: "https://management.azure.com",
  },
  AzureUSGovernment: {
    resourceManager: "https://management.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
    audience: "https://management.usgovcloudapi.net",
  },
  AzureChinaCloud: {
    resourceManager: "https://management.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    audience: "https://management.chinacloudapi.cn",
  },
};
