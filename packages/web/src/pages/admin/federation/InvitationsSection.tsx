import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import { Badge } from "../../../components/Badge";
import { CopyBox } from "../../../components/CopyBox";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { errorFor, otherError } from "../../../components/errors";
import { when } from "../../../format";
import { allPages, cursorParam } from "../../../components/paging";
import { PEERS_KEY } from "./PeersSection";

const INVITATIONS_KEY = ["federation", "invitations"] as const;

/** One-time invitations issued here, and the form that redeems a partner's. */
export function InvitationsSection() {
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: INVITATIONS_KEY,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET("/federation/invitations", {
            params: { query: { limit: 100, ...cursorParam(cursor) } },
          }),
        ),
      ),
  });
  const [note, setNote] = useState("");
  const issue = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/federation/invitations", { body: { note: note.trim() } })),
    onSuccess: async () => {
      setNote("");
      await queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    issue.mutate();
  }
  return (
    <>
      <h2>Invitations</h2>
      <form className="card" onSubmit={submit} noValidate aria-label="Invite a partner">
        <Field
          label="Note"
          hint="For your own records: who the invitation is for. The partner never sees it."
          error={errorFor(issue.error, "note")}
        >
          {(c) => <input {...c} value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} />}
        </Field>
        <ErrorMessage error={otherError(issue.error, ["note"])} />
        <button type="submit" className="primary" disabled={issue.isPending}>
          Issue an invitation
        </button>
        {issue.data && (
          <div role="status">
            <p>
              Send this token to the partner by a channel you trust. It works once, until{" "}
              {when(issue.data.expires_at)}, and is not shown again.
            </p>
            <CopyBox value={issue.data.token} label="The invitation token" />
          </div>
        )}
      </form>
      <ErrorMessage error={invitations.error} />
      {invitations.data && invitations.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Note</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.map((i) => (
                <tr key={i.id}>
                  <td>{i.note || <span className="muted">—</span>}</td>
                  <td>{when(i.created_at)}</td>
                  <td>{when(i.expires_at)}</td>
                  <td>
                    <Badge state={i.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <JoinForm />
    </>
  );
}

/** Redeems a partner's invitation: both installations then list each other as pending peers. */
function JoinForm() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const join = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/federation/join", { body: { url: url.trim(), token: token.trim() } })),
    onSuccess: async () => {
      setToken("");
      await queryClient.invalidateQueries({ queryKey: PEERS_KEY });
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    join.mutate();
  }
  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Join a partner">
      <h3>Join a partner</h3>
      <Field
        label="Partner's URL"
        hint="The base URL of their controller."
        error={errorFor(join.error, "url")}
      >
        {(c) => <input {...c} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required />}
      </Field>
      <Field label="Invitation token" error={errorFor(join.error, "token")}>
        {(c) => (
          <input
            {...c}
            className="mono"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            required
          />
        )}
      </Field>
      <ErrorMessage error={otherError(join.error, ["url", "token"])} />
      <button type="submit" className="primary" disabled={join.isPending || !url.trim() || !token.trim()}>
        Join
      </button>
      {join.data && (
        <p role="status">
          Joined {join.data.name}: it is listed above as pending. Compare fingerprints with its admin, then
          approve it.
        </p>
      )}
    </form>
  );
}
