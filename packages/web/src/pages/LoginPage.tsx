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

/** What the password step answered: a session at once, or a login token waiting for the code. */
type PasswordStep = { kind: "session"; csrf_token: string } | { kind: "code"; login_token: string };

export function LoginPage() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [loginToken, setLoginToken] = useState<string | null>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const brand = useBrand();
  const from = (location.state as { from?: string } | null)?.from ?? "/servers";

  async function loggedIn(csrf: string) {
    rememberCsrfToken(csrf);
    // Dropped rather than invalidated: the next page must wait for /me, not see the cached "logged out".
    queryClient.removeQueries({ queryKey: ME_KEY });
    await navigate(from, { replace: true });
  }

  const login = useMutation({
    mutationFn: async (): Promise<PasswordStep> => {
      const answer = unwrap(await api.POST("/auth/session", { body: { email, password } }));
      // 202: the password was right, and the account has two-factor login on.
      return "login_token" in answer
        ? { kind: "code", login_token: answer.login_token }
        : { kind: "session", csrf_token: answer.csrf_token };
    },
    onSuccess: async (step) => {
      if (step.kind === "code") setLoginToken(step.login_token);
      else await loggedIn(step.csrf_token);
    },
  });

  if (loginToken) {
    return (
      <CodeStep
        loginToken={loginToken}
        onDone={loggedIn}
        onRestart={() => {
          setLoginToken(null);
          setPassword("");
          login.reset();
        }}
      />
    );
  }

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

/** The second step: the code from the authenticator app, or a recovery code. */
function CodeStep(props: {
  loginToken: string;
  onDone: (csrf: string) => Promise<void>;
  onRestart: () => void;
}) {
  const [code, setCode] = useState("");
  const brand = useBrand();
  const verify = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/auth/session/two-factor", {
          body: { login_token: props.loginToken, code: code.trim() },
        }),
      ),
    onSuccess: (session) => props.onDone(session.csrf_token),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    verify.mutate();
  }

  const error = verify.error;
  // A spent or expired login token means starting again with the password.
  const expired = fieldError(error, "login_token");
  const codeError =
    fieldError(error, "code") ?? (error instanceof ApiError && !error.field ? error.message : undefined);
  return (
    <AuthShell title={withBrand("Log in to", brand.name)}>
      <form onSubmit={submit} noValidate className="card stack">
        <p>Open your authenticator app and enter the 6-digit code it shows for this account.</p>
        <Field
          label="Authentication code"
          hint="Lost your phone? Enter one of your recovery codes instead."
          error={codeError}
        >
          {(control) => (
            <input
              {...control}
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              autoFocus
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        {expired && (
          <p role="alert" className="error">
            {expired}
          </p>
        )}
        <button type="submit" className="primary" disabled={verify.isPending || code.trim() === ""}>
          {verify.isPending ? "Checking…" : "Verify"}
        </button>
      </form>
      <p className="auth-links">
        <button type="button" className="link" onClick={props.onRestart}>
          Start again with your password
        </button>
      </p>
    </AuthShell>
  );
}
