import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, api, newIdempotencyKey, fieldError, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { PowerNow } from "./ops/Bar";
import "./ops/ops.css";
import { ago, memory } from "../../format";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { StatusBadge } from "../../components/Badge";
import { ConfirmButton } from "../../components/ConfirmDialog";
import { copyText } from "../../components/clipboard";
import { DASHBOARD_KEY, DASHBOARD_POLL_MS } from "./ops/dashboard";
import type { Host } from "./ops/dashboard";

const HOSTS_KEY = ["hosts"] as const;

export function HostsPage() {
  const queryClient = useQueryClient();
  const hosts = useQuery({
    queryKey: HOSTS_KEY,
    queryFn: async () => unwrap(await api.GET("/hosts", { params: { query: { limit: 100 } } })).items,
    refetchInterval: DASHBOARD_POLL_MS,
  });
  // Power now comes with the dashboard summary (one call for all hosts).
  const dashboard = useQuery({
    queryKey: DASHBOARD_KEY,
    queryFn: async () => unwrap(await api.GET("/dashboard")),
    refetchInterval: DASHBOARD_POLL_MS,
  });
  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: async () => unwrap(await api.GET("/sites", { params: { query: { limit: 100 } } })).items,
  });
  const siteName = (id: string) => sites.data?.find((s) => s.id === id)?.name ?? id;
  const [removeError, setRemoveError] = useState<string | null>(null);

  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/hosts/{id}", { params: { path: { id } } })),
    onMutate: () => setRemoveError(null),
    onError: (err) => setRemoveError(err.message),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: HOSTS_KEY });
      await queryClient.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });

  return (
    <section className="ops-page">
      <div className="page-head">
        <h1>Hosts</h1>
      </div>
      <AddHost sites={sites.data ?? []} sitesError={sites.error?.message} />
      <h2>Your hosts</h2>
      {hosts.isPending && <p className="loading">Loading hosts…</p>}
      <ErrorMessage error={hosts.error} />
      <ErrorMessage error={removeError} />
      {hosts.data && hosts.data.length === 0 && (
        <div className="empty card">
          <h2>No hosts yet</h2>
          <p>
            Add a host above, then run the join command it shows on that machine, as root. The host appears
            here as up once its agent connects.
          </p>
        </div>
      )}
      {hosts.data && hosts.data.length > 0 && (
        <div className="table-wrap">
          <table className="ops-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Site</th>
                <th scope="col">State</th>
                <th scope="col">Accelerator</th>
                <th scope="col">vCPU used</th>
                <th scope="col">Memory used</th>
                <th scope="col">Power now</th>
                <th scope="col" className="num">
                  Servers
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hosts.data.map((h) => {
                const live = dashboard.data?.hosts.find((x) => x.id === h.id);
                return (
                  <tr key={h.id}>
                    <td>
                      <strong>{h.name}</strong>
                      {h.hostname && h.hostname !== h.name && <div className="muted mono">{h.hostname}</div>}
                    </td>
                    <td>{siteName(h.site_id)}</td>
                    <td>
                      <StatusBadge state={h.state} />
                      {h.state !== "up" && (
                        <div className="hint">
                          {h.state === "pending" ? "never connected" : `heard ${ago(h.last_heartbeat_at)}`}
                        </div>
                      )}
                    </td>
                    <td>{h.accelerator ? h.accelerator.toUpperCase() : "—"}</td>
                    <td>
                      {h.used_vcpus} / {h.cpu_cores}
                    </td>
                    <td>
                      {memory(h.used_memory_mib)} / {memory(h.memory_mib)}
                    </td>
                    <td>
                      {live ? (
                        <PowerNow
                          watts={live.power_w}
                          estimated={live.power_estimated}
                          testId={`host-power-${h.id}`}
                        />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td className="num">{h.server_count}</td>
                    <td>
                      <ConfirmButton
                        label="Remove"
                        ariaLabel={`Remove ${h.name}`}
                        title={`Remove ${h.name}?`}
                        confirmLabel="Remove host"
                        disabled={remove.isPending}
                        onConfirm={() => remove.mutate(h.id)}
                      >
                        {h.server_count > 0 ? (
                          <p>
                            It still carries {h.server_count} server{h.server_count === 1 ? "" : "s"}: the
                            controller refuses to remove it until they are deleted.
                          </p>
                        ) : (
                          <p>
                            Its agent&rsquo;s credential stops working at once. To bring the machine back, add
                            it again.
                          </p>
                        )}
                      </ConfirmButton>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AddHost(props: { sites: { id: string; name: string }[]; sitesError: string | undefined }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [siteId, setSiteId] = useState("");
  const [joined, setJoined] = useState<{ host: Host; command: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const commandBox = useRef<HTMLPreElement>(null);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());

  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/hosts", {
          body: { name, site_id: siteId },
          headers: { "idempotency-key": idempotencyKey },
        }),
      ),
    onError: (err) => {
      if (err instanceof ApiError) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: (result) => {
      setJoined({
        host: result.host,
        command: `layerboom agent --join ${result.join_token} ${window.location.origin}`,
      });
      setCopied(false);
      setName("");
      setIdempotencyKey(newIdempotencyKey());
      void queryClient.invalidateQueries({ queryKey: HOSTS_KEY });
      void queryClient.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  async function copy(text: string) {
    setCopied(await copyText(text, commandBox.current));
  }

  const error = add.error;
  const general = otherError(error, ["name", "site_id"]);

  return (
    <div className="stack ops-section">
      {joined && (
        <div className="card ops-join stack" role="status">
          <h2>Join {joined.host.name}</h2>
          <p>
            Run this on the host, as root. The token works once and expires in 24 hours; it is shown only now.
          </p>
          <pre ref={commandBox} className="mono" aria-label="Join command">
            {joined.command}
          </pre>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void copy(joined.command)}>
              {copied ? "Copied" : "Copy command"}
            </button>
            <button type="button" onClick={() => setJoined(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <form onSubmit={submit} noValidate className="card stack" aria-labelledby="add-host-title">
        <h2 id="add-host-title">Add a host</h2>
        <ErrorMessage error={props.sitesError} />
        {props.sites.length === 0 && !props.sitesError && (
          <p className="hint">
            A host belongs to a site. <Link to="/admin/sites">Create a site</Link> first.
          </p>
        )}
        <div className="ops-form-row">
          <Field
            label="Name"
            hint="How the host is called here, e.g. rack1-node3."
            error={fieldError(error, "name")}
          >
            {(p) => (
              <input
                {...p}
                name="name"
                autoComplete="off"
                spellCheck={false}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field label="Site" error={fieldError(error, "site_id")}>
            {(p) => (
              <select {...p} name="site_id" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
                <option value="">Choose a site…</option>
                {props.sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <ErrorMessage error={general} />
        <div className="actions">
          <button type="submit" className="primary" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add host"}
          </button>
        </div>
      </form>
    </div>
  );
}
