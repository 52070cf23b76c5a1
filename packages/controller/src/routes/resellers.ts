import { NotFoundError } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import {
  effectiveBrand,
  getOwnBrand,
  publicBrand,
  publicBrandByDomain,
  setOwnBrand,
} from "../billing/brands.js";
import { listPrices, setPrices } from "../billing/prices.js";
import { revenueReport } from "../billing/revenue.js";
import { Nullable, Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";

const Brand = Type.Object({
  account_id: Type.String(),
  name: Type.String(),
  logo_url: Nullable(Type.String()),
  primary_color: Type.String({ description: "#rrggbb" }),
  accent_color: Type.String({ description: "#rrggbb" }),
  support_email: Nullable(Type.String()),
  portal_domain: Nullable(Type.String()),
  is_default: Type.Boolean({ description: "true when the account has set no brand" }),
});

const PublicBrand = Type.Object({
  name: Type.String(),
  logo_url: Nullable(Type.String()),
  primary_color: Type.String(),
  accent_color: Type.String(),
});

const Price = Type.Object({
  plan_id: Type.String(),
  plan_name: Type.String(),
  currency: Type.String(),
  active: Type.Boolean(),
  wholesale_hourly_minor: Type.Integer(),
  wholesale_monthly_cap_minor: Type.Integer(),
  retail_hourly_minor: Nullable(Type.Integer()),
  retail_monthly_cap_minor: Nullable(Type.Integer()),
});

const MinorUnits = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

const RevenueRow = Type.Object({
  key: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  invoiced_minor: Type.Integer(),
  paid_minor: Type.Integer(),
});

const Revenue = Type.Object({
  period: Type.String(),
  account_id: Type.String(),
  totals: Type.Array(
    Type.Object({
      invoices: Type.Integer(),
      invoiced_minor: Type.Integer(),
      tax_minor: Type.Integer(),
      paid_minor: Type.Integer(),
      currency: Type.String(),
    }),
  ),
  by_site: Type.Array(RevenueRow),
  by_plan: Type.Array(RevenueRow),
  by_reseller: Type.Array(
    Type.Object({
      account_id: Type.String(),
      name: Type.String(),
      currency: Type.String(),
      wholesale_invoiced_minor: Type.Integer(),
      wholesale_paid_minor: Type.Integer(),
      retail_invoiced_minor: Type.Integer(),
      retail_paid_minor: Type.Integer(),
    }),
  ),
  wholesale: Nullable(
    Type.Object({
      invoice_id: Type.String(),
      number: Type.String(),
      currency: Type.String(),
      total_minor: Type.Integer(),
      paid_minor: Type.Integer(),
    }),
  ),
});

/** Resellers in billing: brands, retail prices and the revenue report (docs/billing.md, "Resellers"). */
export function registerResellerRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/branding",
    {
      schema: {
        tags: ["branding"],
        summary: "Your account's brand (reseller and provider admins); a default when none is set",
        response: { 200: Brand, ...errorResponses },
      },
    },
    async (request) => getOwnBrand(contextOf(deps, request)),
  );

  app.put(
    "/branding",
    {
      schema: {
        tags: ["branding"],
        summary: "Set your account's brand: name, logo, colours, support email, portal domain",
        body: Strict({
          name: Type.String({ maxLength: 200 }),
          logo_url: Type.Optional(
            Nullable(
              Type.String({ maxLength: 200_000, description: "https URL or a data: URL of at most 64 KiB" }),
            ),
          ),
          primary_color: Type.Optional(Type.String({ maxLength: 20, description: "#rrggbb" })),
          accent_color: Type.Optional(Type.String({ maxLength: 20, description: "#rrggbb" })),
          support_email: Type.Optional(Nullable(Type.String({ maxLength: 320 }))),
          portal_domain: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
        }),
        response: { 200: Brand, ...errorResponses },
      },
    },
    async (request) => setOwnBrand(contextOf(deps, request), request.body),
  );

  app.get(
    "/branding/effective",
    {
      schema: {
        tags: ["branding"],
        summary: "The brand you are served under: your reseller's, or the provider's",
        response: { 200: Brand, ...errorResponses },
      },
    },
    async (request) => effectiveBrand(contextOf(deps, request)),
  );

  app.get(
    "/branding/by-domain",
    {
      config: { public: true },
      schema: {
        tags: ["branding"],
        summary: "For a portal's login page: the name, logo and colours of the brand on this domain",
        querystring: Strict({ domain: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: { 200: PublicBrand, ...errorResponses },
      },
    },
    async (request) => {
      const brand = await publicBrandByDomain(deps.database.db, request.query.domain);
      if (!brand) throw new NotFoundError("brand", request.query.domain);
      return brand;
    },
  );

  app.get(
    "/branding/public",
    {
      config: { public: true },
      schema: {
        tags: ["branding"],
        summary:
          "For a logged-out portal page: the brand of this reseller slug, else of this portal domain, else the provider's",
        querystring: Strict({
          domain: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
          reseller: Type.Optional(
            Type.String({ minLength: 1, maxLength: 100, description: "A reseller's slug" }),
          ),
        }),
        response: { 200: PublicBrand, ...errorResponses },
      },
    },
    async (request) => {
      const brand = await publicBrand(deps.database.db, request.query);
      if (!brand) throw new NotFoundError("reseller", request.query.reseller ?? "");
      return brand;
    },
  );

  app.get(
    "/prices",
    {
      schema: {
        tags: ["resellers"],
        summary: "Price list: each plan's wholesale price and, for a reseller, its retail price",
        response: { 200: Type.Object({ items: Type.Array(Price) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listPrices(contextOf(deps, request)) }),
  );

  app.put(
    "/prices",
    {
      schema: {
        tags: ["resellers"],
        summary:
          "Set your retail prices (resellers): listed plans get these prices, `remove` ones go back to wholesale",
        body: Strict({
          prices: Type.Array(
            Strict({
              plan_id: Type.String(),
              hourly_price_minor: MinorUnits,
              monthly_cap_minor: MinorUnits,
            }),
            { maxItems: 500 },
          ),
          remove: Type.Optional(Type.Array(Type.String(), { maxItems: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Price) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await setPrices(contextOf(deps, request), request.body) }),
  );

  app.get(
    "/billing/revenue",
    {
      schema: {
        tags: ["billing"],
        summary:
          "Invoiced and paid amounts of a period: by site, plan and reseller (provider), by plan (reseller)",
        querystring: Strict({
          period: Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" }),
        }),
        response: { 200: Revenue, ...errorResponses },
      },
    },
    async (request) => revenueReport(contextOf(deps, request), request.query.period),
  );
}
