import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../../api";
import type { Server } from "../../api";
import { ConfirmButton } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { bytes, periodName } from "../../format";
import { money, num } from "./format";
import { planQuery } from "./Usage";

/** The most extra addresses one server may have (the API's limit, docs/networking.md). */
export const MAX_EXTRA_IPV4 = 16;
/** Transfer is counted with the energy samples, every few minutes. */
const TRANSFER_POLL_MS = 60_000;

type Address = Server["addresses"][number];

/** The server's public IPv4 addresses, the primary one first (as the API lists them). */
export function publicAddresses(server: Pick<Server, "addresses">): Address[] {
  const ipv4 = server.addresses.filter((a) => a.kind === "ipv4");
  return [...ipv4.filter((a) => a.role === "primary"), ...ipv4.filter((a) => a.role !== "primary")];
}

/**
 * Public IPv4 (a site with an IPv4 pool): the addresses, "Add IPv4 address" with the plan's
 * price, and Release for each extra one, asking first. Changes reach the guest at its next boot.
 */
export function PublicAddresses({ server }: { server: Server }) {
  const id = server.id;
  const queryClient = useQueryClient();
  const plan = useQuery(planQuery(server.plan_id));
  const [notice, setNotice] = useState("");
  const [actionError, setActionError] = useState<Error | null>(null);
  const addresses = publicAddresses(server);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ["servers", id] });
  const start = () => {
    setNotice("");
    setActionError(null);
  };
  const add = useMutation({
    mutationFn: async () => unwrap(await api.POST("/servers/{id}/ipv4", { params: { path: { id } } })),
    onMutate: start,
    onError: setActionError,
    onSuccess: async (change) => {
      setNotice(`Added ${change.address}. The server configures it at its next reboot.`);
      await refresh();
    },
  });
  const release = useMutation({
    mutationFn: async (address: string) =>
      unwrap(await api.DELETE("/servers/{id}/ipv4/{address}", { params: { path: { id, address } } })),
    onMutate: start,
    onError: setActionError,
    onSuccess: async (_change, address) => {
      setNotice(`Released ${address}; it is no longer billed. The server drops it at its next reboot.`);
      await refresh();
    },
  });

  if (addresses.length === 0) return null;
  const deleting = server.desired_state === "deleted";
  const extras = addresses.filter((a) => a.role === "extra").length;
  const busy = add.isPending || release.isPending;
  const price = plan.data ? money(plan.data.extra_ipv4_monthly_minor, plan.data.currency) : undefined;

  return (
    <section className="card net-card stack" aria-labelledby="ipv4-heading">
      <h2 id="ipv4-heading">Public IPv4</h2>
      <ul className="plain net-addresses" aria-label="Public IPv4 addresses">
        {addresses.map((a) => (
          <li key={a.address}>
            <span className="mono">
              {a.address}
              {a.prefix !== undefined ? <span className="muted">/{a.prefix}</span> : null}
            </span>
            {a.role === "primary" ? (
              <span className="badge badge-active">primary</span>
            ) : (
              <span className="badge badge-open">extra</span>
            )}
            {a.role === "extra" && (
              <ConfirmButton
                label="Release"
                ariaLabel={`Release ${a.address}`}
                title={`Release ${a.address}?`}
                confirmLabel="Release address"
                disabled={busy || deleting}
                onConfirm={() => release.mutate(a.address)}
              >
                <p>
                  {server.name} gives {a.address} back and billing for it stops now. The address may go to
                  someone else later; you cannot get it back.
                </p>
              </ConfirmButton>
            )}
          </li>
        ))}
      </ul>
      <div className="net-add">
        <button
          type="button"
          onClick={() => add.mutate()}
          disabled={busy || deleting || extras >= MAX_EXTRA_IPV4}
          aria-describedby="ipv4-price"
        >
          {add.isPending ? "Adding…" : "Add IPv4 address"}
        </button>
        <span id="ipv4-price" className="muted">
          {price
            ? `${price} a month per extra address, billed by the hour`
            : "A paid add-on, billed by the hour"}
          {extras >= MAX_EXTRA_IPV4 ? ` (at most ${MAX_EXTRA_IPV4} per server)` : ""}
        </span>
      </div>
      <ErrorMessage error={actionError} />
      <p role="status" className="ok-text net-status">
        {notice}
      </p>
      <p className="hint">
        The primary address stays with the server until it is deleted. Added and released addresses apply at
        the server&rsquo;s next reboot.
      </p>
    </section>
  );
}

/** This month's transfer: sent (counted against the plan's allowance), received (free), per day. */
export function TransferThisMonth({ server }: { server: Server }) {
  const id = server.id;
  const hasPublic = server.addresses.some((a) => a.kind === "ipv4");
  const transfer = useQuery({
    queryKey: ["server-transfer", id],
    enabled: hasPublic,
    queryFn: async () => unwrap(await api.GET("/servers/{id}/transfer", { params: { path: { id } } })),
    refetchInterval: TRANSFER_POLL_MS,
  });
  const plan = useQuery(planQuery(server.plan_id));
  if (!hasPublic) return null;

  const t = transfer.data;
  const share = t && t.allowance_bytes > 0 ? Math.min(1, t.out_bytes / t.allowance_bytes) : t ? 1 : 0;
  const over = t ? Math.max(0, t.out_bytes - t.allowance_bytes) : 0;
  const overage = plan.data?.transfer_overage_minor_per_gib;

  return (
    <section className="card net-card" aria-labelledby="transfer-heading">
      <h2 id="transfer-heading">Transfer this month</h2>
      {transfer.isPending && <p className="loading">Loading transfer…</p>}
      <ErrorMessage error={transfer.error} />
      {t && (
        <>
          <dl className="details">
            <dt>Sent</dt>
            <dd data-testid="transfer-sent">{bytes(t.out_bytes)}</dd>
            <dt>Received</dt>
            <dd data-testid="transfer-received">
              {bytes(t.in_bytes)} <span className="muted">(free)</span>
            </dd>
            <dt>Allowance</dt>
            <dd data-testid="transfer-allowance">
              {bytes(t.allowance_bytes)}
              {plan.data && (
                <span className="muted">
                  {" "}
                  so far, of the plan&rsquo;s {num(plan.data.transfer_gib, 0)} GiB a month
                </span>
              )}
            </dd>
          </dl>
          <div
            className="net-bar"
            role="meter"
            aria-label="Allowance used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(share * 100)}
            aria-valuetext={`${num(share * 100, 0)} % of the allowance sent`}
          >
            <div
              className={`net-bar-fill${over > 0 ? " net-over" : ""}`}
              style={{ width: `${share * 100}%` }}
            />
          </div>
          <p className="hint">
            {over > 0 ? (
              <>
                {bytes(over)} over the allowance
                {overage !== undefined && plan.data
                  ? `, at ${money(overage, plan.data.currency)} per GiB.`
                  : "."}
              </>
            ) : (
              <>
                {num(share * 100, 0)} % of the allowance sent in {periodName(t.month)}.
                {overage !== undefined && plan.data
                  ? ` Beyond it, ${money(overage, plan.data.currency)} per GiB sent.`
                  : ""}
              </>
            )}{" "}
            The allowance is the plan&rsquo;s monthly transfer, prorated by the time the server exists in the
            month; received traffic is free.
          </p>
        </>
      )}
    </section>
  );
}
