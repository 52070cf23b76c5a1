import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../api";
import { StatusBadge } from "../components/Field";
import { POLL_MS, sshAddress } from "../servers";

export function ServersPage() {
  const servers = useQuery({
    queryKey: ["servers"],
    queryFn: async () => unwrap(await api.GET("/servers", { params: { query: { limit: 100 } } })),
    refetchInterval: POLL_MS,
  });

  return (
    <section>
      <div className="page-head">
        <h1>Servers</h1>
        <Link to="/servers/new" className="button primary">
          New server
        </Link>
      </div>
      {servers.isPending && <p className="loading">Loading servers…</p>}
      {servers.isError && (
        <p role="alert" className="error">
          {servers.error.message}
        </p>
      )}
      {servers.data && servers.data.items.length === 0 && (
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
                    <time dateTime={s.created_at}>{new Date(s.created_at).toLocaleString()}</time>
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
