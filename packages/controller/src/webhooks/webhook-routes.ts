import { Type } from "@sinclair/typebox";
import { pageRequest, pageResponse } from "../http/pagination.js";
import {
  IdParam,
  Nullable,
  NullableTimestamp,
  PageOf,
  PageQuery,
  Strict,
  Timestamp,
  errorResponses,
} from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createWebhook, deleteWebhook, listWebhookDeliveries, listWebhooks } from "./webhooks.js";
import { WEBHOOK_EVENT_TYPES } from "./outbox.js";

const EventType = Type.Union(WEBHOOK_EVENT_TYPES.map((e) => Type.Literal(e)));

const webhookFields = {
  id: Type.String(),
  account_id: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  created_by_user_id: Nullable(Type.String()),
  created_at: Timestamp,
};
const Webhook = Type.Object(webhookFields);
const NewWebhook = Type.Object({
  ...webhookFields,
  secret: Type.String({
    description:
      "The signing secret. Shown once; store it now. See docs/tickets-and-webhooks.md for Layerboom-Signature.",
  }),
});
const DeliveryState = Type.Union([
  Type.Literal("pending"),
  Type.Literal("delivered"),
  Type.Literal("failed"),
]);
const Delivery = Type.Object({
  id: Type.String({ description: "Also sent as the Layerboom-Delivery header" }),
  endpoint_id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  account_id: Type.String(),
  state: DeliveryState,
  attempts: Type.Integer(),
  next_attempt_at: Timestamp,
  last_status: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created_at: Timestamp,
  delivered_at: NullableTimestamp,
});

export function registerWebhookRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/webhooks",
    {
      schema: {
        tags: ["webhooks"],
        summary: "List webhook endpoints",
        querystring: Strict({ ...PageQuery, account_id: Type.Optional(Type.String()) }),
        response: { 200: PageOf(Webhook), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listWebhooks(
          contextOf(deps, request),
          { accountId: request.query.account_id },
          pageRequest(request.query),
        ),
      ),
  );

  app.post(
    "/webhooks",
    {
      config: { idempotent: true },
      schema: {
        tags: ["webhooks"],
        summary: "Register a webhook endpoint (admins); the answer holds its signing secret, once",
        body: Strict({
          url: Type.String({ minLength: 1, maxLength: 2048 }),
          events: Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length }),
          account_id: Type.Optional(Type.String()),
        }),
        response: { 201: NewWebhook, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhook(contextOf(deps, request), request.body, deps.outbound)),
  );

  app.delete(
    "/webhooks/:id",
    {
      schema: {
        tags: ["webhooks"],
        summary: "Remove a webhook endpoint; its queued deliveries are dropped",
        params: IdParam,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteWebhook(contextOf(deps, request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/webhooks/:id/deliveries",
    {
      schema: {
        tags: ["webhooks"],
        summary: "List an endpoint's deliveries, newest first",
        params: IdParam,
        querystring: Strict({ ...PageQuery, state: Type.Optional(DeliveryState) }),
        response: { 200: PageOf(Delivery), ...errorResponses },
      },
    },
    async (request) =>
      pageResponse(
        await listWebhookDeliveries(
          contextOf(deps, request),
          request.params.id,
          { state: request.query.state },
          pageRequest(request.query),
        ),
      ),
  );
}
