import { Link } from "react-router";
import type { SshKey } from "../../../api";
import { Field } from "../../../components/Field";
import { Step } from "./cards";

/** Step 4: the SSH keys installed on the server, and its name. */
export function LoginStep(props: {
  keys: SshKey[] | undefined;
  keysLoading: boolean;
  keyIds: string[];
  onKeys: (ids: string[]) => void;
  keysError: string | undefined;
  name: string;
  onName: (name: string) => void;
  nameError: string | undefined;
}) {
  const { keys, keyIds, onKeys } = props;
  return (
    <Step number={4} title="How you log in">
      <fieldset className="field" aria-describedby={props.keysError ? "ssh-keys-error" : undefined}>
        <legend>SSH keys</legend>
        {props.keysLoading && <p className="loading">Loading keys…</p>}
        {keys?.length === 0 && (
          <p className="hint">
            Your account has no SSH keys yet: <Link to="/ssh-keys">add one</Link>, or log in through the
            server&rsquo;s console.
          </p>
        )}
        {keys?.map((k) => (
          <label key={k.id} className="check">
            <input
              type="checkbox"
              name="ssh_key_ids"
              value={k.id}
              checked={keyIds.includes(k.id)}
              onChange={(e) =>
                onKeys(e.target.checked ? [...keyIds, k.id] : keyIds.filter((x) => x !== k.id))
              }
            />
            {k.name} <span className="mono muted wiz-fingerprint">{k.fingerprint}</span>
          </label>
        ))}
        {props.keysError && (
          <p id="ssh-keys-error" className="field-error" role="alert">
            {props.keysError}
          </p>
        )}
      </fieldset>
      <Field label="Name" hint="Also the server's hostname." error={props.nameError}>
        {(fieldProps) => (
          <input
            {...fieldProps}
            name="name"
            required
            autoComplete="off"
            spellCheck={false}
            value={props.name}
            onChange={(e) => props.onName(e.target.value)}
          />
        )}
      </Field>
    </Step>
  );
}
