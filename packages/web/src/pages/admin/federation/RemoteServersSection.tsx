import { Link } from "react-router";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { money } from "../../../format";
import { useRemoteServers } from "../../remote/PartnerServers";
import { RemoteState } from "../../remote/RemoteState";

/**
 * The servers this installation's customers run at partners' sites (docs/federation.md, "A's
 * mirror"): whose, at which partner, in what state as the partner last said, at what retail price,
 * and the last call to the partner that failed. A server whose partner is silent shows `unknown`
 * with when it was last heard from.
 */
export function RemoteServersSection() {
  const servers = useRemoteServers();
  return (
    <>
      <h2>Servers at partners&rsquo; sites</h2>
      {servers.isPending && <p className="loading">Loading remote servers…</p>}
      <ErrorMessage error={servers.error} />
      {servers.data && servers.data.length === 0 && (
        <div className="empty card">
          <p>No customer runs a server at a partner&apos;s site yet.</p>
        </div>
      )}
      {servers.data && servers.data.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Servers at partners' sites">
            <thead>
              <tr>
                <th scope="col">Server</th>
                <th scope="col">Customer account</th>
                <th scope="col">Partner</th>
                <th scope="col">State</th>
                <th scope="col">Price</th>
              </tr>
            </thead>
            <tbody>
              {servers.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/servers/${s.id}`}>{s.name}</Link>
                    {s.remote_server_id && (
                      <>
                        <br />
                        <span className="mono muted" title="The partner's id for it">
                          {s.remote_server_id}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="mono">{s.account_id}</td>
                  <td>{s.operated_by}</td>
                  <td>
                    <RemoteState server={s} />
                    {s.last_error && (
                      <>
                        <br />
                        <span className="error-text">{s.last_error}</span>
                      </>
                    )}
                  </td>
                  <td>{money(s.hourly_price_minor, s.currency)} / h</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
