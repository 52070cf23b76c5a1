import { InvalidInputError, NotFoundError } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/** B's invoice to a peer as it travels (`GET /federation/v1/invoices?month=`): what A reconciles. */
export interface SettlementInvoiceView {
  number: string;
  period: string;
  currency: string;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  issued_at: string;
  lines: {
    position: number;
    kind: string;
    description: string;
    quantity: string;
    amount_minor: number;
    server_id: string | null;
    details: Record<string, unknown>;
  }[];
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Checks a `YYYY-MM` month given by a caller, naming the field. */
export function requireMonth(month: unknown, field = "month"): string {
  if (typeof month !== "string" || !PERIOD.test(month))
    throw new InvalidInputError(field, `A month is YYYY-MM, got ${JSON.stringify(month)?.slice(0, 40)}.`);
  return month;
}

/**
 * B's side: the invoice B issued to a peer's representative account for a month (its month close,
 * billing/settlement.ts). Not found when the peer has no account here or the month is not closed.
 */
export async function settlementInvoiceFor(
  db: Kysely<Schema>,
  peer: { id: string; represented_by_account_id?: string | null },
  month: string,
): Promise<SettlementInvoiceView> {
  const row = await db
    .selectFrom("federation_peers as p")
    .innerJoin("invoices as i", "i.account_id", "p.represented_by_account_id")
    .selectAll("i")
    .where("p.id", "=", peer.id)
    .where("i.period", "=", month)
    .where("i.kind", "=", "invoice")
    .executeTakeFirst();
  if (!row) throw new NotFoundError("invoice", `for ${month}`);
  const lines = await db
    .selectFrom("invoice_lines")
    .selectAll()
    .where("invoice_id", "=", row.id)
    .orderBy("position")
    .execute();
  return {
    number: row.number,
    period: row.period,
    currency: row.currency,
    subtotal_minor: Number(row.subtotal_minor),
    tax_minor: Number(row.tax_minor),
    total_minor: Number(row.total_minor),
    issued_at: row.issued_at.toISOString(),
    lines: lines.map((l) => ({
      position: l.position,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      amount_minor: Number(l.amount_minor),
      server_id: l.server_id,
      details: l.details,
    })),
  };
}
