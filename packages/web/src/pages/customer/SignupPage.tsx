import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { api, unwrap } from "../../api";
import { resellerSlug, useBrand } from "../../brand";
import { Field } from "../../components/Field";
import { EmailField, NewPasswordField } from "./auth/fields";
import { AuthShell, withBrand } from "./auth/shared";
import { errorFor, otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";

const FIELDS = ["email", "password", "account_name", "name", "mailing_list"] as const;

/** Public signup: a new customer account (under the reseller the visitor came from) and a mailed link to confirm it. */
export function SignupPage() {
  const brand = useBrand();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [accountName, setAccountName] = useState("");
  const [name, setName] = useState("");
  const [mailingList, setMailingList] = useState(false);

  const signup = useMutation({
    mutationFn: async () => {
      const reseller = resellerSlug();
      return unwrap(
        await api.POST("/signup", {
          body: {
            email: email.trim(),
            password,
            account_name: accountName.trim(),
            ...(name.trim() ? { name: name.trim() } : {}),
            mailing_list: mailingList,
            ...(reseller ? { reseller } : {}),
          },
        }),
      );
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signup.mutate();
  }

  if (signup.isSuccess) {
    return (
      <AuthShell title="Check your inbox">
        <div className="card stack auth-done" role="status">
          <p>{signup.data.message}</p>
          <p className="muted">
            The link in the mail is valid for 24 hours. Nothing there? Look in your spam folder, or sign up
            again with the same address to get a new link.
          </p>
        </div>
        <p className="auth-links">
          <Link to="/login">Back to log in</Link>
        </p>
      </AuthShell>
    );
  }

  const error = signup.error;
  const general = otherError(error, FIELDS);

  return (
    <AuthShell title={withBrand("Create your account at", brand.name)} wide>
      <form onSubmit={submit} noValidate className="card stack auth-form">
        <EmailField
          value={email}
          onChange={setEmail}
          error={error}
          hint="We send a link to this address to confirm it."
          autoComplete="email"
          autoFocus
        />
        <NewPasswordField
          label="Password"
          name="password"
          value={password}
          onChange={setPassword}
          error={error}
          required
        />
        <Field
          label="Company or project name"
          hint="The name of your account; you can invite others to it later."
          error={errorFor(error, "account_name", "Enter a name of 1 to 100 characters.")}
        >
          {(props) => (
            <input
              {...props}
              name="account_name"
              autoComplete="organization"
              required
              maxLength={100}
              value={accountName}
              onChange={(e) => setAccountName(e.target.value)}
            />
          )}
        </Field>
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
        <label className="check auth-check">
          <input
            type="checkbox"
            name="mailing_list"
            checked={mailingList}
            onChange={(e) => setMailingList(e.target.checked)}
          />
          <span>
            {withBrand("Send me product news from", brand.name || "us")} by mail. You can stop it any time on
            your account page.
          </span>
        </label>
        <ErrorMessage error={general} />
        <button type="submit" className="primary" disabled={signup.isPending}>
          {signup.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className="auth-links">
        <span>
          Already have an account? <Link to="/login">Log in</Link>
        </span>
      </p>
    </AuthShell>
  );
}
