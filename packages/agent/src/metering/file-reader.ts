import { readFileSync, readdirSync } from "node:fs";

/** The two file operations meters need, injectable so tests can simulate unreadable files. */
export interface FileReader {
  readText(path: string): Promise<string>;
  list(dir: string): Promise<string[]>;
}

/**
 * Reads the real filesystem. Meters only read /proc and /sys pseudo-files, which the kernel
 * fills from memory without blocking on a disk, so the reads are synchronous: a thread-pool
 * round trip per file would cost the agent several times more CPU than the read itself
 * (bench/energy/agent-overhead.ts).
 */
export const nodeFileReader: FileReader = {
  readText: async (path) => readFileSync(path, "utf8"),
  list: async (dir) => readdirSync(dir),
};

/** The errno name of a filesystem error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err && typeof err.code === "string")
    return err.code;
  return undefined;
}

/** True for errors meaning the file or process is gone. */
export function isGone(err: unknown): boolean {
  const code = errnoCode(err);
  return code === "ENOENT" || code === "ESRCH";
}
