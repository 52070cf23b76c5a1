import { CURRENCY_PATTERN } from "../money.js";
import { InvalidTariffError, MissingSeriesDataError } from "./errors.js";
import { hourlyLookup } from "./hourly-series.js";
import { assertTimeZone, isoDate, localTimeAt } from "./time-zone.js";

/** ISO 4217 code, e.g. "CAD". */
export type CurrencyCode = string;

/** One hour of a price series, starting at a UTC instant; price per MWh in integer minor units (may be negative). */
export interface HourlyPricePoint {
  readonly startMs: number;
  readonly pricePerMwhMinor: number;
}

/** A market-style tariff: one price per hour. */
export interface HourlyTariff {
  readonly kind: "hourly";
  readonly currency: CurrencyCode;
  readonly points: readonly HourlyPricePoint[];
}

export type TouPeriod = "off-peak" | "mid-peak" | "on-peak";

/** 24 periods, indexed by the local hour the period starts at (0 = 00:00–01:00). */
export type TouDayPlan = readonly TouPeriod[];

/** A season runs from `startsOn` (local month/day, inclusive) until the next season starts. */
export interface TouSeason {
  readonly name: string;
  readonly startsOn: { readonly month: number; readonly day: number };
  readonly weekday: TouDayPlan;
  readonly weekend: TouDayPlan;
  readonly holiday: TouDayPlan;
}

/** A time-of-use tariff: the price depends on local season, day type and hour. */
export interface TouTariff {
  readonly kind: "tou";
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly pricesPerMwhMinor: Readonly<Record<TouPeriod, number>>;
  readonly seasons: readonly TouSeason[];
  /** Local dates (YYYY-MM-DD) priced with the holiday plan. */
  readonly holidays: readonly string[];
  /** Where the numbers come from, for the audit trail. */
  readonly source?: string;
}

export type Tariff = HourlyTariff | TouTariff;

/** A validated tariff bound to a site's zone, ready for pricing. */
export interface CompiledTariff {
  readonly currency: CurrencyCode;
  /** Price per MWh in minor units in force at `ms`; throws MissingSeriesDataError outside the series. */
  pricePerMwhMinorAt(ms: number): number;
}

/** Options for compileTariff. */
export interface CompileTariffOptions {
  /** The site's IANA zone; TOU periods are read on its wall clock. */
  readonly zone: string;
}

/** Validates a tariff once (currency, zone, shape) and returns a fast lookup. */
export function compileTariff(tariff: Tariff, options: CompileTariffOptions): CompiledTariff {
  assertTimeZone(options.zone);
  assertCurrency(tariff.currency);
  if (tariff.kind === "hourly") {
    for (const p of tariff.points) assertMinorInteger(p.pricePerMwhMinor, `price at ${p.startMs}`);
    const lookup = hourlyLookup(
      tariff.points.map((p) => ({ startMs: p.startMs, value: p.pricePerMwhMinor })),
      "price",
    );
    return {
      currency: tariff.currency,
      pricePerMwhMinorAt(ms) {
        const v = lookup.at(ms);
        if (v === undefined) throw new MissingSeriesDataError("price", ms);
        return v;
      },
    };
  }
  return compileTou(tariff, options.zone);
}

function compileTou(tariff: TouTariff, zone: string): CompiledTariff {
  for (const [period, price] of Object.entries(tariff.pricesPerMwhMinor)) assertMinorInteger(price, period);
  if (tariff.seasons.length === 0) throw new InvalidTariffError("a TOU tariff needs at least one season");
  for (const s of tariff.seasons) {
    for (const plan of [s.weekday, s.weekend, s.holiday]) {
      if (plan.length !== 24) throw new InvalidTariffError(`season ${s.name}: a day plan needs 24 hours`);
      for (const p of plan) {
        if (!(p in tariff.pricesPerMwhMinor))
          throw new InvalidTariffError(`season ${s.name}: no price for ${p}`);
      }
    }
  }
  const seasons = [...tariff.seasons].sort(
    (a, b) => a.startsOn.month * 100 + a.startsOn.day - (b.startsOn.month * 100 + b.startsOn.day),
  );
  const holidays = new Set(tariff.holidays);
  return {
    currency: tariff.currency,
    pricePerMwhMinorAt(ms) {
      const t = localTimeAt(ms, zone);
      const key = t.month * 100 + t.day;
      // Before the first season's start in the year, the last season (wrapping over New Year) holds.
      let season = seasons[seasons.length - 1]!;
      for (const s of seasons) if (s.startsOn.month * 100 + s.startsOn.day <= key) season = s;
      const plan = holidays.has(isoDate(t.year, t.month, t.day))
        ? season.holiday
        : t.weekday === 0 || t.weekday === 6
          ? season.weekend
          : season.weekday;
      return tariff.pricesPerMwhMinor[plan[t.hour]!];
    },
  };
}

/** Throws unless `code` looks like an ISO 4217 currency code. */
export function assertCurrency(code: string): void {
  if (!CURRENCY_PATTERN.test(code))
    throw new InvalidTariffError(`currency must be an ISO 4217 code, got ${JSON.stringify(code)}`);
}

function assertMinorInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value))
    throw new InvalidTariffError(`${what}: price must be an integer in minor units`);
}
