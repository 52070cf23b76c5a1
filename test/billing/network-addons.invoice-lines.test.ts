import { billingMonth, newId, periodAt } from "@layerboom/core";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

// Extra IPv4 addresses and transfer beyond the allowance as invoice lines (docs/networking.md,
// "What it costs"). The facts the allocation and the agents will write (a pool, addresses,
// add-on intervals of kind ipv4, hourly transfer) are inserted here directly; the amounts are
// worked out by hand in the comments.

const GIB = 2 ** 30;
const HOUR = 3_600_000;
const ZONE = "America/Toronto";

/** Bytes of a response (PDF, HTML, CSV) fetched with the tenant's token. */
async function fetchBytes(c: TestController, token: string, path: string): Promise<Buffer> {
  const res = await fetch(`${c.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describeOnEachDatabase("network add-ons on invoices on %s", (kind) => {
  let c: TestController;
  let world: World;
  let planId: string;
  /** A direct customer of the provider (Ontario, HST), with a 50 % code on its servers. */
  let direct: Tenant;
  /** A customer of reseller 1. */
  let resold: Tenant;
  let web: string;
  let fresh: string;
  let quiet: string;
  let resoldServer: string;

  async function newServer(tenant: Tenant, name: string): Promise<string> {
    const res = await tenant.api.post("/servers", {
      name,
      site_id: world.siteId,
      plan_id: planId,
      image_id: world.imageId,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  /** The server "was created" at `iso`: its open usage interval starts then. */
  async function createdAt(serverId: string, iso: string): Promise<void> {
    await c.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date(iso) })
      .where("server_id", "=", serverId)
      .execute();
  }

  /** An extra address held by a server from `from` to `to` (null: still held), as allocation writes it. */
  async function holds(tenant: Tenant, serverId: string, address: string, from: string, to: string | null) {
    const db = c.database.db;
    await db
      .insertInto("ip_addresses")
      .values({
        pool_id: "pool_net",
        address,
        server_id: serverId,
        account_id: tenant.accountId,
        role: "extra",
        allocated_at: new Date(from),
        released_at: to === null ? null : new Date(to),
      })
      .execute();
    await db
      .insertInto("addon_intervals")
      .values({
        id: newId("addonInterval"),
        server_id: serverId,
        account_id: tenant.accountId,
        plan_id: planId,
        kind: "ipv4",
        ref: address,
        started_at: new Date(from),
        ended_at: to === null ? null : new Date(to),
      })
      .execute();
  }

  /** One hour of a server's transfer, as the energy ingest writes it. */
  async function sent(serverId: string, hour: string, outBytes: number, inBytes = 0) {
    await c.database.db
      .insertInto("server_transfer")
      .values({
        server_id: serverId,
        hour_start: new Date(hour),
        host_id: world.hostId,
        out_bytes: outBytes,
        in_bytes: inBytes,
      })
      .execute();
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    // 7 minor units an hour, capped at 3000 a month, 100 GiB of transfer a month.
    const plan = await world.provider.post("/plans", {
      name: "netted",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 1,
      transfer_gib: 100,
      hourly_price_minor: 7,
      monthly_cap_minor: 3000,
      currency: "CAD",
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);
    planId = plan.body.id;
    // An extra address 300 (3.00 CAD) a month, transfer beyond the allowance 2 (0.02 CAD) a GiB.
    await c.database.db
      .updateTable("plans")
      .set({ extra_ipv4_monthly_minor: 300, transfer_overage_minor_per_gib: 2 })
      .where("id", "=", planId)
      .execute();

    direct = await createTenant(c, world.provider, "customer");
    expect((await direct.api.put("/billing/profile", { tax_region: "CA-ON" })).status).toBe(200);
    web = await newServer(direct, "web");
    fresh = await newServer(direct, "fresh");
    quiet = await newServer(direct, "quiet");
    resold = await createTenant(c, world.reseller1.api, "customer");
    resoldServer = await newServer(resold, "resold");
    // The reseller's retail price for the plan: its customer's server time costs 9 an hour
    // (cap 4000); the add-ons stay at the provider's plan prices.
    const prices = await world.reseller1.api.put("/prices", {
      prices: [{ plan_id: planId, hourly_price_minor: 9, monthly_cap_minor: 4000 }],
    });
    expect(prices.status, JSON.stringify(prices.body)).toBe(200);

    // A 50 % code on all of the direct customer's servers, for March.
    const code = await world.provider.post("/codes", {
      code: "NET50",
      kind: "percent",
      value: 5000,
      scope: "all-servers",
      duration_months: 1,
    });
    expect(code.status, JSON.stringify(code.body)).toBe(201);
    expect((await direct.api.post("/codes/redeem", { code: "NET50" })).status).toBe(201);
    await c.database.db
      .updateTable("code_redemptions")
      .set({ redeemed_at: new Date("2026-03-02T12:00:00Z") })
      .where("account_id", "=", direct.accountId)
      .execute();

    // The servers exist before the site gets its pool: placement in a pooled site wants a host
    // offering the pool's bridge, and the world's idle host offers none.
    await c.database.db
      .insertInto("ip_pools")
      .values({
        id: "pool_net",
        site_id: world.siteId,
        cidr: "203.0.113.0/24",
        gateway: "203.0.113.1",
        first_address: "203.0.113.10",
        last_address: "203.0.113.200",
        bridge: "br-public",
        nameservers: JSON.stringify(["192.0.2.53"]),
      })
      .execute();

    // March 2026 in Toronto: 743 hours (DST starts on the 8th), 05:00Z on the 1st to 04:00Z on 1 April.
    for (const id of [web, quiet, resoldServer]) await createdAt(id, "2026-02-20T00:00:00Z");
    // Midnight EDT on 15 March: 408 of March's 743 hours.
    await createdAt(fresh, "2026-03-15T04:00:00Z");
    // Primary addresses are part of the plan: rows without add-on intervals.
    for (const [i, [tenant, id]] of (
      [
        [direct, web],
        [direct, fresh],
        [direct, quiet],
        [resold, resoldServer],
      ] as const
    ).entries()) {
      await c.database.db
        .insertInto("ip_addresses")
        .values({
          pool_id: "pool_net",
          address: `203.0.113.${100 + i}`,
          server_id: id,
          account_id: tenant.accountId,
          role: "primary",
          allocated_at: new Date("2026-02-20T00:00:00Z"),
        })
        .execute();
    }
    await holds(direct, web, "203.0.113.11", "2026-02-25T00:00:00Z", null);
    await holds(direct, web, "203.0.113.12", "2026-03-10T12:00:00Z", "2026-03-12T02:30:00Z");
    // Held and given back in February: nothing in March.
    await holds(direct, quiet, "203.0.113.13", "2026-02-21T00:00:00Z", "2026-02-28T00:00:00Z");
    await holds(resold, resoldServer, "203.0.113.20", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z");

    // web: the first local hour of March and the last one count; 23:00 on 28 February and
    // midnight on 1 April (local) do not.
    await sent(web, "2026-03-01T04:00:00Z", 1000 * GIB);
    await sent(web, "2026-03-01T05:00:00Z", 100 * GIB, 10 * GIB);
    await sent(web, "2026-04-01T03:00:00Z", 50.25 * GIB, 2 * GIB);
    await sent(web, "2026-04-01T04:00:00Z", 1000 * GIB);
    await sent(fresh, "2026-03-20T00:00:00Z", 100 * GIB);
    await sent(quiet, "2026-03-20T00:00:00Z", 10 * GIB, 500 * GIB);
    await sent(resoldServer, "2026-03-20T00:00:00Z", 110.25 * GIB);
  }, 300_000);

  afterAll(async () => c?.close());

  it("shows the add-ons in the usage of the month before it is closed", async () => {
    const usage = await direct.api.get("/billing/usage?period=2026-03");
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    expect(usage.body.ipv4).toEqual([
      expect.objectContaining({ serverId: web, address: "203.0.113.11", billedHours: 743, amountMinor: 300 }),
      expect.objectContaining({ serverId: web, address: "203.0.113.12", billedHours: 39, amountMinor: 16 }),
    ]);
    // Every server's transfer is shown, inbound too; only what is over the allowance costs.
    expect(usage.body.transfer).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ serverId: quiet, outBytes: 10 * GIB, inBytes: 500 * GIB, amountMinor: 0 }),
        expect.objectContaining({
          serverId: web,
          outBytes: 150.25 * GIB,
          inBytes: 12 * GIB,
          amountMinor: 101,
        }),
      ]),
    );
    expect(usage.body.transfer).toHaveLength(3);
  });

  it("closes March with exact ipv4 and transfer lines, untouched by codes, taxed like server time", async () => {
    const closed = await world.provider.post("/billing/close", { period: "2026-03" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const issued = closed.body.issued.find((i: any) => i.account_id === direct.accountId);
    const invoice = (await direct.api.get(`/invoices/${issued.id}`)).body;
    const lines = invoice.lines.map((l: any) => [l.kind, l.server_id, l.quantity, l.amount_minor]);
    expect(lines).toEqual([
      // 743 h × 7 = 5201, capped at 3000; 408 h × 7 = 2856.
      ["usage", web, "743 h", 3000],
      ["usage", fresh, "408 h", 2856],
      ["usage", quiet, "743 h", 3000],
      // All March: 300 × 743 / 743 = 300. 38.5 h → 39 h: 300 × 39 / 743 = 15.75 → 16.
      ["ipv4", web, "743 h", 300],
      ["ipv4", web, "39 h", 16],
      // web: 100 + 50.25 GiB sent in March, 100 included: 50.25 × 2 = 100.5 → 101.
      ["transfer", web, "50.3 GiB", 101],
      // fresh: 100 GiB × 408 / 743 = 58961865974.70 → 58961865975 bytes included; 100 GiB sent;
      // 48412316425 bytes over × 2 / 2³⁰ = 90.17 → 90. quiet stayed within its allowance.
      ["transfer", fresh, "45.1 GiB", 90],
      // The code takes half of each server's time, not of the add-ons.
      ["discount", web, "", -1500],
      ["discount", fresh, "", -1428],
      ["discount", quiet, "", -1500],
      ["energy", null, "0.000 kWh", 0],
      // (8856 − 4428 + 316 + 191) = 4935 × 13 % = 641.55 → 642.
      ["tax", null, "", 642],
    ]);
    expect(invoice.subtotal_minor).toBe(4935);
    expect(invoice.total_minor).toBe(4935 + 642);
    const described = invoice.lines.map((l: any) => l.description);
    expect(described).toContain(`Extra IPv4 203.0.113.11 on server ${web}: 743 h`);
    expect(described).toContain(`Extra IPv4 203.0.113.12 on server ${web}: 39 h`);
    const transferLine = `Transfer of server ${web}: 150.3 GiB sent, 100.0 GiB included, 50.3 GiB over at 0.02 CAD/GiB`;
    expect(described).toContain(transferLine);
    expect(described).toContain(
      `Transfer of server ${fresh}: 100.0 GiB sent, 54.9 GiB included, 45.1 GiB over at 0.02 CAD/GiB`,
    );
    const fromDetails = invoice.lines.find(
      (l: any) => l.kind === "transfer" && l.server_id === fresh,
    ).details;
    expect(fromDetails).toMatchObject({
      out_bytes: 100 * GIB,
      allowance_bytes: 58_961_865_975,
      overage_bytes: 48_412_316_425,
      price_minor_per_gib: 2,
    });

    const pdf = await fetchBytes(c, direct.token, `/invoices/${issued.id}/pdf`);
    const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text.replace(/\s+/g, " ");
    expect(text).toContain(transferLine);
    expect(text).toContain("Extra IPv4 203.0.113.12");
    const html = (await fetchBytes(c, direct.token, `/invoices/${issued.id}/html`)).toString();
    expect(html).toContain(`<tr class="transfer"><td>${transferLine}</td>`);
    const csv = (await fetchBytes(c, direct.token, `/invoices/${issued.id}/csv`)).toString().split("\n");
    expect(csv.filter((row) => row.includes(",ipv4,"))).toHaveLength(2);
    expect(csv.find((row) => row.includes(",transfer,") && row.includes(web))).toContain(",101,CAD,");

    // Closing March again bills nothing twice.
    const again = await world.provider.post("/billing/close", { period: "2026-03" });
    expect(again.status).toBe(200);
    expect(again.body.issued).toEqual([]);
    const addonLines = await c.database.db
      .selectFrom("invoice_lines")
      .innerJoin("invoices", "invoices.id", "invoice_lines.invoice_id")
      .select(["invoice_lines.kind", "invoice_lines.amount_minor"])
      .where("invoices.account_id", "=", direct.accountId)
      .where("invoices.period", "=", "2026-03")
      .where("invoice_lines.kind", "in", ["ipv4", "transfer"])
      .execute();
    expect(addonLines.map((l) => Number(l.amount_minor)).sort((a, b) => a - b)).toEqual([16, 90, 101, 300]);

    // Revenue by plan counts what the servers earned with their add-ons (before discounts and tax).
    const revenue = await world.provider.get("/billing/revenue?period=2026-03");
    expect(revenue.status, JSON.stringify(revenue.body)).toBe(200);
    const netted = revenue.body.by_plan.find((r: any) => r.name === "netted");
    // The direct customer's 8856 + 300 + 16 + 101 + 90, and the reseller's wholesale invoice on
    // the same plan: usage 3000, ipv4 10, transfer 21 (checked line by line in the next test).
    expect(netted.invoiced_minor).toBe(8856 + 300 + 16 + 101 + 90 + 3000 + 10 + 21);
  });

  it("bills a reseller's customer the add-ons at the provider's prices, and the reseller the same wholesale", async () => {
    // The provider's close of March (previous test, or now) issued the wholesale invoice.
    expect((await world.provider.post("/billing/close", { period: "2026-03" })).status).toBe(200);
    const wholesaleRow = (await world.reseller1.api.get("/invoices?period=2026-03")).body.items.find(
      (i: any) => i.account_id === world.reseller1.accountId,
    );
    expect(wholesaleRow, "the provider's invoice to reseller 1").toBeDefined();
    const wholesale = (await world.reseller1.api.get(`/invoices/${wholesaleRow.id}`)).body;
    const mine = (l: any) => l.plan_id === planId;
    expect(
      wholesale.lines.filter(mine).map((l: any) => [l.kind, l.description, l.quantity, l.amount_minor]),
    ).toEqual([
      // 743 h × 7 (the provider's price) = 5201, capped at 3000.
      ["usage", expect.stringMatching(/^Plan netted at .*: 1 server$/), "743 h", 3000],
      // 24 h: 300 × 24 / 743 = 9.69 → 10.
      ["ipv4", "Extra IPv4 on plan netted: 1 address", "24 h", 10],
      // 110.25 GiB sent, 100 included: 10.25 × 2 = 20.5 → 21.
      [
        "transfer",
        "Transfer beyond the allowance on plan netted: 1 server, 10.3 GiB over at 0.02 CAD/GiB",
        "10.3 GiB",
        21,
      ],
    ]);

    // The reseller closes March for its customer: server time at its retail price, the
    // add-ons at the provider's.
    const closed = await world.reseller1.api.post("/billing/close", { period: "2026-03" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const issued = closed.body.issued.find((i: any) => i.account_id === resold.accountId);
    const invoice = (await resold.api.get(`/invoices/${issued.id}`)).body;
    expect(
      invoice.lines
        .filter((l: any) => l.kind !== "energy")
        .map((l: any) => [l.kind, l.server_id, l.quantity, l.amount_minor]),
    ).toEqual([
      // 743 h × 9 = 6687, capped at the reseller's 4000.
      ["usage", resoldServer, "743 h", 4000],
      ["ipv4", resoldServer, "24 h", 10],
      ["transfer", resoldServer, "10.3 GiB", 21],
    ]);
    expect(invoice.total_minor).toBe(4000 + 10 + 21);
  });

  it("counts the month in progress up to now: the address so far, and the allowance's share so far", async () => {
    const before = Date.now();
    const period = periodAt(before, ZONE);
    const month = billingMonth(period, ZONE);
    await sent(web, new Date(month.startMs).toISOString(), 100 * GIB);
    const usage = await direct.api.get(`/billing/usage?period=${period}`);
    const after = Date.now();
    expect(usage.status, JSON.stringify(usage.body)).toBe(200);
    const monthMs = month.endMs - month.startMs;
    // 203.0.113.11 is still held: every started hour of the month so far.
    const [held] = usage.body.ipv4;
    expect(held).toMatchObject({ serverId: web, address: "203.0.113.11" });
    expect(held.billedHours).toBeGreaterThanOrEqual(Math.ceil((before - month.startMs) / HOUR));
    expect(held.billedHours).toBeLessThanOrEqual(Math.ceil((after - month.startMs) / HOUR));
    expect(held.billedHours).toBeLessThan(monthMs / HOUR + 1);
    expect(held.amountMinor).toBe(Math.floor((600 * held.billedHours * HOUR + monthMs) / (2 * monthMs)));
    // web has run all month so far: its allowance is 100 GiB × the share of the month gone by.
    const transfer = usage.body.transfer.find((t: any) => t.serverId === web);
    const share = (at: number) => Math.ceil((100 * GIB * (at - month.startMs)) / monthMs);
    expect(transfer.allowanceBytes).toBeGreaterThanOrEqual(share(before) - 1);
    expect(transfer.allowanceBytes).toBeLessThanOrEqual(share(after) + 1);
    expect(transfer.overageBytes).toBe(100 * GIB - transfer.allowanceBytes);
  });
});
