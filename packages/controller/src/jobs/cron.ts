/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) in UTC: numbers,
 * `*`, ranges `a-b`, lists `a,b`, and steps: `/n` after `*`, a range or a start. As in cron, when both day fields are
 * restricted a day matches either. Enough for the controller's schedules; no names, no seconds.
 */
export interface CronExpression {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  readonly anyDay: boolean;
  readonly anyWeekday: boolean;
}

/** A cron expression that does not parse; the message names the field. */
export class CronSyntaxError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`invalid cron expression "${expression}": ${reason}`);
    this.name = "CronSyntaxError";
  }
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

function parseField(expression: string, text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new CronSyntaxError(expression, `cannot read the ${field.name} "${part}"`);
    const from = match[1] === "*" ? field.min : Number(match[2]);
    const to = match[1] === "*" ? field.max : match[3] !== undefined ? Number(match[3]) : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1)
      throw new CronSyntaxError(
        expression,
        `the ${field.name} "${part}" is outside ${field.min}-${field.max}`,
      );
    // A single value with a step (`5/15`) runs from it to the end of the range, as in cron.
    const end = match[3] === undefined && match[4] !== undefined ? field.max : to;
    for (let v = from; v <= end; v += step) values.add(field.name === "day of week" && v === 7 ? 0 : v);
  }
  return values;
}

/** Parses a five-field cron expression; throws {@link CronSyntaxError}. */
export function parseCron(source: string): CronExpression {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronSyntaxError(source, "it needs five fields");
  const [minutes, hours, days, months, weekdays] = FIELDS.map((f, i) => parseField(source, parts[i]!, f));
  return {
    source,
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays: weekdays!,
    anyDay: parts[2] === "*",
    anyWeekday: parts[4] === "*",
  };
}

function dayMatches(cron: CronExpression, d: Date): boolean {
  const dom = cron.days.has(d.getUTCDate());
  const dow = cron.weekdays.has(d.getUTCDay());
  if (cron.anyDay && cron.anyWeekday) return true;
  if (cron.anyDay) return dow;
  if (cron.anyWeekday) return dom;
  return dom || dow;
}

const MINUTE = 60_000;
/** Far enough for any expression that can match at all (29 February comes every 4 years). */
const SEARCH_LIMIT = 100_000;

/** The first minute strictly after `after` that the expression matches. */
export function nextCron(cron: CronExpression, after: Date): Date {
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  for (let i = 0; i < SEARCH_LIMIT; i++) {
    const d = new Date(t);
    const [y, m, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
    if (!cron.months.has(m + 1)) t = Date.UTC(y, m + 1, 1);
    else if (!dayMatches(cron, d)) t = Date.UTC(y, m, day + 1);
    else if (!cron.hours.has(h)) t = Date.UTC(y, m, day, h + 1);
    else if (!cron.minutes.has(d.getUTCMinutes())) t += MINUTE;
    else return d;
  }
  throw new CronSyntaxError(cron.source, "it never matches");
}

/** The last minute at or before `atOrBefore` that the expression matches. */
export function previousCron(cron: CronExpression, atOrBefore: Date): Date {
  let t = Math.floor(atOrBefore.getTime() / MINUTE) * MINUTE;
  for (let i = 0; i < SEARCH_LIMIT; i++) {
    const d = new Date(t);
    const [y, m, day, h] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()];
    if (!cron.months.has(m + 1)) t = Date.UTC(y, m, 1) - MINUTE;
    else if (!dayMatches(cron, d)) t = Date.UTC(y, m, day) - MINUTE;
    else if (!cron.hours.has(h)) t = Date.UTC(y, m, day, h) - MINUTE;
    else if (!cron.minutes.has(d.getUTCMinutes())) t -= MINUTE;
    else return d;
  }
  throw new CronSyntaxError(cron.source, "it never matches");
}
