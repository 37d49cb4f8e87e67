import { ACEProvisioningManagementPartnerAPI } from "@azure/arm-managementpartner";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ARM_SCOPE, FABRIKAM, PARTNER_TENANT, PROVIDER_SP, armClient, secretCredential, send } from "./helpers";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

function palClient(tenantId: string, appId: string, secret: string): ACEProvisioningManagementPartnerAPI {
  const cred = secretCredential(emu, tenantId, appId, secret);
  return new ACEProvisioningManagementPartnerAPI(cred, { endpoint: emu.url, credentialScopes: [ARM_SCOPE], tlsOptions: { ca: emu.caCertPem } });
}

const code = async (p: Promise<unknown>): Promise<{ statusCode?: number; code?: string }> => {
  try {
    await p;
  } catch (e) {
    return e as { statusCode?: number; code?: string };
  }
  throw new Error("expected the call to fail");
};

describe("Partner Admin Link through @azure/arm-managementpartner", () => {
  test("create, read, conflict, relink, delete, re-create as recorded", async () => {
    const pal = palClient(PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret);
    expect(await code(pal.partners.get())).toMatchObject({ statusCode: 404, code: "NotFound" });

    const created = await pal.partner.create("1234567");
    expect(created).toMatchObject({
      partnerId: "1234567",
      partnerName: "Contoso Managed Services",
      tenantId: PARTNER_TENANT,
      objectId: PROVIDER_SP.objectId,
      state: "Active",
      type: "Microsoft.ManagementPartner/partners",
      id: "/providers/microsoft.managementpartner/partners/1234567",
    });
    expect(created.etag).toBe(created.version);

    expect(await pal.partners.get()).toMatchObject({ partnerId: "1234567", objectId: PROVIDER_SP.objectId });
    expect(await pal.partner.get("1234567")).toMatchObject({ partnerId: "1234567" });
    expect(await code(pal.partner.get("7777777"))).toMatchObject({ statusCode: 404, code: "NotFound" });

    // Already linked: PUT fails, PATCH relinks the same record.
    expect(await code(pal.partner.create("7777777"))).toMatchObject({ statusCode: 409, code: "Conflict" });
    const relinked = await pal.partner.update("7777777");
    expect(relinked).toMatchObject({ partnerId: "7777777", objectId: PROVIDER_SP.objectId, createdTime: created.createdTime });
    expect(relinked.version).toBe(created.version! + 1);
    expect(relinked.etag).toBe(created.etag! + 1);

    await pal.partner.delete("7777777");
    expect(await code(pal.partners.get())).toMatchObject({ statusCode: 404 });
    expect(emu.state.getLink(PARTNER_TENANT, PROVIDER_SP.objectId)?.state).toBe("Deleted");

    // DELETE then PUT reuses the record: createdTime kept, etag/version increase.
    const again = await pal.partner.create("1234567");
    expect(again.createdTime).toEqual(created.createdTime);
    expect(again.version).toBeGreaterThan(relinked.version!);
  });

  test("the link belongs to the calling identity: another tenant's principal has its own", async () => {
    const customer = palClient(FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret);
    expect(await code(customer.partners.get())).toMatchObject({ statusCode: 404 });
    const r = await customer.partner.create("5555555");
    expect(r).toMatchObject({ tenantId: FABRIKAM.tenantId, objectId: FABRIKAM.deployer.objectId, version: 1 });
    expect(emu.state.counts().activePartnerLinks).toBe(2);
  });

  test("PATCH without a link is 404; invalid partner IDs and api-versions are 400 with the spec's error shape", async () => {
    const cred = secretCredential(emu, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret);
    const c = armClient(emu, cred);
    const sp2 = emu.state.getLink(FABRIKAM.tenantId, FABRIKAM.deployer.objectId)!;
    emu.state.removeLink(sp2.tenantId, sp2.objectId);
    const patch = await send(c, emu, "PATCH", "/providers/Microsoft.ManagementPartner/partners/1234567?api-version=2018-02-01");
    expect(patch.status).toBe(404);
    const badId = await send(c, emu, "PUT", "/providers/Microsoft.ManagementPartner/partners/abc?api-version=2018-02-01");
    expect(badId.status).toBe(400);
    expect(badId.body).toMatchObject({ error: { code: "BadRequest" }, code: "BadRequest" });
    const badApi = await send(c, emu, "GET", "/providers/Microsoft.ManagementPartner/partners?api-version=2020-01-01");
    expect(badApi.status).toBe(400);
    expect(badApi.body.error.code).toBe("NoRegisteredProviderFound");
    const noApi = await send(c, emu, "GET", "/providers/Microsoft.ManagementPartner/partners");
    expect(noApi.body.error.code).toBe("MissingApiVersionParameter");
  });
});
