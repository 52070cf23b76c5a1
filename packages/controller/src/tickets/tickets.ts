import { ForbiddenError, InvalidInputError, NotFoundError, newId } from "@layerboom/core";
import type { AccountRow, Schema, TicketMessageRow, TicketRow, TicketStatus } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";

/** A ticket with its conversation, oldest message first. */
export type TicketView = TicketRow & { messages: TicketMessageRow[] };

/** Which side of a ticket the caller is on. */
export type TicketSide = "customer" | "staff";

/**
 * Only the customer's users and the handling account's staff see a ticket. The provider does
 * not see a reseller's tickets even though the customer is in its subtree: the reseller owns
 * that relationship. Everyone else gets the same 404 as for an id that does not exist.
 */
function visibleTickets(ctx: ServiceContext) {
  const me = ctx.principal.accountId;
  return ctx.database.db
    .selectFrom("tickets")
    .selectAll("tickets")
    .where((eb) => eb.or([eb("tickets.account_id", "=", me), eb("tickets.handler_account_id", "=", me)]));
}

function sideOf(ctx: ServiceContext, ticket: TicketRow): TicketSide {
  return ticket.account_id === ctx.principal.accountId ? "customer" : "staff";
}

async function findTicket(ctx: ServiceContext, id: string): Promise<TicketRow> {
  const row = await visibleTickets(ctx).where("tickets.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("ticket", id);
  return row;
}

async function accountPath(db: Kysely<Schema>, id: string): Promise<string> {
  const row = await db.selectFrom("accounts").select("path").where("id", "=", id).executeTakeFirstOrThrow();
  return row.path;
}

export async function getTicket(ctx: ServiceContext, id: string): Promise<TicketView> {
  const ticket = await findTicket(ctx, id);
  const messages = await ctx.database.db
    .selectFrom("ticket_messages")
    .selectAll()
    .where("ticket_id", "=", id)
    .orderBy("id")
    .execute();
  return { ...ticket, messages };
}

export interface TicketFilter {
  status?: TicketStatus | undefined;
  accountId?: string | undefined;
}

export async function listTickets(
  ctx: ServiceContext,
  filter: TicketFilter,
  page: PageRequest,
): Promise<Page<TicketRow>> {
  let q = visibleTickets(ctx);
  if (filter.status) q = q.where("tickets.status", "=", filter.status);
  if (filter.accountId) q = q.where("tickets.account_id", "=", filter.accountId);
  if (page.after) q = q.where("tickets.id", ">", page.after);
  return toPage(
    await q
      .orderBy("tickets.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

/** What changed, so the caller can tell the other side (mail is sent after the commit). */
export interface TicketChange {
  ticket: TicketView;
  message: TicketMessageRow;
  side: TicketSide;
}

export async function openTicket(
  ctx: ServiceContext,
  input: { subject: string; body: string; server_id?: string | undefined },
): Promise<TicketChange> {
  if (ctx.principal.accountKind !== "customer") {
    throw new ForbiddenError(
      "Tickets are opened by customer accounts; staff answer them (see GET /tickets).",
    );
  }
  const subject = input.subject.trim();
  if (!subject) throw new InvalidInputError("subject", "The subject is empty.");
  if (!input.body.trim()) throw new InvalidInputError("body", "The message is empty.");
  const account: AccountRow = await ctx.database.db
    .selectFrom("accounts")
    .selectAll()
    .where("id", "=", ctx.principal.accountId)
    .executeTakeFirstOrThrow();
  if (!account.parent_id)
    throw new InvalidInputError("account", "This account has no one to handle tickets.");
  if (input.server_id !== undefined) {
    const server = await ctx.database.db
      .selectFrom("servers")
      .select("id")
      .where("id", "=", input.server_id)
      .where("account_id", "=", account.id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!server) {
      throw new InvalidInputError(
        "server_id",
        `Unknown server ${input.server_id} for account ${account.id}.`,
      );
    }
  }
  const id = newId("ticket");
  return ctx.database.db.transaction().execute(async (trx) => {
    const ticket = await trx
      .insertInto("tickets")
      .values({
        id,
        account_id: account.id,
        handler_account_id: account.parent_id!,
        server_id: input.server_id ?? null,
        opened_by_user_id: ctx.principal.userId,
        subject,
        status: "open",
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const message = await trx
      .insertInto("ticket_messages")
      .values({
        id: newId("ticketMessage"),
        ticket_id: id,
        author_user_id: ctx.principal.userId,
        side: "customer",
        body: input.body,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "ticket.open",
      resourceType: "ticket",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
      details: { subject, handler_account_id: account.parent_id, server_id: input.server_id ?? null },
    });
    return { ticket: { ...ticket, messages: [message] }, message, side: "customer" as const };
  });
}

/** A staff reply waits on the customer (pending); a customer reply wants staff again (open). */
export async function replyToTicket(
  ctx: ServiceContext,
  id: string,
  input: { body: string },
): Promise<TicketChange> {
  const ticket = await findTicket(ctx, id);
  if (!input.body.trim()) throw new InvalidInputError("body", "The message is empty.");
  const side = sideOf(ctx, ticket);
  const status: TicketStatus = side === "staff" ? "pending" : "open";
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("ticket_messages")
      .values({
        id: newId("ticketMessage"),
        ticket_id: id,
        author_user_id: ctx.principal.userId,
        side,
        body: input.body,
      })
      .execute();
    await setStatus(trx, ctx, ticket, status, "reply");
  });
  const view = await getTicket(ctx, id);
  return { ticket: view, message: view.messages[view.messages.length - 1]!, side };
}

/** Staff set any status; a customer may close its ticket or open it again. */
export async function updateTicket(
  ctx: ServiceContext,
  id: string,
  patch: { status?: TicketStatus | undefined },
): Promise<TicketView> {
  const ticket = await findTicket(ctx, id);
  if (patch.status !== undefined) {
    if (patch.status === "pending" && sideOf(ctx, ticket) === "customer") {
      throw new ForbiddenError("Only the handling account's staff may set a ticket to pending.");
    }
    const status = patch.status;
    await ctx.database.db.transaction().execute((trx) => setStatus(trx, ctx, ticket, status, "update"));
  }
  return getTicket(ctx, id);
}

async function setStatus(
  trx: Kysely<Schema>,
  ctx: ServiceContext,
  ticket: TicketRow,
  status: TicketStatus,
  via: "reply" | "update",
): Promise<void> {
  const now = new Date();
  await trx
    .updateTable("tickets")
    .set({ status, updated_at: now, closed_at: status === "closed" ? now : null })
    .where("id", "=", ticket.id)
    .execute();
  if (status === ticket.status) return;
  await recordAudit(trx, ctx, {
    action: "ticket.status",
    resourceType: "ticket",
    resourceId: ticket.id,
    accountId: ticket.account_id,
    accountPath: await accountPath(trx, ticket.account_id),
    details: { from: ticket.status, to: status, via },
  });
}
