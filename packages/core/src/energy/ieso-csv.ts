import { PriceCsvError } from "./errors.js";
import { HOUR_MS } from "./hourly-series.js";
import { divRoundHalfEven, parseDecimal } from "./rounding.js";
import type { HourlyPricePoint, HourlyTariff } from "./tariff.js";
import { assertCurrency } from "./tariff.js";
import { assertTimeZone, startOfLocalDay } from "./time-zone.js";

/** Options for parseIesoPriceCsv. */
export interface IesoPriceCsvOptions {
  /**
   * IANA zone the file's dates and hours are written in. IESO publishes in Eastern Standard
   * Time all year, which is "Etc/GMT+5" (POSIX sign: UTC−5), not "America/Toronto".
   */
  readonly zone: string;
  /** Defaults to "CAD". */
  readonly currency?: string;
  /** Minor units per major unit; defaults to 100. */
  readonly minorPerMajor?: number;
}

interface Row {
  readonly line: number;
  readonly hour: number;
  readonly priceMinor: number;
}

/**
 * Imports an IESO-style hourly price CSV: `date,hour ending,price $/MWh[,ignored...]`.
 * Hour ending H on a date is the H-th elapsed hour after the local day's first instant, so a
 * 23-hour spring-forward day has hours 1–23 and a 25-hour fall-back day hours 1–25.
 * Every date between the first and last must be complete. Lines starting with `\\` or `#`,
 * blank lines and a header line are skipped. All-or-nothing: any bad line throws PriceCsvError.
 */
export function parseIesoPriceCsv(text: string, options: IesoPriceCsvOptions): HourlyTariff {
  assertTimeZone(options.zone);
  const currency = options.currency ?? "CAD";
  assertCurrency(currency);
  const minorPerMajor = BigInt(options.minorPerMajor ?? 100);
  const lines = text.split(/\r?\n/);
  const days = new Map<string, Row[]>();
  let sawData = false;

  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("\\") || trimmed.startsWith("#")) return;
    const fields = splitCsvLine(trimmed, line);
    if (!sawData && /^[A-Za-z]/.test(fields[0] ?? "")) return;
    sawData = true;
    if (fields.length < 3)
      throw new PriceCsvError(line, `expected date,hour,price but got ${fields.length} field(s)`);
    const [dateText, hourText, priceText] = fields as [string, string, string];
    if (parseDate(dateText) === undefined)
      throw new PriceCsvError(line, `bad date ${JSON.stringify(dateText)} (want YYYY-MM-DD)`);
    if (!/^\d{1,2}$/.test(hourText) || Number(hourText) < 1 || Number(hourText) > 25) {
      throw new PriceCsvError(line, `bad hour ending ${JSON.stringify(hourText)} (want 1–25)`);
    }
    const price = parseDecimal(priceText);
    if (price === undefined)
      throw new PriceCsvError(line, `price ${JSON.stringify(priceText)} is not a number`);
    const priceMinor = Number(divRoundHalfEven(price.numerator * minorPerMajor, 10n ** BigInt(price.scale)));
    if (!Number.isSafeInteger(priceMinor))
      throw new PriceCsvError(line, `price ${priceText} is out of range`);
    const rows = days.get(dateText) ?? [];
    const hour = Number(hourText);
    const twin = rows.find((r) => r.hour === hour);
    if (twin !== undefined) {
      throw new PriceCsvError(
        line,
        `duplicate hour ending ${hour} on ${dateText} (first on line ${twin.line}); a 25-hour day is numbered 1–25`,
      );
    }
    rows.push({ line, hour, priceMinor });
    days.set(dateText, rows);
  });

  if (days.size === 0) throw new PriceCsvError(lines.length, "no price rows");
  const dates = [...days.keys()].sort();
  const points: HourlyPricePoint[] = [];
  let expected: string | undefined;
  for (const date of dates) {
    const rows = days.get(date)!;
    const firstLine = Math.min(...rows.map((r) => r.line));
    if (expected !== undefined && date !== expected) {
      throw new PriceCsvError(firstLine, `dates jump from before ${expected} to ${date}: missing day(s)`);
    }
    const [y, m, d] = parseDate(date)!;
    const start = startOfLocalDay(y, m, d, options.zone);
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    const end = startOfLocalDay(
      next.getUTCFullYear(),
      next.getUTCMonth() + 1,
      next.getUTCDate(),
      options.zone,
    );
    expected = next.toISOString().slice(0, 10);
    const hoursInDay = (end - start) / HOUR_MS;
    if (!Number.isInteger(hoursInDay)) {
      throw new PriceCsvError(firstLine, `${date} in ${options.zone} is not a whole number of hours long`);
    }
    for (const r of rows) {
      if (r.hour > hoursInDay) {
        throw new PriceCsvError(
          r.line,
          `hour ending ${r.hour} does not exist on ${date} in ${options.zone} (${hoursInDay}-hour day)`,
        );
      }
    }
    const missing: number[] = [];
    for (let h = 1; h <= hoursInDay; h++) if (!rows.some((r) => r.hour === h)) missing.push(h);
    if (missing.length > 0) {
      throw new PriceCsvError(firstLine, `${date} is missing hour(s) ending ${missing.join(", ")}`);
    }
    for (const r of [...rows].sort((a, b) => a.hour - b.hour)) {
      points.push({ startMs: start + (r.hour - 1) * HOUR_MS, pricePerMwhMinor: r.priceMinor });
    }
  }
  return { kind: "hourly", currency, points };
}

function parseDate(text: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d)
    return undefined;
  return [y, mo, d];
}

/** Splits one CSV line, honouring double quotes ("" inside quotes is a quote). */
function splitCsvLine(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      fields.push(current.trim());
      current = "";
    } else current += c;
  }
  if (quoted) throw new PriceCsvError(lineNo, "unterminated quote");
  fields.push(current.trim());
  return fields;
}
