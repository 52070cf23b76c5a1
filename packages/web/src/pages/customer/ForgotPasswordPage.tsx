import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { AuthShell } from "./auth/shared";
import { errorFor, otherError } from "../../components/errors";
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
        <Field
          label="Email"
          error={errorFor(error, "email", "Enter your email address, like name@example.com.")}
        >
          {(props) => (
            <input
              {...props}
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoFocus
            />
          )}
        </Field>
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
