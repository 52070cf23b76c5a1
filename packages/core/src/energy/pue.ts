import { InvalidPueError } from "./errors.js";
import { parseDecimal } from "./rounding.js";

/**
 * Power usage effectiveness in integer thousandths ("per-mille"): 1350 means PUE 1.35.
 * Integers keep facility-energy arithmetic exact; three decimals is finer than any PUE is measured.
 */
export type PueMilli = number & { readonly __pueMilli: unique symbol };

/** Validates a PUE already in thousandths (must be an integer >= 1000). */
export function pueMilli(value: number): PueMilli {
  if (!Number.isSafeInteger(value) || value < 1000) throw new InvalidPueError(value / 1000);
  return value as PueMilli;
}

/** Parses a decimal PUE such as "1.35" or 1.2 exactly into thousandths; refuses values below 1. */
export function parsePue(value: string | number): PueMilli {
  const text = typeof value === "number" ? String(value) : value;
  const parsed = parseDecimal(text);
  if (parsed === undefined || parsed.scale > 3) throw new InvalidPueError(value);
  const milli = parsed.numerator * 10n ** BigInt(3 - parsed.scale);
  if (milli < 1000n || milli > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidPueError(value);
  return Number(milli) as PueMilli;
}
