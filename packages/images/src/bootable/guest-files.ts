import { constants } from "node:fs";
import { chown, lstat, mkdir, open, readlink, readdir, rename, rm, symlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { BootableError, quote } from "../errors.js";

/** Most symlinks followed while resolving one path, as in Linux (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * Resolves a path inside an unpacked guest root the way the guest itself would: an absolute
 * symlink target starts again at the guest's root and `..` stops there. The result is a host
 * path under `root` whose last component is not a symlink (or does not exist yet), so a
 * hostile image's `etc/fstab -> /etc/shadow` reads and writes the guest's file, never the
 * host's.
 */
export async function resolveInGuest(root: string, guestPath: string): Promise<string> {
  const resolved: string[] = [];
  const pending = guestPath.split("/").filter((p) => p !== "" && p !== ".");
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === "..") {
      resolved.pop();
      continue;
    }
    const host = join(root, ...resolved, part);
    const info = await lstat(host).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      if (++hops > MAX_LINK_HOPS) {
        throw new BootableError("rootfs-link-escape", `too many symlinks resolving ${quote(guestPath)}`);
      }
      const target = await readlink(host);
      if (target.startsWith("/")) resolved.length = 0;
      pending.unshift(...target.split("/").filter((p) => p !== "" && p !== "."));
      continue;
    }
    resolved.push(part);
  }
  return join(root, ...resolved);
}

/** A regular file of the guest, or undefined when there is none (a directory or device counts as none). */
export async function readGuestFile(root: string, guestPath: string): Promise<string | undefined> {
  const host = await resolveInGuest(root, guestPath);
  const fh = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(
    () => undefined,
  );
  if (!fh) return undefined;
  try {
    if (!(await fh.stat()).isFile()) return undefined;
    return await fh.readFile("utf8");
  } finally {
    await fh.close();
  }
}

/** Creates a guest directory (and its parents), resolving each level inside the guest. */
export async function makeGuestDir(root: string, guestPath: string): Promise<string> {
  const host = await resolveInGuest(root, guestPath);
  const info = await lstat(host).catch(() => undefined);
  if (info && !info.isDirectory()) {
    throw new BootableError("rootfs-link-escape", `${quote(guestPath)} in the image is not a directory`);
  }
  if (!info) {
    await makeGuestDir(root, dirname(guestPath));
    await mkdir(host, { mode: 0o755 });
  }
  return host;
}

/**
 * Replaces (or creates) a guest file atomically: written beside it with O_EXCL|O_NOFOLLOW, then
 * renamed over it. An existing file keeps its mode and owner.
 */
export async function writeGuestFile(
  root: string,
  guestPath: string,
  content: string,
  mode = 0o644,
): Promise<void> {
  const host = await resolveInGuest(root, guestPath);
  await makeGuestDir(root, dirname(relative(root, host)));
  const existing = await lstat(host).catch(() => undefined);
  if (existing && !existing.isFile()) {
    throw new BootableError("rootfs-link-escape", `${quote(guestPath)} in the image is not a regular file`);
  }
  const temp = join(dirname(host), `.layerboom-${process.pid}-${Date.now()}`);
  const fh = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    existing ? existing.mode & 0o7777 : mode,
  );
  try {
    await fh.writeFile(content);
    if (existing) await fh.chmod(existing.mode & 0o7777);
  } finally {
    await fh.close();
  }
  if (existing) await chown(temp, existing.uid, existing.gid);
  await rename(temp, host);
}

/** Points a guest path at `target` with a symlink (systemd's `mask` is a link to /dev/null). */
export async function linkInGuest(root: string, guestPath: string, target: string): Promise<void> {
  const host = await resolveInGuest(root, guestPath);
  await makeGuestDir(root, dirname(relative(root, host)));
  await rm(host, { force: true });
  await symlink(target, host);
}

/** Names in a guest directory, or none when it does not exist. */
export async function listGuestDir(root: string, guestPath: string): Promise<string[]> {
  const host = await resolveInGuest(root, guestPath);
  const info = await lstat(host).catch(() => undefined);
  if (!info?.isDirectory()) return [];
  return (await readdir(host)).sort();
}

/** Whether a guest path exists (after resolving links inside the guest). */
export async function guestPathExists(root: string, guestPath: string): Promise<boolean> {
  const host = await resolveInGuest(root, guestPath);
  return (await lstat(host).catch(() => undefined)) !== undefined;
}
