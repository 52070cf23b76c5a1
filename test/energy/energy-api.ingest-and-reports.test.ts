import type { EnergySample } from "@layerboom/core";
import {
  compileCarbon,
  compileTariff,
  carbonOfBucket,
  parseIesoPriceCsv,
  priceBucket,
  vmIdForServer,
} from "@layerboom/core";
import { ingestEnergySamples, rollupEnergy } from "@layerboom/controller";
import { afterAll, beforeAll, expect, it } from "vitest";
import { apiClient, startTestController } from "../support/controller.js";
import type { ApiClient, TestController } from "../support/controller.js";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addIdleHost, runCli } from "../support/hosts.js";
import { buildWorld } from "../support/tenants.js";
import type { World } from "../support/tenants.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** Two days of IESO-style prices, written in Eastern Standard Time all year (Etc/GMT+5); one hour is negative. */
function iesoCsv(
  days: string[],
  skip?: { date: string; hour: number },
  repeat?: { date: string; hour: number },
) {
  const lines = ["\\\\Hourly Ontario Energy Price (HOEP) report", "Date,Hour,HOEP"];
  for (const date of days) {
    for (let hour = 1; hour <= 24; hour++) {
      if (skip && skip.date === date && skip.hour === hour) continue;
      const price = hour === 3 ? "-4.25" : (20 + hour * 1.5).toFixed(2);
      lines.push(`${date},${hour},${price}`);
      if (repeat && repeat.date === date && repeat.hour === hour) lines.push(`${date},${hour},${price}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const DAYS = ["2026-11-02", "2026-11-03"];
/** 15:00 UTC on 2026-11-02 is 10:00 EST: inside the file. */
const T0 = Date.UTC(2026, 10, 2, 15, 0, 0);

function sample(
  seq: number,
  startMs: number,
  vms: EnergySample["vms"],
  hostUj = 6_000_000_000,
): EnergySample {
  return {
    seq,
    start_ms: startMs,
    end_ms: startMs + 60_000,
    source: "model",
    estimated: true,
    host_energy_uj: hostUj,
    idle_energy_uj: 2_700_000_000,
    host_cpus: 4,
    vms,
  };
}

describeOnEachDatabase("energy through the API on %s", (kind) => {
  let c: TestController;
  let world: World;
  let admin: ApiClient;

  beforeAll(async () => {
    c = await startTestController(kind);
    admin = apiClient(c.url, c.adminToken);
    world = await buildWorld(c);
  });
  afterAll(async () => c?.close());

  it("refuses bad site settings and bad price files with the field or line named, importing nothing", async () => {
    const settings = `/sites/${world.siteId}/energy-settings`;
    const belowOne = await admin.patch(settings, { pue: "0.95" });
    expect(belowOne.status).toBe(400);
    expect(belowOne.body.error.details.field).toBe("pue");
    const negative = await admin.patch(settings, { pue: -1.2 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toMatch(/PUE/);

    const prices = `/sites/${world.siteId}/energy-prices?zone=Etc/GMT%2B5`;
    const missing = await admin.putText(prices, iesoCsv(DAYS, { date: "2026-11-03", hour: 7 }), "text/csv");
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/line \d+/);
    expect(missing.body.error.message).toMatch(/missing/i);
    const duplicated = await admin.putText(
      prices,
      iesoCsv(DAYS, undefined, { date: "2026-11-02", hour: 9 }),
      "text/csv",
    );
    expect(duplicated.status).toBe(400);
    expect(duplicated.body.error.message).toMatch(/duplicate/i);
    const badDate = await admin.putText(prices, "2026-02-30,1,10.00\n", "text/csv");
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toMatch(/2026-02-30|date/);
    const badZone = await admin.putText(
      `/sites/${world.siteId}/energy-prices?zone=Mars/Olympus_Mons`,
      iesoCsv(DAYS),
      "text/csv",
    );
    expect(badZone.status).toBe(400);
    expect(badZone.body.error.details.field).toBe("zone");

    const after = await admin.get(settings);
    expect(after.status).toBe(200);
    expect(after.body.pue).toBe("1.000");
    expect(after.body.price_series.hours).toBe(0);
    // Customers can neither read nor change a site's energy settings.
    expect((await world.customer1.api.get(settings)).status).toBe(403);
    expect((await world.customer1.api.patch(settings, { pue: "1.1" })).status).toBe(403);
  });

  it("stores samples exactly once and reports a server's energy as its buckets times the tariff", async () => {
    const imported = await admin.putText(
      `/sites/${world.siteId}/energy-prices?zone=Etc/GMT%2B5`,
      iesoCsv(DAYS),
      "text/csv",
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.hours).toBe(48);
    const set = await admin.patch(`/sites/${world.siteId}/energy-settings`, {
      pue: "1.5",
      tariff: { kind: "hourly", currency: "CAD" },
      carbon: { kind: "annual", g_per_kwh: 30 },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ pue: "1.500", currency: "CAD", price_series: { hours: 48 } });

    const vm = vmIdForServer(world.a.serverId);
    const busy = { vm_id: vm, cpu_time_us: 50_000_000, vcpus: 1, present_us: 60_000_000 };
    const stray = {
      vm_id: "srv-00000000000000000000000000",
      cpu_time_us: 10_000_000,
      vcpus: 1,
      present_us: 60_000_000,
    };
    // Four minutes, the last sample straddling a five-minute boundary.
    const batch = [
      sample(1, T0, [busy, stray]),
      sample(2, T0 + 60_000, [busy]),
      sample(3, T0 + 120_000, [busy]),
      sample(4, T0 + 270_000, [busy]),
    ];
    const first = await ingestEnergySamples(c.database, world.hostId, "boot-a", 0, batch);
    expect(first.ackSeq).toBe(4);
    expect(first.applied).toHaveLength(4);
    // The same batch again (a reconnect resend), and an overlapping one: nothing counts twice.
    const again = await ingestEnergySamples(c.database, world.hostId, "boot-a", 0, batch);
    expect(again).toMatchObject({ ackSeq: 4, applied: [] });
    const overlap = await ingestEnergySamples(c.database, world.hostId, "boot-a", 0, [
      batch[3]!,
      sample(5, T0 + 330_000, [busy]),
    ]);
    expect(overlap.applied.map((s) => s.seq)).toEqual([5]);

    const rows = await c.database.db
      .selectFrom("server_energy")
      .selectAll()
      .where("server_id", "=", world.a.serverId)
      .orderBy("bucket_start")
      .execute();
    expect(rows.map((r) => r.bucket_start.getTime())).toEqual([T0, T0 + 300_000]);
    const hostRows = await c.database.db
      .selectFrom("host_energy")
      .selectAll()
      .where("host_id", "=", world.hostId)
      .execute();
    for (const h of hostRows) expect(h.allocated_uj + h.unallocated_uj).toBe(h.facility_energy_uj);
    const facility = hostRows.reduce((a, h) => a + h.facility_energy_uj, 0);
    expect(facility).toBe(5 * 9_000_000_000); // 5 samples × 6 kJ × PUE 1.5
    const serverTotal = rows.reduce((a, r) => a + r.energy_uj, 0);
    expect(hostRows.reduce((a, h) => a + h.allocated_uj, 0)).toBe(serverTotal);

    // The API's figures are the buckets priced one by one, then rounded once.
    const from = new Date(T0 - 3600_000).toISOString();
    const to = new Date(T0 + 3600_000).toISOString();
    const report = await world.customer1.api.get(`/servers/${world.a.serverId}/energy?from=${from}&to=${to}`);
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const tariff = compileTariff(parseIesoPriceCsv(iesoCsv(DAYS), { zone: "Etc/GMT+5" }), {
      zone: "America/Toronto",
    });
    const carbon = compileCarbon({ kind: "annual", gPerKwh: 30 });
    const buckets = rows.map((r) => ({ start: r.bucket_start, durationMs: 300_000, energyUj: r.energy_uj }));
    const micro = buckets.reduce((a, b) => a + priceBucket(b, tariff).microMinor, 0);
    const mg = buckets.reduce((a, b) => a + carbonOfBucket(b, carbon).carbonMg, 0);
    expect(report.body).toMatchObject({
      server_id: world.a.serverId,
      estimated: true,
      energy_uj: String(serverTotal),
      cost: { currency: "CAD", micro_minor: String(micro), amount_minor: Math.round(micro / 1e6) },
      carbon_mg: String(mg),
    });
    expect(report.body.hours).toHaveLength(1);
    expect(report.body.hours[0].energy_uj).toBe(String(serverTotal));
    expect(report.body.cpu_time_seconds).toBe(250);

    // Another tenant's server is a 404, exactly like one that does not exist.
    const foreign = await world.customer2.api.get(`/servers/${world.a.serverId}/energy`);
    const absent = await world.customer2.api.get(`/servers/srv_00000000000000000000000000/energy`);
    expect(foreign.status).toBe(404);
    expect(absent.status).toBe(404);
    expect(foreign.body.error.code).toBe(absent.body.error.code);

    // Hosts: the split adds up; customers cannot see hosts; sites: customers are refused.
    const host = await admin.get(`/hosts/${world.hostId}/energy?from=${from}&to=${to}`);
    expect(host.status).toBe(200);
    expect(BigInt(host.body.allocated_uj) + BigInt(host.body.unallocated_uj)).toBe(
      BigInt(host.body.energy_uj),
    );
    expect(host.body.energy_uj).toBe(String(facility));
    expect(host.body.it_energy_uj).toBe(String(5 * 6_000_000_000));
    expect(host.body.cost.currency).toBe("CAD");
    expect((await world.customer1.api.get(`/hosts/${world.hostId}/energy`)).status).toBe(404);
    const site = await admin.get(`/sites/${world.siteId}/energy?from=${from}&to=${to}`);
    expect(site.status).toBe(200);
    expect(site.body.energy_uj).toBe(String(facility));
    expect(site.body.hours[0].cost_micro_minor).toBe(host.body.hours[0].cost_micro_minor);
    expect((await world.customer1.api.get(`/sites/${world.siteId}/energy`)).status).toBe(403);

    // A period that makes no sense is named.
    const backwards = await world.customer1.api.get(
      `/servers/${world.a.serverId}/energy?from=${to}&to=${from}`,
    );
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.field).toBe("from");

    // Rolling old buckets up into hours moves the energy, it does not copy it.
    const rolled = await rollupEnergy(c.database, new Date(T0 + 2 * 3600_000));
    expect(rolled.servers).toBeGreaterThan(0);
    const afterRollup = await world.customer1.api.get(
      `/servers/${world.a.serverId}/energy?from=${from}&to=${to}`,
    );
    expect(afterRollup.body.energy_uj).toBe(String(serverTotal));
    const hourly = await c.database.db
      .selectFrom("server_energy")
      .selectAll()
      .where("server_id", "=", world.a.serverId)
      .execute();
    expect(hourly.map((r) => [r.bucket_start.getTime(), r.bucket_seconds])).toEqual([[T0, 3600]]);
    const hostAfter = await admin.get(`/hosts/${world.hostId}/energy?from=${from}&to=${to}`);
    expect(hostAfter.body.energy_uj).toBe(String(facility));
  });

  it("leaves cost out, with the reason, where a price is missing instead of guessing", async () => {
    const later = Date.UTC(2026, 10, 20, 12, 0, 0); // no prices imported for this day
    const vm = vmIdForServer(world.a.serverId);
    await ingestEnergySamples(c.database, world.hostId, "boot-b", 0, [
      sample(1, later, [{ vm_id: vm, cpu_time_us: 1_000_000, vcpus: 1, present_us: 60_000_000 }]),
    ]);
    const res = await world.customer1.api.get(
      `/servers/${world.a.serverId}/energy?from=${new Date(later).toISOString()}&to=${new Date(later + 3600_000).toISOString()}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.cost).toBeNull();
    expect(res.body.unpriced_reason).toMatch(/no price data for 2026-11-20/);
    expect(Number(res.body.energy_uj)).toBeGreaterThan(0);
    expect(res.body.carbon_mg).not.toBeNull();

    // An hourly carbon series replaces the annual figure; a repeated hour is refused by index.
    const hour = new Date(later).toISOString();
    const repeated = await admin.put(`/sites/${world.siteId}/carbon-intensity`, {
      points: [
        { starts_at: hour, g_per_kwh: 40 },
        { starts_at: hour, g_per_kwh: 41 },
      ],
    });
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.details.field).toBe("points[1].starts_at");
    const stored = await admin.put(`/sites/${world.siteId}/carbon-intensity`, {
      points: [{ starts_at: hour, g_per_kwh: 100 }],
    });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    await admin.patch(`/sites/${world.siteId}/energy-settings`, { carbon: { kind: "hourly" } });
    const hourly = await world.customer1.api.get(
      `/servers/${world.a.serverId}/energy?from=${hour}&to=${new Date(later + 3600_000).toISOString()}`,
    );
    // 100 g/kWh is 100 mg per 3.6e9 µJ, rounded half-even once.
    expect(Number(hourly.body.carbon_mg)).toBe(Math.round((Number(hourly.body.energy_uj) * 100) / 3.6e9));
  });

  it("places a server without a site at the opted-in site with the cleanest, cheapest power now", async () => {
    const body = { name: "green", plan_id: world.planId, image_id: world.imageId };
    // Until a provider opts a site in, the site is required.
    const refused = await world.customer1.api.post("/servers", body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.field).toBe("site_id");

    const other = await admin.post("/sites", {
      name: `hydro-${kind}`,
      country_code: "CA",
      time_zone: "America/Toronto",
    });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    await addIdleHost(c, other.body.id, `idle-hydro-${kind}`);
    const tou = { kind: "ontario-tou", from_year: 2026, to_year: 2027 };
    for (const [site, grams] of [
      [world.siteId, 450],
      [other.body.id, 25],
    ] as const) {
      const set = await admin.patch(`/sites/${site}/energy-settings`, {
        tariff: tou,
        carbon: { kind: "annual", g_per_kwh: grams },
        energy_aware_placement: true,
      });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
    }
    const placed = await world.customer1.api.post("/servers", body);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.site_id).toBe(other.body.id);
    const audit = await admin.get(`/audit-log?resource_id=${placed.body.id}`);
    expect(JSON.stringify(audit.body)).toMatch(/placed_by/);

    // The provider's CLI sets the same things by site name, and names what is wrong.
    const name = `hydro-${kind}`;
    const set = await runCli(c, c.adminToken, ["energy", "site", "set", name, "--pue", "1.2", "-o", "json"]);
    expect(set.code, set.output).toBe(0);
    expect(JSON.parse(set.output)).toMatchObject({ pue: "1.200", energy_aware_placement: true });
    const bad = await runCli(c, c.adminToken, ["energy", "site", "set", name, "--pue", "0.8"]);
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/PUE/);
    const dir = await mkdtemp(join(tmpdir(), "lb-prices-"));
    const file = join(dir, "hoep.csv");
    await writeFile(file, iesoCsv(DAYS));
    const prices = await runCli(c, c.adminToken, [
      "energy",
      "site",
      "prices",
      name,
      file,
      "--zone",
      "Etc/GMT+5",
    ]);
    expect(prices.code, prices.output).toBe(0);
    expect(prices.output).toMatch(/48/);
    await rm(dir, { recursive: true, force: true });
    // `energy report --site <name>`, as the README writes it (a name, not an id).
    const report = await runCli(c, c.adminToken, ["energy", "report", "--site", name, "-o", "json"]);
    expect(report.code, report.output).toBe(0);
    expect(JSON.parse(report.output)).toHaveProperty("energy_uj");
    const unknown = await runCli(c, c.adminToken, ["energy", "report", "--site", "no-such-site"]);
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/No site named "no-such-site"/);
  }, 60_000);
});
