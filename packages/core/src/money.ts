/** An amount of money in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}

export const CURRENCY_PATTERN = /^[A-Z]{3}$/;

/**
 * The largest amount the API accepts or keeps in one figure: 10^12 minor units (ten billion in a
 * two-decimal currency). Far above any VPS bill, and far enough below 2^53 that sums of many such
 * figures stay exact in a JS number (the database layer refuses bigints above 2^53).
 */
export const MAX_MONEY_MINOR = 1_000_000_000_000;

/** Formats for people, e.g. `12.50 CAD`. Assumes a two-decimal currency. */
export function formatMoney(money: Money): string {
  const sign = money.amountMinor < 0 ? "-" : "";
  const abs = Math.abs(money.amountMinor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${money.currency}`;
}
