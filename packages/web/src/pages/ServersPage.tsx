import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../api";
import { POLL_MS, sshAddress } from "../servers";
import { ErrorMessage } from "../components/ErrorMessage";
import { DateTime } from "../components/DateTime";
import { cursorParam } from "../components/paging";
import { StatusBadge } from "../components/Badge";
import { PartnerServers, useRemoteServers } from "./remote/PartnerServers";

/** Servers per page: a page stays light to poll, and an account with thousands pages through them. */
const PAGE_SIZE = 100;

export function ServersPage() {
  // The cursors of the pages before this one; the last is this page's (undefined: the first page).
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const servers = useQuery({
    queryKey: ["servers", cursor ?? "first"],
    queryFn: async () =>
      unwrap(
        await api.GET("/servers", {
          params: { query: { limit: PAGE_SIZE, ...cursorParam(cursor) } },
        }),
      ),
    refetchInterval: POLL_MS,
    // The old page stays on screen while the next one loads: no flash, no jump.
    placeholderData: keepPreviousData,
  });
  // Servers at partners' sites (docs/federation.md): few, listed whole below the account's own.
  const remote = useRemoteServers();
  const noRemote = remote.isError || remote.data?.length === 0;
  const pageIndex = cursors.length - 1;
  const nextCursor = servers.data?.next_cursor ?? null;

  return (
    <section>
      <div className="page-head">
        <h1>Servers</h1>
        <Link to="/servers/new" className="button primary">
          New server
        </Link>
      </div>
      {servers.isPending && <p className="loading">Loading servers…</p>}
      <ErrorMessage error={servers.error} />
      {servers.data && servers.data.items.length === 0 && pageIndex === 0 && noRemote && (
        <div className="empty card">
          <h2>No servers yet</h2>
          <p>
            Create your first server: pick where it runs, how big it is and which system it boots. It starts
            within a minute, and its console is right on its page.
          </p>
          <Link to="/servers/new" className="button primary">
            Create a server
          </Link>
        </div>
      )}
      {servers.data && servers.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Address</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {servers.data.items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/servers/${s.id}`}>{s.name}</Link>
                  </td>
                  <td>
                    <StatusBadge state={s.observed_state} />
                  </td>
                  <td className="mono">{sshAddress(s) ?? "—"}</td>
                  <td>
                    <DateTime value={s.created_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {servers.data && (pageIndex > 0 || nextCursor) && (
        <nav className="pager" aria-label="Pages of servers">
          <button
            type="button"
            disabled={pageIndex === 0 || servers.isPlaceholderData}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            Previous
          </button>
          <span className="muted">
            Servers {pageIndex * PAGE_SIZE + 1}–{pageIndex * PAGE_SIZE + servers.data.items.length}
          </span>
          <button
            type="button"
            disabled={!nextCursor || servers.isPlaceholderData}
            onClick={() => nextCursor && setCursors((c) => [...c, nextCursor])}
          >
            Next
          </button>
        </nav>
      )}
      <PartnerServers servers={remote} />
    </section>
  );
}
