import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { ApiError, api, fieldError, unwrap } from "../../api";
import { useBrand } from "../../brand";
import { Field } from "../../components/Field";
import { isAdmin, useSession } from "../../session";
import { InvoiceStateBadge } from "./billing/InvoiceStateBadge";
import "./billing/billing.css";
import { day, kwh, money, parseMinor, periodName } from "../../format";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { energyDetails } from "./billing/invoices";
import type { Invoice, InvoiceLine } from "./billing/invoices";

const KIND_LABEL: Record<string, string> = {
  usage: "Server",
  backups: "Backups",
  ipv4: "Extra IPv4",
  transfer: "Transfer",
  discount: "Discount",
  energy: "Energy",
  credit: "Credit",
  tax: "Tax",
};

export function InvoicePage() {
  const { id = "" } = useParams();
  const me = useSession().data;
  const invoice = useQuery({
    queryKey: ["invoices", id],
    queryFn: async () => unwrap(await api.GET("/invoices/{id}", { params: { path: { id } } })),
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
  });

  if (invoice.isPending) return <p className="loading">Loading invoice…</p>;
  if (invoice.isError) {
    const gone = invoice.error instanceof ApiError && invoice.error.status === 404;
    return (
      <section>
        <h1>{gone ? "Invoice not found" : "Invoice"}</h1>
        <p role="alert" className="error">
          {gone ? "There is no such invoice, or it belongs to another account." : invoice.error.message}
        </p>
        <p>
          <Link to="/invoices">Back to your invoices</Link>
        </p>
      </section>
    );
  }

  const inv = invoice.data;
  const note = inv.kind === "credit-note";
  // Only the issuer (or the provider above it) records money against an invoice.
  const issuerSide = isAdmin(me) && inv.account_id !== me?.account_id && !note;
  const pdf = `/api/v1/invoices/${encodeURIComponent(inv.id)}/pdf`;
  const csv = `/api/v1/invoices/${encodeURIComponent(inv.id)}/csv`;

  return (
    <section>
      <p className="crumbs">
        <Link to="/invoices">Invoices</Link> / {inv.number}
      </p>
      <div className="page-head">
        <h1>
          {note ? "Credit note" : "Invoice"} <span className="mono">{inv.number}</span>
        </h1>
        <InvoiceStateBadge invoice={inv} />
        <div className="actions" style={{ marginLeft: "auto" }}>
          <a className="button primary" href={pdf} download={`${inv.number}.pdf`}>
            Download PDF
          </a>
          <a className="button" href={csv} download={`${inv.number}.csv`}>
            CSV
          </a>
        </div>
      </div>

      <div className="stack">
        <Parties invoice={inv} />
        <Lines invoice={inv} />
        <Settlement invoice={inv} />
        {issuerSide && <IssuerActions invoice={inv} />}
      </div>
    </section>
  );
}

/** Who bills whom, and when. */
function Parties({ invoice: inv }: { invoice: Invoice }) {
  const me = useSession().data;
  const brand = useBrand();
  const admin = isAdmin(me);
  // Customers see their own account; admins see the accounts of their subtree.
  const account = useQuery({
    queryKey: ["accounts", inv.account_id],
    queryFn: async () =>
      unwrap(await api.GET("/accounts/{id}", { params: { path: { id: inv.account_id } } })),
    retry: false,
    staleTime: 60_000,
  });
  // The issuer is above a customer (not readable to it): it bills under the brand it is served by.
  const issuerReadable = admin && inv.issuer_account_id !== me?.account_id;
  const issuer = useQuery({
    queryKey: ["accounts", inv.issuer_account_id],
    enabled: issuerReadable,
    queryFn: async () =>
      unwrap(await api.GET("/accounts/{id}", { params: { path: { id: inv.issuer_account_id } } })),
    retry: false,
    staleTime: 60_000,
  });
  // An admin looking at an invoice it issued: it bills under its own brand, not the one it is served by.
  const issuedByMe = inv.issuer_account_id === me?.account_id;
  const ownBrand = useQuery({
    queryKey: ["branding", "own"],
    enabled: issuedByMe && admin,
    queryFn: async () => unwrap(await api.GET("/branding")),
    staleTime: 60_000,
  });
  const seller =
    (issuedByMe ? ownBrand.data?.name : issuerReadable ? issuer.data?.name : brand.name) ||
    inv.issuer_account_id;
  const buyer = account.data?.name ?? (inv.account_id === me?.account_id ? "Your account" : inv.account_id);

  return (
    <div className="card parties">
      <div>
        <h2>From</h2>
        <p>
          <strong>{seller}</strong>
        </p>
      </div>
      <div>
        <h2>To</h2>
        <p>
          <strong>{buyer}</strong>
        </p>
        {admin && <p className="muted mono">{inv.account_id}</p>}
      </div>
      <div>
        <h2>Period</h2>
        <p>{periodName(inv.period)}</p>
      </div>
      <div>
        <h2>Issued</h2>
        <p>
          <time dateTime={inv.issued_at}>{day(inv.issued_at)}</time>
        </p>
      </div>
      {inv.kind !== "credit-note" && (
        <div>
          <h2>Due</h2>
          <p>
            <time dateTime={inv.due_at}>{day(inv.due_at)}</time>
          </p>
        </div>
      )}
      {inv.corrects_invoice_id && (
        <div>
          <h2>Corrects</h2>
          <p>
            <Link to={`/invoices/${inv.corrects_invoice_id}`}>the original invoice</Link>
          </p>
        </div>
      )}
    </div>
  );
}

/** The lines (servers, discounts, energy, credit), then the taxes and the total. */
function Lines({ invoice: inv }: { invoice: Invoice }) {
  const items = inv.lines.filter((l) => l.kind !== "tax");
  const taxes = inv.lines.filter((l) => l.kind === "tax");
  const energy = inv.lines.filter((l) => l.kind === "energy");
  // Lines name servers by id; the names are known for the servers the caller can still see.
  const servers = useQuery({
    queryKey: ["servers"],
    queryFn: async () => unwrap(await api.GET("/servers", { params: { query: { limit: 100 } } })),
  });
  const serverNames = new Map(servers.data?.items.map((s) => [s.id, s.name]));
  return (
    <div className="card stack">
      <h2>Details</h2>
      <div className="table-wrap">
        <table className="stacked cards invoice-lines">
          <caption className="sr-only">Invoice lines</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Quantity</th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  This invoice has no lines.
                </td>
              </tr>
            )}
            {items.map((l) => (
              <LineRow
                key={l.position}
                line={l}
                currency={inv.currency}
                serverName={l.kind === "usage" && l.server_id ? serverNames.get(l.server_id) : undefined}
              />
            ))}
          </tbody>
        </table>
      </div>
      <dl className="details totals" aria-label="Totals">
        <dt>Subtotal</dt>
        <dd className="num">{money(inv.subtotal_minor, inv.currency)}</dd>
        {taxes.map((t) => (
          <Tax key={t.position} line={t} currency={inv.currency} />
        ))}
        {taxes.length === 0 && (
          <>
            <dt>Taxes</dt>
            <dd className="num">{money(inv.tax_minor, inv.currency)}</dd>
          </>
        )}
        <dt>
          <strong>Total</strong>
        </dt>
        <dd className="num">
          <strong>{money(inv.total_minor, inv.currency)}</strong>
        </dd>
      </dl>
      {energy.map((l) => (
        <EnergySummary key={l.position} line={l} currency={inv.currency} />
      ))}
    </div>
  );
}

function LineRow({
  line: l,
  currency,
  serverName,
}: {
  line: InvoiceLine;
  currency: string;
  serverName: string | undefined;
}) {
  const energy = l.kind === "energy" ? energyDetails(l) : undefined;
  return (
    <tr className={`line-${l.kind}`}>
      <td className="desc">
        <span className="line-kind">{KIND_LABEL[l.kind] ?? l.kind}</span>
        {serverName ? (
          <>
            <strong>{serverName}</strong> <span className="muted">{l.description}</span>
          </>
        ) : (
          l.description
        )}
      </td>
      <td data-label="Quantity">
        {energy?.kwh !== null && energy?.kwh !== undefined ? kwh(energy.kwh) : l.quantity || "—"}
      </td>
      <td data-label="Amount" className="num">
        {money(l.amount_minor, currency)}
        {energy && !energy.billed && <span className="muted"> (not charged)</span>}
      </td>
    </tr>
  );
}

function Tax({ line, currency }: { line: InvoiceLine; currency: string }) {
  return (
    <>
      <dt>{line.description}</dt>
      <dd className="num">{money(line.amount_minor, currency)}</dd>
    </>
  );
}

/** The energy the servers drew, with its price: always shown, whether billed or not. */
function EnergySummary({ line, currency }: { line: InvoiceLine; currency: string }) {
  const e = energyDetails(line);
  return (
    <div className="energy-note muted" aria-label="Energy">
      <span>
        <strong>Energy:</strong> {e.kwh === null ? line.quantity : kwh(e.kwh)}
      </span>
      {e.costMinor !== null && (
        <span>
          costs {money(e.costMinor, currency)}
          {e.kwh ? ` (${money(Math.round((e.costMinor / e.kwh) * 100) / 100, currency)}/kWh)` : ""}
        </span>
      )}
      {e.costMinor === null && <span>no tariff at the site</span>}
      {e.carbonKg !== null && <span>{e.carbonKg.toFixed(2)} kg CO₂e</span>}
      <span>{e.billed ? "billed on this invoice" : "for information, not charged"}</span>
    </div>
  );
}

/** What is paid, what is due, and the credit notes that corrected this invoice. */
function Settlement({ invoice: inv }: { invoice: Invoice }) {
  const payments = useQuery({
    // Under ["invoices"], so recording a payment refreshes it with the invoice.
    queryKey: ["invoices", "payments", inv.id],
    enabled: inv.kind === "invoice",
    queryFn: async () =>
      unwrap(await api.GET("/invoices/{id}/payments", { params: { path: { id: inv.id } } })).items,
  });
  const notes = useQuery({
    queryKey: ["invoices", "credit-notes", inv.id],
    enabled: inv.kind === "invoice",
    queryFn: async () =>
      unwrap(
        await api.GET("/invoices", {
          params: { query: { account_id: inv.account_id, period: inv.period, limit: 200 } },
        }),
      ).items.filter((n) => n.kind === "credit-note" && n.corrects_invoice_id === inv.id),
  });
  if (inv.kind === "credit-note") {
    return (
      <div className="card">
        <h2>Credit</h2>
        <p>
          {money(-inv.total_minor, inv.currency)} was taken off what the original invoice asked, or kept as
          credit for the next one.
        </p>
      </div>
    );
  }
  const credited = (notes.data ?? []).reduce((sum, n) => sum - n.total_minor, 0);
  const paid = (payments.data ?? []).reduce((sum, p) => sum + p.amount_minor, 0);
  return (
    <div className="card stack">
      <h2>Payments and credit</h2>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          <InvoiceStateBadge invoice={inv} />
          {inv.paid_at && (
            <span className="muted">
              {" "}
              on <time dateTime={inv.paid_at}>{day(inv.paid_at)}</time>
            </span>
          )}
        </dd>
        {inv.credit_applied_minor !== 0 && (
          <>
            <dt>Account credit applied</dt>
            <dd>{money(inv.credit_applied_minor, inv.currency)}</dd>
          </>
        )}
        {credited !== 0 && (
          <>
            <dt>Credit notes</dt>
            <dd>{money(credited, inv.currency)}</dd>
          </>
        )}
        <dt>Payments received</dt>
        <dd>{money(paid, inv.currency)}</dd>
        <dt>
          <strong>Amount due</strong>
        </dt>
        <dd>
          <strong>{money(inv.amount_due_minor, inv.currency)}</strong>
        </dd>
      </dl>
      <ErrorMessage error={payments.error ?? notes.error} />
      {payments.data && payments.data.length > 0 && (
        <ul className="plain" aria-label="Payments">
          {payments.data.map((p) => (
            <li key={p.id}>
              {money(p.amount_minor, inv.currency)} by {p.method}
              {p.reference && <> (reference {p.reference})</>},{" "}
              <time dateTime={p.received_at}>{day(p.received_at)}</time>
            </li>
          ))}
        </ul>
      )}
      {notes.data && notes.data.length > 0 && (
        <ul className="plain">
          {notes.data.map((n) => (
            <li key={n.id}>
              Credit note <Link to={`/invoices/${n.id}`}>{n.number}</Link> of{" "}
              {money(-n.total_minor, n.currency)}, <time dateTime={n.issued_at}>{day(n.issued_at)}</time>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Issuer-side: record a payment received, or correct the invoice with a credit note. */
function IssuerActions({ invoice: inv }: { invoice: Invoice }) {
  return (
    <div className="admin-forms">
      {inv.amount_due_minor > 0 && <PaymentForm invoice={inv} />}
      <CreditNoteForm invoice={inv} />
    </div>
  );
}

const PAYMENT_METHODS = ["bank transfer", "card", "cheque", "cash", "interac", "other"];

function PaymentForm({ invoice: inv }: { invoice: Invoice }) {
  const queryClient = useQueryClient();
  // Empty means the whole amount still due (which changes as money comes in).
  const [amount, setAmount] = useState("");
  const [method, setMethod] = useState("bank transfer");
  const [reference, setReference] = useState("");
  const [amountError, setAmountError] = useState<string>();
  const [confirming, setConfirming] = useState<number>();
  const [done, setDone] = useState<string>();

  const pay = useMutation({
    mutationFn: async (amount_minor: number) =>
      unwrap(
        await api.POST("/invoices/{id}/payments", {
          params: { path: { id: inv.id } },
          body: { amount_minor, method, ...(reference.trim() ? { reference: reference.trim() } : {}) },
        }),
      ),
    onSuccess: async (updated, amountMinor) => {
      queryClient.setQueryData(["invoices", inv.id], updated);
      setDone(`Payment of ${money(amountMinor, inv.currency)} recorded.`);
      setReference("");
      setAmount("");
      await queryClient.invalidateQueries({ queryKey: ["invoices"] });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    const minor = amount.trim() === "" ? inv.amount_due_minor : positive(parseMinor(amount, inv.currency));
    if (minor === undefined) {
      setAmountError("Enter a positive amount, e.g. 12.50.");
      return;
    }
    setAmountError(undefined);
    setConfirming(minor);
  }

  const error = pay.error;
  const general = otherError(error, ["amount_minor", "method", "reference"]);

  return (
    <>
      <form className="card stack" onSubmit={submit} noValidate aria-labelledby="payment-title">
        <h2 id="payment-title">Record a payment</h2>
        <Field
          label={`Amount (${inv.currency})`}
          hint={`Empty: the full ${money(inv.amount_due_minor, inv.currency)} due. More than that becomes credit.`}
          error={amountError ?? fieldError(error, "amount_minor")}
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              autoComplete="off"
              placeholder={(inv.amount_due_minor / 100).toFixed(2)}
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          )}
        </Field>
        <Field label="Method" error={fieldError(error, "method")}>
          {(p) => (
            <select {...p} value={method} onChange={(e) => setMethod(e.target.value)}>
              {PAYMENT_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Reference (optional)"
          hint="A transfer or cheque number."
          error={fieldError(error, "reference")}
        >
          {(p) => (
            <input
              {...p}
              maxLength={200}
              autoComplete="off"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={general} />
        <p role="status" className="muted" aria-live="polite" style={{ minHeight: "1.5em", margin: 0 }}>
          {done}
        </p>
        <div className="actions">
          <button type="submit" className="primary" disabled={pay.isPending}>
            {pay.isPending ? "Recording…" : "Record payment"}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming !== undefined}
        title="Record this payment?"
        confirmLabel="Record payment"
        onClose={() => setConfirming(undefined)}
        onConfirm={() => confirming !== undefined && pay.mutate(confirming)}
      >
        <p>
          {money(confirming ?? 0, inv.currency)} by {method} on invoice {inv.number}. A recorded payment
          cannot be removed; a mistake is corrected with a credit note.
        </p>
      </ConfirmDialog>
    </>
  );
}

function CreditNoteForm({ invoice: inv }: { invoice: Invoice }) {
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [amountError, setAmountError] = useState<string>();
  const [confirming, setConfirming] = useState<number>();
  const [done, setDone] = useState<{ id: string; number: string }>();

  const credit = useMutation({
    mutationFn: async (amount_minor: number) =>
      unwrap(
        await api.POST("/invoices/{id}/credit-notes", {
          params: { path: { id: inv.id } },
          body: { amount_minor, reason: reason.trim() },
        }),
      ),
    onSuccess: async (note) => {
      setDone({ id: note.id, number: note.number });
      setAmount("");
      setReason("");
      await queryClient.invalidateQueries({ queryKey: ["invoices"] });
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    const minor = positive(parseMinor(amount, inv.currency));
    if (minor === undefined) {
      setAmountError("Enter a positive amount, e.g. 12.50.");
      return;
    }
    setAmountError(undefined);
    setConfirming(minor);
  }

  const error = credit.error;
  const general = otherError(error, ["amount_minor", "reason"]);

  return (
    <>
      <form className="card stack" onSubmit={submit} noValidate aria-labelledby="credit-title">
        <h2 id="credit-title">Issue a credit note</h2>
        <Field
          label={`Amount (${inv.currency})`}
          hint={`At most the invoice's total, ${money(inv.total_minor, inv.currency)}.`}
          error={amountError ?? fieldError(error, "amount_minor")}
        >
          {(p) => (
            <input
              {...p}
              inputMode="decimal"
              autoComplete="off"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
            />
          )}
        </Field>
        <Field label="Reason" hint="Printed on the credit note." error={fieldError(error, "reason")}>
          {(p) => <input {...p} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <ErrorMessage error={general} />
        <p role="status" className="muted" aria-live="polite" style={{ minHeight: "1.5em", margin: 0 }}>
          {done && (
            <>
              Credit note <Link to={`/invoices/${done.id}`}>{done.number}</Link> issued.
            </>
          )}
        </p>
        <div className="actions">
          <button type="submit" disabled={credit.isPending}>
            {credit.isPending ? "Issuing…" : "Issue credit note"}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={confirming !== undefined}
        title="Issue this credit note?"
        confirmLabel="Issue credit note"
        danger
        onClose={() => setConfirming(undefined)}
        onConfirm={() => confirming !== undefined && credit.mutate(confirming)}
      >
        <p>
          A credit note of {money(confirming ?? 0, inv.currency)} against {inv.number} gets its own number and
          cannot be withdrawn.
        </p>
      </ConfirmDialog>
    </>
  );
}

/** A typed amount that is more than zero, or undefined. */
function positive(minor: number | undefined): number | undefined {
  return minor !== undefined && minor > 0 ? minor : undefined;
}
