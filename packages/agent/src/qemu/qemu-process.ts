import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";

/** A QEMU process started by {@link spawnQemu}. */
export interface SpawnedQemu {
  pid: number;
  /** Resolves with the exit code or signal if the process exits while this agent runs. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The one place the agent starts a long-lived QEMU. It is detached into its own session with
 * its output in `logPath` and no pipes to the agent, so it keeps running when the agent dies
 * or restarts; the agent finds it again through the pidfile and /proc.
 */
export function spawnQemu(binary: string, args: readonly string[], logPath: string): SpawnedQemu {
  const log = openSync(logPath, "a", 0o600);
  try {
    const child = spawn(binary, args, { detached: true, stdio: ["ignore", log, log] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", () => resolve({ code: null, signal: null }));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    return { pid: child.pid, exited };
  } finally {
    closeSync(log);
  }
}

/** The pid in a pidfile, or undefined when there is none or it is garbage. */
export async function readPidfile(path: string): Promise<number | undefined> {
  const text = await readFile(path, "utf8").catch(() => "");
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
}

/** argv of a live, non-zombie process, or undefined. */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (!stat) return undefined;
  // The state letter follows the parenthesised command name, which may itself hold ") ".
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  if (state === "Z" || state === "X") return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => undefined);
  if (!cmdline) return undefined;
  return cmdline.split("\0").filter((_, i, all) => i < all.length - 1 || all[i] !== "");
}

/**
 * True when `pid` is a live QEMU serving `qmpArg` (the exact `-qmp` value the driver passes).
 * A pidfile alone is never trusted: after a host reboot or a crash its pid may belong to
 * something else.
 */
export async function isQemuServing(pid: number, qmpArg: string): Promise<boolean> {
  const argv = await processArgv(pid);
  if (!argv || !/qemu-system-/.test(argv[0] ?? "")) return false;
  const at = argv.indexOf("-qmp");
  return at >= 0 && argv[at + 1] === qmpArg;
}

/** True while a process exists and is not a zombie. */
export async function processAlive(pid: number): Promise<boolean> {
  return (await processArgv(pid)) !== undefined;
}

/** Polls until the process is gone; resolves false if it is still there after `timeoutMs`. */
export async function waitForProcessExit(pid: number, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await processAlive(pid))) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
