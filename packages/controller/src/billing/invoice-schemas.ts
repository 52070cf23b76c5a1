import { Type } from "@sinclair/typebox";
import { NullableTimestamp, Timestamp } from "../http/schemas.js";

/** A billing month, as the API takes it. */
export const Period = Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "YYYY-MM" });

export const InvoiceLine = Type.Object({
  position: Type.Integer(),
  kind: Type.String(),
  description: Type.String(),
  quantity: Type.String(),
  amount_minor: Type.Integer(),
  server_id: Type.Union([Type.String(), Type.Null()]),
  plan_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});

const InvoiceFields = {
  id: Type.String(),
  number: Type.String(),
  issuer_account_id: Type.String(),
  account_id: Type.String(),
  kind: Type.String({ description: "invoice or credit-note" }),
  period: Type.String(),
  corrects_invoice_id: Type.Union([Type.String(), Type.Null()]),
  currency: Type.String(),
  subtotal_minor: Type.Integer(),
  tax_minor: Type.Integer(),
  total_minor: Type.Integer(),
  credit_applied_minor: Type.Integer(),
  amount_due_minor: Type.Integer(),
  status: Type.String({ description: "issued or paid" }),
  issued_at: Timestamp,
  due_at: Timestamp,
  paid_at: NullableTimestamp,
};
/** An invoice without its lines, as lists and month closes show it. */
export const InvoiceSummary = Type.Object(InvoiceFields);
/** An invoice with its lines. */
export const Invoice = Type.Object({ ...InvoiceFields, lines: Type.Array(InvoiceLine) });
