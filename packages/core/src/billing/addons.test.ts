import { describe, expect, it } from "vitest";
import { backupsMonthCharges, percentOf } from "./addons.js";
import type { AddonPlanRate } from "./addons.js";
import { billingMonth } from "./usage.js";
import type { UsageInterval } from "./usage.js";

const ZONE = "America/Toronto";
const at = (iso: string) => Date.parse(iso);
const plans = new Map<string, AddonPlanRate>([
  // 0.7 ¢ would be fractional: 7 minor units an hour at 20 % is 1.4 an hour.
  ["small", { hourlyMinor: 7, monthlyCapMinor: 5_000, hourRounding: "up", backupsPercent: 20 }],
  ["nano", { hourlyMinor: 1, monthlyCapMinor: 500, hourRounding: "up" }],
  ["exact", { hourlyMinor: 10, monthlyCapMinor: 100_000, hourRounding: "none", backupsPercent: 25 }],
  ["free", { hourlyMinor: 10, monthlyCapMinor: 1000, hourRounding: "up", backupsPercent: 0 }],
]);

describe("backups add-on charges", () => {
  it("takes the percentage of hours × price once, rounded half up, in integers", () => {
    const on: UsageInterval = {
      serverId: "srv_a",
      planId: "small",
      startMs: at("2026-01-10T05:00:00Z"),
      endMs: at("2026-01-10T15:30:00Z"),
    };
    // 10.5 h → 11 billed hours × 7 = 77; 20 % of 77 = 15.4 → 15.
    expect(backupsMonthCharges([on], plans, billingMonth("2026-01", ZONE))).toEqual([
      {
        kind: "backups",
        serverId: "srv_a",
        planId: "small",
        usedMs: 10.5 * 3_600_000,
        billedHours: 11,
        percent: 20,
        uncappedMinor: 15,
        amountMinor: 15,
        capped: false,
      },
    ]);
    // 12 h × 7 = 84; 20 % = 16.8 → 17 (not 12 × round(1.4) = 12).
    const twelve = { ...on, endMs: at("2026-01-10T17:00:00Z") };
    expect(backupsMonthCharges([twelve], plans, billingMonth("2026-01", ZONE))[0]!.amountMinor).toBe(17);
  });

  it("rounds exactly half up", () => {
    expect(percentOf(25, 20)).toBe(5);
    expect(percentOf(5, 50)).toBe(3);
    expect(percentOf(1, 50)).toBe(1);
    expect(percentOf(1, 49)).toBe(0);
    expect(percentOf(0, 20)).toBe(0);
    expect(() => percentOf(10, 101)).toThrow(RangeError);
    expect(() => percentOf(10, 2.5)).toThrow(RangeError);
  });

  it("caps at the plan's monthly cap × percent (default 20 %)", () => {
    const always: UsageInterval = { serverId: "srv_a", planId: "nano", startMs: 0, endMs: null };
    // January: 744 h × 1 = 744 → 20 % = 148.8 → 149; the cap is 20 % of 500 = 100.
    expect(backupsMonthCharges([always], plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { billedHours: 744, percent: 20, uncappedMinor: 149, amountMinor: 100, capped: true },
    ]);
  });

  it("bills to the second for plans that do, and counts overlapping intervals once", () => {
    const a: UsageInterval = {
      serverId: "srv_a",
      planId: "exact",
      startMs: at("2026-01-10T00:00:00Z"),
      endMs: at("2026-01-10T01:30:00Z"),
    };
    const b = { ...a, startMs: at("2026-01-10T01:00:00Z"), endMs: at("2026-01-10T03:00:00Z") };
    // 3 h × 10 × 25 % = 7.5 → 8.
    expect(backupsMonthCharges([a, b], plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { billedHours: 3, uncappedMinor: 8, amountMinor: 8 },
    ]);
    const third = { ...a, endMs: at("2026-01-10T00:20:00Z") };
    // 1/3 h × 10 × 25 % = 0.833… → 1.
    expect(backupsMonthCharges([third], plans, billingMonth("2026-01", ZONE))[0]!.amountMinor).toBe(1);
  });

  it("splits at the local month boundary and runs an open interval to now", () => {
    const on: UsageInterval = {
      serverId: "srv_a",
      planId: "small",
      // 22:00 on 31 January in Toronto.
      startMs: at("2026-02-01T03:00:00Z"),
      endMs: null,
    };
    expect(backupsMonthCharges([on], plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { billedHours: 2, uncappedMinor: 3 },
    ]);
    const now = at("2026-02-01T08:00:00Z");
    expect(backupsMonthCharges([on], plans, billingMonth("2026-02", ZONE), now)).toMatchObject([
      { billedHours: 3, uncappedMinor: 4 },
    ]);
  });

  it("charges nothing at 0 % and nothing for a month without the add-on", () => {
    const on: UsageInterval = { serverId: "srv_a", planId: "free", startMs: 0, endMs: null };
    expect(backupsMonthCharges([on], plans, billingMonth("2026-01", ZONE))[0]!.amountMinor).toBe(0);
    const past: UsageInterval = { serverId: "srv_a", planId: "small", startMs: 0, endMs: 1000 };
    expect(backupsMonthCharges([past], plans, billingMonth("2026-01", ZONE))).toEqual([]);
  });
});
