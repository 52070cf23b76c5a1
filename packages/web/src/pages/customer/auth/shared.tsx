import type { paths } from "@layerboom/client";
import { useId, useRef, useState } from "react";
import type { ReactNode } from "react";
import { ApiError, fieldError } from "../../../api";
import { useBrand } from "../../../brand";
import "./auth.css";

type Json<T> = T extends { content: { "application/json": infer J } } ? J : never;

export type ApiToken = Json<paths["/tokens"]["get"]["responses"][200]>["items"][number];
export type NewApiToken = Json<paths["/tokens"]["post"]["responses"][201]>;
export type User = Json<paths["/users"]["get"]["responses"][200]>["items"][number];
export type Role = User["role"];

/** The shortest password the API takes (MIN_PASSWORD_LENGTH in the controller). */
export const MIN_PASSWORD_LENGTH = 12;

export const ROLE_LABELS: Record<Role, string> = {
  "provider-admin": "Provider admin",
  "reseller-admin": "Reseller admin",
  "customer-admin": "Admin",
  "customer-member": "Member",
};

/**
 * The API's error for a field. A schema violation ("body field "email" must match pattern …")
 * is about the field but written for programmers, so the page may say it in plain words.
 */
export function errorFor(error: unknown, field: string, plain?: string): string | undefined {
  const message = fieldError(error, field);
  if (message && plain && error instanceof ApiError && error.code === "invalid_request") return plain;
  return message;
}

/** The message of an error that none of the given fields shows, for a role="alert" paragraph. */
export function otherError(error: Error | null, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError && error.field && fields.includes(error.field)) return undefined;
  return error.message;
}

/** A query string parameter of the current page (the token of a mailed link). */
export function queryParam(name: string): string {
  return new URLSearchParams(window.location.search).get(name) ?? "";
}

export function DateTime({ value, dateOnly }: { value: string; dateOnly?: boolean }) {
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toLocaleString()}>
      {dateOnly ? date.toLocaleDateString() : date.toLocaleString()}
    </time>
  );
}

/** The frame of the public pages (login, signup, reset): the brand's logo over one narrow card. */
export function AuthShell({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  const brand = useBrand();
  return (
    <main id="main" className={wide ? "login auth-page auth-wide" : "login auth-page"}>
      <div className="auth-logo-slot">
        {brand.logo_url && <img src={brand.logo_url} alt="" className="auth-logo" />}
      </div>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

/** "Log in to Acme", or just "Log in" while the brand is still loading. */
export function withBrand(text: string, name: string): string {
  return name ? `${text} ${name}` : text;
}

/**
 * A button that asks before it acts: a modal dialog with Cancel (focused first) and the action.
 * Escape or Cancel closes it without acting.
 */
export function ConfirmButton(props: {
  label: string;
  title: string;
  confirmLabel: string;
  children: ReactNode;
  onConfirm: () => void;
  disabled?: boolean;
  /** The accessible name of the trigger when the label alone is ambiguous in a list. */
  ariaLabel?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button
        type="button"
        className="danger"
        disabled={props.disabled}
        aria-label={props.ariaLabel}
        onClick={() => dialog.current?.showModal()}
      >
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="card auth-dialog">
        <form
          method="dialog"
          className="stack"
          onSubmit={(e) => {
            if (e.nativeEvent.submitter?.getAttribute("value") === "confirm") props.onConfirm();
          }}
        >
          <h2 id={titleId}>{props.title}</h2>
          <div>{props.children}</div>
          <div className="actions">
            <button type="submit" value="cancel" autoFocus>
              Cancel
            </button>
            <button type="submit" value="confirm" className="danger">
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** A secret in a box with a Copy button; when the clipboard is not available, the text is selected instead. */
export function CopyBox({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      input.current?.select();
      setCopied("select");
    }
  }

  return (
    <div className="auth-copy">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <input
        ref={input}
        id={id}
        readOnly
        value={value}
        className="mono"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" onClick={() => void copy()}>
        Copy
      </button>
      <span role="status" className="muted auth-copy-status">
        {copied === "yes"
          ? "Copied."
          : copied === "select"
            ? "Press Ctrl+C (⌘C) to copy the selected text."
            : ""}
      </span>
    </div>
  );
}
