import { describe, expect, it } from "vitest";
import { InvalidWeightsError } from "./errors.js";
import type { EnergyCandidate } from "./weighers.js";
import { carbonWeigher, energyWeigher, priceWeigher } from "./weighers.js";

const site = (siteId: string, price: number | undefined, carbon: number | undefined): EnergyCandidate => ({
  siteId,
  priceAt: () => price,
  carbonAt: () => carbon,
});

describe("energy weighers", () => {
  const at = new Date("2024-06-01T12:00:00Z");
  const candidates = [site("cheap-dirty", -500, 400), site("mid", 2000, 100), site("dear-clean", 4500, 20)];

  it("normalises each signal to [0, 1], lower is better", () => {
    expect(priceWeigher(candidates, at)).toEqual(
      new Map([
        ["cheap-dirty", 0],
        ["mid", 0.5],
        ["dear-clean", 1],
      ]),
    );
    expect(carbonWeigher(candidates, at).get("dear-clean")).toBe(0);
    expect(carbonWeigher(candidates, at).get("cheap-dirty")).toBe(1);
  });

  it("blends price and carbon by weight", () => {
    const scores = energyWeigher(candidates, at, { price: 0, carbon: 1 });
    expect(scores.get("dear-clean")).toBe(0);
    const even = energyWeigher(candidates, at);
    for (const v of even.values()) expect(v >= 0 && v <= 1).toBe(true);
    expect(() => energyWeigher(candidates, at, { price: 0, carbon: 0 })).toThrow(InvalidWeightsError);
  });

  it("scores missing data worst and equal values best", () => {
    const scores = priceWeigher([site("a", 10, 0), site("b", 10, 0), site("c", undefined, 0)], at);
    expect(scores).toEqual(
      new Map([
        ["a", 0],
        ["b", 0],
        ["c", 1],
      ]),
    );
    expect(priceWeigher([], at).size).toBe(0);
  });
});
