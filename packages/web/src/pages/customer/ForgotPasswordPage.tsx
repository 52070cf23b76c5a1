import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import { EmailField } from "./auth/fields";
import { AuthShell } from "./auth/shared";
import { otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";

/** Asks for a reset link by mail. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const reset = useMutation({
    mutationFn: async () => unwrap(await api.POST("/password-reset", { body: { email: email.trim() } })),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate();
  }

  if (reset.isSuccess) {
    return (
      <AuthShell title="Check your inbox">
        <div className="card stack auth-done" role="status">
          <p>{reset.data.message}</p>
          <p className="muted">The link is valid for 1 hour. Nothing there? Look in your spam folder.</p>
        </div>
        <p className="auth-links">
          <Link to="/login">Back to log in</Link>
        </p>
      </AuthShell>
    );
  }

  const error = reset.error;
  const general = otherError(error, ["email"]);
  return (
    <AuthShell title="Forgot your password?">
      <form onSubmit={submit} noValidate className="card stack auth-form">
        <p className="hint">
          Enter the address you log in with, and we mail you a link to choose a new password.
        </p>
        <EmailField value={email} onChange={setEmail} error={error} autoComplete="username" autoFocus />
        <ErrorMessage error={general} />
        <button type="submit" className="primary" disabled={reset.isPending}>
          {reset.isPending ? "Sending…" : "Send reset link"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/login">Back to log in</Link>
      </p>
    </AuthShell>
  );
}
