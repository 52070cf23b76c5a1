import { copyFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { sha256File, sha256Text } from "./build-files.js";
import { guestCacheDir } from "./cache-dir.js";
import { TINY_DEFAULT_APPEND, ensureTinyGuest } from "./tiny-guest.js";
import type { TinyGuest } from "./tiny-guest.js";

/**
 * The tiny guest as a customer would upload it: one self-booting disk (an MBR, one ext4
 * partition holding the kernel, the initramfs and an extlinux menu), with no kernel or initrd
 * beside it. An image like this travels as one file, which is what federation moves between
 * installations (docs/federation.md): the direct-kernel tiny image has three blobs, and an
 * import pipeline takes disks. It boots to the same readiness line in about the same time.
 */
export interface TinyBootableDisk {
  /** The disk, qcow2. */
  path: string;
  sha256: string;
  /** Matches the readiness line on the serial console. */
  readyPattern: RegExp;
  key: string;
}

const RECIPE_VERSION = 1;
const SYSLINUX_MBR = "/usr/lib/syslinux/mbr/mbr.bin";
const DISK_MIB = 64;
/** The one partition starts at 1 MiB (sector 2048). */
const PARTITION_START = 2048 * 512;

const memo = new Map<string, Promise<TinyBootableDisk>>();

/** Builds the tiny bootable disk from the tiny guest, or returns the cached build (`<cache>/tiny-bootable/<key>`). */
export function ensureTinyBootableDisk(options: { cacheDir?: string } = {}): Promise<TinyBootableDisk> {
  const cacheDir = guestCacheDir(options.cacheDir);
  let pending = memo.get(cacheDir);
  if (!pending) {
    pending = ensureTinyGuest({ cacheDir }).then((guest) => build(cacheDir, guest));
    memo.set(cacheDir, pending);
    pending.catch(() => memo.delete(cacheDir));
  }
  return pending;
}

function extlinuxMenu(): string {
  return [
    "DEFAULT tiny",
    "TIMEOUT 0",
    "PROMPT 0",
    "SERIAL 0 115200",
    "LABEL tiny",
    "  KERNEL /boot/vmlinuz",
    "  INITRD /boot/initrd.img",
    `  APPEND ${TINY_DEFAULT_APPEND}`,
    "",
  ].join("\n");
}

async function build(cacheDir: string, guest: TinyGuest): Promise<TinyBootableDisk> {
  const key = sha256Text(
    JSON.stringify({ recipe: RECIPE_VERSION, guest: guest.key, menu: extlinuxMenu(), mib: DISK_MIB }),
  ).slice(0, 24);
  const dir = join(cacheDir, "tiny-bootable", key);
  const cached = await readManifest(dir);
  if (cached)
    return { path: join(dir, "disk.qcow2"), sha256: cached.sha256, readyPattern: guest.readyPattern, key };

  await mkdir(dirname(dir), { recursive: true });
  const work = await mkdtemp(`${dir}.build-`);
  const raw = join(work, "disk.raw");
  const mountPoint = join(work, "mnt");
  let loop: string | undefined;
  let mounted = false;
  try {
    await runProgram("truncate", ["-s", `${DISK_MIB}M`, raw]);
    // One bootable Linux partition from 1 MiB to the end.
    await runProgram("sfdisk", ["--quiet", raw], { input: "label: dos\nstart=2048, type=83, bootable\n" });
    // The partition alone, by offset: containers often have no udev to make a partition's node.
    loop = (
      await runProgram("losetup", ["--find", "--show", "--offset", String(PARTITION_START), raw])
    ).stdout.trim();
    const partition = loop;
    await runProgram("mkfs.ext4", ["-q", "-L", "tiny-root", partition]);
    await mkdir(mountPoint);
    await runProgram("mount", [partition, mountPoint]);
    mounted = true;
    await mkdir(join(mountPoint, "boot", "extlinux"), { recursive: true });
    await copyFile(guest.kernel, join(mountPoint, "boot", "vmlinuz"));
    await copyFile(guest.initrd, join(mountPoint, "boot", "initrd.img"));
    await writeFile(join(mountPoint, "boot", "extlinux", "extlinux.conf"), extlinuxMenu());
    await runProgram("extlinux", ["--install", join(mountPoint, "boot", "extlinux")]);
    await runProgram("umount", [mountPoint]);
    mounted = false;
    await runProgram("losetup", ["--detach", loop]);
    loop = undefined;
    // syslinux's MBR boot code jumps to the active partition's boot record.
    await runProgram("dd", [`if=${SYSLINUX_MBR}`, `of=${raw}`, "bs=440", "count=1", "conv=notrunc"]);
    await runProgram("qemu-img", ["convert", "-f", "raw", "-O", "qcow2", raw, join(work, "disk.qcow2")]);
    await rm(raw);
    const sha256 = await sha256File(join(work, "disk.qcow2"));
    await writeFile(join(work, "manifest.json"), `${JSON.stringify({ key, sha256 }, null, 2)}\n`);
    await rm(mountPoint, { recursive: true });
    await rename(work, dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
    const manifest = (await readManifest(dir)) ?? { key, sha256 };
    return { path: join(dir, "disk.qcow2"), sha256: manifest.sha256, readyPattern: guest.readyPattern, key };
  } finally {
    if (mounted) await runProgram("umount", [mountPoint]).catch(() => undefined);
    if (loop) await runProgram("losetup", ["--detach", loop]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

async function readManifest(dir: string): Promise<{ key: string; sha256: string } | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as { key: string; sha256: string };
  } catch {
    return undefined;
  }
}
