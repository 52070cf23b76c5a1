import { HOUR_MS } from "../energy/hourly-series.js";
import type { PlanPrice } from "./offer-pricing.js";

/** How a plan counts time (docs/billing.md): `up` every started hour of the month, `none` to the millisecond. */
export type HourRounding = "up" | "none";

/** The time billed for `usedMs` of a month's existence: whole started hours, or the time itself. */
export function billedMsOf(usedMs: number, rounding: HourRounding): number {
  if (!Number.isSafeInteger(usedMs) || usedMs < 0)
    throw new RangeError(`usedMs must be a whole number ≥ 0, got ${usedMs}`);
  return rounding === "up" ? Math.ceil(usedMs / HOUR_MS) * HOUR_MS : usedMs;
}

/**
 * What `billedMs` of a month cost at a price: billedMs × hourly / one hour, rounded half up to the
 * minor unit (exact in bigints), and never more than the monthly cap.
 */
export function monthAmountFor(billedMs: number, price: PlanPrice): number {
  if (!Number.isSafeInteger(billedMs) || billedMs < 0)
    throw new RangeError(`billedMs must be a whole number ≥ 0, got ${billedMs}`);
  const scaled = BigInt(billedMs) * BigInt(price.hourlyMinor);
  const hour = BigInt(HOUR_MS);
  const rounded = (scaled * 2n + hour) / (hour * 2n);
  return Number(rounded < BigInt(price.monthlyCapMinor) ? rounded : BigInt(price.monthlyCapMinor));
}

/** One closed hour of a server's month, as a usage record carries it. */
export interface HourCharge {
  /** The time this hour adds to what is billed (0 when a started hour already counted it). */
  billedMs: number;
  /** What is billed for the month through the end of this hour. */
  billedMsThrough: number;
  /** What this hour adds to the month's amount under the cap: 0 once the cap is reached. */
  amountMinor: number;
}

/**
 * What one hour adds to a server's month (docs/federation.md, "Usage and settlement"): the month's
 * amount through the end of the hour minus the amount through its start, each computed as B bills
 * a month (time rounded as the plan says, priced, capped). The hours of a month therefore add up
 * exactly to the month's amount, which never passes the cap, whatever the rounding.
 */
export function hourCharge(
  usedMsBefore: number,
  usedMsInHour: number,
  price: PlanPrice,
  rounding: HourRounding,
): HourCharge {
  const before = billedMsOf(usedMsBefore, rounding);
  const through = billedMsOf(usedMsBefore + usedMsInHour, rounding);
  return {
    billedMs: through - before,
    billedMsThrough: through,
    amountMinor: monthAmountFor(through, price) - monthAmountFor(before, price),
  };
}
