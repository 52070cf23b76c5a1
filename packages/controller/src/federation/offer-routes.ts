import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  MoneyMinor,
  Nullable,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App } from "../http/types.js";
import { contextOf } from "../http/types.js";
import type { FederationRouteDeps } from "./federation-routes.js";
import { OfferDocumentSchema, OfferPlanSchema, OfferSiteSchema } from "./offer-documents.js";
import { removeMarkup, setMarkup } from "./offer-markups.js";
import { defineOffer, getOfferMade, pushOffer } from "./offers-made.js";
import { getReceivedOffer, listReceivedOffers, pullOffer } from "./offers-received.js";

const OfferMade = Type.Object({
  id: Type.String(),
  peer_id: Type.String(),
  current_version: Type.Integer(),
  pushed_version: Type.Integer({ description: "The newest version the peer accepted from a push (0: none)" }),
  pushed_at: NullableTimestamp,
  push_error: Type.String({ description: "Why the last push failed; empty when it did not" }),
  updated_at: Timestamp,
  offer: OfferDocumentSchema,
});

const MarkupView = Nullable(
  Type.Union([
    Type.Object({ kind: Type.Literal("percent"), basis_points: Type.Integer() }),
    Type.Object({
      kind: Type.Literal("fixed"),
      hourly_minor: Type.Integer(),
      monthly_cap_minor: Type.Integer(),
      currency: Type.String(),
    }),
  ]),
);

const ReceivedOffer = Type.Object({
  id: Type.String(),
  peer: Type.Object({ id: Type.String(), name: Type.String(), state: Type.String() }),
  version: Type.Integer(),
  version_id: Type.String({
    description: "The current version's id: what a server created now is priced by",
  }),
  received_at: Timestamp,
  received_via: Type.Union([Type.Literal("push"), Type.Literal("pull")]),
  issued_at: Type.String(),
  currency: Type.String(),
  capacity: Nullable(Type.Object({ max_servers: Type.Integer() })),
  sites: Type.Array(OfferSiteSchema),
  plans: Type.Array(
    Type.Object({
      ...OfferPlanSchema.properties,
      markup: MarkupView,
      retail_hourly_minor: Nullable(Type.Integer()),
      retail_monthly_cap_minor: Nullable(Type.Integer()),
      problem: Nullable(Type.String()),
    }),
  ),
  on_sale: Type.Boolean({ description: "Whether customers are sold it: only while the peer is active" }),
});

/** Offers between peers (docs/federation.md, "Offers"): made to a peer, and received from peers. */
export function registerOfferRoutes(app: App, deps: FederationRouteDeps): void {
  const config = { tokenScope: { group: "account" } } as const;
  const tags = ["federation"];

  app.get(
    "/federation/peers/:id/offer",
    {
      config,
      schema: {
        tags,
        summary: "Show the offer made to a peer, in its current version, and its last push",
        params: IdParam,
        response: { 200: OfferMade, ...errorResponses },
      },
    },
    async (request) => getOfferMade(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/federation/peers/:id/offer",
    {
      config,
      schema: {
        tags,
        summary:
          "Make a new version of the offer to a peer (sites, plans, wholesale prices), signed, and push it",
        params: IdParam,
        body: Strict({
          currency: Type.String({ pattern: "^[A-Z]{3}$" }),
          site_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 }),
          plans: Type.Array(
            Strict({
              plan_id: Type.String({ minLength: 1, maxLength: 64 }),
              hourly_price_minor: MoneyMinor({
                description: "The wholesale price per hour, integer minor units",
              }),
              monthly_cap_minor: MoneyMinor({ description: "The wholesale price for a month at most" }),
            }),
            { maxItems: 100 },
          ),
          max_servers: Type.Optional(
            Nullable(
              Type.Integer({
                minimum: 1,
                maximum: 1_000_000,
                description: "At most this many servers at once",
              }),
            ),
          ),
        }),
        response: { 201: OfferMade, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await defineOffer(contextOf(deps, request), deps, request.params.id, request.body)),
  );

  app.post(
    "/federation/peers/:id/offer/push",
    {
      config,
      schema: {
        tags,
        summary: "Push the current version of the offer to the peer again",
        params: IdParam,
        response: { 200: OfferMade, ...errorResponses },
      },
    },
    async (request) => pushOffer(contextOf(deps, request), deps, request.params.id),
  );

  app.post(
    "/federation/peers/:id/offer/pull",
    {
      config,
      schema: {
        tags,
        summary: "Pull the peer's current offer to this installation (a signed request)",
        params: IdParam,
        response: { 200: ReceivedOffer, ...errorResponses },
      },
    },
    async (request) => pullOffer(contextOf(deps, request), deps, request.params.id),
  );

  app.get(
    "/federation/offers",
    {
      config,
      schema: {
        tags,
        summary: "List the offers received from peers, with wholesale, markup and retail prices",
        querystring: Strict({ ...PageQuery }),
        response: { 200: PageOf(ReceivedOffer), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(await listReceivedOffers(contextOf(deps, request), pageRequest(request.query))),
  );

  app.get(
    "/federation/offers/:id",
    {
      config,
      schema: {
        tags,
        summary: "Show an offer received from a peer",
        params: IdParam,
        response: { 200: ReceivedOffer, ...errorResponses },
      },
    },
    async (request) => getReceivedOffer(contextOf(deps, request), request.params.id),
  );

  app.put(
    "/federation/offers/:id/markup",
    {
      config,
      schema: {
        tags,
        summary: "Set the markup on an offer received, or on one of its plans (which wins); new servers only",
        params: IdParam,
        body: Strict({
          plan_id: Type.Optional(
            Type.String({ minLength: 1, maxLength: 64, description: "Absent: the whole offer" }),
          ),
          basis_points: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 1_000_000, description: "A percentage: 2500 = 25 %" }),
          ),
          hourly_minor: Type.Optional(
            MoneyMinor({ description: "A fixed amount per hour, the offer's currency" }),
          ),
          monthly_cap_minor: Type.Optional(MoneyMinor({ description: "A fixed amount per month" })),
        }),
        response: { 200: ReceivedOffer, ...errorResponses },
      },
    },
    async (request) => setMarkup(contextOf(deps, request), request.params.id, request.body),
  );

  app.delete(
    "/federation/offers/:id/markup",
    {
      config,
      schema: {
        tags,
        summary: "Remove the markup on an offer received, or on one of its plans",
        params: IdParam,
        querystring: Strict({ plan_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }),
        response: { 200: ReceivedOffer, ...errorResponses },
      },
    },
    async (request) => removeMarkup(contextOf(deps, request), request.params.id, request.query.plan_id),
  );
}
