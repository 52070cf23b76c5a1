import type { paths } from "@layerboom/client";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type SiteEnergySettings = Json<paths["/sites/{id}/energy-settings"]["get"]["responses"][200]>;
export type ServerEnergy = Json<paths["/servers/{id}/energy"]["get"]["responses"][200]>;

type TouPeriod = "off-peak" | "mid-peak" | "on-peak";

/** A time-of-use tariff as the controller stores it (core's TouTariff). */
interface StoredTou {
  kind: "tou";
  currency: string;
  pricesPerMwhMinor: Record<TouPeriod, number>;
  seasons: {
    startsOn: { month: number; day: number };
    weekday: TouPeriod[];
    weekend: TouPeriod[];
    holiday: TouPeriod[];
  }[];
  holidays: string[];
}

function isTou(tariff: unknown): tariff is StoredTou {
  const t = tariff as Partial<StoredTou> | null;
  return (
    t?.kind === "tou" &&
    typeof t.pricesPerMwhMinor === "object" &&
    Array.isArray(t.seasons) &&
    t.seasons.length > 0 &&
    Array.isArray(t.holidays)
  );
}

/** The wall clock of a time zone at an instant. */
function wallClock(zone: string, at: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts["year"]}-${parts["month"]}-${parts["day"]}`,
    month: Number(parts["month"]),
    day: Number(parts["day"]),
    weekend: parts["weekday"] === "Sat" || parts["weekday"] === "Sun",
    hour: Number(parts["hour"]) % 24,
  };
}

function seasonAt(tou: StoredTou, month: number, day: number) {
  const sorted = [...tou.seasons].sort(
    (a, b) => a.startsOn.month - b.startsOn.month || a.startsOn.day - b.startsOn.day,
  );
  const started = sorted.filter(
    (s) => s.startsOn.month < month || (s.startsOn.month === month && s.startsOn.day <= day),
  );
  // Before the first season of the year starts, last year's last season is still running.
  return started[started.length - 1] ?? sorted[sorted.length - 1]!;
}

/** What a site's electricity costs and emits, as far as its settings tell. */
export interface SiteEnergyFigures {
  currency: string;
  pue: number;
  /** Price per kWh in force now, in (fractional) minor units. */
  priceNowPerKwhMinor?: number;
  /** Average price per kWh over a week of the current season, for monthly estimates. */
  priceAvgPerKwhMinor?: number;
  /** Why there is no price: no tariff, or an hourly market price the portal cannot read. */
  priceNote?: string;
  carbonGPerKwh?: number;
  carbonNote?: string;
}

/**
 * Reads a site's energy settings: the price now and on average for a time-of-use tariff, and
 * the carbon intensity for an annual figure (or an hourly series' annual default). Hourly price
 * and carbon series are not readable through the API, so those come back as notes.
 */
export function siteEnergyFigures(settings: SiteEnergySettings, now = new Date()): SiteEnergyFigures {
  const figures: SiteEnergyFigures = {
    currency: settings.currency,
    pue: Number(settings.pue) || 1,
  };
  const tariff: unknown = settings.tariff;
  if (isTou(tariff)) {
    const clock = wallClock(settings.time_zone, now);
    const season = seasonAt(tariff, clock.month, clock.day);
    const plan = tariff.holidays.includes(clock.date)
      ? season.holiday
      : clock.weekend
        ? season.weekend
        : season.weekday;
    const perMwh = (p: TouPeriod | undefined) => (p ? (tariff.pricesPerMwhMinor[p] ?? 0) : 0);
    figures.currency = tariff.currency;
    figures.priceNowPerKwhMinor = perMwh(plan[clock.hour]) / 1000;
    const week =
      5 * season.weekday.reduce((a, p) => a + perMwh(p), 0) +
      2 * season.weekend.reduce((a, p) => a + perMwh(p), 0);
    figures.priceAvgPerKwhMinor = week / 168 / 1000;
  } else if (settings.tariff?.kind === "hourly") {
    figures.priceNote = "market price, hour by hour";
  } else if (!settings.tariff) {
    figures.priceNote = "no tariff set";
  }
  const intensity = settings.carbon as
    { kind: "annual"; gPerKwh?: number } | { kind: "hourly"; annualDefaultGPerKwh?: number } | null;
  if (intensity?.kind === "annual" && typeof intensity.gPerKwh === "number") {
    figures.carbonGPerKwh = intensity.gPerKwh;
  } else if (intensity?.kind === "hourly" && typeof intensity.annualDefaultGPerKwh === "number") {
    figures.carbonGPerKwh = intensity.annualDefaultGPerKwh;
  } else if (intensity?.kind === "hourly") {
    figures.carbonNote = "hourly grid figures";
  }
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
