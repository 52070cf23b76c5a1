import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { ApiError, api, fieldError, rememberCsrfToken, unwrap } from "../api";
import { useBrand } from "../brand";
import { Field } from "../components/Field";
import { ME_KEY } from "../session";
import { AuthShell, withBrand } from "./customer/auth/shared";
import { EmailField } from "./customer/auth/fields";

export function LoginPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const brand = useBrand();
  const from = (location.state as { from?: string } | null)?.from ?? "/servers";

  const login = useMutation({
    mutationFn: async () => unwrap(await api.POST("/auth/session", { body: { email, password } })),
    onSuccess: async (session) => {
      rememberCsrfToken(session.csrf_token);
      // Dropped rather than invalidated: the next page must wait for /me, not see the cached "logged out".
      queryClient.removeQueries({ queryKey: ME_KEY });
      await navigate(from, { replace: true });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate();
  }

  const error = login.error;
  // A wrong password is about the pair, so it is shown beside the password.
  const passwordError =
    fieldError(error, "password") ??
    (error instanceof ApiError && !error.field ? error.message : undefined) ??
    (error && !(error instanceof ApiError) ? error.message : undefined);

  return (
    <AuthShell title={withBrand("Log in to", brand.name)}>
      <form onSubmit={submit} noValidate className="card stack">
        <EmailField value={email} onChange={setEmail} error={error} autoComplete="username" autoFocus />
        <Field label="Password" error={passwordError}>
          {(props) => (
            <input
              {...props}
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="auth-links">
        <Link to="/signup">Create an account</Link>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
    </AuthShell>
  );
}
