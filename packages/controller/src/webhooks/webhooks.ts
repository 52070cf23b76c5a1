import { InvalidInputError, NotFoundError, newId, requireAdmin } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { WebhookDeliveryRow, WebhookEndpointRow } from "@layerboom/db";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { WEBHOOK_EVENT_TYPES } from "./outbox.js";
import type { WebhookEventType } from "./outbox.js";
import { newWebhookSecret } from "./signature.js";
import { OutboundGuard, OutboundRefusedError } from "../outbound/guard.js";

/** An endpoint as the API shows it: never with its secret. */
export type WebhookView = Omit<WebhookEndpointRow, "secret" | "deleted_at">;

/** Only at creation is the secret shown. */
export type NewWebhookView = WebhookView & { secret: string };

function visibleEndpoints(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("webhook_endpoints")
    .innerJoin("accounts", "accounts.id", "webhook_endpoints.account_id")
    .select([
      "webhook_endpoints.id",
      "webhook_endpoints.account_id",
      "webhook_endpoints.url",
      "webhook_endpoints.events",
      "webhook_endpoints.created_by_user_id",
      "webhook_endpoints.created_at",
    ])
    .where("webhook_endpoints.deleted_at", "is", null)
    .where(accountInSubtree(ctx.principal.accountPath));
}

export async function getWebhook(ctx: ServiceContext, id: string): Promise<WebhookView> {
  const row = await visibleEndpoints(ctx).where("webhook_endpoints.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("webhook", id);
  return row;
}

export async function listWebhooks(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined },
  page: PageRequest,
): Promise<Page<WebhookView>> {
  let q = visibleEndpoints(ctx);
  if (filter.accountId) q = q.where("webhook_endpoints.account_id", "=", filter.accountId);
  if (page.after) q = q.where("webhook_endpoints.id", ">", page.after);
  return toPage(
    await q
      .orderBy("webhook_endpoints.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InvalidInputError("url", `"${raw}" is not an absolute URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InvalidInputError(
      "url",
      `A webhook URL is http or https, not ${url.protocol.replace(/:$/, "")}.`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidInputError("url", "A webhook URL carries no credentials; verify the signature instead.");
  }
  return url.toString();
}

let publicOnly: OutboundGuard | undefined;

/**
 * A webhook to an address that is not public (and not on the provider's allowlist) is refused
 * now, with the reason; a host name is judged at each delivery, since its addresses may change.
 */
function checkDestination(url: string, outbound: OutboundGuard | undefined): void {
  try {
    (outbound ?? (publicOnly ??= new OutboundGuard())).checkWithoutResolving(url);
  } catch (err) {
    if (err instanceof OutboundRefusedError) throw new InvalidInputError("url", `${err.message}.`);
    throw err;
  }
}

/** Registers an endpoint and returns it with its signing secret, which is never shown again. */
export async function createWebhook(
  ctx: ServiceContext,
  input: { url: string; events: string[]; account_id?: string | undefined },
  outbound?: OutboundGuard,
): Promise<NewWebhookView> {
  requireAdmin(ctx.principal, "manage webhooks");
  const url = checkUrl(input.url);
  checkDestination(url, outbound);
  const events = [...new Set(input.events)];
  const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) {
    throw new InvalidInputError(
      "events",
      `Unknown event ${unknown.join(", ")}; known events are ${WEBHOOK_EVENT_TYPES.join(", ")}.`,
    );
  }
  if (events.length === 0) throw new InvalidInputError("events", "Subscribe to at least one event.");
  const account = await getAccount(ctx, input.account_id ?? ctx.principal.accountId);
  const id = newId("webhook");
  const secret = newWebhookSecret();
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("webhook_endpoints")
      .values({
        id,
        account_id: account.id,
        url,
        events: JSON.stringify(events as WebhookEventType[]),
        secret,
        created_by_user_id: ctx.principal.userId,
      })
      .returning(["id", "account_id", "url", "events", "created_by_user_id", "created_at"])
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "webhook.create",
      resourceType: "webhook",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
      details: { url, events },
    });
    return { ...row, secret };
  });
}

/** Removes an endpoint; deliveries still queued for it are marked failed, not sent. */
export async function deleteWebhook(ctx: ServiceContext, id: string): Promise<void> {
  requireAdmin(ctx.principal, "manage webhooks");
  const endpoint = await getWebhook(ctx, id);
  const account = await getAccount(ctx, endpoint.account_id);
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx.updateTable("webhook_endpoints").set({ deleted_at: new Date() }).where("id", "=", id).execute();
    await trx
      .updateTable("webhook_deliveries")
      .set({ state: "failed", last_error: "the endpoint was removed" })
      .where("endpoint_id", "=", id)
      .where("state", "=", "pending")
      .execute();
    await recordAudit(trx, ctx, {
      action: "webhook.delete",
      resourceType: "webhook",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
      details: { url: endpoint.url },
    });
  });
}

export async function listWebhookDeliveries(
  ctx: ServiceContext,
  endpointId: string,
  filter: { state?: WebhookDeliveryRow["state"] | undefined },
  page: PageRequest,
): Promise<Page<WebhookDeliveryRow>> {
  await getWebhook(ctx, endpointId);
  let q = ctx.database.db.selectFrom("webhook_deliveries").selectAll().where("endpoint_id", "=", endpointId);
  if (filter.state) q = q.where("state", "=", filter.state);
  // Newest first: what an operator looks at is what just failed.
  if (page.after) q = q.where("id", "<", page.after);
  return toPage(
    await q
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}
