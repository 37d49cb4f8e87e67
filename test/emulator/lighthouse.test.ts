import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  ADMIN_GROUP, CONTRIBUTOR, FABRIKAM, NORTHWIND, OWNER, PARTNER_TENANT, PARTNER_USER, PROVIDER_SP, READER, UAA,
  armClient, asgPath, defPath, definitionBody, runLro, secretCredential, send,
} from "./helpers";
import type { ServiceClient } from "@azure/core-client";

let emu: RunningEmulator;
let fabrikam: ServiceClient;
let northwind: ServiceClient;
let provider: ServiceClient;
const FAB = `/subscriptions/${FABRIKAM.subscriptionId}`;
const NW_RG = `/subscriptions/${NORTHWIND.subscriptionId}/resourceGroups/rg-northwind-web`;
const LOG_ANALYTICS_CONTRIBUTOR = "92aaf0da-9dab-42b6-94a3-d43ce8d16293";
let n = 0;
const newId = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

beforeAll(async () => {
  emu = await startEmulator({ lro: { pollsUntilDone: 2, retryAfterSeconds: 0 }, pageSize: 2 });
  fabrikam = armClient(emu, secretCredential(emu, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret));
  northwind = armClient(emu, secretCredential(emu, NORTHWIND.tenantId, NORTHWIND.deployer.appId, NORTHWIND.deployer.secret));
  provider = armClient(emu, secretCredential(emu, PARTNER_TENANT, PROVIDER_SP.appId, PROVIDER_SP.secret));
});
afterAll(() => emu.stop());

describe("registration definitions: Azure's validation", () => {
  const rejects = async (body: unknown, code: string, message: RegExp, path = defPath(FABRIKAM.subscriptionId, newId()), client = fabrikam) => {
    const r = await send(client, emu, "PUT", path, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toMatch(message);
  };
  const eligible = (o: Record<string, unknown> = {}, jit: Record<string, unknown> = {}) =>
    definitionBody({
      eligibleAuthorizations: [
        {
          principalId: ADMIN_GROUP,
          roleDefinitionId: CONTRIBUTOR,
          justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H", managedByTenantApprovers: [{ principalId: PARTNER_USER }], ...jit },
          ...o,
        },
      ],
    });

  test("created synchronously: 201 with provisioningState Succeeded, then 200 on update", async () => {
    const id = newId();
    const r = await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, id), eligible());
    expect(r.status).toBe(201);
    expect(r.headers["azure-asyncoperation"]).toBeUndefined();
    expect(r.body).toMatchObject({ name: id, type: "Microsoft.ManagedServices/registrationDefinitions", properties: { provisioningState: "Succeeded", managedByTenantId: PARTNER_TENANT, managedByTenantName: "Contoso Managed Services (partner)" } });
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, id), eligible())).status).toBe(200);
  });

  test("GET and list answer manageeTenantId/Name at 2022-10-01 (spec examples), not at 2019-06-01 (recorded), never on PUT", async () => {
    // ../shared/azure-contract: .../2022-10-01/examples/GetRegistrationDefinition.json and GetRegistrationDefinitions*.json
    // carry manageeTenantId + manageeTenantName; Azure PowerShell ManagedServices_CRUD.json (2019-06-01) GET does not;
    // PutRegistrationDefinition.json's answer does not.
    const id = newId();
    const path = defPath(FABRIKAM.subscriptionId, id);
    const put = await send(fabrikam, emu, "PUT", path, definitionBody());
    expect(put.body.properties.manageeTenantId).toBeUndefined();
    const managee = { manageeTenantId: FABRIKAM.tenantId, manageeTenantName: expect.any(String) };
    expect((await send(fabrikam, emu, "GET", path)).body.properties).toMatchObject(managee);
    const list = await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`);
    expect(list.body.value[0].properties).toMatchObject(managee);
    const old = await send(fabrikam, emu, "GET", path.replace("api-version=2022-10-01", "api-version=2019-06-01"));
    expect(old.status).toBe(200);
    expect(old.body.properties.manageeTenantId).toBeUndefined();
    expect(old.body.properties.managedByTenantName).toBeDefined();
  });

  test("definition at resource-group scope: InvalidRegistrationDefinitionUri", async () => {
    await rejects(definitionBody(), "InvalidRegistrationDefinitionUri", /subscription scope/, `${NW_RG}/providers/Microsoft.ManagedServices/registrationDefinitions/${newId()}?api-version=2022-10-01`, northwind);
  });

  test("roles: Owner, DataActions, UAA without delegated roles, unknown/custom, delegated roles on another role", async () => {
    const code = "InvalidRegistrationDefinitionCreateRequest";
    const auth = (a: Record<string, unknown>) => definitionBody({ authorizations: [{ principalId: PROVIDER_SP.objectId, roleDefinitionId: CONTRIBUTOR, ...a }] });
    await rejects(auth({ roleDefinitionId: OWNER }), code, /restricted for registration/);
    await rejects(auth({ roleDefinitionId: LOG_ANALYTICS_CONTRIBUTOR }), code, /data actions not allowed.*without any data and notData actions/);
    await rejects(auth({ roleDefinitionId: UAA }), code, /requires delegatedRoleDefinitionIds/);
    await rejects(auth({ roleDefinitionId: "11111111-2222-4333-8444-555555555555" }), code, /not a built-in role/);
    await rejects(auth({ delegatedRoleDefinitionIds: [CONTRIBUTOR] }), code, /only allowed with User Access Administrator/);
    await rejects(auth({ principalId: "not-a-guid" }), code, /PrincipalId 'not-a-guid' must be a valid Guid/);
    const ok = await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), auth({ roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${UAA}`, delegatedRoleDefinitionIds: [CONTRIBUTOR] }));
    expect(ok.status).toBe(201);
    await rejects(definitionBody({ authorizations: [] }), code, /at least one authorization/);
    await rejects(definitionBody({ managedByTenantId: FABRIKAM.tenantId }), code, /different tenant/);
  });

  test("bodies are validated against the spec's types; the error names the JSON path", async () => {
    const r = await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), definitionBody({ authorizations: [{ principalId: PROVIDER_SP.objectId, roleDefinitionId: 42 }] }));
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "InvalidRequestContent", message: "The request content was invalid: $.properties.authorizations[0].roleDefinitionId: must be string." });
    const a = await send(fabrikam, emu, "PUT", asgPath(FAB, newId()), { properties: {} });
    expect(a.body.error.message).toContain("$.properties: missing required property 'registrationDefinitionId'");
  });

  test("just-in-time rules", async () => {
    const code = "InvalidRegistrationDefinitionCreateRequest";
    await rejects(eligible({ principalId: PROVIDER_SP.objectId }), code, /service principal: eligible authorizations accept users and groups only/);
    await rejects(eligible({}, { managedByTenantApprovers: [{ principalId: PROVIDER_SP.objectId }] }), code, /approvers must be users or groups/);
    await rejects(eligible({ roleDefinitionId: OWNER }), code, /restricted for eligible authorization.*Restricted role definitions are/);
    await rejects(eligible({ roleDefinitionId: UAA }), code, /restricted for eligible authorization/);
    await rejects(eligible({ delegatedRoleDefinitionIds: [READER] }), code, /not allowed in eligible authorizations/);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ principalId: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}` }));
    await rejects(eligible({}, { managedByTenantApprovers: eleven }), code, /at most 10/);
    await rejects(eligible({}, { maximumActivationDuration: "PT9H" }), code, /between PT30M and PT8H/);
    await rejects(eligible({}, { maximumActivationDuration: "PT29M" }), code, /between PT30M and PT8H/);
    await rejects(eligible({}, { multiFactorAuthProvider: "Sms" }), code, /'Azure' or 'None'/);
    const ten = eleven.slice(0, 10);
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), eligible({}, { managedByTenantApprovers: ten, maximumActivationDuration: "PT30M", multiFactorAuthProvider: "None" }))).status).toBe(201);
    // ARM's enum values in any case, as the rules (PL005) accept them.
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), eligible({}, { multiFactorAuthProvider: "azure" }))).status).toBe(201);
  });

  test("only an Owner from the subscription's own tenant may write: others get 403 AuthorizationFailed", async () => {
    const id = newId();
    const fromPartner = await send(provider, emu, "PUT", defPath(FABRIKAM.subscriptionId, id), definitionBody());
    expect(fromPartner.status).toBe(403);
    expect(fromPartner.body.error.code).toBe("AuthorizationFailed");
    expect(fromPartner.body.error.message).toContain(`does not have authorization to perform action 'Microsoft.ManagedServices/registrationDefinitions/write' over scope '/subscriptions/${FABRIKAM.subscriptionId}/providers/Microsoft.ManagedServices/registrationDefinitions/${id}'`);
    const otherCustomer = await send(northwind, emu, "PUT", defPath(FABRIKAM.subscriptionId, id), definitionBody());
    expect(otherCustomer.status).toBe(403);
    const readOther = await send(northwind, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`);
    expect(readOther.status).toBe(403);
    const unknownSub = await send(fabrikam, emu, "GET", "/subscriptions/99999999-0000-4000-8000-000000000000/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01");
    expect(unknownSub.body.error.code).toBe("SubscriptionNotFound");
  });
});

describe("registration assignments: long-running, visibility, listing", () => {
  test("before the assignment the partner sees nothing; after it, the authorized SP and the group's user see the subscription and the delegation", async () => {
    emu.state.reset();
    const subsOf = async (c: ServiceClient) => (await send(c, emu, "GET", "/subscriptions?api-version=2022-12-01")).body.value.map((s: any) => s.subscriptionId);
    expect(await subsOf(provider)).toEqual([]);
    expect(await subsOf(fabrikam)).toEqual([FABRIKAM.subscriptionId]);

    const defId = newId();
    const body = definitionBody({
      authorizations: [
        { principalId: PROVIDER_SP.objectId, roleDefinitionId: CONTRIBUTOR },
        { principalId: ADMIN_GROUP, roleDefinitionId: READER },
      ],
    });
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, defId), body)).status).toBe(201);
    const asgId = newId();
    const { initial, polls, state } = await runLro(fabrikam, emu, "PUT", asgPath(FAB, asgId), {
      properties: { registrationDefinitionId: `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}` },
    });
    expect(initial.status).toBe(201);
    expect(initial.body.properties.provisioningState).toBe("Accepted");
    expect(initial.headers["azure-asyncoperation"]).toMatch(new RegExp(`^${emu.url}${FAB}/providers/Microsoft.ManagedServices/operationStatuses/[^?]+\\?api-version=2022-10-01$`));
    expect(initial.headers["retry-after"]).toBe("0");
    expect(polls.map((p) => p.body.status)).toEqual(["Running", "Succeeded"]);
    expect(state.status).toBe("succeeded");

    const subs = (await send(provider, emu, "GET", "/subscriptions?api-version=2022-12-01")).body.value;
    expect(subs).toEqual([expect.objectContaining({ subscriptionId: FABRIKAM.subscriptionId, tenantId: FABRIKAM.tenantId, managedByTenants: [{ tenantId: PARTNER_TENANT }] })]);
    const user = emu.tokenFor(PARTNER_USER);
    const https = await import("node:https");
    const userSubs: any = await new Promise((resolve, reject) =>
      https.get(`${emu.url}/subscriptions?api-version=2022-12-01`, { ca: emu.caCertPem, headers: { authorization: `Bearer ${user}` } }, (res) => {
        let t = "";
        res.on("data", (c) => (t += c)).on("end", () => resolve(JSON.parse(t)));
      }).on("error", reject),
    );
    expect(userSubs.value.map((s: any) => s.subscriptionId)).toEqual([FABRIKAM.subscriptionId]);

    // The partner may read the delegation, expanded, but not change it.
    const got = await send(provider, emu, "GET", asgPath(FAB, asgId) + "&$expandRegistrationDefinition=true");
    expect(got.status).toBe(200);
    expect(got.body.properties).toMatchObject({ provisioningState: "Succeeded", registrationDefinition: { properties: { manageeTenantId: FABRIKAM.tenantId, managedByTenantId: PARTNER_TENANT } } });
    expect((await send(provider, emu, "DELETE", asgPath(FAB, asgId))).status).toBe(403);

    // The definition cannot be deleted while assigned.
    expect((await send(fabrikam, emu, "DELETE", defPath(FABRIKAM.subscriptionId, defId))).status).toBe(409);

    // Delete: 202 with Location and Retry-After, polled to Succeeded; the partner loses sight of the subscription.
    const del = await runLro(fabrikam, emu, "DELETE", asgPath(FAB, asgId));
    expect(del.initial.status).toBe(202);
    expect(del.initial.headers.location).toContain("/providers/Microsoft.ManagedServices/operationStatuses/");
    expect(del.initial.headers["retry-after"]).toBeDefined();
    expect(del.state.status).toBe("succeeded");
    expect(await subsOf(provider)).toEqual([]);
    expect((await send(fabrikam, emu, "GET", asgPath(FAB, asgId))).status).toBe(404);
    expect((await send(fabrikam, emu, "DELETE", defPath(FABRIKAM.subscriptionId, defId))).status).toBe(200);
    expect((await send(fabrikam, emu, "DELETE", defPath(FABRIKAM.subscriptionId, defId))).status).toBe(204);
  });

  test("a PUT or DELETE retried while its operation runs answers the same operation", async () => {
    const defId = newId();
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, defId), definitionBody())).status).toBe(201);
    const asgId = newId();
    const body = { properties: { registrationDefinitionId: `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}` } };
    const first = await send(fabrikam, emu, "PUT", asgPath(FAB, asgId), body);
    const again = await send(fabrikam, emu, "PUT", asgPath(FAB, asgId), body);
    expect(again.status).toBe(201);
    expect(again.headers["azure-asyncoperation"]).toBe(first.headers["azure-asyncoperation"]);
    const done = await runLro(fabrikam, emu, "PUT", asgPath(FAB, asgId), body);
    expect(done.state.status).toBe("succeeded");
    expect((await send(fabrikam, emu, "PUT", asgPath(FAB, asgId), body)).status).toBe(200);
    const d1 = await send(fabrikam, emu, "DELETE", asgPath(FAB, asgId));
    const d2 = await send(fabrikam, emu, "DELETE", asgPath(FAB, asgId));
    expect(d2.headers.location).toBe(d1.headers.location);
  });

  test("resource-group assignment; unknown resource group; definition of another subscription", async () => {
    const NW = `/subscriptions/${NORTHWIND.subscriptionId}`;
    const defId = newId();
    expect((await send(northwind, emu, "PUT", defPath(NORTHWIND.subscriptionId, defId), definitionBody())).status).toBe(201);
    const regDefId = `${NW}/providers/Microsoft.ManagedServices/registrationDefinitions/${defId}`;
    const r = await runLro(northwind, emu, "PUT", asgPath(NW_RG, newId()), { properties: { registrationDefinitionId: regDefId } });
    expect(r.state.status).toBe("succeeded");
    const listed = await send(northwind, emu, "GET", `${NW_RG}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01`);
    expect(listed.body.value).toHaveLength(1);
    expect(listed.body.value[0].id).toContain("/resourceGroups/rg-northwind-web/");
    const noRg = await send(northwind, emu, "PUT", asgPath(`${NW}/resourceGroups/rg-missing`, newId()), { properties: { registrationDefinitionId: regDefId } });
    expect(noRg.body.error.code).toBe("ResourceGroupNotFound");
    const cross = await send(fabrikam, emu, "PUT", asgPath(FAB, newId()), { properties: { registrationDefinitionId: regDefId } });
    expect(cross.status).toBe(400);
    expect((await send(provider, emu, "GET", "/subscriptions?api-version=2022-12-01")).body.value.map((s: any) => s.subscriptionId)).toContain(NORTHWIND.subscriptionId);
  });

  test("lists page with nextLink and filter by managedByTenantId", async () => {
    emu.state.reset();
    for (let i = 0; i < 5; i++) expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), definitionBody())).status).toBe(201);
    const other = definitionBody({ managedByTenantId: NORTHWIND.tenantId });
    expect((await send(fabrikam, emu, "PUT", defPath(FABRIKAM.subscriptionId, newId()), other)).status).toBe(201);
    const all: any[] = [];
    let url: string | undefined = `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01`;
    let pages = 0;
    while (url) {
      const page = await send(fabrikam, emu, "GET", url);
      all.push(...page.body.value);
      url = page.body.nextLink;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(all.map((d) => d.name)).size).toBe(6);
    const filter = encodeURIComponent(`managedByTenantId eq '${NORTHWIND.tenantId}'`);
    const filtered = await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01&$filter=${filter}`);
    expect(filtered.body.value.map((d: any) => d.properties.managedByTenantId)).toEqual([NORTHWIND.tenantId]);
    const bad = await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationDefinitions?api-version=2022-10-01&$filter=name eq 'x'`);
    expect(bad.status).toBe(400);
  });

  test("GET /subscriptions pages with nextLink (state set up through emu.state)", async () => {
    emu.state.reset();
    const subs = [FABRIKAM.subscriptionId, NORTHWIND.subscriptionId, "4d5b0000-0000-4000-8000-000000000001"];
    subs.forEach((sub) => {
      const defId = `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${newId()}`;
      emu.state.putDefinition({ id: defId, subscriptionId: sub, name: defId.split("/").pop()!, properties: definitionBody().properties });
      const name = newId();
      emu.state.putAssignment({ id: `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationAssignments/${name}`, scope: `/subscriptions/${sub}`, subscriptionId: sub, name, registrationDefinitionId: defId, provisioningState: "Succeeded" });
    });
    const first = await send(provider, emu, "GET", "/subscriptions?api-version=2022-12-01");
    expect(first.body.value).toHaveLength(2);
    expect(first.body.nextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/subscriptions\?/);
    const second = await send(provider, emu, "GET", first.body.nextLink);
    expect(second.body.nextLink).toBeUndefined();
    expect([...first.body.value, ...second.body.value].map((s: any) => s.subscriptionId).sort()).toEqual([...subs].sort());
    // A failed assignment delegates nothing.
    const tailspin = emu.state.listAssignments(subs[2])[0]!;
    emu.state.putAssignment({ ...tailspin, provisioningState: "Failed" });
    const after = await send(provider, emu, "GET", "/subscriptions?api-version=2022-12-01");
    expect(after.body.value.map((s: any) => s.subscriptionId).sort()).toEqual([FABRIKAM.subscriptionId, NORTHWIND.subscriptionId].sort());
    expect(after.body.nextLink).toBeUndefined();
  });

  test("older api-versions are accepted; unknown ones are not", async () => {
    expect((await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2019-06-01`)).status).toBe(200);
    expect((await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-01-01-preview`)).status).toBe(200);
    const r = await send(fabrikam, emu, "GET", `${FAB}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2030-01-01`);
    expect(r.body.error.code).toBe("NoRegisteredProviderFound");
  });
});

describe("marketplace registration definitions (the seed's published offers)", () => {
  test("list, filter by planIdentifier, get by identifier at subscription and tenant scope; unknown is 404", async () => {
    const { readFileSync } = await import("node:fs");
    const seed = JSON.parse(readFileSync(require.resolve("../../emulator/seeds/demo.json"), "utf8"));
    seed.marketplaceOffers = [
      {
        plan: { publisher: "contoso", product: "managed-ops", name: "gold", version: "1.0.0" },
        offerDisplayName: "Contoso Managed Ops",
        managedByTenantId: PARTNER_TENANT,
        authorizations: [{ principalId: PROVIDER_SP.objectId, roleDefinitionId: CONTRIBUTOR }],
      },
      { plan: { publisher: "contoso", product: "managed-ops", name: "silver", version: "1.0.0" }, managedByTenantId: PARTNER_TENANT, authorizations: [] },
    ];
    const e = await startEmulator({ seed });
    try {
      const c = armClient(e, secretCredential(e, FABRIKAM.tenantId, FABRIKAM.deployer.appId, FABRIKAM.deployer.secret));
      const base = `${FAB}/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions`;
      const all = await send(c, e, "GET", `${base}?api-version=2022-10-01`);
      expect(all.body.value.map((o: any) => o.name)).toEqual(["contoso.managed-ops.gold.1.0.0", "contoso.managed-ops.silver.1.0.0"]);
      const f = encodeURIComponent("planIdentifier eq 'contoso.managed-ops.silver.1.0.0'");
      expect((await send(c, e, "GET", `${base}?api-version=2022-10-01&$filter=${f}`)).body.value).toHaveLength(1);
      const one = await send(c, e, "GET", `/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions/contoso.managed-ops.gold.1.0.0?api-version=2022-10-01`);
      expect(one.body).toMatchObject({
        id: "/providers/Microsoft.ManagedServices/marketplaceRegistrationDefinitions/contoso.managed-ops.gold.1.0.0",
        plan: { publisher: "contoso", product: "managed-ops", name: "gold", version: "1.0.0" },
        properties: { offerDisplayName: "Contoso Managed Ops", managedByTenantId: PARTNER_TENANT },
      });
      expect((await send(c, e, "GET", `${base}/nope.x.y.1?api-version=2022-10-01`)).status).toBe(404);
    } finally {
      await e.stop();
    }
  });
});
