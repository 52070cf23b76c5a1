import type { DesiredServer } from "@layerboom/core";
import { removeStaleTapFilters } from "../network/tap-filter.js";
import { listServerTaps, removeIdleTaps } from "../network/taps.js";
import type { Driver } from "../qemu/driver.js";
import type { Logger } from "../qemu/logger.js";

/** What {@link removeUnownedTaps} needs from the reconciler. */
export interface UnownedTapsOptions {
  driver: Pick<Driver, "processes">;
  logger: Logger;
  /** The bridges this host offers; without any, tap filters were never made here. */
  bridges: readonly string[];
  /** The server taps on the host (default: read /sys/class/net). */
  listTaps?: () => string[];
}

/**
 * Deletes server taps that no desired server owns, once no QEMU holds them: left by a
 * server deleted while the agent was down for good, by a crash inside a destroy, or by a
 * server that lost its network. Unlike VM folders they need no grace period: an idle tap
 * holds no data, and one still attached to a guest (an orphan VM within its grace) is kept
 * until the orphan rule destroys that VM, which deletes its tap (and its filter). Never
 * throws: what fails is logged and retried by the next pass.
 */
export async function removeUnownedTaps(
  desired: DesiredServer[],
  options: UnownedTapsOptions,
): Promise<void> {
  const { logger } = options;
  const keep = new Set<string>();
  for (const server of desired)
    if (server.network && server.desired_state !== "deleted") keep.add(server.network.tap);
  for (const p of await options.driver.processes()) if (p.tap) keep.add(p.tap);
  const candidates = (options.listTaps ?? (() => listServerTaps()))();
  try {
    const removed = await removeIdleTaps(candidates, keep);
    if (removed.length > 0) logger.warn({ taps: removed }, "deleted taps no server owns");
  } catch (err) {
    logger.error({ err }, "cannot delete an unowned tap; the next pass retries");
  }
  // Filters of taps that are gone (a crash between deleting a tap and its filter). Only on a
  // host that offers bridges: the agent checked nftables at start there.
  if (options.bridges.length === 0) return;
  try {
    const stale = await removeStaleTapFilters();
    if (stale.length > 0) logger.warn({ taps: stale }, "removed filters of taps that are gone");
  } catch (err) {
    logger.error({ err }, "cannot remove a stale tap filter; the next pass retries");
  }
}
