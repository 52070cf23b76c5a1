import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import { AuthShell, queryParam } from "./auth/shared";

/** The page the signup mail links to (/verify-email?token=…): confirms the address once, on load. */
export function VerifyEmailPage() {
  const token = useRef(queryParam("token")).current;
  const sent = useRef(false);

  const verify = useMutation({
    mutationFn: async () => unwrap(await api.POST("/signup/verify", { body: { token } })),
  });
  const { mutate } = verify;

  useEffect(() => {
    // A token works once: the ref keeps React's second effect run (StrictMode) from spending it twice.
    if (sent.current || !token) return;
    sent.current = true;
    mutate();
  }, [mutate, token]);

  if (!token) {
    return (
      <AuthShell title="This link is incomplete">
        <div className="card stack auth-done">
          <p role="alert" className="error">
            The confirmation link has no token. Copy the whole link from the mail into the address bar.
          </p>
        </div>
        <p className="auth-links">
          <Link to="/signup">Sign up again</Link>
          <Link to="/login">Log in</Link>
        </p>
      </AuthShell>
    );
  }

  if (verify.isSuccess) {
    return (
      <AuthShell title="Your email is confirmed">
        <div className="card stack auth-done" role="status">
          <p>{verify.data.message}</p>
          <Link to="/login" className="button primary">
            Log in
          </Link>
        </div>
      </AuthShell>
    );
  }

  if (verify.isError) {
    return (
      <AuthShell title="We could not confirm your email">
        <div className="card stack auth-done">
          <p role="alert" className="error">
            {verify.error.message}
          </p>
          <p className="muted">If you confirmed your address already, you can just log in.</p>
          <Link to="/signup" className="button primary">
            Sign up again
          </Link>
        </div>
        <p className="auth-links">
          <Link to="/login">Log in</Link>
        </p>
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Confirming your email…">
      <p className="loading" role="status">
        Confirming your address…
      </p>
    </AuthShell>
  );
}
