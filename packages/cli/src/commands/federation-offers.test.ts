import { describe, expect, it } from "vitest";
import { CliError } from "../errors.js";
import { basisPointsOf } from "./federation-offers.js";

describe("basisPointsOf", () => {
  it("reads a percentage as a decimal string, exactly", () => {
    expect(basisPointsOf("25")).toBe(2_500);
    expect(basisPointsOf("12.5")).toBe(1_250);
    expect(basisPointsOf("0.07")).toBe(7);
    // 0.29 * 100 is 28.999999999999996 in floats.
    expect(basisPointsOf("0.29")).toBe(29);
  });

  it("refuses what is not a number with at most two decimals", () => {
    for (const bad of ["", "-5", "1.234", "abc", "1e3", "12,5"])
      expect(() => basisPointsOf(bad), bad).toThrow(CliError);
  });
});
