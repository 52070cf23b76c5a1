import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { FormEvent } from "react";
import { api, unwrap } from "../../api";
import { Badge } from "../../components/Badge";
import { CopyBox } from "../../components/CopyBox";
import { ErrorMessage } from "../../components/ErrorMessage";
import { errorFor, otherError } from "../../components/errors";
import { Field } from "../../components/Field";
import { day } from "../../format";
import type { PortalDomain } from "./business/types";

const DOMAINS_KEY = ["branding", "domains"] as const;

const METHOD_LABEL: Record<NonNullable<PortalDomain["method"]>, string> = {
  dns: "DNS record",
  http: "HTTP file",
  assigned: "assigned by the provider",
};

/**
 * The brand's portal domain: claimed here, then proven with a DNS TXT record or an HTTP file
 * (docs/security.md, "Portal domains"). Until proven a domain does nothing, so the page says
 * plainly what to publish and what the last check found. A provider admin's own claim is
 * assigned at once.
 */
export function PortalDomainsSection({
  accountId,
  isProvider,
  slug,
}: {
  accountId: string;
  isProvider: boolean;
  slug: string | undefined;
}) {
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState("");
  const claims = useQuery({
    queryKey: DOMAINS_KEY,
    queryFn: async () => unwrap(await api.GET("/branding/domains")).items,
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: DOMAINS_KEY });
    // The brand shows its verified domain.
    await queryClient.invalidateQueries({ queryKey: ["branding"] });
  };

  const claim = useMutation({
    mutationFn: async () => unwrap(await api.POST("/branding/domains", { body: { domain: domain.trim() } })),
    onSuccess: async () => {
      setDomain("");
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    claim.mutate();
  }

  // The provider sees every reseller's claims too; its own come first.
  const rows = [...(claims.data ?? [])].sort(
    (a, b) => Number(b.account_id === accountId) - Number(a.account_id === accountId),
  );

  return (
    <section className="card stack" aria-labelledby="portal-domain-heading">
      <h2 id="portal-domain-heading">Portal domain</h2>
      <p className="muted">
        A host name of yours, pointed at this portal, where customers see your brand on the login page and
        sign up as your customers.{" "}
        {isProvider
          ? "As the provider, a domain you add here is yours at once."
          : "You claim it here and prove that it is yours with a DNS record or a file on your web server; until then it does nothing."}
        {slug && !isProvider && (
          <>
            {" "}
            Without one, send customers to <code>?reseller={slug}</code> on this portal.
          </>
        )}
      </p>
      {claims.isPending && <p className="loading">Loading your domains…</p>}
      <ErrorMessage error={claims.error} />
      {rows.map((c) => (
        <DomainClaim key={c.id} claim={c} own={c.account_id === accountId} onChange={refresh} />
      ))}
      <form onSubmit={submit} noValidate className="stack" aria-label="Claim a portal domain">
        <Field
          label={isProvider ? "Add a portal domain" : "Claim a portal domain"}
          hint="Like portal.example.com: no https://, no port, no wildcard."
          error={errorFor(claim.error, "domain")}
        >
          {(props) => (
            <input
              {...props}
              autoComplete="off"
              spellCheck={false}
              placeholder="portal.example.com"
              value={domain}
              onChange={(e) => {
                claim.reset();
                setDomain(e.target.value);
              }}
            />
          )}
        </Field>
        <ErrorMessage error={otherError(claim.error, ["domain"])} />
        <div className="actions">
          <button type="submit" disabled={claim.isPending || domain.trim() === ""}>
            {claim.isPending ? "Claiming…" : isProvider ? "Add domain" : "Claim domain"}
          </button>
        </div>
      </form>
    </section>
  );
}

function DomainClaim({
  claim,
  own,
  onChange,
}: {
  claim: PortalDomain;
  own: boolean;
  onChange: () => Promise<void>;
}) {
  const verify = useMutation({
    mutationFn: async (method: "dns" | "http") =>
      unwrap(
        await api.POST("/branding/domains/{id}/verify", {
          params: { path: { id: claim.id } },
          body: { method },
        }),
      ),
    onSettled: onChange,
  });
  const release = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE("/branding/domains/{id}", { params: { path: { id: claim.id } } })),
    onSuccess: onChange,
  });
  const challenge = claim.challenge;
  const busy = verify.isPending || release.isPending;

  return (
    <div className="stack biz-domain" aria-label={`Portal domain ${claim.domain}`}>
      <p>
        <strong className="mono">{claim.domain}</strong>{" "}
        {claim.status === "verified" ? (
          <Badge state="active" label="verified" />
        ) : (
          <Badge state="pending" label="not proven yet" />
        )}
        {!own && <span className="muted"> · account {claim.account_id}</span>}
        {claim.status === "verified" && claim.method && (
          <span className="muted">
            {" "}
            · {METHOD_LABEL[claim.method]}
            {claim.verified_at && `, ${day(claim.verified_at)}`}
          </span>
        )}
      </p>
      {challenge && own && (
        <div className="biz-note stack">
          <p>Publish one of these, then check it:</p>
          <p>
            A <strong>DNS TXT record</strong> named <code>{challenge.dns_name}</code> holding:
          </p>
          <CopyBox value={challenge.token} label={`TXT record value for ${claim.domain}`} />
          <p>
            Or a <strong>file</strong> at <code className="biz-wrap">{challenge.http_url}</code> whose whole
            content is that same token.
          </p>
          {claim.expires_at && <p className="hint">The token is good until {day(claim.expires_at)}.</p>}
        </div>
      )}
      {claim.status === "pending" && claim.check_error && !verify.error && (
        <p className="biz-warn">Last check: {claim.check_error}</p>
      )}
      <ErrorMessage error={verify.error ?? release.error} />
      <div className="actions">
        {claim.status === "pending" && (
          <>
            <button type="button" disabled={busy} onClick={() => verify.mutate("dns")}>
              {verify.isPending && verify.variables === "dns" ? "Checking…" : "Check DNS record"}
            </button>
            <button type="button" disabled={busy} onClick={() => verify.mutate("http")}>
              {verify.isPending && verify.variables === "http" ? "Checking…" : "Check HTTP file"}
            </button>
          </>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            const what =
              claim.status === "verified"
                ? `Release ${claim.domain}? Its login page and signups go back to the provider's.`
                : `Withdraw the claim on ${claim.domain}?`;
            if (window.confirm(what)) release.mutate();
          }}
        >
          {claim.status === "verified" ? "Release" : "Withdraw"}
        </button>
      </div>
    </div>
  );
}
