import { afterAll, beforeAll, expect, it } from "vitest";
import { OFFER_DOCUMENT_TYPE, signOffer } from "@layerboom/controller";
import type { OfferDocument } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { sendSigned, startTwoInstallations, strangerInstallation } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * A (PGlite) refuses hostile offers from B (PostgreSQL) and from strangers, and B refuses to
 * offer what it does not have (docs/federation.md, "Offers"). The test signs as B with B's own
 * key: offers while pending, replayed, older and equal versions, a tampered body, a document
 * altered under a valid request, misaddressed and malformed documents. What is accepted:
 * offers.two-installations.test.ts.
 */
describeOnDatabase("postgres", "federation offers refused between two installations", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B
  let siteB = "";
  let smallB = "";
  let offerOnA = "";
  let customer: Tenant;

  const documentFor = (version: number, overrides: Partial<OfferDocument> = {}): OfferDocument => ({
    type: OFFER_DOCUMENT_TYPE,
    offer_id: "offer_00000000000000000000000000",
    version,
    issued_at: new Date().toISOString(),
    issuer: t.profileB.fingerprint,
    audience: t.profileA.fingerprint,
    currency: "CAD",
    capacity: null,
    sites: [],
    plans: [],
    ...overrides,
  });
  const offerVersionsOnB = () =>
    t.b.database.db.selectFrom("federation_offer_made_versions").selectAll().orderBy("version").execute();

  beforeAll(async () => {
    t = await startTwoInstallations();
    const invite = await t.apiB.post("/federation/invitations", {});
    const joined = await t.apiA.post("/federation/join", { url: t.originB, token: invite.body.token });
    expect(joined.status, JSON.stringify(joined.body)).toBe(201);
    peerOfA = joined.body.id;
    peerOfB = (await t.apiB.get("/federation/peers")).body.items[0].id;
    siteB = (await t.apiB.get("/sites")).body.items[0].id;
    smallB = (await t.apiB.get("/plans")).body.items[0].id;
    customer = await createTenant(t.a, t.apiA, "customer");
  }, 120_000);
  afterAll(async () => t?.close());

  it("refuses offers while the peering is pending, on both sides", async () => {
    const made = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [siteB],
      plans: [{ plan_id: smallB, hourly_price_minor: 1_000, monthly_cap_minor: 500_000 }],
    });
    expect(made.status).toBe(409);
    expect(made.body.error.details).toMatchObject({ reason: "peer_not_active", state: "pending" });
    // B, still pending on A, pushes anyway: A refuses an unapproved peer's offer.
    const pushed = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: signOffer(t.signingB, documentFor(1)),
    });
    expect(pushed.status).toBe(401);
    expect(pushed.body.error.details.reason).toBe("peer_pending");
    expect(await t.a.database.db.selectFrom("federation_offers_received").selectAll().execute()).toEqual([]);
    const onA = await t.apiA.post(`/federation/peers/${peerOfA}/approve`, {
      fingerprint: t.profileB.fingerprint,
    });
    const onB = await t.apiB.post(`/federation/peers/${peerOfB}/approve`, {
      fingerprint: t.profileA.fingerprint,
    });
    expect([onA.body.state, onB.body.state]).toEqual(["active", "active"]);
  });

  it("refuses an offer naming a site or plan B does not have, with the field named", async () => {
    const noSite = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: ["site_00000000000000000000000000"],
      plans: [],
    });
    expect(noSite.status).toBe(400);
    expect(noSite.body.error.details.field).toBe("site_ids[0]");
    const lowCap = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [siteB],
      plans: [{ plan_id: smallB, hourly_price_minor: 1_000, monthly_cap_minor: 999 }],
    });
    expect(lowCap.status).toBe(400);
    expect(lowCap.body.error.details.field).toBe("plans[0].monthly_cap_minor");
    expect(await offerVersionsOnB()).toEqual([]);
  });

  it("accepts three versions from B, each newer than the last", async () => {
    for (const hourly of [1_000, 1_100, 1_200]) {
      const made = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
        currency: "CAD",
        site_ids: [siteB],
        plans: [{ plan_id: smallB, hourly_price_minor: hourly, monthly_cap_minor: 500_000 }],
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body.push_error).toBe("");
    }
    const held = (await t.apiA.get("/federation/offers")).body.items[0];
    expect(held).toMatchObject({ version: 3, received_via: "push" });
    offerOnA = held.id;
  });

  it("refuses an older or equal version, a tampered body, a misaddressed or malformed offer, and a stranger", async () => {
    const [v1, , v3] = await offerVersionsOnB();
    const older = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: { document: v1!.document, signature: v1!.signature },
    });
    expect(older.status).toBe(409);
    expect(older.body.error.details).toMatchObject({
      reason: "offer_version_not_newer",
      version: 1,
      held_version: 3,
    });
    const equal = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: { document: v3!.document, signature: v3!.signature },
    });
    expect(equal.status).toBe(409);
    // The same request sent twice is a replay of its signature.
    const replay = await fetch(`${t.originA}/federation/v1/offers`, {
      method: "POST",
      headers: equal.headers,
      body: JSON.stringify({ document: v3!.document, signature: v3!.signature }),
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as any).error.details.reason).toBe("replayed");

    // Altered on the way: the request's Content-Digest no longer matches.
    const next = signOffer(t.signingB, documentFor(9, { offer_id: JSON.parse(v3!.document).offer_id }));
    const tampered = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: next,
      edit: (r) => {
        r.body = r.body.replace('\\"version\\":9', '\\"version\\":10');
      },
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.details.reason).toBe("digest_mismatch");
    // A document altered under a valid request signature: the offer's own signature fails.
    const altered = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: { ...next, document: next.document.replace('"version":9', '"version":10') },
    });
    expect(altered.status).toBe(400);
    expect(altered.body.error.details.field).toBe("signature");
    // Signed by B for another installation.
    const misaddressed = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: signOffer(t.signingB, documentFor(11, { audience: strangerInstallation().identity.keyId })),
    });
    expect(misaddressed.status).toBe(400);
    expect(misaddressed.body.error.details.field).toBe("document.audience");
    const malformed = await sendSigned(t.originA, t.signingB, "POST", "/offers", {
      body: signOffer(t.signingB, { ...documentFor(12), currency: "cad" }),
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.field).toBe("document.currency");
    const { identity } = strangerInstallation();
    const stranger = await sendSigned(t.originA, identity, "POST", "/offers", {
      body: signOffer(identity, documentFor(13, { issuer: identity.keyId })),
    });
    expect(stranger.status).toBe(401);
    expect(stranger.body.error.details.reason).toBe("unknown_key");
    expect((await t.apiA.get(`/federation/offers/${offerOnA}`)).body.version).toBe(3);
    const versions = await t.a.database.db
      .selectFrom("federation_offer_received_versions")
      .select("version")
      .orderBy("version")
      .execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it("keeps offers to provider admins: another tenant gets 404 for an offer and 403 for the list", async () => {
    expect((await customer.api.get(`/federation/offers/${offerOnA}`)).status).toBe(404);
    expect((await customer.api.get("/federation/offers")).status).toBe(403);
    expect(
      (await customer.api.put(`/federation/offers/${offerOnA}/markup`, { basis_points: 1 })).status,
    ).toBe(404);
    const unknownPlan = await t.apiA.put(`/federation/offers/${offerOnA}/markup`, {
      plan_id: "plan_00000000000000000000000000",
      basis_points: 1,
    });
    expect(unknownPlan.status).toBe(400);
    expect(unknownPlan.body.error.details.field).toBe("plan_id");
    const both = await t.apiA.put(`/federation/offers/${offerOnA}/markup`, {
      basis_points: 1,
      hourly_minor: 1,
    });
    expect(both.status).toBe(400);
  });
});
