import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PriceCsvError, UnknownTimeZoneError } from "./errors.js";
import { parseIesoPriceCsv } from "./ieso-csv.js";
import { compileTariff } from "./tariff.js";

const H = 3_600_000;

function day(date: string, hours: number, price = (h: number) => `${h}.50`): string[] {
  return Array.from({ length: hours }, (_, i) => `${date},${i + 1},${price(i + 1)}`);
}

function csv(lines: string[]): string {
  return lines.join("\n");
}

function errorOf(fn: () => unknown): PriceCsvError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PriceCsvError) return err;
    throw err;
  }
  throw new Error("expected a PriceCsvError");
}

describe("parseIesoPriceCsv", () => {
  it("reads an IESO file with its comment and header lines, in fixed EST", () => {
    const text = csv([
      "\\\\Hourly Ontario Energy Price (HOEP) Report",
      "\\\\Created at 2024-03-11 00:00:00",
      "Date,Hour,HOEP,Hour 1 Predispatch",
      ...day("2024-03-10", 24, (h) => (h === 3 ? "-2.3" : "45.67")),
    ]);
    const tariff = parseIesoPriceCsv(text, { zone: "Etc/GMT+5" });
    expect(tariff.points).toHaveLength(24);
    expect(tariff.points[0]).toEqual({ startMs: Date.UTC(2024, 2, 10, 5), pricePerMwhMinor: 4567 });
    expect(tariff.points[2]).toEqual({ startMs: Date.UTC(2024, 2, 10, 7), pricePerMwhMinor: -230 });
  });

  it("numbers the spring-forward day 1–23 in a DST zone", () => {
    const t = parseIesoPriceCsv(csv(day("2024-03-10", 23)), { zone: "America/Toronto" });
    expect(t.points.map((p) => p.startMs)).toEqual(
      Array.from({ length: 23 }, (_, i) => Date.UTC(2024, 2, 10, 5) + i * H),
    );
    // Hour ending 3 is 03:00–04:00 EDT: 02:00 never happened.
    expect(t.points[2]!.startMs).toBe(Date.UTC(2024, 2, 10, 7));
    const err = errorOf(() => parseIesoPriceCsv(csv(day("2024-03-10", 24)), { zone: "America/Toronto" }));
    expect(err.line).toBe(24);
    expect(err.message).toMatch(/23-hour day/);
  });

  it("numbers the fall-back day 1–25, the repeated 01:00 hour being hour ending 3", () => {
    const t = parseIesoPriceCsv(csv(day("2024-11-03", 25)), { zone: "America/Toronto" });
    expect(t.points).toHaveLength(25);
    expect(t.points[1]!.startMs).toBe(Date.UTC(2024, 10, 3, 5)); // 01:00 EDT
    expect(t.points[2]!.startMs).toBe(Date.UTC(2024, 10, 3, 6)); // 01:00 EST
    const repeatedTwo = [
      ...day("2024-11-03", 24).slice(0, 2),
      "2024-11-03,2,9.99",
      ...day("2024-11-03", 24).slice(2),
    ];
    const err = errorOf(() => parseIesoPriceCsv(csv(repeatedTwo), { zone: "America/Toronto" }));
    expect(err.line).toBe(3);
    expect(err.message).toMatch(/duplicate hour ending 2 .*first on line 2.*1–25/);
    expect(
      errorOf(() => parseIesoPriceCsv(csv(day("2024-11-03", 24)), { zone: "America/Toronto" })).message,
    ).toMatch(/missing hour\(s\) ending 25/);
  });

  it("rejects bad lines, naming them, and imports nothing", () => {
    const good = day("2024-06-01", 24);
    const cases: [string[], number, RegExp][] = [
      [[...good.slice(0, 5), ...good.slice(6)], 1, /missing hour\(s\) ending 6/],
      [[...good, "2024-02-30,1,3"], 25, /bad date/],
      [[...good, "2024-6-2,1,3"], 25, /bad date/],
      [
        ["Date,Hour,Price", ...good.slice(0, 3), "2024-06-01,4,n/a", ...good.slice(4)],
        5,
        /"n\/a" is not a number/,
      ],
      [[...good.slice(0, 3), "2024-06-01,4,", ...good.slice(4)], 4, /is not a number/],
      [[...good.slice(0, 3), "2024-06-01,0,1", ...good.slice(4)], 4, /bad hour ending/],
      [[...good.slice(0, 3), "2024-06-01,4", ...good.slice(4)], 4, /expected date,hour,price/],
      [[...good, ...day("2024-06-03", 24)], 25, /missing day/],
      [["\\\\only comments"], 1, /no price rows/],
    ];
    for (const [lines, line, reason] of cases) {
      const err = errorOf(() => parseIesoPriceCsv(csv(lines), { zone: "America/Toronto" }));
      expect({ line: err.line, message: err.message }).toMatchObject({
        line,
        message: expect.stringMatching(reason),
      });
    }
  });

  it("accepts quoted fields, CRLF and extra decimals (rounded half-even to cents)", () => {
    const text = day("2024-06-01", 24, (h) => (h === 1 ? '"12.345"' : h === 2 ? "12.355" : "-0.005")).join(
      "\r\n",
    );
    const t = parseIesoPriceCsv(text, { zone: "America/Toronto" });
    expect(t.points.slice(0, 3).map((p) => p.pricePerMwhMinor)).toEqual([1234, 1236, 0]);
  });

  it("refuses days that are not a whole number of hours (Lord Howe's 30-minute DST)", () => {
    const err = errorOf(() => parseIesoPriceCsv(csv(day("2024-10-06", 24)), { zone: "Australia/Lord_Howe" }));
    expect(err.message).toMatch(/not a whole number of hours/);
  });

  it("rejects an unknown zone with a typed error", () => {
    expect(() => parseIesoPriceCsv("", { zone: "Ontario" })).toThrow(UnknownTimeZoneError);
  });

  const zones = ["America/Toronto", "Europe/London", "Australia/Sydney", "Etc/GMT+5", "America/Havana"];
  const dateArb = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31) }).map((t) => {
    const d = new Date(t);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  });
  // Biased towards DST switch days so most runs cross one.
  const dstDays = [
    Date.UTC(2024, 2, 10),
    Date.UTC(2024, 10, 3),
    Date.UTC(2025, 2, 30),
    Date.UTC(2025, 9, 26),
    Date.UTC(2025, 3, 6),
    Date.UTC(2025, 9, 5),
    Date.UTC(2026, 2, 8),
  ];

  /** Local days counted independently: UTC whole hours whose local date is the given date. */
  function referenceHours(date: string, zone: string): number[] {
    const fmt = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    const base = Date.parse(`${date}T00:00:00Z`);
    const hours: number[] = [];
    for (let t = base - 2 * 24 * H; t < base + 2 * 24 * H; t += H) if (fmt.format(t) === date) hours.push(t);
    return hours;
  }

  it("property: DST days import to contiguous UTC hours with exact (possibly negative) prices", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          dateArb,
          fc.constantFrom(...dstDays).map((t) => t - 86_400_000),
        ),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: -300_000, max: 300_000 }), { minLength: 75, maxLength: 75 }),
        (firstDay, dayCount, zone, cents) => {
          const lines: string[] = ["Date,Hour,Price"];
          const expected: { startMs: number; pricePerMwhMinor: number }[] = [];
          for (let i = 0; i < dayCount; i++) {
            const date = new Date(firstDay + i * 86_400_000).toISOString().slice(0, 10);
            referenceHours(date, zone).forEach((startMs, h) => {
              const c = cents[expected.length % cents.length]!;
              const abs = Math.abs(c);
              lines.push(
                `${date},${h + 1},${c < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`,
              );
              expected.push({ startMs, pricePerMwhMinor: c });
            });
          }
          const tariff = parseIesoPriceCsv(csv(lines), { zone });
          expect(tariff.points).toEqual(expected);
          const compiled = compileTariff(tariff, { zone });
          for (const p of expected)
            expect(compiled.pricePerMwhMinorAt(p.startMs + H - 1)).toBe(p.pricePerMwhMinor);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("property: dropping or duplicating any row rejects the whole file", () => {
    fc.assert(
      fc.property(fc.constantFrom(...dstDays), fc.nat(), fc.boolean(), (dayMs, pick, duplicate) => {
        const date = new Date(dayMs).toISOString().slice(0, 10);
        const zone = "America/Toronto";
        const rows = referenceHours(date, zone).map((_, h) => `${date},${h + 1},1.00`);
        const i = pick % rows.length;
        const broken = duplicate
          ? [...rows.slice(0, i + 1), rows[i]!, ...rows.slice(i + 1)]
          : rows.toSpliced(i, 1);
        expect(() => parseIesoPriceCsv(csv(broken), { zone })).toThrow(PriceCsvError);
      }),
      { numRuns: 100 },
    );
  });
});
