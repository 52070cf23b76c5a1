import { readFileSync } from "node:fs";
import type { TestDnsRecords } from "../dns/test-dns-server.js";

/** One URL a hostile tenant might give for the controller to fetch, and what it tries. */
export interface HostileUrl {
  url: string;
  why: string;
}

/** Where the corpus aims, all on the machine running the test. */
export interface HostileUrlTargets {
  /** The canary's port (startCanary): every URL is aimed at it, or at some other internal service. */
  canaryPort: number;
  /** The zone the test DNS server answers for, with hostileDnsScript(zone). */
  zone: string;
  /**
   * An allowlisted server that answers `GET /to?u=<url>` with a 302 to that URL: the legitimate
   * first hop of a redirect to somewhere internal.
   */
  redirector: string;
}

/**
 * The names of the zone and what they resolve to: loopback, metadata, private, shared,
 * IPv6 loopback and link-local, IPv4-mapped and NAT64 forms, a name with one public and one
 * loopback address, and `rebind`, which answers `firstAnswer` (a server standing in for a
 * public one) the first time and 127.0.0.1 every time after.
 */
export function hostileDnsScript(zone: string, firstAnswer: string): Record<string, TestDnsRecords> {
  return {
    [`loopback.${zone}`]: { a: [["127.0.0.1"]] },
    [`loopback-other.${zone}`]: { a: [["127.8.9.10"]] },
    [`zero.${zone}`]: { a: [["0.0.0.0"]] },
    [`metadata.${zone}`]: { a: [["169.254.169.254"]] },
    [`private.${zone}`]: { a: [["10.0.0.5"]] },
    [`shared.${zone}`]: { a: [["100.64.0.7"]] },
    [`v6-loopback.${zone}`]: { aaaa: [["::1"]] },
    [`v6-link-local.${zone}`]: { aaaa: [["fe80::1"]] },
    [`v6-unique-local.${zone}`]: { aaaa: [["fd00::1"]] },
    [`v6-mapped.${zone}`]: { aaaa: [["::ffff:127.0.0.1"]] },
    [`v6-nat64.${zone}`]: { aaaa: [["64:ff9b::7f00:1"]] },
    [`public-and-loopback.${zone}`]: { a: [["93.184.215.14", "127.0.0.1"]] },
    [`public-v4-loopback-v6.${zone}`]: { a: [["93.184.215.14"]], aaaa: [["::1"]] },
    [`rebind.${zone}`]: { a: [[firstAnswer], ["127.0.0.1"]] },
  };
}

/** Names this machine's /etc/hosts maps to loopback (localhost, and often the host's own name). */
export function loopbackHostsNames(hostsFile = "/etc/hosts"): string[] {
  let text = "";
  try {
    text = readFileSync(hostsFile, "utf8");
  } catch {
    return ["localhost"];
  }
  const names = new Set<string>(["localhost"]);
  for (const line of text.split("\n")) {
    const [address, ...aliases] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (address && (address.startsWith("127.") || address === "::1")) for (const a of aliases) names.add(a);
  }
  return [...names];
}

/**
 * The hostile URL corpus: every spelling of loopback and of the internal ranges that the
 * WHATWG URL parser accepts, names that resolve there (through the test DNS server and
 * /etc/hosts), DNS rebinding, and redirects from an allowed server to each of them.
 */
export function hostileUrls(t: HostileUrlTargets): HostileUrl[] {
  const p = t.canaryPort;
  const z = t.zone;
  const direct: HostileUrl[] = [
    { url: `http://127.0.0.1:${p}/secret`, why: "loopback" },
    { url: `https://127.0.0.1:${p}/secret`, why: "loopback over https" },
    { url: `http://127.8.9.10:${p}/`, why: "elsewhere in 127/8" },
    { url: `http://2130706433:${p}/`, why: "loopback as one decimal number" },
    { url: `http://0x7f000001:${p}/`, why: "loopback in hex" },
    { url: `http://0x7f.0.0.1:${p}/`, why: "loopback with a hex part" },
    { url: `http://0177.0.0.1:${p}/`, why: "loopback in octal" },
    { url: `http://017700000001:${p}/`, why: "loopback as one octal number" },
    { url: `http://127.1:${p}/`, why: "loopback in two parts" },
    { url: `http://127.0.1:${p}/`, why: "loopback in three parts" },
    { url: `http://0.0.0.0:${p}/`, why: "unspecified (reaches the host itself)" },
    { url: `http://0:${p}/`, why: "unspecified as one number" },
    { url: `http://[::1]:${p}/`, why: "IPv6 loopback" },
    { url: `http://[0:0:0:0:0:0:0:1]:${p}/`, why: "IPv6 loopback written out" },
    { url: `http://[::]:${p}/`, why: "IPv6 unspecified" },
    { url: `http://[::ffff:127.0.0.1]:${p}/`, why: "IPv4-mapped loopback" },
    { url: `http://[::ffff:7f00:1]:${p}/`, why: "IPv4-mapped loopback in hex" },
    { url: `http://[0:0:0:0:0:ffff:127.0.0.1]:${p}/`, why: "IPv4-mapped loopback written out" },
    { url: `http://[::ffff:0:127.0.0.1]:${p}/`, why: "SIIT (RFC 6145) loopback" },
    { url: `http://[64:ff9b::127.0.0.1]:${p}/`, why: "NAT64 (RFC 6052) loopback" },
    { url: `http://[::127.0.0.1]:${p}/`, why: "IPv4-compatible loopback (deprecated form)" },
    { url: `http://[2002:7f00:1::]:${p}/`, why: "6to4 around loopback" },
    {
      url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      why: "cloud metadata (link-local)",
    },
    { url: "http://[::ffff:169.254.169.254]/latest/meta-data/", why: "cloud metadata, IPv4-mapped" },
    { url: "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/", why: "cloud metadata through NAT64" },
    { url: "http://[fd00:ec2::254]/latest/meta-data/", why: "cloud metadata over IPv6 (unique-local)" },
    { url: `http://10.0.0.1:${p}/`, why: "RFC 1918 10/8" },
    { url: `http://172.16.0.1:${p}/`, why: "RFC 1918 172.16/12" },
    { url: `http://192.168.1.1:${p}/`, why: "RFC 1918 192.168/16" },
    { url: `http://[::ffff:10.0.0.1]:${p}/`, why: "RFC 1918, IPv4-mapped" },
    { url: `http://100.64.0.1:${p}/`, why: "shared address space 100.64/10" },
    { url: `http://[fe80::1]:${p}/`, why: "IPv6 link-local" },
    { url: `http://[fc00::1]:${p}/`, why: "IPv6 unique-local fc00::/7" },
    { url: `http://[fd12:3456::1]:${p}/`, why: "IPv6 unique-local fd00::/8" },
    { url: `http://224.0.0.1:${p}/`, why: "multicast" },
    { url: `http://255.255.255.255:${p}/`, why: "broadcast" },
    { url: `http://192.0.2.1:${p}/`, why: "documentation range" },
    { url: `http://[2001:db8::1]:${p}/`, why: "IPv6 documentation range" },
  ];
  const names: HostileUrl[] = [
    { url: `http://localhost:${p}/`, why: "localhost" },
    { url: `http://LOCALHOST.:${p}/`, why: "localhost, upper case, trailing dot" },
    { url: `http://canary.localhost:${p}/`, why: "a name under .localhost" },
    ...loopbackHostsNames()
      .filter((n) => n !== "localhost")
      .map((n) => ({ url: `http://${n}:${p}/`, why: `/etc/hosts maps ${n} to loopback` })),
    { url: `http://loopback.${z}:${p}/`, why: "a name that resolves to 127.0.0.1" },
    {
      url: `http://LOOPBACK.${z.toUpperCase()}.:${p}/`,
      why: "the same name, upper case with a trailing dot",
    },
    { url: `http://loopback-other.${z}:${p}/`, why: "a name that resolves elsewhere in 127/8" },
    { url: `http://zero.${z}:${p}/`, why: "a name that resolves to 0.0.0.0" },
    { url: `http://metadata.${z}/latest/meta-data/`, why: "a name that resolves to the metadata service" },
    { url: `http://private.${z}:${p}/`, why: "a name that resolves to RFC 1918" },
    { url: `http://shared.${z}:${p}/`, why: "a name that resolves to 100.64/10" },
    { url: `http://v6-loopback.${z}:${p}/`, why: "a name whose AAAA is ::1" },
    { url: `http://v6-link-local.${z}:${p}/`, why: "a name whose AAAA is fe80::1" },
    { url: `http://v6-unique-local.${z}:${p}/`, why: "a name whose AAAA is fd00::1" },
    { url: `http://v6-mapped.${z}:${p}/`, why: "a name whose AAAA is IPv4-mapped loopback" },
    { url: `http://v6-nat64.${z}:${p}/`, why: "a name whose AAAA is NAT64 loopback" },
    { url: `http://public-and-loopback.${z}:${p}/`, why: "a name with a public and a loopback A record" },
    { url: `http://public-v4-loopback-v6.${z}:${p}/`, why: "a name with a public A and a loopback AAAA" },
    {
      url: `http://rebind.${z}:${p}/`,
      why: "DNS rebinding: first answer (the stand-in for a public server)",
    },
    { url: `http://rebind.${z}:${p}/`, why: "DNS rebinding: second answer, 127.0.0.1" },
  ];
  const redirectTo = (target: string) => `${t.redirector}/to?u=${encodeURIComponent(target)}`;
  const redirects: HostileUrl[] = [
    { url: redirectTo(`http://127.0.0.1:${p}/secret`), why: "a 302 to loopback" },
    { url: redirectTo(`http://[::1]:${p}/`), why: "a 302 to IPv6 loopback" },
    { url: redirectTo(`http://2130706433:${p}/`), why: "a 302 to loopback as a number" },
    { url: redirectTo(`http://localhost:${p}/`), why: "a 302 to localhost" },
    { url: redirectTo(`http://loopback.${z}:${p}/`), why: "a 302 to a name that resolves to loopback" },
    { url: redirectTo("http://169.254.169.254/latest/meta-data/"), why: "a 302 to the metadata service" },
    { url: redirectTo(redirectTo(`http://127.0.0.1:${p}/`)), why: "two allowed hops, then loopback" },
    { url: redirectTo(`ftp://127.0.0.1:${p}/`), why: "a 302 to another scheme" },
  ];
  return [...direct, ...names, ...redirects];
}
