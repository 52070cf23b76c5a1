import { randomUUID } from "node:crypto";
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { BootableError } from "../errors.js";
import {
  EC2_XEN_ONLY,
  PASSWORD_HASH,
  extlinuxConfig,
  keptKernelArgs,
  newestFirst,
  parseMenuLst,
  rewriteFstab,
  rewriteInittab,
  setRootPassword,
} from "./guest-config.js";
import {
  guestPathExists,
  linkInGuest,
  listGuestDir,
  makeGuestDir,
  readGuestFile,
  resolveInGuest,
  writeGuestFile,
} from "./guest-files.js";
import { installKvmKernel, type KvmKernelOptions } from "./kvm-kernel.js";
import { stageRootfs, type RootfsSource } from "./stage-rootfs.js";

/** Options for {@link makeBootableDisk}. */
export interface MakeBootableOptions {
  source: RootfsSource;
  /** The raw disk to write (MBR, one ext4 partition at 1 MiB). */
  output: string;
  /** A scratch folder on the same filesystem as `output`; the staged tree lives here. */
  workDir: string;
  /** A crypt(3) hash for root; default: root's password is locked. */
  rootPasswordHash?: string;
  /** Largest disk made. Default 256 GiB. */
  maxDiskBytes?: number;
  /**
   * When no kernel of the image can boot under KVM, install Debian's cloud kernel from here
   * (with a busybox initramfs); without it such an image fails with `kernel-no-virtio`.
   */
  kvmKernel?: KvmKernelOptions;
  /** Called as each step starts, for progress. */
  onStep?: (step: string) => void;
}

/** What was done, for the image's record. */
export interface BootableDisk {
  path: string;
  sizeBytes: number;
  rootUuid: string;
  kernelRelease: string;
  /** Every step applied, in order, in words. */
  steps: string[];
}

/** Where syslinux keeps its MBR boot code (Debian's syslinux-common). */
const SYSLINUX_MBR = "/usr/lib/syslinux/mbr/mbr.bin";
const MiB = 1024 * 1024;
/** ext4 without 64bit and metadata_csum, which extlinux and older guest kernels cannot read. */
const EXT4_FEATURES = "^64bit,^metadata_csum,^metadata_csum_seed,^orphan_file";

/**
 * The manual EC2/Xen → KVM recipe in one call: stage the root filesystem, fix it for KVM
 * (fstab by UUID, serial console, a kernel with virtio, no EC2/Xen-only services, root
 * password), then write an MBR disk with one bootable ext4 partition at 1 MiB and extlinux.
 */
export async function makeBootableDisk(options: MakeBootableOptions): Promise<BootableDisk> {
  const step = options.onStep ?? (() => undefined);
  if (process.getuid?.() !== 0) {
    throw new BootableError(
      "rootfs-needs-root",
      "the controller must run as root to make a root filesystem bootable (it keeps owners, and uses a loop device for extlinux)",
    );
  }
  if (options.rootPasswordHash !== undefined && !PASSWORD_HASH.test(options.rootPasswordHash)) {
    throw new BootableError(
      "root-password-hash",
      "the root password must be a crypt(3) hash ($y$, $6$, $5$ or $2b$...), not a password",
    );
  }
  const stage = await mkdtemp(join(options.workDir, "rootfs-"));
  try {
    step("stage");
    const steps = await stageRootfs(options.source, stage, options.workDir);
    for (const dir of ["etc", "bin", "usr"]) {
      if (!(await guestPathExists(stage, dir)))
        throw new BootableError("rootfs-not-linux", `the root filesystem has no /${dir}`);
    }
    const rootUuid = randomUUID();
    step("configure");
    steps.push(...(await configureForKvm(stage, rootUuid, options.rootPasswordHash)));
    const kernel = await chooseKernel(stage, options.kvmKernel);
    steps.push(kernel.note);
    await makeGuestDir(stage, "boot/extlinux");
    await writeGuestFile(
      stage,
      "boot/extlinux/extlinux.conf",
      extlinuxConfig({
        kernel: kernel.kernel,
        ...(kernel.initrd ? { initrd: kernel.initrd } : {}),
        rootUuid,
        extraArgs: kernel.extraArgs,
      }),
    );
    step("assemble");
    const sizeBytes = await assembleDisk(
      stage,
      options.output,
      rootUuid,
      options.maxDiskBytes ?? 256 * 1024 ** 3,
    );
    steps.push(
      `wrote an MBR disk of ${Math.round(sizeBytes / MiB)} MiB: one bootable ext4 partition at 1 MiB, UUID ${rootUuid}`,
      "installed extlinux with the console on ttyS0",
    );
    return { path: options.output, sizeBytes, rootUuid, kernelRelease: kernel.release, steps };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** fstab, consoles, EC2/Xen-only services, root password, cloud-init state, old udev net rules. */
async function configureForKvm(root: string, rootUuid: string, hash: string | undefined): Promise<string[]> {
  const steps: string[] = [];
  const fstab = rewriteFstab((await readGuestFile(root, "etc/fstab")) ?? "", rootUuid);
  await writeGuestFile(root, "etc/fstab", fstab.text);
  steps.push(`fstab: ${fstab.changes.join("; ")}`);

  const inittab = await readGuestFile(root, "etc/inittab");
  if (inittab !== undefined) {
    const rewritten = rewriteInittab(inittab);
    await writeGuestFile(root, "etc/inittab", rewritten.text);
    if (rewritten.changes.length > 0) steps.push(`inittab: ${rewritten.changes.join("; ")}`);
  }

  const disabled = await disableEc2AndXenServices(root);
  if (disabled.length > 0) steps.push(`disabled EC2/Xen-only services: ${disabled.join(", ")}`);

  const shadow = await readGuestFile(root, "etc/shadow");
  if (shadow !== undefined) {
    const result = setRootPassword(shadow, hash);
    await writeGuestFile(root, "etc/shadow", result.text, 0o640);
    steps.push(result.change);
  }

  // MAC-pinned interface names from the old machine would rename eth0 away from its config.
  if (await guestPathExists(root, "etc/udev/rules.d/70-persistent-net.rules")) {
    await rm(await resolveInGuest(root, "etc/udev/rules.d/70-persistent-net.rules"), { force: true });
    steps.push("removed 70-persistent-net.rules");
  }

  if (await guestPathExists(root, "etc/cloud")) {
    // A fresh instance: cloud-init runs its first-boot modules again, from our NoCloud seed.
    for (const dir of ["instance", "instances", "data", "sem"]) {
      await rm(await resolveInGuest(root, `var/lib/cloud/${dir}`), { recursive: true, force: true });
    }
    await writeGuestFile(
      root,
      "etc/cloud/cloud.cfg.d/99-layerboom.cfg",
      "# Layerboom serves cloud-init a NoCloud seed disk (cidata).\ndatasource_list: [ NoCloud, ConfigDrive, None ]\n",
    );
    steps.push("cloud-init: state cleared, NoCloud datasource first");
  }
  return steps;
}

/** Masks systemd units and removes SysV start links of services that only work on EC2 or Xen. */
async function disableEc2AndXenServices(root: string): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of ["lib/systemd/system", "usr/lib/systemd/system", "etc/systemd/system"]) {
    for (const file of await listGuestDir(root, dir)) {
      const match = /^(.*)\.(service|timer)$/.exec(file);
      if (match?.[1] && EC2_XEN_ONLY.test(match[1])) names.add(file);
    }
  }
  for (const unit of names) await linkInGuest(root, `etc/systemd/system/${unit}`, "/dev/null");
  for (const script of await listGuestDir(root, "etc/init.d")) {
    if (!EC2_XEN_ONLY.test(script)) continue;
    for (const level of ["rc0.d", "rc1.d", "rc2.d", "rc3.d", "rc4.d", "rc5.d", "rc6.d", "rcS.d"]) {
      for (const link of await listGuestDir(root, `etc/${level}`)) {
        if (new RegExp(`^S\\d\\d${script.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`).test(link)) {
          const from = await resolveInGuest(root, `etc/${level}`);
          await rename(join(from, link), join(from, `K${link.slice(1)}`));
        }
      }
    }
    names.add(script);
  }
  return [...names].sort();
}

interface ChosenKernel {
  release: string;
  /** Guest paths for extlinux. */
  kernel: string;
  initrd?: string;
  extraArgs: string[];
  note: string;
}

/**
 * Keeps the image's own kernel when it can boot under KVM: virtio_blk built in, or a module
 * with an initramfs to load it. The kernel a Xen menu.lst boots is preferred, then the newest.
 */
async function chooseKernel(root: string, kvmKernel: KvmKernelOptions | undefined): Promise<ChosenKernel> {
  const releases = (await listGuestDir(root, "boot"))
    .filter((f) => f.startsWith("vmlinuz-") || f.startsWith("vmlinux-"))
    .map((f) => f.slice("vmlinuz-".length));
  const menu = parseMenuLst(
    (await readGuestFile(root, "boot/grub/menu.lst")) ??
      (await readGuestFile(root, "boot/grub/grub.conf")) ??
      "",
  );
  const fromMenu = menu ? releases.find((r) => menu.kernel.endsWith(`-${r}`)) : undefined;
  const order = [...(fromMenu ? [fromMenu] : []), ...newestFirst(releases).filter((r) => r !== fromMenu)];
  const refused: string[] = [];
  for (const release of order) {
    const virtio = await virtioSupport(root, release);
    const initrd = await findInitrd(root, release);
    if (virtio === "none" || (virtio === "module" && !initrd)) {
      refused.push(
        `${release} (${virtio === "none" ? "no virtio_blk" : "virtio_blk is a module and there is no initramfs"})`,
      );
      continue;
    }
    const image = (await guestPathExists(root, `boot/vmlinuz-${release}`)) ? "vmlinuz" : "vmlinux";
    return {
      release,
      kernel: `/boot/${image}-${release}`,
      ...(initrd ? { initrd } : {}),
      extraArgs: release === fromMenu && menu ? keptKernelArgs(menu.args) : [],
      note: `kept the image's kernel ${release} (virtio_blk ${virtio === "builtin" ? "built in" : "in its initramfs"})${release === fromMenu ? ", the one its menu.lst boots" : ""}`,
    };
  }
  const why =
    refused.length > 0
      ? `its kernels cannot boot under KVM: ${refused.join(", ")}`
      : "it has no /boot/vmlinuz-*";
  if (!kvmKernel) {
    throw new BootableError(
      releases.length === 0 ? "kernel-missing" : "kernel-no-virtio",
      `${why}; install one with virtio drivers (for example linux-image-cloud-amd64) in the image`,
    );
  }
  const installed = await installKvmKernel(root, kvmKernel).catch((err: Error) => {
    throw new BootableError(
      "kernel-no-virtio",
      `${why}, and installing a KVM kernel failed: ${err.message.slice(0, 300)}`,
    );
  });
  return {
    release: installed.release,
    kernel: installed.kernel,
    initrd: installed.initrd,
    extraArgs: [],
    note: `installed ${installed.packageName} ${installed.version} with a busybox initramfs (virtio_blk, virtio_net), because ${why}`,
  };
}

/** How the kernel's config (or, without one, its module tree) provides virtio_blk. */
async function virtioSupport(root: string, release: string): Promise<"builtin" | "module" | "none"> {
  const config = await readGuestFile(root, `boot/config-${release}`);
  if (config !== undefined) {
    const line = /^CONFIG_VIRTIO_BLK=([ym])$/m.exec(config);
    if (!line) return "none";
    if (line[1] === "y") return "builtin";
  }
  const driver = `lib/modules/${release}/kernel/drivers/block`;
  const found = (await listGuestDir(root, driver)).some((f) => /^virtio_blk\.ko(\.(xz|zst|gz))?$/.test(f));
  return found ? "module" : "none";
}

async function findInitrd(root: string, release: string): Promise<string | undefined> {
  for (const name of [
    `initrd.img-${release}`,
    `initramfs-${release}.img`,
    `initrd-${release}.img`,
    `initrd-${release}`,
  ]) {
    const host = await resolveInGuest(root, `boot/${name}`);
    if ((await lstat(host).catch(() => undefined))?.isFile()) return `/boot/${name}`;
  }
  return undefined;
}

/** Writes the MBR disk: partition table, ext4 populated from the tree, extlinux, boot code. */
async function assembleDisk(
  stage: string,
  output: string,
  rootUuid: string,
  maxBytes: number,
): Promise<number> {
  const { stdout } = await runProgram("du", ["-s", "-B1", "--one-file-system", stage], {
    timeoutMs: 30 * 60_000,
  });
  const used = Number(stdout.split(/\s/)[0]);
  const inodes = await countEntries(stage);
  // Room for the journal, inode tables and the guest's first updates; at least 2 GiB.
  const wanted = Math.max(2 * 1024 * MiB, Math.ceil((used * 1.4 + 512 * MiB) / MiB) * MiB);
  if (wanted > maxBytes) {
    throw new BootableError(
      "rootfs-too-large",
      `the root filesystem needs ${wanted} bytes, over the ${maxBytes} cap`,
    );
  }
  const fsBytes = wanted - MiB;
  const fh = await open(output, "w", 0o600);
  try {
    await fh.truncate(wanted);
  } finally {
    await fh.close();
  }
  await runProgram("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", output], {
    input: "label: dos\nstart=2048, type=83, bootable\n",
    timeoutMs: 60_000,
  });
  await runProgram(
    "mke2fs",
    [
      "-q",
      "-F",
      "-t",
      "ext4",
      "-b",
      "4096",
      "-O",
      EXT4_FEATURES,
      "-N",
      String(Math.max(65_536, inodes * 2)),
      "-U",
      rootUuid,
      "-L",
      "root",
      "-E",
      `offset=${MiB}`,
      "-d",
      stage,
      output,
      `${fsBytes / 1024}k`,
    ],
    { timeoutMs: 60 * 60_000 },
  );
  await installExtlinux(output, fsBytes, join(stage, "..", `mnt-${rootUuid}`));
  const mbr = await open(SYSLINUX_MBR, "r");
  const code = Buffer.alloc(440);
  try {
    await mbr.read(code, 0, 440, 0);
  } finally {
    await mbr.close();
  }
  const disk = await open(output, "r+");
  try {
    await disk.write(code, 0, 440, 0);
  } finally {
    await disk.close();
  }
  return wanted;
}

/** Mounts the new partition through a loop device and runs `extlinux --install` on its /boot/extlinux. */
async function installExtlinux(output: string, fsBytes: number, mount: string): Promise<void> {
  const { stdout } = await runProgram(
    "losetup",
    ["--find", "--show", "--offset", String(MiB), "--sizelimit", String(fsBytes), output],
    { timeoutMs: 60_000 },
  );
  const device = stdout.trim();
  try {
    await mkdir(mount, { recursive: true, mode: 0o700 });
    await runProgram("mount", ["-t", "ext4", "-o", "nodev,nosuid,noexec", device, mount], {
      timeoutMs: 60_000,
    });
    try {
      // Our own tree, but its /boot came from the image: never let a link lead extlinux elsewhere.
      for (const path of ["boot", "boot/extlinux"]) {
        const info = await lstat(join(mount, path));
        if (!info.isDirectory())
          throw new BootableError("rootfs-link-escape", `/${path} in the image is not a directory`);
      }
      await runProgram("extlinux", ["--install", join(mount, "boot/extlinux")], { timeoutMs: 60_000 });
    } finally {
      await runProgram("umount", [mount], { timeoutMs: 60_000 });
    }
  } finally {
    await runProgram("losetup", ["--detach", device], { timeoutMs: 60_000 }).catch(() => undefined);
    await rm(mount, { recursive: true, force: true });
  }
}

/** Files and folders in the tree, to size the inode table. */
async function countEntries(dir: string): Promise<number> {
  let count = 0;
  const walk = async (path: string): Promise<void> => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      count++;
      if (entry.isDirectory()) await walk(join(path, entry.name));
    }
  };
  await walk(dir);
  return count;
}
