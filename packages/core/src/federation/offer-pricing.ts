import { InvalidInputError } from "../errors.js";
import { MAX_MONEY_MINOR } from "../money.js";

/** A plan's price: per hour, and at most per month, in integer minor units. */
export interface PlanPrice {
  hourlyMinor: number;
  monthlyCapMinor: number;
}

/**
 * What the receiving provider adds to a partner's wholesale price (docs/federation.md, "The money
 * model"): a percentage in basis points (2500 = 25 %), rounded up to the minor unit, or a fixed
 * amount per hour and per month, in the offer's own currency.
 */
export type Markup =
  | { kind: "percent"; basisPoints: number }
  | { kind: "fixed"; hourlyMinor: number; monthlyCapMinor: number; currency: string };

/** The most a percentage markup may be: 10,000 % (a price times 101), in basis points. */
export const MAX_MARKUP_BASIS_POINTS = 1_000_000;

/** A markup set for one plan (planId) or for the whole offer (planId null). */
export interface ScopedMarkup {
  planId: string | null;
  markup: Markup;
}

/** The markup that applies to a plan: its own when it has one, else the offer's, else none. */
export function markupForPlan(planId: string, markups: readonly ScopedMarkup[]): Markup | null {
  return (
    markups.find((m) => m.planId === planId)?.markup ?? markups.find((m) => m.planId === null)?.markup ?? null
  );
}

/** `amount` × basis points / 10,000, rounded up: exact in bigints, however large the amount. */
function percentOf(amountMinor: number, basisPoints: number): number {
  const product = BigInt(amountMinor) * BigInt(basisPoints);
  const share = (product + 9_999n) / 10_000n;
  return Number(share);
}

function checkAmount(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_MONEY_MINOR)
    throw new InvalidInputError(
      field,
      `${field} is a whole number of minor units (cents) from 0 to ${MAX_MONEY_MINOR}; got ${value}.`,
    );
}

/** Refuses a markup that is not whole minor units or basis points, or a fixed one whose cap is below its hour. */
export function checkMarkup(markup: Markup): void {
  if (markup.kind === "percent") {
    if (
      !Number.isSafeInteger(markup.basisPoints) ||
      markup.basisPoints < 0 ||
      markup.basisPoints > MAX_MARKUP_BASIS_POINTS
    )
      throw new InvalidInputError(
        "basis_points",
        `A percentage markup is whole basis points from 0 to ${MAX_MARKUP_BASIS_POINTS} (2500 = 25 %); got ${markup.basisPoints}.`,
      );
    return;
  }
  checkAmount("hourly_minor", markup.hourlyMinor);
  checkAmount("monthly_cap_minor", markup.monthlyCapMinor);
  if (markup.monthlyCapMinor < markup.hourlyMinor)
    throw new InvalidInputError(
      "monthly_cap_minor",
      `The monthly markup (${markup.monthlyCapMinor}) cannot be lower than the hourly one (${markup.hourlyMinor}).`,
    );
}

/**
 * The retail price of a partner's plan: its wholesale price plus the markup, in the offer's
 * currency (no conversion: a fixed markup in another currency is refused). Exact integers
 * throughout; a percentage share is rounded up, so a price is never sold below its markup.
 * Because both parts only grow with the wholesale figure, a cap at or above the hour stays so.
 */
export function retailPrice(wholesale: PlanPrice & { currency: string }, markup: Markup | null): PlanPrice {
  checkAmount("wholesale_hourly_minor", wholesale.hourlyMinor);
  checkAmount("wholesale_monthly_cap_minor", wholesale.monthlyCapMinor);
  let price: PlanPrice;
  if (markup === null)
    price = { hourlyMinor: wholesale.hourlyMinor, monthlyCapMinor: wholesale.monthlyCapMinor };
  else if (markup.kind === "percent") {
    checkMarkup(markup);
    price = {
      hourlyMinor: wholesale.hourlyMinor + percentOf(wholesale.hourlyMinor, markup.basisPoints),
      monthlyCapMinor: wholesale.monthlyCapMinor + percentOf(wholesale.monthlyCapMinor, markup.basisPoints),
    };
  } else {
    checkMarkup(markup);
    if (markup.currency !== wholesale.currency)
      throw new InvalidInputError(
        "currency",
        `The fixed markup is in ${markup.currency} but the offer is in ${wholesale.currency}: set it again in ${wholesale.currency}.`,
      );
    price = {
      hourlyMinor: wholesale.hourlyMinor + markup.hourlyMinor,
      monthlyCapMinor: wholesale.monthlyCapMinor + markup.monthlyCapMinor,
    };
  }
  checkAmount("retail_hourly_minor", price.hourlyMinor);
  checkAmount("retail_monthly_cap_minor", price.monthlyCapMinor);
  return price;
}
