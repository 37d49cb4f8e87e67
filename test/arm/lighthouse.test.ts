/** Azure Lighthouse registration definitions and assignments against the emulator: LRO polling, paging, errors. */
import {
  ArmError,
  createRegistrationAssignment,
  deleteRegistrationAssignment,
  deleteRegistrationDefinition,
  getRegistrationAssignment,
  getRegistrationDefinition,
  listRegistrationAssignments,
  listRegistrationDefinitions,
  listSubscriptions,
  putRegistrationDefinition,
} from "../../arm";
import type { RunningEmulator } from "../../emulator";
import { armGuid } from "../../rules/identifiers";
import {
  ADMINS_GROUP,
  AUTOMATION,
  CONTRIBUTOR,
  CUSTOMER_TENANT,
  OWNER,
  PARTNER_TENANT,
  READER,
  READER_APP,
  RG,
  SUB,
  SUB2,
  automationCredential,
  connect,
  definitionBody,
  deployerCredential,
  readerCredential,
  startTestEmulator,
} from "./fixture";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator({ pageSize: 2, lro: { pollsUntilDone: 3, retryAfterSeconds: 0 } });
});
afterAll(() => emu.stop());

const defId = (offer: string) => armGuid(offer);
const defResourceId = (sub: string, id: string) => `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${id}`;

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

test("definition: put, get, list with filter, delete; absent reads are undefined", async () => {
  const conn = connect(emu, deployerCredential);
  const id = defId("offer-definition-crud");
  const body = {
    ...definitionBody("Definition CRUD"),
    eligibleAuthorizations: [
      {
        principalId: ADMINS_GROUP,
        principalIdDisplayName: "Contoso Lighthouse Admins",
        roleDefinitionId: CONTRIBUTOR,
        justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" },
      },
    ],
  };
  const put = await putRegistrationDefinition(conn, SUB, id, body);
  expect(put).toMatchObject({ id: defResourceId(SUB, id), name: id, managedByTenantId: PARTNER_TENANT, registrationDefinitionName: "Definition CRUD", provisioningState: "Succeeded" });
  expect(put.authorizations).toEqual(body.authorizations);
  expect(put.eligibleAuthorizations?.[0]?.justInTimeAccessPolicy).toMatchObject({ multiFactorAuthProvider: "Azure", maximumActivationDuration: "PT8H" });

  expect(await getRegistrationDefinition(conn, SUB, id)).toMatchObject({ id: put.id, authorizations: body.authorizations });
  const listed = await all(listRegistrationDefinitions(conn, `/subscriptions/${SUB}`, { filter: `managedByTenantId eq '${PARTNER_TENANT}'` }));
  expect(listed.map((d) => d.name)).toContain(id);

  await deleteRegistrationDefinition(conn, SUB, id);
  expect(await getRegistrationDefinition(conn, SUB, id)).toBeUndefined();
  await deleteRegistrationDefinition(conn, SUB, id); // already gone: no error
});

test("assignment: create polls Azure-AsyncOperation until Succeeded, get expands the definition, delete polls Location", async () => {
  const conn = connect(emu, deployerCredential);
  const id = defId("offer-assign");
  await putRegistrationDefinition(conn, SUB, id, definitionBody("Assign"));
  const assignmentId = armGuid("offer-assign", `/subscriptions/${SUB}`);
  const progress: string[] = [];
  const before = emu.stats().requests;
  const a = await createRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId, defResourceId(SUB, id), {
    updateIntervalInMs: 5,
    onProgress: (p) => progress.push(p.status),
  });
  // PUT + 3 polls (pollsUntilDone) + the final GET of the assignment.
  expect(emu.stats().requests - before).toBeGreaterThanOrEqual(5);
  expect(progress.length).toBeGreaterThanOrEqual(3);
  expect(progress[progress.length - 1]).toBe("succeeded");
  expect(a).toMatchObject({ name: assignmentId, registrationDefinitionId: defResourceId(SUB, id), provisioningState: "Succeeded", scope: `/subscriptions/${SUB}` });

  const got = await getRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId, { expandDefinition: true });
  expect(got?.registrationDefinition).toMatchObject({ managedByTenantId: PARTNER_TENANT, authorizations: definitionBody().authorizations });
  const plain = await getRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId);
  expect(plain?.registrationDefinition).toBeUndefined();

  // The partner identity now sees the delegated subscription, managed by its tenant.
  const partnerView = await all(listSubscriptions(connect(emu, automationCredential)));
  expect(partnerView.find((s) => s.subscriptionId === SUB)).toMatchObject({ tenantId: CUSTOMER_TENANT, managedByTenants: [PARTNER_TENANT], state: "Enabled" });

  const delProgress: string[] = [];
  await deleteRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId, { updateIntervalInMs: 5, onProgress: (p) => delProgress.push(p.status) });
  expect(delProgress.length).toBeGreaterThanOrEqual(2);
  expect(await getRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId)).toBeUndefined();
  await deleteRegistrationAssignment(conn, `/subscriptions/${SUB}`, assignmentId); // absent: 204, no error
  await deleteRegistrationDefinition(conn, SUB, id);
});

test("Retry-After on the LRO is honoured when no interval is forced", async () => {
  const slow = await startTestEmulator({ lro: { pollsUntilDone: 2, retryAfterSeconds: 1 } });
  try {
    const conn = connect(slow, deployerCredential);
    const id = defId("offer-retry-after");
    await putRegistrationDefinition(conn, SUB, id, definitionBody("Retry-After"));
    const t0 = Date.now();
    await createRegistrationAssignment(conn, `/subscriptions/${SUB}`, armGuid("ra", SUB), defResourceId(SUB, id));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900); // one Retry-After: 1 wait between polls
  } finally {
    await slow.stop();
  }
});

test("paging: nextLink is followed across pages; resource-group scope assignments list at their scope", async () => {
  const conn = connect(emu, deployerCredential);
  const id = defId("offer-paging");
  await putRegistrationDefinition(conn, SUB2, id, definitionBody("Paging"));
  const ids = [1, 2, 3, 4, 5].map((i) => armGuid("offer-paging", String(i)));
  for (const a of ids) await createRegistrationAssignment(conn, `/subscriptions/${SUB2}`, a, defResourceId(SUB2, id), { updateIntervalInMs: 1 });
  const before = emu.stats().requests;
  const listed = await all(listRegistrationAssignments(conn, `/subscriptions/${SUB2}`, { expandDefinition: true }));
  expect(listed.map((a) => a.name).sort()).toEqual([...ids].sort());
  expect(emu.stats().requests - before).toBe(3); // pageSize 2: 5 items on 3 pages
  expect(listed.every((a) => a.registrationDefinition?.managedByTenantId === PARTNER_TENANT)).toBe(true);

  const rgScope = `/subscriptions/${SUB}/resourceGroups/${RG}`;
  const rgDef = defId("offer-rg");
  await putRegistrationDefinition(conn, SUB, rgDef, definitionBody("RG"));
  const rgAssignment = armGuid("offer-rg", rgScope);
  const a = await createRegistrationAssignment(conn, rgScope, rgAssignment, defResourceId(SUB, rgDef), { updateIntervalInMs: 1 });
  expect(a.scope.toLowerCase()).toBe(rgScope.toLowerCase());
  expect((await all(listRegistrationAssignments(conn, rgScope))).map((x) => x.name)).toContain(rgAssignment);
});

test("a non-owner in the customer tenant: the message names the identity and says an Owner must deploy", async () => {
  const conn = connect(emu, readerCredential);
  const err = await putRegistrationDefinition(conn, SUB, defId("offer-denied"), definitionBody()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  expect(err).toMatchObject({ kind: "authorization", statusCode: 403, code: "AuthorizationFailed", operation: "putRegistrationDefinition" });
  expect((err as ArmError).message).toContain(`the identity app ${READER_APP.appId} (object ${READER_APP.objectId}) in tenant ${CUSTOMER_TENANT} lacks Owner on subscription ${SUB}`);
  expect((err as ArmError).message).toContain("onboarding must be deployed by an Owner in the CUSTOMER tenant");
  expect((err as ArmError).message).not.toMatch(/eyJ[\w-]+\./); // no token
});

test("the partner identity cannot write in the customer subscription either (wrong tenant)", async () => {
  const err = await createRegistrationAssignment(connect(emu, automationCredential), `/subscriptions/${SUB}`, armGuid("x"), defResourceId(SUB, armGuid("y"))).catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "authorization", statusCode: 403 });
  expect((err as ArmError).message).toContain(`app ${AUTOMATION.appId}`);
  expect((err as ArmError).message).toContain("CUSTOMER tenant");
});

test("role errors: Owner and a service principal as eligible authorization are explained", async () => {
  const conn = connect(emu, deployerCredential);
  const owner = await putRegistrationDefinition(conn, SUB, defId("offer-owner"), {
    ...definitionBody(),
    authorizations: [{ principalId: AUTOMATION.objectId, roleDefinitionId: OWNER }],
  }).catch((e: unknown) => e);
  expect(owner).toMatchObject({ kind: "role", statusCode: 400 });
  expect((owner as ArmError).message).toContain("never Owner");

  const eligibleSp = await putRegistrationDefinition(conn, SUB, defId("offer-eligible-sp"), {
    ...definitionBody(),
    eligibleAuthorizations: [{ principalId: AUTOMATION.objectId, roleDefinitionId: READER, justInTimeAccessPolicy: { multiFactorAuthProvider: "Azure" } }],
  }).catch((e: unknown) => e);
  expect(eligibleSp).toMatchObject({ kind: "invalidPrincipal", statusCode: 400 });
  expect((eligibleSp as ArmError).message).toContain("users and groups only");
});

test("a failed provisioning job: the LRO ends in an operationFailed ArmError with Azure's code", async () => {
  const conn = connect(emu, deployerCredential);
  const id = defId("offer-lro-fail");
  await putRegistrationDefinition(conn, SUB, id, definitionBody("LRO fail"));
  emu.setFaults([{ method: "PUT", path: "registrationAssignments", kind: "lro-failed", firstN: 1 }]);
  try {
    const err = await createRegistrationAssignment(conn, `/subscriptions/${SUB}`, armGuid("fail", SUB), defResourceId(SUB, id), { updateIntervalInMs: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "operationFailed", code: "RegistrationAssignmentProvisioningFailed", operation: "createRegistrationAssignment" });
  } finally {
    emu.setFaults([]);
  }
});

test("aborting while the LRO polls: an aborted ArmError, no further polls", async () => {
  const slow = await startTestEmulator({ lro: { pollsUntilDone: 50, retryAfterSeconds: 0 } });
  try {
    const conn = connect(slow, deployerCredential);
    const id = defId("offer-abort");
    await putRegistrationDefinition(conn, SUB, id, definitionBody("Abort"));
    const ac = new AbortController();
    let polls = 0;
    const err = await createRegistrationAssignment(conn, `/subscriptions/${SUB}`, armGuid("abort", SUB), defResourceId(SUB, id), {
      abortSignal: ac.signal,
      updateIntervalInMs: 20,
      onProgress: () => {
        if (++polls === 2) ac.abort();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "aborted", operation: "createRegistrationAssignment" });
    const after = slow.stats().requests;
    await new Promise((r) => setTimeout(r, 100));
    expect(slow.stats().requests).toBe(after);
  } finally {
    await slow.stop();
  }
});

test("scopes and IDs are checked before any request", async () => {
  const conn = connect(emu, deployerCredential);
  const before = emu.stats().requests;
  await expect(putRegistrationDefinition(conn, `/subscriptions/${SUB}/resourceGroups/${RG}`, defId("rg"), definitionBody())).rejects.toMatchObject({
    kind: "invalidInput",
    message: expect.stringContaining("must be created at subscription scope"),
  });
  await expect(getRegistrationAssignment(conn, "subscription/not-a-scope", armGuid("x"))).rejects.toMatchObject({ kind: "invalidInput" });
  await expect(createRegistrationAssignment(conn, `/subscriptions/${SUB}`, "not-a-guid", defResourceId(SUB, armGuid("x")))).rejects.toMatchObject({ kind: "invalidInput" });
  expect(emu.stats().requests).toBe(before);
});
