import { NotFoundError } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import {
  effectiveBrand,
  getOwnBrand,
  publicBrand,
  publicBrandByDomain,
  setOwnBrand,
} from "../branding/brands.js";
import { listPrices, setPrices } from "../catalog/prices.js";
import { registerPartnerPriceRoutes } from "../catalog/partner-price-routes.js";
import { revenueReport } from "../billing/revenue.js";
import {
  ErrorBody,
  IdParam,
  MoneyMinor,
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import {
  claimPortalDomain,
  getPortalDomain,
  listPortalDomains,
  releasePortalDomain,
  verifyPortalDomain,
} from "../branding/claims.js";
import type { PortalDomainPolicy } from "../branding/policy.js";
import { PROOF_METHODS } from "../branding/proof.js";

const Brand = Type.Object({
  account_id: Type.String(),
  name: Type.String(),
  logo_url: Nullable(Type.String()),
  primary_color: Type.String({ description: "#rrggbb" }),
  accent_color: Type.String({ description: "#rrggbb" }),
  support_email: Nullable(Type.String()),
  portal_domain: Nullable(
    Type.String({ description: "The verified portal domain; claimed and proven under /branding/domains" }),
  ),
  is_default: Type.Boolean({ description: "true when the account has set no brand" }),
});

const PortalDomain = Type.Object({
  id: Type.String(),
  account_id: Type.String(),
  domain: Type.String({ description: "Lower case, punycode, no trailing dot" }),
  status: Type.Union([Type.Literal("pending"), Type.Literal("verified")]),
  method: Nullable(Type.Union([Type.Literal("dns"), Type.Literal("http"), Type.Literal("assigned")])),
  created_at: Timestamp,
  expires_at: NullableTimestamp,
  verified_at: NullableTimestamp,
  checked_at: NullableTimestamp,
  check_error: Nullable(Type.String({ description: "Why the last proof attempt failed" })),
  challenge: Nullable(
    Type.Object(
      {
        token: Type.String(),
        dns_name: Type.String({ description: "Publish a TXT record here holding the token" }),
        http_url: Type.String({ description: "Or serve the token as this file's whole body" }),
      },
      { description: "While pending: what to publish to prove control of the domain" },
    ),
  ),
});

/** A proof that did not hold is 422; the rest as everywhere. */
const domainErrors = { ...errorResponses, 422: ErrorBody } as const;

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

const MinorUnits = MoneyMinor();

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

/**
 * Resellers in billing: brands and their portal domains, retail prices and the revenue report
 * (docs/billing.md, "Resellers"; docs/security.md, "Portal domains").
 */
export function registerResellerRoutes(
  app: App,
  deps: RouteDeps & { portalDomains: PortalDomainPolicy },
): void {
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
        summary:
          "Set your account's brand: name, logo, colours, support email (the portal domain is claimed under /branding/domains)",
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
    "/branding/domains",
    {
      schema: {
        tags: ["branding"],
        summary: "Portal domain claims: a reseller's own, or every one (provider)",
        querystring: Strict({ account_id: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: { 200: Type.Object({ items: Type.Array(PortalDomain) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listPortalDomains(contextOf(deps, request), request.query) }),
  );

  app.post(
    "/branding/domains",
    {
      schema: {
        tags: ["branding"],
        summary:
          "Claim a portal domain: a reseller gets a token to publish, then verifies; a provider admin assigns it outright (account_id: to a reseller)",
        body: Strict({
          domain: Type.String({ maxLength: 300, description: "A host name such as portal.example.com" }),
          account_id: Type.Optional(
            Type.String({ maxLength: 64, description: "Provider admins: the reseller to assign it to" }),
          ),
        }),
        response: { 200: PortalDomain, 201: PortalDomain, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { claim, created } = await claimPortalDomain(
        contextOf(deps, request),
        deps.portalDomains,
        request.body,
      );
      return reply.status(created ? 201 : 200).send(claim);
    },
  );

  app.get(
    "/branding/domains/:id",
    {
      schema: {
        tags: ["branding"],
        summary: "One portal domain claim",
        params: IdParam,
        response: { 200: PortalDomain, ...errorResponses },
      },
    },
    async (request) => getPortalDomain(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/branding/domains/:id/verify",
    {
      schema: {
        tags: ["branding"],
        summary:
          "Check the proof of a pending claim (DNS TXT record or HTTP file); on success the domain wears your brand",
        params: IdParam,
        body: Strict({
          method: Type.Optional(
            Type.Union(
              PROOF_METHODS.map((m) => Type.Literal(m)),
              { description: "dns (default) or http" },
            ),
          ),
        }),
        response: { 200: PortalDomain, ...domainErrors },
      },
    },
    async (request) =>
      verifyPortalDomain(
        contextOf(deps, request),
        deps.portalDomains,
        request.params.id,
        request.body.method ?? "dns",
      ),
  );

  app.delete(
    "/branding/domains/:id",
    {
      schema: {
        tags: ["branding"],
        summary: "Withdraw a claim, or release a verified domain (its owner, or a provider admin)",
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await releasePortalDomain(contextOf(deps, request), request.params.id);
      return reply.status(204).send(null);
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
  registerPartnerPriceRoutes(app, deps);

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
