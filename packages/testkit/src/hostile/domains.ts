/** A domain string a reseller might send as its portal domain, and how the controller must refuse it. */
export interface HostileDomain {
  domain: string;
  /** The HTTP status of the refusal: 400 for what is not a public host name, 409 for the provider's names. */
  status: 400 | 409;
  /** The `details.reason` the refusal names. */
  reason: string;
  /** What the case tries. */
  why: string;
}

/**
 * Portal domain claims that must never succeed, for a controller whose public URL's host is
 * `publicHost` and which also reserves `reservedDomain` (LAYERBOOM_RESERVED_DOMAINS). Each
 * names the reason the refusal must carry.
 */
export function hostileDomainClaims(publicHost: string, reservedDomain: string): HostileDomain[] {
  const upperDot = (name: string) => `${name.toUpperCase()}.`;
  const fullWidth = (name: string) =>
    name.replace(/[a-z]/g, (c) => String.fromCodePoint(c.charCodeAt(0) - 0x61 + 0xff41));
  const cases: [string, 400 | 409, string, string][] = [
    ["127.0.0.1", 400, "ip_literal", "loopback as a dotted quad"],
    ["127.1", 400, "ip_literal", "loopback, shortened"],
    ["2130706433", 400, "ip_literal", "loopback as one decimal number"],
    ["0x7f000001", 400, "ip_literal", "loopback in hex"],
    ["0.0.0.0", 400, "ip_literal", "the unspecified address"],
    ["169.254.169.254", 400, "ip_literal", "the cloud metadata service"],
    ["[::1]", 400, "ip_literal", "IPv6 loopback, bracketed"],
    ["::1", 400, "ip_literal", "IPv6 loopback"],
    ["[::]", 400, "ip_literal", "the IPv6 unspecified address"],
    ["[::ffff:127.0.0.1]", 400, "ip_literal", "IPv4-mapped loopback"],
    ["10.0.0.1:8080", 400, "ip_literal", "a private address with a port"],
    ["portal.1", 400, "ip_literal", "a name that URL parsers read as an address"],
    ["localhost", 400, "local_name", "localhost"],
    ["LOCALHOST.", 400, "local_name", "localhost, upper case and absolute"],
    ["admin.localhost", 400, "local_name", "a name under .localhost"],
    ["printer.local", 400, "local_name", "an mDNS name"],
    ["metadata.google.internal", 400, "local_name", "an internal name"],
    ["portal.example.com:8443", 400, "port", "a name with a port"],
    [`${publicHost}:443`, 400, "port", "the provider's own host with a port"],
    ["*.example.com", 400, "wildcard", "a wildcard"],
    ["portal..example.com", 400, "not_a_hostname", "an empty label (..)"],
    [".example.com", 400, "not_a_hostname", "a leading dot"],
    ["https://portal.example.com", 400, "not_a_hostname", "a URL"],
    ["portal.example.com/../../etc", 400, "not_a_hostname", "a path"],
    [`evil@${publicHost}`, 400, "not_a_hostname", "userinfo before the provider's host"],
    ["portal%2eexample.com", 400, "not_a_hostname", "a percent-escape"],
    // (NUL bytes and lone surrogates never reach the route: every request with them is a 400.)
    ["portal\u0007.example.com", 400, "not_a_hostname", "a control character"],
    ["portal_example.com", 400, "not_a_hostname", "an underscore"],
    ["portal", 400, "single_label", "a single label"],
    ["", 400, "empty", "nothing"],
    [publicHost, 409, "reserved", "the provider's public host"],
    [upperDot(publicHost), 409, "reserved", "the provider's public host, upper case with a trailing dot"],
    [fullWidth(publicHost), 409, "reserved", "the provider's public host in full-width letters"],
    [reservedDomain, 409, "reserved", "a configured reserved domain"],
    [
      upperDot(reservedDomain),
      409,
      "reserved",
      "a configured reserved domain, upper case with a trailing dot",
    ],
    [`login.${reservedDomain}`, 409, "reserved_subdomain", "a subdomain of a reserved domain"],
    [`x.${upperDot(publicHost)}`, 409, "reserved_subdomain", "a subdomain of the public host"],
  ];
  return cases.map(([domain, status, reason, why]) => ({ domain, status, reason, why }));
}
