import { newId } from "@layerboom/core";
import type { InvoiceRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAuditMany } from "../services/audit.js";
import { enqueueWebhookEvents } from "../webhooks/outbox.js";
import { invoiceEvent } from "../webhooks/payloads.js";

/** The energy of a set of servers over a month: always shown, billed if the issuer says so. */
export interface EnergyLine {
  kwh: number;
  /** What the energy cost at the sites' tariffs, in minor units; null when some site has no tariff. */
  costMinor: number | null;
  carbonKg: number | null;
}

/** One line of an invoice before it is numbered. */
export interface DraftLine {
  kind: "usage" | "discount" | "energy" | "tax" | "credit" | "backups" | "ipv4" | "transfer";
  description: string;
  quantity: string;
  amount_minor: number;
  server_id?: string | null;
  plan_id?: string | null;
  details?: Record<string, unknown>;
}

/** What every invoice carries, whoever computed it (a customer's month, a reseller's wholesale month). */
export interface InvoiceToIssue {
  issuerAccountId: string;
  accountId: string;
  period: string;
  currency: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** Usage, add-on, discount, energy and tax lines; the credit line is added here. */
  lines: DraftLine[];
  /** Extra audit details (e.g. `wholesale: true`). */
  audit?: Record<string, unknown>;
}

/** The energy line, always shown; charged only when the issuer bills energy. */
export function energyLine(
  energy: EnergyLine,
  billed: boolean,
  currency: string,
  label = "Energy",
): DraftLine {
  return {
    kind: "energy",
    description: `${label}: ${energy.kwh.toFixed(3)} kWh${energy.carbonKg === null ? "" : `, ${energy.carbonKg.toFixed(3)} kg CO2e`}${
      energy.costMinor === null
        ? " (no tariff)"
        : `, costs ${(energy.costMinor / 100).toFixed(2)} ${currency}`
    }${billed ? "" : " (for information, not charged)"}`,
    quantity: `${energy.kwh.toFixed(3)} kWh`,
    amount_minor: billed ? (energy.costMinor ?? 0) : 0,
    details: { kwh: energy.kwh, cost_minor: energy.costMinor, carbon_kg: energy.carbonKg, billed },
  };
}

/** One line per tax rate: "QST 9.975%". */
export function taxLine(t: { name: string; rateMicros: number; amountMinor: number }): DraftLine {
  return {
    kind: "tax",
    description: `${t.name} ${(t.rateMicros / 10_000).toFixed(3).replace(/\.?0+$/, "")}%`,
    quantity: "",
    amount_minor: t.amountMinor,
    details: { rate_micros: t.rateMicros },
  };
}

/** "3 h", or four decimals for plans billed to the second. */
export function hoursText(hours: number): string {
  return Number.isInteger(hours) ? `${hours} h` : `${hours.toFixed(4)} h`;
}

/** "23.4 GiB": bytes in GiB (2³⁰) to a tenth, for display; amounts are computed from the bytes. */
export function gibText(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
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
    [
      ...r.draft.lines,
      ...(r.credit > 0
        ? [{ kind: "credit" as const, description: "Credit applied", quantity: "", amount_minor: -r.credit }]
        : []),
    ].map((l, position) => ({
      invoice_id: r.invoice.id,
      position,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      amount_minor: l.amount_minor,
      server_id: l.server_id ?? null,
      plan_id: l.plan_id ?? null,
      details: JSON.stringify(l.details ?? {}),
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
    { principal: { userId: null } } as never,
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

/** {@link writeInvoices} for one invoice. */
export async function writeInvoice(
  trx: Kysely<Schema>,
  draft: InvoiceToIssue,
  now: Date,
): Promise<InvoiceRow> {
  return (await writeInvoices(trx, [draft], now))[0]!;
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
