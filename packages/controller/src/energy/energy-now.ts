import { EnergyError, HOUR_MS, compileCarbon, compileTariff } from "@layerboom/core";
import type { CompiledCarbon, CompiledTariff, TouTariff } from "@layerboom/core";
import type { Database } from "@layerboom/db";

/**
 * The currency a site's energy settings start with (the column's default in 0003_energy.sql),
 * shown for a site whose provider never set a tariff. It labels prices that are all null and never
 * reaches an invoice: a cost needs a tariff, and a tariff names its own currency.
 */
export const UNSET_SITE_CURRENCY = "CAD";

/** Hours the average price and carbon intensity run over: one week, so every weekday and hour counts once. */
export const ENERGY_AVERAGE_HOURS = 7 * 24;

/** What electricity costs and emits at one site now, and on average, as far as its settings tell. */
export interface SiteEnergyNow {
  site_id: string;
  /** The tariff's currency (or the site's when it has no tariff). */
  currency: string;
  /** Power usage effectiveness, e.g. 1.35; 1 for a site never configured. */
  pue: number;
  /** The price in force now, per MWh in minor units; null without a tariff or price data for now. */
  price_now_per_mwh_minor: number | null;
  /**
   * The mean price per MWh in minor units, rounded to an integer: over the coming 7 days for a
   * time-of-use tariff, over the past 7 days (hours with data) for an hourly market series,
   * whose future is unknown. Null without a tariff or any price data in that week.
   */
  price_avg_per_mwh_minor: number | null;
  /** The grid carbon intensity now, gCO2e/kWh; null without carbon settings or data for now. */
  carbon_g_per_kwh_now: number | null;
  /** The mean intensity over the same week as the price (the past 7 days for an hourly series). */
  carbon_avg_g_per_kwh: number | null;
}

type StoredTariff = TouTariff | { kind: "hourly"; currency: string };
type StoredCarbon = { kind: "annual"; gPerKwh: number } | { kind: "hourly"; annualDefaultGPerKwh?: number };

/** Runs a read that may find no data (or settings it cannot use): null then, never a made-up number. */
function known<T>(read: () => T): T | null {
  try {
    return read();
  } catch (err) {
    if (err instanceof EnergyError) return null;
    throw err;
  }
}

/**
 * The mean of `at` over one value an hour for a week: the coming week from `nowMs` when the
 * figures are known ahead (a TOU schedule, an annual figure), otherwise the week up to and
 * including the current hour. Hours without data are left out; null when none has any.
 * Stepping by whole hours hits each hour-long series point once, and each local hour of a
 * weekly TOU plan once.
 */
function weekMean(at: (ms: number) => number, nowMs: number, ahead: boolean): number | null {
  let sum = 0;
  let count = 0;
  for (let k = 0; k < ENERGY_AVERAGE_HOURS; k++) {
    const v = known(() => at(ahead ? nowMs + k * HOUR_MS : nowMs - k * HOUR_MS));
    if (v === null) continue;
    sum += v;
    count++;
  }
  return count === 0 ? null : sum / count;
}

/**
 * Every site's electricity price and carbon intensity now, and their weekly means, computed
 * with core's compileTariff and compileCarbon (the same rules as the energy reports). Four
 * statements for all sites together: sites, settings, and the past week of price and carbon
 * series. A site without settings has PUE 1 and nulls. With `averages: false` (the dashboard,
 * polled every few seconds) only the figures for now are worked out, from two hours of series.
 */
export async function sitesEnergyNow(
  db: Database["db"],
  now = new Date(),
  options: { averages?: boolean } = {},
): Promise<SiteEnergyNow[]> {
  const nowMs = now.getTime();
  const averages = options.averages ?? true;
  // The series rows that can cover an instant in (now - 7 days, now], or only now.
  const seriesFrom = new Date(nowMs - ((averages ? ENERGY_AVERAGE_HOURS : 1) + 1) * HOUR_MS);
  const [sites, settings, prices, carbon] = await Promise.all([
    db.selectFrom("sites").select(["id", "time_zone"]).orderBy("id").execute(),
    db
      .selectFrom("site_energy_settings")
      .select(["site_id", "pue_milli", "tariff", "carbon", "currency"])
      .execute(),
    db
      .selectFrom("site_energy_prices")
      .select(["site_id", "starts_at", "price_per_mwh_minor"])
      .where("starts_at", ">", seriesFrom)
      .where("starts_at", "<=", now)
      .orderBy("starts_at")
      .execute(),
    db
      .selectFrom("site_carbon_intensity")
      .select(["site_id", "starts_at", "mg_per_kwh"])
      .where("starts_at", ">", seriesFrom)
      .where("starts_at", "<=", now)
      .orderBy("starts_at")
      .execute(),
  ]);
  const settingsOf = new Map(settings.map((s) => [s.site_id, s]));

  return sites.map((site) => {
    const s = settingsOf.get(site.id);
    const tariff = (s?.tariff as StoredTariff | null | undefined) ?? null;
    const carbonSetting = (s?.carbon as StoredCarbon | null | undefined) ?? null;

    let compiledTariff: CompiledTariff | null = null;
    if (tariff?.kind === "hourly") {
      compiledTariff = known(() =>
        compileTariff(
          {
            kind: "hourly",
            currency: tariff.currency,
            points: prices
              .filter((p) => p.site_id === site.id)
              .map((p) => ({ startMs: p.starts_at.getTime(), pricePerMwhMinor: p.price_per_mwh_minor })),
          },
          { zone: site.time_zone },
        ),
      );
    } else if (tariff) {
      compiledTariff = known(() => compileTariff(tariff, { zone: site.time_zone }));
    }

    let compiledCarbon: CompiledCarbon | null = null;
    if (carbonSetting?.kind === "annual") {
      compiledCarbon = known(() => compileCarbon(carbonSetting));
    } else if (carbonSetting) {
      compiledCarbon = known(() =>
        compileCarbon({
          kind: "hourly",
          points: carbon
            .filter((p) => p.site_id === site.id)
            .map((p) => ({ startMs: p.starts_at.getTime(), gPerKwh: p.mg_per_kwh / 1000 })),
          ...(carbonSetting.annualDefaultGPerKwh !== undefined
            ? { annualDefaultGPerKwh: carbonSetting.annualDefaultGPerKwh }
            : {}),
        }),
      );
    }

    const priceAvg =
      averages && compiledTariff
        ? weekMean((ms) => compiledTariff.pricePerMwhMinorAt(ms), nowMs, tariff?.kind !== "hourly")
        : null;
    const carbonAvgMg =
      averages && compiledCarbon
        ? weekMean((ms) => compiledCarbon.mgPerKwhAt(ms), nowMs, carbonSetting?.kind === "annual")
        : null;
    const carbonNowMg = compiledCarbon ? known(() => compiledCarbon.mgPerKwhAt(nowMs)) : null;
    return {
      site_id: site.id,
      currency: tariff?.currency ?? s?.currency ?? UNSET_SITE_CURRENCY,
      pue: (s?.pue_milli ?? 1000) / 1000,
      price_now_per_mwh_minor: compiledTariff ? known(() => compiledTariff.pricePerMwhMinorAt(nowMs)) : null,
      price_avg_per_mwh_minor: priceAvg === null ? null : Math.round(priceAvg),
      carbon_g_per_kwh_now: carbonNowMg === null ? null : carbonNowMg / 1000,
      carbon_avg_g_per_kwh: carbonAvgMg === null ? null : Math.round(carbonAvgMg) / 1000,
    };
  });
}
