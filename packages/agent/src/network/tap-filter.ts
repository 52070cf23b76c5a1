import { existsSync } from "node:fs";
import { join } from "node:path";
import { ProgramError, runProgram } from "@layerboom/sys";

/** A tap's filter cannot be written as asked, or nft refused it; names the tap. */
export class TapFilterError extends Error {
  constructor(
    readonly tap: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`anti-spoofing filter of ${tap}: ${detail}`, options);
    this.name = "TapFilterError";
  }
}

/**
 * Anti-spoofing per tap (docs/networking.md), with nftables: the agent owns one table,
 * `bridge layerboom`. Its base chain, hooked at the bridge's prerouting, sends every frame
 * entering the bridge from a server tap to that tap's own chain through the verdict map
 * `taps` (iifname -> jump tap_<name>); a frame from any other port is not looked at. A tap's
 * chain lets through only frames with the server's source MAC that are IPv4 from one of its
 * addresses or ARP claiming one of them (or an RFC 5227 probe, sender 0.0.0.0), and drops the
 * rest: other MACs, other addresses, IPv6, VLAN tags and every other ethertype.
 */
export const TAP_FILTER_TABLE = "layerboom";
const TABLE = `bridge ${TAP_FILTER_TABLE}`;
const MAP = "taps";

/** Linux interface names, as taps.ts checks them (at most 15 bytes, no slash, space or colon). */
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The chain of a tap: `tap_` and the name, any byte but [A-Za-z0-9] written `_xx` (hex), so no two taps share one. */
export function tapFilterChain(tap: string): string {
  return `tap_${tap.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, "0")}`)}`;
}

function checkTap(tap: string): void {
  if (!IFNAME.test(tap)) throw new TapFilterError(tap, "not an interface name (1-15 of [A-Za-z0-9_.-])");
}

/** The table, its map and its base chain, made if missing; the base chain's one rule is rewritten in place. */
function renderBase(): string[] {
  return [
    `add table ${TABLE}`,
    `add map ${TABLE} ${MAP} { type ifname : verdict; }`,
    `add chain ${TABLE} prerouting { type filter hook prerouting priority -200; policy accept; }`,
    `flush chain ${TABLE} prerouting`,
    `add rule ${TABLE} prerouting iifname vmap @${MAP}`,
  ];
}

/** `addresses` without their prefix lengths (`203.0.113.10/24` -> `203.0.113.10`), checked, deduplicated. */
function plainAddresses(tap: string, addresses: readonly string[]): string[] {
  const plain = addresses.map((a) => a.split("/")[0] ?? "");
  for (const a of plain) if (!IPV4.test(a)) throw new TapFilterError(tap, `"${a}" is not an IPv4 address`);
  return [...new Set(plain)];
}

/**
 * The `nft -f` input that sets `tap`'s filter to exactly `mac` and `ipv4Addresses` (plain or
 * CIDR). One transaction: the chain is flushed and refilled, so the tap is never unfiltered
 * nor half filtered while its addresses change. Idempotent. Pure.
 */
export function renderTapFilter(tap: string, mac: string, ipv4Addresses: readonly string[]): string {
  checkTap(tap);
  const ether = mac.toLowerCase();
  if (!MAC.test(ether)) throw new TapFilterError(tap, `"${mac}" is not a MAC address`);
  const addresses = plainAddresses(tap, ipv4Addresses);
  const chain = `${TABLE} ${tapFilterChain(tap)}`;
  const lines = [
    ...renderBase(),
    `add chain ${chain}`,
    `flush chain ${chain}`,
    `add rule ${chain} ether saddr != ${ether} drop`,
  ];
  if (addresses.length > 0) lines.push(`add rule ${chain} ip saddr { ${addresses.join(", ")} } accept`);
  lines.push(
    `add rule ${chain} arp htype 1 arp ptype ip arp hlen 6 arp plen 4 arp saddr ether ${ether} ` +
      `arp saddr ip { ${["0.0.0.0", ...addresses].join(", ")} } accept`,
    `add rule ${chain} drop`,
    `add element ${TABLE} ${MAP} { "${tap}" : jump ${tapFilterChain(tap)} }`,
  );
  return `${lines.join("\n")}\n`;
}

/**
 * The `nft -f` input that removes `tap`'s filter, present or not (each object is added first,
 * so deleting it cannot fail for want of it). Pure.
 */
export function renderTapFilterRemoval(tap: string): string {
  checkTap(tap);
  const name = tapFilterChain(tap);
  return `${[
    `add table ${TABLE}`,
    `add map ${TABLE} ${MAP} { type ifname : verdict; }`,
    `add chain ${TABLE} ${name}`,
    `add element ${TABLE} ${MAP} { "${tap}" : jump ${name} }`,
    `delete element ${TABLE} ${MAP} { "${tap}" }`,
    `flush chain ${TABLE} ${name}`,
    `delete chain ${TABLE} ${name}`,
  ].join("\n")}\n`;
}

async function nft(args: string[], input?: string): Promise<string> {
  const { stdout } = await runProgram("nft", args, {
    timeoutMs: 15_000,
    ...(input !== undefined ? { input } : {}),
  });
  return stdout;
}

/** Pins `tap` to `mac` and `ipv4Addresses` (CIDR or plain); replaces its earlier filter atomically. */
export async function applyTapFilter(
  tap: string,
  mac: string,
  ipv4Addresses: readonly string[],
): Promise<void> {
  const ruleset = renderTapFilter(tap, mac, ipv4Addresses);
  try {
    await nft(["-f", "-"], ruleset);
  } catch (err) {
    throw new TapFilterError(tap, "nft cannot apply it", { cause: err });
  }
}

/** Whether `nft` could not be run at all (not installed): then there are no filters to remove. */
function nftMissing(err: unknown): boolean {
  return err instanceof ProgramError && err.reason === "spawn";
}

/** Removes `tap`'s filter; one that is not there is fine, and so is a host without nft. */
export async function removeTapFilter(tap: string): Promise<void> {
  const ruleset = renderTapFilterRemoval(tap);
  try {
    await nft(["-f", "-"], ruleset);
  } catch (err) {
    if (nftMissing(err)) return;
    throw new TapFilterError(tap, "nft cannot remove it", { cause: err });
  }
}

/** The taps of the `taps` map in a `nft -j list map` answer. Pure. */
export function parseFilteredTaps(json: string): string[] {
  const parsed = JSON.parse(json) as { nftables?: { map?: { name?: string; elem?: unknown[] } }[] };
  const taps: string[] = [];
  for (const entry of parsed.nftables ?? []) {
    if (entry.map?.name !== MAP) continue;
    for (const elem of entry.map.elem ?? []) {
      const key = Array.isArray(elem) ? (elem as unknown[])[0] : undefined;
      if (typeof key === "string") taps.push(key);
    }
  }
  return taps.sort();
}

/** The taps that have a filter now; none when the table is missing or nft is not installed. */
export async function listFilteredTaps(): Promise<string[]> {
  let out: string;
  try {
    out = await nft(["-j", "list", "map", "bridge", TAP_FILTER_TABLE, MAP]);
  } catch (err) {
    // No table (or no map) yet: nothing is filtered. nft says "No such file or directory".
    if (nftMissing(err) || (err instanceof ProgramError && /No such file or directory/i.test(err.stderr)))
      return [];
    throw err;
  }
  return parseFilteredTaps(out);
}

/**
 * Removes the filters of taps that no longer exist (`/sys/class/net/<tap>` is gone), left by a
 * crash between deleting a tap and its filter. Returns the taps whose filters went.
 */
export async function removeStaleTapFilters(root = "/"): Promise<string[]> {
  const removed: string[] = [];
  for (const tap of await listFilteredTaps()) {
    if (existsSync(join(root, "sys/class/net", tap))) continue;
    await removeTapFilter(tap);
    removed.push(tap);
  }
  return removed;
}

/** Whether nftables works on this host (`nft list tables`); the reason when it does not. */
export async function checkNftables(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await nft(["list", "tables"]);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
