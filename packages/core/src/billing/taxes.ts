/** A tax that applies in a region, with its rate in basis points of a basis point (1e-6: 9.975% = 99_750). */
export interface TaxRate {
  region: string;
  name: string;
  /** Millionths: 50_000 is 5%. */
  rateMicros: number;
}

/**
 * Canada's sales taxes by province and territory, as editable data (providers change them in
 * the database; these are the defaults shipped). GST 5% everywhere; HST replaces GST+PST in
 * the Atlantic provinces and Ontario; Quebec adds QST, and BC, Manitoba and Saskatchewan PST.
 */
export const CANADA_TAX_RATES: readonly TaxRate[] = [
  { region: "CA-ON", name: "HST", rateMicros: 130_000 },
  { region: "CA-NB", name: "HST", rateMicros: 150_000 },
  { region: "CA-NL", name: "HST", rateMicros: 150_000 },
  { region: "CA-NS", name: "HST", rateMicros: 140_000 },
  { region: "CA-PE", name: "HST", rateMicros: 150_000 },
  { region: "CA-QC", name: "GST", rateMicros: 50_000 },
  { region: "CA-QC", name: "QST", rateMicros: 99_750 },
  { region: "CA-BC", name: "GST", rateMicros: 50_000 },
  { region: "CA-BC", name: "PST", rateMicros: 70_000 },
  { region: "CA-MB", name: "GST", rateMicros: 50_000 },
  { region: "CA-MB", name: "RST", rateMicros: 70_000 },
  { region: "CA-SK", name: "GST", rateMicros: 50_000 },
  { region: "CA-SK", name: "PST", rateMicros: 60_000 },
  { region: "CA-AB", name: "GST", rateMicros: 50_000 },
  { region: "CA-NT", name: "GST", rateMicros: 50_000 },
  { region: "CA-NU", name: "GST", rateMicros: 50_000 },
  { region: "CA-YT", name: "GST", rateMicros: 50_000 },
];

/** ISO 3166-2 subdivision codes the tax rules may name. */
export const KNOWN_TAX_REGIONS: ReadonlySet<string> = new Set(CANADA_TAX_RATES.map((r) => r.region));

/** Tax lines on a subtotal: each rate applied to the subtotal, rounded half up to a minor unit. */
export function taxLines(
  subtotalMinor: number,
  rates: readonly TaxRate[],
): { name: string; rateMicros: number; amountMinor: number }[] {
  const base = Math.max(0, subtotalMinor);
  return rates.map((r) => ({
    name: r.name,
    rateMicros: r.rateMicros,
    amountMinor: Math.floor((base * r.rateMicros + 500_000) / 1_000_000),
  }));
}
