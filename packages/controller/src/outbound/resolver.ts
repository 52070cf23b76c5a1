import { Resolver } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/** A DNS server setting that is not `address[:port]`. */
export class DnsServerError extends Error {
  constructor(readonly server: string) {
    super(`"${server}" is not a DNS server address (expected address[:port], [IPv6]:port).`);
    this.name = "DnsServerError";
  }
}

/** How long one DNS question may take, and how often it is asked, before the name counts as unresolvable. */
export interface ResolverOptions {
  timeoutMs?: number;
  tries?: number;
}

/**
 * Normalises one `address[:port]` entry (`192.0.2.53`, `192.0.2.53:5353`, `::1`,
 * `[::1]:5353`) to the form `Resolver.setServers` takes. Names are refused: a resolver
 * that first had to resolve its own server would depend on the system's resolver after all.
 */
export function parseDnsServer(text: string): string {
  const entry = text.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const v4WithPort = /^([0-9.]+):(\d{1,5})$/.exec(entry);
  const address = bracketed?.[1] ?? v4WithPort?.[1] ?? entry;
  const portText = bracketed?.[2] ?? v4WithPort?.[2];
  if (!ipaddr.isValid(address)) throw new DnsServerError(text);
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4" && !ipaddr.IPv4.isValidFourPartDecimal(address))
    throw new DnsServerError(text);
  if (portText === undefined) return parsed.toString();
  const port = Number(portText);
  if (port < 1 || port > 65535) throw new DnsServerError(text);
  return parsed.kind() === "ipv6" ? `[${parsed.toString()}]:${port}` : `${parsed.toString()}:${port}`;
}

/**
 * The one DNS resolver for names a tenant gave us (image URLs, webhooks, portal domain
 * proofs). It asks DNS servers directly and never reads /etc/hosts, so a name the
 * controller's host maps to itself is not honoured for a tenant. `servers` (from
 * LAYERBOOM_DNS_SERVERS) lets tests and providers point it at their own DNS server;
 * without it the system's configured name servers are asked.
 */
export function createResolver(servers?: string[], options: ResolverOptions = {}): Resolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  if (servers !== undefined && servers.length > 0) resolver.setServers(servers.map(parseDnsServer));
  return resolver;
}
