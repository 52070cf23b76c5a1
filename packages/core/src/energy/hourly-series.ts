import { InvalidTariffError } from "./errors.js";

export const HOUR_MS = 3_600_000;
/** Every real UTC offset is a multiple of 15 minutes, so local hours start on this UTC grid. */
export const QUARTER_HOUR_MS = 900_000;

/** Looks up values that each hold for one hour from a UTC start instant. */
export interface HourlyLookup {
  /** The value in force at `ms`, or undefined when no point covers it. */
  at(ms: number): number | undefined;
}

/** Builds a lookup from hour-long points; refuses overlaps and starts off the 15-minute grid. */
export function hourlyLookup(
  points: readonly { readonly startMs: number; readonly value: number }[],
  what: string,
): HourlyLookup {
  const sorted = [...points].sort((a, b) => a.startMs - b.startMs);
  const starts: number[] = [];
  const values: number[] = [];
  for (const p of sorted) {
    if (!Number.isSafeInteger(p.startMs) || p.startMs % QUARTER_HOUR_MS !== 0) {
      throw new InvalidTariffError(`${what} point start ${p.startMs} is not on a 15-minute UTC boundary`);
    }
    if (!Number.isFinite(p.value))
      throw new InvalidTariffError(`${what} value at ${p.startMs} is not finite`);
    const prev = starts[starts.length - 1];
    if (prev !== undefined && p.startMs - prev < HOUR_MS) {
      throw new InvalidTariffError(
        `${what} points at ${new Date(prev).toISOString()} and ${new Date(p.startMs).toISOString()} overlap`,
      );
    }
    starts.push(p.startMs);
    values.push(p.value);
  }
  return {
    at(ms) {
      let lo = 0;
      let hi = starts.length - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! <= ms) {
          found = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (found < 0 || ms >= starts[found]! + HOUR_MS) return undefined;
      return values[found];
    },
  };
}
