/** Partner Admin Link through @azure/arm-managementpartner against the emulator over https. */
import { ArmError, createPartnerLink, deletePartnerLink, getCurrentPartnerLink, getPartnerLink, updatePartnerLink, whoAmI } from "../../arm";
import type { RunningEmulator } from "../../emulator";
import { AUTOMATION, CERT_APP, PARTNER_TENANT, automationCredential, certificateCredential, connect, startTestEmulator } from "./fixture";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(() => emu.stop());

test("link lifecycle: none -> create -> get -> relink (PATCH) -> delete -> none", async () => {
  const conn = connect(emu, automationCredential);
  expect(await getCurrentPartnerLink(conn)).toBeUndefined();

  const created = await createPartnerLink(conn, "5127255");
  expect(created).toMatchObject({ partnerId: "5127255", partnerName: "Contoso Ltd", objectId: AUTOMATION.objectId, tenantId: PARTNER_TENANT, state: "Active" });
  expect(typeof created.etag).toBe("number");
  expect(created.createdTime).toMatch(/^\d{4}-\d\d-\d\dT/);

  expect(await getCurrentPartnerLink(conn)).toEqual(created);
  expect(await getPartnerLink(conn, "5127255")).toEqual(created);
  expect(await getPartnerLink(conn, "5127254")).toBeUndefined(); // linked, but to another ID

  const relinked = await updatePartnerLink(conn, "5127254");
  expect(relinked).toMatchObject({ partnerId: "5127254", objectId: AUTOMATION.objectId });
  expect(relinked.etag).toBe(created.etag! + 1);

  await deletePartnerLink(conn, "5127254");
  expect(await getCurrentPartnerLink(conn)).toBeUndefined();
});

test("a second PUT for a linked identity: alreadyLinked, naming the identity and the partner ID it holds", async () => {
  const conn = connect(emu, certificateCredential);
  await createPartnerLink(conn, "5127255");
  const err = await createPartnerLink(conn, "5127254").catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ArmError);
  const e = err as ArmError;
  expect(e).toMatchObject({ kind: "alreadyLinked", statusCode: 409, operation: "createPartnerLink", target: "5127254" });
  expect(e.message).toContain("is already linked to partner ID 5127255");
  expect(e.message).toContain(`app ${CERT_APP.appId} (object ${CERT_APP.objectId}) in tenant ${PARTNER_TENANT}`);
  expect(e.message).toContain("updatePartnerLink");
  await deletePartnerLink(conn, "5127255");
});

test("relink without a link: notLinked, pointing at createPartnerLink", async () => {
  const conn = connect(emu, automationCredential);
  const err = await updatePartnerLink(conn, "5127255").catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "notLinked", statusCode: 404 });
  expect((err as ArmError).message).toContain("create one with createPartnerLink first");
});

test("a malformed partner ID is refused before any request", async () => {
  const conn = connect(emu, automationCredential);
  const before = emu.stats().requests;
  const err = await createPartnerLink(conn, "12-34").catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "invalidInput", operation: "createPartnerLink" });
  expect((err as ArmError).message).toContain("numeric Associated Partner ID");
  expect(emu.stats().requests).toBe(before);
});

test("the link belongs to the caller: whoAmI and the link agree", async () => {
  const conn = connect(emu, automationCredential);
  const me = await whoAmI(conn);
  const link = await createPartnerLink(conn, "5127255");
  expect({ objectId: link.objectId, tenantId: link.tenantId }).toEqual({ objectId: me.objectId, tenantId: me.tenantId });
  await deletePartnerLink(conn, "5127255");
});
