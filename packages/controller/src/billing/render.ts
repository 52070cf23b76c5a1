import { formatMoney } from "@layerboom/core";
import PDFDocument from "pdfkit";
import type { InvoiceView } from "./invoice-views.js";

/** Who issued the invoice and who receives it, by name. */
export interface InvoiceParties {
  /** The issuer's brand name (its account name when it has no brand). */
  issuer: string;
  /** The issuer's brand support email, shown as the contact when set. */
  issuerEmail?: string | null | undefined;
  customer: string;
}

const contact = (parties: InvoiceParties) => (parties.issuerEmail ? ` (${parties.issuerEmail})` : "");

const money = (invoice: InvoiceView, amount: number) =>
  formatMoney({ amountMinor: amount, currency: invoice.currency });

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function title(invoice: InvoiceView): string {
  return invoice.kind === "credit-note" ? `Credit note ${invoice.number}` : `Invoice ${invoice.number}`;
}

/** The invoice as a standalone HTML page (no scripts, no external resources). */
export function invoiceHtml(invoice: InvoiceView, parties: InvoiceParties): string {
  const rows = invoice.lines
    .map(
      (l) =>
        `<tr class="${l.kind}"><td>${escapeHtml(l.description)}</td><td>${escapeHtml(l.quantity)}</td><td class="amount">${escapeHtml(money(invoice, Number(l.amount_minor)))}</td></tr>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title(invoice))}</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto}table{width:100%;border-collapse:collapse}td,th{padding:.3rem;border-bottom:1px solid #ddd;text-align:left}.amount{text-align:right}tr.energy{background:#f3fbf3}</style>
</head><body>
<h1>${escapeHtml(title(invoice))}</h1>
<p>From ${escapeHtml(parties.issuer + contact(parties))} to ${escapeHtml(parties.customer)}<br>Period ${escapeHtml(invoice.period)} · issued ${invoice.issued_at.toISOString().slice(0, 10)} · due ${invoice.due_at.toISOString().slice(0, 10)}</p>
<table><thead><tr><th>Item</th><th>Quantity</th><th class="amount">Amount</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p class="amount">Subtotal ${escapeHtml(money(invoice, Number(invoice.subtotal_minor)))}<br>Tax ${escapeHtml(money(invoice, Number(invoice.tax_minor)))}<br><strong>Total ${escapeHtml(money(invoice, Number(invoice.total_minor)))}</strong><br>Amount due ${escapeHtml(money(invoice, Number(invoice.amount_due_minor)))} (${invoice.status})</p>
</body></html>
`;
}

/** The invoice as a PDF (pdfkit, standard fonts, so nothing is read from disk). */
export function invoicePdf(invoice: InvoiceView, parties: InvoiceParties): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: "A4",
      margin: 50,
      info: { Title: title(invoice), Author: parties.issuer },
    });
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.font("Helvetica-Bold").fontSize(18).text(title(invoice));
    doc.moveDown(0.5).font("Helvetica").fontSize(10);
    doc.text(`From ${parties.issuer}${contact(parties)} to ${parties.customer}`);
    doc.text(
      `Period ${invoice.period}, issued ${invoice.issued_at.toISOString().slice(0, 10)}, due ${invoice.due_at.toISOString().slice(0, 10)}`,
    );
    doc.moveDown();
    for (const line of invoice.lines) {
      const y = doc.y;
      doc.text(line.description, 50, y, { width: 330 });
      const after = doc.y;
      doc.text(line.quantity, 390, y, { width: 70 });
      doc.text(money(invoice, Number(line.amount_minor)), 460, y, { width: 85, align: "right" });
      doc.y = Math.max(after, doc.y);
      doc.moveDown(0.3);
    }
    doc.moveDown();
    doc.text(`Subtotal ${money(invoice, Number(invoice.subtotal_minor))}`, { align: "right" });
    doc.text(`Tax ${money(invoice, Number(invoice.tax_minor))}`, { align: "right" });
    doc
      .font("Helvetica-Bold")
      .text(`Total ${money(invoice, Number(invoice.total_minor))}`, { align: "right" });
    doc
      .font("Helvetica")
      .text(`Amount due ${money(invoice, Number(invoice.amount_due_minor))} (${invoice.status})`, {
        align: "right",
      });
    doc.end();
  });
}

function csvField(value: string): string {
  // A leading = + - @ would be a formula in a spreadsheet; quote and prefix it.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The invoice's lines as CSV (one row per line, then the totals). */
export function invoiceCsv(invoice: InvoiceView): string {
  const rows = [
    [
      "invoice",
      "period",
      "position",
      "kind",
      "description",
      "quantity",
      "amount_minor",
      "currency",
      "server_id",
      "plan_id",
    ],
    ...invoice.lines.map((l) => [
      invoice.number,
      invoice.period,
      String(l.position),
      l.kind,
      l.description,
      l.quantity,
      String(l.amount_minor),
      invoice.currency,
      l.server_id ?? "",
      l.plan_id ?? "",
    ]),
    [
      invoice.number,
      invoice.period,
      "",
      "total",
      "Total",
      "",
      String(invoice.total_minor),
      invoice.currency,
      "",
      "",
    ],
  ];
  return `${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`;
}
