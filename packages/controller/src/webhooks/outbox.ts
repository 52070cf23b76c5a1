import { newId } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { enqueueJobs } from "../jobs/enqueue.js";
import type { NewJob } from "../jobs/enqueue.js";

/** The job runner's task that sends one delivery (dispatcher.ts). */
export const DELIVER_TASK = "webhooks.deliver";

/** The job that sends a delivery; its unique key is the delivery's. */
function deliveryJob(deliveryId: string): NewJob {
  return {
    task: DELIVER_TASK,
    payload: { delivery_id: deliveryId },
    uniqueKey: `${DELIVER_TASK}:${deliveryId}`,
  };
}

/** The events an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "server.created",
  "server.suspended",
  "server.unsuspended",
  "server.deleted",
  "invoice.issued",
  "invoice.paid",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Something that happened to an account, for its webhooks and its ancestors'. */
export interface WebhookEvent {
  accountId: string;
  type: WebhookEventType;
  payload: Record<string, unknown>;
}

/**
 * Queues an event for every active endpoint of the account and of its ancestors (a reseller
 * sees its customers' events) that subscribes to its type. Call it with the transaction of the
 * change itself: the delivery rows and their jobs commit with the change, or vanish with its
 * rollback, so an event is never lost and never sent for something that did not happen.
 * Returns the event id.
 */
export async function enqueueWebhookEvent(db: Kysely<Schema>, event: WebhookEvent): Promise<string> {
  const account = await db
    .selectFrom("accounts")
    .select("path")
    .where("id", "=", event.accountId)
    .executeTakeFirst();
  if (!account) throw new Error(`enqueueWebhookEvent: unknown account ${event.accountId}`);
  const lineage = account.path.split("/").filter(Boolean);
  const eventId = newId("webhookEvent");
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select("id")
    .where("account_id", "in", lineage)
    .where("deleted_at", "is", null)
    .where(sql<boolean>`events @> ${JSON.stringify([event.type])}::jsonb`)
    .orderBy("id")
    .execute();
  if (endpoints.length === 0) return eventId;
  const payload = JSON.stringify(event.payload);
  const rows = endpoints.map((e) => ({
    id: newId("webhookDelivery"),
    endpoint_id: e.id,
    event_id: eventId,
    event_type: event.type,
    account_id: event.accountId,
    payload,
  }));
  await db.insertInto("webhook_deliveries").values(rows).execute();
  await enqueueJobs(
    db,
    rows.map((r) => deliveryJob(r.id)),
  );
  return eventId;
}

/**
 * Queues many events at once (a month close issues thousands of invoices): one query for the
 * endpoints of every account involved and its ancestors, one insert. Same guarantees as
 * {@link enqueueWebhookEvent}: call it inside the transaction of the change.
 */
export async function enqueueWebhookEvents(
  db: Kysely<Schema>,
  events: readonly (WebhookEvent & { accountPath: string })[],
): Promise<void> {
  if (events.length === 0) return;
  const lineage = new Set(events.flatMap((e) => e.accountPath.split("/").filter(Boolean)));
  const endpoints = await db
    .selectFrom("webhook_endpoints")
    .select(["id", "account_id", "events"])
    .where("account_id", "in", [...lineage])
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
  if (endpoints.length === 0) return;
  const rows = events.flatMap((event) => {
    const mine = new Set(event.accountPath.split("/").filter(Boolean));
    const matching = endpoints.filter(
      (e) => mine.has(e.account_id) && (e.events as readonly string[]).includes(event.type),
    );
    if (matching.length === 0) return [];
    const eventId = newId("webhookEvent");
    const payload = JSON.stringify(event.payload);
    return matching.map((e) => ({
      id: newId("webhookDelivery"),
      endpoint_id: e.id,
      event_id: eventId,
      event_type: event.type,
      account_id: event.accountId,
      payload,
    }));
  });
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto("webhook_deliveries")
      .values(rows.slice(i, i + 1000))
      .execute();
  }
  await enqueueJobs(
    db,
    rows.map((r) => deliveryJob(r.id)),
  );
}
