import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import type { FederationPeer } from "../../../api";
import { Badge } from "../../../components/Badge";
import { ConfirmButton } from "../../../components/ConfirmDialog";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { errorFor, otherError } from "../../../components/errors";
import { ago } from "../../../format";
import { allPages, cursorParam } from "../../../components/paging";
import "./federation.css";
import { OFFERS_KEY } from "./OffersReceivedSection";

export const PEERS_KEY = ["federation", "peers"] as const;

/** The peers, their states and fingerprints; approve, suspend and revoke. */
export function PeersSection() {
  const queryClient = useQueryClient();
  const peers = useQuery({
    queryKey: PEERS_KEY,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET("/federation/peers", { params: { query: { limit: 100, ...cursorParam(cursor) } } }),
        ),
      ),
  });
  const [approving, setApproving] = useState<FederationPeer | null>(null);
  const pull = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST("/federation/peers/{id}/offer/pull", { params: { path: { id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: OFFERS_KEY }),
  });
  const change = useMutation({
    mutationFn: async ({ id, to }: { id: string; to: "suspend" | "revoke" }) =>
      unwrap(
        to === "suspend"
          ? await api.POST("/federation/peers/{id}/suspend", { params: { path: { id } } })
          : await api.POST("/federation/peers/{id}/revoke", { params: { path: { id } } }),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: PEERS_KEY }),
  });

  return (
    <>
      <h2>Peers</h2>
      {peers.isPending && <p className="loading">Loading peers…</p>}
      <ErrorMessage error={peers.error} />
      <ErrorMessage error={change.error} />
      <ErrorMessage error={pull.error} />
      {peers.data && peers.data.length === 0 && (
        <div className="empty card">
          <p>
            No peers yet. Issue an invitation below and send its token to a partner, or join a partner with
            the token they sent you.
          </p>
        </div>
      )}
      {peers.data && peers.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Key fingerprint</th>
                <th scope="col">Jurisdictions</th>
                <th scope="col">State</th>
                <th scope="col">Last signed request</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {peers.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <strong>{p.name}</strong>
                    <div className="muted mono">{p.url}</div>
                  </td>
                  <td className="mono federation-fingerprint">{p.fingerprint}</td>
                  <td>{p.jurisdictions.join(", ") || "—"}</td>
                  <td>
                    <Badge state={p.state} />
                  </td>
                  <td>{p.last_seen_at ? ago(p.last_seen_at) : "never"}</td>
                  <td>
                    <div className="actions">
                      {(p.state === "pending" || p.state === "suspended") && (
                        <button
                          type="button"
                          onClick={() => setApproving(p)}
                          aria-label={`Approve ${p.name}`}
                        >
                          {p.state === "pending" ? "Approve" : "Resume"}
                        </button>
                      )}
                      {p.state === "active" && (
                        <button
                          type="button"
                          disabled={pull.isPending}
                          onClick={() => pull.mutate(p.id)}
                          aria-label={`Fetch ${p.name}'s offer`}
                        >
                          Fetch offer
                        </button>
                      )}
                      {p.state === "active" && (
                        <ConfirmButton
                          label="Suspend"
                          ariaLabel={`Suspend ${p.name}`}
                          title={`Suspend ${p.name}?`}
                          confirmLabel="Suspend"
                          disabled={change.isPending}
                          onConfirm={() => change.mutate({ id: p.id, to: "suspend" })}
                        >
                          <p>Its signed requests are refused until you approve it again.</p>
                        </ConfirmButton>
                      )}
                      {p.state !== "revoked" && (
                        <ConfirmButton
                          label="Revoke"
                          ariaLabel={`Revoke ${p.name}`}
                          title={`Revoke ${p.name} for good?`}
                          confirmLabel="Revoke"
                          disabled={change.isPending}
                          onConfirm={() => change.mutate({ id: p.id, to: "revoke" })}
                        >
                          <p>
                            It cannot be undone: peering again takes a new invitation. Servers already running
                            at the partner stay its responsibility until they are deleted.
                          </p>
                        </ConfirmButton>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {approving && <ApproveForm peer={approving} onDone={() => setApproving(null)} />}
    </>
  );
}

/** Approval asks for the fingerprint as the partner's admin read it out: a typed copy, compared by the API. */
function ApproveForm(props: { peer: FederationPeer; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [fingerprint, setFingerprint] = useState("");
  const approve = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/federation/peers/{id}/approve", {
          params: { path: { id: props.peer.id } },
          body: { fingerprint: fingerprint.trim() },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: PEERS_KEY });
      props.onDone();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    approve.mutate();
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-label={`Approve ${props.peer.name}`}>
      <h3>Approve {props.peer.name}</h3>
      <p>
        Ask {props.peer.name}&apos;s admin to read you their key fingerprint (their Federation page shows it),
        and type it here. It must match the key their requests are signed with.
      </p>
      <Field label="Their key fingerprint" error={errorFor(approve.error, "fingerprint")}>
        {(c) => (
          <input
            {...c}
            className="mono"
            value={fingerprint}
            onChange={(e) => setFingerprint(e.target.value)}
            placeholder="sha256:…"
            spellCheck={false}
            required
          />
        )}
      </Field>
      <ErrorMessage error={otherError(approve.error, ["fingerprint"])} />
      <div className="actions">
        <button type="submit" className="primary" disabled={approve.isPending || !fingerprint.trim()}>
          Approve
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
