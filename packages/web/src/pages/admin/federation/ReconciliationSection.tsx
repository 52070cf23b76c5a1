import type { paths } from "@layerboom/client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import { Badge } from "../../../components/Badge";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { allPages, cursorParam } from "../../../components/paging";
import { money, when } from "../../../format";
import { PEERS_KEY } from "./PeersSection";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;
type Report = Json<paths["/federation/peers/{id}/reconciliation"]["get"]["responses"][200]>;
type Usage = Json<paths["/federation/peers/{id}/usage"]["get"]["responses"][200]>;

/** The month before this one, `YYYY-MM`: the one a partner has invoiced last. */
function lastMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

const gapsText = (gaps: { from: number; to: number }[]) =>
  gaps.map((g) => (g.from === g.to ? `${g.from}` : `${g.from}–${g.to}`)).join(", ");

/**
 * A partner's invoice checked against the usage records it sent (docs/federation.md, "Usage and
 * settlement"): per server, what it invoiced beside what its records add up to, and every difference.
 */
export function ReconciliationSection() {
  const queryClient = useQueryClient();
  const peers = useQuery({
    queryKey: PEERS_KEY,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET("/federation/peers", { params: { query: { limit: 100, ...cursorParam(cursor) } } }),
        ),
      ),
  });
  const [peerId, setPeerId] = useState("");
  const [month, setMonth] = useState(lastMonth());
  const [asked, setAsked] = useState<{ peerId: string; month: string } | null>(null);
  const chosen = peerId || peers.data?.find((p) => p.state === "active")?.id || "";
  const usage = useQuery({
    queryKey: ["federation", "usage", chosen],
    enabled: chosen !== "",
    queryFn: async () =>
      unwrap(await api.GET("/federation/peers/{id}/usage", { params: { path: { id: chosen } } })),
  });
  const report = useQuery({
    queryKey: ["federation", "reconciliation", asked?.peerId, asked?.month],
    enabled: asked !== null,
    queryFn: async () =>
      unwrap(
        await api.GET("/federation/peers/{id}/reconciliation", {
          params: { path: { id: asked!.peerId }, query: { month: asked!.month } },
        }),
      ),
  });
  const pull = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST("/federation/peers/{id}/usage/pull", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["federation"] }),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (chosen) setAsked({ peerId: chosen, month });
  };

  if (!peers.data || peers.data.length === 0) return null;
  return (
    <>
      <h2>Usage and invoices from partners</h2>
      <form className="card" onSubmit={submit} aria-label="Reconcile a partner's invoice">
        <Field label="Partner">
          {(control) => (
            <select {...control} value={chosen} onChange={(e) => setPeerId(e.target.value)}>
              {peers.data.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.state})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Month">
          {(control) => (
            <input
              {...control}
              type="month"
              required
              pattern="\d{4}-\d{2}"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" disabled={!chosen}>
          Reconcile
        </button>
      </form>
      {usage.data && (
        <UsageSummary usage={usage.data} onPull={() => pull.mutate(chosen)} pulling={pull.isPending} />
      )}
      <ErrorMessage error={usage.error} />
      <ErrorMessage error={pull.error} />
      <ErrorMessage error={report.error} />
      {report.isFetching && <p className="loading">Reading the partner&apos;s invoice…</p>}
      {report.data && <ReportCard report={report.data} />}
    </>
  );
}

function UsageSummary({ usage, onPull, pulling }: { usage: Usage; onPull: () => void; pulling: boolean }) {
  const r = usage.received;
  return (
    <p className="muted" aria-label="Usage records held">
      {r.records} usage records held, complete through number {r.acked_through}
      {r.gaps.length > 0 && `; missing ${gapsText(r.gaps)}`}
      {r.flagged > 0 && `; ${r.flagged} refused`}
      {r.last_received_at && `; last received ${when(r.last_received_at)}`}.{" "}
      <button type="button" className="link" onClick={onPull} disabled={pulling}>
        Fetch missing records
      </button>
    </p>
  );
}

function ReportCard({ report }: { report: Report }) {
  const currency = report.currency ?? "";
  const amount = (minor: number | null) => (minor === null ? "—" : money(minor, currency));
  return (
    <article className="card" aria-label={`Reconciliation of ${report.month}`}>
      <h3>
        {report.month}:{" "}
        <Badge
          state={report.differences === 0 && report.invoice ? "active" : "off"}
          label={
            !report.invoice
              ? "no invoice"
              : report.differences === 0
                ? "no difference"
                : `${report.differences} difference${report.differences === 1 ? "" : "s"}`
          }
        />
      </h3>
      <p className="muted">
        {report.invoice
          ? `Invoice ${report.invoice.number}, issued ${when(report.invoice.issued_at)}: ${money(report.invoice.total_minor, currency)} (tax ${money(report.invoice.tax_minor, currency)}).`
          : `The partner's invoice could not be read: ${report.invoice_error ?? "unknown"}.`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Server there</th>
              <th scope="col">Server here</th>
              <th scope="col" className="num">
                Invoiced
              </th>
              <th scope="col" className="num">
                Records
              </th>
              <th scope="col" className="num">
                Difference
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {report.servers.map((s) => (
              <tr key={s.remote_server_id}>
                <td>{s.remote_server_id}</td>
                <td>{s.local_server_id ?? "—"}</td>
                <td className="num">{amount(s.invoiced_minor)}</td>
                <td className="num">
                  {money(s.records_minor, currency)} ({s.records})
                </td>
                <td className="num">{money(s.difference_minor, currency)}</td>
                <td>
                  <Badge state={s.status === "match" ? "active" : "off"} label={s.status.replace("_", " ")} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td className="num">{money(report.totals.invoiced_minor, currency)}</td>
              <td className="num">{money(report.totals.records_minor, currency)}</td>
              <td className="num">{money(report.totals.difference_minor, currency)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {report.flagged_records.length > 0 && (
        <p>
          Refused records:{" "}
          {report.flagged_records.map((f) => `${f.seq ?? "?"} (${f.reason.replace("_", " ")})`).join(", ")}.
        </p>
      )}
      {report.gaps.length > 0 && <p>Records missing: {gapsText(report.gaps)}.</p>}
    </article>
  );
}
