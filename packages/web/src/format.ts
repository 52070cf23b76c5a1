/**
 * How the portal writes numbers for people: money (integer minor units and a currency), dates
 * and times, sizes, power and energy. Every page formats through these, so one amount or one
 * date reads the same wherever it shows.
 */

/* ------------------------------------------------------------------ money */

const currencyFormats = new Map<string, Intl.NumberFormat | null>();

/** The currency's formatter, or null for a code Intl does not know. */
function currencyFormat(currency: string): Intl.NumberFormat | null {
  let format = currencyFormats.get(currency);
  if (format === undefined) {
    try {
      format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    } catch {
      format = null;
    }
    currencyFormats.set(currency, format);
  }
  return format;
}

/** How many decimals the currency's minor unit has (2 for CAD: 1 dollar is 100 cents; 0 for JPY). */
export function minorDigits(currency: string): number {
  return currencyFormat(currency)?.resolvedOptions().maximumFractionDigits ?? 2;
}

/** An amount in integer minor units (cents) shown in the currency, e.g. 1234 CAD → "CA$12.34". */
export function money(minor: number, currency: string): string {
  const format = currencyFormat(currency);
  const major = minor / 10 ** minorDigits(currency);
  // An unknown currency code still reads as an amount.
  return format ? format.format(major) : `${major.toFixed(minorDigits(currency))} ${currency}`;
}

/** Minor units as the text a money input shows ("12.50" for 1250 cents); empty for none. */
export function minorToInput(minor: number | null | undefined, currency: string): string {
  if (minor === null || minor === undefined) return "";
  const digits = minorDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/**
 * What a person typed as an amount in major units ("12.50", "12,50", "1,234.5", "$12") in
 * integer minor units of the currency, or undefined when it is not an amount (zero included)
 * the currency can hold. Callers that want a positive amount check for more than zero.
 */
export function parseMinor(text: string, currency = "CAD"): number | undefined {
  const cleaned = text
    .trim()
    .replace(/[\s$€£¥]/g, "")
    // A comma before the last one or two digits is a decimal comma; any other is a thousands separator.
    .replace(/,(\d{1,2})$/, ".$1")
    .replace(/,/g, "");
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(cleaned)) return undefined;
  const digits = minorDigits(currency);
  const [whole = "", fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return undefined;
  const minor = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** A price per MWh in minor units as a price per kWh, e.g. "$0.12/kWh". */
export function perKwh(perMwhMinor: number, currency: string): string {
  const major = perMwhMinor / 10 ** minorDigits(currency) / 1000;
  try {
    const format = new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 4,
    });
    return `${format.format(major)}/kWh`;
  } catch {
    return `${major} ${currency}/kWh`;
  }
}

/* ------------------------------------------------------------------ dates and times */

/** A date and time in the reader's locale, for a `<time>` element. */
export function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A calendar date alone (an invoice's issue or due date), in the reader's locale. */
export function day(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** A billing period, "2025-03", as "March 2025". */
export function periodName(period: string): string {
  const [year, month] = period.split("-").map(Number);
  if (!year || !month) return period;
  return new Date(Date.UTC(year, month - 1, 15)).toLocaleDateString(undefined, {
    year: "numeric",
    month: "long",
    timeZone: "UTC",
  });
}

/** "3 minutes ago", for the age of a sample or a heartbeat; "never" for none. */
export function ago(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "never";
  const seconds = Math.round((nowMs - Date.parse(iso)) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (Math.abs(seconds) < 60) return rtf.format(-seconds, "second");
  if (Math.abs(seconds) < 3600) return rtf.format(-Math.round(seconds / 60), "minute");
  if (Math.abs(seconds) < 86_400) return rtf.format(-Math.round(seconds / 3600), "hour");
  return rtf.format(-Math.round(seconds / 86_400), "day");
}

/* ------------------------------------------------------------------ sizes, power, energy */

/** A number with at most `digits` decimals, in the reader's locale. */
export function num(value: number, digits = 1): string {
  return value.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** Memory in MiB as people read it: "512 MiB", "2 GiB", "1.5 GiB". */
export function memory(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return `${num(gib, gib < 10 ? 1 : 0)} GiB`;
}

/** Disk in GiB, shown in TiB from 1 TiB up. */
export function disk(gib: number): string {
  return gib >= 1024 ? `${num(gib / 1024)} TiB` : `${gib} GiB`;
}

/** A size in bytes: "812 B", "3.4 MiB", "20 GiB"; a dash for an unknown size. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${num(value, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Watts as people read them: "42 W", "1,250 W", "3.5 W". */
export function watts(w: number): string {
  return `${num(w, Math.abs(w) < 10 ? 1 : 0)} W`;
}

/** Energy as "12.345 kWh" (at most three decimals). */
export function kwh(value: number): string {
  return `${num(value, 3)} kWh`;
}
