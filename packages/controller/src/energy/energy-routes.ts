import { Type } from "@sinclair/typebox";
import { sitesEnergyNow } from "./energy-now.js";
import { hostEnergyReport, serverEnergyReport, siteEnergyReport } from "./reports.js";
import {
  getSiteEnergySettings,
  importSiteCarbon,
  importSitePrices,
  updateSiteEnergySettings,
} from "./site-energy.js";
import { IdParam, MoneyMinor, Nullable, Strict, Timestamp, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";

const Period = Strict({
  from: Type.Optional(Type.String({ description: "ISO 8601 start; default 24 hours before `to`" })),
  to: Type.Optional(Type.String({ description: "ISO 8601 end; default now" })),
});

const DecimalString = Type.String({ pattern: "^-?[0-9]+$", description: "An exact integer, as a string" });

const Priced = {
  energy_uj: DecimalString,
  energy_kwh: Type.Number(),
  cost: Nullable(
    Type.Object({
      currency: Type.String(),
      amount_minor: Type.Integer({ description: "Rounded half-even from micro_minor, once" }),
      micro_minor: DecimalString,
    }),
  ),
  unpriced_reason: Type.Optional(Type.String()),
  carbon_g: Nullable(Type.Number()),
  carbon_mg: Nullable(DecimalString),
  no_carbon_reason: Type.Optional(Type.String()),
};

const ServerEnergy = Type.Object({
  server_id: Type.String(),
  site_id: Type.String(),
  from: Timestamp,
  to: Timestamp,
  estimated: Type.Boolean({ description: "True when any figure comes from the host power model" }),
  power: Nullable(Type.Object({ watts: Type.Number(), at: Timestamp, estimated: Type.Boolean() })),
  cpu_time_seconds: Type.Number(),
  ...Priced,
  active_energy_uj: Type.String({
    pattern: "^[0-9]+$",
    description: "The part of energy_uj split by CPU time; the rest is the server's share of idle power",
  }),
  idle_energy_uj: Type.String({
    pattern: "^[0-9]+$",
    description: "The server's share of the host's idle power: energy_uj − active_energy_uj",
  }),
  vm_cpu_only: Type.Boolean({
    description:
      "True when some figure was split over the servers' CPU time only (an agent that did not meter the host's busy time), not over the host's",
  }),
  host: Type.Object(
    {
      energy_uj: Type.String({
        pattern: "^[0-9]+$",
        description: "The host's facility energy over the same buckets as this server's figures",
      }),
      power: Nullable(Type.Object({ watts: Type.Number(), at: Timestamp, estimated: Type.Boolean() })),
    },
    { description: "The host this server ran on, for comparison: the server's figures are its share of it" },
  ),
  hours: Type.Array(
    Type.Object({
      start: Timestamp,
      energy_uj: DecimalString,
      active_energy_uj: DecimalString,
      cpu_time_seconds: Type.Number(),
      cost_micro_minor: Nullable(DecimalString),
      carbon_mg: Nullable(DecimalString),
    }),
  ),
});

const HostsEnergy = {
  from: Timestamp,
  to: Timestamp,
  estimated: Type.Boolean(),
  power: Nullable(
    Type.Object({
      watts: Type.Number({ description: "Facility power (PUE included) over the latest samples" }),
      hosts_reporting: Type.Integer(),
      sources: Type.Array(Type.Union([Type.Literal("rapl"), Type.Literal("hwmon"), Type.Literal("model")])),
      estimated: Type.Boolean(),
    }),
  ),
  it_energy_uj: DecimalString,
  allocated_uj: DecimalString,
  unallocated_uj: DecimalString,
  host_overhead_uj: Type.String({
    pattern: "^[0-9]+$",
    description:
      "The part of unallocated_uj that is active energy of the hosts' own work (not a server's CPU time); docs/energy.md",
  }),
  ...Priced,
  hours: Type.Array(
    Type.Object({
      start: Timestamp,
      it_energy_uj: DecimalString,
      energy_uj: DecimalString,
      allocated_uj: DecimalString,
      unallocated_uj: DecimalString,
      cost_micro_minor: Nullable(DecimalString),
      carbon_mg: Nullable(DecimalString),
    }),
  ),
};

const TouPeriod = Type.Union([Type.Literal("off-peak"), Type.Literal("mid-peak"), Type.Literal("on-peak")]);
const DayPlan = Type.Array(TouPeriod, { minItems: 24, maxItems: 24 });
// Market prices can be negative; ±10^7 minor units per MWh is far beyond any market's cap.
const PricePerMwh = MoneyMinor({ minimum: -10_000_000, maximum: 10_000_000 });
const PeriodPrices = Strict({
  "off-peak": PricePerMwh,
  "mid-peak": PricePerMwh,
  "on-peak": PricePerMwh,
});
const Currency = Type.String({ pattern: "^[A-Z]{3}$" });

const TariffInputSchema = Type.Union([
  Strict({ kind: Type.Literal("hourly"), currency: Currency }),
  Strict({
    kind: Type.Literal("ontario-tou"),
    from_year: Type.Integer({ minimum: 2000, maximum: 2200 }),
    to_year: Type.Integer({ minimum: 2000, maximum: 2200 }),
    prices_per_mwh_minor: Type.Optional(PeriodPrices),
  }),
  Strict({
    kind: Type.Literal("tou"),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    currency: Currency,
    prices_per_mwh_minor: PeriodPrices,
    seasons: Type.Array(
      Strict({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        starts_on: Strict({
          month: Type.Integer({ minimum: 1, maximum: 12 }),
          day: Type.Integer({ minimum: 1, maximum: 31 }),
        }),
        weekday: DayPlan,
        weekend: DayPlan,
        holiday: DayPlan,
      }),
      { minItems: 1, maxItems: 12 },
    ),
    holidays: Type.Array(Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }), { maxItems: 5000 }),
    source: Type.Optional(Type.String({ maxLength: 500 })),
  }),
]);

const CarbonInputSchema = Type.Union([
  Strict({ kind: Type.Literal("annual"), g_per_kwh: Type.Number({ minimum: 0, maximum: 5000 }) }),
  Strict({
    kind: Type.Literal("hourly"),
    annual_default_g_per_kwh: Type.Optional(Type.Number({ minimum: 0, maximum: 5000 })),
  }),
]);

const Series = Type.Object({ hours: Type.Integer(), first: Nullable(Timestamp), last: Nullable(Timestamp) });

const SiteEnergySettings = Type.Object({
  site_id: Type.String(),
  time_zone: Type.String(),
  pue: Type.String({ description: 'Power usage effectiveness, e.g. "1.350"' }),
  currency: Type.String(),
  tariff: Nullable(Type.Object({ kind: Type.String() }, { additionalProperties: true })),
  carbon: Nullable(Type.Object({ kind: Type.String() }, { additionalProperties: true })),
  energy_aware_placement: Type.Boolean(),
  price_series: Series,
  carbon_series: Series,
});

const SiteEnergyNow = Type.Object({
  site_id: Type.String(),
  currency: Type.String({ description: "The tariff's currency, or the site's without a tariff" }),
  pue: Type.Number({ description: "Power usage effectiveness, e.g. 1.35" }),
  price_now_per_mwh_minor: Nullable(
    Type.Integer({ description: "Price in force now, minor units per MWh; null without a tariff or data" }),
  ),
  price_avg_per_mwh_minor: Nullable(
    Type.Integer({
      description:
        "Mean price per MWh over the coming 7 days (TOU) or the past 7 days (hourly market series), for estimates",
    }),
  ),
  carbon_g_per_kwh_now: Nullable(Type.Number({ description: "Grid carbon intensity now, gCO2e/kWh" })),
  carbon_avg_g_per_kwh: Nullable(
    Type.Number({ description: "Mean carbon intensity over the same 7 days as the price, gCO2e/kWh" }),
  ),
});

export function registerEnergyRoutes(app: App, deps: RouteDeps): void {
  app.addContentTypeParser(
    "text/csv",
    { parseAs: "string", bodyLimit: 16 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.get(
    "/servers/:id/energy",
    {
      schema: {
        tags: ["energy"],
        summary: "A server's power now, and its energy, cost and carbon over a period, by hour",
        params: IdParam,
        querystring: Period,
        response: { 200: ServerEnergy, ...errorResponses },
      },
    },
    async (request) => serverEnergyReport(contextOf(deps, request), request.params.id, request.query),
  );

  app.get(
    "/hosts/:id/energy",
    {
      schema: {
        tags: ["energy"],
        summary: "A host's power and energy, split between its servers and unallocated (provider admins)",
        params: IdParam,
        querystring: Period,
        response: {
          200: Type.Object({ host_id: Type.String(), site_id: Type.String(), ...HostsEnergy }),
          ...errorResponses,
        },
      },
    },
    async (request) => hostEnergyReport(contextOf(deps, request), request.params.id, request.query),
  );

  // A static segment: find-my-way matches it before the "/sites/:id" parameter route.
  app.get(
    "/sites/energy-now",
    {
      schema: {
        tags: ["energy"],
        summary:
          "Every site's electricity price and carbon intensity now and on average (any logged-in user)",
        response: { 200: Type.Object({ items: Type.Array(SiteEnergyNow) }), ...errorResponses },
      },
    },
    // The sites are the public catalogue (GET /sites): anyone logged in may read what their power costs.
    async (request) => {
      const ctx = contextOf(deps, request);
      return { items: await sitesEnergyNow(ctx.database.db) };
    },
  );

  app.get(
    "/sites/:id/energy",
    {
      schema: {
        tags: ["energy"],
        summary:
          "A site's power, allocated and unallocated energy, and electricity cost by hour (provider admins)",
        params: IdParam,
        querystring: Period,
        response: { 200: Type.Object({ site_id: Type.String(), ...HostsEnergy }), ...errorResponses },
      },
    },
    async (request) => siteEnergyReport(contextOf(deps, request), request.params.id, request.query),
  );

  app.get(
    "/sites/:id/energy-settings",
    {
      schema: {
        tags: ["energy"],
        summary: "A site's PUE, tariff, carbon intensity and energy-aware placement (provider admins)",
        params: IdParam,
        response: { 200: SiteEnergySettings, ...errorResponses },
      },
    },
    async (request) => getSiteEnergySettings(contextOf(deps, request), request.params.id),
  );

  app.patch(
    "/sites/:id/energy-settings",
    {
      schema: {
        tags: ["energy"],
        summary: "Set a site's PUE, tariff, carbon intensity or placement opt-in; omitted fields stay",
        params: IdParam,
        body: Strict({
          pue: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()])),
          tariff: Type.Optional(Nullable(TariffInputSchema)),
          carbon: Type.Optional(Nullable(CarbonInputSchema)),
          energy_aware_placement: Type.Optional(Type.Boolean()),
        }),
        response: { 200: SiteEnergySettings, ...errorResponses },
      },
    },
    async (request) => updateSiteEnergySettings(contextOf(deps, request), request.params.id, request.body),
  );

  app.put(
    "/sites/:id/energy-prices",
    {
      schema: {
        tags: ["energy"],
        summary: "Import an hourly price CSV (IESO style: date, hour ending 1-24, $/MWh); all or nothing",
        params: IdParam,
        querystring: Strict({
          zone: Type.Optional(
            Type.String({
              description: "Zone the file is written in; IESO files are Etc/GMT+5. Default: the site's",
            }),
          ),
          currency: Type.Optional(Currency),
        }),
        body: Type.String({ description: "text/csv" }),
        response: {
          200: Type.Object({ hours: Type.Integer(), first: Timestamp, last: Timestamp }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      importSitePrices(contextOf(deps, request), request.params.id, request.body, request.query),
  );

  app.put(
    "/sites/:id/carbon-intensity",
    {
      schema: {
        tags: ["energy"],
        summary: "Store an hourly carbon-intensity series (gCO2e/kWh per UTC hour); replaces the same hours",
        params: IdParam,
        body: Strict({
          points: Type.Array(Strict({ starts_at: Type.String(), g_per_kwh: Type.Number() }), {
            maxItems: 100_000,
          }),
        }),
        response: { 200: Type.Object({ hours: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => importSiteCarbon(contextOf(deps, request), request.params.id, request.body.points),
  );
}
