import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors.js";
import { MAX_MONEY_MINOR } from "../money.js";
import { markupForPlan, retailPrice } from "./offer-pricing.js";

const wholesale = { hourlyMinor: 1_000, monthlyCapMinor: 500_000, currency: "CAD" };

describe("retailPrice", () => {
  it("sells at wholesale without a markup", () => {
    expect(retailPrice(wholesale, null)).toEqual({ hourlyMinor: 1_000, monthlyCapMinor: 500_000 });
  });

  it("adds a percentage in basis points exactly", () => {
    expect(retailPrice(wholesale, { kind: "percent", basisPoints: 2_500 })).toEqual({
      hourlyMinor: 1_250,
      monthlyCapMinor: 625_000,
    });
  });

  it("rounds a fractional share up to the next minor unit, never down", () => {
    // 7 × 12.5 % = 0.875 → 1; 333 × 12.5 % = 41.625 → 42.
    expect(
      retailPrice(
        { hourlyMinor: 7, monthlyCapMinor: 333, currency: "EUR" },
        { kind: "percent", basisPoints: 1_250 },
      ),
    ).toEqual({ hourlyMinor: 8, monthlyCapMinor: 375 });
    // 1 basis point of 1 cent is still 1 cent; 0 % is nothing.
    expect(
      retailPrice(
        { hourlyMinor: 1, monthlyCapMinor: 1, currency: "EUR" },
        { kind: "percent", basisPoints: 1 },
      ),
    ).toEqual({ hourlyMinor: 2, monthlyCapMinor: 2 });
    expect(retailPrice(wholesale, { kind: "percent", basisPoints: 0 })).toEqual({
      hourlyMinor: 1_000,
      monthlyCapMinor: 500_000,
    });
  });

  it("stays exact where floats would not: 0.1 + 0.2 and amounts past 2^53 / 10,000", () => {
    // 10 % of 30 cents is 3 cents: 30 * 0.1 in floats is 3.0000000000000004.
    expect(
      retailPrice(
        { hourlyMinor: 30, monthlyCapMinor: 30, currency: "CAD" },
        { kind: "percent", basisPoints: 1_000 },
      ),
    ).toEqual({ hourlyMinor: 33, monthlyCapMinor: 33 });
    // 9 × 10^11 × 1,111 basis points overflows a double's exact range before the division.
    const big = { hourlyMinor: 900_000_000_001, monthlyCapMinor: 900_000_000_001, currency: "CAD" };
    expect(retailPrice(big, { kind: "percent", basisPoints: 1_111 }).hourlyMinor).toBe(
      900_000_000_001 + 99_990_000_001, // 900,000,000,001 × 0.1111 = 99,990,000,000.1111 → up
    );
  });

  it("adds a fixed amount per hour and per month in the offer's currency", () => {
    expect(
      retailPrice(wholesale, { kind: "fixed", hourlyMinor: 3, monthlyCapMinor: 1_500, currency: "CAD" }),
    ).toEqual({ hourlyMinor: 1_003, monthlyCapMinor: 501_500 });
  });

  it("refuses a fixed markup in another currency, naming both", () => {
    const err = (() => {
      try {
        retailPrice(wholesale, { kind: "fixed", hourlyMinor: 3, monthlyCapMinor: 1_500, currency: "EUR" });
      } catch (e) {
        return e;
      }
    })() as InvalidInputError;
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain("EUR");
    expect(err.message).toContain("CAD");
  });

  it("refuses negative, fractional and too large figures with the field named", () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as InvalidInputError).field;
      }
      return "accepted";
    };
    expect(field(() => retailPrice(wholesale, { kind: "percent", basisPoints: 12.5 }))).toBe("basis_points");
    expect(field(() => retailPrice(wholesale, { kind: "percent", basisPoints: -1 }))).toBe("basis_points");
    expect(
      field(() =>
        retailPrice(wholesale, { kind: "fixed", hourlyMinor: 0.5, monthlyCapMinor: 1, currency: "CAD" }),
      ),
    ).toBe("hourly_minor");
    expect(
      field(() =>
        retailPrice(wholesale, { kind: "fixed", hourlyMinor: 5, monthlyCapMinor: 4, currency: "CAD" }),
      ),
    ).toBe("monthly_cap_minor");
    expect(field(() => retailPrice({ ...wholesale, hourlyMinor: -1 }, null))).toBe("wholesale_hourly_minor");
    expect(
      field(() =>
        retailPrice(
          { hourlyMinor: MAX_MONEY_MINOR, monthlyCapMinor: MAX_MONEY_MINOR, currency: "CAD" },
          { kind: "percent", basisPoints: 1 },
        ),
      ),
    ).toBe("retail_hourly_minor");
  });
});

describe("markupForPlan", () => {
  const offerWide = { kind: "percent", basisPoints: 2_000 } as const;
  const forPlan = { kind: "percent", basisPoints: 500 } as const;

  it("prefers the plan's own markup, then the offer's, then none", () => {
    const markups = [
      { planId: null, markup: offerWide },
      { planId: "plan_b", markup: forPlan },
    ];
    expect(markupForPlan("plan_b", markups)).toBe(forPlan);
    expect(markupForPlan("plan_a", markups)).toBe(offerWide);
    expect(markupForPlan("plan_a", [{ planId: "plan_b", markup: forPlan }])).toBeNull();
  });
});
