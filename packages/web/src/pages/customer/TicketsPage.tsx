import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api, newIdempotencyKey, fieldError, unwrap } from "../../api";
import { useBrand } from "../../brand";
import { Field } from "../../components/Field";
import { isAdmin, useSession } from "../../session";
import { useAccountNames } from "./billing/accounts";
import { TicketStatusBadge, opensTickets } from "./tickets/tickets";
import type { TicketStatus } from "./tickets/tickets";
import "./billing/billing.css";
import "./tickets/tickets.css";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DateTime } from "../../components/DateTime";

const FIELDS = ["subject", "body", "server_id"];

export function TicketsPage() {
  const me = useSession().data;
  const admin = isAdmin(me);
  const customer = opensTickets(me);
  const [status, setStatus] = useState<TicketStatus | "">(admin ? "open" : "");
  const [composing, setComposing] = useState(false);
  const accounts = useAccountNames(admin);

  const tickets = useQuery({
    queryKey: ["tickets", { status }],
    queryFn: async () =>
      unwrap(
        await api.GET("/tickets", { params: { query: { limit: 200, ...(status ? { status } : {}) } } }),
      ).items.toSorted((a, b) => b.updated_at.localeCompare(a.updated_at)),
    refetchInterval: 30_000,
  });

  return (
    <section>
      <div className="page-head">
        <h1>Support</h1>
        {customer && !composing && (
          <button type="button" className="button primary" onClick={() => setComposing(true)}>
            New ticket
          </button>
        )}
      </div>
      {customer && composing && <NewTicket onCancel={() => setComposing(false)} />}

      <div className="filters">
        <div className="field">
          <label htmlFor="ticket-status">Show</label>
          <select
            id="ticket-status"
            value={status}
            onChange={(e) => setStatus(e.target.value as TicketStatus | "")}
          >
            <option value="">All tickets</option>
            <option value="open">Open: waiting on {admin ? "you" : "support"}</option>
            <option value="pending">Pending: waiting on {admin ? "the customer" : "you"}</option>
            <option value="closed">Closed</option>
          </select>
        </div>
      </div>

      {tickets.isPending && <p className="loading">Loading tickets…</p>}
      <ErrorMessage error={tickets.error} />
      {tickets.data && tickets.data.length === 0 && (
        <div className="empty card">
          <h2>{status ? `No ${status} tickets` : "No tickets yet"}</h2>
          <p>
            {admin
              ? "Your customers' questions land here. Nothing is waiting on you."
              : status
                ? "Choose another status above, or open a ticket if something needs attention."
                : "Something not working, or a question about a bill? Open a ticket and the support team answers here and by email."}
          </p>
          {customer && !composing && (
            <button type="button" className="primary" onClick={() => setComposing(true)}>
              Open a ticket
            </button>
          )}
        </div>
      )}
      {tickets.data && tickets.data.length > 0 && (
        <div className="table-wrap">
          <table className="stacked cards">
            <caption className="sr-only">Tickets, most recently updated first</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                {admin && <th scope="col">Account</th>}
                <th scope="col">Status</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {tickets.data.map((t) => (
                <tr key={t.id}>
                  <td data-label="Subject" className="ticket-subject">
                    <Link to={`/tickets/${t.id}`}>{t.subject}</Link>
                  </td>
                  {admin && (
                    <td data-label="Account">
                      {t.account_id === me?.account_id ? "You" : accounts.nameOf(t.account_id)}
                    </td>
                  )}
                  <td data-label="Status">
                    <TicketStatusBadge status={t.status} />
                  </td>
                  <td data-label="Updated">
                    <DateTime value={t.updated_at} />
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

function NewTicket({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const brand = useBrand();
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [serverId, setServerId] = useState("");
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());

  const servers = useQuery({
    queryKey: ["servers"],
    queryFn: async () => unwrap(await api.GET("/servers", { params: { query: { limit: 100 } } })),
  });

  const open = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tickets", {
          body: { subject, body, ...(serverId ? { server_id: serverId } : {}) },
          headers: { "idempotency-key": idempotencyKey },
        }),
      ),
    onError: (err) => {
      if (err instanceof ApiError) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async (ticket) => {
      queryClient.setQueryData(["tickets", ticket.id], ticket);
      await queryClient.invalidateQueries({ queryKey: ["tickets"] });
      await navigate(`/tickets/${ticket.id}`);
    },
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    open.mutate();
  }

  const error = open.error;
  const general = otherError(error, FIELDS);
  const live = servers.data?.items.filter((s) => s.desired_state !== "deleted") ?? [];

  return (
    <form className="card stack new-ticket" onSubmit={submit} noValidate aria-labelledby="new-ticket-title">
      <h2 id="new-ticket-title">New ticket</h2>
      <Field label="Subject" error={fieldError(error, "subject")}>
        {(p) => (
          <input
            {...p}
            required
            maxLength={200}
            autoFocus
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="Message"
        hint={`What happened, and what you expected. ${brand.name || "Support"} answers here and by email.`}
        error={fieldError(error, "body")}
      >
        {(p) => <textarea {...p} required rows={6} value={body} onChange={(e) => setBody(e.target.value)} />}
      </Field>
      <Field
        label="Server (optional)"
        hint={servers.isError ? servers.error.message : "If the ticket is about one of your servers."}
        error={fieldError(error, "server_id")}
      >
        {(p) => (
          <select {...p} value={serverId} onChange={(e) => setServerId(e.target.value)}>
            <option value="">No particular server</option>
            {live.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={open.isPending}>
          {open.isPending ? "Sending…" : "Open ticket"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
