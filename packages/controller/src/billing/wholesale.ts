import { composeInvoice } from "@layerboom/core";
import type { Database, InvoiceRow } from "@layerboom/db";
import type { Actor } from "../base/context.js";
import { loadCustomerMonths, serverSites, sitePricingOver, spanOf } from "./customer-months.js";
import { CLOSE_BATCH, customersOf, issuerTerms, requirePeriodOver } from "./invoices.js";
import type { BilledAccount } from "./invoices.js";
import { alreadyInvoiced, invoiceToIssue, issueInvoices } from "./issue.js";

/**
 * The provider's side of a month close: one wholesale invoice to each reseller under it, numbered
 * in the provider's gapless sequence. Each of a reseller's customers' months is cut in that
 * customer's zone, as its own invoice is, and priced at the provider's plan prices, so the
 * wholesale usage equals the sum of the customers' usage at wholesale prices; tax follows the
 * reseller's own profile. The period must be over for every one of the resellers' customers.
 * Idempotent: a reseller already invoiced, or with nothing to bill, is skipped. Resellers are
 * read in batches of about CLOSE_BATCH customers: a handful of queries and one transaction per
 * batch, whatever the number of resellers, customers or servers in it.
 */
export async function closeWholesaleMonth(
  database: Database,
  providerId: string,
  period: string,
  now: Date,
  actor: Actor,
): Promise<{ issued: InvoiceRow[]; skipped: number }> {
  const { db } = database;
  const resellers = await db
    .selectFrom("accounts")
    .leftJoin("billing_profiles", "billing_profiles.account_id", "accounts.id")
    .select(["accounts.id", "billing_profiles.tax_region"])
    .where("accounts.parent_id", "=", providerId)
    .where("accounts.kind", "=", "reseller")
    .orderBy("accounts.id")
    .execute();
  const customers = await customersOf(
    db,
    resellers.map((r) => r.id),
  );
  requirePeriodOver(customers, period, now, (c) => `a customer of reseller ${c.parentId}`);
  const invoiced = await alreadyInvoiced(
    db,
    resellers.map((r) => r.id),
    period,
  );
  const pending = resellers.filter((r) => !invoiced.has(r.id));
  const issued: InvoiceRow[] = [];
  if (pending.length === 0) return { issued, skipped: resellers.length };
  const provider = await issuerTerms(db, providerId, false);
  const pricing = sitePricingOver(database, spanOf(customers, period));
  const byReseller = new Map<string, BilledAccount[]>();
  for (const c of customers) {
    const list = byReseller.get(c.parentId) ?? [];
    list.push(c);
    byReseller.set(c.parentId, list);
  }

  for (const batch of batches(pending, (r) => byReseller.get(r.id)?.length ?? 0)) {
    const months = await loadCustomerMonths(
      database,
      batch.flatMap((r) => byReseller.get(r.id) ?? []),
      period,
      pricing,
    );
    const sites = await serverSites(database, months);
    const monthOf = new Map(months.map((m) => [m.accountId, m]));
    const invoices = batch.flatMap((r) => {
      const composed = composeInvoice({
        kind: "wholesale",
        period,
        plans: provider.plans,
        billsEnergy: provider.billsEnergy,
        imageStoragePrice: provider.imageStoragePrice,
        taxRates: provider.taxRates.get(r.tax_region ?? "") ?? [],
        resellerId: r.id,
        customers: (byReseller.get(r.id) ?? []).map((c) => monthOf.get(c.id)!),
        serverSites: sites,
      });
      return composed.empty
        ? []
        : [
            invoiceToIssue(composed, {
              issuerAccountId: providerId,
              accountId: r.id,
              period,
              audit: { wholesale: true },
            }),
          ];
    });
    issued.push(...(await issueInvoices(database, providerId, period, invoices, now, actor)));
  }
  return { issued, skipped: resellers.length - issued.length };
}

/** Consecutive runs of items whose sizes add up to about CLOSE_BATCH (one item may pass it alone). */
function batches<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    if (current.length > 0 && total + size(item) > CLOSE_BATCH) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += size(item);
  }
  if (current.length > 0) out.push(current);
  return out;
}
