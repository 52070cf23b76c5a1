import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type ServerEnergy = Json<paths["/servers/{id}/energy"]["get"]["responses"][200]>;
/** One site of GET /sites/energy-now: price and carbon now and on average, computed by the controller. */
export type SiteEnergyNow = Json<paths["/sites/energy-now"]["get"]["responses"][200]>["items"][number];

/** What a site's electricity costs and emits, per kWh, as the controller reports it. */
export interface SiteEnergyFigures {
  currency: string;
  pue: number;
  /** Price per kWh in force now, in (fractional) minor units. */
  priceNowPerKwhMinor?: number;
  /** Average price per kWh over a week, for monthly estimates. */
  priceAvgPerKwhMinor?: number;
  carbonNowGPerKwh?: number;
  /** Average carbon intensity over the same week, for monthly estimates. */
  carbonAvgGPerKwh?: number;
}

/** Turns the controller's per-MWh figures into per-kWh ones; unknown figures stay absent. */
export function siteEnergyFigures(site: SiteEnergyNow): SiteEnergyFigures {
  const figures: SiteEnergyFigures = { currency: site.currency, pue: site.pue > 0 ? site.pue : 1 };
  if (site.price_now_per_mwh_minor !== null)
    figures.priceNowPerKwhMinor = site.price_now_per_mwh_minor / 1000;
  if (site.price_avg_per_mwh_minor !== null)
    figures.priceAvgPerKwhMinor = site.price_avg_per_mwh_minor / 1000;
  if (site.carbon_g_per_kwh_now !== null) figures.carbonNowGPerKwh = site.carbon_g_per_kwh_now;
  if (site.carbon_avg_g_per_kwh !== null) figures.carbonAvgGPerKwh = site.carbon_avg_g_per_kwh;
  return figures;
}

/**
 * The assumptions of the wizard's energy estimate. They mirror the agent's default power model
 * (`generic-1s-entry` in packages/agent/src/metering/power-profiles.ts: 45 W idle, 155 W at full
 * load) on a host with 16 logical CPUs, and the attribution rule in docs/energy.md: a server pays
 * its vCPUs' share of the host's idle power, plus active power in proportion to the CPU it uses.
 */
export const ESTIMATE = {
  hostIdleWatts: 45,
  hostPeakWatts: 155,
  hostCpus: 16,
  /** Average CPU use assumed for a typical server. */
  load: 0.25,
  hoursPerMonth: 730,
} as const;

/** Estimated average power of a server with `vcpus` at an average CPU `load` (0..1), PUE included. */
export function estimatedWatts(vcpus: number, load: number, pue = 1): number {
  const idle = ESTIMATE.hostIdleWatts / ESTIMATE.hostCpus;
  const active = (ESTIMATE.hostPeakWatts - ESTIMATE.hostIdleWatts) / ESTIMATE.hostCpus;
  return vcpus * (idle + load * active) * pue;
}

/** kWh in a month of average power. */
export function monthlyKwh(watts: number): number {
  return (watts * ESTIMATE.hoursPerMonth) / 1000;
}

/** Electricity cost of `kwh` at the site's average price, in (fractional) minor units; undefined when unknown. */
export function energyCostMinor(kwh: number, figures: SiteEnergyFigures | undefined): number | undefined {
  return figures?.priceAvgPerKwhMinor === undefined ? undefined : kwh * figures.priceAvgPerKwhMinor;
}

/** Grams CO2e of `kwh` at the site's average intensity (or today's); undefined when unknown. */
export function energyCarbonG(kwh: number, figures: SiteEnergyFigures | undefined): number | undefined {
  const g = figures?.carbonAvgGPerKwh ?? figures?.carbonNowGPerKwh;
  return g === undefined ? undefined : kwh * g;
}

/** The current month's draft bill as GET /billing/usage answers it (the route has no typed schema). */
export interface MonthUsage {
  period: string;
  currency: string;
  charges: {
    serverId: string;
    planId: string;
    billedHours: number;
    amountMinor: number;
    uncappedMinor: number;
    capped: boolean;
  }[];
  energyBilled: boolean;
}

/** Checks the parts of the untyped usage answer the server page reads. */
export function parseMonthUsage(body: Record<string, unknown>): MonthUsage | undefined {
  const charges = body["charges"];
  if (typeof body["currency"] !== "string" || !Array.isArray(charges)) return undefined;
  return {
    period: typeof body["period"] === "string" ? body["period"] : "",
    currency: body["currency"],
    energyBilled: body["energyBilled"] === true,
    charges: charges
      .filter(
        (c): c is MonthUsage["charges"][number] =>
          typeof c === "object" &&
          c !== null &&
          typeof (c as { serverId?: unknown }).serverId === "string" &&
          typeof (c as { amountMinor?: unknown }).amountMinor === "number",
      )
      .map((c) => ({ ...c, billedHours: Number(c.billedHours) || 0, capped: c.capped === true })),
  };
}
