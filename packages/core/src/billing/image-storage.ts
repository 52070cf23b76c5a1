import { formatMoney } from "../money.js";
import { coveredMs } from "./usage.js";
import type { BillingMonth } from "./usage.js";

const GIB = 2n ** 30n;
const HOUR_MS = 3_600_000;

/** A span during which an account stored one image of `bytes`; `endMs` null while it still does. */
export interface ImageStorageInterval {
  imageId: string;
  bytes: number;
  startMs: number;
  endMs: number | null;
}

/** What an issuer charges for a GiB of stored images over a whole month. */
export interface ImageStoragePrice {
  minorPerGibMonth: number;
  /** ISO 4217. */
  currency: string;
}

/** An account's stored images over one month, priced. */
export interface ImageStorageMonthCharge {
  /** Distinct images stored at some time in the month. */
  images: number;
  /** Bytes × milliseconds stored inside the month: the exact integral the amount comes from. */
  byteMs: bigint;
  /** `byteMs` in GiB-hours and in GiB-months of this month's length, for display. */
  gibHours: number;
  gibMonths: number;
  hoursInMonth: number;
  price: ImageStoragePrice;
  /** byteMs × price / (2³⁰ × the month's milliseconds), rounded half up once for the month. */
  amountMinor: number;
}

/**
 * The month's charge for an account's stored images: each image's bytes times the time it was
 * stored inside the month (split at the month's local boundaries; an image's overlapping spans
 * count once; open ones run to `nowMs` or the month's end), summed exactly in BigInt, priced per
 * GiB-month of the month's own length (a GiB kept all of a 743-hour March costs the price, as it
 * does in a 720-hour April), rounded half up once. Null when nothing is charged: no price, a
 * price of 0, or nothing stored, so that such a month has no line.
 */
export function imageStorageMonthCharge(
  intervals: readonly ImageStorageInterval[],
  price: ImageStoragePrice | null,
  month: BillingMonth,
  nowMs = month.endMs,
): ImageStorageMonthCharge | null {
  if (!price || price.minorPerGibMonth === 0) return null;
  if (!Number.isSafeInteger(price.minorPerGibMonth) || price.minorPerGibMonth < 0)
    throw new RangeError(
      `image storage is priced in whole minor units per GiB-month, at least 0, got ${price.minorPerGibMonth}`,
    );
  const until = Math.min(month.endMs, Math.max(nowMs, month.startMs));
  const byImage = new Map<string, { bytes: number; spans: { startMs: number; endMs: number }[] }>();
  for (const i of intervals) {
    if (!Number.isSafeInteger(i.bytes) || i.bytes < 0)
      throw new RangeError(`image ${i.imageId} has ${i.bytes} bytes; a size is a whole number at least 0`);
    const key = `${i.imageId}\u0000${i.bytes}`;
    const of = byImage.get(key) ?? { bytes: i.bytes, spans: [] };
    of.spans.push({ startMs: i.startMs, endMs: i.endMs ?? until });
    byImage.set(key, of);
  }
  let byteMs = 0n;
  const images = new Set<string>();
  for (const [key, { bytes, spans }] of byImage) {
    const ms = coveredMs(spans, month.startMs, until);
    if (ms === 0 || bytes === 0) continue;
    byteMs += BigInt(bytes) * BigInt(ms);
    images.add(key.split("\u0000")[0]!);
  }
  if (byteMs === 0n) return null;
  const monthMs = BigInt(month.endMs - month.startMs);
  const denominator = GIB * monthMs;
  const numerator = byteMs * BigInt(price.minorPerGibMonth);
  return {
    images: images.size,
    byteMs,
    gibHours: ratio(byteMs, GIB * BigInt(HOUR_MS)),
    gibMonths: ratio(byteMs, denominator),
    hoursInMonth: Number(monthMs) / HOUR_MS,
    price,
    amountMinor: Number((2n * numerator + denominator) / (2n * denominator)),
  };
}

/** `n / d` as a float to 6 decimals, for display only: amounts come from the integers. */
function ratio(n: bigint, d: bigint): number {
  return Number((n * 1_000_000n + d / 2n) / d) / 1_000_000;
}

/** "1.2500 GiB-months". */
export function gibMonthsText(gibMonths: number): string {
  return `${gibMonths.toFixed(4)} GiB-months`;
}

/** "0.05 CAD/GiB-month". */
export function imageStoragePriceText(price: ImageStoragePrice): string {
  return `${formatMoney({ amountMinor: price.minorPerGibMonth, currency: price.currency })}/GiB-month`;
}

/** What an image-storage line keeps in its details: the exact integral and the price. */
export function imageStorageDetails(charges: readonly ImageStorageMonthCharge[]): Record<string, unknown> {
  const byteMs = charges.reduce((a, c) => a + c.byteMs, 0n);
  const price = charges[0]?.price;
  return {
    images: charges.reduce((a, c) => a + c.images, 0),
    byte_ms: byteMs.toString(),
    gib_hours: ratio(byteMs, GIB * BigInt(HOUR_MS)),
    price_minor_per_gib_month: price?.minorPerGibMonth ?? 0,
    currency: price?.currency ?? null,
  };
}
