import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, lazy } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, unwrap } from "../../api";
import { ServerLoadError } from "../../components/ServerLoadError";
import type { PartnerSite, RemoteServer } from "../../api";
import { CopyBox } from "../../components/CopyBox";
import { ConfirmButton } from "../../components/ConfirmDialog";
import { POLL_MS } from "../../servers";
import { countryName, flag, memory, money } from "../server/format";
import { cpus } from "../server/wizard/cards";
import { REMOTE_SERVERS_KEY } from "./PartnerServers";
import { RemoteState, remoteSshCommand } from "./RemoteState";

// xterm.js is most of the portal's weight; only a server page with a live console loads it.
const SerialConsole = lazy(() => import("../../console/SerialConsole"));

type Action = "start" | "stop" | "reboot";

/**
 * A server at a partner's site (`rsv_…`), managed as a local one is: its state as the partner
 * last reported it, the partner, site and price, power actions and delete (sent to the partner by
 * a durable job, so they also work while it is away), and the serial console, relayed from the
 * partner by this installation.
 */
export function RemoteServerPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const key = [...REMOTE_SERVERS_KEY, id];
  const server = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET("/remote-servers/{id}", { params: { path: { id } } })),
    refetchInterval: POLL_MS,
  });
  // The site's and plan's names as the partner's offer gives them; while the site is on sale.
  const partnerSites = useQuery({
    queryKey: ["partner-sites"],
    retry: false,
    queryFn: async () => unwrap(await api.GET("/partner-sites", { params: { query: { limit: 100 } } })).items,
  });

  const power = useMutation({
    mutationFn: async (action: Action) =>
      unwrap(await api.POST("/remote-servers/{id}/actions", { params: { path: { id } }, body: { action } })),
    onSuccess: (updated) => queryClient.setQueryData(key, updated),
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/remote-servers/{id}", { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: REMOTE_SERVERS_KEY });
      await navigate("/servers");
    },
  });

  if (server.isPending) return <p className="loading">Loading server…</p>;
  if (server.isError) return <ServerLoadError error={server.error} />;

  const s = server.data;
  const site = partnerSites.data?.find((p) => p.id === s.site_id);
  const busy = power.isPending || remove.isPending;
  const deleting = s.desired_state === "deleted";
  const failed = s.state === "failed";
  // The partner relays the console once it has the server; a stopped one keeps it, as at home.
  const consoleOpen = s.remote_server_id !== null && !deleting && !failed;
  const actionError = power.error ?? remove.error;

  return (
    <section>
      <p className="crumbs">
        <Link to="/servers">Servers</Link> / {s.name}
      </p>
      <div className="page-head">
        <h1>{s.name}</h1>
        <RemoteState server={s} />
      </div>
      <p className="muted">Runs at a partner&rsquo;s site, operated by {s.operated_by}.</p>

      <div className="actions" role="group" aria-label="Power">
        <button
          type="button"
          onClick={() => power.mutate("start")}
          disabled={busy || deleting || failed || s.desired_state === "running"}
        >
          Start
        </button>
        <button
          type="button"
          onClick={() => power.mutate("stop")}
          disabled={busy || deleting || failed || s.desired_state === "stopped"}
        >
          Stop
        </button>
        <button
          type="button"
          onClick={() => power.mutate("reboot")}
          disabled={busy || deleting || failed || s.remote_state !== "running"}
        >
          Reboot
        </button>
        <ConfirmButton
          label="Delete"
          title={`Delete ${s.name}?`}
          confirmLabel="Delete server"
          disabled={busy || deleting}
          onConfirm={() => remove.mutate()}
        >
          <p>{s.operated_by} stops the server and erases its disk. This cannot be undone.</p>
        </ConfirmButton>
      </div>
      {actionError && (
        <p role="alert" className="error">
          {actionError.message}
        </p>
      )}

      <div className="grid">
        <Details server={s} site={site} />
        <div className="card">
          <h2>SSH</h2>
          {remoteSshCommand(s) ? (
            <CopyBox label="SSH command" value={remoteSshCommand(s)!} />
          ) : (
            <p className="muted">The SSH command appears once the partner has given the server an address.</p>
          )}
        </div>
      </div>

      <div className="card console-card">
        <h2 id="console-heading">Console</h2>
        {consoleOpen ? (
          <Suspense fallback={<p className="loading">Loading the console…</p>}>
            <SerialConsole serverId={s.id} resource="remote-servers" labelledBy="console-heading" />
          </Suspense>
        ) : (
          <p className="muted">
            {deleting
              ? "The server is being deleted."
              : failed
                ? "The partner did not create the server."
                : `The console opens once ${s.operated_by} has taken the server.`}
          </p>
        )}
      </div>
    </section>
  );
}

function Details({ server: s, site }: { server: RemoteServer; site: PartnerSite | undefined }) {
  const plan = site?.plans.find((p) => p.id === s.plan_id);
  return (
    <div className="card">
      <h2>Details</h2>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          {s.state === "unknown" ? `unknown (last reported ${s.remote_state})` : s.state}
          {s.desired_state !== s.remote_state && !["failed", "deleted"].includes(s.state) && (
            <span className="muted"> (becoming {s.desired_state})</span>
          )}
        </dd>
        {s.last_error && (
          <>
            <dt>Last error</dt>
            <dd className="error-text">{s.last_error}</dd>
          </>
        )}
        <dt>Partner</dt>
        <dd>{s.operated_by}</dd>
        <dt>Site</dt>
        <dd>
          {site ? (
            <>
              <span aria-hidden="true">{flag(site.country_code)}</span> {site.name} (
              {countryName(site.country_code)}, jurisdiction {site.jurisdiction || site.country_code})
            </>
          ) : (
            <span className="mono">{s.site_id}</span>
          )}
        </dd>
        <dt>Size</dt>
        <dd>
          {plan ? (
            `${plan.name}: ${cpus(plan.vcpus)}, ${memory(plan.memory_mib)}, ${plan.disk_gib} GiB disk`
          ) : (
            <span className="mono">{s.plan_id}</span>
          )}
        </dd>
        <dt>Price</dt>
        <dd>
          <strong>{money(s.hourly_price_minor, s.currency)}</strong> per hour
          <br />
          <span className="muted">never more than {money(s.monthly_cap_minor, s.currency)} a month</span>
        </dd>
        <dt>Addresses</dt>
        <dd>
          {s.addresses.length === 0 ? (
            <span className="muted">None yet</span>
          ) : (
            <ul className="plain">
              {s.addresses.map((a) => (
                <li key={`${a.kind}-${a.address}`} className="mono">
                  {a.address} <span className="muted">({a.kind})</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={s.created_at}>{new Date(s.created_at).toLocaleString()}</time>
        </dd>
        <dt>ID</dt>
        <dd className="mono">{s.id}</dd>
      </dl>
    </div>
  );
}
