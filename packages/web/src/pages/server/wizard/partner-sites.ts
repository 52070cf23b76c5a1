import type { PartnerSite } from "../../../api";
import type { SiteEnergyFigures } from "../energy";

/**
 * A partner site's energy as the partner stated it in its offer (docs/federation.md, "Offers"):
 * figures for "now" at the time of the offer, no weekly averages and no PUE, so the estimate
 * uses the carbon figure and leaves the cost out.
 */
export function partnerSiteFigures(site: PartnerSite): SiteEnergyFigures {
  const figures: SiteEnergyFigures = { currency: site.energy.currency, pue: 1 };
  if (site.energy.price_now_per_mwh_minor !== null)
    figures.priceNowPerKwhMinor = site.energy.price_now_per_mwh_minor / 1000;
  if (site.energy.carbon_g_per_kwh_now !== null) figures.carbonNowGPerKwh = site.energy.carbon_g_per_kwh_now;
  return figures;
}
