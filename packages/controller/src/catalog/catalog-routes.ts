import { Type } from "@sinclair/typebox";
import { plansAtRetail } from "./prices.js";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  MoneyMinor,
  Name,
  PageOf,
  PageQuery,
  Plan,
  Site,
  Strict,
  errorResponses,
} from "../http/schemas.js";
import { toPage } from "../base/context.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createPlan, createSite, getPlan, getSite, listPlans, listSites, updatePlan } from "./catalog.js";
import { listPartnerSites } from "./partner-offers.js";

const MinorUnits = MoneyMinor();

/** A site operated by a federation peer, sold here at this provider's retail prices (docs/federation.md). */
const PartnerSite = Type.Object({
  id: Type.String({ description: "The site's id at the partner" }),
  name: Type.String(),
  country_code: Type.String(),
  region_code: Type.String(),
  jurisdiction: Type.String(),
  time_zone: Type.String(),
  operated_by: Type.String({ description: "The partner that runs the site" }),
  offer_id: Type.String(),
  offer_version_id: Type.String({ description: "The offer version a server created now is priced by" }),
  energy: Type.Object({
    currency: Type.String(),
    price_now_per_mwh_minor: Type.Union([Type.Integer(), Type.Null()]),
    carbon_g_per_kwh_now: Type.Union([Type.Number(), Type.Null()]),
    as_of: Type.String({ description: "When the partner stated these figures" }),
  }),
  plans: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      vcpus: Type.Integer(),
      memory_mib: Type.Integer(),
      disk_gib: Type.Integer(),
      transfer_gib: Type.Integer(),
      hourly_price_minor: Type.Integer({ description: "This provider's retail price, integer minor units" }),
      monthly_cap_minor: Type.Integer({ description: "Integer minor units" }),
      currency: Type.String(),
    }),
  ),
});

/** Sites and plans: the provider's catalogue, which everyone reads. */
export function registerCatalogRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/sites",
    {
      schema: {
        tags: ["sites"],
        summary: "List the sites you may place servers at (within your account's required jurisdictions)",
        querystring: Strict({
          ...PageQuery,
          country_code: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
          jurisdiction: Type.Optional(
            Type.String({
              maxLength: 64,
              description: "ISO 3166 code: sites in it, subdivisions included (CA lists CA-QC)",
            }),
          ),
        }),
        response: { 200: PageOf(Site), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await listSites(
        contextOf(deps, request),
        { countryCode: q.country_code, jurisdiction: q.jurisdiction },
        pageRequest(q),
      );
      return pageResponse({
        ...page,
        items: page.items.map((site) => ({ ...site, ec2_region: deps.ec2Region })),
      });
    },
  );

  app.get(
    "/partner-sites",
    {
      config: { tokenScope: { group: "catalog" } },
      schema: {
        tags: ["sites"],
        summary: "List partner sites: operated by federation peers, sold at this provider's prices",
        querystring: Strict({
          ...PageQuery,
          country_code: Type.Optional(Type.String({ pattern: "^[A-Z]{2}$" })),
          jurisdiction: Type.Optional(Type.String({ maxLength: 50 })),
        }),
        response: { 200: PageOf(PartnerSite), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const ctx = contextOf(deps, request);
      const page = pageRequest(q);
      const sites = (
        await listPartnerSites(ctx.database.db, ctx.principal, {
          countryCode: q.country_code,
          jurisdiction: q.jurisdiction,
        })
      ).filter((site) => page.after === undefined || site.id > page.after);
      return pageResponse(toPage(sites, page.limit));
    },
  );

  app.post(
    "/sites",
    {
      config: { idempotent: true },
      schema: {
        tags: ["sites"],
        summary: "Create a site (provider admins)",
        body: Strict({
          name: Name,
          country_code: Type.String({ pattern: "^[A-Z]{2}$", description: "ISO 3166-1 alpha-2" }),
          region_code: Type.Optional(Type.String({ maxLength: 10 })),
          jurisdiction: Type.Optional(
            Type.String({
              maxLength: 50,
              description: "ISO 3166-1 alpha-2 or ISO 3166-2 code, e.g. CA or CA-QC (docs/placement.md)",
            }),
          ),
          time_zone: Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone" }),
        }),
        response: { 201: Site, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSite(contextOf(deps, request), request.body)),
  );

  app.get(
    "/sites/:id",
    {
      schema: {
        tags: ["sites"],
        summary: "Show a site",
        params: IdParam,
        response: { 200: Site, ...errorResponses },
      },
    },
    async (request) => ({
      ...(await getSite(contextOf(deps, request), request.params.id)),
      ec2_region: deps.ec2Region,
    }),
  );

  app.get(
    "/plans",
    {
      schema: {
        tags: ["plans"],
        summary: "List plans",
        querystring: Strict({ ...PageQuery, active: Type.Optional(Type.Boolean()) }),
        response: { 200: PageOf(Plan), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listPlans(
          contextOf(deps, request),
          { active: request.query.active },
          pageRequest(request.query),
        ),
      ),
  );

  app.post(
    "/plans",
    {
      config: { idempotent: true },
      schema: {
        tags: ["plans"],
        summary: "Create a plan (provider admins)",
        body: Strict({
          name: Name,
          vcpus: Type.Integer({ minimum: 1, maximum: 512 }),
          memory_mib: Type.Integer({ minimum: 64, maximum: 16_777_216 }),
          disk_gib: Type.Integer({ minimum: 1, maximum: 1_048_576 }),
          transfer_gib: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
          hourly_price_minor: MinorUnits,
          monthly_cap_minor: MinorUnits,
          backups_price_percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 20 })),
          extra_ipv4_monthly_minor: Type.Optional(MoneyMinor({ default: 300 })),
          transfer_overage_minor_per_gib: Type.Optional(MoneyMinor({ default: 1 })),
          currency: Type.String({ pattern: "^[A-Z]{3}$" }),
        }),
        response: { 201: Plan, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPlan(contextOf(deps, request), request.body)),
  );

  app.get(
    "/plans/:id",
    {
      schema: {
        tags: ["plans"],
        summary: "Show a plan",
        params: IdParam,
        response: { 200: Plan, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      const [plan] = await plansAtRetail(ctx.database.db, ctx.principal, [
        await getPlan(ctx, request.params.id),
      ]);
      return plan!;
    },
  );

  app.patch(
    "/plans/:id",
    {
      schema: {
        tags: ["plans"],
        summary: "Change a plan's price or retire it (provider admins)",
        params: IdParam,
        body: Strict({
          active: Type.Optional(Type.Boolean()),
          hourly_price_minor: Type.Optional(MinorUnits),
          monthly_cap_minor: Type.Optional(MinorUnits),
          backups_price_percent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          extra_ipv4_monthly_minor: Type.Optional(MinorUnits),
          transfer_overage_minor_per_gib: Type.Optional(MinorUnits),
        }),
        response: { 200: Plan, ...errorResponses },
      },
    },
    async (request) => updatePlan(contextOf(deps, request), request.params.id, request.body),
  );
}
