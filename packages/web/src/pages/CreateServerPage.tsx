import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { ApiError, api, fieldError, unwrap } from "../api";
import type { Plan } from "../api";
import { Field } from "../components/Field";

const FIELDS = ["name", "site_id", "plan_id", "image_id", "ssh_key_ids"];

function price(minor: number, currency: string): string {
  const format = new Intl.NumberFormat(undefined, { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minor / 10 ** digits);
}

function describePlan(p: Plan): string {
  const memory = p.memory_mib >= 1024 ? `${p.memory_mib / 1024} GiB` : `${p.memory_mib} MiB`;
  const cpus = `${p.vcpus} vCPU${p.vcpus === 1 ? "" : "s"}`;
  return `${p.name}: ${cpus}, ${memory} RAM, ${p.disk_gib} GiB disk, ${price(p.hourly_price_minor, p.currency)}/hour (at most ${price(p.monthly_cap_minor, p.currency)}/month)`;
}

export function CreateServerPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [siteId, setSiteId] = useState("");
  const [planId, setPlanId] = useState("");
  const [imageId, setImageId] = useState("");
  const [keyIds, setKeyIds] = useState<string[]>([]);
  // A resubmit after a lost answer reuses the key, so it creates one server, not two. Once the API
  // has answered with a refusal, the corrected form is a new request and needs a new key.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());

  const sites = useQuery({
    queryKey: ["sites"],
    queryFn: async () => unwrap(await api.GET("/sites", { params: { query: { limit: 100 } } })).items,
  });
  const plans = useQuery({
    queryKey: ["plans"],
    queryFn: async () =>
      unwrap(await api.GET("/plans", { params: { query: { active: true, limit: 100 } } })).items,
  });
  const images = useQuery({
    queryKey: ["images"],
    queryFn: async () =>
      unwrap(await api.GET("/images", { params: { query: { limit: 100 } } })).items.filter(
        (i) => i.status === "available",
      ),
  });
  const keys = useQuery({
    queryKey: ["ssh-keys"],
    queryFn: async () => unwrap(await api.GET("/ssh-keys", { params: { query: { limit: 100 } } })).items,
  });

  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/servers", {
          body: {
            name,
            plan_id: planId,
            image_id: imageId,
            ...(siteId ? { site_id: siteId } : {}),
            ssh_key_ids: keyIds,
          },
          headers: { "idempotency-key": idempotencyKey },
        }),
      ),
    onError: (err) => {
      if (err instanceof ApiError) setIdempotencyKey(crypto.randomUUID());
    },
    onSuccess: async (server) => {
      await queryClient.invalidateQueries({ queryKey: ["servers"] });
      await navigate(`/servers/${server.id}`);
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const general =
    error && !(error instanceof ApiError && error.field && FIELDS.includes(error.field))
      ? error.message
      : undefined;
  const listError = [sites, plans, images, keys].find((q) => q.isError)?.error;

  return (
    <section>
      <h1>New server</h1>
      {listError && (
        <p role="alert" className="error">
          {listError.message}
        </p>
      )}
      <form onSubmit={submit} noValidate className="card stack">
        <Field label="Name" hint="Also the server's hostname." error={fieldError(error, "name")}>
          {(props) => (
            <input
              {...props}
              name="name"
              required
              autoComplete="off"
              spellCheck={false}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Site" error={fieldError(error, "site_id")}>
          {(props) => (
            <select {...props} name="site_id" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
              <option value="">Any site: the cheapest, cleanest power now</option>
              {sites.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.region_code}, {s.country_code})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Plan" error={fieldError(error, "plan_id")}>
          {(props) => (
            <select {...props} name="plan_id" value={planId} onChange={(e) => setPlanId(e.target.value)}>
              <option value="">Choose a plan…</option>
              {plans.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {describePlan(p)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Image" error={fieldError(error, "image_id")}>
          {(props) => (
            <select {...props} name="image_id" value={imageId} onChange={(e) => setImageId(e.target.value)}>
              <option value="">Choose an image…</option>
              {images.data?.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                  {i.os && i.os !== "unknown" ? ` (${i.os})` : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset
          className="field"
          aria-describedby={fieldError(error, "ssh_key_ids") ? "ssh-keys-error" : undefined}
        >
          <legend>SSH keys</legend>
          {keys.data?.length === 0 && (
            <p className="hint">
              Your account has no SSH keys yet; without one, log in through the server&rsquo;s console.
            </p>
          )}
          {keys.data?.map((k) => (
            <label key={k.id} className="check">
              <input
                type="checkbox"
                name="ssh_key_ids"
                value={k.id}
                checked={keyIds.includes(k.id)}
                onChange={(e) =>
                  setKeyIds((ids) => (e.target.checked ? [...ids, k.id] : ids.filter((x) => x !== k.id)))
                }
              />
              {k.name} <span className="mono muted">{k.fingerprint}</span>
            </label>
          ))}
          {fieldError(error, "ssh_key_ids") && (
            <p id="ssh-keys-error" className="field-error" role="alert">
              {fieldError(error, "ssh_key_ids")}
            </p>
          )}
        </fieldset>
        {general && (
          <p role="alert" className="error">
            {general}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create server"}
          </button>
          <Link to="/servers">Cancel</Link>
        </div>
      </form>
    </section>
  );
}
