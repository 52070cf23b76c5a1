import { createPublicKey, verify } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NotFoundError, ResidencyViolationError } from "@layerboom/core";
import { OFFER_DOCUMENT_TYPE, quotePartnerPlan } from "@layerboom/controller";
import { describeOnDatabase } from "../support/databases.js";
import { peerThem, startTwoInstallations } from "../support/federation.js";
import type { TwoInstallations } from "../support/federation.js";
import { runCli } from "../support/hosts.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * Offers between two installations (docs/federation.md, "Offers"): B (PostgreSQL) offers its
 * site and plans to A (PGlite) at wholesale prices; A receives each signed version by push and
 * by pull, sets its markup, and sells B's site to its customers at its own retail price. What
 * A refuses: offers.refused-between-installations.test.ts.
 */
describeOnDatabase("postgres", "federation offers between two installations", () => {
  let t: TwoInstallations;
  let peerOfA = ""; // B as recorded on A
  let peerOfB = ""; // A as recorded on B
  let siteB = "";
  let smallB = "";
  let largeB = "";
  let offerOnA = "";
  let customer: Tenant; // a customer directly under A's provider
  let resellersCustomer: Tenant;

  const offerVersionsOnB = () =>
    t.b.database.db.selectFrom("federation_offer_made_versions").selectAll().orderBy("version").execute();

  beforeAll(async () => {
    t = await startTwoInstallations();
    ({ peerOfA, peerOfB } = await peerThem(t));
    siteB = (await t.apiB.get("/sites")).body.items[0].id;
    smallB = (await t.apiB.get("/plans")).body.items[0].id;
    const large = await t.apiB.post("/plans", {
      name: "b-large",
      vcpus: 4,
      memory_mib: 8192,
      disk_gib: 80,
      transfer_gib: 4000,
      hourly_price_minor: 9_000,
      monthly_cap_minor: 4_000_000,
      currency: "CAD",
    });
    expect(large.status, JSON.stringify(large.body)).toBe(201);
    largeB = large.body.id;
    customer = await createTenant(t.a, t.apiA, "customer");
    const reseller = await createTenant(t.a, t.apiA, "reseller");
    resellersCustomer = await createTenant(t.a, reseller.api, "customer");
  }, 120_000);
  afterAll(async () => t?.close());

  it("B publishes a signed offer from the CLI; A receives it by push and keeps the signed bytes", async () => {
    const run = await runCli(t.b, t.b.adminToken, [
      "-o",
      "json",
      "federation",
      "offers",
      "define",
      peerOfB,
      "--currency",
      "CAD",
      "--site",
      siteB,
      "--plan",
      `${smallB}:1234:600000`,
      "--plan",
      `${largeB}:7777:3500001`,
      "--max-servers",
      "10",
    ]);
    expect(run.code, run.output).toBe(0);
    const made = JSON.parse(run.output);
    expect(made).toMatchObject({ current_version: 1, pushed_version: 1, push_error: "" });
    expect(made.offer).toMatchObject({
      type: OFFER_DOCUMENT_TYPE,
      version: 1,
      issuer: t.profileB.fingerprint,
      audience: t.profileA.fingerprint,
      capacity: { max_servers: 10 },
    });

    const received = await t.apiA.get("/federation/offers");
    expect(received.status).toBe(200);
    expect(received.body.items).toHaveLength(1);
    const offer = received.body.items[0];
    offerOnA = offer.id;
    expect(offer).toMatchObject({
      peer: { id: peerOfA, name: "Provider B (Québec)", state: "active" },
      version: 1,
      received_via: "push",
      currency: "CAD",
      on_sale: true,
      capacity: { max_servers: 10 },
    });
    const siteOnB = (await t.apiB.get(`/sites/${siteB}`)).body;
    expect(offer.sites).toEqual([
      expect.objectContaining({
        id: siteB,
        name: siteOnB.name,
        country_code: siteOnB.country_code,
        region_code: siteOnB.region_code,
        jurisdiction: siteOnB.jurisdiction,
        energy: expect.objectContaining({ as_of: expect.any(String) }),
      }),
    ]);
    expect(
      offer.plans.map((p: any) => [p.id, p.wholesale_hourly_minor, p.wholesale_monthly_cap_minor]),
    ).toEqual([
      [smallB, 1234, 600_000],
      [largeB, 7777, 3_500_001],
    ]);
    // A keeps the document byte for byte with B's signature, which verifies with B's public key.
    const kept = await t.a.database.db
      .selectFrom("federation_offer_received_versions")
      .selectAll()
      .where("id", "=", offer.version_id)
      .executeTakeFirstOrThrow();
    const sent = (await offerVersionsOnB())[0]!;
    expect(kept).toMatchObject({
      document: sent.document,
      signature: sent.signature,
      key_id: t.profileB.fingerprint,
      received_via: "push",
    });
    const keyB = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: t.profileB.public_key },
      format: "jwk",
    });
    expect(
      verify(
        null,
        Buffer.concat([Buffer.from(`${OFFER_DOCUMENT_TYPE}\n`), Buffer.from(kept.document)]),
        keyB,
        Buffer.from(kept.signature, "base64url"),
      ),
    ).toBe(true);
  });

  it("A re-reads the offer by pull: the version held is no change, a missed push is recovered", async () => {
    const same = await t.apiA.post(`/federation/peers/${peerOfA}/offer/pull`);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(same.body).toMatchObject({ id: offerOnA, version: 1, received_via: "push" });
    // B's push of version 2 cannot reach A (A's URL, as B holds it, is moved to a closed port).
    await t.b.database.db
      .updateTable("federation_peers")
      .set({ url: "http://127.0.0.1:9" })
      .where("id", "=", peerOfB)
      .execute();
    const missed = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [siteB],
      plans: [
        { plan_id: smallB, hourly_price_minor: 1_234, monthly_cap_minor: 600_000 },
        { plan_id: largeB, hourly_price_minor: 7_777, monthly_cap_minor: 3_500_001 },
      ],
      max_servers: 10,
    });
    await t.b.database.db
      .updateTable("federation_peers")
      .set({ url: t.originA })
      .where("id", "=", peerOfB)
      .execute();
    expect(missed.status, JSON.stringify(missed.body)).toBe(201);
    expect(missed.body).toMatchObject({ current_version: 2, pushed_version: 1 });
    expect(missed.body.push_error).toMatch(/127\.0\.0\.1:9|reach|ECONNREFUSED/);
    expect((await t.apiA.get(`/federation/offers/${offerOnA}`)).body.version).toBe(1);
    const pulled = await runCli(t.a, t.a.adminToken, ["-o", "json", "federation", "offers", "pull", peerOfA]);
    expect(pulled.code, pulled.output).toBe(0);
    expect(JSON.parse(pulled.output)).toMatchObject({ id: offerOnA, version: 2, received_via: "pull" });
    // B's next push finds A holding version 2 already: it counts as pushed.
    const again = await t.apiB.post(`/federation/peers/${peerOfB}/offer/push`);
    expect(again.body).toMatchObject({ current_version: 2, pushed_version: 2, push_error: "" });
  });

  it("sells B's site to A's customer, labelled as the partner's, at A's retail price to the cent", async () => {
    // 25 % on the offer; the large plan has its own fixed markup, which wins.
    const percent = await runCli(t.a, t.a.adminToken, [
      "-o",
      "json",
      "federation",
      "markup",
      offerOnA,
      "--percent",
      "25",
    ]);
    expect(percent.code, percent.output).toBe(0);
    const fixed = await t.apiA.put(`/federation/offers/${offerOnA}/markup`, {
      plan_id: largeB,
      hourly_minor: 223,
      monthly_cap_minor: 99_999,
    });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect(fixed.body.plans.map((p: any) => [p.retail_hourly_minor, p.retail_monthly_cap_minor])).toEqual([
      [1543, 750_000], // 1234 × 1.25 = 1542.5 → 1543; 600,000 × 1.25
      [8000, 3_600_000], // 7777 + 223; 3,500,001 + 99,999
    ]);

    const listed = await customer.api.get("/partner-sites");
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    const site = listed.body.items[0];
    const siteOnB = (await t.apiB.get(`/sites/${siteB}`)).body;
    expect(site).toMatchObject({
      id: siteB,
      operated_by: "Provider B (Québec)",
      country_code: siteOnB.country_code,
      jurisdiction: siteOnB.jurisdiction,
      offer_id: offerOnA,
    });
    expect(site.plans.map((p: any) => [p.id, p.hourly_price_minor, p.monthly_cap_minor, p.currency])).toEqual(
      [
        [smallB, 1543, 750_000, "CAD"],
        [largeB, 8000, 3_600_000, "CAD"],
      ],
    );
    // The customer never sees the wholesale price, the markup or the signature.
    expect(JSON.stringify(listed.body)).not.toMatch(/wholesale|markup|signature|1234|7777/);
    expect((await customer.api.get(`/sites/${siteB}`)).status).toBe(404);
    // A reseller's customers are not sold a partner plan their reseller has not priced (partner-resale test).
    expect((await resellersCustomer.api.get("/partner-sites")).body.items).toEqual([]);
    const cli = await runCli(t.a, customer.token, ["sites", "partners"]);
    expect(cli.code, cli.output).toBe(0);
    expect(cli.output).toContain("partner Provider B (Québec)");
    expect(cli.output).toContain("15.43 CAD");
  });

  it("shows a customer with required jurisdictions only the partner sites within them, and refuses a quote outside", async () => {
    const label = (await t.apiB.get(`/sites/${siteB}`)).body.jurisdiction as string;
    expect(label).toBe("CA");
    const require = async (codes: string[]) => {
      const set = await t.apiA.patch(`/accounts/${customer.accountId}`, { required_jurisdictions: codes });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
    };
    const listedIds = async () =>
      (await customer.api.get("/partner-sites")).body.items.map((s: any) => s.id) as string[];
    const quote = () =>
      quotePartnerPlan(t.a.database.db, {
        offerId: offerOnA,
        siteId: siteB,
        planId: smallB,
        accountId: customer.accountId,
      });

    await require(["US"]);
    expect(await listedIds()).toEqual([]);
    const outside = await quote().catch((e: unknown) => e);
    expect(outside).toBeInstanceOf(ResidencyViolationError);
    expect((outside as ResidencyViolationError).details).toMatchObject({ site_jurisdiction: "CA" });
    // A site labelled CA is somewhere in Canada, not necessarily in Quebec.
    await require(["CA-QC"]);
    expect(await listedIds()).toEqual([]);
    await require(["CA"]);
    expect(await listedIds()).toEqual([siteB]);
    expect((await quote()).hourly_price_minor).toBe(1543);
    await require([]);
    expect(await listedIds()).toEqual([siteB]);
  });

  it("a new version prices new servers; the version a server started with keeps its price", async () => {
    const before = await quotePartnerPlan(t.a.database.db, {
      offerId: offerOnA,
      siteId: siteB,
      planId: smallB,
    });
    expect(before).toMatchObject({ version: 2, wholesale_hourly_minor: 1234, hourly_price_minor: 1543 });
    const changed = await t.apiB.post(`/federation/peers/${peerOfB}/offer`, {
      currency: "CAD",
      site_ids: [siteB],
      plans: [{ plan_id: smallB, hourly_price_minor: 2_000, monthly_cap_minor: 900_000 }],
    });
    expect(changed.body).toMatchObject({ current_version: 3, pushed_version: 3, push_error: "" });
    const after = await quotePartnerPlan(t.a.database.db, {
      offerId: offerOnA,
      siteId: siteB,
      planId: smallB,
    });
    expect(after).toMatchObject({
      version: 3,
      wholesale_hourly_minor: 2000,
      hourly_price_minor: 2500,
      monthly_cap_minor: 1_125_000,
    });
    expect(after.offer_version_id).not.toBe(before.offer_version_id);
    // The version a server started under is still there, unchanged, under the id it pinned.
    const pinned = await t.a.database.db
      .selectFrom("federation_offer_received_versions")
      .selectAll()
      .where("id", "=", before.offer_version_id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(pinned.document).plans[0].wholesale_hourly_minor).toBe(1234);
    // The large plan left the offer: it is no longer sold, and its quote is not found.
    const site = (await customer.api.get("/partner-sites")).body.items[0];
    expect(site.plans.map((p: any) => p.id)).toEqual([smallB]);
    await expect(
      quotePartnerPlan(t.a.database.db, { offerId: offerOnA, siteId: siteB, planId: largeB }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("takes a suspended or revoked partner's sites out of the catalogue; B's push is refused meanwhile", async () => {
    expect((await t.apiA.post(`/federation/peers/${peerOfA}/suspend`)).body.state).toBe("suspended");
    expect((await customer.api.get("/partner-sites")).body.items).toEqual([]);
    await expect(
      quotePartnerPlan(t.a.database.db, { offerId: offerOnA, siteId: siteB, planId: smallB }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.apiA.get(`/federation/offers/${offerOnA}`)).body).toMatchObject({ on_sale: false });
    const refused = await t.apiB.post(`/federation/peers/${peerOfB}/offer/push`);
    expect(refused.body.push_error).toMatch(/suspended/);
    const shown = await runCli(t.a, t.a.adminToken, ["federation", "offers"]);
    expect(shown.output).toMatch(/suspended/);
    await t.apiA.post(`/federation/peers/${peerOfA}/approve`, { fingerprint: t.profileB.fingerprint });
    expect((await customer.api.get("/partner-sites")).body.items).toHaveLength(1);
    expect((await t.apiA.post(`/federation/peers/${peerOfA}/revoke`)).body.state).toBe("revoked");
    expect((await customer.api.get("/partner-sites")).body.items).toEqual([]);
    const pull = await t.apiA.post(`/federation/peers/${peerOfA}/offer/pull`);
    expect(pull.status).toBe(409);
    expect(pull.body.error.details.reason).toBe("peer_not_active");
  });
});
