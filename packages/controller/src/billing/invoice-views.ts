import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  MAX_MONEY_MINOR,
  NotFoundError,
  newId,
  requireAdmin,
} from "@layerboom/core";
import type { InvoiceLineRow, InvoiceRow } from "@layerboom/db";
import { accountInSubtree } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import { enqueueWebhookEvent } from "../webhooks/outbox.js";
import { invoiceEvent } from "../webhooks/payloads.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { takeInvoiceNumber } from "./invoices.js";
import { unsuspendIfSettled } from "../metering/suspension.js";

/** An invoice with its lines, as the API shows it. */
export type InvoiceView = InvoiceRow & { lines: InvoiceLineRow[] };

/** Invoices a caller may see: those of accounts in its subtree (its own, its customers'). */
function visibleInvoices(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("invoices")
    .innerJoin("accounts", "accounts.id", "invoices.account_id")
    .selectAll("invoices")
    .where(accountInSubtree(ctx.principal.accountPath));
}

export async function getInvoice(ctx: ServiceContext, id: string): Promise<InvoiceView> {
  const row = await visibleInvoices(ctx).where("invoices.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("invoice", id);
  const lines = await ctx.database.db
    .selectFrom("invoice_lines")
    .selectAll()
    .where("invoice_id", "=", id)
    .orderBy("position")
    .execute();
  return { ...row, lines };
}

/** The payments recorded against an invoice the caller may see, oldest first. */
export async function listPayments(ctx: ServiceContext, invoiceId: string) {
  const invoice = await visibleInvoices(ctx).where("invoices.id", "=", invoiceId).executeTakeFirst();
  if (!invoice) throw new NotFoundError("invoice", invoiceId);
  return ctx.database.db
    .selectFrom("payments")
    .select(["id", "invoice_id", "amount_minor", "method", "reference", "received_at"])
    .where("invoice_id", "=", invoiceId)
    .orderBy("received_at")
    .orderBy("id")
    .execute();
}

export async function listInvoices(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined; period?: string | undefined; status?: string | undefined },
  page: PageRequest,
): Promise<Page<InvoiceRow>> {
  let q = visibleInvoices(ctx);
  if (filter.accountId) q = q.where("invoices.account_id", "=", filter.accountId);
  if (filter.period) q = q.where("invoices.period", "=", filter.period);
  if (filter.status === "issued" || filter.status === "paid")
    q = q.where("invoices.status", "=", filter.status);
  if (page.after) q = q.where("invoices.id", ">", page.after);
  return toPage(
    await q
      .orderBy("invoices.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

/** Only the invoice's issuer (or the provider above it) records payments and credit notes. */
async function invoiceForIssuer(ctx: ServiceContext, id: string, action: string): Promise<InvoiceView> {
  requireAdmin(ctx.principal, action);
  const invoice = await getInvoice(ctx, id);
  if (invoice.account_id === ctx.principal.accountId) {
    throw new ForbiddenError(`Your account receives invoice ${id}; its issuer may ${action}.`);
  }
  return invoice;
}

/**
 * Records a payment. Paid in full, the invoice becomes paid, and a suspension for it is
 * lifted if nothing else is overdue. Overpayment becomes credit for the next invoice.
 */
export async function recordPayment(
  ctx: ServiceContext,
  id: string,
  input: { amount_minor: number; method: string; reference?: string | undefined },
  now = new Date(),
): Promise<{ invoice: InvoiceView; hosts: string[] }> {
  const invoice = await invoiceForIssuer(ctx, id, "record payments");
  if (invoice.kind !== "invoice")
    throw new ConflictError(`${invoice.number} is a credit note; it takes no payment.`);
  if (
    !Number.isInteger(input.amount_minor) ||
    input.amount_minor <= 0 ||
    input.amount_minor > MAX_MONEY_MINOR
  )
    throw new InvalidInputError(
      "amount_minor",
      `A payment is a whole number of minor units (cents) from 1 to ${MAX_MONEY_MINOR}.`,
    );
  const hosts = await ctx.database.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("invoices")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("payments")
      .values({
        id: newId("payment", now.getTime()),
        invoice_id: id,
        account_id: current.account_id,
        amount_minor: input.amount_minor,
        method: input.method,
        reference: input.reference ?? "",
        recorded_by: ctx.principal.userId,
      })
      .execute();
    const settled = await applyToInvoice(trx, current, input.amount_minor, now);
    const account = await trx
      .selectFrom("accounts")
      .select("path")
      .where("id", "=", current.account_id)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "invoice.payment",
      resourceType: "invoice",
      resourceId: id,
      accountId: current.account_id,
      accountPath: account.path,
      details: { amount_minor: input.amount_minor, method: input.method, reference: input.reference ?? "" },
    });
    return settled ? unsuspendIfSettled(trx, current.account_id, now, ctx) : [];
  });
  for (const h of hosts) ctx.hostChanged?.(h);
  return { invoice: await getInvoice(ctx, id), hosts };
}

/**
 * Applies money (a payment or a credit note) to an invoice in the caller's transaction: what
 * is due goes down, the part beyond it becomes the account's credit, and an invoice paid off
 * now is marked paid and announced (`invoice.paid`). Returns whether it is settled now.
 */
async function applyToInvoice(
  trx: Parameters<typeof takeInvoiceNumber>[0],
  current: InvoiceRow,
  amount: number,
  now: Date,
): Promise<boolean> {
  const remaining = Number(current.amount_due_minor) - amount;
  const paidNow = remaining <= 0 && current.status === "issued";
  await trx
    .updateTable("invoices")
    .set({
      amount_due_minor: Math.max(0, remaining),
      ...(paidNow ? { status: "paid" as const, paid_at: now } : {}),
    })
    .where("id", "=", current.id)
    .execute();
  if (remaining < 0) await addCredit(trx, current.account_id, -remaining, now);
  if (paidNow) {
    await enqueueWebhookEvent(trx, {
      accountId: current.account_id,
      type: "invoice.paid",
      payload: invoiceEvent({ ...current, amount_due_minor: 0, status: "paid" }),
    });
  }
  return remaining <= 0;
}

/**
 * Adds to an account's credit, in the caller's transaction. Credit stays within MAX_MONEY_MINOR:
 * repeated overpayments could otherwise push it past what the database layer reads back (2^53),
 * and every read of the account's billing would fail from then on.
 */
async function addCredit(
  trx: Parameters<typeof takeInvoiceNumber>[0],
  accountId: string,
  amount: number,
  now: Date,
) {
  const held = await trx
    .selectFrom("billing_profiles")
    .select("credit_minor")
    .where("account_id", "=", accountId)
    .forUpdate()
    .executeTakeFirst();
  if (Number(held?.credit_minor ?? 0) + amount > MAX_MONEY_MINOR)
    throw new InvalidInputError(
      "amount_minor",
      `This would leave the account more than ${MAX_MONEY_MINOR} minor units of credit; record a smaller amount.`,
    );
  await trx
    .insertInto("billing_profiles")
    .values({
      account_id: accountId,
      tax_region: null,
      credit_minor: amount,
      suspended_at: null,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column("account_id").doUpdateSet((eb) => ({
        credit_minor: eb("billing_profiles.credit_minor", "+", amount),
        updated_at: now,
      })),
    )
    .execute();
}

/**
 * Corrects an issued invoice with a credit note: its own gapless number, a negative total,
 * and the amount either taken off what is still due or kept as credit for the next invoice.
 */
export async function issueCreditNote(
  ctx: ServiceContext,
  id: string,
  input: { amount_minor: number; reason: string },
  now = new Date(),
): Promise<InvoiceView> {
  const invoice = await invoiceForIssuer(ctx, id, "issue credit notes");
  if (invoice.kind !== "invoice") throw new ConflictError(`${invoice.number} is already a credit note.`);
  if (
    !Number.isInteger(input.amount_minor) ||
    input.amount_minor <= 0 ||
    input.amount_minor > Number(invoice.total_minor)
  )
    throw new InvalidInputError(
      "amount_minor",
      `A credit note is 1 to ${invoice.total_minor} minor units of ${invoice.number}.`,
    );
  const noteId = newId("invoice", now.getTime());
  const hosts = await ctx.database.db.transaction().execute(async (trx) => {
    const number = await takeInvoiceNumber(trx, invoice.issuer_account_id);
    await trx
      .insertInto("invoices")
      .values({
        id: noteId,
        number,
        issuer_account_id: invoice.issuer_account_id,
        account_id: invoice.account_id,
        kind: "credit-note",
        period: invoice.period,
        corrects_invoice_id: invoice.id,
        currency: invoice.currency,
        subtotal_minor: -input.amount_minor,
        tax_minor: 0,
        total_minor: -input.amount_minor,
        amount_due_minor: 0,
        status: "paid",
        due_at: now,
        paid_at: now,
      })
      .execute();
    await trx
      .insertInto("invoice_lines")
      .values({
        invoice_id: noteId,
        position: 0,
        kind: "credit",
        description: `Credit for ${invoice.number}: ${input.reason}`,
        quantity: "",
        amount_minor: -input.amount_minor,
        server_id: null,
        plan_id: null,
        details: JSON.stringify({ corrects: invoice.number }),
      })
      .execute();
    const current = await trx
      .selectFrom("invoices")
      .selectAll()
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const settled = await applyToInvoice(trx, current, input.amount_minor, now);
    const account = await trx
      .selectFrom("accounts")
      .select("path")
      .where("id", "=", invoice.account_id)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "invoice.credit-note",
      resourceType: "invoice",
      resourceId: noteId,
      accountId: invoice.account_id,
      accountPath: account.path,
      details: { corrects: invoice.number, number, amount_minor: input.amount_minor, reason: input.reason },
    });
    return settled ? unsuspendIfSettled(trx, invoice.account_id, now, ctx) : [];
  });
  for (const h of hosts) ctx.hostChanged?.(h);
  return getInvoice(ctx, noteId);
}
