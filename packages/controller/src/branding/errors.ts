import { ConflictError, DomainError, ThrottledError } from "@layerboom/core";

/** Why a domain string is not a portal domain at all (answered 400). */
export type DomainSyntaxReason =
  | "empty"
  | "too_long"
  | "ip_literal"
  | "port"
  | "wildcard"
  | "not_a_hostname"
  | "single_label"
  | "local_name";

/** Why a well-formed domain may not be claimed now (answered 409). */
export type DomainClaimReason = "reserved" | "reserved_subdomain" | "taken" | "expired" | "too_many_pending";

/** Why a proof of control did not hold (answered 422). */
export type DomainProofReason =
  "dns_no_record" | "dns_wrong_token" | "dns_failed" | "http_failed" | "http_wrong_body" | "http_unavailable";

/** A portal domain string that is not a plain public host name; `reason` says which rule it broke. */
export class InvalidPortalDomainError extends DomainError {
  readonly code = "invalid_input";
  constructor(
    readonly reason: DomainSyntaxReason,
    message: string,
  ) {
    super(message, { field: "domain", reason });
  }
}

/** A domain that is reserved for the provider, already another brand's, or whose claim lapsed. */
export class PortalDomainConflictError extends ConflictError {
  constructor(
    readonly reason: DomainClaimReason,
    readonly domain: string,
    message: string,
  ) {
    super(message, { field: "domain", reason, domain });
  }
}

/** The DNS record or HTTP file that proves control of a domain was missing or wrong. */
export class DomainNotProvenError extends DomainError {
  readonly code = "domain_not_proven";
  constructor(
    readonly reason: DomainProofReason,
    readonly domain: string,
    message: string,
  ) {
    super(message, { reason, domain });
  }
}

/** A claim's proof was checked moments ago; each check is a DNS query or a fetch made for a tenant. */
export class ProofCheckedRecentlyError extends ThrottledError {
  constructor(
    readonly domain: string,
    retryAfterSeconds: number,
  ) {
    super(retryAfterSeconds);
    this.message = `${domain} was checked moments ago; check again in ${retryAfterSeconds} s.`;
  }
}
