import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../api";
import type { SshKey } from "../../api";
import { Field } from "../../components/Field";
import { useSession } from "../../session";
import { errorFor, otherError } from "../../components/errors";
import { ErrorMessage } from "../../components/ErrorMessage";
import { ConfirmButton } from "../../components/ConfirmDialog";
import { DateTime } from "../../components/DateTime";

const FIELDS = ["name", "public_key"];

/** The account's SSH public keys: new servers put the chosen ones in root's authorized_keys. */
export function SshKeysPage() {
  const me = useSession().data;
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [publicKey, setPublicKey] = useState("");
  const [notice, setNotice] = useState("");
  const nameInput = useRef<HTMLInputElement>(null);
  const accountId = me?.account_id;

  // Admins see their customers' keys through the API too; this page is about the caller's own account.
  const keys = useQuery({
    queryKey: ["ssh-keys", "account", accountId],
    enabled: Boolean(accountId),
    queryFn: async () =>
      unwrap(
        await api.GET("/ssh-keys", {
          params: { query: { limit: 200, ...(accountId ? { account_id: accountId } : {}) } },
        }),
      ).items,
  });

  const add = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST("/ssh-keys", { body: { name: name.trim(), public_key: publicKey.trim() } })),
    onMutate: () => setNotice(""),
    onSuccess: async (key) => {
      setName("");
      setPublicKey("");
      setNotice(`Added the key “${key.name}”.`);
      await queryClient.invalidateQueries({ queryKey: ["ssh-keys"] });
    },
  });

  const remove = useMutation({
    mutationFn: async (key: SshKey) => {
      unwrap(await api.DELETE("/ssh-keys/{id}", { params: { path: { id: key.id } } }));
      return key;
    },
    onMutate: () => setNotice(""),
    onSuccess: async (key) => {
      setNotice(`Deleted the key “${key.name}”.`);
      await queryClient.invalidateQueries({ queryKey: ["ssh-keys"] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  const error = add.error;
  const general = otherError(error, FIELDS);
  const list = keys.data;

  return (
    <section>
      <div className="page-head">
        <h1>SSH keys</h1>
      </div>
      <p className="muted">
        Servers you create get the keys you pick in root&apos;s <code>authorized_keys</code>, so you log in
        with your key instead of a password.
      </p>
      {(keys.isPending || !accountId) && <p className="loading">Loading SSH keys…</p>}
      <ErrorMessage error={keys.error} />
      <ErrorMessage error={remove.error} />
      <p role="status" className="auth-status ok-text">
        {notice}
      </p>
      {list && list.length === 0 && (
        <div className="empty card">
          <h2>No SSH keys yet</h2>
          <p>
            Add your public key so you can log in to your servers over SSH. Keys you add here can be put on
            every new server.
          </p>
          <button type="button" className="primary" onClick={() => nameInput.current?.focus()}>
            Add a key
          </button>
        </div>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap auth-table-wrap">
          <table className="auth-table cards">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id}>
                  <td data-label="Name" className="auth-wrap">
                    {k.name}
                  </td>
                  <td data-label="Fingerprint" className="auth-wrap">
                    <span className="mono">{k.fingerprint}</span>
                  </td>
                  <td data-label="Added">
                    <DateTime value={k.created_at} dateOnly />
                  </td>
                  <td className="auth-actions">
                    <ConfirmButton
                      label="Delete"
                      ariaLabel={`Delete the key ${k.name}`}
                      title={`Delete the key “${k.name}”?`}
                      confirmLabel="Delete key"
                      disabled={remove.isPending}
                      onConfirm={() => remove.mutate(k)}
                    >
                      <p>
                        New servers can no longer get this key. Servers that already have it keep it in their{" "}
                        <code>authorized_keys</code> until you remove it there.
                      </p>
                      <p className="mono auth-wrap">{k.fingerprint}</p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={submit} noValidate className="card stack auth-form auth-after-list">
        <h2>Add a key</h2>
        <Field
          label="Name"
          hint="To tell your keys apart, like “laptop”."
          error={errorFor(error, "name", "Enter a name of 1 to 100 characters.")}
        >
          {(props) => (
            <input
              {...props}
              ref={nameInput}
              name="name"
              autoComplete="off"
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Public key"
          hint={
            <>
              One line starting with <code>ssh-ed25519</code>, <code>ssh-rsa</code> or{" "}
              <code>ecdsa-sha2-…</code>: the contents of a <code>.pub</code> file such as{" "}
              <code>~/.ssh/id_ed25519.pub</code>. Never paste the private key.
            </>
          }
          error={errorFor(error, "public_key", "Paste your public key.")}
        >
          {(props) => (
            <textarea
              {...props}
              name="public_key"
              className="auth-textarea"
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              rows={4}
              value={publicKey}
              onChange={(e) => setPublicKey(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={general} />
        <button type="submit" className="primary" disabled={add.isPending}>
          {add.isPending ? "Adding…" : "Add key"}
        </button>
      </form>
    </section>
  );
}
