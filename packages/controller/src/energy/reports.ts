import {
  ENERGY_BUCKET_MS,
  EnergyError,
  HOUR_MS,
  InvalidInputError,
  NotFoundError,
  carbonOfBucket,
  priceBucket,
  requireProviderAdmin,
  toMoney,
} from "@layerboom/core";
import { sql } from "kysely";
import { getSite } from "../catalog/catalog.js";
import type { ServiceContext } from "../base/context.js";
import { serverInScope } from "../base/servers-in-scope.js";
import type { SitePricing } from "./site-energy.js";
import { sitePricing } from "./site-energy.js";

/** Longest span one report covers. */
const MAX_SPAN_MS = 400 * 24 * HOUR_MS;
/** A latest sample older than this is not "now". */
const POWER_FRESH_MS = 10 * 60_000;

/** The span of a report, aligned outwards to whole five-minute buckets. */
export interface ReportPeriod {
  fromMs: number;
  toMs: number;
}

/** Parses `from`/`to` (ISO 8601; default: the last 24 hours) and aligns them to buckets. */
export function reportPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  nowMs = Date.now(),
): ReportPeriod {
  const parse = (field: "from" | "to", text: string | undefined, fallback: number): number => {
    if (text === undefined) return fallback;
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) {
      throw new InvalidInputError(
        field,
        `${field} must be an ISO 8601 time such as 2026-11-29T00:00:00Z, got "${text}"`,
      );
    }
    return ms;
  };
  const to = parse("to", query.to, nowMs);
  const from = parse("from", query.from, to - 24 * HOUR_MS);
  if (!(from < to)) throw new InvalidInputError("from", "from must be before to");
  if (to - from > MAX_SPAN_MS)
    throw new InvalidInputError("to", "a report covers at most 400 days; ask for less");
  return {
    fromMs: Math.floor(from / ENERGY_BUCKET_MS) * ENERGY_BUCKET_MS,
    toMs: Math.ceil(to / ENERGY_BUCKET_MS) * ENERGY_BUCKET_MS,
  };
}

/** One stored bucket, as pricing needs it (a site's summed buckets can pass 2^53 µJ, hence bigint). */
interface BucketEnergy {
  startMs: number;
  seconds: number;
  energyUj: bigint;
}

/** Core pricing works in safe integers; pricing is linear, so a larger bucket is priced in parts. */
const MAX_PART_UJ = 2n ** 52n;
function parts(energyUj: bigint): number[] {
  const out: number[] = [];
  let left = energyUj;
  while (left > MAX_PART_UJ) {
    out.push(Number(MAX_PART_UJ));
    left -= MAX_PART_UJ;
  }
  out.push(Number(left));
  return out;
}

/** Money and carbon for a set of buckets, priced one bucket at a time (docs/energy.md, "Rounding"). */
export interface PricedEnergy {
  /** Exact, as a decimal string (µJ totals can pass 2^53 over long spans). */
  energy_uj: string;
  energy_kwh: number;
  cost: { currency: string; amount_minor: number; micro_minor: string } | null;
  /** Why `cost` is null: no tariff, or a price missing for some hour. */
  unpriced_reason?: string;
  carbon_g: number | null;
  carbon_mg: string | null;
  no_carbon_reason?: string;
}

/** Prices buckets and sums them; also returns the cost and carbon of each bucket, keyed by start. */
export function priceBuckets(
  buckets: readonly BucketEnergy[],
  pricing: SitePricing,
): { totals: PricedEnergy; perBucket: Map<number, { microMinor: bigint; carbonMg: bigint }> } {
  let energy = 0n;
  let microMinor: bigint | undefined = pricing.tariff ? 0n : undefined;
  let carbonMg: bigint | undefined = pricing.carbon ? 0n : undefined;
  let unpriced = pricing.unpricedReason;
  let noCarbon = pricing.noCarbonReason;
  const perBucket = new Map<number, { microMinor: bigint; carbonMg: bigint }>();
  for (const b of buckets) {
    energy += b.energyUj;
    const pieces = parts(b.energyUj).map((energyUj) => ({
      start: new Date(b.startMs),
      durationMs: b.seconds * 1000,
      energyUj,
    }));
    const entry = perBucket.get(b.startMs) ?? { microMinor: 0n, carbonMg: 0n };
    const tariff = pricing.tariff;
    if (microMinor !== undefined && tariff) {
      try {
        const cost = pieces.reduce((a, p) => a + BigInt(priceBucket(p, tariff).microMinor), 0n);
        microMinor += cost;
        entry.microMinor += cost;
      } catch (err) {
        if (!(err instanceof EnergyError)) throw err;
        microMinor = undefined;
        unpriced = err.message;
      }
    }
    const intensity = pricing.carbon;
    if (carbonMg !== undefined && intensity) {
      try {
        const mg = pieces.reduce((a, p) => a + BigInt(carbonOfBucket(p, intensity).carbonMg), 0n);
        carbonMg += mg;
        entry.carbonMg += mg;
      } catch (err) {
        if (!(err instanceof EnergyError)) throw err;
        carbonMg = undefined;
        noCarbon = err.message;
      }
    }
    perBucket.set(b.startMs, entry);
  }
  return {
    totals: {
      energy_uj: energy.toString(),
      energy_kwh: Number(energy) / 3.6e12,
      cost:
        microMinor === undefined
          ? null
          : {
              currency: pricing.currency,
              amount_minor: toMoney(pricing.currency, microMinor).amountMinor,
              micro_minor: microMinor.toString(),
            },
      ...(microMinor === undefined && unpriced ? { unpriced_reason: unpriced } : {}),
      carbon_g: carbonMg === undefined ? null : Number(carbonMg) / 1000,
      carbon_mg: carbonMg === undefined ? null : carbonMg.toString(),
      ...(carbonMg === undefined && noCarbon ? { no_carbon_reason: noCarbon } : {}),
    },
    perBucket,
  };
}

function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** A server's energy: power now, and energy, cost and carbon over the period, by hour. */
export async function serverEnergyReport(
  ctx: ServiceContext,
  serverId: string,
  query: { from?: string | undefined; to?: string | undefined },
) {
  const server = await serverInScope(ctx, serverId);
  const period = reportPeriod(query);
  const rows = await ctx.database.db
    .selectFrom("server_energy")
    .selectAll()
    .where("server_id", "=", server.id)
    .where("bucket_start", ">=", new Date(period.fromMs))
    .where("bucket_start", "<", new Date(period.toMs))
    .orderBy("bucket_start")
    .execute();
  const pricing = await sitePricing(ctx, server.site_id, period.fromMs, period.toMs);
  const buckets = rows.map((r) => ({
    startMs: r.bucket_start.getTime(),
    seconds: r.bucket_seconds,
    energyUj: BigInt(r.energy_uj),
  }));
  const { totals, perBucket } = priceBuckets(buckets, pricing);
  const hours = new Map<
    number,
    { energy: bigint; active: bigint; cpu: bigint; microMinor: bigint; carbonMg: bigint }
  >();
  for (const r of rows) {
    const h = hourOf(r.bucket_start.getTime());
    const acc = hours.get(h) ?? { energy: 0n, active: 0n, cpu: 0n, microMinor: 0n, carbonMg: 0n };
    const priced = perBucket.get(r.bucket_start.getTime());
    acc.energy += BigInt(r.energy_uj);
    acc.active += BigInt(r.active_energy_uj);
    acc.cpu += BigInt(r.cpu_time_us);
    acc.microMinor += priced?.microMinor ?? 0n;
    acc.carbonMg += priced?.carbonMg ?? 0n;
    hours.set(h, acc);
  }
  const latest = await ctx.database.db
    .selectFrom("server_energy")
    .select(["host_id", "last_power_mw", "last_sample_at", "estimated"])
    .where("server_id", "=", server.id)
    .orderBy("bucket_start", "desc")
    .limit(1)
    .executeTakeFirst();
  // The host's figure over exactly the buckets this server has, so the two compare like for like.
  const host = await ctx.database.db
    .selectFrom("host_energy")
    .innerJoin("server_energy", (j) =>
      j
        .onRef("server_energy.host_id", "=", "host_energy.host_id")
        .onRef("server_energy.bucket_start", "=", "host_energy.bucket_start"),
    )
    .select(sql<string>`coalesce(sum(host_energy.facility_energy_uj), 0)::text`.as("facility"))
    .where("server_energy.server_id", "=", server.id)
    .where("server_energy.bucket_start", ">=", new Date(period.fromMs))
    .where("server_energy.bucket_start", "<", new Date(period.toMs))
    .executeTakeFirstOrThrow();
  const hostNow = latest
    ? await ctx.database.db
        .selectFrom("host_energy")
        .select(["last_power_mw", "last_sample_at", "estimated"])
        .where("host_id", "=", latest.host_id)
        .orderBy("bucket_start", "desc")
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const active = rows.reduce((a, r) => a + BigInt(r.active_energy_uj), 0n);
  const fresh = (at: Date) => Date.now() - at.getTime() < POWER_FRESH_MS;
  return {
    server_id: server.id,
    site_id: server.site_id,
    from: new Date(period.fromMs),
    to: new Date(period.toMs),
    estimated: rows.some((r) => r.estimated),
    power:
      latest && fresh(latest.last_sample_at)
        ? { watts: latest.last_power_mw / 1000, at: latest.last_sample_at, estimated: latest.estimated }
        : null,
    cpu_time_seconds: Number(rows.reduce((a, r) => a + BigInt(r.cpu_time_us), 0n)) / 1e6,
    ...totals,
    active_energy_uj: active.toString(),
    idle_energy_uj: (BigInt(totals.energy_uj) - active).toString(),
    vm_cpu_only: rows.some((r) => r.vm_cpu_only),
    host: {
      energy_uj: host.facility,
      power:
        hostNow && fresh(hostNow.last_sample_at)
          ? { watts: hostNow.last_power_mw / 1000, at: hostNow.last_sample_at, estimated: hostNow.estimated }
          : null,
    },
    hours: [...hours].map(([start, h]) => ({
      start: new Date(start),
      energy_uj: h.energy.toString(),
      active_energy_uj: h.active.toString(),
      cpu_time_seconds: Number(h.cpu) / 1e6,
      cost_micro_minor: totals.cost ? h.microMinor.toString() : null,
      carbon_mg: totals.carbon_mg !== null ? h.carbonMg.toString() : null,
    })),
  };
}

/** Host buckets summed per bucket start, for one host or a whole site. */
async function hostBuckets(
  ctx: ServiceContext,
  filter: { hostId?: string; siteId?: string },
  period: ReportPeriod,
) {
  let q = ctx.database.db
    .selectFrom("host_energy")
    .innerJoin("hosts", "hosts.id", "host_energy.host_id")
    .select([
      "host_energy.bucket_start",
      sql<number>`max(host_energy.bucket_seconds)`.as("seconds"),
      sql<string>`sum(host_energy.it_energy_uj)::text`.as("it"),
      sql<string>`sum(host_energy.facility_energy_uj)::text`.as("facility"),
      sql<string>`sum(host_energy.allocated_uj)::text`.as("allocated"),
      sql<string>`sum(host_energy.unallocated_uj)::text`.as("unallocated"),
      sql<string>`sum(host_energy.host_overhead_uj)::text`.as("overhead"),
      sql<boolean>`bool_or(host_energy.estimated)`.as("estimated"),
    ])
    .where("host_energy.bucket_start", ">=", new Date(period.fromMs))
    .where("host_energy.bucket_start", "<", new Date(period.toMs));
  if (filter.hostId) q = q.where("host_energy.host_id", "=", filter.hostId);
  if (filter.siteId) q = q.where("hosts.site_id", "=", filter.siteId);
  return q.groupBy("host_energy.bucket_start").orderBy("host_energy.bucket_start").execute();
}

async function hostsReport(
  ctx: ServiceContext,
  siteId: string,
  filter: { hostId?: string; siteId?: string },
  query: { from?: string | undefined; to?: string | undefined },
) {
  const period = reportPeriod(query);
  const rows = await hostBuckets(ctx, filter, period);
  const pricing = await sitePricing(ctx, siteId, period.fromMs, period.toMs);
  const { totals, perBucket } = priceBuckets(
    rows.map((r) => ({
      startMs: r.bucket_start.getTime(),
      seconds: Number(r.seconds),
      energyUj: BigInt(r.facility),
    })),
    pricing,
  );
  const sum = (key: "it" | "facility" | "allocated" | "unallocated" | "overhead", list = rows) =>
    list.reduce((a, r) => a + BigInt(r[key]), 0n);
  const hours = new Map<number, typeof rows>();
  for (const r of rows) {
    const h = hourOf(r.bucket_start.getTime());
    hours.set(h, [...(hours.get(h) ?? []), r]);
  }
  let latestQ = ctx.database.db
    .selectFrom("host_energy")
    .innerJoin("hosts", "hosts.id", "host_energy.host_id")
    .distinctOn("host_energy.host_id")
    .select([
      "host_energy.host_id",
      "host_energy.last_power_mw",
      "host_energy.last_sample_at",
      "host_energy.source_kind",
      "host_energy.estimated",
    ])
    .where("host_energy.last_sample_at", ">", new Date(Date.now() - POWER_FRESH_MS));
  if (filter.hostId) latestQ = latestQ.where("host_energy.host_id", "=", filter.hostId);
  if (filter.siteId) latestQ = latestQ.where("hosts.site_id", "=", filter.siteId);
  const latest = await latestQ
    .orderBy("host_energy.host_id")
    .orderBy("host_energy.bucket_start", "desc")
    .execute();
  return {
    from: new Date(period.fromMs),
    to: new Date(period.toMs),
    estimated: rows.some((r) => r.estimated),
    power:
      latest.length === 0
        ? null
        : {
            watts: latest.reduce((a, l) => a + l.last_power_mw, 0) / 1000,
            hosts_reporting: latest.length,
            sources: [...new Set(latest.map((l) => l.source_kind))].sort(),
            estimated: latest.some((l) => l.estimated),
          },
    it_energy_uj: sum("it").toString(),
    allocated_uj: sum("allocated").toString(),
    unallocated_uj: sum("unallocated").toString(),
    host_overhead_uj: sum("overhead").toString(),
    ...totals,
    hours: [...hours].map(([start, list]) => {
      const priced = list.map((r) => perBucket.get(r.bucket_start.getTime()));
      return {
        start: new Date(start),
        it_energy_uj: sum("it", list).toString(),
        energy_uj: sum("facility", list).toString(),
        allocated_uj: sum("allocated", list).toString(),
        unallocated_uj: sum("unallocated", list).toString(),
        cost_micro_minor: totals.cost
          ? priced.reduce((a, p) => a + (p?.microMinor ?? 0n), 0n).toString()
          : null,
        carbon_mg:
          totals.carbon_mg !== null ? priced.reduce((a, p) => a + (p?.carbonMg ?? 0n), 0n).toString() : null,
      };
    }),
  };
}

/** A host's power and energy, with its split between servers and unallocated (provider admins). */
export async function hostEnergyReport(
  ctx: ServiceContext,
  hostId: string,
  query: { from?: string | undefined; to?: string | undefined },
) {
  if (ctx.principal.role !== "provider-admin") throw new NotFoundError("host", hostId);
  const host = await ctx.database.db
    .selectFrom("hosts")
    .select(["id", "site_id"])
    .where("id", "=", hostId)
    .executeTakeFirst();
  if (!host) throw new NotFoundError("host", hostId);
  return {
    host_id: host.id,
    site_id: host.site_id,
    ...(await hostsReport(ctx, host.site_id, { hostId }, query)),
  };
}

/** A site's power and energy over all its hosts, with cost by hour (provider admins). */
export async function siteEnergyReport(
  ctx: ServiceContext,
  siteId: string,
  query: { from?: string | undefined; to?: string | undefined },
) {
  requireProviderAdmin(ctx.principal, "read a site's energy");
  const site = await getSite(ctx, siteId);
  return { site_id: site.id, ...(await hostsReport(ctx, site.id, { siteId }, query)) };
}
