import { addMonths, billingMonth, monthCharges, periodAt } from "./usage.js";
import type { BillingMonth, PlanRate, ServerMonthCharge, UsageInterval } from "./usage.js";

/** What a discount code gives. Percentages are in basis points (5000 = 50%). */
export interface DiscountTerms {
  kind: "percent" | "amount";
  /** Basis points for `percent`; minor units per month for `amount`. */
  value: number;
  scope: "first-server" | "all-servers" | "plans";
  /** For scope `plans`. */
  planIds?: readonly string[];
  /** Billing months it applies to, starting with the month of redemption. */
  durationMonths: number;
}

/** A code redeemed by a customer. `firstServerId` is set for first-server codes once that server exists. */
export interface DiscountRedemption {
  code: string;
  terms: DiscountTerms;
  redeemedAtMs: number;
  firstServerId?: string | null;
}

/** One discount line of an invoice (a negative amount). */
export interface DiscountLine {
  code: string;
  serverId: string | null;
  description: string;
  amountMinor: number;
}

/** The months a redemption covers: the month it was redeemed in and the `durationMonths − 1` after it. */
export function discountCovers(redemption: DiscountRedemption, period: string, zone: string): boolean {
  const first = periodAt(redemption.redeemedAtMs, zone);
  const last = addMonths(first, redemption.terms.durationMonths - 1);
  return period >= first && period <= last;
}

/**
 * The discount lines for one month's charges. A first-server code covers only the server it
 * is bound to; a plans code only those plans. A fixed amount is spread over the covered
 * charges in order and never makes a charge negative.
 */
export function discountLines(
  redemption: DiscountRedemption,
  charges: readonly ServerMonthCharge[],
  period: string,
  zone: string,
): DiscountLine[] {
  if (!discountCovers(redemption, period, zone)) return [];
  const { terms } = redemption;
  const covered = charges.filter((c) => {
    if (terms.scope === "first-server") return c.serverId === redemption.firstServerId;
    if (terms.scope === "plans") return (terms.planIds ?? []).includes(c.planId);
    return true;
  });
  const lines: DiscountLine[] = [];
  let budget = terms.kind === "amount" ? terms.value : Infinity;
  for (const c of covered) {
    const off =
      terms.kind === "percent"
        ? Math.round((c.amountMinor * terms.value) / 10_000)
        : Math.min(budget, c.amountMinor);
    if (terms.kind === "amount") budget -= off;
    if (off <= 0) continue;
    lines.push({
      code: redemption.code,
      serverId: c.serverId,
      description:
        terms.kind === "percent"
          ? `${redemption.code}: ${terms.value / 100}% off ${terms.scope === "first-server" ? "your first server" : "this server"}`
          : `${redemption.code}: amount off`,
      amountMinor: -off,
    });
  }
  return lines;
}

/** Convenience for tests and the benchmark's recomputation: one month, charges and discounts. */
export function monthWithDiscounts(
  intervals: readonly UsageInterval[],
  plans: ReadonlyMap<string, PlanRate>,
  period: string,
  zone: string,
  redemptions: readonly DiscountRedemption[] = [],
): { month: BillingMonth; charges: ServerMonthCharge[]; discounts: DiscountLine[] } {
  const month = billingMonth(period, zone);
  const charges = monthCharges(intervals, plans, month);
  return { month, charges, discounts: redemptions.flatMap((r) => discountLines(r, charges, period, zone)) };
}
