import { DomainNotProvenError } from "./errors.js";

/** How a reseller proves that it controls a domain. */
export type ProofMethod = "dns" | "http";
export const PROOF_METHODS: readonly ProofMethod[] = ["dns", "http"];

/** The DNS label under the domain that holds the TXT record. */
export const CHALLENGE_LABEL = "_layerboom-challenge";
/** The HTTP path prefix that serves the token file. */
export const CHALLENGE_PATH = "/.well-known/layerboom-challenge/";

/** What the reseller publishes, either way: the token, at a DNS name or a URL of its domain. */
export interface Challenge {
  token: string;
  dns_name: string;
  http_url: string;
}

export function challengeFor(domain: string, token: string): Challenge {
  return {
    token,
    dns_name: `${CHALLENGE_LABEL}.${domain}`,
    http_url: `http://${domain}${CHALLENGE_PATH}${token}`,
  };
}

/** The part of a DNS resolver the TXT proof uses (node:dns's Resolver has it). */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}

/**
 * Fetches a challenge URL for a tenant: through the outbound guard (public addresses only,
 * every redirect checked, time and size capped). Throws an Error whose message a tenant may see.
 */
export type ChallengeFetch = (url: URL) => Promise<{ status: number; body: string }>;

/** Checks a proof of control; throws a DomainNotProvenError saying what was missing. */
export interface DomainProver {
  prove(method: ProofMethod, domain: string, token: string): Promise<void>;
}

// A token file is the token and perhaps a newline; anything longer is not one.
const MAX_BODY_CHARS = 1024;
// Errors that mean "no such record" rather than "DNS did not answer".
const NO_RECORD = new Set(["ENOTFOUND", "ENODATA", "NOTFOUND", "NODATA"]);

/**
 * The two proofs. Each compares the whole record or body with the token, never a substring,
 * so a page that merely echoes the requested path (a 404 page, a catch-all portal) proves nothing.
 */
export function createDomainProver(options: {
  resolver: TxtResolver;
  /** Without one (no outbound guard configured), the HTTP proof is refused and DNS is the only way. */
  fetch?: ChallengeFetch | undefined;
  /** Tests only: the port the HTTP proof connects to instead of 80 (a test cannot always bind 80). */
  httpPort?: number | undefined;
}): DomainProver {
  async function dns(domain: string, token: string): Promise<void> {
    const name = `${CHALLENGE_LABEL}.${domain}`;
    let records: string[][];
    try {
      records = await options.resolver.resolveTxt(name);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (typeof code === "string" && NO_RECORD.has(code))
        throw new DomainNotProvenError("dns_no_record", domain, `DNS has no TXT record at ${name}.`);
      throw new DomainNotProvenError(
        "dns_failed",
        domain,
        `DNS gave no answer for ${name}${typeof code === "string" ? ` (${code})` : ""}; try again later.`,
      );
    }
    // A long TXT record arrives in 255-byte pieces; the record is their concatenation (RFC 7208 §3.3).
    if (records.some((chunks) => chunks.join("").trim() === token)) return;
    throw new DomainNotProvenError(
      "dns_wrong_token",
      domain,
      records.length === 0
        ? `DNS has no TXT record at ${name}.`
        : `None of the ${records.length} TXT record(s) at ${name} holds this claim's token.`,
    );
  }

  async function http(domain: string, token: string): Promise<void> {
    const url = new URL(challengeFor(domain, token).http_url);
    if (options.httpPort !== undefined) url.port = String(options.httpPort);
    if (!options.fetch)
      throw new DomainNotProvenError(
        "http_unavailable",
        domain,
        "This controller does not make HTTP proofs; publish the DNS TXT record instead.",
      );
    let answer: { status: number; body: string };
    try {
      answer = await options.fetch(url);
    } catch (err) {
      throw new DomainNotProvenError(
        "http_failed",
        domain,
        `Fetching ${url.href} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (answer.status !== 200)
      throw new DomainNotProvenError(
        "http_failed",
        domain,
        `Fetching ${url.href} answered HTTP ${answer.status}, not 200.`,
      );
    if (answer.body.length > MAX_BODY_CHARS || answer.body.trim() !== token)
      throw new DomainNotProvenError(
        "http_wrong_body",
        domain,
        `${url.href} does not answer with exactly this claim's token.`,
      );
  }

  return {
    prove: (method, domain, token) => (method === "dns" ? dns(domain, token) : http(domain, token)),
  };
}
