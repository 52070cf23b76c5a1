import { Field } from "../../../components/Field";
import { errorFor } from "../../../components/errors";
import { MIN_PASSWORD_LENGTH } from "./shared";

/** The email field of the public forms; the API's schema wording is replaced by a plain sentence. */
export function EmailField(props: {
  value: string;
  onChange: (value: string) => void;
  /** The form's error: shown here when it is about `email`. */
  error: unknown;
  hint?: string;
  autoComplete: "username" | "email";
  autoFocus?: boolean;
}) {
  return (
    <Field
      label="Email"
      hint={props.hint}
      error={errorFor(props.error, "email", "Enter your email address, like name@example.com.")}
    >
      {(control) => (
        <input
          {...control}
          type="email"
          name="email"
          autoComplete={props.autoComplete}
          required
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          autoFocus={props.autoFocus}
        />
      )}
    </Field>
  );
}

/** A field for choosing a password, with the API's length rule as its hint. */
export function NewPasswordField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The form's error: shown here when it is about `password`. */
  error: unknown;
  name: string;
  hint?: string;
  required?: boolean;
  autoFocus?: boolean;
}) {
  return (
    <Field
      label={props.label}
      hint={props.hint ?? `At least ${MIN_PASSWORD_LENGTH} characters.`}
      error={errorFor(
        props.error,
        "password",
        `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`,
      )}
    >
      {(control) => (
        <input
          {...control}
          type="password"
          name={props.name}
          autoComplete="new-password"
          required={props.required}
          minLength={MIN_PASSWORD_LENGTH}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          autoFocus={props.autoFocus}
        />
      )}
    </Field>
  );
}
