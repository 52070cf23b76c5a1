import type { Money } from "../money.js";
import type { CompiledCarbon } from "./carbon.js";
import { EnergyRangeError, InvalidBucketError } from "./errors.js";
import { QUARTER_HOUR_MS } from "./hourly-series.js";
import { divRoundHalfEven, toSafeNumber } from "./rounding.js";
import type { CompiledTariff, CurrencyCode } from "./tariff.js";
import { assertCurrency } from "./tariff.js";

/** Energy used over a span of time; assumed spread evenly over the span. */
export interface EnergyBucket {
  readonly start: Date;
  readonly durationMs: number;
  readonly energyUj: number;
}

/** Cost of a bucket in integer millionths of a minor unit; sum these, then convert once with toMoney. */
export interface BucketCost {
  readonly currency: CurrencyCode;
  readonly microMinor: number;
}

/** µJ in one MWh divided by 10^6 (micro-minor units): cost_µminor = µJ × price_minor/MWh / 3.6e9. */
const UJ_PER_MWH_OVER_MICRO = 3_600_000_000n;
/** µJ in one kWh: carbon_mg = µJ × mg/kWh / 3.6e12. */
const UJ_PER_KWH = 3_600_000_000_000n;

/**
 * Prices a bucket with the tariff in force during it. The bucket is cut at every 15-minute UTC
 * boundary (where any local hour can start), each piece priced exactly as a fraction, and the sum
 * rounded half-even once to whole micro-minor units.
 */
export function priceBucket(bucket: EnergyBucket, tariff: CompiledTariff): BucketCost {
  const weighted = weightedSum(bucket, (ms) => tariff.pricePerMwhMinorAt(ms));
  const microMinor =
    bucket.durationMs === 0
      ? 0n
      : divRoundHalfEven(
          BigInt(bucket.energyUj) * weighted,
          BigInt(bucket.durationMs) * UJ_PER_MWH_OVER_MICRO,
        );
  return { currency: tariff.currency, microMinor: toSafeNumber(microMinor, "microMinor", rangeError) };
}

/** Carbon of a bucket in integer milligrams CO2e, computed like priceBucket and rounded half-even once. */
export function carbonOfBucket(bucket: EnergyBucket, carbon: CompiledCarbon): { readonly carbonMg: number } {
  const weighted = weightedSum(bucket, (ms) => carbon.mgPerKwhAt(ms));
  const mg =
    bucket.durationMs === 0
      ? 0n
      : divRoundHalfEven(BigInt(bucket.energyUj) * weighted, BigInt(bucket.durationMs) * UJ_PER_KWH);
  return { carbonMg: toSafeNumber(mg, "carbonMg", rangeError) };
}

/** Converts a summed micro-minor amount to minor units, rounding half-even (once per invoice line). */
export function toMoney(currency: CurrencyCode, microMinor: number | bigint): Money {
  assertCurrency(currency);
  const minor = divRoundHalfEven(BigInt(microMinor), 1_000_000n);
  return { amountMinor: toSafeNumber(minor, "amountMinor", rangeError), currency };
}

/** Σ over pieces of (piece duration ms × rate in force); exact. */
function weightedSum(bucket: EnergyBucket, rateAt: (ms: number) => number): bigint {
  const start = bucket.start.getTime();
  if (!Number.isSafeInteger(start)) throw new InvalidBucketError("start is not a valid date");
  if (!Number.isSafeInteger(bucket.durationMs) || bucket.durationMs < 0) {
    throw new InvalidBucketError(`durationMs must be a non-negative integer, got ${bucket.durationMs}`);
  }
  if (!Number.isSafeInteger(bucket.energyUj) || bucket.energyUj < 0) {
    throw new InvalidBucketError(`energyUj must be a non-negative integer, got ${bucket.energyUj}`);
  }
  if (bucket.durationMs === 0 && bucket.energyUj !== 0) {
    throw new InvalidBucketError("a bucket with energy must have a duration");
  }
  const end = start + bucket.durationMs;
  let total = 0n;
  for (let from = start; from < end;) {
    const to = Math.min(end, (Math.floor(from / QUARTER_HOUR_MS) + 1) * QUARTER_HOUR_MS);
    total += BigInt(to - from) * BigInt(rateAt(from));
    from = to;
  }
  return total;
}

function rangeError(field: string, value: bigint): Error {
  return new EnergyRangeError(field, value);
}
