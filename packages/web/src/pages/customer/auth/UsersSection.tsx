import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import type { Me } from "../../../api";
import { Field } from "../../../components/Field";
import { NewPasswordField } from "./fields";
import { MIN_PASSWORD_LENGTH, ROLE_LABELS } from "./shared";
import type { Role, User } from "./shared";
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

/** The users of the caller's own account; admins add users and disable or re-enable them. */
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
              ? "Add the people who work with you below."
              : "Ask an admin of your account to add users."}
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
      {canManage && <AddUserForm accountId={me.account_id} roles={roles} />}
    </section>
  );
}

const USER_FIELDS = ["email", "name", "role", "password"];

function AddUserForm({ accountId, roles }: { accountId: string; roles: Role[] }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(roles[roles.length - 1] ?? "customer-member");
  const [password, setPassword] = useState("");

  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/users", {
          body: {
            email: email.trim(),
            role,
            account_id: accountId,
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(password ? { password } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setEmail("");
      setName("");
      setPassword("");
      await queryClient.invalidateQueries({ queryKey: ["users"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  const error = add.error;
  const general = otherError(error, USER_FIELDS);
  return (
    <form onSubmit={submit} noValidate className="card stack auth-form auth-after-list">
      <h3>Add a user</h3>
      <div className="auth-grid">
        <Field
          label="Email"
          error={errorFor(error, "email", "Enter their email address, like name@example.com.")}
        >
          {(props) => (
            <input
              {...props}
              type="email"
              name="new_user_email"
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
              name="new_user_name"
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
        <NewPasswordField
          label="Password"
          name="new_user_password"
          hint={`Optional, at least ${MIN_PASSWORD_LENGTH} characters. Leave it empty and they set their own with “Forgot your password?” on the login page.`}
          value={password}
          onChange={setPassword}
          error={error}
        />
      </div>
      <ErrorMessage error={general} />
      <div className="auth-inline-actions">
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add user"}
        </button>
        <span role="status" className="ok-text">
          {add.isSuccess ? `Added ${add.data.email}.` : ""}
        </span>
      </div>
    </form>
  );
}
