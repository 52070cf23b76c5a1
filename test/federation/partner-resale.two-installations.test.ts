import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "@layerboom/core";
import { describeOnDatabase } from "../support/databases.js";
import { eventually, runCli } from "../support/hosts.js";
import { RETAIL, WHOLESALE, remoteServerWorld } from "../support/remote-servers.js";
import type { RemoteServerWorld } from "../support/remote-servers.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";

/**
 * Resale of partner sites (docs/federation.md, "Resale of partner sites"): a reseller at A prices
 * B's plan over its cost (A's retail price, 25 % over B's wholesale), its customer sees B's site at
 * that price only once it is priced, creates there through A's API, and after the server's last
 * 9 hours of November the three invoices come from the same usage records: B to A at wholesale,
 * the provider to the reseller at A's retail price, the reseller to its customer at its own price,
 * capped by its own cap. Another reseller's customer never sees the first reseller's price.
 */
describeOnDatabase("postgres", "resellers at A sell B's site at their own prices", () => {
  let w: RemoteServerWorld;
  let reseller: Tenant;
  let customer: Tenant;
  let otherReseller: Tenant;
  let otherCustomer: Tenant;
  let imageOfCustomer = "";
  /** The reseller's price: its cap (10000) is reached within 9 hours (9 × 1800 = 16200). */
  const RESALE = { hourly: 1800, monthlyCap: 10_000 };

  beforeAll(async () => {
    w = await remoteServerWorld();
    reseller = await createTenant(w.t.a, w.t.apiA, "reseller");
    customer = await createTenant(w.t.a, reseller.api, "customer", reseller.accountId);
    otherReseller = await createTenant(w.t.a, w.t.apiA, "reseller");
    otherCustomer = await createTenant(w.t.a, otherReseller.api, "customer", otherReseller.accountId);
    // The reseller's customer's own copy of the disk B already holds (by its sha256).
    imageOfCustomer = newId("image");
    await w.t.a.database.db
      .insertInto("images")
      .values({
        id: imageOfCustomer,
        account_id: customer.accountId,
        name: "resold-disk",
        visibility: "private",
        status: "available",
        format: "qcow2",
        size_bytes: 1 << 20,
        sha256: w.sha256,
        md5: null,
        deleted_at: null,
        kernel_sha256: null,
        kernel_size_bytes: null,
        initrd_sha256: null,
        initrd_size_bytes: null,
        kernel_append: null,
      })
      .execute();
  }, 180_000);
  afterAll(async () => w?.t.close());

  const plansSeenBy = async (who: Tenant) =>
    (await who.api.get("/partner-sites")).body.items.map((s: any) => [
      s.id,
      s.plans.map((p: any) => [p.id, p.hourly_price_minor, p.monthly_cap_minor, p.currency]),
    ]);

  describe("prices", () => {
    it("a reseller's customers are not sold a partner plan until the reseller prices it", async () => {
      expect(await plansSeenBy(customer)).toEqual([]);
      const refused = await customer.api.post("/remote-servers", {
        name: "too-soon",
        site_id: w.siteB,
        plan_id: w.planB,
        image_id: imageOfCustomer,
      });
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.body.error.details).toMatchObject({ field: "site_id" });
      // Its price list shows the plan at its cost (A's retail price), unpriced.
      const list = await reseller.api.get("/partner-prices");
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.items).toEqual([
        {
          offer_id: w.offerOnA,
          operated_by: expect.any(String),
          plan_id: w.planB,
          plan_name: expect.any(String),
          currency: "CAD",
          cost_hourly_minor: RETAIL.hourly,
          cost_monthly_cap_minor: RETAIL.monthlyCap,
          retail_hourly_minor: null,
          retail_monthly_cap_minor: null,
        },
      ]);
      // The provider's direct customer still sees A's price.
      expect(await plansSeenBy(w.customer)).toEqual([
        [w.siteB, [[w.planB, RETAIL.hourly, RETAIL.monthlyCap, "CAD"]]],
      ]);
    });

    it("refuses bad prices naming the field, and anyone but a reseller's admin", async () => {
      const put = (who: Tenant | RemoteServerWorld["t"]["apiA"], body: unknown) =>
        ("api" in who ? who.api : who).put("/partner-prices", body);
      const price = {
        offer_id: w.offerOnA,
        plan_id: w.planB,
        hourly_price_minor: 10,
        monthly_cap_minor: 100,
      };
      const cases: [unknown, string][] = [
        [{ prices: [{ ...price, offer_id: "ofr_unknown" }] }, "prices[0].offer_id"],
        [{ prices: [{ ...price, plan_id: "plan_unknown" }] }, "prices[0].plan_id"],
        [{ prices: [price, price] }, "prices[1].plan_id"],
        [{ prices: [{ ...price, monthly_cap_minor: 9 }] }, "prices[0].monthly_cap_minor"],
      ];
      for (const [body, field] of cases) {
        const res = await put(reseller, body);
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(JSON.stringify(res.body.error)).toContain(field);
      }
      expect((await put(customer, { prices: [price] })).status).toBe(403);
      expect((await put(w.customer, { prices: [price] })).status).toBe(403);
      expect((await put(w.t.apiA, { prices: [price] })).status).toBe(403);
      expect((await customer.api.get("/partner-prices")).status).toBe(403);
      expect(await plansSeenBy(customer)).toEqual([]);
    });

    it("once priced, its customers see its price; another reseller's customers never do", async () => {
      const set = await reseller.api.put("/partner-prices", {
        prices: [
          {
            offer_id: w.offerOnA,
            plan_id: w.planB,
            hourly_price_minor: RESALE.hourly,
            monthly_cap_minor: RESALE.monthlyCap,
          },
        ],
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body.items[0]).toMatchObject({
        cost_hourly_minor: RETAIL.hourly,
        retail_hourly_minor: RESALE.hourly,
        retail_monthly_cap_minor: RESALE.monthlyCap,
      });
      expect(await plansSeenBy(customer)).toEqual([
        [w.siteB, [[w.planB, RESALE.hourly, RESALE.monthlyCap, "CAD"]]],
      ]);
      const body = JSON.stringify((await customer.api.get("/partner-sites")).body);
      for (const hidden of [RETAIL.hourly, WHOLESALE.hourly]) expect(body).not.toContain(String(hidden));
      expect(await plansSeenBy(otherCustomer)).toEqual([]);
      // The other reseller prices it its way, from the CLI: each sees its own reseller's price only.
      const other = await runCli(w.t.a, otherReseller.token, [
        "prices",
        "set-partner",
        w.offerOnA,
        w.planB,
        "--hourly",
        "17.00",
        "--cap",
        "8000.00",
      ]);
      expect(other.code, other.output).toBe(0);
      expect(other.output).toMatch(/15\.43\s+7500\.00\s+17\.00\s+8000\.00\s+CAD/);
      expect(await plansSeenBy(otherCustomer)).toEqual([[w.siteB, [[w.planB, 1700, 800_000, "CAD"]]]]);
      expect(await plansSeenBy(customer)).toEqual([
        [w.siteB, [[w.planB, RESALE.hourly, RESALE.monthlyCap, "CAD"]]],
      ]);
      // Removing a price takes the plan off its customers' catalogue again.
      const removed = await runCli(w.t.a, otherReseller.token, [
        "-o",
        "json",
        "prices",
        "set-partner",
        w.offerOnA,
        w.planB,
        "--remove",
      ]);
      expect(removed.code, removed.output).toBe(0);
      expect(JSON.parse(removed.output)[0].retail_hourly_minor).toBeNull();
      expect(await plansSeenBy(otherCustomer)).toEqual([]);
    });
  });

  it("a create pins the reseller's price and its cost; the three invoices of November come from the records to the cent", async () => {
    const created = await customer.api.post("/remote-servers", {
      name: "resold-1",
      site_id: w.siteB,
      plan_id: w.planB,
      image_id: imageOfCustomer,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toMatchObject({
      hourly_price_minor: RESALE.hourly,
      monthly_cap_minor: RESALE.monthlyCap,
    });
    const onA: string = created.body.id;
    const row = await w.t.a.database.db
      .selectFrom("remote_servers")
      .selectAll()
      .where("id", "=", onA)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reseller_id: reseller.accountId,
      retail_hourly_minor: RESALE.hourly,
      retail_monthly_cap_minor: RESALE.monthlyCap,
    });
    expect([row.reseller_cost_hourly_minor, row.reseller_cost_monthly_cap_minor].map(Number)).toEqual([
      RETAIL.hourly,
      RETAIL.monthlyCap,
    ]);
    // Another reseller's customer's id for it is an unknown one.
    expect((await otherCustomer.api.get(`/remote-servers/${onA}`)).status).toBe(404);

    const onB = await eventually("B's answer to the create", async () => {
      const view = (await customer.api.get(`/remote-servers/${onA}`)).body;
      return view.remote_server_id ?? undefined;
    });
    await w.t.b.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-11-30T20:00:00Z") })
      .where("server_id", "=", onB)
      .execute();
    const pushed = await w.t.apiB.post(`/federation/peers/${w.peerOfB}/usage/push`, {
      through: "2026-12-01T05:00:00Z",
    });
    expect(pushed.body, JSON.stringify(pushed.body)).toMatchObject({ made: 9, acked_through: 9 });
    const records = await w.t.a.database.db
      .selectFrom("federation_usage_records_received")
      .select(["local_server_id", "period", "billed_ms", "wholesale_cost_minor"])
      .execute();
    expect(records).toHaveLength(9);
    expect(records.every((r) => r.local_server_id === onA && r.period === "2026-11")).toBe(true);
    const billedMs = records.reduce((a, r) => a + Number(r.billed_ms), 0);
    expect(billedMs).toBe(9 * 3_600_000);
    const atPrice = (hourly: number, cap: number) =>
      Math.min(cap, Math.round((billedMs * hourly) / 3_600_000));

    // B → A: wholesale, the records' own sum.
    const closedB = await w.t.apiB.post("/billing/close", { period: "2026-11" });
    expect(closedB.status, JSON.stringify(closedB.body)).toBe(200);
    const toA = closedB.body.issued.find((i: any) => i.account_id === w.representedByB);
    const invoiceB = (await w.t.apiB.get(`/invoices/${toA.id}`)).body;
    const recordsSum = records.reduce((a, r) => a + Number(r.wholesale_cost_minor), 0);
    expect(recordsSum).toBe(9 * WHOLESALE.hourly);
    expect(
      invoiceB.lines.filter((l: any) => l.kind === "usage").map((l: any) => [l.server_id, l.amount_minor]),
    ).toEqual([[onB, recordsSum]]);

    // Provider → reseller (wholesale): the server at A's retail price, the reseller's cost.
    const closedA = await w.t.apiA.post("/billing/close", { period: "2026-11" });
    expect(closedA.status, JSON.stringify(closedA.body)).toBe(200);
    const wholesale = closedA.body.issued.find((i: any) => i.account_id === reseller.accountId);
    expect(wholesale, JSON.stringify(closedA.body)).toBeDefined();
    const wholesaleInvoice = (await reseller.api.get(`/invoices/${wholesale.id}`)).body;
    const wholesaleRemote = wholesaleInvoice.lines.filter((l: any) => l.kind === "remote-server");
    expect(wholesaleRemote.map((l: any) => [l.server_id, l.amount_minor])).toEqual([
      [onA, atPrice(RETAIL.hourly, RETAIL.monthlyCap)],
    ]);
    expect(atPrice(RETAIL.hourly, RETAIL.monthlyCap)).toBe(9 * 1543);
    expect(wholesaleRemote[0].details).toMatchObject({
      customer_id: customer.accountId,
      records: 9,
      retail_hourly_minor: RETAIL.hourly,
    });
    // The other reseller's customer ran nothing: no invoice to it.
    expect(closedA.body.issued.some((i: any) => i.account_id === otherReseller.accountId)).toBe(false);

    // Reseller → customer: its own price, under its own cap (9 × 18.00 = 162.00, capped at 100.00).
    const closedR = await reseller.api.post("/billing/close", { period: "2026-11" });
    expect(closedR.status, JSON.stringify(closedR.body)).toBe(200);
    const mine = closedR.body.issued.find((i: any) => i.account_id === customer.accountId);
    const customerInvoice = (await customer.api.get(`/invoices/${mine.id}`)).body;
    const customerRemote = customerInvoice.lines.filter((l: any) => l.kind === "remote-server");
    expect(customerRemote.map((l: any) => [l.server_id, l.amount_minor])).toEqual([
      [onA, atPrice(RESALE.hourly, RESALE.monthlyCap)],
    ]);
    expect(atPrice(RESALE.hourly, RESALE.monthlyCap)).toBe(10_000);
    expect(customerRemote[0].description).toContain("(monthly cap)");
    expect(JSON.stringify(customerInvoice)).not.toContain(`"retail_hourly_minor":${RETAIL.hourly}`);
  });
  it("a new markup moves the reseller's cost, not its price; an offer in another currency prices nothing until set again", async () => {
    const markup = await w.t.apiA.put(`/federation/offers/${w.offerOnA}/markup`, { basis_points: 5000 });
    expect(markup.status, JSON.stringify(markup.body)).toBe(200);
    expect((await reseller.api.get("/partner-prices")).body.items[0]).toMatchObject({
      cost_hourly_minor: 1851,
      retail_hourly_minor: RESALE.hourly,
    });
    expect(await plansSeenBy(customer)).toEqual([
      [w.siteB, [[w.planB, RESALE.hourly, RESALE.monthlyCap, "CAD"]]],
    ]);
    const usd = await w.t.apiB.post(`/federation/peers/${w.peerOfB}/offer`, {
      currency: "USD",
      site_ids: [w.siteB],
      plans: [{ plan_id: w.planB, hourly_price_minor: 1000, monthly_cap_minor: 500_000 }],
    });
    expect(usd.status, JSON.stringify(usd.body)).toBe(201);
    expect((await reseller.api.get("/partner-prices")).body.items[0]).toMatchObject({
      currency: "USD",
      cost_hourly_minor: 1500,
      retail_hourly_minor: null,
    });
    expect(await plansSeenBy(customer)).toEqual([]);
    const again = await reseller.api.put("/partner-prices", {
      prices: [
        { offer_id: w.offerOnA, plan_id: w.planB, hourly_price_minor: 1600, monthly_cap_minor: 600_000 },
      ],
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await plansSeenBy(customer)).toEqual([[w.siteB, [[w.planB, 1600, 600_000, "USD"]]]]);
  });
});
