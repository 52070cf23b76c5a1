import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isServerTap } from "@layerboom/core";
import { ProgramError, runProgram } from "@layerboom/sys";
import { removeTapFilter } from "./tap-filter.js";

/** Linux interface names: at most 15 bytes (IFNAMSIZ less the NUL), no slash, space or colon. */
const IFNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;

/** A tap or bridge cannot be set up as asked; names the device and what was wrong. */
export class TapError extends Error {
  constructor(
    readonly device: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`network device ${device}: ${detail}`, options);
    this.name = "TapError";
  }
}

/** Byte counters of one tap, as the kernel keeps them (host's view: rx is what the guest sent). */
export interface TapCounters {
  /** Changes when the tap is deleted and created again, which restarts its counters at 0. */
  ifindex: number;
  rxBytes: number;
  txBytes: number;
}

/** Where the kernel lists network devices; a fixture folder in tests. */
function netRoot(root: string): string {
  return join(root, "sys/class/net");
}

/** Throws unless `name` can be a Linux interface name (it goes on `ip` command lines). */
export function checkInterfaceName(name: string, what: string): void {
  if (!IFNAME.test(name))
    throw new TapError(name, `${what} name must be 1-15 of [A-Za-z0-9_.-], starting with a letter or digit`);
}

/** Whether `name` exists and is a Linux bridge (`/sys/class/net/<name>/bridge`). */
export function isLinuxBridge(name: string, root = "/"): boolean {
  return IFNAME.test(name) && existsSync(join(netRoot(root), name, "bridge"));
}

/** Whether an interface exists. */
function interfaceExists(name: string, root = "/"): boolean {
  return existsSync(join(netRoot(root), name));
}

/** Whether an existing interface is a tun/tap device (only those carry `tun_flags`). */
function isTunDevice(name: string, root = "/"): boolean {
  return existsSync(join(netRoot(root), name, "tun_flags"));
}

/** Runs `ip` with an argument array; errors carry ip's own message. */
async function ip(args: string[]): Promise<void> {
  await runProgram("ip", args, { timeoutMs: 15_000 });
}

/**
 * Makes `tap` a persistent tap device, enslaved to `bridge` and up, ready for QEMU to open
 * with `-netdev tap,ifname=<tap>,script=no`. Idempotent: an existing tap is reused (and moved
 * to `bridge` if it was on another one). A persistent tap outlives QEMU, so its counters run on
 * across guest restarts; {@link deleteTap} removes it when the server goes.
 */
export async function ensureTap(tap: string, bridge: string): Promise<void> {
  checkInterfaceName(tap, "tap");
  checkInterfaceName(bridge, "bridge");
  if (!isLinuxBridge(bridge))
    throw new TapError(bridge, `is not a Linux bridge on this host (no /sys/class/net/${bridge}/bridge)`);
  if (interfaceExists(tap)) {
    if (!isTunDevice(tap)) throw new TapError(tap, "exists but is not a tap device; refusing to use it");
  } else {
    try {
      await ip(["tuntap", "add", "dev", tap, "mode", "tap"]);
    } catch (err) {
      // Another caller may have made it meanwhile; that is as good as ours.
      if (!(err instanceof ProgramError) || !isTunDevice(tap))
        throw new TapError(tap, "cannot create the tap", { cause: err });
    }
  }
  await ip(["link", "set", "dev", tap, "master", bridge]);
  await ip(["link", "set", "dev", tap, "up"]);
}

/**
 * Deletes a tap, then its anti-spoofing filter (tap-filter.ts); one that is already gone is
 * fine. Refuses anything that is not a tap. The filter goes after the tap, never before it, so
 * a tap never forwards unfiltered; a crash in between leaves a filter the sweep removes.
 */
export async function deleteTap(tap: string): Promise<void> {
  checkInterfaceName(tap, "tap");
  if (interfaceExists(tap)) {
    if (!isTunDevice(tap)) throw new TapError(tap, "is not a tap device; refusing to delete it");
    try {
      await ip(["link", "del", "dev", tap]);
    } catch (err) {
      if (interfaceExists(tap)) throw new TapError(tap, "cannot delete the tap", { cause: err });
    }
  }
  await removeTapFilter(tap);
}

/** The server taps on this host: interfaces named as {@link isServerTap} says, that are tap devices. */
export function listServerTaps(root = "/"): string[] {
  let names: string[];
  try {
    names = readdirSync(netRoot(root));
  } catch {
    return [];
  }
  return names.filter((n) => isServerTap(n) && isTunDevice(n, root)).sort();
}

/**
 * Whether a process holds the tap open: the tun driver turns the carrier on while one is
 * attached (QEMU) and off when the last one goes. A tap that is down reads as not attached.
 */
export function tapIsAttached(tap: string, root = "/"): boolean {
  try {
    return readFileSync(join(netRoot(root), tap, "carrier"), "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/**
 * A tap's counters, or undefined when it does not exist. Synchronous: sysfs is filled from
 * memory, and the energy meter reads every tap each interval (as it reads /proc).
 */
export function readTapCounters(tap: string, root = "/"): TapCounters | undefined {
  const dir = join(netRoot(root), tap);
  try {
    const read = (file: string): number => {
      const value = Number(readFileSync(join(dir, file), "utf8").trim());
      if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${dir}/${file} is not a counter`);
      return value;
    };
    return {
      ifindex: read("ifindex"),
      rxBytes: read("statistics/rx_bytes"),
      txBytes: read("statistics/tx_bytes"),
    };
  } catch {
    return undefined;
  }
}

/**
 * Deletes every tap of `candidates` that nobody may need: not in `keep` (the taps of desired
 * servers and of live QEMUs) and not held open by any process. Never cuts a running guest's
 * network, whatever the desired set says; a deleted tap of a stopped server is made again
 * when it starts. Returns the taps deleted.
 */
export async function removeIdleTaps(
  candidates: readonly string[],
  keep: ReadonlySet<string>,
): Promise<string[]> {
  const removed: string[] = [];
  for (const tap of candidates) {
    if (keep.has(tap) || tapIsAttached(tap)) continue;
    await deleteTap(tap);
    removed.push(tap);
  }
  return removed;
}
