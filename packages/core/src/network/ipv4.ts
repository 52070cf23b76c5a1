import { InvalidInputError } from "../errors.js";

// IPv4 arithmetic for address pools (docs/networking.md). Addresses are unsigned 32-bit
// integers inside; text only at the edges. Pure.

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The address as an integer, or undefined when `text` is not a dotted quad (no leading zeros). */
export function parseIpv4(text: string): number | undefined {
  if (!DOTTED_QUAD.test(text)) return undefined;
  return text.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** A network in CIDR form. */
export interface Ipv4Network {
  /** The network address (host bits zero). */
  network: number;
  prefix: number;
}

/** Parses `a.b.c.d/n`; the host bits must be zero. Throws an InvalidInputError naming `field`. */
export function parseIpv4Network(text: string, field: string): Ipv4Network {
  const [address, prefixText, ...rest] = text.split("/");
  const network = parseIpv4(address ?? "");
  const prefix = /^\d{1,2}$/.test(prefixText ?? "") ? Number(prefixText) : NaN;
  if (network === undefined || rest.length > 0 || !(prefix >= 8 && prefix <= 30)) {
    throw new InvalidInputError(
      field,
      `"${text}" is not an IPv4 network such as 203.0.113.0/24 (prefix /8 to /30).`,
    );
  }
  if (network % 2 ** (32 - prefix) !== 0) {
    throw new InvalidInputError(
      field,
      `"${text}" has host bits set; the network is ${formatIpv4(network - (network % 2 ** (32 - prefix)))}/${prefix}.`,
    );
  }
  return { network, prefix };
}

/** The network's broadcast address (its last). */
export function broadcastOf(net: Ipv4Network): number {
  return net.network + 2 ** (32 - net.prefix) - 1;
}

/** Whether `address` is a usable host address of `net`: inside it, not its network or broadcast address. */
export function isHostOf(net: Ipv4Network, address: number): boolean {
  return address > net.network && address < broadcastOf(net);
}

/** What a provider gives to define a pool. */
export interface Ipv4PoolInput {
  cidr: string;
  gateway: string;
  /** Default: the first host address. */
  first_address?: string | undefined;
  /** Default: the last host address. */
  last_address?: string | undefined;
  nameservers?: readonly string[] | undefined;
}

/** A checked pool, as integers and canonical text. */
export interface Ipv4Pool {
  net: Ipv4Network;
  cidr: string;
  gateway: number;
  first: number;
  last: number;
  nameservers: string[];
}

function hostAddress(net: Ipv4Network, text: string, field: string): number {
  const value = parseIpv4(text);
  if (value === undefined) throw new InvalidInputError(field, `"${text}" is not an IPv4 address.`);
  if (!isHostOf(net, value)) {
    throw new InvalidInputError(
      field,
      `${text} is not a host address of ${formatIpv4(net.network)}/${net.prefix} (nor its network or broadcast address).`,
    );
  }
  return value;
}

/**
 * Checks a pool definition: the gateway and the range are host addresses of the network, the
 * range is in order, and the resolvers are addresses. Every error names its field.
 */
export function checkIpv4Pool(input: Ipv4PoolInput): Ipv4Pool {
  const net = parseIpv4Network(input.cidr, "cidr");
  const gateway = hostAddress(net, input.gateway, "gateway");
  const first =
    input.first_address === undefined
      ? net.network + 1
      : hostAddress(net, input.first_address, "first_address");
  const last =
    input.last_address === undefined
      ? broadcastOf(net) - 1
      : hostAddress(net, input.last_address, "last_address");
  if (first > last) {
    throw new InvalidInputError("last_address", `${formatIpv4(last)} comes before ${formatIpv4(first)}.`);
  }
  const nameservers = [...(input.nameservers ?? [])];
  for (const ns of nameservers) {
    if (parseIpv4(ns) === undefined)
      throw new InvalidInputError("nameservers", `"${ns}" is not an IPv4 address.`);
  }
  return { net, cidr: `${formatIpv4(net.network)}/${net.prefix}`, gateway, first, last, nameservers };
}

/** How many addresses a pool hands out (its range less the gateway, if the gateway is inside). */
export function poolSize(pool: Pick<Ipv4Pool, "first" | "last" | "gateway">): number {
  const inside = pool.gateway >= pool.first && pool.gateway <= pool.last ? 1 : 0;
  return pool.last - pool.first + 1 - inside;
}

/**
 * The lowest address of the pool's range that is neither the gateway nor in `taken`, or
 * undefined when the pool is full. Lowest-first keeps a pool's used part compact and the
 * choice deterministic, so two allocators that race pick the same address and the loser's
 * insert fails on the primary key instead of both succeeding.
 */
export function lowestFreeAddress(
  pool: Pick<Ipv4Pool, "first" | "last" | "gateway">,
  taken: ReadonlySet<number>,
): number | undefined {
  for (let a = pool.first; a <= pool.last; a++) {
    if (a !== pool.gateway && !taken.has(a)) return a;
  }
  return undefined;
}

/** Whether two ranges [first, last] overlap. */
export function rangesOverlap(
  a: { first: number; last: number },
  b: { first: number; last: number },
): boolean {
  return a.first <= b.last && b.first <= a.last;
}
