import { mkdir, statfs } from "node:fs/promises";

/** Bytes an unprivileged writer may still use on the filesystem holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

/**
 * Whether `bytes` more can be written to `dir` and still leave `reserveBytes` free. The
 * reserve keeps image jobs from filling the volume that also holds the database (embedded)
 * and the blobs agents are fetching.
 */
export async function leavesReserve(dir: string, bytes: number, reserveBytes: number): Promise<boolean> {
  return (await freeBytes(dir)) - bytes >= reserveBytes;
}
