import type { CompiledCarbon, CompiledTariff, Tariff, TouTariff } from "@layerboom/core";
import {
  EnergyError,
  HOUR_MS,
  InvalidInputError,
  compileCarbon,
  compileTariff,
  ontarioTouTariff,
  parseIesoPriceCsv,
  parsePue,
  requireProviderAdmin,
  UnknownTimeZoneError,
} from "@layerboom/core";
import { sql } from "kysely";
import { recordAudit } from "../base/audit.js";
import { getSite } from "../catalog/catalog.js";
import type { ServiceContext } from "../base/context.js";
import { UNSET_SITE_CURRENCY } from "./energy-now.js";

/** A tariff as the API takes it: a TOU schedule, the Ontario preset, or an hourly series imported as CSV. */
export type TariffInput =
  | { kind: "hourly"; currency: string }
  | {
      kind: "tou";
      name: string;
      currency: string;
      prices_per_mwh_minor: Record<"off-peak" | "mid-peak" | "on-peak", number>;
      seasons: {
        name: string;
        starts_on: { month: number; day: number };
        weekday: TouTariff["seasons"][number]["weekday"];
        weekend: TouTariff["seasons"][number]["weekend"];
        holiday: TouTariff["seasons"][number]["holiday"];
      }[];
      holidays: string[];
      source?: string;
    }
  | {
      kind: "ontario-tou";
      from_year: number;
      to_year: number;
      prices_per_mwh_minor?: Record<"off-peak" | "mid-peak" | "on-peak", number>;
    };

/** Carbon intensity as the API takes it; an hourly series' points are sent separately. */
export type CarbonInput =
  { kind: "annual"; g_per_kwh: number } | { kind: "hourly"; annual_default_g_per_kwh?: number };

export interface SiteEnergySettingsInput {
  pue?: string | number;
  tariff?: TariffInput | null;
  carbon?: CarbonInput | null;
  energy_aware_placement?: boolean;
}

/** Stored shape of a tariff: a full TOU tariff, or the head of an hourly one. */
type StoredTariff = TouTariff | { kind: "hourly"; currency: string };
type StoredCarbon = { kind: "annual"; gPerKwh: number } | { kind: "hourly"; annualDefaultGPerKwh?: number };

/** A site's energy settings as the API shows them. */
export interface SiteEnergySettingsView {
  site_id: string;
  time_zone: string;
  pue: string;
  currency: string;
  tariff: StoredTariff | null;
  carbon: StoredCarbon | null;
  energy_aware_placement: boolean;
  price_series: { hours: number; first: Date | null; last: Date | null };
  carbon_series: { hours: number; first: Date | null; last: Date | null };
}

/** Runs core energy validation, turning its errors into a 400 that names the field. */
function validated<T>(field: string, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof UnknownTimeZoneError) throw new InvalidInputError("zone", `zone: ${err.message}`);
    if (err instanceof EnergyError) throw new InvalidInputError(field, `${field}: ${err.message}`);
    throw err;
  }
}

function storedTariff(input: TariffInput): StoredTariff {
  switch (input.kind) {
    case "hourly":
      return { kind: "hourly", currency: input.currency };
    case "ontario-tou":
      if (input.to_year < input.from_year) {
        throw new InvalidInputError("tariff.to_year", "tariff.to_year must not be before tariff.from_year");
      }
      return ontarioTouTariff({
        fromYear: input.from_year,
        toYear: input.to_year,
        ...(input.prices_per_mwh_minor ? { pricesPerMwhMinor: input.prices_per_mwh_minor } : {}),
      });
    case "tou":
      return {
        kind: "tou",
        name: input.name,
        currency: input.currency,
        pricesPerMwhMinor: input.prices_per_mwh_minor,
        seasons: input.seasons.map((s) => ({
          name: s.name,
          startsOn: s.starts_on,
          weekday: s.weekday,
          weekend: s.weekend,
          holiday: s.holiday,
        })),
        holidays: input.holidays,
        ...(input.source !== undefined ? { source: input.source } : {}),
      };
  }
}

function storedCarbon(input: CarbonInput): StoredCarbon {
  const stored: StoredCarbon =
    input.kind === "annual"
      ? { kind: "annual", gPerKwh: input.g_per_kwh }
      : {
          kind: "hourly",
          ...(input.annual_default_g_per_kwh !== undefined
            ? { annualDefaultGPerKwh: input.annual_default_g_per_kwh }
            : {}),
        };
  validated("carbon", () => compileCarbon(stored.kind === "annual" ? stored : { ...stored, points: [] }));
  return stored;
}

async function readSettings(ctx: ServiceContext, siteId: string) {
  return ctx.database.db
    .selectFrom("site_energy_settings")
    .selectAll()
    .where("site_id", "=", siteId)
    .executeTakeFirst();
}

async function seriesExtent(
  ctx: ServiceContext,
  table: "site_energy_prices" | "site_carbon_intensity",
  siteId: string,
): Promise<{ hours: number; first: Date | null; last: Date | null }> {
  const row = await ctx.database.db
    .selectFrom(table)
    .select((eb) => [
      eb.fn.countAll<number>().as("hours"),
      eb.fn.min("starts_at").as("first"),
      eb.fn.max("starts_at").as("last"),
    ])
    .where("site_id", "=", siteId)
    .executeTakeFirstOrThrow();
  return { hours: Number(row.hours), first: row.first ?? null, last: row.last ?? null };
}

/** A site's energy settings (provider admins). A site never configured has PUE 1 and no tariff. */
export async function getSiteEnergySettings(
  ctx: ServiceContext,
  siteId: string,
): Promise<SiteEnergySettingsView> {
  requireProviderAdmin(ctx.principal, "read a site's energy settings");
  const site = await getSite(ctx, siteId);
  const row = await readSettings(ctx, siteId);
  const pueMilli = row?.pue_milli ?? 1000;
  return {
    site_id: siteId,
    time_zone: site.time_zone,
    pue: (pueMilli / 1000).toFixed(3),
    currency: row?.currency ?? UNSET_SITE_CURRENCY,
    tariff: (row?.tariff as StoredTariff | null) ?? null,
    carbon: (row?.carbon as StoredCarbon | null) ?? null,
    energy_aware_placement: row?.energy_aware_placement ?? false,
    price_series: await seriesExtent(ctx, "site_energy_prices", siteId),
    carbon_series: await seriesExtent(ctx, "site_carbon_intensity", siteId),
  };
}

/** Sets a site's PUE, tariff, carbon intensity and placement opt-in; each field is validated before anything is written. */
export async function updateSiteEnergySettings(
  ctx: ServiceContext,
  siteId: string,
  input: SiteEnergySettingsInput,
): Promise<SiteEnergySettingsView> {
  requireProviderAdmin(ctx.principal, "change a site's energy settings");
  const site = await getSite(ctx, siteId);
  const pue = input.pue === undefined ? undefined : validated("pue", () => parsePue(input.pue!));
  const tariff = input.tariff ? storedTariff(input.tariff) : input.tariff;
  if (tariff && tariff.kind === "tou") {
    validated("tariff", () => compileTariff(tariff, { zone: site.time_zone }));
  } else if (tariff) {
    validated("tariff", () => compileTariff({ ...tariff, points: [] }, { zone: site.time_zone }));
  }
  const carbon = input.carbon ? storedCarbon(input.carbon) : input.carbon;
  const values = {
    ...(pue !== undefined ? { pue_milli: pue } : {}),
    ...(tariff !== undefined
      ? {
          tariff: tariff === null ? null : JSON.stringify(tariff),
          ...(tariff ? { currency: tariff.currency } : {}),
        }
      : {}),
    ...(carbon !== undefined ? { carbon: carbon === null ? null : JSON.stringify(carbon) } : {}),
    ...(input.energy_aware_placement !== undefined
      ? { energy_aware_placement: input.energy_aware_placement }
      : {}),
  };
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("site_energy_settings")
      .values({ site_id: siteId, ...values })
      .onConflict((oc) => oc.column("site_id").doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
    await recordAudit(trx, ctx, {
      action: "site.energy_settings.update",
      resourceType: "site",
      resourceId: siteId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: {
        fields: Object.keys(values),
      },
    });
  });
  return getSiteEnergySettings(ctx, siteId);
}

/**
 * Imports an IESO-style hourly price CSV for a site, all or nothing: the whole file is
 * validated first, then its hours replace any stored for the same hours in one transaction.
 * `zone` is the zone the file is written in (IESO: "Etc/GMT+5"); default the site's.
 */
export async function importSitePrices(
  ctx: ServiceContext,
  siteId: string,
  csv: string,
  options: { zone?: string | undefined; currency?: string | undefined },
): Promise<{ hours: number; first: Date; last: Date }> {
  requireProviderAdmin(ctx.principal, "import a site's energy prices");
  const site = await getSite(ctx, siteId);
  const parsed = validated("csv", () =>
    parseIesoPriceCsv(csv, {
      zone: options.zone ?? site.time_zone,
      ...(options.currency ? { currency: options.currency } : {}),
    }),
  );
  if (parsed.points.length === 0) throw new InvalidInputError("csv", "csv: the file holds no price rows");
  const first = parsed.points[0]!.startMs;
  const last = parsed.points[parsed.points.length - 1]!.startMs;
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("site_energy_prices")
      .where("site_id", "=", siteId)
      .where("starts_at", ">=", new Date(first))
      .where("starts_at", "<=", new Date(last))
      .execute();
    for (let i = 0; i < parsed.points.length; i += 1000) {
      await trx
        .insertInto("site_energy_prices")
        .values(
          parsed.points.slice(i, i + 1000).map((p) => ({
            site_id: siteId,
            starts_at: new Date(p.startMs),
            price_per_mwh_minor: p.pricePerMwhMinor,
          })),
        )
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: "site.energy_prices.import",
      resourceType: "site",
      resourceId: siteId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: {
        hours: parsed.points.length,
        first: new Date(first).toISOString(),
        last: new Date(last).toISOString(),
      },
    });
  });
  return { hours: parsed.points.length, first: new Date(first), last: new Date(last) };
}

/** Stores an hourly carbon-intensity series (gCO2e/kWh per UTC hour start), replacing the same hours. */
export async function importSiteCarbon(
  ctx: ServiceContext,
  siteId: string,
  points: { starts_at: string; g_per_kwh: number }[],
): Promise<{ hours: number }> {
  requireProviderAdmin(ctx.principal, "import a site's carbon intensity");
  await getSite(ctx, siteId);
  const rows = points.map((p, i) => {
    const ms = Date.parse(p.starts_at);
    if (!Number.isFinite(ms) || ms % (15 * 60_000) !== 0) {
      throw new InvalidInputError(
        `points[${i}].starts_at`,
        `points[${i}].starts_at must be a UTC time on a quarter hour, got ${JSON.stringify(p.starts_at)}`,
      );
    }
    if (!Number.isFinite(p.g_per_kwh) || p.g_per_kwh < 0) {
      throw new InvalidInputError(`points[${i}].g_per_kwh`, `points[${i}].g_per_kwh must be >= 0`);
    }
    return { site_id: siteId, starts_at: new Date(ms), mg_per_kwh: Math.round(p.g_per_kwh * 1000) };
  });
  const seen = new Set<number>();
  rows.forEach((r, i) => {
    if (seen.has(r.starts_at.getTime())) {
      throw new InvalidInputError(`points[${i}].starts_at`, `points[${i}].starts_at repeats an hour`);
    }
    seen.add(r.starts_at.getTime());
  });
  await ctx.database.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await trx
        .insertInto("site_carbon_intensity")
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(["site_id", "starts_at"]).doUpdateSet({ mg_per_kwh: sql`excluded.mg_per_kwh` }),
        )
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: "site.carbon.import",
      resourceType: "site",
      resourceId: siteId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { hours: rows.length },
    });
  });
  return { hours: rows.length };
}

/** What a report needs to put money and carbon on a site's buckets over a span. */
export interface SitePricing {
  currency: string;
  tariff?: CompiledTariff;
  carbon?: CompiledCarbon;
  /** Why there is no tariff (or carbon), shown instead of a made-up number. */
  unpricedReason?: string;
  noCarbonReason?: string;
}

/** Compiles a site's tariff and carbon intensity for [fromMs, toMs). Reads only the hours the span needs. */
export async function sitePricing(
  ctx: Pick<ServiceContext, "database">,
  siteId: string,
  fromMs: number,
  toMs: number,
): Promise<SitePricing> {
  const { db } = ctx.database;
  const site = await db
    .selectFrom("sites")
    .select("time_zone")
    .where("id", "=", siteId)
    .executeTakeFirstOrThrow();
  const row = await db
    .selectFrom("site_energy_settings")
    .selectAll()
    .where("site_id", "=", siteId)
    .executeTakeFirst();
  const tariff = (row?.tariff as StoredTariff | null | undefined) ?? undefined;
  const carbon = (row?.carbon as StoredCarbon | null | undefined) ?? undefined;
  const out: SitePricing = { currency: tariff?.currency ?? row?.currency ?? UNSET_SITE_CURRENCY };
  if (!tariff) {
    out.unpricedReason = `site ${siteId} has no tariff`;
  } else if (tariff.kind === "hourly") {
    const points = await db
      .selectFrom("site_energy_prices")
      .select(["starts_at", "price_per_mwh_minor"])
      .where("site_id", "=", siteId)
      .where("starts_at", ">=", new Date(fromMs - HOUR_MS))
      .where("starts_at", "<", new Date(toMs))
      .orderBy("starts_at")
      .execute();
    out.tariff = compileTariff(
      {
        kind: "hourly",
        currency: tariff.currency,
        points: points.map((p) => ({
          startMs: p.starts_at.getTime(),
          pricePerMwhMinor: p.price_per_mwh_minor,
        })),
      } satisfies Tariff,
      { zone: site.time_zone },
    );
  } else {
    out.tariff = compileTariff(tariff, { zone: site.time_zone });
  }
  if (!carbon) {
    out.noCarbonReason = `site ${siteId} has no carbon intensity`;
  } else if (carbon.kind === "annual") {
    out.carbon = compileCarbon(carbon);
  } else {
    const points = await db
      .selectFrom("site_carbon_intensity")
      .select(["starts_at", "mg_per_kwh"])
      .where("site_id", "=", siteId)
      .where("starts_at", ">=", new Date(fromMs - HOUR_MS))
      .where("starts_at", "<", new Date(toMs))
      .orderBy("starts_at")
      .execute();
    out.carbon = compileCarbon({
      kind: "hourly",
      points: points.map((p) => ({ startMs: p.starts_at.getTime(), gPerKwh: p.mg_per_kwh / 1000 })),
      ...(carbon.annualDefaultGPerKwh !== undefined
        ? { annualDefaultGPerKwh: carbon.annualDefaultGPerKwh }
        : {}),
    });
  }
  return out;
}
