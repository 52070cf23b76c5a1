import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import { Field } from "../../../components/Field";
import type { ApiToken, NewApiToken } from "./shared";
import { errorFor, otherError } from "../../../components/errors";
import { Badge } from "../../../components/Badge";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { ConfirmButton } from "../../../components/ConfirmDialog";
import { CopyBox } from "../../../components/CopyBox";
import { DateTime } from "../../../components/DateTime";

const TOKENS_KEY = ["tokens"] as const;

type TokenScope = NewApiToken["scopes"][number];
type ScopeGroup = Exclude<TokenScope, "full" | "read" | `${string}:read`>;

/** The scope groups (core's token-scopes.ts), in the order people look for them, with what each covers. */
const GROUPS = [
  ["servers", "Servers, backups and the console"],
  ["ssh-keys", "SSH keys"],
  ["images", "Images, imports and exports"],
  ["networking", "Extra IPv4 addresses and transfer"],
  ["billing", "Invoices, payments and codes"],
  ["tickets", "Support tickets"],
  ["webhooks", "Webhooks"],
  ["energy", "Energy and carbon"],
  ["account", "Users, tokens, branding and the audit log"],
  ["catalog", "Sites and plans"],
  ["hosts", "Hosts (providers)"],
] as const satisfies readonly (readonly [ScopeGroup, string])[];
// A group added to the API's vocabulary and missing here fails the build.
const everyGroupListed: Exclude<ScopeGroup, (typeof GROUPS)[number][0]> extends never ? true : false = true;
void everyGroupListed;

type Access = "none" | "read" | "write";

/** What the chosen access becomes as scopes. */
function scopesFrom(
  kind: "full" | "read" | "custom",
  groups: Partial<Record<ScopeGroup, Access>>,
): TokenScope[] {
  if (kind !== "custom") return [kind];
  return GROUPS.flatMap(([group]): TokenScope[] => {
    const access = groups[group] ?? "none";
    if (access === "none") return [];
    return [access === "read" ? `${group}:read` : group];
  });
}

/** Scopes as people read them. */
function describeScopes(scopes: readonly string[]): string {
  if (scopes.includes("full")) return "Full access";
  return scopes.map((s) => (s === "read" ? "Read-only" : s.replace(":read", " (read)"))).join(", ");
}

function tokenState(t: ApiToken): "active" | "revoked" | "expired" {
  if (t.revoked_at) return "revoked";
  if (t.expires_at && new Date(t.expires_at) <= new Date()) return "expired";
  return "active";
}

/** `YYYY-MM-DD` of a local date, for a date input's min. */
function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The caller's API tokens: for the CLI and scripts. The secret is shown once, when created. */
export function TokensSection() {
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [expiresOn, setExpiresOn] = useState("");
  const [accessKind, setAccessKind] = useState<"full" | "read" | "custom">("full");
  const [groupAccess, setGroupAccess] = useState<Partial<Record<ScopeGroup, Access>>>({});
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [notice, setNotice] = useState("");
  const secretBox = useRef<HTMLDivElement>(null);

  const tokens = useQuery({
    queryKey: TOKENS_KEY,
    queryFn: async () => unwrap(await api.GET("/tokens", { params: { query: { limit: 200 } } })).items,
  });

  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/tokens", {
          body: {
            name: name.trim(),
            scopes: scopesFrom(accessKind, groupAccess),
            // The end of the chosen day, where the user is.
            ...(expiresOn ? { expires_at: new Date(`${expiresOn}T23:59:59`).toISOString() } : {}),
          },
        }),
      ),
    onMutate: () => setNotice(""),
    onSuccess: async (token) => {
      setCreated(token);
      setName("");
      setExpiresOn("");
      setAccessKind("full");
      setGroupAccess({});
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });

  const revoke = useMutation({
    mutationFn: async (token: ApiToken) =>
      unwrap(await api.DELETE("/tokens/{id}", { params: { path: { id: token.id } } })),
    onMutate: () => setNotice(""),
    onSuccess: async (token) => {
      setNotice(`Revoked the token “${token.name}”.`);
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });

  // The secret is the one thing to act on now: take the user there.
  useEffect(() => {
    if (created) secretBox.current?.focus();
  }, [created]);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const general = otherError(create.error, ["name", "expires_at", "scopes"]);
  const list = tokens.data;

  return (
    <section aria-labelledby="tokens-title">
      <div className="auth-section-head">
        <h2 id="tokens-title">API tokens</h2>
      </div>
      <p className="muted">
        A token lets the command-line tool or your own scripts use the API as you. Treat it like a password.
      </p>

      {created && (
        <div ref={secretBox} tabIndex={-1} className="card stack auth-secret" aria-labelledby="secret-title">
          <h3 id="secret-title">Your new token “{created.name}”</h3>
          <p>
            <strong>Copy it now: this is the only time it is shown.</strong> If you lose it, revoke it and
            create another.
          </p>
          <CopyBox value={created.token} label={`The secret of the token ${created.name}`} />
          <button type="button" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}

      {tokens.isPending && <p className="loading">Loading tokens…</p>}
      <ErrorMessage error={tokens.error} />
      <ErrorMessage error={revoke.error} />
      <p role="status" className="auth-status ok-text">
        {notice}
      </p>
      {list && list.length === 0 && (
        <div className="empty card">
          <h3>No API tokens</h3>
          <p>Create one below when you want to use the command-line tool or call the API from a script.</p>
        </div>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap auth-table-wrap">
          <table className="auth-table cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Access</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((t) => {
                const state = tokenState(t);
                return (
                  <tr key={t.id}>
                    <td data-label="Name" className="auth-wrap">
                      {t.name}
                    </td>
                    <td data-label="Access">{describeScopes(t.scopes)}</td>
                    <td data-label="Status">
                      <Badge state={state} />
                    </td>
                    <td data-label="Created">
                      <DateTime value={t.created_at} dateOnly />
                    </td>
                    <td data-label="Last used">
                      {t.last_used_at ? (
                        <DateTime value={t.last_used_at} />
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td data-label="Expires">
                      {t.expires_at ? (
                        <DateTime value={t.expires_at} dateOnly />
                      ) : (
                        <span className="muted">Never</span>
                      )}
                    </td>
                    <td className="auth-actions">
                      {state === "active" && (
                        <ConfirmButton
                          label="Revoke"
                          ariaLabel={`Revoke the token ${t.name}`}
                          title={`Revoke the token “${t.name}”?`}
                          confirmLabel="Revoke token"
                          disabled={revoke.isPending}
                          onConfirm={() => revoke.mutate(t)}
                        >
                          <p>
                            Scripts and tools that use it stop working at once. This cannot be undone; you can
                            create a new token.
                          </p>
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={submit} noValidate className="card stack auth-form auth-after-list">
        <h3>Create a token</h3>
        <div className="auth-grid">
          <Field
            label="Token name"
            hint="What it is for, like “backup script”."
            error={errorFor(create.error, "name", "Enter a name of 1 to 100 characters.")}
          >
            {(props) => (
              <input
                {...props}
                name="token_name"
                autoComplete="off"
                maxLength={100}
                value={name}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Expires on"
            hint="Optional: leave empty for a token that works until you revoke it."
            error={errorFor(create.error, "expires_at", "Choose a date in the future.")}
          >
            {(props) => (
              <input
                {...props}
                type="date"
                name="expires_on"
                min={isoDay(new Date())}
                value={expiresOn}
                onChange={(e) => setExpiresOn(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field
          label="Access"
          hint="What scripts holding this token may do. A monitoring script needs read-only; nothing it holds can then delete a server."
          error={errorFor(create.error, "scopes", "Choose at least one kind of access.")}
        >
          {(props) => (
            <select
              {...props}
              name="token_access"
              value={accessKind}
              onChange={(e) => setAccessKind(e.target.value as "full" | "read" | "custom")}
            >
              <option value="full">Full access (everything you may do)</option>
              <option value="read">Read-only</option>
              <option value="custom">Chosen parts only</option>
            </select>
          )}
        </Field>
        {accessKind === "custom" && (
          <fieldset className="stack">
            <legend>Parts this token may use</legend>
            {GROUPS.map(([group, covers]) => (
              <Field key={group} label={covers}>
                {(props) => (
                  <select
                    {...props}
                    name={`token_scope_${group}`}
                    value={groupAccess[group] ?? "none"}
                    onChange={(e) => setGroupAccess({ ...groupAccess, [group]: e.target.value as Access })}
                  >
                    <option value="none">No access</option>
                    <option value="read">Read</option>
                    <option value="write">Read and change</option>
                  </select>
                )}
              </Field>
            ))}
          </fieldset>
        )}
        <ErrorMessage error={general} />
        <div>
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create token"}
          </button>
        </div>
      </form>
    </section>
  );
}
