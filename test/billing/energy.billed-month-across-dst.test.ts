import { compileTariff, ontarioTouTariff, parseIesoPriceCsv, priceBucket, toMoney } from "@layerboom/core";
import type { CompiledTariff } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestController } from "../support/controller.js";
import type { TestController } from "../support/controller.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { addIdleHost } from "../support/hosts.js";
import { buildWorld, createTenant } from "../support/tenants.js";
import type { Tenant, World } from "../support/tenants.js";

// Energy charged on the invoice (energy_mode = billed), end to end: stored buckets of a
// November in Toronto (DST ends on 1 November 2026 at 02:00 EDT, so the month has 721 hours
// and 01:00 happens twice) at two sites, one on Ontario's TOU schedule and one on an hourly
// price file with negative hours. The energy line must equal the buckets × prices, rounded once.

const HOUR = 3_600_000;
const ZONE = "America/Toronto";
/** One hour at 50 W, in µJ. */
const FIFTY_WATT_HOUR = 50 * 3_600 * 1_000_000;

/**
 * An IESO-style file (EST all year, so Etc/GMT+5) from 31 October to 1 December 2026: every
 * hour priced, some of them negative (the wind at night). Prices in $/MWh.
 */
function priceFile(): { csv: string; negativeStartsMs: number[] } {
  const rows = ["Date,Hour Ending,Price"];
  const negativeStartsMs: number[] = [];
  const first = Date.UTC(2026, 9, 31);
  for (let day = 0; day < 32; day++) {
    const date = new Date(first + day * 24 * HOUR).toISOString().slice(0, 10);
    for (let he = 1; he <= 24; he++) {
      // Hours ending 2–4 of every fifth day, and all night on 15 November, are paid to use.
      const negative = (day % 5 === 1 && he >= 2 && he <= 4) || (date === "2026-11-15" && he <= 6);
      const price = negative ? -(12.5 + he) : 20 + ((day * 7 + he * 3) % 60) + 0.37;
      rows.push(`${date},${he},${price.toFixed(2)}`);
      // HE h on a date starts h − 1 hours after that date's midnight EST (05:00Z).
      if (negative) negativeStartsMs.push(Date.parse(`${date}T05:00:00Z`) + (he - 1) * HOUR);
    }
  }
  return { csv: rows.join("\n") + "\n", negativeStartsMs };
}

interface Bucket {
  startMs: number;
  seconds: 300 | 3600;
  energyUj: number;
}

/** The buckets of one server: hourly (rolled up) and 5-minute ones, both edges of the month and the repeated hour. */
function bucketsOf(seed: number, extraStartsMs: readonly number[]): Bucket[] {
  const out: Bucket[] = [];
  // Every third hour from 30 October to 2 December, hourly rows (older than a week, rolled up).
  for (let t = Date.UTC(2026, 9, 30); t < Date.UTC(2026, 11, 2); t += 3 * HOUR)
    out.push({ startMs: t, seconds: 3600, energyUj: FIFTY_WATT_HOUR + (((t / HOUR) * seed) % 997_000_003) });
  for (const t of extraStartsMs)
    if (!out.some((b) => b.startMs === t))
      out.push({ startMs: t, seconds: 3600, energyUj: 2 * FIFTY_WATT_HOUR + seed });
  // Fresh 5-minute buckets on the last day of the month.
  for (let t = Date.UTC(2026, 10, 30, 14); t < Date.UTC(2026, 10, 30, 15); t += 5 * 60_000)
    out.push({ startMs: t, seconds: 300, energyUj: FIFTY_WATT_HOUR / 12 + seed });
  return out;
}

/** November 2026 in Toronto: 04:00Z on the 1st (EDT) to 05:00Z on 1 December (EST). */
const MONTH_START = Date.parse("2026-11-01T04:00:00Z");
const MONTH_END = Date.parse("2026-12-01T05:00:00Z");
/** The edges and the repeated 01:00 of 1 November (05:00Z EDT, 06:00Z EST). */
const EDGES = [
  Date.parse("2026-11-01T03:00:00Z"), // 23:00 EDT on 31 October: not November
  MONTH_START,
  Date.parse("2026-11-01T05:00:00Z"),
  Date.parse("2026-11-01T06:00:00Z"),
  Date.parse("2026-11-01T07:00:00Z"),
  Date.parse("2026-12-01T04:00:00Z"), // 23:00 EST on 30 November: the month's last hour
  MONTH_END, // midnight on 1 December: not November
];

/** What the month's buckets cost at one site: micro-cents summed, then rounded half-even once. */
function costOf(buckets: readonly Bucket[], tariff: CompiledTariff): { minor: number; microMinor: bigint } {
  const microMinor = buckets
    .filter((b) => b.startMs >= MONTH_START && b.startMs < MONTH_END)
    .reduce(
      (a, b) =>
        a +
        BigInt(
          priceBucket(
            { start: new Date(b.startMs), durationMs: b.seconds * 1000, energyUj: b.energyUj },
            tariff,
          ).microMinor,
        ),
      0n,
    );
  return { minor: toMoney("CAD", microMinor).amountMinor, microMinor };
}

describeOnEachDatabase("billed energy over a November in Toronto on %s", (kind) => {
  let c: TestController;
  let world: World;
  let customer: Tenant;
  let touServer: string;
  let hourlyServer: string;
  let hourlySite: string;
  const prices = priceFile();
  const touBuckets = bucketsOf(7, EDGES);
  const hourlyBuckets = bucketsOf(13, [...EDGES, ...prices.negativeStartsMs]);

  async function store(serverId: string, hostId: string, buckets: readonly Bucket[]): Promise<void> {
    await c.database.db
      .insertInto("server_energy")
      .values(
        buckets.map((b) => ({
          server_id: serverId,
          bucket_start: new Date(b.startMs),
          bucket_seconds: b.seconds,
          host_id: hostId,
          energy_uj: b.energyUj,
          active_energy_uj: Math.floor(b.energyUj / 3),
          cpu_time_us: 1_000_000,
          estimated: false,
          last_power_mw: 50_000,
          last_sample_at: new Date(b.startMs + b.seconds * 1000),
        })),
      )
      .execute();
  }

  beforeAll(async () => {
    c = await startTestController(kind);
    world = await buildWorld(c);
    const provider = world.provider;
    expect((await provider.put("/billing/settings", { energy_mode: "billed" })).status).toBe(200);
    const plan = await provider.post("/plans", {
      name: "metered",
      vcpus: 1,
      memory_mib: 256,
      disk_gib: 1,
      transfer_gib: 100,
      hourly_price_minor: 1,
      monthly_cap_minor: 500,
      currency: "CAD",
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(201);

    const tou = await provider.patch(`/sites/${world.siteId}/energy-settings`, {
      pue: "1",
      tariff: { kind: "ontario-tou", from_year: 2026, to_year: 2027 },
    });
    expect(tou.status, JSON.stringify(tou.body)).toBe(200);
    const site = await provider.post("/sites", {
      name: "wind-farm",
      country_code: "CA",
      region_code: "ON",
      time_zone: ZONE,
    });
    expect(site.status, JSON.stringify(site.body)).toBe(201);
    hourlySite = site.body.id;
    const hourlyHost = await addIdleHost(c, hourlySite);
    const hourly = await provider.patch(`/sites/${hourlySite}/energy-settings`, {
      pue: "1",
      tariff: { kind: "hourly", currency: "CAD" },
    });
    expect(hourly.status, JSON.stringify(hourly.body)).toBe(200);
    const imported = await provider.putText(
      `/sites/${hourlySite}/energy-prices?zone=Etc/GMT%2B5`,
      prices.csv,
      "text/csv",
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    customer = await createTenant(c, provider, "customer");
    const create = async (name: string, siteId: string) => {
      const res = await customer.api.post("/servers", {
        name,
        site_id: siteId,
        plan_id: plan.body.id,
        image_id: world.imageId,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    touServer = await create("tou", world.siteId);
    hourlyServer = await create("hourly", hourlySite);
    await c.database.db
      .updateTable("usage_intervals")
      .set({ started_at: new Date("2026-10-01T00:00:00Z") })
      .where("server_id", "in", [touServer, hourlyServer])
      .execute();
    await store(touServer, world.hostId, touBuckets);
    await store(hourlyServer, hourlyHost, hourlyBuckets);
  }, 300_000);

  afterAll(async () => c?.close());

  it("charges the energy line as the month's buckets × prices, to the cent, and a negative hour lowers it", async () => {
    const touTariff = compileTariff(ontarioTouTariff({ fromYear: 2026, toYear: 2027 }), { zone: ZONE });
    const hourlyTariff = compileTariff(parseIesoPriceCsv(prices.csv, { zone: "Etc/GMT+5" }), { zone: ZONE });
    const tou = costOf(touBuckets, touTariff);
    const hourly = costOf(hourlyBuckets, hourlyTariff);
    // Each site's cost is rounded once, then the sites are added.
    const expected = tou.minor + hourly.minor;

    // The negative hours really are in the month, and without them the line would cost more.
    const negatives = hourlyBuckets.filter(
      (b) => prices.negativeStartsMs.includes(b.startMs) && b.startMs >= MONTH_START && b.startMs < MONTH_END,
    );
    expect(negatives.length).toBeGreaterThan(10);
    const withoutNegative = costOf(
      hourlyBuckets.filter((b) => !negatives.includes(b)),
      hourlyTariff,
    );
    for (const b of negatives)
      expect(
        priceBucket({ start: new Date(b.startMs), durationMs: 3_600_000, energyUj: b.energyUj }, hourlyTariff)
          .microMinor,
      ).toBeLessThan(0);
    expect(hourly.minor).toBeLessThan(withoutNegative.minor);

    const closed = await world.provider.post("/billing/close", { period: "2026-11" });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const issued = closed.body.issued.find((i: any) => i.account_id === customer.accountId);
    expect(issued, JSON.stringify(closed.body)).toBeDefined();
    const invoice = (await customer.api.get(`/invoices/${issued.id}`)).body;
    const line = invoice.lines.find((l: any) => l.kind === "energy");
    const inMonth = [...touBuckets, ...hourlyBuckets].filter(
      (b) => b.startMs >= MONTH_START && b.startMs < MONTH_END,
    );
    const kwh = inMonth.reduce((a, b) => a + b.energyUj, 0) / 3.6e12;
    expect(line).toMatchObject({
      amount_minor: expected,
      quantity: `${kwh.toFixed(3)} kWh`,
      details: expect.objectContaining({ billed: true, cost_minor: expected, currency: "CAD" }),
    });
    expect(line.description).not.toContain("not charged");
    expect(expected).toBeGreaterThan(0);
    // Charged: the subtotal is every line before tax, the energy line among them.
    const beforeTax = invoice.lines
      .filter((l: any) => l.kind !== "tax")
      .reduce((a: number, l: any) => a + l.amount_minor, 0);
    expect(invoice.subtotal_minor).toBe(beforeTax);

    // The month's edges follow Toronto's clock: 23:00 EDT on 31 October and midnight on
    // 1 December are out; both 01:00s of 1 November and 23:00 EST on 30 November are in.
    const edgeEnergy = (b: Bucket) => EDGES.slice(1, -1).includes(b.startMs);
    expect(inMonth.filter(edgeEnergy)).toHaveLength(10);
    expect(inMonth.some((b) => b.startMs === EDGES[0] || b.startMs === MONTH_END)).toBe(false);

    // The priced report of the same server and month says the same money, before rounding too.
    const report = await customer.api.get(
      `/servers/${hourlyServer}/energy?from=${new Date(MONTH_START).toISOString()}&to=${new Date(MONTH_END).toISOString()}`,
    );
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body.cost).toMatchObject({ currency: "CAD", micro_minor: String(hourly.microMinor) });
  }, 120_000);
});
