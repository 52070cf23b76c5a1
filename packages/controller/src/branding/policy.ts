import type { OutboundGuard } from "../outbound/guard.js";
import { createResolver } from "../outbound/resolver.js";
import { ReservedDomains } from "./domain-name.js";
import { createDomainProver } from "./proof.js";
import type { ChallengeFetch, DomainProver, TxtResolver } from "./proof.js";

/** What a provider configures about portal domains (docs/security.md, "Portal domains"). */
export interface PortalDomainOptions {
  /**
   * The provider's own names besides the public URL's host (always reserved):
   * LAYERBOOM_RESERVED_DOMAINS and the controller's listen host. Each covers its subdomains.
   */
  reserved?: readonly string[] | undefined;
  /** LAYERBOOM_DNS_SERVERS: where the TXT proof asks, when no resolver is given. */
  dnsServers?: string[] | undefined;
  /** Answers the TXT proof. Default: createResolver(dnsServers), which never reads /etc/hosts. */
  resolver?: TxtResolver | undefined;
  /** Fetches the HTTP proof for a tenant; without it only the DNS proof is offered. */
  fetch?: ChallengeFetch | undefined;
  /** How long a pending claim's token stays good (default 7 days). */
  claimTtlMs?: number | undefined;
  /** The least time between two proof checks of one claim (default 5 s). */
  checkIntervalMs?: number | undefined;
  /** Tests only: the port the HTTP proof connects to instead of 80. */
  httpPort?: number | undefined;
}

/** What claims are checked against; compiled once at start-up. */
export interface PortalDomainPolicy {
  reserved: ReservedDomains;
  prover: DomainProver;
  /** How long a pending claim's token may be published before it lapses. */
  claimTtlMs: number;
  /** The least time between two proof checks of one claim. */
  checkIntervalMs: number;
}

export const DEFAULT_CLAIM_TTL_MS = 7 * 24 * 3_600_000;
/** Enough to fix a typo in a record and try again; too little to turn the controller into a query cannon. */
export const DEFAULT_CHECK_INTERVAL_MS = 5_000;

/** Fills defaults. The public URL's host is always reserved, whatever else is configured. */
export function compilePortalDomainPolicy(
  options: PortalDomainOptions,
  publicUrl: string | undefined,
): PortalDomainPolicy {
  const publicHost = publicUrl === undefined ? [] : [new URL(publicUrl).hostname];
  return {
    reserved: new ReservedDomains([...publicHost, ...(options.reserved ?? [])]),
    prover: createDomainProver({
      resolver: options.resolver ?? createResolver(options.dnsServers),
      fetch: options.fetch,
      httpPort: options.httpPort,
    }),
    claimTtlMs: options.claimTtlMs ?? DEFAULT_CLAIM_TTL_MS,
    checkIntervalMs: options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
  };
}

/**
 * The HTTP proof's fetch, made as every fetch for a tenant is: through the outbound guard, so a
 * claimed name that resolves to loopback or a private address is refused before any connection.
 * A token file is a few dozen bytes, so the cap is small and redirects few.
 */
export function challengeFetchThrough(guard: OutboundGuard): ChallengeFetch {
  return async (url) => {
    const answer = await guard.request(url.href, { timeoutMs: 10_000, maxBytes: 1024, maxRedirects: 2 });
    const chunks: Buffer[] = [];
    for await (const chunk of answer.body) chunks.push(chunk as Buffer);
    return { status: answer.status, body: Buffer.concat(chunks).toString("utf8") };
  };
}
