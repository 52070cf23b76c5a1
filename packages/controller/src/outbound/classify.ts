import ipaddr from "ipaddr.js";

/** What an address is, as the outbound guard judges it. */
export interface AddressVerdict {
  /** The address in its canonical form, as it would be connected to. */
  address: string;
  /** Whether a tenant's request may go there without a provider allowlist entry. */
  public: boolean;
  /**
   * The ipaddr.js range that decided it (`unicast`, `loopback`, `private`, `linkLocal`, ...),
   * prefixed with the wrapper for IPv4 carried in IPv6 (`ipv4Mapped/loopback`), or
   * `notGlobal` for IPv6 outside 2000::/3 that ipaddr.js has no name for.
   */
  range: string;
  /** The IPv4 address judged in place of an IPv6 wrapper around it. */
  embeddedIpv4?: string;
}

// 2000::/3 is the only IPv6 space IANA hands out as global unicast; ipaddr.js calls anything it
// has no special range for "unicast", which would let ::7f00:1 (IPv4-compatible) or 4000:: through.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");

function lastIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = v6.toByteArray();
  return ipaddr.IPv4.parse(bytes.slice(12).join("."));
}

/**
 * The IPv4 address that an IPv6 address stands for, when it only carries one: IPv4-mapped
 * (::ffff:a.b.c.d), SIIT (::ffff:0:a.b.c.d, RFC 6145) and the well-known NAT64 prefix
 * (64:ff9b::/96, RFC 6052). Such an address reaches the IPv4 host, so it is judged as that host.
 */
function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const range = v6.range();
  if (range === "ipv4Mapped" || range === "rfc6145") return lastIpv4(v6);
  if (v6.match(NAT64_WELL_KNOWN)) return lastIpv4(v6);
  return undefined;
}

/**
 * Judges one IP address (no brackets, no port). Only ordinary unicast passes: IPv4 that
 * ipaddr.js calls `unicast`, and IPv6 `unicast` inside 2000::/3. Everything else (loopback,
 * unspecified, private, link-local with the cloud metadata service, shared 100.64/10,
 * multicast, broadcast, documentation and reserved ranges, unique-local, 6to4, Teredo, the
 * local-use NAT64 prefix) is not public. Throws on text that is not an address.
 */
export function classifyAddress(text: string): AddressVerdict {
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === "ipv4") {
    const range = parsed.range();
    return { address: parsed.toString(), public: range === "unicast", range };
  }
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIpv4(v6);
  if (inner !== undefined) {
    const range = inner.range();
    return {
      address: v6.toString(),
      public: range === "unicast",
      range: `${v6.range()}/${range}`,
      embeddedIpv4: inner.toString(),
    };
  }
  const range = v6.range();
  if (range !== "unicast") return { address: v6.toString(), public: false, range };
  if (!v6.match(GLOBAL_UNICAST_V6)) return { address: v6.toString(), public: false, range: "notGlobal" };
  return { address: v6.toString(), public: true, range };
}

/** The address as a URL's hostname shows it: IPv6 without its brackets; undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  if (!ipaddr.isValid(bare)) return undefined;
  // ipaddr.js also accepts 127.1 and 0x7f000001; the URL parser has already rewritten those to
  // dotted quads, so anything else here is a name that happens to parse, such as "1".
  if (!bare.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(bare)) return undefined;
  return ipaddr.parse(bare).toString();
}
