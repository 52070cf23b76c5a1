import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import type { Me } from "../../../api";
import { Field } from "../../../components/Field";
import { ROLE_LABELS } from "./shared";
import type { Invitation, Role, User } from "./shared";
import { errorFor, otherError } from "../../../components/errors";
import { Badge } from "../../../components/Badge";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { ConfirmButton } from "../../../components/ConfirmDialog";
import { DateTime } from "../../../components/DateTime";

/** The roles a user of the caller's account can have (the API allows these per account kind). */
function rolesFor(role: Role): Role[] {
  if (role === "provider-admin") return ["provider-admin"];
  if (role === "reseller-admin") return ["reseller-admin"];
  return ["customer-admin", "customer-member"];
}

const ROLE_HINTS: Record<Role, string> = {
  "provider-admin": "Runs the whole platform.",
  "reseller-admin": "Runs your reseller business.",
  "customer-admin": "Can also manage users, billing details and images.",
  "customer-member": "Uses servers, SSH keys and support; cannot manage users or billing.",
};

/**
 * The users of the caller's own account; admins invite users (the invitee chooses the
 * password), withdraw pending invitations, and disable or re-enable users.
 */
export function UsersSection({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const canManage = me.role !== "customer-member";
  const [notice, setNotice] = useState("");

  const users = useQuery({
    queryKey: ["users", "account", me.account_id],
    queryFn: async () =>
      unwrap(await api.GET("/users", { params: { query: { account_id: me.account_id, limit: 200 } } })).items,
  });

  const update = useMutation({
    mutationFn: async (change: { user: User; disabled?: boolean; role?: Role }) =>
      unwrap(
        await api.PATCH("/users/{id}", {
          params: { path: { id: change.user.id } },
          body: {
            ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
            ...(change.role === undefined ? {} : { role: change.role }),
          },
        }),
      ),
    onMutate: () => setNotice(""),
    onSuccess: async (user, change) => {
      const who = user.name || user.email;
      setNotice(
        change.disabled === true
          ? `Disabled ${who}: they are logged out and their API tokens are revoked.`
          : change.disabled === false
            ? `Enabled ${who} again.`
            : `${who} is now ${ROLE_LABELS[user.role].toLowerCase()}.`,
      );
      await queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });

  const list = users.data;
  const roles = rolesFor(me.role);

  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users of your account</h2>
      {users.isPending && <p className="loading">Loading users…</p>}
      <ErrorMessage error={users.error} />
      <ErrorMessage error={update.error} />
      <p role="status" className="auth-status ok-text">
        {notice}
      </p>
      {list && list.length === 0 && (
        <div className="empty card">
          <h3>No users</h3>
          <p>
            {canManage
              ? "Invite the people who work with you below."
              : "Ask an admin of your account to invite users."}
          </p>
        </div>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap auth-table-wrap">
          <table className="auth-table cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
                {canManage && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.map((u) => {
                const self = u.id === me.id;
                const who = u.name || u.email;
                return (
                  <tr key={u.id}>
                    <td data-label="Name" className="auth-wrap">
                      {u.name || <span className="muted">—</span>}
                      {self && <span className="muted"> (you)</span>}
                    </td>
                    <td data-label="Email" className="auth-wrap">
                      {u.email}
                    </td>
                    <td data-label="Role">
                      {canManage && !self && roles.length > 1 ? (
                        <select
                          aria-label={`Role of ${who}`}
                          value={u.role}
                          disabled={update.isPending}
                          onChange={(e) => update.mutate({ user: u, role: e.target.value as Role })}
                        >
                          {roles.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      ) : (
                        ROLE_LABELS[u.role]
                      )}
                    </td>
                    <td data-label="Status">
                      {u.disabled_at ? <Badge state="disabled" /> : <Badge state="active" />}
                    </td>
                    <td data-label="Added">
                      <DateTime value={u.created_at} dateOnly />
                    </td>
                    {canManage && (
                      <td className="auth-actions">
                        {self ? null : u.disabled_at ? (
                          <button
                            type="button"
                            disabled={update.isPending}
                            aria-label={`Enable ${who}`}
                            onClick={() => update.mutate({ user: u, disabled: false })}
                          >
                            Enable
                          </button>
                        ) : (
                          <ConfirmButton
                            label="Disable"
                            ariaLabel={`Disable ${who}`}
                            title={`Disable ${who}?`}
                            confirmLabel="Disable user"
                            disabled={update.isPending}
                            onConfirm={() => update.mutate({ user: u, disabled: true })}
                          >
                            <p>
                              They are logged out at once and their API tokens are revoked. Their servers and
                              keys stay. You can enable them again later.
                            </p>
                          </ConfirmButton>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canManage && <PendingInvitations accountId={me.account_id} />}
      {canManage && <InviteUserForm accountId={me.account_id} roles={roles} />}
    </section>
  );
}

const INVITE_FIELDS = ["email", "name", "role"];

/** The account's invitations still waiting for an answer, each with Withdraw. */
function PendingInvitations({ accountId }: { accountId: string }) {
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState("");

  const pending = useQuery({
    queryKey: ["invitations", "account", accountId, "pending"],
    queryFn: async () =>
      unwrap(
        await api.GET("/invitations", {
          params: { query: { account_id: accountId, status: "pending", limit: 200 } },
        }),
      ).items,
  });

  const withdraw = useMutation({
    mutationFn: async (invitation: Invitation) =>
      unwrap(await api.DELETE("/invitations/{id}", { params: { path: { id: invitation.id } } })),
    onMutate: () => setNotice(""),
    onSuccess: (invitation) => setNotice(`Withdrew the invitation to ${invitation.email}.`),
    // Accepted or expired meanwhile (409) or not: the list shows how things stand now.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["invitations"] }),
  });

  const list = pending.data;
  return (
    <section aria-labelledby="invitations-title" className="auth-after-list">
      <h3 id="invitations-title">Pending invitations</h3>
      {pending.isPending && <p className="loading">Loading invitations…</p>}
      <ErrorMessage error={pending.error} />
      <ErrorMessage error={withdraw.error} />
      <p role="status" className="auth-status ok-text">
        {notice}
      </p>
      {list && list.length === 0 && <p className="muted">No invitations are waiting for an answer.</p>}
      {list && list.length > 0 && (
        <div className="table-wrap auth-table-wrap">
          <table className="auth-table cards">
            <caption className="sr-only">Pending invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Sent</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((i) => (
                <tr key={i.id}>
                  <td data-label="Email" className="auth-wrap">
                    {i.email}
                    {i.name && <span className="muted"> ({i.name})</span>}
                  </td>
                  <td data-label="Role">{ROLE_LABELS[i.role]}</td>
                  <td data-label="Sent">
                    <DateTime value={i.created_at} dateOnly />
                  </td>
                  <td data-label="Expires">
                    <DateTime value={i.expires_at} dateOnly />
                  </td>
                  <td className="auth-actions">
                    <ConfirmButton
                      label="Withdraw"
                      ariaLabel={`Withdraw the invitation to ${i.email}`}
                      title={`Withdraw the invitation to ${i.email}?`}
                      confirmLabel="Withdraw invitation"
                      disabled={withdraw.isPending}
                      onConfirm={() => withdraw.mutate(i)}
                    >
                      <p>The link in the mail stops working at once. You can invite them again later.</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function InviteUserForm({ accountId, roles }: { accountId: string; roles: Role[] }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(roles[roles.length - 1] ?? "customer-member");

  const invite = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/invitations", {
          body: {
            email: email.trim(),
            role,
            account_id: accountId,
            ...(name.trim() ? { name: name.trim() } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setEmail("");
      setName("");
      await queryClient.invalidateQueries({ queryKey: ["invitations"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate();
  }

  const error = invite.error;
  const general = otherError(error, INVITE_FIELDS);
  return (
    <form
      onSubmit={submit}
      noValidate
      className="card stack auth-form auth-after-list"
      aria-labelledby="invite-title"
    >
      <h3 id="invite-title">Invite a user</h3>
      <p className="hint">
        We mail them a link to join and choose their own password. It works for 7 days; until then the
        invitation is listed above as pending.
      </p>
      <div className="auth-grid">
        <Field
          label="Email"
          error={errorFor(error, "email", "Enter their email address, like name@example.com.")}
        >
          {(props) => (
            <input
              {...props}
              type="email"
              name="invite_email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Name" hint="Optional." error={errorFor(error, "name", "Enter at most 100 characters.")}>
          {(props) => (
            <input
              {...props}
              name="invite_name"
              autoComplete="off"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Role" hint={ROLE_HINTS[role]} error={errorFor(error, "role")}>
          {(props) => (
            <select {...props} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={general} />
      <div className="auth-inline-actions">
        <button type="submit" className="primary" disabled={invite.isPending}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </button>
        <span role="status" className="ok-text">
          {invite.isSuccess ? `Invitation sent to ${invite.data.email}.` : ""}
        </span>
      </div>
    </form>
  );
}
