import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api, unwrap } from "../../api";
import { useBrand } from "../../brand";
import { isAdmin, useSession } from "../../session";
import { useAccountNames } from "./billing/accounts";
import { InvoiceStateBadge } from "./billing/InvoiceStateBadge";
import "./billing/billing.css";
import { day, kwh, money, periodName } from "../../format";
import { ErrorMessage } from "../../components/ErrorMessage";
import { asUsageDraft } from "./billing/invoices";
import type { UsageDraft } from "./billing/invoices";

type StatusFilter = "" | "issued" | "paid";

export function InvoicesPage() {
  const me = useSession().data;
  const admin = isAdmin(me);
  const [status, setStatus] = useState<StatusFilter>("");
  const accounts = useAccountNames(admin);
  // The console's customer list links here with ?account_id= to show one customer's invoices.
  const accountId = useSearchParams()[0].get("account_id") ?? undefined;

  const invoices = useQuery({
    queryKey: ["invoices", { status, accountId }],
    queryFn: async () =>
      unwrap(
        await api.GET("/invoices", {
          params: {
            query: {
              limit: 200,
              ...(status ? { status } : {}),
              ...(accountId ? { account_id: accountId } : {}),
            },
          },
        }),
      ).items.toSorted((a, b) => b.issued_at.localeCompare(a.issued_at) || b.number.localeCompare(a.number)),
  });

  return (
    <section>
      <div className="page-head">
        <h1>Invoices</h1>
      </div>
      {me && !admin && <UsageThisMonth />}

      <h2 className="sr-only">All invoices</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor="invoice-status">Show</label>
          <select
            id="invoice-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as StatusFilter)}
          >
            <option value="">All invoices and credit notes</option>
            <option value="issued">Unpaid</option>
            <option value="paid">Paid</option>
          </select>
        </div>
      </div>

      {invoices.isPending && <p className="loading">Loading invoices…</p>}
      <ErrorMessage error={invoices.error} />
      {invoices.data && invoices.data.length === 0 && (
        <div className="empty card">
          <h2>{status ? "No invoices match" : "No invoices yet"}</h2>
          <p>
            {status
              ? "Try showing all invoices."
              : admin
                ? "Invoices appear here once you close a month for your customers: each gets one invoice for that month's servers, energy and taxes."
                : "An invoice appears here after each month closes, covering that month's servers, energy and taxes. Until then, the usage above shows what this month costs so far."}
          </p>
          {!admin && !status && (
            <Link to="/servers" className="button">
              Your servers
            </Link>
          )}
        </div>
      )}
      {invoices.data && invoices.data.length > 0 && (
        <div className="table-wrap">
          <table className="stacked cards">
            <caption className="sr-only">Invoices, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                {admin && <th scope="col">Account</th>}
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.map((inv) => (
                <tr key={inv.id}>
                  <td data-label={inv.kind === "credit-note" ? "Credit note" : "Invoice"}>
                    <Link to={`/invoices/${inv.id}`} className="mono">
                      {inv.number}
                    </Link>
                  </td>
                  {admin && <td data-label="Account">{accounts.nameOf(inv.account_id)}</td>}
                  <td data-label="Period">{periodName(inv.period)}</td>
                  <td data-label="Status">
                    <InvoiceStateBadge invoice={inv} />
                  </td>
                  <td data-label="Total" className="num">
                    {money(inv.total_minor, inv.currency)}
                    {inv.status !== "paid" && inv.amount_due_minor !== inv.total_minor && (
                      <span className="muted"> ({money(inv.amount_due_minor, inv.currency)} due)</span>
                    )}
                  </td>
                  <td data-label="Due">
                    {inv.kind === "credit-note" ? "—" : <time dateTime={inv.due_at}>{day(inv.due_at)}</time>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** This month so far, drafted by the controller from the same rules the invoice will use. */
function UsageThisMonth() {
  const brand = useBrand();
  const usage = useQuery({
    queryKey: ["billing", "usage"],
    queryFn: async () => asUsageDraft(unwrap(await api.GET("/billing/usage"))),
    refetchInterval: 60_000,
  });
  const servers = useQuery({
    queryKey: ["servers"],
    queryFn: async () => unwrap(await api.GET("/servers", { params: { query: { limit: 100 } } })),
  });
  const serverName = (id: string | null) =>
    (id && servers.data?.items.find((s) => s.id === id)?.name) ?? id ?? "";

  return (
    <div className="card stack" style={{ marginBottom: "1.5rem" }}>
      <h2>Usage this month</h2>
      {usage.isPending && <p className="loading">Adding up this month…</p>}
      <ErrorMessage error={usage.error} />
      {usage.isSuccess && !usage.data && (
        <p className="muted">This month&apos;s usage is not available yet.</p>
      )}
      {usage.data && <UsageDetails draft={usage.data} serverName={serverName} brandName={brand.name} />}
    </div>
  );
}

function UsageDetails({
  draft,
  serverName,
  brandName,
}: {
  draft: UsageDraft;
  serverName: (id: string | null) => string;
  brandName: string;
}) {
  const c = draft.currency;
  const energy = draft.energy;
  return (
    <>
      <div>
        <p className="usage-total">{money(draft.totalMinor, c)}</p>
        <p className="muted" style={{ margin: 0 }}>
          So far in {periodName(draft.period)}, taxes included. Not an invoice yet:{" "}
          {brandName || "your provider"} issues it after the month closes.
        </p>
      </div>
      {draft.charges.length === 0 && !draft.imageStorage ? (
        <p className="muted">No server has run this month yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="stacked cards invoice-lines">
            <caption className="sr-only">This month&apos;s charges so far</caption>
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
              {draft.charges.map((ch) => (
                <tr key={`${ch.serverId}-${ch.planId}`}>
                  <td className="desc" data-label="Server">
                    {serverName(ch.serverId)}
                    {ch.capped && <span className="muted"> (monthly cap reached)</span>}
                  </td>
                  <td data-label="Hours">
                    {ch.billedHours.toLocaleString(undefined, { maximumFractionDigits: 2 })} h
                  </td>
                  <td data-label="Amount" className="num">
                    {money(ch.amountMinor, c)}
                  </td>
                </tr>
              ))}
              {draft.discounts.map((d, i) => (
                <tr key={`discount-${d.code}-${i}`}>
                  <td className="desc" data-label="Discount">
                    {d.description}
                  </td>
                  <td data-label="Code" className="mono">
                    {d.code}
                  </td>
                  <td data-label="Amount" className="num">
                    {money(d.amountMinor, c)}
                  </td>
                </tr>
              ))}
              {draft.imageStorage && (
                <tr className="line-image-storage">
                  <td className="desc" data-label="Stored images">
                    Stored images ({draft.imageStorage.images})
                  </td>
                  <td data-label="Quantity">
                    {draft.imageStorage.gibMonths.toLocaleString(undefined, { maximumFractionDigits: 4 })}{" "}
                    GiB-months
                  </td>
                  <td data-label="Amount" className="num">
                    {money(draft.imageStorage.amountMinor, c)}
                  </td>
                </tr>
              )}
              <tr className="line-energy">
                <td className="desc" data-label="Energy">
                  Energy
                  {energy.carbonKg !== null && (
                    <span className="muted"> ({energy.carbonKg.toFixed(2)} kg CO₂e)</span>
                  )}
                  {!draft.energyBilled && <span className="muted"> — for information, not charged</span>}
                </td>
                <td data-label="Quantity">{kwh(energy.kwh)}</td>
                <td data-label="Amount" className="num">
                  {energy.costMinor === null
                    ? "no tariff"
                    : draft.energyBilled
                      ? money(energy.costMinor, c)
                      : `(${money(energy.costMinor, c)})`}
                </td>
              </tr>
              {draft.taxes.map((t) => (
                <tr key={t.name}>
                  <td className="desc" data-label="Tax">
                    {t.name} {(t.rateMicros / 10_000).toLocaleString(undefined, { maximumFractionDigits: 3 })}
                    %
                  </td>
                  <td />
                  <td data-label="Amount" className="num">
                    {money(t.amountMinor, c)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
