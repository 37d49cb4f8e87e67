/**
 * PartnerAdminLink provider operations against the emulator over https, through the real SDK pipeline
 * (provider methods called directly, as the provider host calls them; the operations load from dist/, so
 * `npm run build` first — `npm test` does).
 */
import { PartnerAdminLinkProvider } from "../../provider/partner-admin-link";
import { failureOf, OTHER_PARTNER_ID, PAL_SP, PAL_SP2, PARTNER_ID, PARTNER_TENANT, startFixture, type Fixture } from "./fixtures";

let fx: Fixture;
const provider = new PartnerAdminLinkProvider();

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});
beforeEach(() => fx.emu.state.reset());

const link = () => fx.emu.state.getLink(PARTNER_TENANT, PAL_SP.objectId);
const inputs = (partnerId = PARTNER_ID, allowRelink = false) => ({ partnerId, allowRelink, connection: fx.connection("pal") });
const countWrites = (verb: string) => fx.log.filter((l) => l.includes(` ${verb} `) && /managementpartner\/partners\/\d+/i.test(l)).length;

describe("check", () => {
  test("accepts good inputs and defaults allowRelink to false", async () => {
    const r = await provider.check({}, { partnerId: PARTNER_ID, connection: fx.connection("pal") });
    expect(r.failures).toBeUndefined();
    expect(r.inputs.allowRelink).toBe(false);
  });
  test("rejects a malformed partner ID, naming the property and the fix", async () => {
    const r = await provider.check({}, { partnerId: "12-34", connection: fx.connection("pal") });
    expect(r.failures).toEqual([expect.objectContaining({ property: "partnerId", reason: expect.stringContaining("numeric Associated Partner ID") })]);
  });
  test("rejects a connection without the credential's fields, without echoing the secret", async () => {
    const conn = fx.connection("pal");
    const r = await provider.check({}, { partnerId: PARTNER_ID, connection: { ...conn, credential: { kind: "clientSecret", clientSecret: fx.secrets.pal } } });
    // A nested path goes in the reason, not in `property` (the engine looks a property up among top-level inputs only).
    expect((r.failures ?? []).map((f) => f.property)).toEqual(["", ""]);
    const reasons = (r.failures ?? []).map((f) => f.reason).join("\n");
    expect(reasons).toContain("connection.credential.tenantId");
    expect(reasons).toContain("connection.credential.clientId");
    expect(JSON.stringify(r.failures)).not.toContain(fx.secrets.pal);
  });
  test("an unknown input and a credential kind that does not exist are named by property path", async () => {
    const r = await provider.check({}, { partnerId: PARTNER_ID, partnerID: PARTNER_ID, connection: { credential: { kind: "password", password: fx.secrets.pal } } });
    expect(r.failures).toEqual([
      { property: "partnerID", reason: "PartnerAdminLink: partnerID is not an input of this resource: remove it or check its spelling" },
      {
        property: "",
        reason: expect.stringMatching(/^PartnerAdminLink: connection\.credential\.kind must name one of the credential kinds "clientSecret", "clientCertificate", .*"managedIdentity"/),
      },
    ]);
    expect(JSON.stringify(r.failures)).not.toContain(fx.secrets.pal);
  });
  test("a credential kind unknown at preview is checked once it is known", async () => {
    const r = await provider.check({}, { partnerId: PARTNER_ID, connection: { credential: { kind: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } } });
    expect(r.failures).toBeUndefined();
  });
  test("rejects an objectId that is not a GUID, naming the program's key and where to find the object ID", async () => {
    const r = await provider.check({}, { partnerId: PARTNER_ID, objectId: "Provider Automation Account", connection: fx.connection("pal") });
    expect(r.failures).toEqual([expect.objectContaining({ property: "objectId", reason: expect.stringContaining("objectId 'Provider Automation Account' is not a GUID") })]);
    expect(r.failures![0]!.reason).toContain("az ad sp show --id <clientId> --query id");
    const keyed = await provider.check({}, { partnerId: PARTNER_ID, objectId: "x", messageKeys: { objectId: "partnerlink:partner.pecPrincipal.objectId" }, connection: fx.connection("pal") });
    expect(keyed.failures![0]!.reason).toContain("partnerlink:partner.pecPrincipal.objectId 'x' is not a GUID");
    expect((await provider.check({}, { partnerId: PARTNER_ID, objectId: PAL_SP.objectId.toUpperCase(), connection: fx.connection("pal") })).failures).toBeUndefined();
  });
  test("rejects a placeholder objectId (all zeros, all f) at check(), before anyone signs in", async () => {
    for (const objectId of ["00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"]) {
      const r = await provider.check({}, { partnerId: PARTNER_ID, objectId, connection: fx.connection("pal") });
      expect(r.failures).toEqual([expect.objectContaining({ property: "objectId", reason: expect.stringContaining(`objectId '${objectId}' is a placeholder GUID, not an object ID. Fix:`) })]);
    }
  });
  test("ignores values unknown at preview", async () => {
    const r = await provider.check({}, { partnerId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", connection: fx.connection("pal") });
    expect(r.failures).toBeUndefined();
  });
});

describe("create", () => {
  test("links the identity (PUT) and returns the link's outputs", async () => {
    const r = await provider.create(inputs());
    expect(r.id).toBe(PARTNER_ID);
    expect(r.outs).toMatchObject({ partnerId: PARTNER_ID, partnerName: "Contoso Ltd", objectId: PAL_SP.objectId, tenantId: PARTNER_TENANT, state: "Active" });
    expect(r.outs.createdTime).toMatch(/^\d{4}-/);
    expect(link()).toMatchObject({ partnerId: PARTNER_ID, state: "Active" });
  });

  test("adopts an existing link to the same ID without writing", async () => {
    const start = countWrites("PUT");
    await provider.create(inputs());
    const puts = countWrites("PUT");
    expect(puts - start).toBe(1);
    const r = await provider.create(inputs());
    expect(r.outs.partnerId).toBe(PARTNER_ID);
    expect(countWrites("PUT")).toBe(puts);
    expect(fx.emu.state.counts().activePartnerLinks).toBe(1);
  });

  test("refuses to move a link to another ID, naming both IDs, unless allowRelink", async () => {
    await provider.create(inputs(OTHER_PARTNER_ID));
    const err = await failureOf(() => provider.create(inputs(PARTNER_ID)));
    expect(err.message).toContain(OTHER_PARTNER_ID);
    expect(err.message).toContain(PARTNER_ID);
    expect(err.message).toMatch(/Set allowRelink to true to move the link/);
    expect(err.message).not.toContain(fx.secrets.pal);
    expect(link()?.partnerId).toBe(OTHER_PARTNER_ID);
  });

  test("relinks with PATCH when allowRelink is set", async () => {
    await provider.create(inputs(OTHER_PARTNER_ID));
    const before = link()!;
    const r = await provider.create(inputs(PARTNER_ID, true));
    expect(r.outs.partnerId).toBe(PARTNER_ID);
    expect(countWrites("PATCH")).toBeGreaterThan(0);
    const after = link()!;
    expect(after.partnerId).toBe(PARTNER_ID);
    expect(after.createdTime).toBe(before.createdTime);
    expect(after.version).toBeGreaterThan(before.version);
  });
});

describe("objectId: the identity the link must be for", () => {
  test("create links when the connection signs in as that object (any case)", async () => {
    const r = await provider.create({ ...inputs(), objectId: PAL_SP.objectId.toUpperCase() });
    expect(r.outs.objectId).toBe(PAL_SP.objectId);
    expect(link()).toMatchObject({ partnerId: PARTNER_ID, state: "Active" });
  });

  test("create refuses a connection of another identity before writing anything, naming both object IDs and the fix", async () => {
    const puts = countWrites("PUT");
    const err = await failureOf(() =>
      provider.create({ ...inputs(), objectId: PAL_SP2.objectId, messageKeys: { objectId: "partnerlink:partner.pecPrincipal.objectId" } }),
    );
    expect(err.message).toContain(`signs in as object ${PAL_SP.objectId}, not partnerlink:partner.pecPrincipal.objectId ${PAL_SP2.objectId}: nothing was written`);
    expect(err.message).toContain(`set partnerlink:partner.pecPrincipal.objectId to ${PAL_SP.objectId}`);
    expect(err.message).not.toContain(fx.secrets.pal);
    expect(countWrites("PUT")).toBe(puts);
    expect(link()).toBeUndefined();
  });

  test("stating another objectId on a linked resource is an update, which refuses it and leaves the link as it was", async () => {
    const { outs } = await provider.create(inputs());
    expect((await provider.diff(PARTNER_ID, outs, { ...inputs(), objectId: PAL_SP.objectId.toUpperCase() })).changes).toBe(false);
    const news = { ...inputs(), objectId: PAL_SP2.objectId };
    expect((await provider.diff(PARTNER_ID, outs, news)).changes).toBe(true);
    const before = link()!;
    const err = await failureOf(() => provider.update(PARTNER_ID, outs, news));
    expect(err.message).toContain(`not objectId ${PAL_SP2.objectId}`);
    expect(link()).toEqual(before);
  });
});

describe("read", () => {
  test("reflects a link changed elsewhere (drift) and a removed link (gone)", async () => {
    const { outs } = await provider.create(inputs());
    fx.emu.state.putLink({ ...link()!, partnerId: OTHER_PARTNER_ID });
    const drifted = await provider.read(PARTNER_ID, outs);
    expect(drifted.id).toBe(PARTNER_ID);
    expect(drifted.props.partnerId).toBe(OTHER_PARTNER_ID);
    const d = await provider.diff(PARTNER_ID, drifted.props, inputs());
    expect(d.changes).toBe(true);

    fx.emu.state.removeLink(PARTNER_TENANT, PAL_SP.objectId);
    const gone = await provider.read(PARTNER_ID, outs);
    expect(gone.id).toBe("");
  });

  test("imports by partner ID with only the ID and the connection", async () => {
    await provider.create(inputs());
    const r = await provider.read(PARTNER_ID, { connection: fx.connection("pal") });
    expect(r.id).toBe(PARTNER_ID);
    expect(r.props).toMatchObject({ partnerId: PARTNER_ID, objectId: PAL_SP.objectId, tenantId: PARTNER_TENANT, allowRelink: false });
    const wrong = await failureOf(() => provider.read(OTHER_PARTNER_ID, { connection: fx.connection("pal") }));
    expect(wrong.message).toContain(`import "${PARTNER_ID}"`);
  });
});

describe("update", () => {
  test("a partner ID change without allowRelink fails at check (preview), naming the keys the program gave; with it, check passes", async () => {
    const { outs } = await provider.create(inputs(OTHER_PARTNER_ID));
    const plain = await provider.check(outs, inputs(PARTNER_ID));
    expect(plain.failures).toEqual([
      {
        property: "allowRelink",
        reason: `PartnerAdminLink: partnerId changes from ${OTHER_PARTNER_ID} to ${PARTNER_ID}, which moves the identity's link to another partner ID (PATCH): set allowRelink to true to move it, or set partnerId back to ${OTHER_PARTNER_ID}`,
      },
    ]);
    const keys = { partnerId: "partnerlink:partner.partnerId", allowRelink: "partnerlink:partner.allowRelink" };
    const stack = await provider.check(outs, { ...inputs(PARTNER_ID), messageKeys: keys });
    expect(stack.failures?.[0].reason).toBe(
      `PartnerAdminLink: partnerlink:partner.partnerId changes from ${OTHER_PARTNER_ID} to ${PARTNER_ID}, which moves the identity's link to another partner ID (PATCH): ` +
        `set partnerlink:partner.allowRelink to true to move it, or set partnerlink:partner.partnerId back to ${OTHER_PARTNER_ID}`,
    );
    expect((await provider.check(outs, inputs(PARTNER_ID, true))).failures).toBeUndefined();
    expect((await provider.check(outs, inputs(OTHER_PARTNER_ID))).failures).toBeUndefined();
    expect((await provider.check({}, inputs(PARTNER_ID))).failures).toBeUndefined(); // a create: nothing recorded
    // The update's own refusal (a link moved elsewhere behind Pulumi's back) names the program's keys too.
    const refused = await failureOf(() => provider.update(OTHER_PARTNER_ID, outs, { ...inputs(PARTNER_ID), messageKeys: keys }));
    expect(refused.message).toContain(`Set partnerlink:partner.allowRelink to true to move the link to ${PARTNER_ID} (PATCH), or set partnerlink:partner.partnerId to ${OTHER_PARTNER_ID}`);
  });

  test("a partner ID change relinks with PATCH when allowed, and fails clearly when not", async () => {
    const { outs } = await provider.create(inputs(OTHER_PARTNER_ID));
    const diff = await provider.diff(OTHER_PARTNER_ID, outs, inputs(PARTNER_ID));
    expect(diff).toEqual({ changes: true });
    const refused = await failureOf(() => provider.update(OTHER_PARTNER_ID, outs, inputs(PARTNER_ID)));
    expect(refused.message).toMatch(new RegExp(`linked to partner ID ${OTHER_PARTNER_ID}, not ${PARTNER_ID}`));
    const r = await provider.update(OTHER_PARTNER_ID, outs, inputs(PARTNER_ID, true));
    expect(r.outs.partnerId).toBe(PARTNER_ID);
    expect(link()?.partnerId).toBe(PARTNER_ID);
  });

  test("another identity in the connection replaces the resource; a rotated secret does not", async () => {
    const { outs } = await provider.create(inputs());
    expect((await provider.diff(PARTNER_ID, outs, { ...inputs(), connection: fx.connection("pal2") })).replaces).toEqual(["connection"]);
    const rotated = { ...inputs(), connection: { ...fx.connection("pal"), credential: { ...fx.connection("pal").credential, clientSecret: "rotated-secret-value" } } };
    expect(await provider.diff(PARTNER_ID, outs, rotated as never)).toEqual({ changes: true });
    expect(await provider.diff(PARTNER_ID, outs, inputs())).toEqual({ changes: false });
  });
});

describe("delete", () => {
  test("unlinks, and leaves alone a link moved to another partner ID", async () => {
    const { outs } = await provider.create(inputs());
    await provider.delete(PARTNER_ID, outs);
    expect(link()?.state ?? "Deleted").toBe("Deleted");

    const again = await provider.create(inputs(OTHER_PARTNER_ID));
    await provider.delete(PARTNER_ID, { ...again.outs, partnerId: PARTNER_ID });
    expect(link()).toMatchObject({ partnerId: OTHER_PARTNER_ID, state: "Active" });
  });
});

test("no error message carries the client secret (a wrong secret, an unknown endpoint)", async () => {
  const bad = { ...fx.connection("pal"), credential: { ...fx.connection("pal").credential, clientSecret: `${fx.secrets.pal}-wrong` } };
  const e1 = await failureOf(() => provider.create({ partnerId: PARTNER_ID, allowRelink: false, connection: bad }));
  expect(e1.message).not.toContain(fx.secrets.pal);
  expect(e1.stack ?? "").not.toContain(fx.secrets.pal);
  const unreachable = { ...fx.connection("pal"), endpoint: "https://127.0.0.1:1", retry: { maxRetries: 0 } };
  const e2 = await failureOf(() => provider.create({ partnerId: PARTNER_ID, allowRelink: false, connection: unreachable }));
  expect(e2.message).not.toContain(fx.secrets.pal);
  expect(fx.log.join("\n")).not.toContain(fx.secrets.pal);
});
