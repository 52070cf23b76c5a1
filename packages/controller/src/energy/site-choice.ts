import type { EnergyCandidate } from "@layerboom/core";
import { EnergyError, HOUR_MS, InvalidInputError, energyWeigher } from "@layerboom/core";
import type { ServiceContext } from "../base/context.js";
import { sitePricing } from "./site-energy.js";

/** A site the energy weighers ranked, with its score (0 best, 1 worst) and the signals behind it. */
export interface RankedSite {
  siteId: string;
  score: number;
  pricePerMwhMinor: number | undefined;
  carbonGPerKwh: number | undefined;
}

function orUndefined(read: () => number): number | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof EnergyError) return undefined;
    throw err;
  }
}

/**
 * Ranks the sites whose provider opted in to energy-aware placement by electricity price and
 * grid carbon intensity at `at` (docs/energy.md, "Placement weighers"), best first. Prices
 * are only compared within one currency: when opted-in sites price in several, carbon alone
 * decides. A site without data scores worst on that signal, so missing data never wins.
 */
export async function rankSitesByEnergy(
  ctx: Pick<ServiceContext, "database">,
  at: Date,
): Promise<RankedSite[]> {
  const sites = await ctx.database.db
    .selectFrom("site_energy_settings")
    .select(["site_id", "currency"])
    .where("energy_aware_placement", "=", true)
    .orderBy("site_id")
    .execute();
  if (sites.length === 0) {
    throw new InvalidInputError(
      "site_id",
      "site_id is required: no site offers energy-aware placement, so Layerboom cannot choose one for you",
    );
  }
  const atMs = at.getTime();
  const signals = await Promise.all(
    sites.map(async (s) => {
      const pricing = await sitePricing(ctx, s.site_id, atMs, atMs + HOUR_MS);
      const tariff = pricing.tariff;
      const carbon = pricing.carbon;
      return {
        siteId: s.site_id,
        currency: pricing.currency,
        price: tariff ? orUndefined(() => tariff.pricePerMwhMinorAt(atMs)) : undefined,
        carbon: carbon ? orUndefined(() => carbon.mgPerKwhAt(atMs) / 1000) : undefined,
      };
    }),
  );
  const oneCurrency = new Set(signals.map((s) => s.currency)).size === 1;
  const candidates: EnergyCandidate[] = signals.map((s) => ({
    siteId: s.siteId,
    priceAt: () => s.price,
    carbonAt: () => s.carbon,
  }));
  const scores = energyWeigher(candidates, at, { price: oneCurrency ? 1 : 0, carbon: 1 });
  return signals
    .map((s) => ({
      siteId: s.siteId,
      score: scores.get(s.siteId) ?? 1,
      pricePerMwhMinor: s.price,
      carbonGPerKwh: s.carbon,
    }))
    .sort((a, b) => a.score - b.score || a.siteId.localeCompare(b.siteId));
}
