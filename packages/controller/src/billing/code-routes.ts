import { Type } from "@sinclair/typebox";
import { MoneyMinor, NullableTimestamp, Strict, Timestamp, errorResponses } from "../http/schemas.js";
import type { App, RouteDeps } from "../http/types.js";
import { contextOf } from "../http/types.js";
import { createCode, listCodes, redeemCode } from "./codes.js";

const Code = Type.Object({
  id: Type.String(),
  code: Type.String(),
  kind: Type.String(),
  value: Type.Integer(),
  scope: Type.String(),
  plan_ids: Type.Array(Type.String()),
  duration_months: Type.Integer(),
  expires_at: NullableTimestamp,
  max_redemptions: Type.Union([Type.Integer(), Type.Null()]),
  redemptions: Type.Integer(),
  created_at: Timestamp,
});

/** Discount codes: those an issuer creates, and redeeming one (docs/billing.md). */
export function registerCodeRoutes(app: App, deps: RouteDeps): void {
  app.get(
    "/codes",
    {
      schema: {
        tags: ["billing"],
        summary: "The discount codes you issue",
        response: { 200: Type.Object({ items: Type.Array(Code) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listCodes(contextOf(deps, request)) }),
  );

  app.post(
    "/codes",
    {
      schema: {
        tags: ["billing"],
        summary: "Create a discount code (GEO50: percent 5000, scope first-server, 6 months)",
        body: Strict({
          code: Type.String(),
          kind: Type.Union([Type.Literal("percent"), Type.Literal("amount")]),
          value: MoneyMinor({
            minimum: 1,
            description: "basis points for percent (5000 = 50%), minor units for amount",
          }),
          scope: Type.Union([
            Type.Literal("first-server"),
            Type.Literal("all-servers"),
            Type.Literal("plans"),
          ]),
          plan_ids: Type.Optional(Type.Array(Type.String())),
          duration_months: Type.Integer({ minimum: 1, maximum: 120 }),
          expires_at: Type.Optional(Type.String({ format: "date-time" })),
          // The column is a 32-bit integer.
          max_redemptions: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000 })),
        }),
        response: { 201: Code, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCode(contextOf(deps, request), request.body)),
  );

  app.post(
    "/codes/redeem",
    {
      schema: {
        tags: ["billing"],
        summary: "Redeem a discount code for your account",
        body: Strict({
          code: Type.String({ minLength: 1, maxLength: 64 }),
          plan_id: Type.Optional(Type.String()),
        }),
        response: { 201: Type.Record(Type.String(), Type.Unknown()), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await redeemCode(contextOf(deps, request), request.body)),
  );
}
