import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { paths } from "@layerboom/client";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { ApiError, api, newIdempotencyKey, unwrap } from "../../../api";
import type { Site } from "../../../api";
import { ConfirmButton } from "../../../components/ConfirmDialog";
import { ErrorMessage } from "../../../components/ErrorMessage";
import { Field } from "../../../components/Field";
import { errorFor, otherError } from "../../../components/errors";

type IpPool =
  paths["/sites/{id}/ip-pools"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

const POOL_FIELDS = ["cidr", "gateway", "first_address", "last_address", "bridge", "nameservers"];

function poolsKey(siteId: string) {
  return ["ip-pools", siteId] as const;
}

/**
 * A site's public IPv4 pools (docs/networking.md): each one's network, range, bridge and how
 * many of its addresses servers hold; "Add IPv4 pool" and Remove, which asks first.
 */
export function IpPools({ site }: { site: Site }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const formId = useId();
  const pools = useQuery({
    queryKey: poolsKey(site.id),
    queryFn: async () =>
      unwrap(await api.GET("/sites/{id}/ip-pools", { params: { path: { id: site.id } } })).items,
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: poolsKey(site.id) });
    // Whether the site offers public addresses follows from its pools.
    await queryClient.invalidateQueries({ queryKey: ["sites"] });
  };
  const remove = useMutation({
    mutationFn: async (pool: IpPool) =>
      unwrap(await api.DELETE("/ip-pools/{id}", { params: { path: { id: pool.id } } })),
    onSuccess: refresh,
  });

  const headingId = `pools-${site.id}`;
  const list = pools.data;
  return (
    <section className="ops-pools stack" aria-labelledby={headingId}>
      <h3 id={headingId}>Public IPv4 pools</h3>
      {pools.isPending && <p className="loading">Loading pools…</p>}
      <ErrorMessage error={pools.error} />
      {list && list.length === 0 && (
        <p className="muted">
          None: servers here use private networking, with SSH through a forwarded port. Add a pool to give
          each new server a public address on a bridge of the site&rsquo;s hosts.
        </p>
      )}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="ops-table cards">
            <caption className="sr-only">IPv4 pools of {site.name}</caption>
            <thead>
              <tr>
                <th scope="col">Network</th>
                <th scope="col">Range</th>
                <th scope="col">Gateway</th>
                <th scope="col">Bridge</th>
                <th scope="col">In use</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.id}>
                  <td data-label="Network" className="mono">
                    {p.cidr}
                  </td>
                  <td data-label="Range" className="mono">
                    {p.first_address} – {p.last_address}
                  </td>
                  <td data-label="Gateway" className="mono">
                    {p.gateway}
                    {p.nameservers.length > 0 && (
                      <span className="muted"> · DNS {p.nameservers.join(", ")}</span>
                    )}
                  </td>
                  <td data-label="Bridge" className="mono">
                    {p.bridge}
                  </td>
                  <td data-label="In use">
                    {p.in_use} / {p.size}
                  </td>
                  <td>
                    <ConfirmButton
                      label="Remove"
                      ariaLabel={`Remove pool ${p.cidr}`}
                      title={`Remove pool ${p.cidr}?`}
                      confirmLabel="Remove pool"
                      disabled={remove.isPending}
                      onConfirm={() => remove.mutate(p)}
                    >
                      <p>
                        New servers of {site.name} no longer get addresses from {p.cidr}. A pool whose
                        addresses servers still hold cannot be removed.
                      </p>
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorMessage error={remove.error} />
      <button
        type="button"
        aria-expanded={adding}
        aria-controls={formId}
        onClick={() => setAdding((a) => !a)}
      >
        {adding ? "Close the pool form" : "Add IPv4 pool"}
      </button>
      {adding && (
        <div id={formId}>
          <AddPoolForm
            site={site}
            defaultBridge={list?.[0]?.bridge ?? ""}
            onAdded={async () => {
              setAdding(false);
              await refresh();
            }}
          />
        </div>
      )}
    </section>
  );
}

function AddPoolForm(props: { site: Site; defaultBridge: string; onAdded: () => Promise<void> }) {
  const empty = {
    cidr: "",
    gateway: "",
    first_address: "",
    last_address: "",
    bridge: props.defaultBridge,
    nameservers: "",
  };
  const [form, setForm] = useState(empty);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey());
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));

  const create = useMutation({
    mutationFn: async () => {
      const nameservers = form.nameservers
        .split(/[\s,]+/)
        .map((n) => n.trim())
        .filter(Boolean);
      return unwrap(
        await api.POST("/sites/{id}/ip-pools", {
          params: { path: { id: props.site.id } },
          body: {
            cidr: form.cidr.trim(),
            gateway: form.gateway.trim(),
            bridge: form.bridge.trim(),
            ...(form.first_address.trim() ? { first_address: form.first_address.trim() } : {}),
            ...(form.last_address.trim() ? { last_address: form.last_address.trim() } : {}),
            ...(nameservers.length > 0 ? { nameservers } : {}),
          },
          headers: { "idempotency-key": idempotencyKey },
        }),
      );
    },
    onError: (err) => {
      if (err instanceof ApiError) setIdempotencyKey(newIdempotencyKey());
    },
    onSuccess: async () => {
      setForm(empty);
      setIdempotencyKey(newIdempotencyKey());
      await props.onAdded();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate();
  }

  const error = create.error;
  const nameserversError =
    error instanceof ApiError && error.field?.startsWith("nameservers") ? error.message : undefined;
  const general =
    error instanceof ApiError && error.field?.startsWith("nameservers")
      ? undefined
      : otherError(error, POOL_FIELDS);
  const plainIpv4 = "Write an IPv4 address, e.g. 203.0.113.1.";

  return (
    <form
      onSubmit={submit}
      noValidate
      className="card stack ops-pool-form"
      aria-label={`Add an IPv4 pool to ${props.site.name}`}
    >
      <div className="ops-form-row">
        <Field label="Network (CIDR)" hint="e.g. 203.0.113.0/24" error={errorFor(error, "cidr")}>
          {(p) => (
            <input
              {...p}
              name="cidr"
              autoComplete="off"
              spellCheck={false}
              value={form.cidr}
              onChange={set("cidr")}
            />
          )}
        </Field>
        <Field label="Gateway" hint="Inside the network" error={errorFor(error, "gateway", plainIpv4)}>
          {(p) => (
            <input
              {...p}
              name="gateway"
              autoComplete="off"
              spellCheck={false}
              value={form.gateway}
              onChange={set("gateway")}
            />
          )}
        </Field>
        <Field
          label="First address"
          hint="Optional; by default the network's first host"
          error={errorFor(error, "first_address", plainIpv4)}
        >
          {(p) => (
            <input
              {...p}
              name="first_address"
              autoComplete="off"
              spellCheck={false}
              value={form.first_address}
              onChange={set("first_address")}
            />
          )}
        </Field>
        <Field
          label="Last address"
          hint="Optional; by default the network's last host"
          error={errorFor(error, "last_address", plainIpv4)}
        >
          {(p) => (
            <input
              {...p}
              name="last_address"
              autoComplete="off"
              spellCheck={false}
              value={form.last_address}
              onChange={set("last_address")}
            />
          )}
        </Field>
        <Field
          label="Bridge"
          hint="The Linux bridge carrying the network on every host of the site"
          error={errorFor(error, "bridge")}
        >
          {(p) => (
            <input
              {...p}
              name="bridge"
              autoComplete="off"
              spellCheck={false}
              maxLength={15}
              value={form.bridge}
              onChange={set("bridge")}
            />
          )}
        </Field>
        <Field label="DNS resolvers" hint="Optional, up to 4, separated by commas" error={nameserversError}>
          {(p) => (
            <input
              {...p}
              name="nameservers"
              autoComplete="off"
              spellCheck={false}
              value={form.nameservers}
              onChange={set("nameservers")}
            />
          )}
        </Field>
      </div>
      <ErrorMessage error={general} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add pool"}
        </button>
      </div>
    </form>
  );
}
