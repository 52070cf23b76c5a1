import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import { useSession } from "../../session";
import { CapacityBar, PowerNow } from "./ops/Bar";
import "./ops/ops.css";
import { ago, disk, memory, money, perKwh } from "../../format";
import { ErrorMessage } from "../../components/ErrorMessage";
import { StatusBadge } from "../../components/Badge";
import { DASHBOARD_KEY, DASHBOARD_POLL_MS } from "./ops/dashboard";
import type { Dashboard, DashboardHost, DashboardSite } from "./ops/dashboard";

const cores = (n: number) => `${n} vCPU`;

export function DashboardPage() {
  const me = useSession().data;
  const dashboard = useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: async () => unwrap(await api.GET("/dashboard")),
    refetchInterval: DASHBOARD_POLL_MS,
  });
  const d = dashboard.data;
  const isProvider = me?.role === "provider-admin";

  return (
    <section className="ops-page">
      <div className="page-head">
        <h1>Dashboard</h1>
        {d && (
          <p className="muted" aria-live="off">
            Updated <time dateTime={d.generated_at}>{new Date(d.generated_at).toLocaleTimeString()}</time>
          </p>
        )}
      </div>
      {dashboard.isPending && <p className="loading">Loading the dashboard…</p>}
      <ErrorMessage error={dashboard.error} />
      {d && (
        <>
          <Summary d={d} />
          {isProvider && <HostsDown d={d} />}
          {isProvider && <Sites d={d} />}
          {isProvider && <Hosts d={d} />}
        </>
      )}
    </section>
  );
}

function Summary({ d }: { d: Dashboard }) {
  const since = new Date(d.revenue_this_month.since).toLocaleDateString(undefined, {
    month: "long",
    year: "numeric",
  });
  return (
    <div className="ops-tiles">
      <div className="card ops-tile">
        <h2>Invoiced in {since}</h2>
        {d.revenue_this_month.by_currency.length === 0 ? (
          <>
            <p className="ops-big">None yet</p>
            <p className="hint">No invoices issued yet this month; a month is invoiced after it closes.</p>
          </>
        ) : (
          d.revenue_this_month.by_currency.map((r) => (
            <div key={r.currency}>
              <p className="ops-big">{money(r.invoiced_minor, r.currency)}</p>
              <p className="hint">
                {r.invoices} invoice{r.invoices === 1 ? "" : "s"}, {money(r.paid_minor, r.currency)} paid
                {r.credited_minor > 0 ? `, ${money(r.credited_minor, r.currency)} credited` : ""}
              </p>
            </div>
          ))
        )}
      </div>
      <div className="card ops-tile">
        <h2>Open tickets</h2>
        <p className="ops-big">
          <Link to="/tickets">{d.open_tickets}</Link>
        </p>
        <p className="hint">
          {d.open_tickets === 0 ? "Nothing waits on you." : "Waiting on your answer."}{" "}
          {d.pending_tickets > 0 && `${d.pending_tickets} waiting on the customer.`}
        </p>
      </div>
      <div className="card ops-tile">
        <h2>Servers</h2>
        <p className="ops-big">{d.servers.total}</p>
        {d.servers.by_state.length === 0 ? (
          <p className="hint">No servers yet.</p>
        ) : (
          <ul className="ops-states" aria-label="Servers by state">
            {d.servers.by_state.map((s) => (
              <li key={s.state}>
                <StatusBadge state={s.state} /> {s.count}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="card ops-tile">
        <h2>Customers</h2>
        <p className="ops-big">
          <Link to="/admin/accounts">{d.customers}</Link>
        </p>
        {d.customers === 0 && <p className="hint">Add your first customer under Customers.</p>}
      </div>
    </div>
  );
}

function HostsDown({ d }: { d: Dashboard }) {
  const siteName = (id: string) => d.sites.find((s) => s.id === id)?.name ?? id;
  if (d.hosts_down.length === 0) {
    return (
      <div className="card ops-section">
        <h2>Hosts down</h2>
        <p className="muted">{d.hosts.length === 0 ? "No hosts yet." : "Every host is up."}</p>
      </div>
    );
  }
  return (
    <div className="card ops-section ops-down" role="region" aria-labelledby="hosts-down-title">
      <h2 id="hosts-down-title">
        {d.hosts_down.length} host{d.hosts_down.length === 1 ? "" : "s"} down
      </h2>
      <ul className="ops-down-list">
        {d.hosts_down.map((h) => (
          <li key={h.id}>
            <strong>{h.name}</strong> ({siteName(h.site_id)}): {h.reason}
            {h.last_heartbeat_at && `; last heard ${ago(h.last_heartbeat_at)}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Sites({ d }: { d: Dashboard }) {
  return (
    <div className="ops-section">
      <h2>Sites</h2>
      {d.sites.length === 0 ? (
        <div className="empty card">
          <p>No sites yet. Create a site, then add hosts to it.</p>
          <Link to="/admin/sites" className="button primary">
            Create a site
          </Link>
        </div>
      ) : (
        <div className="ops-sites">
          {d.sites.map((s) => (
            <SiteTile key={s.id} site={s} />
          ))}
        </div>
      )}
    </div>
  );
}

function SiteTile({ site: s }: { site: DashboardSite }) {
  const c = s.capacity;
  return (
    <article className="card ops-site" aria-labelledby={`site-${s.id}`}>
      <div className="ops-site-head">
        <h3 id={`site-${s.id}`}>{s.name}</h3>
        <span className="muted">
          {s.region_code ? `${s.region_code}, ` : ""}
          {s.country_code}
        </span>
      </div>
      <p className="ops-power">
        <span className="sr-only">Power now: </span>
        <PowerNow watts={s.power_w} estimated={s.power_estimated} testId={`site-power-${s.id}`} />
      </p>
      <p className="hint">
        {s.hosts.up} of {s.hosts.total} host{s.hosts.total === 1 ? "" : "s"} up
        {s.hosts.down > 0 && <span className="error"> · {s.hosts.down} down</span>} · {s.server_count} server
        {s.server_count === 1 ? "" : "s"}
        {s.price_per_mwh_minor !== null && s.price_currency && (
          <> · {perKwh(s.price_per_mwh_minor, s.price_currency)}</>
        )}
        {s.carbon_g_per_kwh !== null && <> · {Math.round(s.carbon_g_per_kwh)} gCO₂e/kWh</>}
      </p>
      {s.hosts.total === 0 ? (
        <p className="muted">
          No hosts here yet. <Link to="/admin/hosts">Add a host</Link>.
        </p>
      ) : (
        <>
          <CapacityBar label="CPU" used={c.used_vcpus} total={c.cpu_cores} format={cores} />
          <CapacityBar label="Memory" used={c.used_memory_mib} total={c.memory_mib} format={memory} />
          <CapacityBar label="Disk" used={c.used_disk_gib} total={c.disk_gib} format={disk} />
        </>
      )}
    </article>
  );
}

function Hosts({ d }: { d: Dashboard }) {
  const siteName = (id: string) => d.sites.find((s) => s.id === id)?.name ?? id;
  return (
    <div className="ops-section">
      <h2>Hosts</h2>
      {d.hosts.length === 0 ? (
        <div className="empty card">
          <p>No hosts yet. Add a host, then run the join command it gives you on that machine.</p>
          <Link to="/admin/hosts" className="button primary">
            Add a host
          </Link>
        </div>
      ) : (
        <div className="ops-hosts">
          {d.hosts.map((h) => (
            <HostTile key={h.id} host={h} site={siteName(h.site_id)} />
          ))}
        </div>
      )}
    </div>
  );
}

function HostTile({ host: h, site }: { host: DashboardHost; site: string }) {
  return (
    <article className="card ops-host" aria-labelledby={`host-${h.id}`}>
      <div className="ops-site-head">
        <h3 id={`host-${h.id}`}>{h.name}</h3>
        <StatusBadge state={h.state} />
      </div>
      <p className="hint">
        {site} · {h.server_count} server{h.server_count === 1 ? "" : "s"}
        {h.accelerator ? ` · ${h.accelerator.toUpperCase()}` : ""}
      </p>
      <p className="ops-power">
        <span className="sr-only">Power now: </span>
        <PowerNow watts={h.power_w} estimated={h.power_estimated} testId={`host-power-${h.id}`} />
      </p>
      {h.power_w === null && h.last_sample_at && <p className="hint">Last sample {ago(h.last_sample_at)}</p>}
      <CapacityBar label="CPU" used={h.used_vcpus} total={h.cpu_cores} format={cores} />
      <CapacityBar label="Memory" used={h.used_memory_mib} total={h.memory_mib} format={memory} />
    </article>
  );
}
