import { join } from "node:path";
import { CounterParseError, CounterUnreadableError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { errnoCode } from "./file-reader.js";

/** Aggregate CPU time counters from the `cpu` line of /proc/stat, in clock ticks. */
export interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

/** Reads the aggregate `cpu` line of `<root>/proc/stat`. */
export async function readCpuTimes(reader: FileReader, root: string): Promise<CpuTimes> {
  const path = join(root, "proc/stat");
  let text: string;
  try {
    text = await reader.readText(path);
  } catch (err) {
    throw new CounterUnreadableError(path, errnoCode(err) ?? "EIO");
  }
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  const fields = line?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  if (fields.length < 4 || fields.some((f) => !Number.isSafeInteger(f) || f < 0)) {
    throw new CounterParseError(path, line ?? text);
  }
  // guest and guest_nice (fields 9, 10) are already inside user and nice.
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const idleAll = idle + iowait;
  const total = user + nice + system + idleAll + irq + softirq + steal;
  return { busy: total - idleAll, total };
}

/** Utilisation in [0, 1] between two readings; 0 when no time passed. */
export function utilisation(previous: CpuTimes, current: CpuTimes): number {
  const total = current.total - previous.total;
  if (total <= 0) return 0;
  return Math.min(1, Math.max(0, (current.busy - previous.busy) / total));
}
