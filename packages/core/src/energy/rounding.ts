/**
 * Integer division of `n` by a positive `d`, rounded half to even (banker's rounding).
 * Half-even avoids the upward drift that half-up would add when millions of buckets are summed.
 */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("divisor must be positive");
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) return q + 1n;
  return q;
}

/** Converts back to a number, refusing values that would lose precision. */
export function toSafeNumber(
  value: bigint,
  field: string,
  onError: (field: string, value: bigint) => Error,
): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw onError(field, value);
  }
  return Number(value);
}

/**
 * Parses a plain decimal string ("-12.345", "7", "0.5") into an exact fraction `numerator / 10^scale`.
 * Returns undefined for anything else (exponents, thousands separators, NaN, empty).
 */
export function parseDecimal(text: string): { numerator: bigint; scale: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) return undefined;
  const intPart = m[2] ?? "";
  const fracPart = m[3] ?? "";
  if (intPart === "" && fracPart === "") return undefined;
  const digits = BigInt(`${intPart}${fracPart}` || "0");
  return { numerator: m[1] === "-" ? -digits : digits, scale: fracPart.length };
}
