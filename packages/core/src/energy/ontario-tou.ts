import type { TouDayPlan, TouPeriod, TouSeason, TouTariff } from "./tariff.js";
import { isoDate } from "./time-zone.js";

/**
 * Ontario Energy Board Regulated Price Plan time-of-use prices effective 1 November 2024,
 * in CAD cents per MWh (7.6 ¢/kWh = 7600 ¢/MWh). Prices change every 1 November;
 * check https://www.oeb.ca/choosing-your-electricity-plan/time-use-prices and pass current ones.
 */
export const ONTARIO_TOU_PRICES_2024_11: Readonly<Record<"off-peak" | "mid-peak" | "on-peak", number>> = {
  "off-peak": 7600,
  "mid-peak": 12_200,
  "on-peak": 15_800,
};

function plan(ranges: readonly [from: number, to: number, period: "mid-peak" | "on-peak"][]): TouDayPlan {
  const hours: TouPeriod[] = Array.from({ length: 24 }, () => "off-peak");
  for (const [from, to, period] of ranges) for (let h = from; h < to; h++) hours[h] = period;
  return hours;
}

const ALL_OFF = plan([]);

/** Ontario's two seasons: the peaks swap because winter demand peaks morning and evening, summer mid-day. */
export const ONTARIO_TOU_SEASONS: readonly TouSeason[] = [
  {
    name: "summer",
    startsOn: { month: 5, day: 1 },
    weekday: plan([
      [7, 11, "mid-peak"],
      [11, 17, "on-peak"],
      [17, 19, "mid-peak"],
    ]),
    weekend: ALL_OFF,
    holiday: ALL_OFF,
  },
  {
    name: "winter",
    startsOn: { month: 11, day: 1 },
    weekday: plan([
      [7, 11, "on-peak"],
      [11, 17, "mid-peak"],
      [17, 19, "on-peak"],
    ]),
    weekend: ALL_OFF,
    holiday: ALL_OFF,
  },
];

/** Gregorian Easter Sunday (anonymous algorithm), as [month, day]. */
function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  return [month, ((h + l - 7 * m + 114) % 31) + 1];
}

const dayMs = 86_400_000;
const weekday = (t: number): number => new Date(t).getUTCDay();
const nthMonday = (year: number, month: number, n: number): number => {
  const first = Date.UTC(year, month - 1, 1);
  return first + (((8 - weekday(first)) % 7) + 7 * (n - 1)) * dayMs;
};

/**
 * Ontario's TOU holidays for a year, as local dates. The OEB treats the next weekday that is
 * not already a holiday as the holiday when one falls on a weekend (e.g. 2021: 27 and 28 Dec).
 */
export function ontarioTouHolidays(year: number): string[] {
  const [em, ed] = easter(year);
  const may24 = Date.UTC(year, 4, 24);
  const fixed = [Date.UTC(year, 0, 1), Date.UTC(year, 6, 1), Date.UTC(year, 11, 25), Date.UTC(year, 11, 26)];
  const days = new Set<number>([
    nthMonday(year, 2, 3),
    Date.UTC(year, em - 1, ed) - 2 * dayMs,
    may24 - ((weekday(may24) + 6) % 7) * dayMs,
    nthMonday(year, 8, 1),
    nthMonday(year, 9, 1),
    nthMonday(year, 10, 2),
  ]);
  for (const d of fixed) {
    let t = d;
    while (weekday(t) === 0 || weekday(t) === 6 || days.has(t)) t += dayMs;
    days.add(t);
  }
  return [...days]
    .sort((a, b) => a - b)
    .map((t) => {
      const d = new Date(t);
      return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
    });
}

/** Options for ontarioTouTariff. */
export interface OntarioTouOptions {
  /** Years to list holidays for (inclusive). */
  readonly fromYear: number;
  readonly toYear: number;
  readonly pricesPerMwhMinor?: Readonly<Record<"off-peak" | "mid-peak" | "on-peak", number>>;
}

/** The Ontario RPP time-of-use tariff as data; compile it with zone "America/Toronto". */
export function ontarioTouTariff(options: OntarioTouOptions): TouTariff {
  const holidays: string[] = [];
  for (let y = options.fromYear; y <= options.toYear; y++) holidays.push(...ontarioTouHolidays(y));
  return {
    kind: "tou",
    name: "Ontario RPP time-of-use",
    currency: "CAD",
    pricesPerMwhMinor: options.pricesPerMwhMinor ?? ONTARIO_TOU_PRICES_2024_11,
    seasons: ONTARIO_TOU_SEASONS,
    holidays,
    source: "Ontario Energy Board, RPP time-of-use periods and prices effective 2024-11-01",
  };
}
