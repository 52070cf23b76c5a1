import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { listServerTaps, readTapCounters, type TapCounters } from "./taps.js";

/** Bytes through one tap since the previous sample, from the guest's side. */
export interface TapTransfer {
  /** What the guest sent: the tap's rx counter. */
  outBytes: number;
  /** What the guest received: the tap's tx counter. */
  inBytes: number;
}

/** Reads the host's server taps; the real one reads /sys/class/net, tests pass a fake. */
export interface TapCounterSource {
  /** Names of every server tap on the host now. */
  list(): string[];
  /** A tap's counters, or undefined if it vanished since {@link list}. */
  read(tap: string): TapCounters | undefined;
}

/** The real source: the server taps under `<root>/sys/class/net`. */
export function sysfsTapCounterSource(root = "/"): TapCounterSource {
  return { list: () => listServerTaps(root), read: (tap) => readTapCounters(tap, root) };
}

/** The counters last charged, per tap, as kept in the state file. */
export type TapCounterSnapshot = Record<string, TapCounters>;

/**
 * Turns tap counters into per-sample transfer, counting every byte at most once.
 *
 * - Each {@link sample} reads every server tap on the host (a tap whose QEMU is stopped too,
 *   so its baseline stays current) and returns what each moved since the previous sample.
 * - A tap seen for the first time was made after the previous sample, so all it counted is
 *   new: the delta is its value. The exception is the very first sample of an agent that
 *   remembers nothing (`remembered` undefined): those taps may be older than the agent, so
 *   that sample only takes baselines (counts 0). That loses at most what they moved before
 *   it, never counts it twice.
 * - A tap whose ifindex changed, or whose counter went down, was deleted and made again
 *   (the counters restart at 0): the delta is the new value.
 * - Taps that vanished are forgotten.
 *
 * Pure apart from the injected source; the caller persists {@link snapshot} so an agent
 * restart continues from the last charged values (what moved while the agent was down is
 * charged in its first sample, once).
 */
export class TapTransferMeter {
  private last = new Map<string, TapCounters>();
  private baselineOnly: boolean;

  constructor(
    private readonly source: TapCounterSource,
    remembered?: TapCounterSnapshot,
  ) {
    this.baselineOnly = remembered === undefined;
    for (const [tap, counters] of Object.entries(remembered ?? {})) this.last.set(tap, counters);
  }

  /** What each server tap moved since the previous sample. */
  sample(): Map<string, TapTransfer> {
    const out = new Map<string, TapTransfer>();
    const next = new Map<string, TapCounters>();
    for (const tap of this.source.list()) {
      const now = this.source.read(tap);
      if (!now) continue;
      next.set(tap, now);
      out.set(tap, this.baselineOnly ? { outBytes: 0, inBytes: 0 } : transferSince(this.last.get(tap), now));
    }
    this.last = next;
    this.baselineOnly = false;
    return out;
  }

  /** The counters charged so far, to be persisted before the sample that charged them is sent. */
  snapshot(): TapCounterSnapshot {
    return Object.fromEntries(this.last);
  }
}

/** The bytes moved between two readings of one tap (see {@link TapTransferMeter}). */
export function transferSince(before: TapCounters | undefined, now: TapCounters): TapTransfer {
  if (!before || before.ifindex !== now.ifindex) return { outBytes: now.rxBytes, inBytes: now.txBytes };
  return {
    outBytes: now.rxBytes >= before.rxBytes ? now.rxBytes - before.rxBytes : now.rxBytes,
    inBytes: now.txBytes >= before.txBytes ? now.txBytes - before.txBytes : now.txBytes,
  };
}

/** Reads a persisted snapshot; undefined when there is none or it is unreadable (then: baseline first). */
export async function readTapCounterSnapshot(path: string): Promise<TapCounterSnapshot | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    const out: TapCounterSnapshot = {};
    for (const [tap, value] of Object.entries(parsed as Record<string, unknown>)) {
      const c = value as Partial<TapCounters> | null;
      if (
        c &&
        [c.ifindex, c.rxBytes, c.txBytes].every(
          (n) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0,
        )
      )
        out[tap] = { ifindex: c.ifindex!, rxBytes: c.rxBytes!, txBytes: c.txBytes! };
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Writes a snapshot atomically (temporary file, then rename). */
export async function writeTapCounterSnapshot(path: string, snapshot: TapCounterSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  await writeFile(tmp, `${JSON.stringify(snapshot)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}
