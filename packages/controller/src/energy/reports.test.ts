import { compileCarbon, compileTariff } from "@layerboom/core";
import { describe, expect, it } from "vitest";
import { priceBuckets, reportPeriod } from "./reports.js";

const flat = compileTariff(
  { kind: "hourly", currency: "CAD", points: [{ startMs: Date.UTC(2026, 0, 1), pricePerMwhMinor: 10_000 }] },
  { zone: "UTC" },
);

describe("priceBuckets", () => {
  it("prices a site-sized bucket beyond 2^53 µJ exactly, in parts", () => {
    // 3 × 2^52 µJ ≈ 3.75 GWh at 100.00 CAD/MWh.
    const energy = 3n * 2n ** 52n;
    const { totals } = priceBuckets([{ startMs: Date.UTC(2026, 0, 1), seconds: 3600, energyUj: energy }], {
      currency: "CAD",
      tariff: flat,
      carbon: compileCarbon({ kind: "annual", gPerKwh: 30 }),
    });
    expect(totals.energy_uj).toBe(energy.toString());
    // cost in micro-minor = µJ × 10000 / 3.6e9, rounded; three parts round at most once each.
    const exact = (energy * 10_000n) / 3_600_000_000n;
    expect(BigInt(totals.cost!.micro_minor) - exact).toBeGreaterThanOrEqual(-3n);
    expect(BigInt(totals.cost!.micro_minor) - exact).toBeLessThanOrEqual(3n);
    expect(totals.carbon_mg).not.toBeNull();
  });

  it("says why there is no cost instead of inventing one", () => {
    const { totals } = priceBuckets([{ startMs: Date.UTC(2026, 0, 2), seconds: 300, energyUj: 5n }], {
      currency: "CAD",
      tariff: flat,
    });
    expect(totals.cost).toBeNull();
    expect(totals.unpriced_reason).toMatch(/no price data for 2026-01-02/);
    expect(totals.carbon_mg).toBeNull();
  });
});

describe("reportPeriod", () => {
  it("aligns outwards to whole five-minute buckets and defaults to the last day", () => {
    const now = Date.UTC(2026, 10, 29, 10, 7, 30);
    expect(reportPeriod({}, now)).toEqual({
      fromMs: Date.UTC(2026, 10, 28, 10, 5),
      toMs: Date.UTC(2026, 10, 29, 10, 10),
    });
  });

  it("names the field that is wrong", () => {
    expect(() => reportPeriod({ from: "yesterday" })).toThrow(/from must be an ISO 8601 time/);
    expect(() => reportPeriod({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" })).toThrow(
      /from must be before to/,
    );
    expect(() => reportPeriod({ from: "2020-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" })).toThrow(
      /400 days/,
    );
  });
});
