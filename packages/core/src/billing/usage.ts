import { localTimeAt, startOfLocalDay } from "../energy/time-zone.js";

const HOUR_MS = 3_600_000;

/** A billing month in the customer's billing time zone, as instants. */
export interface BillingMonth {
  /** `YYYY-MM`. */
  period: string;
  startMs: number;
  endMs: number;
}

/** The month `YYYY-MM` in `zone`: from local midnight of the 1st to local midnight of the next 1st. */
export function billingMonth(period: string, zone: string): BillingMonth {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw new RangeError(`a billing period is YYYY-MM, got ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return {
    period,
    startMs: startOfLocalDay(year, month, 1, zone),
    endMs: startOfLocalDay(next.year, next.month, 1, zone),
  };
}

/** The billing period (`YYYY-MM`) an instant falls in, in `zone`. */
export function periodAt(ms: number, zone: string): string {
  const t = localTimeAt(ms, zone);
  return `${t.year}-${String(t.month).padStart(2, "0")}`;
}

/** The period `months` after `period` (negative for before). */
export function addMonths(period: string, months: number): string {
  const [y, m] = period.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** A span during which a server existed on one plan; `endMs` null while it still does. */
export interface UsageInterval {
  serverId: string;
  planId: string;
  startMs: number;
  endMs: number | null;
}

/** What a plan charges for time. */
export interface PlanRate {
  hourlyMinor: number;
  monthlyCapMinor: number;
  /** `up`: every started hour of the month is billed; `none`: to the second. */
  hourRounding: "up" | "none";
}

/** One server on one plan in one month. */
export interface ServerMonthCharge {
  serverId: string;
  planId: string;
  /** Milliseconds of existence inside the month (overlaps counted once). */
  usedMs: number;
  /** Hours billed after rounding (fractional only with `hourRounding: none`). */
  billedHours: number;
  /** Before the cap. */
  uncappedMinor: number;
  amountMinor: number;
  capped: boolean;
}

/** Milliseconds covered by spans, clipped to [from, to), counting overlaps once. */
export function coveredMs(
  spans: readonly { startMs: number; endMs: number }[],
  from: number,
  to: number,
): number {
  const clipped = spans
    .map((s) => ({ start: Math.max(s.startMs, from), end: Math.min(s.endMs, to) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let cursor = -Infinity;
  for (const s of clipped) {
    const start = Math.max(s.start, cursor);
    if (s.end > start) total += s.end - start;
    cursor = Math.max(cursor, s.end);
  }
  return total;
}

/** Applies a plan's hour rounding to a duration. */
export function billedHoursOf(usedMs: number, rounding: PlanRate["hourRounding"]): number {
  return rounding === "up" ? Math.ceil(usedMs / HOUR_MS) : usedMs / HOUR_MS;
}

/** Hours × rate, rounded half up to a minor unit; exact in integers for whole hours. */
export function amountForHours(hours: number, hourlyMinor: number): number {
  return Number.isInteger(hours) ? hours * hourlyMinor : Math.round(hours * hourlyMinor);
}

/**
 * Charges for the month: per server and plan, the time it existed inside the month (split at
 * the month's local boundaries, overlaps counted once), rounded as the plan says, priced and
 * capped at the plan's monthly cap. Open intervals run to `nowMs` (or the month's end).
 */
export function monthCharges(
  intervals: readonly UsageInterval[],
  plans: ReadonlyMap<string, PlanRate>,
  month: BillingMonth,
  nowMs = month.endMs,
): ServerMonthCharge[] {
  const groups = new Map<
    string,
    { serverId: string; planId: string; spans: { startMs: number; endMs: number }[] }
  >();
  for (const i of intervals) {
    const key = `${i.serverId}\u0000${i.planId}`;
    const group = groups.get(key) ?? { serverId: i.serverId, planId: i.planId, spans: [] };
    group.spans.push({ startMs: i.startMs, endMs: i.endMs ?? Math.min(nowMs, month.endMs) });
    groups.set(key, group);
  }
  const charges: ServerMonthCharge[] = [];
  for (const g of groups.values()) {
    const usedMs = coveredMs(g.spans, month.startMs, Math.min(month.endMs, Math.max(nowMs, month.startMs)));
    if (usedMs <= 0) continue;
    const plan = plans.get(g.planId);
    if (!plan) throw new RangeError(`no rate for plan ${g.planId}`);
    const billedHours = billedHoursOf(usedMs, plan.hourRounding);
    const uncappedMinor = amountForHours(billedHours, plan.hourlyMinor);
    const amountMinor = Math.min(uncappedMinor, plan.monthlyCapMinor);
    charges.push({
      serverId: g.serverId,
      planId: g.planId,
      usedMs,
      billedHours,
      uncappedMinor,
      amountMinor,
      capped: uncappedMinor > plan.monthlyCapMinor,
    });
  }
  return charges.sort((a, b) => a.serverId.localeCompare(b.serverId) || a.planId.localeCompare(b.planId));
}
