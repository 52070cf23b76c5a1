import type { Database } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import { mailIdentityOf } from "../branding/brands.js";
import type { Mailer } from "../mail/mailer.js";
import type { TicketChange } from "./tickets.js";

const ADMIN_ROLES = ["provider-admin", "reseller-admin", "customer-admin"] as const;

/** Where ticket mail goes and how it links back. */
export interface TicketMailDeps {
  database: Database;
  mailer: Mailer;
  logger: FastifyBaseLogger;
  publicUrl?: string | undefined;
}

/**
 * Tells the other side of a ticket: a customer's message goes to the handling account's
 * admins, a staff reply to the customer's users. Never throws: a mail server that is down
 * must not fail (or slow) the API call that changed the ticket, so failures are only logged.
 */
export async function notifyTicketChange(deps: TicketMailDeps, change: TicketChange): Promise<void> {
  const { ticket, message, side } = change;
  const log = deps.logger.child({ ticketId: ticket.id });
  try {
    let q = deps.database.db
      .selectFrom("users")
      .select("email")
      .where("disabled_at", "is", null)
      .where("account_id", "=", side === "customer" ? ticket.handler_account_id : ticket.account_id);
    if (side === "customer") q = q.where("role", "in", ADMIN_ROLES);
    const recipients = (await q.orderBy("id").execute()).map((u) => u.email);
    const first = ticket.messages.length <= 1;
    const subject = `${first ? "New ticket" : side === "staff" ? "Reply" : "Customer reply"} [${ticket.id}] ${ticket.subject}`;
    const link = deps.publicUrl ? `\n\n${deps.publicUrl.replace(/\/$/, "")}/tickets/${ticket.id}` : "";
    const text = `${message.body}\n\nTicket ${ticket.id} is now ${ticket.status}.${link}\n`;
    // Mail comes from the handling account's brand, so a reseller's customers hear from the reseller.
    const { from } = await mailIdentityOf(deps.database.db, ticket.handler_account_id);
    const results = await Promise.allSettled(
      recipients.map((to) => deps.mailer.send({ to, subject, text, ...(from ? { from } : {}) })),
    );
    results.forEach((r, i) => {
      if (r.status === "rejected") log.warn({ err: r.reason, to: recipients[i] }, "ticket mail not sent");
    });
  } catch (err) {
    log.warn({ err }, "ticket mail not sent");
  }
}
