import { UnknownTimeZoneError } from "./errors.js";

/** Wall-clock fields of an instant in a zone. `weekday` is 0 for Sunday. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly weekday: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch (err) {
      if (err instanceof RangeError) throw new UnknownTimeZoneError(zone);
      throw err;
    }
    formatters.set(zone, f);
  }
  return f;
}

/** Throws UnknownTimeZoneError unless `zone` is an IANA zone this runtime knows. */
export function assertTimeZone(zone: string): void {
  formatter(zone);
}

function wallClockMs(ms: number, zone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(ms)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  // Some ICU versions print midnight as 24 even with h23.
  const hour = fields.hour === 24 ? 0 : (fields.hour ?? 0);
  return Date.UTC(
    fields.year ?? 0,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    hour,
    fields.minute,
    fields.second,
  );
}

/** Offset of the zone from UTC at an instant (local − UTC), in milliseconds. */
export function offsetMsAt(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallClockMs(whole, zone) - whole;
}

/** The wall clock in `zone` at an instant. */
export function localTimeAt(ms: number, zone: string): LocalTime {
  const wall = new Date(ms + offsetMsAt(ms, zone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * The first instant of a local calendar date. When midnight is skipped by a DST gap
 * (e.g. America/Havana), the day starts at the end of the gap.
 */
export function startOfLocalDay(year: number, month: number, day: number, zone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const before = offsetMsAt(wall - DAY_MS, zone);
  const after = offsetMsAt(wall + DAY_MS, zone);
  const candidates = [wall - before, wall - after].filter((t) => t + offsetMsAt(t, zone) === wall);
  if (candidates.length > 0) return Math.min(...candidates);
  // Midnight is in a gap: find the transition instant, after which the offset is `after`.
  let lo = wall - before - DAY_MS;
  let hi = wall - after + DAY_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMsAt(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** ISO date string (YYYY-MM-DD) for a local date. */
export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
