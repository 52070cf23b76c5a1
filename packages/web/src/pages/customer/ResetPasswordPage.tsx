import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, api, rememberCsrfToken, unwrap } from "../../api";
import { ME_KEY } from "../../session";
import { NewPasswordField } from "./auth/fields";
import { AuthShell, queryParam } from "./auth/shared";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";

/** The page the reset mail links to (/reset-password?token=…): sets a new password. */
export function ResetPasswordPage() {
  const token = useRef(queryParam("token")).current;
  const [password, setPassword] = useState("");
  const queryClient = useQueryClient();

  const reset = useMutation({
    mutationFn: async () => unwrap(await api.POST("/password-reset/confirm", { body: { token, password } })),
    onSuccess: () => {
      // Every session of the user was closed: this tab's, if it had one, is gone too.
      rememberCsrfToken(null);
      queryClient.removeQueries({ queryKey: ME_KEY });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate();
  }

  if (reset.isSuccess) {
    return (
      <AuthShell title="Your password is changed">
        <div className="card stack auth-done" role="status">
          <p>{reset.data.message}</p>
          <p className="muted">For your safety, every session and API token of yours was logged out.</p>
          <Link to="/login" className="button primary">
            Log in
          </Link>
        </div>
      </AuthShell>
    );
  }

  const error = reset.error;
  const tokenError = error instanceof ApiError && error.field === "token" ? error.message : undefined;
  const general = tokenError ? undefined : otherError(error, ["password"]);

  if (!token) {
    return (
      <AuthShell title="This link is incomplete">
        <div className="card stack auth-done">
          <p role="alert" className="error">
            The reset link has no token. Copy the whole link from the mail into the address bar, or ask for a
            new one.
          </p>
          <Link to="/forgot-password" className="button primary">
            Ask for a new link
          </Link>
        </div>
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Choose a new password">
      <form onSubmit={submit} noValidate className="card stack auth-form">
        <NewPasswordField
          label="New password"
          name="password"
          value={password}
          onChange={setPassword}
          error={error}
          required
          autoFocus
        />
        {tokenError && (
          <div role="alert" className="error">
            <p>{tokenError}</p>
            <p>
              <Link to="/forgot-password">Ask for a new link</Link>
            </p>
          </div>
        )}
        <ErrorMessage error={general} />
        <button type="submit" className="primary" disabled={reset.isPending || Boolean(tokenError)}>
          {reset.isPending ? "Saving…" : "Set new password"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthShell>
  );
}
