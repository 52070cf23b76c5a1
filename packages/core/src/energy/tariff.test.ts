import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCarbon } from "./carbon.js";
import {
  InvalidBucketError,
  InvalidTariffError,
  MissingSeriesDataError,
  UnknownTimeZoneError,
} from "./errors.js";
import { ontarioTouHolidays, ontarioTouTariff } from "./ontario-tou.js";
import { carbonOfBucket, priceBucket, toMoney } from "./pricing.js";
import { compileTariff } from "./tariff.js";

const H = 3_600_000;
const KWH_UJ = 3_600_000_000_000;
const toronto = { zone: "America/Toronto" };
const ontario = compileTariff(ontarioTouTariff({ fromYear: 2020, toYear: 2030 }), toronto);
/** Local Toronto wall time → UTC, valid away from DST switch hours. */
const eastern = (y: number, m: number, d: number, h: number, edt: boolean): number =>
  Date.UTC(y, m - 1, d, h + (edt ? 4 : 5));

describe("Ontario TOU", () => {
  it("prices winter and summer weekdays, weekends and holidays", () => {
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 1, 9, 8, false))).toBe(15_800); // winter morning on-peak
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 1, 9, 12, false))).toBe(12_200);
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 1, 9, 19, false))).toBe(7600);
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 7, 9, 8, true))).toBe(12_200); // summer morning mid-peak
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 7, 9, 12, true))).toBe(15_800);
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 7, 13, 12, true))).toBe(7600); // Saturday
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 7, 1, 12, true))).toBe(7600); // Canada Day
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 4, 30, 8, true))).toBe(15_800); // last winter day
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 5, 1, 8, true))).toBe(12_200);
  });

  it("follows the local clock across DST: 07:00 is peak on both sides of the switch", () => {
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 3, 8, 7, false))).toBe(15_800);
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 3, 11, 7, true))).toBe(15_800);
    expect(ontario.pricePerMwhMinorAt(eastern(2024, 3, 11, 6, true))).toBe(7600);
  });

  it("property: the period follows the Toronto wall clock at any instant, DST switches included", () => {
    const fmt = new Intl.DateTimeFormat("en-GB", {
      timeZone: "America/Toronto",
      hour: "numeric",
      hourCycle: "h23",
      weekday: "short",
      month: "numeric",
      day: "numeric",
      year: "numeric",
    });
    const switches = [
      Date.UTC(2024, 2, 10, 7),
      Date.UTC(2024, 10, 3, 6),
      Date.UTC(2026, 2, 8, 7),
      Date.UTC(2026, 10, 1, 6),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...switches),
        fc.integer({ min: -36 * H, max: 36 * H }),
        (pivot, offset) => {
          const t = pivot + offset;
          const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
          const hour = Number(parts.hour);
          const month = Number(parts.month);
          const weekend = parts.weekday === "Sat" || parts.weekday === "Sun";
          const date = `${parts.year}-${parts.month!.padStart(2, "0")}-${parts.day!.padStart(2, "0")}`;
          const summer = month >= 5 && month <= 10;
          const expected =
            weekend || ontarioTouHolidays(Number(parts.year)).includes(date) || hour < 7 || hour >= 19
              ? 7600
              : (hour >= 11 && hour < 17) === summer
                ? 15_800
                : 12_200;
          expect(ontario.pricePerMwhMinorAt(t)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("lists holidays, moving weekend ones to the next free weekday", () => {
    expect(ontarioTouHolidays(2024)).toEqual([
      "2024-01-01",
      "2024-02-19",
      "2024-03-29",
      "2024-05-20",
      "2024-07-01",
      "2024-08-05",
      "2024-09-02",
      "2024-10-14",
      "2024-12-25",
      "2024-12-26",
    ]);
    expect(ontarioTouHolidays(2021)).toContain("2021-12-27");
    expect(ontarioTouHolidays(2021)).toContain("2021-12-28");
    expect(ontarioTouHolidays(2022)).toContain("2022-01-03");
  });

  it("rejects an unknown site zone and a bad currency", () => {
    expect(() =>
      compileTariff(ontarioTouTariff({ fromYear: 2024, toYear: 2024 }), { zone: "Nowhere/Else" }),
    ).toThrow(UnknownTimeZoneError);
    expect(() => compileTariff({ kind: "hourly", currency: "cad", points: [] }, toronto)).toThrow(
      InvalidTariffError,
    );
  });
});

describe("priceBucket", () => {
  it("prices 1 kWh in one TOU hour exactly, in micro-cents", () => {
    const cost = priceBucket(
      { start: new Date(eastern(2024, 1, 9, 20, false)), durationMs: H, energyUj: KWH_UJ },
      ontario,
    );
    expect(cost).toEqual({ currency: "CAD", microMinor: 7_600_000 });
    expect(toMoney("CAD", cost.microMinor)).toEqual({ amountMinor: 8, currency: "CAD" });
  });

  it("splits a bucket that crosses a period boundary by time", () => {
    const cost = priceBucket(
      { start: new Date(eastern(2024, 1, 9, 6, false) + H / 2), durationMs: H, energyUj: 2 * KWH_UJ },
      ontario,
    );
    expect(cost.microMinor).toBe(7_600_000 + 15_800_000);
  });

  it("handles negative hourly prices and gaps", () => {
    const t0 = Date.UTC(2024, 4, 5, 3);
    const tariff = compileTariff(
      { kind: "hourly", currency: "CAD", points: [{ startMs: t0, pricePerMwhMinor: -1234 }] },
      toronto,
    );
    expect(priceBucket({ start: new Date(t0), durationMs: H, energyUj: 3 * KWH_UJ }, tariff).microMinor).toBe(
      -3_702_000,
    );
    expect(() => priceBucket({ start: new Date(t0 + H / 2), durationMs: H, energyUj: 1 }, tariff)).toThrow(
      MissingSeriesDataError,
    );
    expect(() => priceBucket({ start: new Date(t0), durationMs: 0, energyUj: 1 }, tariff)).toThrow(
      InvalidBucketError,
    );
  });

  it("rounds half to even, once", () => {
    expect(toMoney("CAD", 2_500_000).amountMinor).toBe(2);
    expect(toMoney("CAD", 3_500_000).amountMinor).toBe(4);
    expect(toMoney("CAD", -2_500_000).amountMinor).toBe(-2);
    expect(toMoney("CAD", -2_500_001).amountMinor).toBe(-3);
  });

  it("is additive up to one rounding step per piece, with negative prices", () => {
    fc.assert(
      fc.property(
        fc.constantFrom([2024, 3, 10], [2024, 11, 3], [2024, 6, 12]),
        fc.array(fc.integer({ min: -100_000, max: 300_000 }), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 1, max: 50_000_000_000 }),
        fc.constantFrom(1, 2, 3, 5, 8, 10, 16, 24, 96, 150),
        ([y, m, d], prices, perPieceUj, pieces) => {
          const start = Date.UTC(y, m - 1, d, 0);
          const points = prices.map((p, i) => ({ startMs: start + i * H, pricePerMwhMinor: p }));
          const tariff = compileTariff({ kind: "hourly", currency: "CAD", points }, toronto);
          const pieceMs = (24 * H) / pieces;
          const whole = priceBucket(
            { start: new Date(start), durationMs: 24 * H, energyUj: perPieceUj * pieces },
            tariff,
          );
          let sum = 0;
          for (let i = 0; i < pieces; i++) {
            sum += priceBucket(
              { start: new Date(start + i * pieceMs), durationMs: pieceMs, energyUj: perPieceUj },
              tariff,
            ).microMinor;
          }
          expect(Math.abs(sum - whole.microMinor)).toBeLessThanOrEqual(pieces);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("carbon", () => {
  it("computes mg CO2e from an annual figure and an hourly series with a default", () => {
    const annual = compileCarbon({ kind: "annual", gPerKwh: 30 });
    expect(carbonOfBucket({ start: new Date(0), durationMs: H, energyUj: KWH_UJ }, annual)).toEqual({
      carbonMg: 30_000,
    });
    const t0 = Date.UTC(2024, 0, 1);
    const hourly = compileCarbon({
      kind: "hourly",
      points: [{ startMs: t0, gPerKwh: 100.5 }],
      annualDefaultGPerKwh: 20,
    });
    expect(
      carbonOfBucket({ start: new Date(t0 + H / 2), durationMs: H, energyUj: 2 * KWH_UJ }, hourly).carbonMg,
    ).toBe(100_500 + 20_000);
    const strict = compileCarbon({ kind: "hourly", points: [{ startMs: t0, gPerKwh: 1 }] });
    expect(() => strict.mgPerKwhAt(t0 + H)).toThrow(MissingSeriesDataError);
    expect(() => compileCarbon({ kind: "annual", gPerKwh: -1 })).toThrow(InvalidTariffError);
  });
});
