import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import type { RemoteServer } from "../../api";
import { DateTime } from "../../components/DateTime";
import { ErrorMessage } from "../../components/ErrorMessage";
import { allPages, cursorParam } from "../../components/paging";
import { POLL_MS } from "../../servers";
import { RemoteState, remoteAddress } from "./RemoteState";
import "./remote.css";

export const REMOTE_SERVERS_KEY = ["remote-servers"] as const;

/** Every remote server the caller sees (an account has few: each is a server at a partner). */
export function fetchRemoteServers(): Promise<RemoteServer[]> {
  return allPages(async (cursor) =>
    unwrap(await api.GET("/remote-servers", { params: { query: { limit: 100, ...cursorParam(cursor) } } })),
  );
}

/** The remote servers, polled like the servers list, for the pages that list them. */
export function useRemoteServers() {
  return useQuery({
    queryKey: REMOTE_SERVERS_KEY,
    queryFn: fetchRemoteServers,
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });
}

/**
 * The customer's servers at partners' sites, below its own: the same columns, and the partner
 * that runs each one.
 */
export function PartnerServers({ servers }: { servers: ReturnType<typeof useRemoteServers> }) {
  if (servers.error) return <ErrorMessage error={servers.error} />;
  if (!servers.data || servers.data.length === 0) return null;
  return (
    <section className="partner-servers" aria-labelledby="partner-servers-heading">
      <h2 id="partner-servers-heading">At partners&rsquo; sites</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Partner</th>
              <th scope="col">Address</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {servers.data.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`/servers/${s.id}`}>{s.name}</Link>
                </td>
                <td>
                  <RemoteState server={s} />
                </td>
                <td>operated by {s.operated_by}</td>
                <td className="mono">{remoteAddress(s) ?? "—"}</td>
                <td>
                  <DateTime value={s.created_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
