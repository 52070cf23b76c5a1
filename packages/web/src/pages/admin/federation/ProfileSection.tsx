import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../../api";
import { CopyBox } from "../../../components/CopyBox";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { errorFor, otherError } from "../../../components/errors";

export const PROFILE_KEY = ["federation", "profile"] as const;
const FIELDS = ["name", "url", "jurisdictions.*", "contact"] as const;

/** The profile peers read at /federation/v1/profile, and the form that changes it. */
export function ProfileSection() {
  const profile = useQuery({
    queryKey: PROFILE_KEY,
    queryFn: async () => unwrap(await api.GET("/federation/profile")),
  });
  const [editing, setEditing] = useState(false);
  return (
    <>
      <h2>This installation</h2>
      {profile.isPending && <p className="loading">Loading the profile…</p>}
      <ErrorMessage error={profile.error} />
      {profile.data && !editing && (
        <div className="card">
          <dl className="details">
            <dt>Name</dt>
            <dd>{profile.data.name}</dd>
            <dt>URL peers call</dt>
            <dd className="mono">
              {profile.data.url ?? <span className="muted">not set: peers cannot reach you</span>}
            </dd>
            <dt>Jurisdictions</dt>
            <dd>{profile.data.jurisdictions.join(", ") || <span className="muted">none declared</span>}</dd>
            <dt>Contact</dt>
            <dd>{profile.data.contact || <span className="muted">none</span>}</dd>
          </dl>
          <p>Key fingerprint (read it to a partner's admin before they approve you):</p>
          <CopyBox value={profile.data.fingerprint} label="This installation's key fingerprint" />
          <button type="button" onClick={() => setEditing(true)}>
            Edit the profile
          </button>
        </div>
      )}
      {profile.data && editing && <ProfileForm initial={profile.data} onDone={() => setEditing(false)} />}
    </>
  );
}

function ProfileForm(props: {
  initial: { name: string; url: string | null; jurisdictions: string[]; contact: string };
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(props.initial.name);
  const [url, setUrl] = useState(props.initial.url ?? "");
  const [jurisdictions, setJurisdictions] = useState(props.initial.jurisdictions.join(", "));
  const [contact, setContact] = useState(props.initial.contact);
  const save = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.PATCH("/federation/profile", {
          body: {
            name: name.trim(),
            ...(url.trim() ? { url: url.trim() } : {}),
            jurisdictions: jurisdictions
              .split(",")
              .map((j) => j.trim())
              .filter(Boolean),
            contact: contact.trim(),
          },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: PROFILE_KEY });
      props.onDone();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form className="card" onSubmit={submit} noValidate>
      <Field label="Name" error={errorFor(save.error, "name")}>
        {(c) => <input {...c} value={name} onChange={(e) => setName(e.target.value)} required />}
      </Field>
      <Field
        label="URL peers call"
        hint="The controller's base URL as partners reach it (scheme, host, port; no path)."
        error={errorFor(save.error, "url")}
      >
        {(c) => <input {...c} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
      </Field>
      <Field
        label="Jurisdictions"
        hint="ISO 3166 codes, comma-separated: a country (CA) or a subdivision (CA-QC)."
        error={errorFor(
          save.error,
          "jurisdictions.*",
          "Use ISO 3166 codes such as CA or CA-QC, in capitals.",
        )}
      >
        {(c) => <input {...c} value={jurisdictions} onChange={(e) => setJurisdictions(e.target.value)} />}
      </Field>
      <Field label="Contact" error={errorFor(save.error, "contact")}>
        {(c) => <input {...c} value={contact} onChange={(e) => setContact(e.target.value)} />}
      </Field>
      <ErrorMessage error={otherError(save.error, FIELDS)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save the profile
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
