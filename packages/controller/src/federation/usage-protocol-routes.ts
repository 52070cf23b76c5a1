import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import { Strict } from "../http/schemas.js";
import type { App } from "../http/types.js";
import { settlementInvoiceFor } from "./settlement-invoices.js";
import type { RawRequest, SignedRequestDeps } from "./signed-requests.js";
import { verifyPeerRequest } from "./signed-requests.js";
import { MAX_USAGE_RECORD_BYTES } from "./usage-documents.js";
import { usageRecordsAfter } from "./usage-records-made.js";
import { USAGE_PULL_PAGE, receiveUsageRecords } from "./usage-records-received.js";
import type { UsageReceiveDeps } from "./usage-records-received.js";

/** What protocol-routes.ts hands the usage routes: its raw bodies, signed answers and checks. */
export interface UsageProtocolKit {
  raw: (request: FastifyRequest) => RawRequest;
  answer: (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    payload: unknown,
  ) => Promise<unknown>;
  signedDeps: () => SignedRequestDeps;
}

/**
 * Usage and settlement between installations (docs/federation.md, "Usage and settlement"), every
 * call signed by an active peer and answered signed: B pushes records, A asks for them again, A
 * reads B's invoice to it.
 */
export function registerUsageProtocolRoutes(fed: App, deps: UsageReceiveDeps, c: UsageProtocolKit): void {
  // B → A: a batch of records; A answers the highest contiguous number it holds.
  fed.post(
    "/usage-records",
    {
      config: { public: true },
      schema: {
        hide: true,
        body: Strict({
          records: Type.Array(
            Strict({
              document: Type.String({ minLength: 1, maxLength: MAX_USAGE_RECORD_BYTES }),
              signature: Type.String({ minLength: 1, maxLength: 200 }),
            }),
            { maxItems: USAGE_PULL_PAGE },
          ),
        }),
      },
    },
    async (request, reply) => {
      const peer = await verifyPeerRequest(c.signedDeps(), c.raw(request));
      const receipt = await receiveUsageRecords(deps, peer, request.body.records, "push");
      return c.answer(request, reply, 200, receipt);
    },
  );

  // A → B: the records after a number, in order (a gap A wants filled).
  fed.get(
    "/usage-records",
    {
      config: { public: true },
      schema: {
        hide: true,
        querystring: Strict({ after: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) }),
      },
    },
    async (request, reply) => {
      const peer = await verifyPeerRequest(c.signedDeps(), c.raw(request));
      const records = await usageRecordsAfter(
        deps.database.db,
        peer.id,
        request.query.after,
        USAGE_PULL_PAGE,
      );
      return c.answer(request, reply, 200, { records });
    },
  );

  // A → B: B's invoice to A for a month.
  fed.get(
    "/invoices",
    {
      config: { public: true },
      schema: {
        hide: true,
        querystring: Strict({ month: Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$" }) }),
      },
    },
    async (request, reply) => {
      const peer = await verifyPeerRequest(c.signedDeps(), c.raw(request));
      const invoice = await settlementInvoiceFor(deps.database.db, peer, request.query.month);
      return c.answer(request, reply, 200, { invoice });
    },
  );
}
