import { Type } from "@sinclair/typebox";
import { MoneyMinor, Nullable, Strict, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { listPartnerPrices, setPartnerPrices } from "./partner-prices.js";

const PartnerPrice = Type.Object({
  offer_id: Type.String(),
  operated_by: Type.String({ description: "The partner's name" }),
  plan_id: Type.String({ description: "The partner's plan id" }),
  plan_name: Type.String(),
  currency: Type.String({ description: "The offer's currency" }),
  cost_hourly_minor: Nullable(Type.Integer({ description: "The provider's retail price: your cost" })),
  cost_monthly_cap_minor: Nullable(Type.Integer()),
  retail_hourly_minor: Nullable(
    Type.Integer({ description: "Your price; null: not sold to your customers" }),
  ),
  retail_monthly_cap_minor: Nullable(Type.Integer()),
});

const PlanRef = Strict({ offer_id: Type.String(), plan_id: Type.String() });

/** A reseller's prices on partners' plans (docs/federation.md, "Resale of partner sites"). */
export function registerPartnerPriceRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/partner-prices",
    {
      schema: {
        tags: ["resellers"],
        summary:
          "Partner price list (resellers): each plan at partners' sites, your cost (the provider's price) and your price",
        response: { 200: Type.Object({ items: Type.Array(PartnerPrice) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listPartnerPrices(contextOf(deps, request)) }),
  );

  app.put(
    "/partner-prices",
    {
      schema: {
        tags: ["resellers"],
        summary:
          "Set your prices on partner plans (resellers): listed plans are sold to your customers at these prices, `remove` ones no longer",
        body: Strict({
          prices: Type.Array(
            Strict({
              offer_id: Type.String(),
              plan_id: Type.String(),
              hourly_price_minor: MoneyMinor(),
              monthly_cap_minor: MoneyMinor(),
            }),
            { maxItems: 500 },
          ),
          remove: Type.Optional(Type.Array(PlanRef, { maxItems: 500 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(PartnerPrice) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await setPartnerPrices(contextOf(deps, request), request.body) }),
  );
}
