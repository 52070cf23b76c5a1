import { createHash } from "node:crypto";
import { ConflictError, IdempotencyConflictError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { FastifyReply, FastifyRequest } from "fastify";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const ABANDONED_CLAIM_MS = 60_000;

declare module "fastify" {
  interface FastifyRequest {
    idempotencyKey?: string;
  }
}

function requestHash(request: FastifyRequest): string {
  return createHash("sha256")
    .update(`${request.method} ${request.url}\n`)
    .update(JSON.stringify(request.body ?? null))
    .digest("hex");
}

/**
 * Idempotency-Key on creates: the first request with a key claims it; a retry with the same
 * body replays the stored response; the same key with another body is a 409.
 */
export function idempotencyHooks(database: Database) {
  async function preHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (!request.routeOptions.config.idempotent || !request.principal) return undefined;
    const key = request.headers["idempotency-key"];
    if (typeof key !== "string") return undefined;
    if (!KEY_PATTERN.test(key))
      throw new ConflictError("The Idempotency-Key header must be 1 to 255 visible ASCII characters.");
    const hash = requestHash(request);
    const userId = request.principal.userId;
    const claimed = await database.db
      .insertInto("idempotency_keys")
      .values({ user_id: userId, key, method: request.method, path: request.url, request_hash: hash })
      .onConflict((oc) => oc.doNothing())
      .returning("key")
      .executeTakeFirst();
    if (claimed) {
      request.idempotencyKey = key;
      return undefined;
    }
    const stored = await database.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("user_id", "=", userId)
      .where("key", "=", key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== hash) {
      throw new IdempotencyConflictError("This Idempotency-Key was already used with a different request.", {
        key,
      });
    }
    if (stored.status_code === null || stored.response_body === null) {
      // A claim without a response is either in flight or was orphaned by a crash; after a
      // minute it is surely the latter, so release it and let this request proceed.
      if (Date.now() - stored.created_at.getTime() > ABANDONED_CLAIM_MS) {
        await database.db
          .deleteFrom("idempotency_keys")
          .where("user_id", "=", userId)
          .where("key", "=", key)
          .where("status_code", "is", null)
          .execute();
        return preHandler(request, reply);
      }
      throw new IdempotencyConflictError(
        "A request with this Idempotency-Key is still in progress; retry shortly.",
        { key },
      );
    }
    return reply
      .status(stored.status_code)
      .header("idempotent-replayed", "true")
      .type("application/json")
      .send(JSON.parse(stored.response_body));
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const key = request.idempotencyKey;
    if (!key || !request.principal) return payload;
    if (reply.statusCode >= 500) {
      // Let the client retry a server failure with the same key.
      await database.db
        .deleteFrom("idempotency_keys")
        .where("user_id", "=", request.principal.userId)
        .where("key", "=", key)
        .execute();
      return payload;
    }
    await database.db
      .updateTable("idempotency_keys")
      .set({
        status_code: reply.statusCode,
        response_body: typeof payload === "string" ? payload : JSON.stringify(payload),
      })
      .where("user_id", "=", request.principal.userId)
      .where("key", "=", key)
      .execute();
    return payload;
  }

  return { preHandler, onSend };
}
