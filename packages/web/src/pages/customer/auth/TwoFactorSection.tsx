import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { useNavigate } from "react-router";
import { api, rememberCsrfToken, unwrap } from "../../../api";
import type { Me } from "../../../api";
import { CopyBox } from "../../../components/CopyBox";
import { DateTime } from "../../../components/DateTime";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { errorFor, otherError } from "../../../components/errors";
import { ME_KEY } from "../../../session";

const STATUS_KEY = ["me", "two-factor"] as const;

function useTwoFactorStatus() {
  return useQuery({
    queryKey: STATUS_KEY,
    queryFn: async () => unwrap(await api.GET("/me/two-factor")),
  });
}

/** The 6-digit code field, shared by enrolment, turning off and new recovery codes. */
function CodeField(props: { value: string; onChange: (v: string) => void; error: unknown; label?: string }) {
  return (
    <Field
      label={props.label ?? "Code from your app"}
      error={errorFor(props.error, "code", "Enter the 6-digit code your authenticator app shows.")}
    >
      {(control) => (
        <input
          {...control}
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** Recovery codes, shown once, right after they are made. */
function RecoveryCodes({ codes }: { codes: string[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <div ref={box} tabIndex={-1} className="stack" aria-labelledby="recovery-title">
      <h3 id="recovery-title">Your recovery codes</h3>
      <p>
        Each code logs you in once without your phone. Store them somewhere safe now: they are not shown
        again.
      </p>
      <ul className="mono" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <CopyBox value={codes.join(" ")} label="All recovery codes" />
    </div>
  );
}

/** Turning two-factor login on: a secret shown once, confirmed by the first code. */
function Enrol({ onEnrolled }: { onEnrolled: (recoveryCodes: string[]) => void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const start = useMutation({
    mutationFn: async () => unwrap(await api.POST("/me/two-factor/enrolment")),
  });
  const confirm = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/me/two-factor/enrolment/confirm", { body: { code: code.trim() } })),
    onSuccess: async (result) => {
      // Handed up first: the status refetch below replaces this form with the "on" view.
      onEnrolled(result.recovery_codes);
      setCode("");
      await queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });

  if (!start.data) {
    return (
      <div className="stack">
        <p>
          Two-factor login asks for a code from an authenticator app (such as FreeOTP, Aegis or Google
          Authenticator) after your password.
        </p>
        <ErrorMessage error={start.error} />
        <div>
          <button type="button" onClick={() => start.mutate()} disabled={start.isPending}>
            {start.isPending ? "Starting…" : "Set up two-factor login"}
          </button>
        </div>
      </div>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate();
  }

  return (
    <form onSubmit={submit} noValidate className="stack auth-form">
      <p>
        Add this account to your authenticator app with the key below (or paste the link), then enter the code
        it shows.
      </p>
      <CopyBox value={start.data.secret} label="Secret key" />
      <CopyBox value={start.data.otpauth_uri} label="otpauth link" />
      <p className="hint">
        Secret key:{" "}
        <span className="mono" data-testid="totp-secret">
          {start.data.secret}
        </span>
      </p>
      <CodeField value={code} onChange={setCode} error={confirm.error} />
      <ErrorMessage error={otherError(confirm.error, ["code"])} />
      <div className="auth-inline-actions">
        <button type="submit" className="primary" disabled={confirm.isPending || code.trim() === ""}>
          {confirm.isPending ? "Checking…" : "Turn on two-factor login"}
        </button>
      </div>
    </form>
  );
}

/** Two-factor login is on: see when, how many recovery codes are left, make new ones, or turn it off. */
function Enrolled(props: { enabledAt: string | null; left: number; required: boolean }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [codes, setCodes] = useState<string[] | null>(null);
  const regenerate = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/me/two-factor/recovery-codes", { body: { code: code.trim() } })),
    onSuccess: async (result) => {
      setCodes(result.recovery_codes);
      setCode("");
      await queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  const turnOff = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/me/two-factor", { body: { code: code.trim() } })),
    onSuccess: async () => {
      setCode("");
      await queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  const error = regenerate.error ?? turnOff.error;

  return (
    <div className="stack">
      <p role="status">
        Two-factor login is on
        {props.enabledAt ? (
          <>
            {" "}
            since <DateTime value={props.enabledAt} dateOnly />
          </>
        ) : null}
        . {props.left} recovery {props.left === 1 ? "code" : "codes"} left.
      </p>
      {codes && <RecoveryCodes codes={codes} />}
      <form noValidate className="stack auth-form" onSubmit={(e) => e.preventDefault()}>
        <CodeField value={code} onChange={setCode} error={error} />
        <ErrorMessage error={otherError(error, ["code"])} />
        <div className="auth-inline-actions">
          <button
            type="button"
            disabled={regenerate.isPending || code.trim() === ""}
            onClick={() => regenerate.mutate()}
          >
            New recovery codes
          </button>
          {!props.required && (
            <button
              type="button"
              disabled={turnOff.isPending || code.trim() === ""}
              onClick={() => turnOff.mutate()}
            >
              Turn off two-factor login
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

/** An account admin's switch: every user of the account must use two-factor login. */
function AccountRequirement({ me, enabled }: { me: Me; enabled: boolean }) {
  const queryClient = useQueryClient();
  const key = ["accounts", me.account_id, "two-factor"];
  const policy = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(await api.GET("/accounts/{id}/two-factor", { params: { path: { id: me.account_id } } })),
  });
  const change = useMutation({
    mutationFn: async (required: boolean) =>
      unwrap(
        await api.PUT("/accounts/{id}/two-factor", {
          params: { path: { id: me.account_id } },
          body: { required },
        }),
      ),
    onSuccess: async (data) => {
      queryClient.setQueryData(key, data);
      await queryClient.invalidateQueries({ queryKey: STATUS_KEY });
    },
  });
  const checked = change.isPending ? change.variables : (policy.data?.required ?? false);
  return (
    <div className="stack">
      <label className="check auth-check">
        <input
          type="checkbox"
          name="require_two_factor"
          checked={checked}
          disabled={!policy.data || change.isPending || (!enabled && !checked)}
          onChange={(e) => change.mutate(e.target.checked)}
        />
        Require two-factor login for everyone in this account
      </label>
      <p className="hint">
        {enabled
          ? "Users without it can then only set it up until they do. API tokens keep working."
          : "Turn it on for yourself first."}
      </p>
      <ErrorMessage error={policy.error ?? change.error} />
    </div>
  );
}

/** The account page's two-factor section. */
export function TwoFactorSection({ me }: { me: Me }) {
  const status = useTwoFactorStatus();
  const [freshCodes, setFreshCodes] = useState<string[] | null>(null);
  const admin = me.role !== "customer-member";
  return (
    <section className="card stack" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor login</h2>
      <ErrorMessage error={status.error} />
      {status.isPending && <p className="loading">Loading…</p>}
      {status.data &&
        (status.data.enabled ? (
          <Enrolled
            enabledAt={status.data.enabled_at}
            left={status.data.recovery_codes_left}
            required={status.data.required_by_account}
          />
        ) : (
          <Enrol onEnrolled={setFreshCodes} />
        ))}
      {freshCodes && <RecoveryCodes codes={freshCodes} />}
      {admin && status.data && <AccountRequirement me={me} enabled={status.data.enabled} />}
    </section>
  );
}

/**
 * Shows only the enrolment while the user's account requires two-factor login and the user
 * has none: the API refuses everything else until then.
 */
export function EnrolmentGate({ me, children }: { me: Me; children: ReactNode }) {
  const status = useTwoFactorStatus();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Once shown, the page stays until the user moves on, so the recovery codes can be read.
  const [shown, setShown] = useState(false);
  const mustEnrol = Boolean(status.data?.required_by_account && !status.data.enabled);
  useEffect(() => {
    if (mustEnrol) setShown(true);
  }, [mustEnrol]);
  if (status.isPending) return <p className="loading">Loading…</p>;
  if (!mustEnrol && !shown) return children;

  async function logOut() {
    await api.DELETE("/auth/session");
    rememberCsrfToken(null);
    queryClient.removeQueries({ queryKey: ME_KEY });
    await navigate("/login", { replace: true });
  }

  return (
    <main className="auth-sections">
      <h1>Set up two-factor login</h1>
      <p>Your account requires two-factor login. Set it up to continue.</p>
      <TwoFactorSection me={me} />
      <p className="auth-inline-actions">
        {!mustEnrol && status.data && (
          <button type="button" className="primary" onClick={() => setShown(false)}>
            Continue
          </button>
        )}
        <button type="button" className="link" onClick={() => void logOut()}>
          Log out
        </button>
      </p>
    </main>
  );
}
