import { join } from "node:path";
import { CounterUnreadableError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { errnoCode, nodeFileReader } from "./file-reader.js";

/**
 * A sampler boot id: the kernel's boot id plus the agent's start time, so an agent restart within
 * one kernel boot starts a fresh sequence instead of reusing numbers the controller has seen.
 */
export async function readBootId(
  root: string,
  agentStartMs: number,
  reader: FileReader = nodeFileReader,
): Promise<string> {
  const path = join(root, "proc/sys/kernel/random/boot_id");
  try {
    return `${(await reader.readText(path)).trim()}:${agentStartMs}`;
  } catch (err) {
    throw new CounterUnreadableError(path, errnoCode(err) ?? "EIO");
  }
}
