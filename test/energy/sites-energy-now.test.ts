import { HOUR_MS, compileTariff, ontarioTouTariff, parseIesoPriceCsv } from "@layerboom/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { createTenant } from "../support/tenants.js";
import type { Tenant } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

interface EnergyNow {
  site_id: string;
  currency: string;
  pue: number;
  price_now_per_mwh_minor: number | null;
  price_avg_per_mwh_minor: number | null;
  carbon_g_per_kwh_now: number | null;
  carbon_avg_g_per_kwh: number | null;
}

/** A distinct price for each UTC hour, in $/MWh with cents (so minor units per MWh are integers). */
function priceOf(startMs: number): string {
  return (((startMs / HOUR_MS) % 97) + 10.25).toFixed(2);
}

/** An IESO-style CSV written in UTC: one row per hour starting at each of `starts`. */
function csvOf(starts: number[]): string {
  const rows = starts.map((ms) => {
    const d = new Date(ms);
    return `${d.toISOString().slice(0, 10)},${d.getUTCHours() + 1},${priceOf(ms)}`;
  });
  return ["Date,Hour,HOEP", ...rows].join("\n") + "\n";
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

describeOnEachDatabase("GET /sites/energy-now on %s", (kind) => {
  let c: TestController;
  let provider: ApiClient;
  let customer: Tenant;
  let touSite: string;
  let hourlySite: string;
  let bareSite: string;
  let csv: string;
  let carbonPoints: { startMs: number; gPerKwh: number }[];
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    c = await startTestController(kind);
    provider = apiClient(c.url, c.adminToken);
    const site = async (name: string) => {
      const made = await provider.post("/sites", {
        name: `${name}-${kind}`,
        country_code: "CA",
        time_zone: "America/Toronto",
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.id as string;
    };
    touSite = await site("tou");
    hourlySite = await site("market");
    bareSite = await site("bare");

    const tou = await provider.patch(`/sites/${touSite}/energy-settings`, {
      pue: "1.25",
      tariff: { kind: "ontario-tou", from_year: year - 1, to_year: year + 1 },
      carbon: { kind: "annual", g_per_kwh: 30 },
    });
    expect(tou.status, JSON.stringify(tou.body)).toBe(200);

    // Whole UTC days of prices from ten days ago to two days ahead: only the past week counts
    // for the average.
    const thisHour = floorHour(Date.now());
    const firstDay = Math.floor(thisHour / (24 * HOUR_MS)) * 24 * HOUR_MS - 10 * 24 * HOUR_MS;
    const starts: number[] = [];
    for (let ms = firstDay; ms < firstDay + 13 * 24 * HOUR_MS; ms += HOUR_MS) starts.push(ms);
    csv = csvOf(starts);
    const prices = await provider.putText(`/sites/${hourlySite}/energy-prices?zone=UTC`, csv, "text/csv");
    expect(prices.status, JSON.stringify(prices.body)).toBe(200);
    const market = await provider.patch(`/sites/${hourlySite}/energy-settings`, {
      tariff: { kind: "hourly", currency: "CAD" },
      carbon: { kind: "hourly" },
    });
    expect(market.status, JSON.stringify(market.body)).toBe(200);
    // Carbon for the previous two hours and the next six (those are not in the past week).
    carbonPoints = [-2, -1, 0, 1, 2, 3, 4, 5].map((h) => ({
      startMs: thisHour + h * HOUR_MS,
      gPerKwh: 100 + 10 * (h + 2),
    }));
    const carbon = await provider.put(`/sites/${hourlySite}/carbon-intensity`, {
      points: carbonPoints.map((p) => ({
        starts_at: new Date(p.startMs).toISOString(),
        g_per_kwh: p.gPerKwh,
      })),
    });
    expect(carbon.status, JSON.stringify(carbon.body)).toBe(200);

    customer = await createTenant(c, provider, "customer");
  });
  afterAll(async () => c?.close());

  /** Reads the endpoint within one clock hour, so the expected figures are those of `now`. */
  async function read(api: ApiClient) {
    for (;;) {
      const before = Date.now();
      const res = await api.get("/sites/energy-now");
      const after = Date.now();
      if (floorHour(before) !== floorHour(after)) continue;
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const items = res.body.items as EnergyNow[];
      const of = (id: string) => {
        const item = items.find((i) => i.site_id === id);
        expect(item, `site ${id} is listed`).toBeDefined();
        return item!;
      };
      return { now: before, items, of };
    }
  }

  it("answers a customer, not captured by /sites/{id}, with every site listed", async () => {
    const { items } = await read(customer.api);
    const sites = await customer.api.get("/sites?limit=100");
    expect(sites.status).toBe(200);
    expect(items.map((i) => i.site_id).sort()).toEqual(
      (sites.body.items as { id: string }[]).map((s) => s.id).sort(),
    );
    // The id route still answers for a real site.
    const one = await customer.api.get(`/sites/${touSite}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(touSite);
  });

  it("gives a TOU site the price of the current period and the average over the coming week", async () => {
    const { now, of } = await read(customer.api);
    const tariff = compileTariff(ontarioTouTariff({ fromYear: year - 1, toYear: year + 1 }), {
      zone: "America/Toronto",
    });
    let sum = 0;
    for (let k = 0; k < 168; k++) sum += tariff.pricePerMwhMinorAt(now + k * HOUR_MS);
    expect(of(touSite)).toEqual({
      site_id: touSite,
      currency: "CAD",
      pue: 1.25,
      price_now_per_mwh_minor: tariff.pricePerMwhMinorAt(now),
      price_avg_per_mwh_minor: Math.round(sum / 168),
      carbon_g_per_kwh_now: 30,
      carbon_avg_g_per_kwh: 30,
    });
  });

  it("gives an hourly site the current hour's price, and the average of the past week's hours", async () => {
    const { now, of } = await read(customer.api);
    const points = parseIesoPriceCsv(csv, { zone: "UTC" }).points;
    const current = points.find((p) => p.startMs <= now && now < p.startMs + HOUR_MS)!;
    // The hours that started in the last 7 days, up to and including the current one.
    const week = points.filter((p) => p.startMs > now - 168 * HOUR_MS && p.startMs <= now);
    expect(week).toHaveLength(168);
    const site = of(hourlySite);
    expect(site).toMatchObject({
      currency: "CAD",
      pue: 1,
      price_now_per_mwh_minor: current.pricePerMwhMinor,
      price_avg_per_mwh_minor: Math.round(week.reduce((a, p) => a + p.pricePerMwhMinor, 0) / week.length),
    });
    // Carbon: the current hour's point, and the mean of the points not in the future.
    const past = carbonPoints.filter((p) => p.startMs <= now);
    expect(site.carbon_g_per_kwh_now).toBe(past[past.length - 1]!.gPerKwh);
    expect(site.carbon_avg_g_per_kwh).toBe(past.reduce((a, p) => a + p.gPerKwh, 0) / past.length);
  });

  it("gives nulls for a site without a tariff or carbon settings, never a made-up number", async () => {
    const { of } = await read(provider);
    expect(of(bareSite)).toEqual({
      site_id: bareSite,
      currency: "CAD",
      pue: 1,
      price_now_per_mwh_minor: null,
      price_avg_per_mwh_minor: null,
      carbon_g_per_kwh_now: null,
      carbon_avg_g_per_kwh: null,
    });
  });

  it("refuses a caller who is not logged in", async () => {
    const res = await apiClient(c.url).get("/sites/energy-now");
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBeDefined();
  });
});
