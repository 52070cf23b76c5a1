import { ForbiddenError, requireAdmin } from "@layerboom/core";
import type { ServiceContext } from "../base/context.js";

/** Invoiced and settled money of one group, in one currency. */
export interface RevenueRow {
  key: string;
  name: string;
  currency: string;
  invoiced_minor: number;
  /** Of the invoiced amount, what is settled (paid or covered by credit). */
  paid_minor: number;
}

/** One reseller's month in one currency (a reseller with invoices in two has two rows). */
export interface ResellerRevenueRow {
  account_id: string;
  name: string;
  currency: string;
  /** The provider's invoice to the reseller (total with tax). */
  wholesale_invoiced_minor: number;
  wholesale_paid_minor: number;
  /** The reseller's invoices to its own customers (total with tax). */
  retail_invoiced_minor: number;
  retail_paid_minor: number;
}

export interface RevenueReport {
  period: string;
  account_id: string;
  totals: {
    invoices: number;
    invoiced_minor: number;
    tax_minor: number;
    paid_minor: number;
    currency: string;
  }[];
  /** Usage lines (before tax and discounts) by site; a wholesale line names its site in its details. */
  by_site: RevenueRow[];
  by_plan: RevenueRow[];
  by_reseller: ResellerRevenueRow[];
  /** For a reseller: its own invoice from the provider for the period, if issued. */
  wholesale: {
    invoice_id: string;
    number: string;
    currency: string;
    total_minor: number;
    paid_minor: number;
  } | null;
}

function add(
  map: Map<string, RevenueRow>,
  key: string,
  name: string,
  currency: string,
  invoiced: number,
  paid: number,
) {
  const id = `${key}\u0000${currency}`;
  const row = map.get(id) ?? { key, name, currency, invoiced_minor: 0, paid_minor: 0 };
  row.invoiced_minor += invoiced;
  row.paid_minor += paid;
  map.set(id, row);
}

const sorted = (map: Map<string, RevenueRow>) =>
  [...map.values()].sort((a, b) => a.key.localeCompare(b.key) || a.currency.localeCompare(b.currency));

/**
 * The money of a closed period as issued invoices show it. The provider sees its invoices (its
 * direct customers' and the resellers' wholesale ones) by site, plan and reseller; a reseller
 * sees its invoices to its own customers by plan, and the wholesale invoice it received.
 */
export async function revenueReport(ctx: ServiceContext, period: string): Promise<RevenueReport> {
  requireAdmin(ctx.principal, "read revenue");
  if (ctx.principal.accountKind === "customer")
    throw new ForbiddenError("Revenue reports are for the provider and resellers.");
  const { db } = ctx.database;
  const me = ctx.principal.accountId;
  const isProvider = ctx.principal.accountKind === "provider";
  const invoices = await db
    .selectFrom("invoices")
    .selectAll()
    .where("issuer_account_id", "=", me)
    .where("kind", "=", "invoice")
    .where("period", "=", period)
    .execute();
  const settled = (i: { total_minor: number; amount_due_minor: number }) =>
    Number(i.total_minor) - Number(i.amount_due_minor);
  const totals = new Map<string, RevenueReport["totals"][number]>();
  for (const i of invoices) {
    const t = totals.get(i.currency) ?? {
      invoices: 0,
      invoiced_minor: 0,
      tax_minor: 0,
      paid_minor: 0,
      currency: i.currency,
    };
    t.invoices++;
    t.invoiced_minor += Number(i.total_minor);
    t.tax_minor += Number(i.tax_minor);
    t.paid_minor += settled(i);
    totals.set(i.currency, t);
  }
  const lines =
    invoices.length === 0
      ? []
      : await db
          .selectFrom("invoice_lines")
          .innerJoin("invoices", "invoices.id", "invoice_lines.invoice_id")
          .leftJoin("servers", "servers.id", "invoice_lines.server_id")
          .select([
            "invoice_lines.amount_minor",
            "invoice_lines.plan_id",
            "invoice_lines.details",
            "servers.site_id",
            "invoices.status",
            "invoices.currency",
          ])
          .where(
            "invoice_lines.invoice_id",
            "in",
            invoices.map((i) => i.id),
          )
          // What servers earned: their hours and their add-ons (before discounts and tax).
          .where("invoice_lines.kind", "in", ["usage", "backups", "ipv4", "transfer"])
          .execute();
  const [sites, plans] = await Promise.all([
    db.selectFrom("sites").select(["id", "name"]).execute(),
    db.selectFrom("plans").select(["id", "name"]).execute(),
  ]);
  const bySite = new Map<string, RevenueRow>();
  const byPlan = new Map<string, RevenueRow>();
  for (const l of lines) {
    const amount = Number(l.amount_minor);
    const paid = l.status === "paid" ? amount : 0;
    const planId = l.plan_id ?? "";
    add(byPlan, planId, plans.find((p) => p.id === planId)?.name ?? planId, l.currency, amount, paid);
    if (isProvider) {
      const detailSite = (l.details as { site_id?: unknown }).site_id;
      const siteId = l.site_id ?? (typeof detailSite === "string" ? detailSite : "");
      add(bySite, siteId, sites.find((s) => s.id === siteId)?.name ?? siteId, l.currency, amount, paid);
    }
  }
  const byReseller: ResellerRevenueRow[] = [];
  if (isProvider) {
    const resellers = await db
      .selectFrom("accounts")
      .select(["id", "name"])
      .where("parent_id", "=", me)
      .where("kind", "=", "reseller")
      .orderBy("id")
      .execute();
    const retail =
      resellers.length === 0
        ? []
        : await db
            .selectFrom("invoices")
            .select(["issuer_account_id", "currency", "total_minor", "amount_due_minor"])
            .where(
              "issuer_account_id",
              "in",
              resellers.map((r) => r.id),
            )
            .where("kind", "=", "invoice")
            .where("period", "=", period)
            .execute();
    const sum = (list: { total_minor: number }[]) => list.reduce((a, i) => a + Number(i.total_minor), 0);
    const paid = (list: { total_minor: number; amount_due_minor: number }[]) =>
      list.reduce((a, i) => a + settled(i), 0);
    for (const r of resellers) {
      const wholesale = invoices.filter((i) => i.account_id === r.id);
      const own = retail.filter((i) => i.issuer_account_id === r.id);
      // One row per currency the reseller's invoices are in (none: no row), never added across.
      const currencies = [...new Set([...wholesale, ...own].map((i) => i.currency))].sort();
      for (const currency of currencies) {
        const inIt = <T extends { currency: string }>(list: T[]) =>
          list.filter((i) => i.currency === currency);
        byReseller.push({
          account_id: r.id,
          name: r.name,
          currency,
          wholesale_invoiced_minor: sum(inIt(wholesale)),
          wholesale_paid_minor: paid(inIt(wholesale)),
          retail_invoiced_minor: sum(inIt(own)),
          retail_paid_minor: paid(inIt(own)),
        });
      }
    }
  }
  const received = isProvider
    ? undefined
    : await db
        .selectFrom("invoices")
        .selectAll()
        .where("account_id", "=", me)
        .where("kind", "=", "invoice")
        .where("period", "=", period)
        .executeTakeFirst();
  return {
    period,
    account_id: me,
    totals: [...totals.values()],
    by_site: sorted(bySite),
    by_plan: sorted(byPlan),
    by_reseller: byReseller,
    wholesale: received
      ? {
          invoice_id: received.id,
          number: received.number,
          currency: received.currency,
          total_minor: Number(received.total_minor),
          paid_minor: settled(received),
        }
      : null,
  };
}
