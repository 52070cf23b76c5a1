import type { Database, WebhookDeliveryRow } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import type { JobContext, TaskDefinition } from "../jobs/job-runner.js";
import { OutboundGuard, OutboundRefusedError } from "../outbound/guard.js";
import { signWebhook } from "./signature.js";

/** Kept here for the callers that import it with the dispatcher. */
export { backoffMs } from "../jobs/backoff.js";

/** Options for {@link WebhookDispatcher}; every field has a default. */
export interface WebhookDispatcherOptions {
  database: Database;
  logger: FastifyBaseLogger;
  /** How soon a queued delivery is noticed: the job runner polls at least this often. Default 1 s. */
  pollMs?: number;
  /** Requests in flight at once, per controller. Default 8. */
  concurrency?: number;
  /** A receiver that has not answered by then has failed this attempt. Default 10 s. */
  timeoutMs?: number;
  /** Attempts before a delivery is marked failed. Default 12 (about a day and a half with the defaults). */
  maxAttempts?: number;
  /** The first retry waits about this long; each further one twice as long. Default 10 s. */
  backoffBaseMs?: number;
  /** The longest wait between attempts. Default 6 h. */
  backoffMaxMs?: number;
  /** Where deliveries may go: public addresses, and the provider's allowlist. Default: public only. */
  outbound?: OutboundGuard;
}

type CompiledOptions = Required<Omit<WebhookDispatcherOptions, "database" | "logger" | "outbound">>;

/** A receiver's answer is read only this far; a webhook answer carries nothing we use. */
const MAX_ANSWER_BYTES = 64 * 1024;

function compileOptions(o: WebhookDispatcherOptions): CompiledOptions {
  const compiled = {
    pollMs: o.pollMs ?? 1_000,
    concurrency: o.concurrency ?? 8,
    timeoutMs: o.timeoutMs ?? 10_000,
    maxAttempts: o.maxAttempts ?? 12,
    backoffBaseMs: o.backoffBaseMs ?? 10_000,
    backoffMaxMs: o.backoffMaxMs ?? 6 * 3_600_000,
  };
  for (const [name, value] of Object.entries(compiled)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`webhooks.${name} must be a positive number`);
  }
  return compiled;
}

/** The JSON a receiver gets; the same bytes on every attempt of a delivery. */
export function deliveryBody(d: WebhookDeliveryRow): string {
  return JSON.stringify({
    id: d.event_id,
    type: d.event_type,
    created_at: d.created_at.toISOString(),
    account_id: d.account_id,
    data: d.payload,
  });
}

/** An attempt that failed; the job runner retries the delivery after a backoff. */
class DeliveryAttemptFailed extends Error {
  constructor(
    readonly deliveryId: string,
    reason: string,
  ) {
    super(reason);
    this.name = "DeliveryAttemptFailed";
  }
}

/**
 * Sends webhook deliveries. Each delivery row is queued with a `webhooks.deliver` job
 * (outbox.ts) in the transaction of the change; the job runner claims it under a lease, retries
 * it with backoff and hands a dead controller's claim to another replica (docs/jobs.md). This
 * class holds only what a delivery is: one signed POST, its outcome written on the delivery
 * row. No transaction or lock is held while a receiver is being called, so a slow receiver
 * only ever occupies one of the task's request slots, never the API.
 */
export class WebhookDispatcher {
  readonly options: CompiledOptions;
  private readonly outbound: OutboundGuard;

  constructor(private readonly deps: WebhookDispatcherOptions) {
    this.options = compileOptions(deps);
    this.outbound = deps.outbound ?? new OutboundGuard();
  }

  /** The job runner's task for deliveries: concurrency, attempts and backoff from the options. */
  task(): TaskDefinition<{ delivery_id: string }> {
    return {
      run: (payload, context) => this.deliver(payload.delivery_id, context),
      concurrency: this.options.concurrency,
      maxAttempts: this.options.maxAttempts,
      backoff: { baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs },
      // The lease outlives the request's own timeout, so only a dead controller loses it.
      leaseMs: this.options.timeoutMs + 30_000,
      gaveUp: async (job, reason) => {
        const id = (job.payload as { delivery_id?: string }).delivery_id ?? "";
        await this.settle(id, { state: "failed", attempts: job.attempts - 1, last_error: reason });
      },
    };
  }

  /** One attempt of one delivery; throws when it failed, so that the runner retries it. */
  async deliver(deliveryId: string, context: JobContext): Promise<void> {
    const d = await this.deps.database.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhook_endpoints as e", "e.id", "d.endpoint_id")
      .selectAll("d")
      .select(["e.url", "e.secret"])
      .where("d.id", "=", deliveryId)
      .where("d.state", "=", "pending")
      .executeTakeFirst();
    // Delivered by an earlier run that died before its job was marked done, or its endpoint was removed.
    if (!d) return;
    const body = deliveryBody(d);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Redirects are not followed: the receiver is the URL the customer registered, nothing else.
      const res = await this.outbound.request(d.url, {
        method: "POST",
        maxRedirects: 0,
        maxBytes: MAX_ANSWER_BYTES,
        timeoutMs: this.options.timeoutMs,
        headers: {
          "content-type": "application/json",
          "user-agent": "Layerboom-Webhooks/1",
          "layerboom-event": d.event_type,
          "layerboom-delivery": d.id,
          "layerboom-signature": signWebhook(d.secret, body),
        },
        body,
        signal: context.signal,
      });
      status = res.status;
      res.body.destroy();
      if (status < 200 || status > 299) error = `the receiver answered HTTP ${status}`;
    } catch (err) {
      // Shut down mid-request: the runner gives the attempt back; the receiver dedups on Layerboom-Delivery.
      if (context.signal.aborted) throw err;
      error = describeDeliveryError(err);
    }
    const log = context.log.child({ deliveryId: d.id, endpointId: d.endpoint_id });
    if (error === null) {
      await this.settle(d.id, {
        state: "delivered",
        attempts: context.attempt,
        delivered_at: new Date(),
        last_status: status,
        last_error: null,
      });
      log.debug("webhook delivered");
      return;
    }
    if (context.retryAt === null) {
      await this.settle(d.id, {
        state: "failed",
        attempts: context.attempt,
        last_status: status,
        last_error: error,
      });
      log.warn({ error }, "webhook delivery failed for good");
    } else {
      await this.settle(d.id, {
        state: "pending",
        attempts: context.attempt,
        next_attempt_at: context.retryAt,
        last_status: status,
        last_error: error,
      });
    }
    throw new DeliveryAttemptFailed(d.id, error);
  }

  /** Records an attempt's outcome, unless the delivery has left `pending` meanwhile (its endpoint was removed). */
  private async settle(
    id: string,
    set: {
      state: "pending" | "delivered" | "failed";
      attempts: number;
      next_attempt_at?: Date;
      delivered_at?: Date;
      last_status?: number | null;
      last_error?: string | null;
    },
  ): Promise<void> {
    await this.deps.database.db
      .updateTable("webhook_deliveries")
      .set(set)
      .where("id", "=", id)
      .where("state", "=", "pending")
      .execute();
  }
}

/**
 * What the customer sees of a failed attempt: the guard's rule ("could not connect to <host>",
 * "the address of <host> is not public"), never the socket error, so deliveries cannot tell a
 * closed port from a filtered or slow one.
 */
function describeDeliveryError(err: unknown): string {
  if (err instanceof OutboundRefusedError) return err.message;
  return "the delivery could not be sent";
}
