import { billingMonth } from "@layerboom/core";
import type { BillingMonth, CustomerMonth, ServerSite, SiteEnergy } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";
import { priceBuckets } from "../energy/reports.js";
import { sitePricing } from "../energy/site-energy.js";
import type { SitePricing } from "../energy/site-energy.js";
import { imageStorageByAccount } from "../metering/image-storage.js";
import { intervalsByAccount, transferByAccount } from "../metering/intervals.js";
import { remoteServerMonths } from "./remote-server-months.js";

/** A customer to bill and the zone its months are cut in (`billing_profiles.time_zone`). */
export interface BilledCustomer {
  id: string;
  zone: string;
}

/** The zone of an account without a billing profile: the column's default in 0005_billing.sql. */
export const DEFAULT_BILLING_ZONE = "America/Toronto";

/** The span that covers every customer's month of `period`, each in its own zone. */
export function spanOf(
  customers: readonly BilledCustomer[],
  period: string,
): { fromMs: number; toMs: number } {
  const months = customers.map((c) => billingMonth(period, c.zone));
  return {
    fromMs: Math.min(...months.map((m) => m.startMs)),
    toMs: Math.max(...months.map((m) => m.endMs)),
  };
}

/**
 * Each site's tariff and carbon intensity over one span, read once per site for a whole close
 * (not per customer): the span must cover every month the close prices.
 */
export function sitePricingOver(
  database: Database,
  span: { fromMs: number; toMs: number },
): (siteId: string) => Promise<SitePricing> {
  const cache = new Map<string, Promise<SitePricing>>();
  return (siteId) => {
    let pricing = cache.get(siteId);
    if (!pricing) {
      pricing = sitePricing({ database }, siteId, span.fromMs, span.toMs);
      cache.set(siteId, pricing);
    }
    return pricing;
  };
}

interface EnergyRow {
  accountId: string;
  siteId: string;
  startMs: number;
  seconds: 300 | 3600;
  energyUj: bigint;
}

/** Energy buckets of some accounts' servers in [fromMs, toMs): one query. */
async function energyRows(
  database: Database,
  accountIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<EnergyRow[]> {
  const rows = await database.db
    .selectFrom("server_energy")
    .innerJoin("servers", "servers.id", "server_energy.server_id")
    .select([
      "servers.account_id",
      "servers.site_id",
      "server_energy.bucket_start",
      "server_energy.bucket_seconds",
      "server_energy.energy_uj",
    ])
    .where("servers.account_id", "in", accountIds)
    .where("server_energy.bucket_start", ">=", new Date(fromMs))
    .where("server_energy.bucket_start", "<", new Date(toMs))
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    siteId: r.site_id,
    startMs: r.bucket_start.getTime(),
    seconds: r.bucket_seconds,
    energyUj: BigInt(r.energy_uj),
  }));
}

/** One account's energy rows inside its month, priced per site at that site's tariff. */
async function siteEnergy(
  rows: readonly EnergyRow[],
  month: BillingMonth,
  pricing: (siteId: string) => Promise<SitePricing>,
): Promise<SiteEnergy[]> {
  const bySite = new Map<string, EnergyRow[]>();
  for (const r of rows) {
    if (r.startMs < month.startMs || r.startMs >= month.endMs) continue;
    const list = bySite.get(r.siteId) ?? [];
    list.push(r);
    bySite.set(r.siteId, list);
  }
  const parts: SiteEnergy[] = [];
  for (const [siteId, buckets] of bySite) {
    const { totals } = priceBuckets(buckets, await pricing(siteId));
    parts.push({
      siteId,
      energyUj: BigInt(totals.energy_uj),
      cost: totals.cost && { amountMinor: totals.cost.amount_minor, currency: totals.cost.currency },
      carbonMg: totals.carbon_mg === null ? null : BigInt(totals.carbon_mg),
    });
  }
  return parts;
}

/**
 * Reads what a month's invoices need for a set of customers with a handful of queries in all,
 * whatever their number: usage and add-on intervals, transfer, codes, energy and stored images. Each customer's
 * month is cut in its own zone; the reads cover the span of all of them.
 */
export async function loadCustomerMonths(
  database: Database,
  customers: readonly BilledCustomer[],
  period: string,
  pricing: (siteId: string) => Promise<SitePricing>,
): Promise<CustomerMonth[]> {
  if (customers.length === 0) return [];
  const ids = customers.map((c) => c.id);
  const months = new Map(customers.map((c) => [c.id, billingMonth(period, c.zone)]));
  const { fromMs, toMs } = spanOf(customers, period);
  const intervals = await intervalsByAccount(database, ids, fromMs, toMs);
  const transfer = await transferByAccount(database, months);
  const imageStorage = await imageStorageByAccount(database, ids, fromMs, toMs);
  const remoteServers = await remoteServerMonths(database, ids, period);
  const redemptions = await database.db
    .selectFrom("code_redemptions")
    .innerJoin("discount_codes", "discount_codes.id", "code_redemptions.code_id")
    .selectAll("discount_codes")
    .select([
      "code_redemptions.account_id as redeemer",
      "code_redemptions.redeemed_at",
      "code_redemptions.first_server_id",
    ])
    .where("code_redemptions.account_id", "in", ids)
    .execute();
  const energy = groupBy(await energyRows(database, ids, fromMs, toMs), (r) => r.accountId);
  const codes = groupBy(redemptions, (r) => r.redeemer);
  const out: CustomerMonth[] = [];
  for (const c of customers) {
    const of = intervals.get(c.id)!;
    out.push({
      accountId: c.id,
      zone: c.zone,
      intervals: of.usage,
      backupIntervals: of.backups,
      ipv4Intervals: of.ipv4,
      transfer: transfer.get(c.id) ?? [],
      redemptions: (codes.get(c.id) ?? []).map((r) => ({
        code: r.code,
        terms: {
          kind: r.kind,
          value: Number(r.value),
          scope: r.scope,
          planIds: r.plan_ids,
          durationMonths: r.duration_months,
        },
        redeemedAtMs: r.redeemed_at.getTime(),
        firstServerId: r.first_server_id,
      })),
      energy: await siteEnergy(energy.get(c.id) ?? [], months.get(c.id)!, pricing),
      imageStorage: imageStorage.get(c.id) ?? [],
      remoteServers: remoteServers.get(c.id) ?? [],
    });
  }
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}

/** The site of each server in some customers' usage: one query for the lot. */
export async function serverSites(
  database: Database,
  months: readonly CustomerMonth[],
): Promise<Map<string, ServerSite>> {
  const ids = [...new Set(months.flatMap((m) => m.intervals.map((i) => i.serverId)))];
  if (ids.length === 0) return new Map();
  // One array parameter rather than a list: a batch's servers can pass the protocol's 65,535.
  const { rows } = await sql<{ id: string; site_id: string; name: string }>`
    SELECT s.id, s.site_id, t.name
    FROM servers s JOIN sites t ON t.id = s.site_id
    WHERE s.id = ANY(${ids}::text[])`.execute(database.db);
  return new Map(rows.map((r) => [r.id, { siteId: r.site_id, siteName: r.name }]));
}
