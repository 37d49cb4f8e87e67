/**
 * partnerlink's local ARM emulator: Entra ID token endpoints, Microsoft.ManagementPartner (PAL),
 * Microsoft.ManagedServices (Azure Lighthouse) and /subscriptions over https on loopback.
 * See emulator/README.md.
 *
 * @example
 * const emu = await startEmulator({ seed: "emulator/seeds/demo.json" });
 * const cred = new ClientSecretCredential(tenantId, appId, secret, {
 *   authorityHost: emu.url, disableInstanceDiscovery: true, tlsOptions: { ca: emu.caCertPem } });
 * const pal = new ACEProvisioningManagementPartnerAPI(cred, {
 *   endpoint: emu.url, credentialScopes: ["https://management.azure.com/.default"], tlsOptions: { ca: emu.caCertPem } });
 * await pal.partner.create("1234567");
 * await emu.stop();
 */
export { startEmulator } from "./server";
export type {
  EmulatorSeed,
  EmulatorOptions,
  RunningEmulator,
  FaultRule,
  FaultKind,
  ThrottleOptions,
  EmulatorStats,
  SeedPrincipal,
  SeedSubscription,
  SeedFederatedCredential,
  SeedMarketplaceOffer,
  PrincipalKind,
} from "./types";
export { EmulatorState } from "./state";
export type { PartnerLinkRecord, DefinitionRecord, AssignmentRecord, OperationRecord, StateSnapshot } from "./state";
export { validateSeed, loadSeedFile, SeedError, DEMO_SEED_PATH } from "./seed";
export { AZURE_THROTTLE } from "./throttle";
export { MANAGED_SERVICES_API_VERSIONS } from "./managed-services";
export { PAL_API_VERSIONS } from "./partners";
