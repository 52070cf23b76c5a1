import { ConflictError, InvalidInputError, requireProviderAdmin } from "@layerboom/core";
import { Type } from "@sinclair/typebox";
import { IdParam, Nullable, NullableTimestamp, Strict, Timestamp, errorResponses } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { contextOf } from "../http/types.js";
import type { FederationRouteDeps } from "./federation-routes.js";
import { getPeer } from "./peers.js";
import { reconcile } from "./reconciliation.js";
import { runUsageSettlement } from "./usage-push.js";
import { pullUsageRecords, usageStatus } from "./usage-records-received.js";

const Gap = Type.Object({ from: Type.Integer(), to: Type.Integer() });

const UsageStatus = Type.Object({
  peer_id: Type.String(),
  received: Type.Object(
    {
      records: Type.Integer({ description: "Records held from this peer" }),
      acked_through: Type.Integer({ description: "The highest number n with records 1..n all held" }),
      highest_seq: Type.Integer(),
      gaps: Type.Array(Gap, { description: "Numbers missing below the highest held" }),
      flagged: Type.Integer({
        description: "Records refused (a held number with other content, a bad signature)",
      }),
      last_received_at: NullableTimestamp,
    },
    { description: "What this installation holds of the records the peer sent it (A's side)" },
  ),
  made: Nullable(
    Type.Object(
      {
        last_seq: Type.Integer(),
        acked_through: Type.Integer(),
        pushed_at: NullableTimestamp,
        push_error: Type.String(),
      },
      { description: "The records this installation made for the peer (B's side); null when none" },
    ),
  ),
});

const PushResult = Type.Object({
  peer_id: Type.String(),
  made: Type.Integer({ description: "Records made by this run" }),
  last_seq: Type.Integer(),
  acked_through: Type.Integer(),
  push_error: Type.String({ description: "Why the push failed; empty when it did not" }),
});

const Reconciliation = Type.Object({
  peer_id: Type.String(),
  month: Type.String(),
  currency: Nullable(Type.String()),
  invoice: Nullable(
    Type.Object({
      number: Type.String(),
      issued_at: Type.String(),
      subtotal_minor: Type.Integer(),
      tax_minor: Type.Integer(),
      total_minor: Type.Integer(),
    }),
  ),
  invoice_error: Nullable(Type.String({ description: "Why the partner's invoice could not be read" })),
  servers: Type.Array(
    Type.Object({
      remote_server_id: Type.String({ description: "The partner's id for the server" }),
      local_server_id: Nullable(Type.String({ description: "This installation's id for it" })),
      invoiced_minor: Nullable(Type.Integer()),
      invoiced_records: Nullable(Type.Integer()),
      records_minor: Type.Integer({ description: "The records held, summed at wholesale" }),
      records: Type.Integer(),
      difference_minor: Type.Integer({ description: "Invoiced minus records" }),
      status: Type.Union([
        Type.Literal("match"),
        Type.Literal("differs"),
        Type.Literal("not_invoiced"),
        Type.Literal("no_records"),
      ]),
    }),
  ),
  totals: Type.Object({
    invoiced_minor: Type.Integer(),
    records_minor: Type.Integer(),
    difference_minor: Type.Integer(),
  }),
  differences: Type.Integer({ description: "Servers whose invoice line and records disagree" }),
  flagged_records: Type.Array(
    Type.Object({ seq: Nullable(Type.Integer()), reason: Type.String(), received_at: Timestamp }),
  ),
  gaps: Type.Array(Gap),
});

/** Usage records and settlement with a peer (docs/federation.md, "Usage and settlement"). */
export function registerUsageRoutes(app: App, deps: FederationRouteDeps): void {
  const config = { tokenScope: { group: "account" } } as const;
  const tags = ["federation"];

  app.get(
    "/federation/peers/:id/usage",
    {
      config,
      schema: {
        tags,
        summary:
          "Show the usage records held from a peer (acknowledged, gaps, refused) and those made for it",
        params: IdParam,
        response: { 200: UsageStatus, ...errorResponses },
      },
    },
    async (request) => usageStatus(contextOf(deps, request), request.params.id),
  );

  app.post(
    "/federation/peers/:id/usage/pull",
    {
      config,
      schema: {
        tags,
        summary: "Ask a peer again for the usage records after the last contiguous one held (fills gaps)",
        params: IdParam,
        response: { 200: UsageStatus, ...errorResponses },
      },
    },
    async (request) => pullUsageRecords(contextOf(deps, request), deps, request.params.id),
  );

  app.post(
    "/federation/peers/:id/usage/push",
    {
      config,
      schema: {
        tags,
        summary:
          "Make the usage records of a peer's servers for the hours closed so far (or through a time) and push what it has not acknowledged",
        params: IdParam,
        body: Type.Optional(
          Strict({
            through: Type.Optional(
              Type.String({
                format: "date-time",
                description: "Make records of hours ending by then at most",
              }),
            ),
          }),
        ),
        response: { 200: PushResult, ...errorResponses },
      },
    },
    async (request) => {
      const ctx = contextOf(deps, request);
      const peer = await getPeer(ctx, request.params.id);
      requireProviderAdmin(ctx.principal, "push usage records");
      if (peer.state !== "active")
        throw new ConflictError(`${peer.name} is ${peer.state}: usage records go to active peers only.`, {
          reason: "peer_not_active",
          state: peer.state,
        });
      const through = request.body?.through === undefined ? Date.now() : Date.parse(request.body.through);
      if (!Number.isFinite(through))
        throw new InvalidInputError("through", "through is an RFC 3339 date-time.");
      const [result] = await runUsageSettlement(deps, through, peer.id);
      return (
        result ?? {
          peer_id: peer.id,
          made: 0,
          last_seq: 0,
          acked_through: 0,
          push_error: "No server is run here for this peer.",
        }
      );
    },
  );

  app.get(
    "/federation/peers/:id/reconciliation",
    {
      config,
      schema: {
        tags,
        summary: "Compare a partner's invoice for a month with the usage records held, per server",
        params: IdParam,
        querystring: Strict({ month: Type.String({ description: "YYYY-MM" }) }),
        response: { 200: Reconciliation, ...errorResponses },
      },
    },
    async (request) => reconcile(contextOf(deps, request), deps, request.params.id, request.query.month),
  );
}
