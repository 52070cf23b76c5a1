import { describe, expect, it } from "vitest";
import { billedMsOf, hourCharge, monthAmountFor } from "./usage-pricing.js";

const H = 3_600_000;
const price = { hourlyMinor: 1234, monthlyCapMinor: 600_000 };

/** A month of hours, each with the ms the server existed in it; the records' amounts. */
function hours(used: readonly number[], p = price, rounding: "up" | "none" = "up") {
  let before = 0;
  return used.map((ms) => {
    const charge = hourCharge(before, ms, p, rounding);
    before += ms;
    return charge;
  });
}

describe("an hour's charge under a monthly cap", () => {
  it("bills whole hours at the hourly price until the cap", () => {
    const charges = hours(Array(3).fill(H));
    expect(charges.map((c) => c.amountMinor)).toEqual([1234, 1234, 1234]);
    expect(charges.map((c) => c.billedMsThrough)).toEqual([H, 2 * H, 3 * H]);
  });

  it("stops at the cap: the hour that crosses it adds the rest, later hours nothing", () => {
    // 600,000 / 1234 = 486.2 hours: hour 487 adds 600,000 - 486 × 1234 = 276.
    const charges = hours(Array(720).fill(H));
    expect(charges[485]!.amountMinor).toBe(1234);
    expect(charges[486]!.amountMinor).toBe(600_000 - 486 * 1234);
    expect(charges.slice(487).every((c) => c.amountMinor === 0)).toBe(true);
    expect(charges.reduce((a, c) => a + c.amountMinor, 0)).toBe(600_000);
  });

  it("counts a started hour once, as the month close does, even when it spans two records", () => {
    // Created at 10:30, deleted at 12:15: 1 h 45 min, billed as 2 started hours.
    const charges = hours([H / 2, H, H / 4]);
    expect(charges.map((c) => c.billedMs)).toEqual([H, H, 0]);
    expect(charges.map((c) => c.amountMinor)).toEqual([1234, 1234, 0]);
    expect(charges.reduce((a, c) => a + c.amountMinor, 0)).toBe(
      monthAmountFor(billedMsOf(1.75 * H, "up"), price),
    );
  });

  it("to the millisecond, the hours add up to the month's amount rounded once", () => {
    const used = [1234, H, 987_654, H / 3, 1];
    const charges = hours(used, { hourlyMinor: 7, monthlyCapMinor: 1000 }, "none");
    const total = used.reduce((a, b) => a + b, 0);
    expect(charges.reduce((a, c) => a + c.amountMinor, 0)).toBe(
      monthAmountFor(total, { hourlyMinor: 7, monthlyCapMinor: 1000 }),
    );
    expect(charges.reduce((a, c) => a + c.billedMs, 0)).toBe(total);
  });

  it("rounds half up in bigints, past 2^53", () => {
    expect(monthAmountFor(H / 2, { hourlyMinor: 1, monthlyCapMinor: 10 })).toBe(1);
    expect(monthAmountFor(H / 2 - 1, { hourlyMinor: 1, monthlyCapMinor: 10 })).toBe(0);
    const big = { hourlyMinor: 1_000_000_000_000, monthlyCapMinor: 1_000_000_000_000 * 800 };
    expect(monthAmountFor(744 * H, big)).toBe(744_000_000_000_000);
  });

  it("refuses negative or fractional milliseconds", () => {
    expect(() => billedMsOf(-1, "up")).toThrow(RangeError);
    expect(() => monthAmountFor(0.5, price)).toThrow(RangeError);
  });
});
