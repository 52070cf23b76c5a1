import { describe, expect, it } from "vitest";
import { discountLines, monthWithDiscounts } from "./discounts.js";
import type { DiscountRedemption } from "./discounts.js";
import { taxLines, CANADA_TAX_RATES } from "./taxes.js";
import { addMonths, billingMonth, coveredMs, monthCharges } from "./usage.js";
import type { PlanRate, UsageInterval } from "./usage.js";

const ZONE = "America/Toronto";
const at = (iso: string) => Date.parse(iso);
const plans = new Map<string, PlanRate>([
  ["nano", { hourlyMinor: 1, monthlyCapMinor: 500, hourRounding: "up" }],
  ["small", { hourlyMinor: 2, monthlyCapMinor: 1_000_000, hourRounding: "up" }],
]);

describe("usage across month boundaries in the billing time zone", () => {
  it("splits a server made at 23:30 on the last day of a month and deleted after midnight", () => {
    // 23:30 on 31 January in Toronto (EST, UTC−5) is 04:30Z on 1 February.
    const server: UsageInterval = {
      serverId: "srv_a",
      planId: "small",
      startMs: at("2026-02-01T04:30:00Z"),
      endMs: at("2026-02-01T05:45:00Z"),
    };
    const jan = monthCharges([server], plans, billingMonth("2026-01", ZONE));
    const feb = monthCharges([server], plans, billingMonth("2026-02", ZONE));
    expect(jan).toMatchObject([{ usedMs: 30 * 60_000, billedHours: 1, amountMinor: 2 }]);
    expect(feb).toMatchObject([{ usedMs: 45 * 60_000, billedHours: 1, amountMinor: 2 }]);
  });

  it("bills the hours a month really has: 743 in March (DST starts), 721 in November (it ends)", () => {
    const always: UsageInterval = { serverId: "srv_a", planId: "small", startMs: 0, endMs: null };
    expect(monthCharges([always], plans, billingMonth("2026-03", ZONE))[0]!.billedHours).toBe(743);
    expect(monthCharges([always], plans, billingMonth("2026-11", ZONE))[0]!.billedHours).toBe(721);
    expect(monthCharges([always], plans, billingMonth("2026-01", ZONE))[0]!.billedHours).toBe(744);
  });

  it("stops at the monthly cap", () => {
    const always: UsageInterval = { serverId: "srv_a", planId: "nano", startMs: 0, endMs: null };
    expect(monthCharges([always], plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { billedHours: 744, uncappedMinor: 744, amountMinor: 500, capped: true },
    ]);
  });

  it("counts overlapping intervals of one server once, and rounds the month's total up, not each piece", () => {
    const pieces: UsageInterval[] = [
      {
        serverId: "srv_a",
        planId: "small",
        startMs: at("2026-01-10T00:00:00Z"),
        endMs: at("2026-01-10T00:20:00Z"),
      },
      {
        serverId: "srv_a",
        planId: "small",
        startMs: at("2026-01-10T00:10:00Z"),
        endMs: at("2026-01-10T00:40:00Z"),
      },
      {
        serverId: "srv_a",
        planId: "small",
        startMs: at("2026-01-11T00:00:00Z"),
        endMs: at("2026-01-11T00:10:00Z"),
      },
    ];
    expect(monthCharges(pieces, plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { usedMs: 50 * 60_000, billedHours: 1 },
    ]);
    expect(
      coveredMs(
        [
          { startMs: 0, endMs: 10 },
          { startMs: 5, endMs: 20 },
        ],
        0,
        100,
      ),
    ).toBe(20);
  });

  it("refuses a malformed period", () => {
    expect(() => billingMonth("2026-13", ZONE)).toThrow(/YYYY-MM/);
    expect(addMonths("2026-11", 3)).toBe("2027-02");
  });
});

describe("GEO50: 50% off the first server for 6 months", () => {
  const GEO50: DiscountRedemption = {
    code: "GEO50",
    terms: { kind: "percent", value: 5_000, scope: "first-server", durationMonths: 6 },
    redeemedAtMs: at("2026-01-15T15:00:00Z"),
    firstServerId: "srv_first",
  };
  const servers: UsageInterval[] = [
    { serverId: "srv_first", planId: "small", startMs: at("2026-01-15T16:00:00Z"), endMs: null },
    { serverId: "srv_second", planId: "small", startMs: at("2026-01-20T16:00:00Z"), endMs: null },
  ];

  it("takes half off the first server for January to June, nothing off the second, and nothing in July", () => {
    const months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"];
    const off = months.map((period) => {
      const { charges, discounts } = monthWithDiscounts(servers, plans, period, ZONE, [GEO50]);
      const first = charges.find((c) => c.serverId === "srv_first")!;
      expect(discounts.every((d) => d.serverId === "srv_first")).toBe(true);
      return { period, first: first.amountMinor, off: discounts.reduce((a, d) => a + d.amountMinor, 0) };
    });
    for (const m of off.slice(0, 6)) expect(m.off).toBe(-Math.round(m.first / 2));
    expect(off[6]!.off).toBe(0);
  });

  it("gives nothing before the first server exists", () => {
    const { charges } = monthWithDiscounts(servers, plans, "2026-01", ZONE);
    expect(discountLines({ ...GEO50, firstServerId: null }, charges, "2026-01", ZONE)).toEqual([]);
  });
});

describe("taxes", () => {
  it("applies Quebec's GST and QST to the subtotal, each rounded to the cent", () => {
    const qc = CANADA_TAX_RATES.filter((r) => r.region === "CA-QC");
    expect(taxLines(10_000, qc)).toEqual([
      { name: "GST", rateMicros: 50_000, amountMinor: 500 },
      { name: "QST", rateMicros: 99_750, amountMinor: 998 },
    ]);
    expect(taxLines(-50, qc).every((t) => t.amountMinor === 0)).toBe(true);
  });
});
