import { ConflictError } from "../errors.js";

/**
 * An invoice would charge in more than one currency. Each plan names its currency (a reseller's
 * retail prices are in the plan's), and billed energy is in its site's tariff's; an invoice is in
 * one. `sources` lists, per currency, what charges in it ("plan small", "energy at site_…").
 */
export class MixedCurrenciesError extends ConflictError {
  constructor(
    readonly accountId: string,
    readonly period: string,
    readonly sources: Readonly<Record<string, readonly string[]>>,
  ) {
    const listed = Object.entries(sources)
      .map(([currency, what]) => `${currency} (${what.join(", ")})`)
      .join(", ");
    super(
      `The invoice of account ${accountId} for ${period} would charge in several currencies: ${listed}. An invoice is in one currency.`,
      { account_id: accountId, period, currencies: sources },
    );
  }
}

/**
 * An invoice with something on it has no currency: none of its lines is priced in one (no server
 * time, no add-on, no priced energy) and the plans are not all in one currency. Never filled in
 * with a default: the message names what is missing.
 */
export class MissingCurrencyError extends ConflictError {
  constructor(
    readonly accountId: string,
    readonly period: string,
    readonly planCurrencies: readonly string[],
  ) {
    super(
      `The invoice of account ${accountId} for ${period} has no currency: none of its lines is priced in one, and ${
        planCurrencies.length === 0
          ? "there is no plan to take it from"
          : `the plans are in several (${planCurrencies.join(", ")})`
      }.`,
      { account_id: accountId, period, plan_currencies: planCurrencies },
    );
  }
}
