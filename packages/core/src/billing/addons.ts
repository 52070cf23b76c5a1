import { monthCharges } from "./usage.js";
import type { BillingMonth, PlanRate, UsageInterval } from "./usage.js";

/** What a plan charges for backups when it does not say: DigitalOcean's 20 %. */
export const DEFAULT_BACKUPS_PERCENT = 20;

/** A plan's rate with the backups add-on's share of it. */
export interface AddonPlanRate extends PlanRate {
  /** Backups cost this percentage (0..100) of the server's charge and of its monthly cap. */
  backupsPercent?: number;
}

/** The backups add-on of one server on one plan in one month. */
export interface AddonMonthCharge {
  kind: "backups";
  serverId: string;
  planId: string;
  /** Milliseconds with backups on inside the month (overlaps counted once). */
  usedMs: number;
  /** Those hours after the plan's rounding. */
  billedHours: number;
  percent: number;
  /** billedHours × hourly price × percent / 100, before the cap. */
  uncappedMinor: number;
  amountMinor: number;
  capped: boolean;
}

/** `value × percent / 100` rounded half up to a minor unit; exact in integers for integer inputs. */
export function percentOf(value: number, percent: number): number {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100)
    throw new RangeError(`a percentage is an integer 0..100, got ${percent}`);
  if (Number.isInteger(value)) {
    const scaled = value * percent;
    return Number.isSafeInteger(scaled) ? Math.floor((scaled + 50) / 100) : Math.round(scaled / 100);
  }
  return Math.round((value * percent) / 100);
}

/**
 * Charges for the backups add-on over a month: per server and plan, the time backups were on
 * inside the month (its add-on intervals, split at the month's local boundaries, overlaps once),
 * rounded as the plan rounds, priced at the plan's hourly price × percent / 100 and capped at
 * the plan's monthly cap × percent / 100. Open intervals run to `nowMs` (or the month's end).
 */
export function backupsMonthCharges(
  intervals: readonly UsageInterval[],
  plans: ReadonlyMap<string, AddonPlanRate>,
  month: BillingMonth,
  nowMs = month.endMs,
): AddonMonthCharge[] {
  return monthCharges(intervals, plans, month, nowMs).map((c) => {
    const plan = plans.get(c.planId)!;
    const percent = plan.backupsPercent ?? DEFAULT_BACKUPS_PERCENT;
    const exact = Number.isInteger(c.billedHours);
    // Whole hours: hours × price is an integer, so the percentage is taken once, exactly.
    const uncappedMinor = exact
      ? percentOf(c.billedHours * plan.hourlyMinor, percent)
      : Math.round((c.billedHours * plan.hourlyMinor * percent) / 100);
    const capMinor = percentOf(plan.monthlyCapMinor, percent);
    return {
      kind: "backups" as const,
      serverId: c.serverId,
      planId: c.planId,
      usedMs: c.usedMs,
      billedHours: c.billedHours,
      percent,
      uncappedMinor,
      amountMinor: Math.min(uncappedMinor, capMinor),
      capped: uncappedMinor > capMinor,
    };
  });
}
