import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, api, newIdempotencyKey, unwrap } from "../../api";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import "./business/business.css";
import { day } from "../../format";
import { errorFor, otherError } from "../../components/errors";
import { allPages, cursorPages } from "../../components/paging";
import { ErrorMessage } from "../../components/ErrorMessage";
import { LoadMore } from "../../components/LoadMore";
import { Badge } from "../../components/Badge";
import { cursorParam } from "../../components/paging";
import type { Account, AccountKind } from "./business/types";

const PAGE_SIZE = 50;

type KindFilter = "" | "reseller" | "customer";

export function AccountsPage() {
  const me = useSession().data;
  const isProvider = me?.role === "provider-admin";
  const [kind, setKind] = useState<KindFilter>("");
  const [parentId, setParentId] = useState("");
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState("");

  const own = useQuery({
    queryKey: ["accounts", "one", me?.account_id],
    enabled: Boolean(me),
    queryFn: async () =>
      unwrap(await api.GET("/accounts/{id}", { params: { path: { id: me?.account_id ?? "" } } })),
  });
  // Resellers name the parents of their customers, and filter the list (provider only).
  const resellers = useQuery({
    queryKey: ["accounts", "resellers"],
    enabled: isProvider,
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(
          await api.GET("/accounts", {
            params: { query: { kind: "reseller", limit: 200, ...cursorParam(cursor) } },
          }),
        ),
      ),
  });

  const accounts = useInfiniteQuery({
    queryKey: ["accounts", "list", kind, parentId],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET("/accounts", {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(pageParam ? { cursor: pageParam } : {}),
              ...(kind ? { kind } : {}),
              ...(parentId ? { parent_id: parentId } : {}),
            },
          },
        }),
      ),
    ...cursorPages,
  });

  const rows = accounts.data?.pages.flatMap((p) => p.items).filter((a) => a.id !== me?.account_id);
  function parentName(id: string | null): string {
    if (!id) return "—";
    if (id === me?.account_id) return own.data ? `${own.data.name} (you)` : "You";
    return resellers.data?.find((r) => r.id === id)?.name ?? rows?.find((r) => r.id === id)?.name ?? id;
  }
  const filtered = Boolean(kind || parentId);

  return (
    <section>
      <div className="page-head">
        <h1>{isProvider ? "Customers and resellers" : "Customers"}</h1>
        {!creating && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setNotice("");
              setCreating(true);
            }}
          >
            {isProvider ? "New account" : "New customer"}
          </button>
        )}
      </div>
      {creating && (
        <CreateAccountForm
          isProvider={isProvider}
          resellers={resellers.data ?? []}
          onDone={(message) => {
            setNotice(message ?? "");
            setCreating(false);
          }}
        />
      )}
      <p role="status" className={notice ? "biz-note" : "sr-only"}>
        {notice}
      </p>
      {isProvider && (
        <form className="biz-toolbar" onSubmit={(e) => e.preventDefault()} aria-label="Filter accounts">
          <Field label="Kind">
            {(props) => (
              <select {...props} value={kind} onChange={(e) => setKind(e.target.value as KindFilter)}>
                <option value="">Customers and resellers</option>
                <option value="customer">Customers</option>
                <option value="reseller">Resellers</option>
              </select>
            )}
          </Field>
          <Field label="Under">
            {(props) => (
              <select {...props} value={parentId} onChange={(e) => setParentId(e.target.value)}>
                <option value="">Anyone</option>
                {me && <option value={me.account_id}>You directly</option>}
                {resellers.data?.map((r) => (
                  <option key={r.id} value={r.id}>
                    Reseller {r.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </form>
      )}
      {accounts.isPending && <p className="loading">Loading accounts…</p>}
      <ErrorMessage error={accounts.error} />
      {rows && rows.length === 0 && !creating && (
        <div className="empty card">
          {filtered ? (
            <>
              <h2>No accounts match</h2>
              <p>Nothing of this kind here yet. Clear the filters to see every account.</p>
              <button
                type="button"
                onClick={() => {
                  setKind("");
                  setParentId("");
                }}
              >
                Clear filters
              </button>
            </>
          ) : (
            <>
              <h2>No customers yet</h2>
              <p>
                Customers sign up on the portal, or you create their account here with its first admin
                {isProvider ? "; a reseller account sells to customers of its own" : ""}.
              </p>
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                {isProvider ? "Create an account" : "Create a customer"}
              </button>
            </>
          )}
        </div>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="biz-table cards">
            <caption className="sr-only">Accounts</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                {isProvider && <th scope="col">Under</th>}
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td className="biz-first biz-wrap">
                    {a.name}
                    <span className="biz-sub mono">{a.slug}</span>
                  </td>
                  <td data-label="Kind">
                    <Badge state={a.kind} />
                  </td>
                  {isProvider && <td data-label="Under">{parentName(a.parent_id)}</td>}
                  <td data-label="Created">
                    <time dateTime={a.created_at}>{day(a.created_at)}</time>
                  </td>
                  <td data-label="Links">
                    <div className="actions">
                      <Link
                        to={`/invoices?account_id=${encodeURIComponent(a.id)}`}
                        aria-label={`Invoices of ${a.name}`}
                      >
                        Invoices
                      </Link>
                      {a.kind === "reseller" && (
                        <button
                          type="button"
                          className="link"
                          onClick={() => {
                            setKind("");
                            setParentId(a.id);
                          }}
                          aria-label={`Customers of ${a.name}`}
                        >
                          Customers
                        </button>
                      )}
                      <Link
                        to={`/admin/audit?resource_type=account&resource_id=${encodeURIComponent(a.id)}`}
                        aria-label={`Audit log of ${a.name}`}
                      >
                        History
                      </Link>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={accounts} />
    </section>
  );
}

const ACCOUNT_FIELDS = ["kind", "name", "slug", "parent_id"] as const;
const USER_FIELDS = ["email", "name", "role", "password", "account_id"] as const;

/** How the first admin gets in: invited (they choose the password), or created now (the provider only). */
type AdminBy = "invite" | "create";

function CreateAccountForm({
  isProvider,
  resellers,
  onDone,
}: {
  isProvider: boolean;
  resellers: Account[];
  /** Called when the form is finished with, with what to tell the reader (nothing on Cancel). */
  onDone: (message?: string) => void;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Exclude<AccountKind, "provider">>("customer");
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [parentId, setParentId] = useState("");
  const [email, setEmail] = useState("");
  const [adminName, setAdminName] = useState("");
  const [password, setPassword] = useState("");
  // Only the provider's admins create users directly; everyone else invites (POST /users answers 403).
  const [adminBy, setAdminBy] = useState<AdminBy>("invite");
  const invites = !isProvider || adminBy === "invite";
  // The account is created first, then its admin; if the admin fails, only that step is retried.
  const [created, setCreated] = useState<Account | null>(null);
  const [accountKey, setAccountKey] = useState(() => newIdempotencyKey());
  const [userKey, setUserKey] = useState(() => newIdempotencyKey());
  function chooseAdminBy(by: AdminBy) {
    // Another request: a key already sent to the other route must not be reused.
    setAdminBy(by);
    setUserKey(newIdempotencyKey());
  }

  const create = useMutation({
    mutationFn: async () => {
      let account = created;
      if (!account) {
        account = unwrap(
          await api.POST("/accounts", {
            body: {
              kind,
              name: name.trim(),
              ...(slug.trim() ? { slug: slug.trim() } : {}),
              ...(isProvider && kind === "customer" && parentId ? { parent_id: parentId } : {}),
            },
            headers: { "idempotency-key": accountKey },
          }),
        );
        setCreated(account);
        await queryClient.invalidateQueries({ queryKey: ["accounts"] });
      }
      const admin = {
        account_id: account.id,
        email: email.trim(),
        role: account.kind === "reseller" ? ("reseller-admin" as const) : ("customer-admin" as const),
        ...(adminName.trim() ? { name: adminName.trim() } : {}),
      };
      const headers = { "idempotency-key": userKey };
      if (invites) {
        const invitation = unwrap(await api.POST("/invitations", { body: admin, headers }));
        return `Created ${account.name}. Invitation sent to ${invitation.email}.`;
      }
      const user = unwrap(
        await api.POST("/users", { body: { ...admin, ...(password ? { password } : {}) }, headers }),
      );
      return `Created ${account.name} with its first admin ${user.email}.`;
    },
    onError: (err) => {
      // A refusal is final for that request: the corrected form is a new one with a new key.
      if (!(err instanceof ApiError)) return;
      setAccountKey(newIdempotencyKey());
      setUserKey(newIdempotencyKey());
    },
    onSuccess: async (message) => {
      await queryClient.invalidateQueries({ queryKey: ["accounts"] });
      await queryClient.invalidateQueries({ queryKey: ["invitations"] });
      onDone(message);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  // Once the account exists, only its admin is left to create: the error is about the admin.
  const accountError = created ? null : error;
  const userError = created ? error : null;
  const general =
    otherError(accountError, ACCOUNT_FIELDS) ??
    (userError && errorFor(userError, "account_id") ? userError.message : otherError(userError, USER_FIELDS));

  return (
    <form onSubmit={submit} noValidate className="card stack biz-create" aria-labelledby="new-account-title">
      <h2 id="new-account-title">{isProvider ? "New account" : "New customer"}</h2>
      {isProvider && (
        <fieldset className="field" disabled={Boolean(created)}>
          <legend>Kind</legend>
          <div className="biz-radios">
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="kind"
                checked={kind === "customer"}
                onChange={() => setKind("customer")}
              />
              Customer: runs servers
            </label>
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="kind"
                checked={kind === "reseller"}
                onChange={() => setKind("reseller")}
              />
              Reseller: sells servers to customers of its own
            </label>
          </div>
          {errorFor(accountError, "kind") && (
            <p className="field-error" role="alert">
              {errorFor(accountError, "kind")}
            </p>
          )}
        </fieldset>
      )}
      <div className="biz-form-grid">
        <Field
          label={kind === "reseller" ? "Company name" : "Customer name"}
          error={errorFor(accountError, "name")}
        >
          {(props) => (
            <input
              {...props}
              value={name}
              readOnly={Boolean(created)}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
              autoFocus
            />
          )}
        </Field>
        <Field
          label="Slug (optional)"
          hint={
            kind === "reseller"
              ? "Lower-case letters, digits and -; its portal also answers at ?reseller=<slug>."
              : "Lower-case letters, digits and -; made from the name when empty."
          }
          error={errorFor(accountError, "slug")}
        >
          {(props) => (
            <input
              {...props}
              value={slug}
              readOnly={Boolean(created)}
              onChange={(e) => setSlug(e.target.value.toLowerCase())}
              autoComplete="off"
              spellCheck={false}
              className="mono"
            />
          )}
        </Field>
        {isProvider && kind === "customer" && (
          <Field label="Customer of" error={errorFor(accountError, "parent_id")}>
            {(props) => (
              <select
                {...props}
                value={parentId}
                disabled={Boolean(created)}
                onChange={(e) => setParentId(e.target.value)}
              >
                <option value="">You directly</option>
                {resellers.map((r) => (
                  <option key={r.id} value={r.id}>
                    Reseller {r.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <fieldset className="field">
        <legend>First admin</legend>
        <p className="hint">
          The person who logs in to run this {kind === "reseller" ? "reseller" : "customer"} account.
          {invites ? " We mail them a link to join and choose their own password; it works for 7 days." : ""}
        </p>
        {isProvider && (
          <div className="biz-radios" role="radiogroup" aria-label="How the first admin gets in">
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="admin_by"
                checked={adminBy === "invite"}
                onChange={() => chooseAdminBy("invite")}
              />
              Invite them by mail
            </label>
            <label className="check biz-inline-check">
              <input
                type="radio"
                name="admin_by"
                checked={adminBy === "create"}
                onChange={() => chooseAdminBy("create")}
              />
              Create the user now
            </label>
          </div>
        )}
        <div className="biz-form-grid">
          <Field label="Email" error={errorFor(userError, "email")}>
            {(props) => (
              <input
                {...props}
                type="email"
                autoComplete="off"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Name (optional)" error={errorFor(userError, "name")}>
            {(props) => (
              <input
                {...props}
                autoComplete="off"
                value={adminName}
                onChange={(e) => setAdminName(e.target.value)}
              />
            )}
          </Field>
          {!invites && (
            <Field
              label="Password (optional)"
              hint="Leave empty and they choose one with “Forgot password”."
              error={errorFor(userError, "password")}
            >
              {(props) => (
                <input
                  {...props}
                  type="password"
                  autoComplete="new-password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
            </Field>
          )}
        </div>
      </fieldset>
      {/* Only once the admin's request has failed: while it is on its way, this is not yet known. */}
      {created && !create.isPending && (
        <p className="biz-note" role="status">
          The account {created.name} was created; its first admin was not {invites ? "invited" : "created"}.
          Correct the admin and try again.
        </p>
      )}
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending
            ? "Creating…"
            : created
              ? invites
                ? "Invite the admin"
                : "Add the admin"
              : "Create account"}
        </button>
        <button
          type="button"
          onClick={() => onDone(created ? `Created ${created.name} without an admin.` : undefined)}
        >
          {created ? "Skip the admin" : "Cancel"}
        </button>
      </div>
    </form>
  );
}
