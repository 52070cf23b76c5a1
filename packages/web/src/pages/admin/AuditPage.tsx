import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import "./business/business.css";
import { when } from "../../format";
import { errorFor } from "../../components/errors";
import { allPages, cursorPages } from "../../components/paging";
import { cursorParam } from "../../components/paging";
import { LoadMore } from "../../components/LoadMore";
import type { AuditEntry, User } from "./business/types";

const PAGE_SIZE = 50;
const FILTERS = ["actor_user_id", "action", "resource_type", "resource_id"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** Actions the controller records, offered as suggestions (the field takes any). */
const ACTIONS = [
  "account.create",
  "account.signup",
  "account.suspend",
  "account.unsuspend",
  "account.update",
  "brand.update",
  "code.create",
  "code.redeem",
  "host.add",
  "host.remove",
  "image.create",
  "image.delete",
  "invoice.credit-note",
  "invoice.issue",
  "invoice.payment",
  "plan.create",
  "plan.update",
  "prices.update",
  "server.create",
  "server.delete",
  "site.create",
  "ssh_key.create",
  "ssh_key.delete",
  "ticket.open",
  "ticket.status",
  "token.create",
  "token.revoke",
  "user.create",
  "user.update",
  "webhook.create",
  "webhook.delete",
];

const RESOURCE_TYPES = [
  "account",
  "brand",
  "discount_code",
  "host",
  "image",
  "invoice",
  "plan",
  "price-list",
  "server",
  "site",
  "ssh_key",
  "ticket",
  "token",
  "user",
  "webhook",
];

function readFilters(params: URLSearchParams): Filters {
  return {
    actor_user_id: params.get("actor_user_id") ?? "",
    action: params.get("action") ?? "",
    resource_type: params.get("resource_type") ?? "",
    resource_id: params.get("resource_id") ?? "",
  };
}

export function AuditPage() {
  const me = useSession().data;
  const [params, setParams] = useSearchParams();
  const applied = readFilters(params);
  const [draft, setDraft] = useState<Filters>(applied);
  const set = (key: keyof Filters) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  const users = useQuery({
    queryKey: ["users", "all"],
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(await api.GET("/users", { params: { query: { limit: 200, ...cursorParam(cursor) } } })),
      ),
  });

  const log = useInfiniteQuery({
    queryKey: ["audit-log", applied],
    queryFn: async ({ pageParam }) => {
      const query: Partial<Filters> & { limit: number; cursor?: string } = { limit: PAGE_SIZE };
      if (pageParam) query.cursor = pageParam;
      for (const key of FILTERS) if (applied[key].trim()) query[key] = applied[key].trim();
      return unwrap(await api.GET("/audit-log", { params: { query } }));
    },
    ...cursorPages,
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTERS) if (draft[key].trim()) next.set(key, draft[key].trim());
    setParams(next);
  }

  function clear() {
    setDraft({ actor_user_id: "", action: "", resource_type: "", resource_id: "" });
    setParams(new URLSearchParams());
  }

  const rows = log.data?.pages.flatMap((p) => p.items);
  const filtered = FILTERS.some((k) => applied[k]);
  const error = log.error;

  function actor(e: AuditEntry) {
    if (!e.actor_user_id) return <span className="muted">System</span>;
    if (e.actor_user_id === me?.id) return <span>You</span>;
    const user = users.data?.find((u: User) => u.id === e.actor_user_id);
    return user ? <span>{user.email}</span> : <span className="mono">{e.actor_user_id}</span>;
  }

  return (
    <section>
      <h1>Audit log</h1>
      <p className="muted">Every change made in your accounts and the ones below them, newest first.</p>
      <form className="card biz-toolbar" onSubmit={apply} aria-label="Filter the audit log" noValidate>
        <Field label="Who" error={errorFor(error, "actor_user_id")}>
          {(props) => (
            <select {...props} value={draft.actor_user_id} onChange={set("actor_user_id")}>
              <option value="">Anyone</option>
              {me && <option value={me.id}>You ({me.email})</option>}
              {users.data
                ?.filter((u) => u.id !== me?.id)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.email}
                  </option>
                ))}
              {draft.actor_user_id &&
                draft.actor_user_id !== me?.id &&
                !users.data?.some((u) => u.id === draft.actor_user_id) && (
                  <option value={draft.actor_user_id}>{draft.actor_user_id}</option>
                )}
            </select>
          )}
        </Field>
        <Field label="Action" error={errorFor(error, "action")}>
          {(props) => (
            <input
              {...props}
              list="audit-actions"
              placeholder="e.g. server.create"
              autoComplete="off"
              spellCheck={false}
              value={draft.action}
              onChange={set("action")}
            />
          )}
        </Field>
        <Field label="Target type" error={errorFor(error, "resource_type")}>
          {(props) => (
            <input
              {...props}
              list="audit-types"
              placeholder="e.g. server"
              autoComplete="off"
              spellCheck={false}
              value={draft.resource_type}
              onChange={set("resource_type")}
            />
          )}
        </Field>
        <Field label="Target id" error={errorFor(error, "resource_id")}>
          {(props) => (
            <input
              {...props}
              placeholder="e.g. srv_…"
              autoComplete="off"
              spellCheck={false}
              value={draft.resource_id}
              onChange={set("resource_id")}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary">
            Filter
          </button>
          {filtered && (
            <button type="button" onClick={clear}>
              Clear
            </button>
          )}
        </div>
        <datalist id="audit-actions">
          {ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <datalist id="audit-types">
          {RESOURCE_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </form>
      {log.isPending && <p className="loading">Loading the audit log…</p>}
      {log.isError && !log.isFetchNextPageError && (
        <p role="alert" className="error">
          {log.error.message}
        </p>
      )}
      {rows && rows.length === 0 && (
        <div className="empty card">
          {filtered ? (
            <>
              <h2>No entries match</h2>
              <p>Nothing recorded matches these filters. Loosen or clear them to see more.</p>
              <button type="button" onClick={clear}>
                Clear filters
              </button>
            </>
          ) : (
            <>
              <h2>Nothing recorded yet</h2>
              <p>Changes to plans, accounts, servers, prices and branding appear here as they happen.</p>
            </>
          )}
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="biz-table cards">
            <caption className="sr-only">Audit log entries</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <tr key={e.id}>
                  <td className="biz-first">
                    <time dateTime={e.at}>{when(e.at)}</time>
                  </td>
                  <td data-label="Who" className="biz-wrap">
                    {actor(e)}
                  </td>
                  <td data-label="Action">
                    <code>{e.action}</code>
                  </td>
                  <td data-label="Target" className="biz-wrap">
                    <span>
                      {e.resource_type} <span className="mono muted">{e.resource_id}</span>
                    </span>
                  </td>
                  <td data-label="Details" className="biz-wrap">
                    <Details entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        query={log}
        end={rows && rows.length > 0 && <span className="muted">The start of the log.</span>}
      />
    </section>
  );
}

function Details({ entry }: { entry: AuditEntry }) {
  const keys = Object.keys(entry.details);
  if (keys.length === 0 && !entry.request_id) return <span className="muted">—</span>;
  return (
    <details className="biz-details">
      <summary>
        {keys.length > 0 ? keys.slice(0, 3).join(", ") + (keys.length > 3 ? "…" : "") : "Request"}
      </summary>
      <pre className="mono biz-details">{JSON.stringify(entry.details, null, 2)}</pre>
      {entry.request_id && <span className="biz-sub">Request {entry.request_id}</span>}
    </details>
  );
}
