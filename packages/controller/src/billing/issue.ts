import { newId } from "@layerboom/core";
import type { ComposedInvoice, InvoiceLine } from "@layerboom/core";
import type { Database, InvoiceRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAuditMany } from "../base/audit.js";
import type { Actor } from "../base/context.js";
import { enqueueWebhookEvents } from "../webhooks/outbox.js";
import { invoiceEvent } from "../webhooks/payloads.js";

/** What every invoice carries, whoever composed it (a customer's month, a reseller's wholesale month). */
export interface InvoiceToIssue {
  issuerAccountId: string;
  accountId: string;
  period: string;
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** Usage, add-on, discount, energy and tax lines; the credit line is added here. */
  lines: InvoiceLine[];
  /** Extra audit details (e.g. `wholesale: true`). */
  audit?: Record<string, unknown>;
}

/** A composed invoice, with something on it, as the invoice to write. */
export function invoiceToIssue(
  composed: ComposedInvoice,
  to: { issuerAccountId: string; accountId: string; period: string; audit?: Record<string, unknown> },
): InvoiceToIssue {
  // The composer refuses an invoice with lines and no currency; an empty one is never issued.
  if (composed.currency === null || composed.empty)
    throw new Error(`invoiceToIssue: the invoice of ${to.accountId} for ${to.period} is empty`);
  return {
    ...to,
    currency: composed.currency,
    subtotalMinor: composed.subtotalMinor,
    taxMinor: composed.taxMinor,
    totalMinor: composed.totalMinor,
    lines: composed.lines,
  };
}

/** Which of these accounts already have the period's invoice. */
export async function alreadyInvoiced(
  db: Kysely<Schema>,
  accountIds: readonly string[],
  period: string,
): Promise<Set<string>> {
  if (accountIds.length === 0) return new Set();
  const rows = await db
    .selectFrom("invoices")
    .select("account_id")
    .where("account_id", "in", accountIds)
    .where("period", "=", period)
    .where("kind", "=", "invoice")
    .execute();
  return new Set(rows.map((r) => r.account_id));
}

/**
 * Issues a batch of one issuer's invoices for a period in one transaction: it locks the issuer's
 * sequence, re-checks which accounts now have the period's invoice (a concurrent close may have
 * issued some while this one was reading) and writes the rest. Returns those written.
 */
export async function issueInvoices(
  database: Database,
  issuerAccountId: string,
  period: string,
  invoices: readonly InvoiceToIssue[],
  now: Date,
  actor: Actor,
): Promise<InvoiceRow[]> {
  if (invoices.length === 0) return [];
  return database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("billing_settings")
      .values({ account_id: issuerAccountId })
      .onConflict((oc) => oc.column("account_id").doNothing())
      .execute();
    await trx
      .selectFrom("billing_settings")
      .select("account_id")
      .where("account_id", "=", issuerAccountId)
      .forUpdate()
      .execute();
    const issued = await alreadyInvoiced(
      trx,
      invoices.map((i) => i.accountId),
      period,
    );
    return writeInvoices(
      trx,
      invoices.filter((i) => !issued.has(i.accountId)),
      now,
      actor,
    );
  });
}

/**
 * Numbers and writes invoices of one issuer in the caller's transaction: a block of the
 * issuer's gapless numbers taken with one UPDATE (a rollback gives the block back), each
 * account's credit applied (with a credit line), the lines, the audit entries and the
 * `invoice.issued` (and, when nothing is due, `invoice.paid`) webhook events, each kind of row
 * written with one statement. All drafts must share the issuer.
 */
export async function writeInvoices(
  trx: Kysely<Schema>,
  drafts: readonly InvoiceToIssue[],
  now: Date,
  actor: Actor,
): Promise<InvoiceRow[]> {
  if (drafts.length === 0) return [];
  const issuer = drafts[0]!.issuerAccountId;
  if (drafts.some((d) => d.issuerAccountId !== issuer)) throw new Error("writeInvoices: one issuer per call");
  const accountIds = drafts.map((d) => d.accountId);
  const settings = await trx
    .selectFrom("billing_settings")
    .selectAll()
    .where("account_id", "=", issuer)
    .executeTakeFirst();
  const numbers = await takeInvoiceNumbers(trx, issuer, drafts.length);
  const profiles = new Map(
    (
      await trx
        .selectFrom("billing_profiles")
        .select(["account_id", "credit_minor"])
        .where("account_id", "in", accountIds)
        .where("credit_minor", ">", 0)
        .forUpdate()
        .execute()
    ).map((p) => [p.account_id, Number(p.credit_minor)]),
  );
  const paths = new Map(
    (await trx.selectFrom("accounts").select(["id", "path"]).where("id", "in", accountIds).execute()).map(
      (a) => [a.id, a.path],
    ),
  );
  const dueAt = new Date(now.getTime() + (settings?.payment_terms_days ?? 14) * 86_400_000);
  const rows = drafts.map((draft, i) => {
    const credit = Math.min(profiles.get(draft.accountId) ?? 0, Math.max(0, draft.totalMinor));
    const due = draft.totalMinor - credit;
    return {
      draft,
      credit,
      invoice: {
        id: newId("invoice", now.getTime()),
        number: numbers[i]!,
        issuer_account_id: issuer,
        account_id: draft.accountId,
        period: draft.period,
        corrects_invoice_id: null,
        currency: draft.currency,
        subtotal_minor: draft.subtotalMinor,
        tax_minor: draft.taxMinor,
        total_minor: draft.totalMinor,
        credit_applied_minor: credit,
        amount_due_minor: due,
        status: due <= 0 ? ("paid" as const) : ("issued" as const),
        due_at: dueAt,
        paid_at: due <= 0 ? now : null,
      },
    };
  });
  const invoices: InvoiceRow[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    invoices.push(
      ...(await trx
        .insertInto("invoices")
        .values(rows.slice(i, i + 500).map((r) => r.invoice))
        .returningAll()
        .execute()),
    );
  }
  for (const r of rows) {
    if (r.credit === 0) continue;
    await trx
      .updateTable("billing_profiles")
      .set((eb) => ({ credit_minor: eb("credit_minor", "-", r.credit), updated_at: now }))
      .where("account_id", "=", r.draft.accountId)
      .execute();
  }
  const lineRows = rows.flatMap((r) =>
    [...r.draft.lines, ...(r.credit > 0 ? [creditLine(r.credit)] : [])].map((l, position) => ({
      invoice_id: r.invoice.id,
      position,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      amount_minor: l.amountMinor,
      server_id: l.serverId,
      plan_id: l.planId,
      details: JSON.stringify(l.details),
    })),
  );
  for (let i = 0; i < lineRows.length; i += 2000) {
    await trx
      .insertInto("invoice_lines")
      .values(lineRows.slice(i, i + 2000))
      .execute();
  }
  await recordAuditMany(
    trx,
    actor,
    rows.map((r) => ({
      action: "invoice.issue",
      resourceType: "invoice",
      resourceId: r.invoice.id,
      accountId: r.draft.accountId,
      accountPath: paths.get(r.draft.accountId) ?? "",
      details: {
        number: r.invoice.number,
        period: r.draft.period,
        total_minor: r.draft.totalMinor,
        ...r.draft.audit,
      },
    })),
  );
  await enqueueWebhookEvents(
    trx,
    invoices.flatMap((invoice) => {
      const base = {
        accountId: invoice.account_id,
        accountPath: paths.get(invoice.account_id) ?? "",
        payload: invoiceEvent(invoice),
      };
      return invoice.status === "paid"
        ? [
            { ...base, type: "invoice.issued" as const },
            { ...base, type: "invoice.paid" as const },
          ]
        : [{ ...base, type: "invoice.issued" as const }];
    }),
  );
  return invoices;
}

function creditLine(amount: number): InvoiceLine {
  return {
    kind: "credit",
    description: "Credit applied",
    quantity: "",
    amountMinor: -amount,
    serverId: null,
    planId: null,
    details: {},
  };
}

/**
 * Takes `count` consecutive numbers of the issuer's sequence in the caller's transaction. The
 * row lock serialises concurrent closes; a rollback gives the numbers back, so there are no gaps.
 */
export async function takeInvoiceNumbers(
  trx: Kysely<Schema>,
  issuerAccountId: string,
  count: number,
): Promise<string[]> {
  await trx
    .insertInto("billing_settings")
    .values({ account_id: issuerAccountId })
    .onConflict((oc) => oc.column("account_id").doNothing())
    .execute();
  const row = await trx
    .updateTable("billing_settings")
    .set((eb) => ({ next_number: eb("next_number", "+", count) }))
    .where("account_id", "=", issuerAccountId)
    .returning(["next_number", "invoice_prefix"])
    .executeTakeFirstOrThrow();
  const first = Number(row.next_number) - count;
  return Array.from(
    { length: count },
    (_, i) => `${row.invoice_prefix}${String(first + i).padStart(6, "0")}`,
  );
}

/** Takes the issuer's next invoice number in the caller's transaction (gapless: a rollback gives it back). */
export async function takeInvoiceNumber(trx: Kysely<Schema>, issuerAccountId: string): Promise<string> {
  return (await takeInvoiceNumbers(trx, issuerAccountId, 1))[0]!;
}
