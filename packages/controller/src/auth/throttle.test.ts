import { describe, expect, it } from "vitest";
import { lockSecondsAfter } from "./throttle.js";

describe("lockSecondsAfter", () => {
  it("allows a few failures, then doubles up to a cap", () => {
    expect([1, 4, 5, 6, 7, 20, 100].map(lockSecondsAfter)).toEqual([0, 0, 1, 2, 4, 900, 900]);
  });
});
