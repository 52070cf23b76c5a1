import ipaddr from "ipaddr.js";

/** An allowlist entry that is not a host name, address or CIDR range, each with an optional port. */
export class AllowEntryError extends Error {
  constructor(
    readonly entry: string,
    reason: string,
  ) {
    super(`"${entry}" is not an allowlist entry: ${reason}`);
    this.name = "AllowEntryError";
  }
}

/** One provider allowlist entry, parsed. `port` undefined means every port. */
export type AllowEntry =
  | { kind: "host"; host: string; port: number | undefined; text: string }
  | { kind: "range"; range: [ipaddr.IPv4 | ipaddr.IPv6, number]; port: number | undefined; text: string };

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A host name as it is compared: lower case, without the trailing dot that makes it absolute. */
export function normaliseHostName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

function parsePort(entry: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535)
    throw new AllowEntryError(entry, `bad port ${text}`);
  return port;
}

function parseRange(entry: string, text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  const [address = "", prefix] = text.split("/");
  if (!ipaddr.isValid(address)) throw new AllowEntryError(entry, `${address} is not an IP address`);
  if (!address.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(address))
    throw new AllowEntryError(entry, "write IPv4 addresses as four decimal parts");
  const parsed = ipaddr.process(address);
  const bits = parsed.kind() === "ipv4" ? 32 : 128;
  if (prefix === undefined) return [parsed, bits];
  const length = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || length > bits)
    throw new AllowEntryError(entry, `bad prefix length /${prefix}`);
  return [parsed, length];
}

/**
 * Parses one entry: `mirror.internal`, `crm.internal:8443`, `10.0.0.0/8`, `10.1.2.3:9000`,
 * `10.0.0.0/8:443`, `fd00::/8`, `[fd00::/8]:443`, `[::1]:9000`.
 */
export function parseAllowEntry(raw: string): AllowEntry {
  const text = raw.trim();
  if (text === "") throw new AllowEntryError(raw, "it is empty");
  const bracketed = /^\[([^\]]+)\](?::([^:]*))?$/.exec(text);
  if (bracketed) {
    return {
      kind: "range",
      range: parseRange(text, bracketed[1] ?? ""),
      port: parsePort(text, bracketed[2]),
      text,
    };
  }
  if ((text.match(/:/g) ?? []).length > 1)
    return { kind: "range", range: parseRange(text, text), port: undefined, text };
  const [head = "", portText] = text.split(":");
  const port = parsePort(text, portText);
  if (/^[0-9./]+$/.test(head)) return { kind: "range", range: parseRange(text, head), port, text };
  const host = normaliseHostName(head);
  if (!HOST_NAME.test(host)) throw new AllowEntryError(text, "not a host name, address or CIDR range");
  return { kind: "host", host, port, text };
}

/**
 * The provider's exceptions to "public addresses only": its own image mirror, an internal
 * CRM that receives webhooks. Empty by default. A host entry vouches for a name (whatever it
 * resolves to); a range entry vouches for addresses (whatever name led there).
 */
export class OutboundAllowlist {
  readonly entries: readonly AllowEntry[];

  constructor(entries: readonly (string | AllowEntry)[] = []) {
    this.entries = entries.map((e) => (typeof e === "string" ? parseAllowEntry(e) : e));
  }

  /** Parses LAYERBOOM_OUTBOUND_ALLOW: entries separated by commas (or white space). */
  static parse(text: string | undefined): OutboundAllowlist {
    return new OutboundAllowlist((text ?? "").split(/[\s,]+/).filter((e) => e !== ""));
  }

  get size(): number {
    return this.entries.length;
  }

  /** Whether a host name (as the URL gives it) on a port is vouched for. */
  allowsHost(hostname: string, port: number): boolean {
    const host = normaliseHostName(hostname);
    return this.entries.some(
      (e) => e.kind === "host" && e.host === host && (e.port === undefined || e.port === port),
    );
  }

  /** Whether an address on a port is vouched for; IPv4-mapped IPv6 matches its IPv4 entry. */
  allowsAddress(address: string, port: number): boolean {
    const parsed = ipaddr.process(address);
    return this.entries.some(
      (e) =>
        e.kind === "range" &&
        (e.port === undefined || e.port === port) &&
        e.range[0].kind() === parsed.kind() &&
        parsed.match(e.range),
    );
  }
}
