import { describe, expect, it } from "vitest";
import { percentToBasisPoints } from "./markup";

describe("percentToBasisPoints", () => {
  it("reads whole and decimal percentages exactly, without floats", () => {
    expect(percentToBasisPoints("25")).toBe(2500);
    expect(percentToBasisPoints(" 12.5 ")).toBe(1250);
    expect(percentToBasisPoints("0.07")).toBe(7);
    expect(percentToBasisPoints("9999.99")).toBe(999_999);
  });
  it("refuses what is not a percentage with two decimals at most", () => {
    for (const text of ["", "-5", "1e3", "12.345", "12,5", "abc", "10000", "0x10", "25%"])
      expect(percentToBasisPoints(text), text).toBeUndefined();
  });
});
