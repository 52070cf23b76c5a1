import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { paths } from "@layerboom/client";
import { useId, useState } from "react";
import { api, unwrap } from "../../api";
import type { Server } from "../../api";
import { Badge } from "../../components/Badge";
import { ConfirmButton } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { bytes, when } from "../../format";
import { POLL_MS } from "../../servers";
import { planQuery } from "./Usage";

type Backup =
  paths["/servers/{id}/backups"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

/** Scheduled backups kept per server (docs/backups.md); older ones are deleted. */
const DAILY_BACKUPS_KEPT = 7;
/** Without anything in progress the list still refreshes now and then, for the daily backup. */
const IDLE_POLL_MS = 60_000;

function busy(b: Backup): boolean {
  return b.state === "pending" || b.state === "deleting";
}

/** When a backup was taken: once complete, when the host finished it; until then, when it was asked for. */
function takenAt(b: Backup): string {
  return b.completed_at ?? b.requested_at;
}

function backupsKey(serverId: string) {
  return ["server-backups", serverId] as const;
}

/**
 * The server's backups: the daily add-on (a percentage of the server's price), the list, and
 * "Back up now", Restore and Delete. The list is polled every 2 s while a backup is being taken
 * or deleted.
 */
export function Backups({ server }: { server: Server }) {
  const id = server.id;
  const queryClient = useQueryClient();
  const toggleId = useId();
  const [notice, setNotice] = useState("");
  const [actionError, setActionError] = useState<Error | null>(null);
  const plan = useQuery(planQuery(server.plan_id));
  const backups = useQuery({
    queryKey: backupsKey(id),
    queryFn: async () => unwrap(await api.GET("/servers/{id}/backups", { params: { path: { id } } })).items,
    refetchInterval: (query) => (query.state.data?.some(busy) ? POLL_MS : IDLE_POLL_MS),
  });

  const start = () => {
    setNotice("");
    setActionError(null);
  };
  const refreshList = () => queryClient.invalidateQueries({ queryKey: backupsKey(id) });

  const toggle = useMutation({
    mutationFn: async (enabled: boolean) =>
      unwrap(await api.PUT("/servers/{id}/backups-enabled", { params: { path: { id } }, body: { enabled } })),
    onMutate: start,
    onError: setActionError,
    onSuccess: (updated) => {
      queryClient.setQueryData(["servers", id], updated);
      setNotice(updated.backups_enabled ? "Daily backups are on." : "Daily backups are off.");
    },
  });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST("/servers/{id}/backups", { params: { path: { id } } })),
    onMutate: start,
    onError: setActionError,
    onSuccess: refreshList,
  });
  const restore = useMutation({
    mutationFn: async (backup: Backup) =>
      unwrap(
        await api.POST("/servers/{id}/restore", {
          params: { path: { id } },
          body: { backup_id: backup.id },
        }),
      ),
    onMutate: start,
    onError: setActionError,
    onSuccess: (updated, backup) => {
      queryClient.setQueryData(["servers", id], updated);
      setNotice(`Restoring the backup of ${when(takenAt(backup))}: the server restarts from it.`);
    },
  });
  const remove = useMutation({
    mutationFn: async (backup: Backup) =>
      unwrap(
        await api.DELETE("/servers/{id}/backups/{backup_id}", {
          params: { path: { id, backup_id: backup.id } },
        }),
      ),
    onMutate: start,
    onError: setActionError,
    onSuccess: async (_deleted, backup) => {
      setNotice(`Deleting the backup of ${when(takenAt(backup))}.`);
      await refreshList();
    },
  });

  const deleting = server.desired_state === "deleted";
  const list = backups.data;
  const pending = list?.some((b) => b.state === "pending") ?? false;
  const enabled = toggle.isPending ? toggle.variables : server.backups_enabled;
  const percent = plan.data?.backups_price_percent;
  const acting = create.isPending || restore.isPending || remove.isPending;

  return (
    <section className="card backups-card stack" aria-labelledby="backups-heading">
      <h2 id="backups-heading">Backups</h2>

      <div className="backups-controls">
        <div>
          <label className="check" htmlFor={toggleId}>
            <input
              id={toggleId}
              type="checkbox"
              role="switch"
              aria-describedby={`${toggleId}-hint`}
              checked={enabled}
              disabled={toggle.isPending || deleting}
              onChange={(e) => toggle.mutate(e.target.checked)}
            />
            Daily backups
          </label>
          <p id={`${toggleId}-hint`} className="hint">
            {percent !== undefined
              ? `Adds ${percent} % of the server's price while on. `
              : "A paid add-on, billed while on. "}
            Keeps the last {DAILY_BACKUPS_KEPT} daily backups.
          </p>
        </div>
        <div className="backups-now">
          <button type="button" onClick={() => create.mutate()} disabled={pending || acting || deleting}>
            Back up now
          </button>
          <span role="status" className="muted">
            {pending ? "A backup is being taken; the server keeps running." : ""}
          </span>
        </div>
      </div>

      <ErrorMessage error={actionError} />
      <p role="status" className="ok-text backups-status">
        {notice}
      </p>

      {backups.isPending && <p className="loading">Loading backups…</p>}
      <ErrorMessage error={backups.error} />
      {list && list.length === 0 && (
        <div className="empty">
          <h3>No backups yet</h3>
          <p>
            With daily backups on, the server&apos;s disk is backed up once a day and the last{" "}
            {DAILY_BACKUPS_KEPT} daily backups are kept. “Back up now” takes one at any time, even with daily
            backups off; those stay until you delete them.
          </p>
        </div>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="cards backups-table">
            <thead>
              <tr>
                <th scope="col">Taken at</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((b) => {
                const at = when(takenAt(b));
                return (
                  <tr key={b.id}>
                    <td data-label="Taken at">
                      <time dateTime={takenAt(b)} title={new Date(takenAt(b)).toLocaleString()}>
                        {at}
                      </time>
                    </td>
                    <td data-label="Kind">{b.kind === "scheduled" ? "Daily" : "Manual"}</td>
                    <td data-label="State">
                      <Badge state={b.state} />
                      {b.error && <span className="error-text backups-error"> {b.error}</span>}
                    </td>
                    <td data-label="Size" className="num">
                      {bytes(b.size_bytes)}
                    </td>
                    <td>
                      <div className="backups-actions">
                        {b.state === "available" && (
                          <ConfirmButton
                            label="Restore"
                            ariaLabel={`Restore the backup of ${at}`}
                            title="Restore this backup?"
                            confirmLabel="Restore backup"
                            disabled={acting || deleting}
                            onConfirm={() => restore.mutate(b)}
                          >
                            <p>
                              The disk of {server.name} is replaced by this backup, taken {at}. The server
                              restarts from it; anything written to the disk since then is lost.
                            </p>
                          </ConfirmButton>
                        )}
                        {(b.state === "available" || b.state === "failed") && (
                          <ConfirmButton
                            label="Delete"
                            ariaLabel={`Delete the backup of ${at}`}
                            title="Delete this backup?"
                            confirmLabel="Delete backup"
                            disabled={acting || deleting}
                            onConfirm={() => remove.mutate(b)}
                          >
                            <p>
                              The backup of {server.name} taken {at} is erased from the host. This cannot be
                              undone.
                            </p>
                          </ConfirmButton>
                        )}
                      </div>
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
