import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { ApiError, api, fieldError, unwrap } from "../../api";
import { useBrand } from "../../brand";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import { useAccountNames } from "./billing/accounts";
import { TicketStatusBadge } from "./tickets/tickets";
import type { Ticket, TicketStatus } from "./tickets/tickets";
import "./billing/billing.css";
import "./tickets/tickets.css";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DateTime } from "../../components/DateTime";

export function TicketPage() {
  const { id = "" } = useParams();
  const me = useSession().data;
  const brand = useBrand();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");

  const ticket = useQuery({
    queryKey: ["tickets", id],
    queryFn: async () => unwrap(await api.GET("/tickets/{id}", { params: { path: { id } } })),
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    // The other side may answer while the page is open.
    refetchInterval: 15_000,
  });
  const staff = ticket.data !== undefined && ticket.data.account_id !== me?.account_id;
  const accounts = useAccountNames(staff);
  const servers = useQuery({
    queryKey: ["servers"],
    enabled: Boolean(ticket.data?.server_id),
    queryFn: async () => unwrap(await api.GET("/servers", { params: { query: { limit: 100 } } })),
  });

  const saved = async (updated: Ticket) => {
    queryClient.setQueryData(["tickets", id], updated);
    await queryClient.invalidateQueries({ queryKey: ["tickets"], exact: false, refetchType: "none" });
  };
  const reply = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/tickets/{id}/messages", { params: { path: { id } }, body: { body } })),
    onSuccess: async (updated) => {
      setBody("");
      await saved(updated);
    },
  });
  const setStatus = useMutation({
    mutationFn: async (status: TicketStatus) =>
      unwrap(await api.PATCH("/tickets/{id}", { params: { path: { id } }, body: { status } })),
    onSuccess: saved,
  });

  if (ticket.isPending) return <p className="loading">Loading ticket…</p>;
  if (ticket.isError) {
    const gone = ticket.error instanceof ApiError && ticket.error.status === 404;
    return (
      <section>
        <h1>{gone ? "Ticket not found" : "Ticket"}</h1>
        <p role="alert" className="error">
          {gone ? "There is no such ticket, or it belongs to another account." : ticket.error.message}
        </p>
        <p>
          <Link to="/tickets">Back to your tickets</Link>
        </p>
      </section>
    );
  }

  const t = ticket.data;
  const support = brand.name ? `${brand.name} support` : "Support";
  const customerName = staff ? accounts.nameOf(t.account_id) : "You";
  function author(m: Ticket["messages"][number]): { who: string; mine: boolean } {
    const mySide = staff ? "staff" : "customer";
    if (m.side !== mySide) return { who: m.side === "staff" ? support : customerName, mine: false };
    return { who: m.author_user_id === me?.id ? "You" : staff ? "Your team" : "Your team mate", mine: true };
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    reply.mutate();
  }

  const general = otherError(reply.error, ["body"]);
  const closed = t.status === "closed";

  return (
    <section>
      <p className="crumbs">
        <Link to="/tickets">Support</Link> / Ticket
      </p>
      <div className="page-head ticket-head">
        <h1>{t.subject}</h1>
        <TicketStatusBadge status={t.status} />
      </div>
      <p className="ticket-meta">
        {staff && <span>From {customerName}</span>}
        <span>
          Opened <DateTime value={t.created_at} />
        </span>
        {t.server_id && (
          <span>
            About server{" "}
            <Link to={`/servers/${t.server_id}`}>
              {servers.data?.items.find((s) => s.id === t.server_id)?.name ?? t.server_id}
            </Link>
          </span>
        )}
        {t.closed_at && (
          <span>
            Closed <DateTime value={t.closed_at} />
          </span>
        )}
      </p>

      <h2 className="sr-only">Conversation</h2>
      <ol className="conversation">
        {t.messages.map((m) => {
          const a = author(m);
          return (
            <li key={m.id} className={`message${a.mine ? " mine" : ""}`}>
              <header>
                <strong>{a.who}</strong>
                <DateTime value={m.created_at} />
              </header>
              <p className="message-body">{m.body}</p>
            </li>
          );
        })}
      </ol>

      <form className="card stack" onSubmit={submit} noValidate style={{ marginTop: "1.5rem" }}>
        <Field
          label="Reply"
          hint={closed ? "This ticket is closed; replying opens it again." : undefined}
          error={fieldError(reply.error, "body")}
        >
          {(p) => (
            <textarea {...p} rows={5} required value={body} onChange={(e) => setBody(e.target.value)} />
          )}
        </Field>
        <ErrorMessage error={general} />
        {setStatus.error && (
          <p role="alert" className="error">
            {setStatus.error.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={reply.isPending}>
            {reply.isPending ? "Sending…" : "Send reply"}
          </button>
          {closed ? (
            <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate("open")}>
              Reopen ticket
            </button>
          ) : (
            <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate("closed")}>
              Close ticket
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
