import { describe, expect, it } from "vitest";
import { GIB_BYTES, ipv4MonthCharges, transferMonthCharges } from "./network-addons.js";
import type {
  AddressInterval,
  Ipv4PlanRate,
  ServerTransferTotal,
  TransferPlanRate,
} from "./network-addons.js";
import { billingMonth } from "./usage.js";
import type { UsageInterval } from "./usage.js";

const ZONE = "America/Toronto";
const HOUR = 3_600_000;
const GIB = 2 ** 30;
const at = (iso: string) => Date.parse(iso);

const ipv4Plans = new Map<string, Ipv4PlanRate>([
  ["std", { hourRounding: "up", extraIpv4MonthlyMinor: 300 }],
  ["big", { hourRounding: "up", extraIpv4MonthlyMinor: 1000 }],
  ["exact", { hourRounding: "none", extraIpv4MonthlyMinor: 1000 }],
  ["dear", { hourRounding: "up", extraIpv4MonthlyMinor: 10_000 }],
  ["free", { hourRounding: "up", extraIpv4MonthlyMinor: 0 }],
]);

const address = (over: Partial<AddressInterval> = {}): AddressInterval => ({
  serverId: "srv_a",
  planId: "std",
  address: "203.0.113.11",
  startMs: 0,
  endMs: null,
  ...over,
});

describe("extra IPv4 charges", () => {
  it("charges exactly the monthly price for an address held all month, whatever the month's length", () => {
    // January 744 h, March 743 h (DST starts), November 721 h (DST ends) in Toronto.
    for (const [period, hours] of [
      ["2026-01", 744],
      ["2026-03", 743],
      ["2026-11", 721],
    ] as const) {
      expect(ipv4MonthCharges([address()], ipv4Plans, billingMonth(period, ZONE))).toEqual([
        {
          kind: "ipv4",
          serverId: "srv_a",
          planId: "std",
          address: "203.0.113.11",
          usedMs: hours * HOUR,
          billedHours: hours,
          hoursInMonth: hours,
          monthlyMinor: 300,
          uncappedMinor: 300,
          amountMinor: 300,
          capped: false,
        },
      ]);
    }
  });

  it("divides by the local month's real length: the same 372 h cost more in March and November", () => {
    const held = (period: string) => {
      const month = billingMonth(period, ZONE);
      const i = address({ planId: "big", startMs: month.startMs, endMs: month.startMs + 372 * HOUR });
      return ipv4MonthCharges([i], ipv4Plans, month)[0]!;
    };
    // 1000 × 372 / 744 = 500; / 743 = 500.67 → 501; / 721 = 515.95 → 516.
    expect(held("2026-01")).toMatchObject({ hoursInMonth: 744, amountMinor: 500 });
    expect(held("2026-03")).toMatchObject({ hoursInMonth: 743, amountMinor: 501 });
    expect(held("2026-11")).toMatchObject({ hoursInMonth: 721, amountMinor: 516 });
  });

  it("counts the real hours across the DST change: 1 to 15 March local is 335 h", () => {
    // Midnight EST on 1 March is 05:00Z; midnight EDT on 15 March is 04:00Z.
    const i = address({ startMs: at("2026-03-01T05:00:00Z"), endMs: at("2026-03-15T04:00:00Z") });
    // 300 × 335 / 743 = 135.26 → 135.
    expect(ipv4MonthCharges([i], ipv4Plans, billingMonth("2026-03", ZONE))).toMatchObject([
      { usedMs: 335 * HOUR, billedHours: 335, uncappedMinor: 135, amountMinor: 135 },
    ]);
  });

  it("rounds half up in integers: 31 h of January at 300 is 12.5 → 13", () => {
    const i = address({ startMs: at("2026-01-10T00:00:00Z"), endMs: at("2026-01-11T07:00:00Z") });
    expect(ipv4MonthCharges([i], ipv4Plans, billingMonth("2026-01", ZONE))[0]!.amountMinor).toBe(13);
  });

  it("rounds hours as the plan does: every started hour, or to the second", () => {
    const span = { startMs: at("2026-01-10T00:00:00Z"), endMs: at("2026-01-10T10:20:00Z") };
    const month = billingMonth("2026-01", ZONE);
    // Up: 11 h × 1000 / 744 = 14.78 → 15.
    expect(ipv4MonthCharges([address({ ...span, planId: "big" })], ipv4Plans, month)).toMatchObject([
      { billedHours: 11, amountMinor: 15 },
    ]);
    // None: 10 h 20 min × 1000 / 744 h = 13.89 → 14.
    const [exact] = ipv4MonthCharges([address({ ...span, planId: "exact" })], ipv4Plans, month);
    expect(exact!.billedHours).toBeCloseTo(10 + 1 / 3, 10);
    expect(exact!.amountMinor).toBe(14);
  });

  it("caps an address at the monthly price where rounding passes the month: 743.5 h billed as 744", () => {
    // Lord Howe Island moves its clocks by 30 minutes: October 2026 has 743.5 hours.
    const month = billingMonth("2026-10", "Australia/Lord_Howe");
    // Up: 744 h × 1000 / 743.5 = 1000.67 → 1001, capped at 1000.
    expect(ipv4MonthCharges([address({ planId: "big" })], ipv4Plans, month)).toMatchObject([
      { billedHours: 744, hoursInMonth: 743.5, uncappedMinor: 1001, amountMinor: 1000, capped: true },
    ]);
    // To the second there is nothing to cap.
    expect(ipv4MonthCharges([address({ planId: "exact" })], ipv4Plans, month)).toMatchObject([
      { uncappedMinor: 1000, amountMinor: 1000, capped: false },
    ]);
  });

  it("charges each address of a server apart, and counts one address's overlapping intervals once", () => {
    const month = billingMonth("2026-01", ZONE);
    const a1 = address({ startMs: at("2026-01-10T00:00:00Z"), endMs: at("2026-01-10T20:00:00Z") });
    const a2 = { ...a1, startMs: at("2026-01-10T10:00:00Z"), endMs: at("2026-01-11T07:00:00Z") };
    const other = address({ address: "203.0.113.9", startMs: a1.startMs, endMs: a1.endMs });
    const elsewhere = { ...a1, serverId: "srv_b" };
    expect(
      ipv4MonthCharges([a1, a2, other, elsewhere], ipv4Plans, month).map((c) => [
        c.serverId,
        c.address,
        c.billedHours,
        c.amountMinor,
      ]),
    ).toEqual([
      // 31 h → 12.5 → 13; 20 h → 300 × 20 / 744 = 8.06 → 8. Addresses sort numerically.
      ["srv_a", "203.0.113.9", 20, 8],
      ["srv_a", "203.0.113.11", 31, 13],
      ["srv_b", "203.0.113.11", 20, 8],
    ]);
  });

  it("splits at the local month boundary and runs an open interval to now", () => {
    // 22:00 on 31 January in Toronto.
    const i = address({ planId: "dear", startMs: at("2026-02-01T03:00:00Z") });
    // 2 h × 10000 / 744 = 26.88 → 27.
    expect(ipv4MonthCharges([i], ipv4Plans, billingMonth("2026-01", ZONE))).toMatchObject([
      { billedHours: 2, amountMinor: 27 },
    ]);
    // February so far (3 h of 672): 44.64 → 45.
    const now = at("2026-02-01T08:00:00Z");
    expect(ipv4MonthCharges([i], ipv4Plans, billingMonth("2026-02", ZONE), now)).toMatchObject([
      { billedHours: 3, hoursInMonth: 672, amountMinor: 45 },
    ]);
  });

  it("charges nothing at price 0, nothing for a month without the address, and refuses a plan it does not know", () => {
    const month = billingMonth("2026-01", ZONE);
    expect(ipv4MonthCharges([address({ planId: "free" })], ipv4Plans, month)).toMatchObject([
      { billedHours: 744, amountMinor: 0 },
    ]);
    expect(ipv4MonthCharges([address({ endMs: 1000 })], ipv4Plans, month)).toEqual([]);
    expect(() => ipv4MonthCharges([address({ planId: "gone" })], ipv4Plans, month)).toThrow(RangeError);
    const negative = new Map([["std", { hourRounding: "up" as const, extraIpv4MonthlyMinor: -1 }]]);
    expect(() => ipv4MonthCharges([address()], negative, month)).toThrow(RangeError);
  });
});

const transferPlans = new Map<string, TransferPlanRate>([
  ["std", { transferGib: 1000, transferOverageMinorPerGib: 1 }],
  ["pricey", { transferGib: 1000, transferOverageMinorPerGib: 3 }],
  ["small", { transferGib: 100, transferOverageMinorPerGib: 10 }],
  ["none", { transferGib: 0, transferOverageMinorPerGib: 7 }],
  ["free", { transferGib: 0, transferOverageMinorPerGib: 0 }],
]);

const gib = (n: number) => BigInt(n * GIB);
const sent = (over: Partial<ServerTransferTotal> = {}): ServerTransferTotal => ({
  serverId: "srv_a",
  planId: "std",
  outBytes: 0n,
  inBytes: 0n,
  ...over,
});
const existed = (startMs: number, endMs: number | null = null, serverId = "srv_a"): UsageInterval => ({
  serverId,
  planId: "std",
  startMs,
  endMs,
});

describe("transfer charges", () => {
  it("bills what a server sent beyond its plan's allowance in a full month, rounded half up", () => {
    const month = billingMonth("2026-01", ZONE);
    // 1023.5 GiB sent, 1000 included: 23.5 GiB over × 1 = 23.5 → 24. Inbound is free.
    const total = sent({ outBytes: gib(1023.5), inBytes: gib(50) });
    expect(transferMonthCharges([total], [existed(0)], transferPlans, month)).toEqual([
      {
        kind: "transfer",
        serverId: "srv_a",
        planId: "std",
        usedMs: 744 * HOUR,
        outBytes: 1023.5 * GIB,
        inBytes: 50 * GIB,
        allowanceBytes: 1000 * GIB,
        overageBytes: 23.5 * GIB,
        priceMinorPerGib: 1,
        amountMinor: 24,
      },
    ]);
    // Within the allowance: nothing over, nothing charged, the bytes still shown.
    expect(
      transferMonthCharges(
        [sent({ outBytes: gib(999), inBytes: gib(5000) })],
        [existed(0)],
        transferPlans,
        month,
      ),
    ).toMatchObject([{ overageBytes: 0, amountMinor: 0, inBytes: 5000 * GIB }]);
  });

  it("prorates the allowance for a server created mid-month", () => {
    const month = billingMonth("2026-01", ZONE);
    // Created at midnight on 16 January in Toronto (05:00Z): 384 of January's 744 hours.
    // Allowance 1000 GiB × 384 / 744 = 554189328516.13 bytes → 554189328517 (up, in the
    // customer's favour); 600 GiB sent = 644245094400 bytes; over 90055765883 bytes
    // × 3 / 2³⁰ = 251.61 → 252.
    const total = sent({ planId: "pricey", outBytes: gib(600) });
    expect(
      transferMonthCharges([total], [existed(at("2026-01-16T05:00:00Z"))], transferPlans, month),
    ).toMatchObject([
      {
        usedMs: 384 * HOUR,
        allowanceBytes: 554_189_328_517,
        overageBytes: 90_055_765_883,
        amountMinor: 252,
      },
    ]);
  });

  it("gives a month so far the share of the allowance up to now", () => {
    const month = billingMonth("2026-01", ZONE);
    const now = month.startMs + 240 * HOUR;
    // 1000 GiB × 240 / 744 → 346368330323 bytes; 400 GiB sent: 83128399277 over → 77.42 → 77.
    expect(
      transferMonthCharges([sent({ outBytes: gib(400) })], [existed(0)], transferPlans, month, now),
    ).toMatchObject([{ usedMs: 240 * HOUR, allowanceBytes: 346_368_330_323, amountMinor: 77 }]);
  });

  it("prorates over the real length of DST months in Toronto", () => {
    // March has 743 h; created at midnight EDT on 15 March (04:00Z): 408 h.
    const march = billingMonth("2026-03", ZONE);
    const created = existed(at("2026-03-15T04:00:00Z"));
    // 100 GiB × 408 / 743 = 58961865974.70 → 58961865975 bytes; 100 GiB sent: 48412316425 over × 10 / 2³⁰
    // = 450.87 → 451.
    expect(
      transferMonthCharges([sent({ planId: "small", outBytes: gib(100) })], [created], transferPlans, march),
    ).toMatchObject([
      { usedMs: 408 * HOUR, allowanceBytes: 58_961_865_975, overageBytes: 48_412_316_425, amountMinor: 451 },
    ]);
    // A server there all of November (721 h) gets the whole allowance: 101 GiB sent, 1 over.
    expect(
      transferMonthCharges(
        [sent({ planId: "small", outBytes: gib(101) })],
        [existed(0)],
        transferPlans,
        billingMonth("2026-11", ZONE),
      ),
    ).toMatchObject([{ usedMs: 721 * HOUR, allowanceBytes: 100 * GIB, overageBytes: GIB, amountMinor: 10 }]);
  });

  it("computes huge byte counts exactly in BigInt and sums a server's rows", () => {
    const month = billingMonth("2026-01", ZONE);
    // 2⁶⁰ + 2²⁹ bytes with no allowance at 7 a GiB: 7 × 2³⁰ + 3.5 → 7516192772, past 2⁵³ on the way.
    const rows = [
      sent({ planId: "none", outBytes: 2n ** 60n }),
      sent({ planId: "none", outBytes: 2n ** 29n, inBytes: 5n }),
    ];
    const [charge] = transferMonthCharges(rows, [existed(0)], transferPlans, month);
    expect(charge!.amountMinor).toBe(7_516_192_772);
    expect(BigInt(charge!.overageBytes)).toBe(2n ** 60n + 2n ** 29n);
    expect(charge!.inBytes).toBe(5);
    expect(GIB_BYTES).toBe(BigInt(GIB));
  });

  it("charges nothing at price 0, counts overlapping usage once, and gives a server that did not exist no allowance", () => {
    const month = billingMonth("2026-01", ZONE);
    expect(
      transferMonthCharges([sent({ planId: "free", outBytes: gib(5) })], [existed(0)], transferPlans, month),
    ).toMatchObject([{ overageBytes: 5 * GIB, amountMinor: 0 }]);
    const overlapping = [
      existed(at("2026-01-10T00:00:00Z"), at("2026-01-20T00:00:00Z")),
      existed(at("2026-01-15T00:00:00Z"), at("2026-01-25T00:00:00Z")),
      existed(0, null, "srv_other"),
    ];
    // 15 days = 360 h of 744: 1000 GiB × 360 / 744 = 483.87 GiB = 519552495483.87 → 519552495484 bytes (up).
    expect(
      transferMonthCharges([sent({ outBytes: gib(500) })], overlapping, transferPlans, month),
    ).toMatchObject([{ usedMs: 360 * HOUR, allowanceBytes: 519_552_495_484 }]);
    expect(transferMonthCharges([sent({ outBytes: 1n })], [], transferPlans, month)).toMatchObject([
      { usedMs: 0, allowanceBytes: 0, overageBytes: 1, amountMinor: 0 },
    ]);
    expect(() => transferMonthCharges([sent({ planId: "gone" })], [], transferPlans, month)).toThrow(
      RangeError,
    );
  });
});
