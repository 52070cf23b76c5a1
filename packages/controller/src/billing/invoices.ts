import {
  ConflictError,
  backupsMonthCharges,
  billingMonth,
  discountLines,
  formatMoney,
  ipv4MonthCharges,
  monthCharges,
  taxLines,
  transferMonthCharges,
} from "@layerboom/core";
import type {
  AddonMonthCharge,
  AddonPlanRate,
  AddressInterval,
  DiscountLine,
  DiscountRedemption,
  Ipv4MonthCharge,
  NetworkPlanRate,
  ServerMonthCharge,
  ServerTransferTotal,
  TransferMonthCharge,
  UsageInterval,
} from "@layerboom/core";
import type { Database, InvoiceRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { priceBuckets } from "../energy/reports.js";
import { sitePricing } from "../energy/site-energy.js";
import type { SitePricing } from "../energy/site-energy.js";
import { intervalsByAccount, transferByAccount } from "./intervals.js";
import { energyLine, gibText, hoursText, taxLine, writeInvoices } from "./issue.js";
import type { DraftLine, EnergyLine, InvoiceToIssue } from "./issue.js";

export type { EnergyLine } from "./issue.js";
export { takeInvoiceNumber } from "./issue.js";

const DEFAULT_ZONE = "America/Toronto";

/** One customer's month, computed but not yet issued. */
export interface DraftInvoice {
  accountId: string;
  issuerAccountId: string;
  period: string;
  currency: string;
  charges: ServerMonthCharge[];
  /** The backups add-on per server and plan (docs/backups.md). */
  addons: AddonMonthCharge[];
  /** Extra IPv4 addresses per server, address and plan (docs/networking.md). */
  ipv4: Ipv4MonthCharge[];
  /** Every server's transfer of the month; those over their allowance are invoiced. */
  transfer: TransferMonthCharge[];
  discounts: DiscountLine[];
  energy: EnergyLine;
  energyBilled: boolean;
  taxes: { name: string; rateMicros: number; amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** A plan's rates for everything an invoice charges: time, backups, extra addresses, transfer. */
export type BillingPlanRate = AddonPlanRate & NetworkPlanRate;

/**
 * Plans as rates for the core calculation: the provider's prices, or, given the issuer, that
 * issuer's retail prices where it set them (a reseller bills its customers at its own prices).
 * Retail prices cover the plan's time (and so backups, a percentage of it); extra addresses and
 * transfer are always at the provider's plan prices, for a reseller's customers too.
 */
export async function planRates(
  db: Kysely<Schema>,
  issuerAccountId?: string,
): Promise<{ rates: Map<string, BillingPlanRate>; plans: Map<string, { name: string; currency: string }> }> {
  const rows = await db.selectFrom("plans").selectAll().execute();
  const retail = issuerAccountId
    ? await db.selectFrom("reseller_prices").selectAll().where("account_id", "=", issuerAccountId).execute()
    : [];
  return {
    rates: new Map(
      rows.map((p) => {
        const own = retail.find((r) => r.plan_id === p.id);
        return [
          p.id,
          {
            hourlyMinor: Number(own?.hourly_price_minor ?? p.hourly_price_minor),
            monthlyCapMinor: Number(own?.monthly_cap_minor ?? p.monthly_cap_minor),
            hourRounding: p.hour_rounding,
            backupsPercent: p.backups_price_percent,
            extraIpv4MonthlyMinor: p.extra_ipv4_monthly_minor,
            transferGib: p.transfer_gib,
            transferOverageMinorPerGib: p.transfer_overage_minor_per_gib,
          },
        ];
      }),
    ),
    plans: new Map(rows.map((p) => [p.id, { name: p.name, currency: p.currency }])),
  };
}

/** Energy rows of some accounts' servers, and each site's pricing, for pricing per customer month. */
interface EnergyRow {
  accountId: string;
  siteId: string;
  startMs: number;
  seconds: 300 | 3600;
  energyUj: bigint;
}

/** Prices one account's energy rows inside [fromMs, toMs) at their sites' tariffs. */
function priceEnergy(
  rows: readonly EnergyRow[],
  fromMs: number,
  toMs: number,
  pricing: ReadonlyMap<string, SitePricing>,
): EnergyLine {
  const bySite = new Map<string, { startMs: number; seconds: 300 | 3600; energyUj: bigint }[]>();
  for (const r of rows) {
    if (r.startMs < fromMs || r.startMs >= toMs) continue;
    const list = bySite.get(r.siteId) ?? [];
    list.push(r);
    bySite.set(r.siteId, list);
  }
  let uj = 0n;
  let costMinor: number | null = 0;
  let carbonMg: bigint | null = 0n;
  for (const [siteId, buckets] of bySite) {
    const { totals } = priceBuckets(buckets, pricing.get(siteId)!);
    uj += BigInt(totals.energy_uj);
    costMinor = costMinor === null || totals.cost === null ? null : costMinor + totals.cost.amount_minor;
    carbonMg = carbonMg === null || totals.carbon_mg === null ? null : carbonMg + BigInt(totals.carbon_mg);
  }
  return { kwh: Number(uj) / 3.6e12, costMinor, carbonKg: carbonMg === null ? null : Number(carbonMg) / 1e6 };
}

async function energyRows(database: Database, accountIds: readonly string[], fromMs: number, toMs: number) {
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
  return rows.map((r): EnergyRow => ({
    accountId: r.account_id,
    siteId: r.site_id,
    startMs: r.bucket_start.getTime(),
    seconds: r.bucket_seconds,
    energyUj: BigInt(r.energy_uj),
  }));
}

/** The energy of one account's servers between two instants, priced at the sites' tariffs. */
export async function energyOf(
  database: Database,
  accountId: string,
  fromMs: number,
  toMs: number,
): Promise<EnergyLine> {
  const rows = await energyRows(database, [accountId], fromMs, toMs);
  const pricing = new Map<string, SitePricing>();
  for (const siteId of new Set(rows.map((r) => r.siteId)))
    pricing.set(siteId, await sitePricing({ database }, siteId, fromMs, toMs));
  return priceEnergy(rows, fromMs, toMs, pricing);
}

/** What does not change from one customer to the next in a close: the issuer's prices, settings and tax rates. */
interface IssuerContext {
  issuerAccountId: string;
  rates: Map<string, BillingPlanRate>;
  plans: Map<string, { name: string; currency: string }>;
  energyMode: "billed" | "informational";
  taxRates: Map<string, { name: string; rateMicros: number }[]>;
}

async function issuerContext(db: Kysely<Schema>, issuerAccountId: string): Promise<IssuerContext> {
  const { rates, plans } = await planRates(db, issuerAccountId);
  const settings = await db
    .selectFrom("billing_settings")
    .select("energy_mode")
    .where("account_id", "=", issuerAccountId)
    .executeTakeFirst();
  const taxRates = new Map<string, { name: string; rateMicros: number }[]>();
  for (const r of await db.selectFrom("tax_rates").selectAll().orderBy("region").orderBy("name").execute()) {
    const list = taxRates.get(r.region) ?? [];
    list.push({ name: r.name, rateMicros: r.rate_micros });
    taxRates.set(r.region, list);
  }
  return { issuerAccountId, rates, plans, energyMode: settings?.energy_mode ?? "informational", taxRates };
}

/** One customer's raw material for a month: its zone, tax region, intervals, codes and energy. */
interface CustomerMonth {
  accountId: string;
  zone: string;
  taxRegion: string | null;
  intervals: UsageInterval[];
  /** When the backups add-on was on, per server and plan. */
  backupIntervals: UsageInterval[];
  /** When each extra address was held. */
  ipv4Intervals: AddressInterval[];
  /** Bytes per server in the customer's month. */
  transfer: ServerTransferTotal[];
  redemptions: DiscountRedemption[];
  energy: EnergyLine;
}

/**
 * Reads what a month's invoices need for a set of customers with a handful of queries in all
 * (not per customer): profiles, usage intervals, codes, energy rows and site pricing.
 */
async function loadCustomerMonths(
  database: Database,
  accountIds: readonly string[],
  period: string,
  pricingCache: Map<string, SitePricing>,
): Promise<CustomerMonth[]> {
  const { db } = database;
  if (accountIds.length === 0) return [];
  const profiles = new Map(
    (
      await db
        .selectFrom("billing_profiles")
        .select(["account_id", "time_zone", "tax_region"])
        .where("account_id", "in", accountIds)
        .execute()
    ).map((p) => [p.account_id, p]),
  );
  const months = new Map(
    accountIds.map((id) => [id, billingMonth(period, profiles.get(id)?.time_zone ?? DEFAULT_ZONE)]),
  );
  const fromMs = Math.min(...[...months.values()].map((m) => m.startMs));
  const toMs = Math.max(...[...months.values()].map((m) => m.endMs));
  const intervals = await intervalsByAccount(database, "usage_intervals", accountIds, fromMs, toMs);
  const addonIntervals = await intervalsByAccount(database, "addon_intervals", accountIds, fromMs, toMs);
  const ipv4Intervals = await intervalsByAccount(
    database,
    "addon_intervals",
    accountIds,
    fromMs,
    toMs,
    "ipv4",
  );
  const transfer = await transferByAccount(database, months);
  const redemptions = await db
    .selectFrom("code_redemptions")
    .innerJoin("discount_codes", "discount_codes.id", "code_redemptions.code_id")
    .selectAll("discount_codes")
    .select([
      "code_redemptions.account_id as redeemer",
      "code_redemptions.redeemed_at",
      "code_redemptions.first_server_id",
    ])
    .where("code_redemptions.account_id", "in", accountIds)
    .execute();
  const energy = await energyRows(database, accountIds, fromMs, toMs);
  for (const siteId of new Set(energy.map((r) => r.siteId))) {
    if (!pricingCache.has(siteId))
      pricingCache.set(siteId, await sitePricing({ database }, siteId, fromMs, toMs));
  }
  return accountIds.map((accountId) => {
    const month = months.get(accountId)!;
    return {
      accountId,
      zone: profiles.get(accountId)?.time_zone ?? DEFAULT_ZONE,
      taxRegion: profiles.get(accountId)?.tax_region ?? null,
      intervals: intervals.get(accountId) ?? [],
      backupIntervals: addonIntervals.get(accountId) ?? [],
      ipv4Intervals: (ipv4Intervals.get(accountId) ?? []).map(({ ref, ...i }) => ({ ...i, address: ref })),
      transfer: transfer.get(accountId) ?? [],
      redemptions: redemptions
        .filter((r) => r.redeemer === accountId)
        .map((r) => ({
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
      energy: priceEnergy(
        energy.filter((r) => r.accountId === accountId),
        month.startMs,
        month.endMs,
        pricingCache,
      ),
    };
  });
}

/**
 * A customer's invoice for the month, from its raw material: pure arithmetic (core), no I/O.
 * `nowMs` ends the servers (and add-ons) still running: a closed month ends them at its end, a
 * draft of the month in progress at the moment it is drawn up.
 */
function composeDraft(
  issuer: IssuerContext,
  customer: CustomerMonth,
  period: string,
  nowMs?: number,
): DraftInvoice {
  const month = billingMonth(period, customer.zone);
  const charges = monthCharges(customer.intervals, issuer.rates, month, nowMs);
  const addons = backupsMonthCharges(customer.backupIntervals, issuer.rates, month, nowMs);
  const ipv4 = ipv4MonthCharges(customer.ipv4Intervals, issuer.rates, month, nowMs);
  const transfer = transferMonthCharges(customer.transfer, customer.intervals, issuer.rates, month, nowMs);
  const currencies = new Set(
    [...charges, ...addons, ...ipv4, ...transfer.filter(isOver)].map(
      (c) => issuer.plans.get(c.planId)?.currency ?? "CAD",
    ),
  );
  if (currencies.size > 1)
    throw new ConflictError(
      `Account ${customer.accountId} has usage in several currencies: ${[...currencies].join(", ")}.`,
    );
  const currency = [...currencies][0] ?? "CAD";
  // Codes take a share of server time only (usage charges), as for backups; add-ons pay in full.
  const discounts = customer.redemptions.flatMap((r) => discountLines(r, charges, period, customer.zone));
  const energyBilled = issuer.energyMode === "billed" && customer.energy.costMinor !== null;
  // Every line is in the tax base: add-ons are taxed like server time.
  const subtotalMinor =
    charges.reduce((a, c) => a + c.amountMinor, 0) +
    addons.reduce((a, c) => a + c.amountMinor, 0) +
    ipv4.reduce((a, c) => a + c.amountMinor, 0) +
    transfer.reduce((a, c) => a + c.amountMinor, 0) +
    discounts.reduce((a, d) => a + d.amountMinor, 0) +
    (energyBilled ? (customer.energy.costMinor ?? 0) : 0);
  const taxes = taxLines(
    subtotalMinor,
    (customer.taxRegion ? (issuer.taxRates.get(customer.taxRegion) ?? []) : []).map((r) => ({
      region: customer.taxRegion ?? "",
      ...r,
    })),
  );
  const taxMinor = taxes.reduce((a, t) => a + t.amountMinor, 0);
  return {
    accountId: customer.accountId,
    issuerAccountId: issuer.issuerAccountId,
    period,
    currency,
    charges,
    addons,
    ipv4,
    transfer,
    discounts,
    energy: customer.energy,
    energyBilled,
    taxes,
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
  };
}

/**
 * Computes a customer's invoice for a period from the raw intervals, codes and energy. Reads
 * only. For the month in progress it is "so far": running servers count up to `nowMs`.
 */
export async function draftInvoice(
  database: Database,
  accountId: string,
  period: string,
  nowMs = Date.now(),
): Promise<DraftInvoice> {
  const account = await database.db
    .selectFrom("accounts")
    .select(["id", "parent_id"])
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  const issuer = await issuerContext(database.db, account.parent_id ?? account.id);
  const [customer] = await loadCustomerMonths(database, [accountId], period, new Map());
  return composeDraft(issuer, customer!, period, nowMs);
}

/**
 * A server's transfer gets a line when it sent more than its allowance, even at a price of 0
 * (as backups at 0 % keep their line): what is within the allowance is not a charge.
 */
function isOver(t: TransferMonthCharge): boolean {
  return t.overageBytes > 0;
}

/** "Extra IPv4 203.0.113.11 on server srv_…: 31 h", and "(monthly cap)" when the cap applied. */
function ipv4Line(c: Ipv4MonthCharge): DraftLine {
  return {
    kind: "ipv4",
    description: `Extra IPv4 ${c.address} on server ${c.serverId}: ${hoursText(c.billedHours)}${c.capped ? " (monthly cap)" : ""}`,
    quantity: hoursText(c.billedHours),
    amount_minor: c.amountMinor,
    server_id: c.serverId,
    plan_id: c.planId,
    details: {
      address: c.address,
      used_seconds: Math.round(c.usedMs / 1000),
      hours_in_month: c.hoursInMonth,
      monthly_minor: c.monthlyMinor,
      uncapped_minor: c.uncappedMinor,
    },
  };
}

/** "Transfer of server srv_…: 123.4 GiB sent, 100.0 GiB included, 23.4 GiB over at 0.01 CAD/GiB". */
function transferLine(t: TransferMonthCharge, currency: string): DraftLine {
  const price = formatMoney({ amountMinor: t.priceMinorPerGib, currency });
  return {
    kind: "transfer",
    description: `Transfer of server ${t.serverId}: ${gibText(t.outBytes)} sent, ${gibText(t.allowanceBytes)} included, ${gibText(t.overageBytes)} over at ${price}/GiB`,
    quantity: gibText(t.overageBytes),
    amount_minor: t.amountMinor,
    server_id: t.serverId,
    plan_id: t.planId,
    details: {
      used_seconds: Math.round(t.usedMs / 1000),
      out_bytes: t.outBytes,
      in_bytes: t.inBytes,
      allowance_bytes: t.allowanceBytes,
      overage_bytes: t.overageBytes,
      price_minor_per_gib: t.priceMinorPerGib,
    },
  };
}

/** A draft as the lines and totals an invoice is written with. */
function toInvoice(issuer: IssuerContext, draft: DraftInvoice): InvoiceToIssue {
  return {
    issuerAccountId: draft.issuerAccountId,
    accountId: draft.accountId,
    period: draft.period,
    currency: draft.currency,
    subtotalMinor: draft.subtotalMinor,
    taxMinor: draft.taxMinor,
    totalMinor: draft.totalMinor,
    lines: [
      ...draft.charges.map((c) => ({
        kind: "usage" as const,
        description: `Server ${c.serverId} on plan ${issuer.plans.get(c.planId)?.name ?? c.planId}${c.capped ? " (monthly cap)" : ""}`,
        quantity: hoursText(c.billedHours),
        amount_minor: c.amountMinor,
        server_id: c.serverId,
        plan_id: c.planId,
        details: { used_seconds: Math.round(c.usedMs / 1000), uncapped_minor: c.uncappedMinor },
      })),
      ...draft.addons.map((a) => ({
        kind: "backups" as const,
        description: `Backups of server ${a.serverId} (${a.percent}% of plan ${issuer.plans.get(a.planId)?.name ?? a.planId})${a.capped ? " (monthly cap)" : ""}`,
        quantity: hoursText(a.billedHours),
        amount_minor: a.amountMinor,
        server_id: a.serverId,
        plan_id: a.planId,
        details: {
          used_seconds: Math.round(a.usedMs / 1000),
          percent: a.percent,
          uncapped_minor: a.uncappedMinor,
        },
      })),
      ...draft.ipv4.map((c) => ipv4Line(c)),
      ...draft.transfer.filter(isOver).map((t) => transferLine(t, draft.currency)),
      ...draft.discounts.map((d) => ({
        kind: "discount" as const,
        description: d.description,
        quantity: "",
        amount_minor: d.amountMinor,
        server_id: d.serverId,
        details: { code: d.code },
      })),
      energyLine(draft.energy, draft.energyBilled, draft.currency),
      ...draft.taxes.map(taxLine),
    ],
  };
}

/** Customers per transaction in a month close: one block of numbers, one insert per kind of row. */
const CLOSE_BATCH = 500;

/**
 * Closes a month for every customer an issuer bills (its direct customers): one invoice each,
 * numbered without gaps, skipping customers with nothing to bill or already invoiced (closing
 * twice is harmless). The period must be over in every customer's zone. Customers are drafted
 * and written in batches: a handful of reads per batch, and one transaction per batch that
 * locks the issuer's sequence, re-checks which invoices now exist (a concurrent close may have
 * issued some) and writes the rest with one statement per kind of row.
 */
export async function closeMonth(
  database: Database,
  issuerAccountId: string,
  period: string,
  now: Date,
): Promise<{ issued: InvoiceRow[]; skipped: number }> {
  const customers = await database.db
    .selectFrom("accounts")
    .leftJoin("billing_profiles", "billing_profiles.account_id", "accounts.id")
    .select(["accounts.id", "billing_profiles.time_zone"])
    .where("accounts.parent_id", "=", issuerAccountId)
    .where("accounts.kind", "=", "customer")
    .orderBy("accounts.id")
    .execute();
  for (const c of customers) {
    if (billingMonth(period, c.time_zone ?? DEFAULT_ZONE).endMs > now.getTime()) {
      throw new ConflictError(
        `Period ${period} is not over yet for account ${c.id}; close it after it ends.`,
        {
          field: "period",
        },
      );
    }
  }
  const issuer = await issuerContext(database.db, issuerAccountId);
  const pricing = new Map<string, SitePricing>();
  const issued: InvoiceRow[] = [];
  let skipped = 0;
  for (let i = 0; i < customers.length; i += CLOSE_BATCH) {
    const batch = customers.slice(i, i + CLOSE_BATCH).map((c) => c.id);
    const invoiced = await alreadyInvoiced(database.db, batch, period);
    const months = await loadCustomerMonths(
      database,
      batch.filter((id) => !invoiced.has(id)),
      period,
      pricing,
    );
    const drafts = months
      .map((m) => composeDraft(issuer, m, period))
      .filter(
        (d) =>
          d.charges.length > 0 ||
          d.addons.length > 0 ||
          d.ipv4.length > 0 ||
          d.transfer.some(isOver) ||
          d.energy.kwh > 0,
      );
    skipped += batch.length - drafts.length;
    if (drafts.length === 0) continue;
    const written = await database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("billing_settings")
        .values({ account_id: issuerAccountId })
        .onConflict((oc) => oc.column("account_id").doNothing())
        .execute();
      await trx
        .selectFrom("billing_settings")
        .select("account_id")
        .where("account_id", "=", issuerAccountId)
        .forUpdate()
        .execute();
      const nowInvoiced = await alreadyInvoiced(
        trx,
        drafts.map((d) => d.accountId),
        period,
      );
      const fresh = drafts.filter((d) => !nowInvoiced.has(d.accountId));
      return writeInvoices(
        trx,
        fresh.map((d) => toInvoice(issuer, d)),
        now,
      );
    });
    skipped += drafts.length - written.length;
    issued.push(...written);
  }
  return { issued, skipped };
}

/** Which of these accounts already have the period's invoice. */
async function alreadyInvoiced(
  db: Kysely<Schema>,
  accountIds: readonly string[],
  period: string,
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("invoices")
    .select("account_id")
    .where("account_id", "in", accountIds)
    .where("period", "=", period)
    .where("kind", "=", "invoice")
    .execute();
  return new Set(rows.map((r) => r.account_id));
}
