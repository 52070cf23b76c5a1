import { useMutation, useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, api, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { NewPasswordField } from "./auth/fields";
import { AuthShell, ROLE_LABELS, queryParam } from "./auth/shared";
import { errorFor, otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";

/**
 * The page the invitation mail links to (/accept-invitation?token=…): shows what the link is
 * for, then creates the user with the password its owner chooses.
 */
export function AcceptInvitationPage() {
  const token = useRef(queryParam("token")).current;
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");

  const preview = useQuery({
    queryKey: ["invitation-preview", token],
    enabled: Boolean(token),
    queryFn: async () => unwrap(await api.POST("/invitations/preview", { body: { token } })),
    // The link is spent once accepted: asking again would only turn the page into an error.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  const accept = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/invitations/accept", {
          body: { token, password, ...(name.trim() ? { name: name.trim() } : {}) },
        }),
      ),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    accept.mutate();
  }

  if (!token) {
    return (
      <AuthShell title="This link is incomplete">
        <div className="card stack auth-done">
          <p role="alert" className="error">
            The invitation link has no token. Copy the whole link from the mail into the address bar, or ask
            whoever invited you to send it again.
          </p>
        </div>
        <p className="auth-links">
          <Link to="/login">Log in</Link>
        </p>
      </AuthShell>
    );
  }

  const invitation = preview.data;

  if (accept.isSuccess) {
    return (
      <AuthShell title={invitation ? `You joined ${invitation.account_name}` : "You joined the account"}>
        <div className="card stack auth-done" role="status">
          <p>
            Log in as <strong>{accept.data.email}</strong> with the password you just chose.
          </p>
          <Link to="/login" className="button primary">
            Log in
          </Link>
        </div>
      </AuthShell>
    );
  }

  if (preview.isError) {
    return (
      <AuthShell title="This invitation cannot be used">
        <div className="card stack auth-done">
          <p role="alert" className="error">
            {preview.error.message}
          </p>
        </div>
        <p className="auth-links">
          <Link to="/login">Log in</Link>
        </p>
      </AuthShell>
    );
  }

  if (!invitation) {
    return (
      <AuthShell title="Opening your invitation…">
        <p className="loading" role="status">
          Checking the link…
        </p>
      </AuthShell>
    );
  }

  const error = accept.error;
  // The link stopped working meanwhile (withdrawn, expired, used in another tab): no retry helps.
  const tokenError = error instanceof ApiError && error.field === "token" ? error.message : undefined;
  const general = tokenError ? undefined : otherError(error, ["password", "name"]);

  return (
    <AuthShell
      title={`Join ${invitation.account_name} on ${invitation.brand_name} as ${ROLE_LABELS[invitation.role].toLowerCase()}`}
    >
      <form onSubmit={submit} noValidate className="card stack auth-form">
        <p>
          You will log in as <strong>{invitation.email}</strong>.
        </p>
        <Field
          label="Your name"
          hint="Optional."
          error={errorFor(error, "name", "Enter at most 100 characters.")}
        >
          {(props) => (
            <input
              {...props}
              name="name"
              autoComplete="name"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <NewPasswordField
          label="Choose a password"
          name="password"
          value={password}
          onChange={setPassword}
          error={error}
          required
          autoFocus
        />
        {tokenError && (
          <p role="alert" className="error">
            {tokenError}
          </p>
        )}
        <ErrorMessage error={general} />
        <button type="submit" className="primary" disabled={accept.isPending || Boolean(tokenError)}>
          {accept.isPending ? "Joining…" : `Join ${invitation.account_name}`}
        </button>
      </form>
      <p className="auth-links">
        <span className="muted">
          This link works until {new Date(invitation.expires_at).toLocaleString()}.
        </span>
        <Link to="/login">Log in instead</Link>
      </p>
    </AuthShell>
  );
}
