import { billedHoursOf, coveredMs } from "./usage.js";
import type { BillingMonth, PlanRate, UsageInterval } from "./usage.js";

const HOUR_MS = 3_600_000;
/** Transfer is sold in GiB (2³⁰ bytes), as `plans.transfer_gib` counts it. */
export const GIB_BYTES = 2n ** 30n;

/** What a plan charges for extra IPv4 addresses (docs/networking.md, "What it costs"). */
export interface Ipv4PlanRate {
  hourRounding: PlanRate["hourRounding"];
  /** One extra address for a whole month, in minor units. */
  extraIpv4MonthlyMinor: number;
}

/** What a plan includes and charges for outbound transfer. */
export interface TransferPlanRate {
  /** GiB each server may send in a month, prorated by the time it existed in the month. */
  transferGib: number;
  /** Each GiB sent beyond that, in minor units. */
  transferOverageMinorPerGib: number;
}

/** A plan's rates for the network add-ons. */
export type NetworkPlanRate = Ipv4PlanRate & TransferPlanRate;

/** A span during which a server held an extra address (`addon_intervals` of kind ipv4). */
export interface AddressInterval extends UsageInterval {
  address: string;
}

/** One extra address of one server on one plan in one month. */
export interface Ipv4MonthCharge {
  kind: "ipv4";
  serverId: string;
  planId: string;
  address: string;
  /** Milliseconds held inside the month (overlaps counted once). */
  usedMs: number;
  /** Those hours after the plan's rounding. */
  billedHours: number;
  /** The local month's real length: 743 h in a March of Toronto, 744 in January. */
  hoursInMonth: number;
  monthlyMinor: number;
  /** monthly × billedHours / hoursInMonth, rounded half up, before the cap. */
  uncappedMinor: number;
  amountMinor: number;
  capped: boolean;
}

/** Bytes one server sent and received in a month, from `server_transfer`. */
export interface ServerTransferTotal {
  serverId: string;
  planId: string;
  outBytes: bigint;
  inBytes: bigint;
}

/**
 * One server's transfer in one month. Byte counts are numbers so the charge can be sent as JSON
 * as it is; they are exact up to 8 PiB, and the amount is computed in BigInt from the exact totals.
 */
export interface TransferMonthCharge {
  kind: "transfer";
  serverId: string;
  planId: string;
  /** Milliseconds the server existed inside the month (its usage intervals, overlaps once). */
  usedMs: number;
  outBytes: number;
  /** Free, carried for display. */
  inBytes: number;
  /** The plan's allowance × usedMs / the month's length, rounded up to a whole byte. */
  allowanceBytes: number;
  overageBytes: number;
  priceMinorPerGib: number;
  /** overage × price / 2³⁰, rounded half up. */
  amountMinor: number;
}

/** `numerator / denominator` rounded half up, for non-negative integers. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** `numerator / denominator` rounded up, for non-negative integers. */
function divideUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

function assertPrice(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} is a whole number of minor units, at least 0, got ${value}`);
}

/** The end of what is billed so far: the month's end, or `nowMs` while the month runs. */
function billedUntil(month: BillingMonth, nowMs: number): number {
  return Math.min(month.endMs, Math.max(nowMs, month.startMs));
}

/** Spans with open ends run to `nowMs` (or the month's end), as `monthCharges` runs them. */
function spansOf(intervals: readonly UsageInterval[], month: BillingMonth, nowMs: number) {
  return intervals.map((i) => ({ startMs: i.startMs, endMs: i.endMs ?? Math.min(nowMs, month.endMs) }));
}

/**
 * Charges for extra IPv4 addresses over a month: per server, address and plan, the time the
 * address was held inside the month (split at the month's local boundaries, overlaps once),
 * rounded as the plan rounds hours, at `monthly × billed / the month's real length` rounded half
 * up in integers, never more than `monthly` for one address. The division is by the month's own
 * length so that an address held all month costs exactly `monthly` in every month, DST or not;
 * the cap only bites where rounding goes past it (a month of 743.5 h billed as 744, in a zone
 * whose clocks move by half an hour). Open intervals run to `nowMs` (or the month's end).
 */
export function ipv4MonthCharges(
  intervals: readonly AddressInterval[],
  plans: ReadonlyMap<string, Ipv4PlanRate>,
  month: BillingMonth,
  nowMs = month.endMs,
): Ipv4MonthCharge[] {
  const groups = new Map<
    string,
    { serverId: string; planId: string; address: string; spans: AddressInterval[] }
  >();
  for (const i of intervals) {
    const key = `${i.serverId}\u0000${i.address}\u0000${i.planId}`;
    const group = groups.get(key) ?? {
      serverId: i.serverId,
      planId: i.planId,
      address: i.address,
      spans: [],
    };
    group.spans.push(i);
    groups.set(key, group);
  }
  const monthMs = month.endMs - month.startMs;
  const charges: Ipv4MonthCharge[] = [];
  for (const g of groups.values()) {
    const usedMs = coveredMs(spansOf(g.spans, month, nowMs), month.startMs, billedUntil(month, nowMs));
    if (usedMs <= 0) continue;
    const plan = plans.get(g.planId);
    if (!plan) throw new RangeError(`no rate for plan ${g.planId}`);
    const monthly = plan.extraIpv4MonthlyMinor;
    assertPrice(monthly, "extra_ipv4_monthly_minor");
    const billedHours = billedHoursOf(usedMs, plan.hourRounding);
    // Whole hours, or the exact milliseconds for plans billed to the second: an integer either way.
    const billedMs = plan.hourRounding === "up" ? billedHours * HOUR_MS : usedMs;
    const uncappedMinor = Number(divideHalfUp(BigInt(monthly) * BigInt(billedMs), BigInt(monthMs)));
    charges.push({
      kind: "ipv4",
      serverId: g.serverId,
      planId: g.planId,
      address: g.address,
      usedMs,
      billedHours,
      hoursInMonth: monthMs / HOUR_MS,
      monthlyMinor: monthly,
      uncappedMinor,
      amountMinor: Math.min(uncappedMinor, monthly),
      capped: uncappedMinor > monthly,
    });
  }
  return charges.sort(
    (a, b) =>
      a.serverId.localeCompare(b.serverId) ||
      a.address.localeCompare(b.address, "en", { numeric: true }) ||
      a.planId.localeCompare(b.planId),
  );
}

/**
 * Charges for outbound transfer over a month, per server: the plan's allowance prorated by the
 * time the server existed in the month (its usage intervals, overlaps once, open ones to `nowMs`),
 * rounded up to a whole byte in the customer's favour; the bytes sent beyond it at the plan's
 * price per GiB, rounded half up once on the month's total. Inbound bytes are free. All products
 * are BigInt: a month's bytes × a price, or × milliseconds, pass 2⁵³.
 */
export function transferMonthCharges(
  totals: readonly ServerTransferTotal[],
  usage: readonly UsageInterval[],
  plans: ReadonlyMap<string, TransferPlanRate>,
  month: BillingMonth,
  nowMs = month.endMs,
): TransferMonthCharge[] {
  const byServer = new Map<string, ServerTransferTotal>();
  for (const t of totals) {
    const seen = byServer.get(t.serverId);
    byServer.set(
      t.serverId,
      seen ? { ...seen, outBytes: seen.outBytes + t.outBytes, inBytes: seen.inBytes + t.inBytes } : t,
    );
  }
  const monthMs = month.endMs - month.startMs;
  const charges: TransferMonthCharge[] = [];
  for (const t of byServer.values()) {
    const plan = plans.get(t.planId);
    if (!plan) throw new RangeError(`no rate for plan ${t.planId}`);
    assertPrice(plan.transferOverageMinorPerGib, "transfer_overage_minor_per_gib");
    if (!Number.isSafeInteger(plan.transferGib) || plan.transferGib < 0)
      throw new RangeError(`transfer_gib is a whole number at least 0, got ${plan.transferGib}`);
    const usedMs = coveredMs(
      spansOf(
        usage.filter((u) => u.serverId === t.serverId),
        month,
        nowMs,
      ),
      month.startMs,
      billedUntil(month, nowMs),
    );
    const allowance = divideUp(
      BigInt(plan.transferGib) * GIB_BYTES * BigInt(Math.min(usedMs, monthMs)),
      BigInt(monthMs),
    );
    const overage = t.outBytes > allowance ? t.outBytes - allowance : 0n;
    charges.push({
      kind: "transfer",
      serverId: t.serverId,
      planId: t.planId,
      usedMs,
      outBytes: Number(t.outBytes),
      inBytes: Number(t.inBytes),
      allowanceBytes: Number(allowance),
      overageBytes: Number(overage),
      priceMinorPerGib: plan.transferOverageMinorPerGib,
      amountMinor: Number(divideHalfUp(overage * BigInt(plan.transferOverageMinorPerGib), GIB_BYTES)),
    });
  }
  return charges.sort((a, b) => a.serverId.localeCompare(b.serverId));
}
