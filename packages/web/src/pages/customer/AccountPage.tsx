import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../api";
import type { Me } from "../../api";
import { Field } from "../../components/Field";
import { ME_KEY, useSession } from "../../session";
import { NewPasswordField } from "./auth/fields";
import { TokensSection } from "./auth/TokensSection";
import { TwoFactorSection } from "./auth/TwoFactorSection";
import { UsersSection } from "./auth/UsersSection";
import { ROLE_LABELS } from "./auth/shared";
import { errorFor, otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DateTime } from "../../components/DateTime";

/** The logged-in user's own page: profile, password, mailing list, API tokens and the account's users. */
export function AccountPage() {
  const session = useSession();
  const me = session.data;
  if (!me) return <p className="loading">Loading your account…</p>;
  return (
    <section>
      <h1>Your account</h1>
      <div className="auth-sections">
        <ProfileSection me={me} />
        <PasswordSection me={me} />
        <TwoFactorSection me={me} />
        <MailingListSection />
        <TokensSection />
        <UsersSection me={me} />
      </div>
    </section>
  );
}

function ProfileSection({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(me.name);
  const account = useQuery({
    queryKey: ["accounts", me.account_id],
    queryFn: async () => unwrap(await api.GET("/accounts/{id}", { params: { path: { id: me.account_id } } })),
  });
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH("/users/{id}", { params: { path: { id: me.id } }, body: { name: name.trim() } }),
      ),
    onSuccess: async (user) => {
      setName(user.name);
      queryClient.setQueryData(ME_KEY, user);
      await queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  const general = otherError(save.error, ["name"]);
  return (
    <section className="card stack" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl className="details">
        <dt>Email</dt>
        <dd>{me.email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[me.role]}</dd>
        <dt>Account</dt>
        <dd>
          {account.isPending && <span className="muted">Loading…</span>}
          {account.isError && <span className="error">{account.error.message}</span>}
          {account.data?.name}
        </dd>
        <dt>Member since</dt>
        <dd>
          <DateTime value={me.created_at} dateOnly />
        </dd>
      </dl>
      <form onSubmit={submit} noValidate className="stack auth-form">
        <Field label="Name" error={errorFor(save.error, "name", "Enter a name of 1 to 100 characters.")}>
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
        <ErrorMessage error={general} />
        <div className="auth-inline-actions">
          <button type="submit" disabled={save.isPending || name.trim() === me.name}>
            {save.isPending ? "Saving…" : "Save name"}
          </button>
          <span role="status" className="ok-text">
            {save.isSuccess && name.trim() === me.name ? "Saved." : ""}
          </span>
        </div>
      </form>
    </section>
  );
}

function PasswordSection({ me }: { me: Me }) {
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const change = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH("/users/{id}", {
          params: { path: { id: me.id } },
          body: { password, current_password: current },
        }),
      ),
    onSuccess: () => {
      setPassword("");
      setCurrent("");
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }

  const general = otherError(change.error, ["password", "current_password"]);
  return (
    <section className="card" aria-labelledby="password-title">
      <form onSubmit={submit} noValidate className="stack auth-form">
        <h2 id="password-title">Password</h2>
        {/* Lets password managers file the new password under the right login. */}
        <input type="email" name="username" autoComplete="username" value={me.email} readOnly hidden />
        <Field label="Current password" error={errorFor(change.error, "current_password")}>
          {(props) => (
            <input
              {...props}
              type="password"
              name="current-password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <NewPasswordField
          label="New password"
          name="new-password"
          value={password}
          onChange={(value) => {
            setPassword(value);
            if (change.isSuccess) change.reset();
          }}
          error={change.error}
        />
        <ErrorMessage error={general} />
        <div className="auth-inline-actions">
          <button type="submit" disabled={change.isPending || password === "" || current === ""}>
            {change.isPending ? "Saving…" : "Change password"}
          </button>
          <span role="status" className="ok-text">
            {change.isSuccess
              ? `Your password is changed. Your other sessions and your API tokens were ended (${change.data.sessions_revoked ?? 0} sessions, ${change.data.tokens_revoked ?? 0} tokens).`
              : ""}
          </span>
        </div>
      </form>
    </section>
  );
}

const MAILING_LIST_KEY = ["me", "mailing-list"] as const;

function MailingListSection() {
  const queryClient = useQueryClient();
  const optIn = useQuery({
    queryKey: MAILING_LIST_KEY,
    queryFn: async () => unwrap(await api.GET("/me/mailing-list")),
  });
  const change = useMutation({
    mutationFn: async (value: boolean) =>
      unwrap(await api.PATCH("/me/mailing-list", { body: { opt_in: value } })),
    onSuccess: (data) => queryClient.setQueryData(MAILING_LIST_KEY, data),
  });

  const checked = change.isPending ? change.variables : (optIn.data?.opt_in ?? false);
  return (
    <section className="card stack" aria-labelledby="mailing-title">
      <h2 id="mailing-title">Mailing list</h2>
      <ErrorMessage error={optIn.error} />
      <label className="check auth-check">
        <input
          type="checkbox"
          name="mailing_list"
          checked={checked}
          disabled={!optIn.data || change.isPending}
          onChange={(e) => change.mutate(e.target.checked)}
        />
        Send me product news by mail
      </label>
      <p className="hint auth-status" role="status">
        {optIn.isPending
          ? "Loading…"
          : change.isError
            ? ""
            : optIn.data?.changed_at
              ? `${optIn.data.opt_in ? "Subscribed" : "Unsubscribed"} on ${new Date(optIn.data.changed_at).toLocaleDateString()}.`
              : "You are not on the mailing list."}
      </p>
      <ErrorMessage error={change.error} />
    </section>
  );
}
