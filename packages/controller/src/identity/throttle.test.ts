import { describe, expect, it } from "vitest";
import { lockSecondsAfter, throttleAddress } from "./throttle.js";

describe("lockSecondsAfter", () => {
  it("allows a few failures, then doubles up to a cap", () => {
    expect([1, 4, 5, 6, 7, 20, 100].map((n) => lockSecondsAfter(n))).toEqual([0, 0, 1, 2, 4, 900, 900]);
    expect([19, 20, 21].map((n) => lockSecondsAfter(n, 20))).toEqual([0, 1, 2]);
    expect([4, 5, 6, 12].map((n) => lockSecondsAfter(n, 5, 30))).toEqual([0, 30, 60, 900]);
  });
});

describe("throttleAddress", () => {
  it("counts IPv4 as is and IPv4-mapped IPv6 as its IPv4", () => {
    expect(throttleAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(throttleAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts IPv6 by its /64, which one customer usually holds whole", () => {
    expect(throttleAddress("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(throttleAddress("2001:db8:1:2:bbbb::9")).toBe(throttleAddress("2001:db8:1:2:aaaa::1"));
    expect(throttleAddress("2001:db8:1:3::1")).not.toBe(throttleAddress("2001:db8:1:2::1"));
  });
});
