import { ConflictError, billingMonth, composeInvoice } from "@layerboom/core";
import type {
  AddonMonthCharge,
  DiscountLine,
  ImageStorageMonthCharge,
  ImageStoragePrice,
  InvoiceEnergy,
  InvoicePlan,
  Ipv4MonthCharge,
  ServerMonthCharge,
  TaxRate,
  TransferMonthCharge,
} from "@layerboom/core";
import type { Database, InvoiceRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { Actor } from "../base/context.js";
import { DEFAULT_BILLING_ZONE, loadCustomerMonths, sitePricingOver, spanOf } from "./customer-months.js";
import type { BilledCustomer } from "./customer-months.js";
import { alreadyInvoiced, invoiceToIssue, issueInvoices } from "./issue.js";
import type { InvoiceToIssue } from "./issue.js";
import { representedPeers, settlementInvoice } from "./settlement.js";

export { takeInvoiceNumber } from "./issue.js";

/** One customer's month, composed but not issued: what `GET /billing/usage` shows. */
export interface DraftInvoice {
  accountId: string;
  issuerAccountId: string;
  period: string;
  /** Null only when nothing is charged yet and the plans are in several currencies. */
  currency: string | null;
  charges: ServerMonthCharge[];
  /** The backups add-on per server and plan (docs/backups.md). */
  addons: AddonMonthCharge[];
  /** Extra IPv4 addresses per server, address and plan (docs/networking.md). */
  ipv4: Ipv4MonthCharge[];
  /** Every server's transfer of the month; those over their allowance are invoiced. */
  transfer: TransferMonthCharge[];
  /** The account's stored images, when the issuer charges for them (docs/billing.md, "Image storage"). */
  imageStorage: ImageStorageMonthCharge | null;
  discounts: DiscountLine[];
  energy: InvoiceEnergy;
  energyBilled: boolean;
  taxes: { name: string; rateMicros: number; amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * Every plan with its rates, name and currency: the provider's prices, or, with `retailOf`, that
 * reseller's retail prices where it set them. Retail prices cover the plan's time (and so
 * backups, a percentage of it) and are in the plan's currency; extra addresses and transfer are
 * always at the provider's plan prices, for a reseller's customers too.
 */
export async function invoicePlans(db: Kysely<Schema>, retailOf?: string): Promise<Map<string, InvoicePlan>> {
  const rows = await db.selectFrom("plans").selectAll().execute();
  const retail = new Map(
    (retailOf
      ? await db.selectFrom("reseller_prices").selectAll().where("account_id", "=", retailOf).execute()
      : []
    ).map((r) => [r.plan_id, r]),
  );
  return new Map(
    rows.map((p) => {
      const own = retail.get(p.id);
      return [
        p.id,
        {
          name: p.name,
          currency: p.currency,
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
  );
}

/** What does not change from one recipient to the next in a close: the issuer's prices and settings, and the tax rates. */
export interface IssuerTerms {
  accountId: string;
  plans: Map<string, InvoicePlan>;
  billsEnergy: boolean;
  /** Per GiB-month of stored images; null: free. */
  imageStoragePrice: ImageStoragePrice | null;
  /** Every region's rates, by name. */
  taxRates: Map<string, TaxRate[]>;
}

/** Reads an issuer's terms; `retail` prices its plans at its own retail prices (a reseller's customers). */
export async function issuerTerms(
  db: Kysely<Schema>,
  issuerAccountId: string,
  retail: boolean,
): Promise<IssuerTerms> {
  const plans = await invoicePlans(db, retail ? issuerAccountId : undefined);
  const settings = await db
    .selectFrom("billing_settings")
    .select(["energy_mode", "image_storage_minor_per_gib_month", "image_storage_currency"])
    .where("account_id", "=", issuerAccountId)
    .executeTakeFirst();
  const taxRates = new Map<string, TaxRate[]>();
  for (const r of await db.selectFrom("tax_rates").selectAll().orderBy("region").orderBy("name").execute()) {
    const list = taxRates.get(r.region) ?? [];
    list.push({ region: r.region, name: r.name, rateMicros: r.rate_micros });
    taxRates.set(r.region, list);
  }
  return {
    accountId: issuerAccountId,
    plans,
    billsEnergy: settings?.energy_mode === "billed",
    imageStoragePrice:
      priceOf(settings) ?? (retail ? await parentImageStoragePrice(db, issuerAccountId) : null),
    taxRates,
  };
}

type StoragePriceColumns = {
  image_storage_minor_per_gib_month: number | null;
  image_storage_currency: string | null;
};

function priceOf(settings: StoragePriceColumns | undefined): ImageStoragePrice | null {
  if (!settings || settings.image_storage_minor_per_gib_month === null || !settings.image_storage_currency)
    return null;
  return {
    minorPerGibMonth: Number(settings.image_storage_minor_per_gib_month),
    currency: settings.image_storage_currency,
  };
}

/**
 * A reseller that set no price for stored images sells them at its provider's, as it sells a plan
 * without a retail price; the provider (no parent) without a price gives them away.
 */
async function parentImageStoragePrice(
  db: Kysely<Schema>,
  issuerAccountId: string,
): Promise<ImageStoragePrice | null> {
  const parent = await db
    .selectFrom("accounts")
    .innerJoin("billing_settings", "billing_settings.account_id", "accounts.parent_id")
    .select(["billing_settings.image_storage_minor_per_gib_month", "billing_settings.image_storage_currency"])
    .where("accounts.id", "=", issuerAccountId)
    .executeTakeFirst();
  return priceOf(parent);
}

/** A billed account with its billing profile's zone and tax region (defaults where it has none). */
export interface BilledAccount extends BilledCustomer {
  taxRegion: string | null;
}

/** The customers (`kind = customer`) under some accounts, with their profiles: one query. */
export async function customersOf(
  db: Kysely<Schema>,
  parentIds: readonly string[],
): Promise<(BilledAccount & { parentId: string })[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom("accounts")
    .leftJoin("billing_profiles", "billing_profiles.account_id", "accounts.id")
    .select([
      "accounts.id",
      "accounts.parent_id",
      "billing_profiles.time_zone",
      "billing_profiles.tax_region",
    ])
    .where("accounts.parent_id", "in", parentIds)
    .where("accounts.kind", "=", "customer")
    .orderBy("accounts.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id!,
    zone: r.time_zone ?? DEFAULT_BILLING_ZONE,
    taxRegion: r.tax_region ?? null,
  }));
}

/** Refuses a close while the period is still running in some customer's zone. */
export function requirePeriodOver(
  customers: readonly (BilledCustomer & { parentId?: string })[],
  period: string,
  now: Date,
  whose?: (customer: BilledCustomer & { parentId?: string }) => string,
): void {
  for (const c of customers)
    if (billingMonth(period, c.zone).endMs > now.getTime())
      throw new ConflictError(
        `Period ${period} is not over yet for account ${c.id}${whose ? ` (${whose(c)})` : ""}; close it after it ends.`,
        { field: "period" },
      );
}

/**
 * Drafts a customer's invoice for a period from the raw intervals, codes and energy. Reads
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
    .leftJoin("billing_profiles", "billing_profiles.account_id", "accounts.id")
    .select([
      "accounts.id",
      "accounts.parent_id",
      "billing_profiles.time_zone",
      "billing_profiles.tax_region",
    ])
    .where("accounts.id", "=", accountId)
    .executeTakeFirstOrThrow();
  const customer = { id: account.id, zone: account.time_zone ?? DEFAULT_BILLING_ZONE };
  const issuer = await issuerTerms(database.db, account.parent_id ?? account.id, true);
  const [month] = await loadCustomerMonths(
    database,
    [customer],
    period,
    sitePricingOver(database, spanOf([customer], period)),
  );
  const composed = composeInvoice({
    kind: "customer",
    period,
    plans: issuer.plans,
    billsEnergy: issuer.billsEnergy,
    imageStoragePrice: issuer.imageStoragePrice,
    taxRates: issuer.taxRates.get(account.tax_region ?? "") ?? [],
    customer: month!,
    nowMs,
  });
  const [charged] = composed.customers;
  return {
    accountId,
    issuerAccountId: issuer.accountId,
    period,
    currency: composed.currency,
    charges: charged!.charges,
    addons: charged!.addons,
    ipv4: charged!.ipv4,
    transfer: charged!.transfer,
    imageStorage: charged!.imageStorage,
    discounts: charged!.discounts,
    energy: composed.energy,
    energyBilled: composed.energyBilled,
    taxes: composed.taxes,
    subtotalMinor: composed.subtotalMinor,
    taxMinor: composed.taxMinor,
    totalMinor: composed.totalMinor,
  };
}

/** Recipients per transaction in a month close: one block of numbers, one insert per kind of row. */
export const CLOSE_BATCH = 500;

/**
 * Closes a month for every customer an issuer bills (its direct customers): one invoice each,
 * numbered without gaps, skipping customers with nothing to bill or already invoiced (closing
 * twice is harmless). The period must be over in every customer's zone. Customers are composed
 * and written in batches: a handful of reads per batch, whatever its size, and one transaction
 * per batch (issue.ts, `issueInvoices`).
 */
export async function closeMonth(
  database: Database,
  issuerAccountId: string,
  period: string,
  now: Date,
  actor: Actor,
): Promise<{ issued: InvoiceRow[]; skipped: number }> {
  const all = await customersOf(database.db, [issuerAccountId]);
  requirePeriodOver(all, period, now);
  if (all.length === 0) return { issued: [], skipped: 0 };
  const issuer = await issuerTerms(database.db, issuerAccountId, true);
  // An account that represents a federation peer is invoiced its usage records, never its plans.
  const peers = await representedPeers(
    database.db,
    all.map((c) => c.id),
  );
  const customers = all.filter((c) => !peers.has(c.id));
  const issued: InvoiceRow[] = [];
  let skipped = 0;
  const settlements: InvoiceToIssue[] = [];
  const settled = await alreadyInvoiced(database.db, [...peers.keys()], period);
  for (const c of all.filter((c) => peers.has(c.id) && !settled.has(c.id))) {
    const invoice = await settlementInvoice(
      database.db,
      { issuerAccountId, accountId: c.id, ...peers.get(c.id)!, period },
      issuer.taxRates.get(c.taxRegion ?? "") ?? [],
    );
    if (invoice) settlements.push(invoice);
  }
  const written = await issueInvoices(database, issuerAccountId, period, settlements, now, actor);
  skipped += peers.size - written.length;
  issued.push(...written);
  if (customers.length === 0) return { issued, skipped };
  const pricing = sitePricingOver(database, spanOf(customers, period));
  for (let i = 0; i < customers.length; i += CLOSE_BATCH) {
    const batch = customers.slice(i, i + CLOSE_BATCH);
    const invoiced = await alreadyInvoiced(
      database.db,
      batch.map((c) => c.id),
      period,
    );
    const fresh = batch.filter((c) => !invoiced.has(c.id));
    const months = await loadCustomerMonths(database, fresh, period, pricing);
    const invoices = months.flatMap((month, j) => {
      const composed = composeInvoice({
        kind: "customer",
        period,
        plans: issuer.plans,
        billsEnergy: issuer.billsEnergy,
        imageStoragePrice: issuer.imageStoragePrice,
        taxRates: issuer.taxRates.get(fresh[j]!.taxRegion ?? "") ?? [],
        customer: month,
      });
      return composed.empty
        ? []
        : [invoiceToIssue(composed, { issuerAccountId, accountId: month.accountId, period })];
    });
    const written = await issueInvoices(database, issuerAccountId, period, invoices, now, actor);
    skipped += batch.length - written.length;
    issued.push(...written);
  }
  return { issued, skipped };
}
