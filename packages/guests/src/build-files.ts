import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, rm, stat } from "node:fs/promises";
import { runProgram } from "@layerboom/sys";

/* What the guest builders share: build locks, removing a build folder safely, digests. */

/**
 * Takes `<dir>.lock` (O_EXCL, holding our pid). While another live process holds it, waits until
 * it is gone or `isDone()`; returns undefined in that case. A lock whose pid is dead is removed.
 * Correctness does not depend on the lock (the build is published by an atomic rename); it keeps
 * two processes from spending minutes building the same thing.
 */
export async function acquireBuildLock(
  lockPath: string,
  isDone: () => Promise<boolean>,
  timeoutMs = 60 * 60_000,
): Promise<(() => Promise<void>) | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (await isDone()) return undefined;
    const holder = Number.parseInt(await readFile(lockPath, "utf8").catch(() => ""), 10);
    const age = Date.now() - ((await stat(lockPath).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (
      (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) ||
      (Number.isNaN(holder) && age > 60_000)
    ) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for the guest build lock ${lockPath}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes a build folder, first unmounting anything debootstrap left mounted inside it (a
 * killed debootstrap leaves /proc, /sys, and in some containers bind mounts of the host's
 * /dev nodes, which a recursive delete must never walk into).
 */
export async function removeTree(path: string): Promise<void> {
  const inside = async (): Promise<string[]> => {
    const info = await readFile("/proc/self/mountinfo", "utf8").catch(() => "");
    return info
      .split("\n")
      .map((line) => line.split(" ")[4])
      .filter((m): m is string => m !== undefined)
      .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8))))
      .filter((m) => m === path || m.startsWith(`${path}/`))
      .sort((a, b) => b.length - a.length);
  };
  for (const mount of await inside()) {
    await runProgram("umount", [mount], { timeoutMs: 30_000 }).catch(() =>
      runProgram("umount", ["--lazy", mount], { timeoutMs: 30_000 }).catch(() => undefined),
    );
  }
  const left = await inside();
  if (left.length > 0) throw new Error(`not removing ${path}: still mounted inside it: ${left.join(", ")}`);
  await rm(path, { recursive: true, force: true });
}

/** The hex SHA-256 of a text (cache keys). */
export function sha256Text(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The hex SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
