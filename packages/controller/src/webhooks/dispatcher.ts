import type { Database, WebhookDeliveryRow } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import { OutboundGuard, OutboundRefusedError } from "../outbound/guard.js";
import { signWebhook } from "./signature.js";

/** Options for {@link WebhookDispatcher}; every field has a default. */
export interface WebhookDispatcherOptions {
  database: Database;
  logger: FastifyBaseLogger;
  /** How often to look for due deliveries. Default 1 s. */
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

/** The wait before attempt `attempts + 1`: exponential, capped, with jitter so retries of many
 * deliveries to one recovering receiver do not arrive in lockstep. */
export function backoffMs(attempts: number, base: number, max: number, random = Math.random): number {
  const full = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

type Claimed = WebhookDeliveryRow & { url: string; secret: string };

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

/**
 * Sends queued webhook deliveries. Due rows are claimed with SKIP LOCKED (so replicas share the
 * queue) by pushing their next_attempt_at past the request timeout: that is the claim's lease,
 * and a controller that dies mid-request leaves the row due again once it has passed. No
 * transaction or lock is held while a receiver is being called, so a slow receiver only ever
 * occupies one of this dispatcher's request slots, never the API.
 */
export class WebhookDispatcher {
  private readonly options: CompiledOptions;
  private readonly outbound: OutboundGuard;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;

  constructor(private readonly deps: WebhookDispatcherOptions) {
    this.options = compileOptions(deps);
    this.outbound = deps.outbound ?? new OutboundGuard();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.options.pollMs);
    this.timer.unref();
  }

  /** Stops polling and cuts requests in flight short; their deliveries are due again at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.polling;
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Claims what is due and starts sending it (also what the poll timer calls). */
  poll(): Promise<void> {
    this.polling ??= this.claimAndSend()
      .catch((err: unknown) => this.deps.logger.error({ err }, "webhook dispatcher failed; it polls again"))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  /** Resolves once nothing is in flight (tests). */
  async idle(): Promise<void> {
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
  }

  private async claimAndSend(): Promise<void> {
    const room = this.options.concurrency - this.inFlight.size;
    if (this.stopped || room <= 0) return;
    const db = this.deps.database.db;
    // Most polls find nothing: a plain read first keeps them from writing or locking anything.
    const due = await db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("state", "=", "pending")
      .where("next_attempt_at", "<=", new Date())
      .limit(1)
      .executeTakeFirst();
    if (!due) return;
    const leaseMs = this.options.timeoutMs + 30_000;
    const claimed = await sql<Claimed>`
      UPDATE webhook_deliveries d
         SET attempts = d.attempts + 1,
             next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
        FROM webhook_endpoints e
       WHERE e.id = d.endpoint_id
         AND d.id IN (SELECT id FROM webhook_deliveries
                       WHERE state = 'pending' AND next_attempt_at <= now()
                       ORDER BY next_attempt_at
                       FOR UPDATE SKIP LOCKED
                       LIMIT ${room})
      RETURNING d.*, e.url, e.secret`.execute(db);
    for (const delivery of claimed.rows) {
      const run = this.send(delivery).catch((err: unknown) =>
        this.deps.logger.error({ err, deliveryId: delivery.id }, "webhook delivery bookkeeping failed"),
      );
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }
  }

  private async send(d: Claimed): Promise<void> {
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
        signal: this.abort.signal,
      });
      status = res.status;
      res.body.destroy();
      if (status < 200 || status > 299) error = `the receiver answered HTTP ${status}`;
    } catch (err) {
      if (this.abort.signal.aborted) {
        // Shut down mid-request: give the attempt back; the receiver dedups on Layerboom-Delivery.
        await this.settle(d, { state: "pending", next_attempt_at: new Date(), attempts: d.attempts - 1 });
        return;
      }
      error = describeDeliveryError(err);
    }
    const log = this.deps.logger.child({ deliveryId: d.id, endpointId: d.endpoint_id, attempt: d.attempts });
    if (error === null) {
      await this.settle(d, {
        state: "delivered",
        delivered_at: new Date(),
        last_status: status,
        last_error: null,
      });
      log.debug("webhook delivered");
    } else if (d.attempts >= this.options.maxAttempts) {
      await this.settle(d, { state: "failed", last_status: status, last_error: error });
      log.warn({ error }, "webhook delivery failed for good");
    } else {
      const wait = backoffMs(d.attempts, this.options.backoffBaseMs, this.options.backoffMaxMs);
      await this.settle(d, {
        state: "pending",
        next_attempt_at: new Date(Date.now() + wait),
        last_status: status,
        last_error: error,
      });
      log.info({ error, retryInMs: wait }, "webhook delivery failed; it is retried");
    }
  }

  /** Records an attempt's outcome, unless someone else has claimed the row since (lease ran out). */
  private async settle(
    d: Claimed,
    set: {
      state: "pending" | "delivered" | "failed";
      next_attempt_at?: Date;
      attempts?: number;
      delivered_at?: Date;
      last_status?: number | null;
      last_error?: string | null;
    },
  ): Promise<void> {
    await this.deps.database.db
      .updateTable("webhook_deliveries")
      .set(set)
      .where("id", "=", d.id)
      .where("state", "=", "pending")
      .where("attempts", "=", d.attempts)
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
