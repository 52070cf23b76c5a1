/** "25" or "12.5" (percent, two decimals at most) in basis points (2500, 1250); undefined when it is not one. */
export function percentToBasisPoints(text: string): number | undefined {
  const m = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}
