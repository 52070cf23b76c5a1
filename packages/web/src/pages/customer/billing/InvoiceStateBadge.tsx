import { Badge } from "../../../components/Badge";
import type { InvoiceSummary } from "./invoices";

type Stateful = Pick<InvoiceSummary, "kind" | "status" | "due_at">;

/** What an invoice's status means to the reader: paid, due, overdue, or a credit note. */
function invoiceState(invoice: Stateful): string {
  if (invoice.kind === "credit-note") return "credit-note";
  if (invoice.status === "paid") return "paid";
  return new Date(invoice.due_at).getTime() < Date.now() ? "overdue" : "due";
}

/** The invoice's status as a badge. */
export function InvoiceStateBadge({ invoice }: { invoice: Stateful }) {
  const state = invoiceState(invoice);
  return <Badge state={state} label={state === "credit-note" ? "credit note" : state} />;
}
