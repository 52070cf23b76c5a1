import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import { InvalidPortalDomainError, PortalDomainConflictError } from "./errors.js";

const MAX_INPUT_CHARS = 300;
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
// The last label starts with a letter: a name ending in a number is an IPv4 address to URL parsers.
const HOSTNAME = new RegExp(`^(?=.{1,253}$)(?:${LABEL}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`);
// Characters that end a host in a URL: domainToASCII would quietly cut the name there.
const URL_DELIMITERS = /[/\\?#@%]/;
// WHATWG URL parsing reads a name whose last label is a number (decimal, octal or 0x-hex) as IPv4.
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

/**
 * Names that never resolve the same for everyone: special-use names (RFC 6761, RFC 9476) and
 * the private suffixes ICANN will not delegate. A "proof" for one of these proves only what the
 * controller's own resolver says, so they are refused before any lookup.
 */
const LOCAL_SUFFIXES = [
  "localhost",
  "localdomain",
  "local",
  "internal",
  "intranet",
  "lan",
  "home",
  "corp",
  "private",
  "invalid",
  "arpa",
  "onion",
  "alt",
];

function refuse(reason: ConstructorParameters<typeof InvalidPortalDomainError>[0], message: string): never {
  throw new InvalidPortalDomainError(reason, message);
}

/**
 * A portal domain as it is stored and compared: lower case, punycode (IDNA), without the
 * trailing dot. Throws an InvalidPortalDomainError naming the rule that `text` broke: IP
 * literals, ports, wildcards, URLs, empty labels, single labels and local names are refused.
 */
export function normalizePortalDomain(text: string): string {
  const shown = JSON.stringify(text.slice(0, 80));
  const trimmed = text.trim();
  if (trimmed === "") refuse("empty", "The domain is empty.");
  if (trimmed.length > MAX_INPUT_CHARS)
    refuse("too_long", `The domain has ${trimmed.length} characters; a host name has at most 253.`);
  if (/[\s\p{Cc}]/u.test(trimmed)) refuse("not_a_hostname", `${shown} has spaces or control characters.`);
  const unbracketed = trimmed.replace(/^\[(.*)\](:\d*)?$/, "$1");
  const beforePort = trimmed.replace(/:\d*$/, "");
  if (trimmed.startsWith("[") || isIP(unbracketed) !== 0 || isIP(beforePort) !== 0)
    refuse("ip_literal", `${shown} is an IP address; a portal domain is a host name.`);
  if (trimmed.includes("://"))
    refuse("not_a_hostname", `${shown} is a URL; give the host name alone (portal.example.com).`);
  if (trimmed.includes(":"))
    refuse("port", `${shown} names a port; give the host name alone (portal.example.com).`);
  if (trimmed.includes("*"))
    refuse("wildcard", `${shown} is a wildcard; claim each portal domain by its own name.`);
  if (URL_DELIMITERS.test(trimmed))
    refuse("not_a_hostname", `${shown} is not a bare host name (no path, user or escapes).`);

  const withoutRoot = trimmed.endsWith(".") ? trimmed.slice(0, -1) : trimmed;
  const labels = withoutRoot.split(".");
  if (labels.some((l) => l === "")) refuse("not_a_hostname", `${shown} has an empty label.`);
  if (NUMERIC_LABEL.test(labels[labels.length - 1] ?? ""))
    refuse("ip_literal", `${shown} ends in a number, which browsers read as an IP address.`);

  const ascii = domainToASCII(withoutRoot).replace(/\.$/, "");
  if (ascii === "") refuse("not_a_hostname", `${shown} is not a valid internationalised host name.`);
  if (isIP(ascii) !== 0) refuse("ip_literal", `${shown} is an IP address; a portal domain is a host name.`);
  if (ascii.includes("..")) refuse("not_a_hostname", `${shown} has an empty label.`);
  if (!ascii.includes(".")) {
    if (LOCAL_SUFFIXES.includes(ascii))
      refuse("local_name", `${shown} is a local name, not a public domain.`);
    refuse("single_label", `${shown} has a single label; a portal domain looks like portal.example.com.`);
  }
  if (!HOSTNAME.test(ascii))
    refuse(
      "not_a_hostname",
      `${shown} is not a host name: labels are letters, digits and inner hyphens, at most 63 characters each.`,
    );
  const top = ascii.slice(ascii.lastIndexOf(".") + 1);
  if (LOCAL_SUFFIXES.includes(top))
    refuse("local_name", `${shown} is under .${top}, a local name that is not a public domain.`);
  return ascii;
}

/** The Host header form of a name for lookups: normalised, or undefined when it cannot be a portal domain. */
export function portalDomainOfHost(host: string): string | undefined {
  try {
    return normalizePortalDomain(host);
  } catch {
    return undefined;
  }
}

/**
 * The provider's own names, which no reseller may claim: the host of LAYERBOOM_PUBLIC_URL,
 * LAYERBOOM_RESERVED_DOMAINS and the controller's listen host. Each entry also covers its
 * subdomains, unless the provider itself hands one out.
 */
export class ReservedDomains {
  readonly names: ReadonlySet<string>;

  /** `names` may hold IP addresses and local names (a listen host); those can never be claimed anyway. */
  constructor(names: Iterable<string>) {
    const kept = new Set<string>();
    for (const name of names) {
      const domain = reservableName(name);
      if (domain !== undefined) kept.add(domain);
    }
    this.names = kept;
  }

  /**
   * Throws a 409 when `domain` (normalised) is the provider's. `byProvider`: a provider admin
   * assigns it to a reseller, who may then get a subdomain of a reserved name but never the
   * name itself.
   */
  assertClaimable(domain: string, byProvider: boolean): void {
    if (this.names.has(domain))
      throw new PortalDomainConflictError(
        "reserved",
        domain,
        `${domain} is reserved: it is one of the provider's own domains.`,
      );
    if (byProvider) return;
    for (const name of this.names) {
      if (domain.endsWith(`.${name}`))
        throw new PortalDomainConflictError(
          "reserved_subdomain",
          domain,
          `${domain} is under ${name}, one of the provider's own domains; only the provider can assign it.`,
        );
    }
  }
}

/** A configured name in its compared form; undefined for an IP address (a listen address), which no claim can match. */
function reservableName(name: string): string | undefined {
  const host = name.trim().replace(/\.$/, "");
  if (host === "" || isIP(host.replace(/^\[|\]$/g, "")) !== 0) return undefined;
  return parseReservedDomain(name);
}

/**
 * One LAYERBOOM_RESERVED_DOMAINS entry in its compared form. Local names are allowed here (a
 * provider may reserve its internal names); IP addresses, ports and wildcards are not, since
 * an entry already covers every subdomain. Throws an Error saying what is wrong.
 */
export function parseReservedDomain(text: string): string {
  const host = text.trim().replace(/\.$/, "");
  if (host === "" || /[\s:*/\\?#@%[\]]/.test(host) || isIP(host) !== 0)
    throw new Error(`"${text}" is not a host name (write provider.example to reserve it and its subdomains)`);
  const ascii = domainToASCII(host);
  if (ascii === "" || ascii.split(".").some((l) => l === ""))
    throw new Error(`"${text}" is not a host name (write provider.example to reserve it and its subdomains)`);
  return ascii;
}
