import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, lazy, useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, unwrap } from "../api";
import { ServerLoadError } from "../components/ServerLoadError";
import type { Server } from "../api";
import { StatusBadge } from "../components/Field";
import { POLL_MS, copyText, sshCommand } from "../servers";
import { Backups } from "./server/Backups";
import { CaptureImage } from "./server/CaptureImage";
import { PublicAddresses, TransferThisMonth, publicAddresses } from "./server/Networking";
import { MonthCost, UsageCharts } from "./server/Usage";

// xterm.js is most of the portal's weight; only a server page with a live console loads it.
const SerialConsole = lazy(() => import("../console/SerialConsole"));

type Action = "start" | "stop" | "reboot";

export function ServerPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const server = useQuery({
    queryKey: ["servers", id],
    queryFn: async () => unwrap(await api.GET("/servers/{id}", { params: { path: { id } } })),
    refetchInterval: POLL_MS,
  });

  const power = useMutation({
    mutationFn: async (action: Action) => {
      const params = { params: { path: { id } } };
      switch (action) {
        case "start":
          return unwrap(await api.POST("/servers/{id}/start", params));
        case "stop":
          return unwrap(await api.POST("/servers/{id}/stop", params));
        case "reboot":
          return unwrap(await api.POST("/servers/{id}/reboot", params));
      }
    },
    onSuccess: (updated) => queryClient.setQueryData(["servers", id], updated),
  });
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/servers/{id}", { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["servers"] });
      await navigate("/servers");
    },
  });

  if (server.isPending) return <p className="loading">Loading server…</p>;
  if (server.isError) return <ServerLoadError error={server.error} />;

  const s = server.data;
  const busy = power.isPending || remove.isPending;
  const deleting = s.desired_state === "deleted";
  // A stopped server keeps its console: it shows the drop, and the next boot once started again.
  const consoleOpen = s.host_id !== null && !deleting;
  const actionError = power.error ?? remove.error;

  return (
    <section>
      <p className="crumbs">
        <Link to="/servers">Servers</Link> / {s.name}
      </p>
      <div className="page-head">
        <h1>{s.name}</h1>
        <StatusBadge state={s.observed_state} />
      </div>

      <div className="actions" role="group" aria-label="Power">
        <button
          type="button"
          onClick={() => power.mutate("start")}
          disabled={busy || deleting || s.desired_state === "running"}
        >
          Start
        </button>
        <button
          type="button"
          onClick={() => power.mutate("stop")}
          disabled={busy || deleting || s.desired_state === "stopped"}
        >
          Stop
        </button>
        <button
          type="button"
          onClick={() => power.mutate("reboot")}
          disabled={busy || deleting || s.observed_state !== "running"}
        >
          Reboot
        </button>
        <DeleteButton name={s.name} disabled={busy || deleting} onConfirm={() => remove.mutate()} />
      </div>
      {actionError && (
        <p role="alert" className="error">
          {actionError.message}
        </p>
      )}

      <div className="grid">
        <Details server={s} />
        <div className="card">
          <h2>SSH</h2>
          <SshCommand server={s} />
        </div>
        <MonthCost server={s} />
      </div>

      <div className="card console-card">
        <h2 id="console-heading">Console</h2>
        {consoleOpen ? (
          <Suspense fallback={<p className="loading">Loading the console…</p>}>
            <SerialConsole serverId={s.id} labelledBy="console-heading" />
          </Suspense>
        ) : (
          <p className="muted">
            {deleting
              ? "The server is being deleted."
              : "The console opens once a host has taken the server."}
          </p>
        )}
      </div>

      {/* Below the console: xterm.js draws nothing while it is out of view, so it stays near the top. */}
      <PublicAddresses server={s} />
      <TransferThisMonth server={s} />
      <Backups server={s} />
      <CaptureImage server={s} />
      <UsageCharts server={s} />
    </section>
  );
}

function Details({ server: s }: { server: Server }) {
  return (
    <div className="card">
      <h2>Details</h2>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          {s.observed_state}
          {s.desired_state !== s.observed_state && (
            <span className="muted"> (becoming {s.desired_state})</span>
          )}
        </dd>
        {s.observed_error && (
          <>
            <dt>Last error</dt>
            <dd className="error-text">{s.observed_error}</dd>
          </>
        )}
        <dt>Addresses</dt>
        <dd>
          {s.addresses.length === 0 ? (
            <span className="muted">None yet</span>
          ) : (
            <ul className="plain">
              {[...publicAddresses(s), ...s.addresses.filter((a) => a.kind !== "ipv4")].map((a) => (
                <li key={`${a.kind}-${a.address}-${a.port ?? ""}`} className="mono">
                  {a.address}
                  {a.port ? `:${a.port}` : ""}{" "}
                  <span className="muted">
                    (
                    {a.kind === "ipv4"
                      ? `public IPv4, ${a.role === "primary" ? "primary" : "extra"}`
                      : a.kind}
                    )
                  </span>
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

function SshCommand({ server }: { server: Server }) {
  const command = sshCommand(server);
  const code = useRef<HTMLElement>(null);
  const [note, setNote] = useState<"copied" | "failed" | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  if (!command) return <p className="muted">The SSH command appears once the server has an address.</p>;

  async function copy(text: string) {
    const ok = await copyText(text, code.current);
    setNote(ok ? "copied" : "failed");
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setNote(null), ok ? 2_000 : 6_000);
  }

  return (
    <div className="copy">
      <code aria-label="SSH command" ref={code}>
        {command}
      </code>
      <button type="button" onClick={() => void copy(command)}>
        Copy
      </button>
      <span className="ssh-copied" role="status">
        {note === "copied" ? "Copied" : note === "failed" ? "Selected: press Ctrl+C to copy" : ""}
      </span>
    </div>
  );
}

function DeleteButton(props: { name: string; disabled: boolean; onConfirm: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        onClick={() => dialog.current?.showModal()}
      >
        Delete
      </button>
      <dialog ref={dialog} aria-labelledby="delete-title" className="card">
        <form
          method="dialog"
          onSubmit={(e) => {
            if (e.nativeEvent.submitter?.getAttribute("value") === "delete") props.onConfirm();
          }}
        >
          <h2 id="delete-title">Delete {props.name}?</h2>
          <p>The server is stopped and its disk is erased. This cannot be undone.</p>
          <div className="actions">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button type="submit" value="delete" className="danger">
              Delete server
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
