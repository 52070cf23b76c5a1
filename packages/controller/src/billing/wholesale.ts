import {
  ConflictError,
  backupsMonthCharges,
  billingMonth,
  formatMoney,
  ipv4MonthCharges,
  monthCharges,
  taxLines,
  transferMonthCharges,
} from "@layerboom/core";
import type { Database, InvoiceRow } from "@layerboom/db";
import { isUniqueViolation } from "../services/sql-errors.js";
import { intervalsByAccount, transferByAccount } from "./intervals.js";
import type { BilledInterval } from "./intervals.js";
import { energyOf, planRates } from "./invoices.js";
import { energyLine, gibText, hoursText, taxLine, writeInvoice } from "./issue.js";
import type { EnergyLine } from "./invoices.js";

const DEFAULT_ZONE = "America/Toronto";

/** A customer's intervals of one kind that overlap its billing month. */
async function intervalsOf(
  database: Database,
  table: "usage_intervals" | "addon_intervals",
  accountId: string,
  month: { startMs: number; endMs: number },
  kind: "backups" | "ipv4" = "backups",
): Promise<BilledInterval[]> {
  return (
    (await intervalsByAccount(database, table, [accountId], month.startMs, month.endMs, kind)).get(
      accountId,
    ) ?? []
  );
}

/** A reseller's month at the provider's prices, summed over its customers, by site and plan. */
export interface WholesaleDraft {
  resellerId: string;
  providerId: string;
  period: string;
  currency: string;
  usage: {
    siteId: string;
    siteName: string;
    planId: string;
    planName: string;
    servers: number;
    serverHours: number;
    amountMinor: number;
  }[];
  /** The backups add-on of the reseller's customers' servers, at the provider's prices, by plan. */
  backups: { planId: string; planName: string; servers: number; serverHours: number; amountMinor: number }[];
  /** Extra IPv4 addresses of the customers' servers, at the provider's prices, by plan. */
  ipv4: { planId: string; planName: string; addresses: number; addressHours: number; amountMinor: number }[];
  /**
   * Transfer beyond the allowance, by plan: the sum of each server's charge (each rounded as on
   * the customer's invoice), so it equals what the customers' lines come to at the provider's price.
   */
  transfer: {
    planId: string;
    planName: string;
    servers: number;
    overageBytes: number;
    priceMinorPerGib: number;
    amountMinor: number;
  }[];
  energy: EnergyLine;
  energyBilled: boolean;
  taxes: { name: string; rateMicros: number; amountMinor: number }[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

async function resellerCustomers(database: Database, resellerId: string) {
  return database.db
    .selectFrom("accounts")
    .leftJoin("billing_profiles", "billing_profiles.account_id", "accounts.id")
    .select(["accounts.id", "billing_profiles.time_zone"])
    .where("accounts.parent_id", "=", resellerId)
    .where("accounts.kind", "=", "customer")
    .orderBy("accounts.id")
    .execute();
}

/**
 * Computes what the provider bills a reseller for a period: each customer's month (in that
 * customer's zone, as its own invoice is cut) at the provider's plan prices, so the wholesale
 * usage equals the sum of the customers' usage at wholesale prices. Reads only.
 */
export async function draftWholesaleInvoice(
  database: Database,
  resellerId: string,
  period: string,
): Promise<WholesaleDraft> {
  const { db } = database;
  const reseller = await db
    .selectFrom("accounts")
    .selectAll()
    .where("id", "=", resellerId)
    .executeTakeFirstOrThrow();
  const providerId = reseller.parent_id ?? reseller.id;
  const { rates, plans } = await planRates(db);
  const byKey = new Map<string, WholesaleDraft["usage"][number] & { serverIds: Set<string> }>();
  const backupsByPlan = new Map<string, WholesaleDraft["backups"][number] & { serverIds: Set<string> }>();
  const ipv4ByPlan = new Map<string, WholesaleDraft["ipv4"][number]>();
  const transferByPlan = new Map<string, WholesaleDraft["transfer"][number]>();
  let energy: EnergyLine = { kwh: 0, costMinor: 0, carbonKg: 0 };
  const currencies = new Set<string>();
  for (const customer of await resellerCustomers(database, resellerId)) {
    const month = billingMonth(period, customer.time_zone ?? DEFAULT_ZONE);
    const intervals = await intervalsOf(database, "usage_intervals", customer.id, month);
    const charges = monthCharges(intervals, rates, month);
    const servers =
      charges.length === 0
        ? []
        : await db
            .selectFrom("servers")
            .innerJoin("sites", "sites.id", "servers.site_id")
            .select(["servers.id", "servers.site_id", "sites.name"])
            .where(
              "servers.id",
              "in",
              charges.map((c) => c.serverId),
            )
            .execute();
    for (const c of charges) {
      const server = servers.find((s) => s.id === c.serverId);
      const siteId = server?.site_id ?? "";
      const key = `${siteId}\u0000${c.planId}`;
      const entry = byKey.get(key) ?? {
        siteId,
        siteName: server?.name ?? siteId,
        planId: c.planId,
        planName: plans.get(c.planId)?.name ?? c.planId,
        servers: 0,
        serverHours: 0,
        amountMinor: 0,
        serverIds: new Set<string>(),
      };
      entry.serverIds.add(c.serverId);
      entry.servers = entry.serverIds.size;
      entry.serverHours += c.billedHours;
      entry.amountMinor += c.amountMinor;
      byKey.set(key, entry);
      currencies.add(plans.get(c.planId)?.currency ?? "CAD");
    }
    for (const b of backupsMonthCharges(
      await intervalsOf(database, "addon_intervals", customer.id, month),
      rates,
      month,
    )) {
      const entry = backupsByPlan.get(b.planId) ?? {
        planId: b.planId,
        planName: plans.get(b.planId)?.name ?? b.planId,
        servers: 0,
        serverHours: 0,
        amountMinor: 0,
        serverIds: new Set<string>(),
      };
      entry.serverIds.add(b.serverId);
      entry.servers = entry.serverIds.size;
      entry.serverHours += b.billedHours;
      entry.amountMinor += b.amountMinor;
      backupsByPlan.set(b.planId, entry);
      currencies.add(plans.get(b.planId)?.currency ?? "CAD");
    }
    const held = (await intervalsOf(database, "addon_intervals", customer.id, month, "ipv4")).map(
      ({ ref, ...i }) => ({ ...i, address: ref }),
    );
    for (const a of ipv4MonthCharges(held, rates, month)) {
      const entry = ipv4ByPlan.get(a.planId) ?? {
        planId: a.planId,
        planName: plans.get(a.planId)?.name ?? a.planId,
        addresses: 0,
        addressHours: 0,
        amountMinor: 0,
      };
      entry.addresses += 1;
      entry.addressHours += a.billedHours;
      entry.amountMinor += a.amountMinor;
      ipv4ByPlan.set(a.planId, entry);
      currencies.add(plans.get(a.planId)?.currency ?? "CAD");
    }
    const sent = (await transferByAccount(database, new Map([[customer.id, month]]))).get(customer.id) ?? [];
    for (const t of transferMonthCharges(sent, intervals, rates, month)) {
      if (t.overageBytes === 0) continue;
      const entry = transferByPlan.get(t.planId) ?? {
        planId: t.planId,
        planName: plans.get(t.planId)?.name ?? t.planId,
        servers: 0,
        overageBytes: 0,
        priceMinorPerGib: t.priceMinorPerGib,
        amountMinor: 0,
      };
      entry.servers += 1;
      entry.overageBytes += t.overageBytes;
      entry.amountMinor += t.amountMinor;
      transferByPlan.set(t.planId, entry);
      currencies.add(plans.get(t.planId)?.currency ?? "CAD");
    }
    const e = await energyOf(database, customer.id, month.startMs, month.endMs);
    energy = {
      kwh: energy.kwh + e.kwh,
      costMinor: energy.costMinor === null || e.costMinor === null ? null : energy.costMinor + e.costMinor,
      carbonKg: energy.carbonKg === null || e.carbonKg === null ? null : energy.carbonKg + e.carbonKg,
    };
  }
  if (currencies.size > 1)
    throw new ConflictError(
      `Reseller ${resellerId}'s customers have usage in several currencies: ${[...currencies].join(", ")}.`,
    );
  const currency = [...currencies][0] ?? "CAD";
  const usage = [...byKey.values()]
    .map(({ serverIds: _ids, ...u }) => u)
    .sort((a, b) => a.siteId.localeCompare(b.siteId) || a.planId.localeCompare(b.planId));
  const settings = await db
    .selectFrom("billing_settings")
    .select("energy_mode")
    .where("account_id", "=", providerId)
    .executeTakeFirst();
  const backups = [...backupsByPlan.values()]
    .map(({ serverIds: _ids, ...b }) => b)
    .sort((a, b) => a.planId.localeCompare(b.planId));
  const byPlanId = (a: { planId: string }, b: { planId: string }) => a.planId.localeCompare(b.planId);
  const ipv4 = [...ipv4ByPlan.values()].sort(byPlanId);
  const transfer = [...transferByPlan.values()].sort(byPlanId);
  const energyBilled = (settings?.energy_mode ?? "informational") === "billed" && energy.costMinor !== null;
  const subtotalMinor =
    usage.reduce((a, u) => a + u.amountMinor, 0) +
    backups.reduce((a, b) => a + b.amountMinor, 0) +
    ipv4.reduce((a, i) => a + i.amountMinor, 0) +
    transfer.reduce((a, t) => a + t.amountMinor, 0) +
    (energyBilled ? (energy.costMinor ?? 0) : 0);
  const profile = await db
    .selectFrom("billing_profiles")
    .select("tax_region")
    .where("account_id", "=", resellerId)
    .executeTakeFirst();
  const rateRows = profile?.tax_region
    ? await db
        .selectFrom("tax_rates")
        .selectAll()
        .where("region", "=", profile.tax_region)
        .orderBy("name")
        .execute()
    : [];
  const taxes = taxLines(
    subtotalMinor,
    rateRows.map((r) => ({ region: r.region, name: r.name, rateMicros: r.rate_micros })),
  );
  const taxMinor = taxes.reduce((a, t) => a + t.amountMinor, 0);
  return {
    resellerId,
    providerId,
    period,
    currency,
    usage,
    backups,
    ipv4,
    transfer,
    energy,
    energyBilled,
    taxes,
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
  };
}

/**
 * Issues the provider's invoice to one reseller for a period, numbered in the provider's
 * gapless sequence. Returns undefined when there is nothing to bill or it already exists.
 */
export async function issueWholesaleInvoice(
  database: Database,
  resellerId: string,
  period: string,
  now: Date,
): Promise<InvoiceRow | undefined> {
  const existing = await database.db
    .selectFrom("invoices")
    .select("id")
    .where("account_id", "=", resellerId)
    .where("period", "=", period)
    .where("kind", "=", "invoice")
    .executeTakeFirst();
  if (existing) return undefined;
  const draft = await draftWholesaleInvoice(database, resellerId, period);
  if (
    draft.usage.length === 0 &&
    draft.backups.length === 0 &&
    draft.ipv4.length === 0 &&
    draft.transfer.length === 0 &&
    draft.energy.kwh === 0
  )
    return undefined;
  try {
    return await database.db.transaction().execute(async (trx) =>
      writeInvoice(
        trx,
        {
          issuerAccountId: draft.providerId,
          accountId: resellerId,
          period,
          currency: draft.currency,
          subtotalMinor: draft.subtotalMinor,
          taxMinor: draft.taxMinor,
          totalMinor: draft.totalMinor,
          lines: [
            ...draft.usage.map((u) => ({
              kind: "usage" as const,
              description: `Plan ${u.planName} at ${u.siteName}: ${u.servers} server${u.servers === 1 ? "" : "s"}`,
              quantity: hoursText(u.serverHours),
              amount_minor: u.amountMinor,
              plan_id: u.planId,
              details: {
                site_id: u.siteId,
                servers: u.servers,
                server_hours: u.serverHours,
                wholesale: true,
              },
            })),
            ...draft.backups.map((b) => ({
              kind: "backups" as const,
              description: `Backups on plan ${b.planName}: ${b.servers} server${b.servers === 1 ? "" : "s"}`,
              quantity: hoursText(b.serverHours),
              amount_minor: b.amountMinor,
              plan_id: b.planId,
              details: { servers: b.servers, server_hours: b.serverHours, wholesale: true },
            })),
            ...draft.ipv4.map((a) => ({
              kind: "ipv4" as const,
              description: `Extra IPv4 on plan ${a.planName}: ${a.addresses} address${a.addresses === 1 ? "" : "es"}`,
              quantity: hoursText(a.addressHours),
              amount_minor: a.amountMinor,
              plan_id: a.planId,
              details: { addresses: a.addresses, address_hours: a.addressHours, wholesale: true },
            })),
            ...draft.transfer.map((t) => ({
              kind: "transfer" as const,
              description: `Transfer beyond the allowance on plan ${t.planName}: ${t.servers} server${t.servers === 1 ? "" : "s"}, ${gibText(t.overageBytes)} over at ${formatMoney({ amountMinor: t.priceMinorPerGib, currency: draft.currency })}/GiB`,
              quantity: gibText(t.overageBytes),
              amount_minor: t.amountMinor,
              plan_id: t.planId,
              details: {
                servers: t.servers,
                overage_bytes: t.overageBytes,
                price_minor_per_gib: t.priceMinorPerGib,
                wholesale: true,
              },
            })),
            energyLine(draft.energy, draft.energyBilled, draft.currency, "Energy of your customers' servers"),
            ...draft.taxes.map(taxLine),
          ],
          audit: { wholesale: true },
        },
        now,
      ),
    );
  } catch (err) {
    // A concurrent close issued it first; ours rolled back, number and all.
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

/**
 * The provider's side of a month close: one wholesale invoice to each reseller under it.
 * The period must be over for every one of the resellers' customers. Idempotent.
 */
export async function closeWholesaleMonth(
  database: Database,
  providerId: string,
  period: string,
  now: Date,
): Promise<{ issued: InvoiceRow[]; skipped: number }> {
  const resellers = await database.db
    .selectFrom("accounts")
    .select("id")
    .where("parent_id", "=", providerId)
    .where("kind", "=", "reseller")
    .orderBy("id")
    .execute();
  for (const r of resellers)
    for (const c of await resellerCustomers(database, r.id))
      if (billingMonth(period, c.time_zone ?? DEFAULT_ZONE).endMs > now.getTime())
        throw new ConflictError(
          `Period ${period} is not over yet for account ${c.id} (a customer of reseller ${r.id}); close it after it ends.`,
          { field: "period" },
        );
  const issued: InvoiceRow[] = [];
  let skipped = 0;
  for (const r of resellers) {
    const invoice = await issueWholesaleInvoice(database, r.id, period, now);
    if (invoice) issued.push(invoice);
    else skipped++;
  }
  return { issued, skipped };
}
