import { constants } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { runProgram } from "@layerboom/sys";
import { ensureDeb, resolveKernelPackage } from "./debian-kernel.js";
import { makeGuestDir, resolveInGuest } from "./guest-files.js";
import { moduleDependencies, moduleLoadOrder } from "./kernel-modules.js";

/** Where the KVM kernel comes from when an image has none that boots under KVM. */
export interface KvmKernelOptions {
  /** Holds downloaded kernel packages. */
  cacheDir: string;
  /** Debian meta-package naming the kernel. Default `linux-image-cloud-amd64` (virtio, no hardware drivers). */
  kernelMetaPackage?: string;
  /** A static busybox for the initramfs. Default Debian's busybox-static, `/bin/busybox`. */
  busybox?: string;
}

/** Modules the initramfs loads: the virtio disk and NIC, and ext4 when the kernel has it as a module. */
const INITRAMFS_MODULES = ["virtio_pci", "virtio_blk", "virtio_net", "ext4"];

/**
 * The initramfs's /init: load the virtio modules, find the root filesystem by the UUID on the
 * kernel command line, and hand over to the image's own init. Small enough to read in one go,
 * and independent of the guest's distribution (it never runs the guest's initramfs tools).
 */
const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /lib/modules/load-order); do insmod /lib/modules/$m.ko 2>/dev/null; done
uuid=
for arg in $(cat /proc/cmdline); do
  case "$arg" in root=UUID=*) uuid="\${arg#root=UUID=}" ;; esac
done
dev=
i=0
while [ $i -lt 100 ]; do
  dev=$(findfs "UUID=$uuid" 2>/dev/null) && break
  sleep 0.1
  i=$((i + 1))
done
if [ -z "$dev" ] || ! mount -o ro "$dev" /newroot; then
  echo "layerboom initramfs: cannot mount the root filesystem UUID=$uuid" >/dev/console
  exec sh
fi
mount --move /dev /newroot/dev 2>/dev/null || umount /dev
umount /sys
umount /proc
exec switch_root /newroot /sbin/init
`;

/**
 * Installs Debian's cloud kernel (virtio built for KVM) into an image whose own kernels cannot
 * boot under KVM, with its modules, and builds a busybox initramfs that loads virtio_blk and
 * virtio_net and mounts root by UUID. Returns guest paths for the boot loader.
 */
export async function installKvmKernel(
  root: string,
  options: KvmKernelOptions,
): Promise<{ release: string; kernel: string; initrd: string; packageName: string; version: string }> {
  const meta = options.kernelMetaPackage ?? "linux-image-cloud-amd64";
  const { name, version } = await resolveKernelPackage(meta);
  const deb = await ensureDeb(options.cacheDir, name, version);
  const work = await mkdtemp(join(options.cacheDir, "kernel-"));
  try {
    const unpacked = join(work, "deb");
    await runProgram("dpkg-deb", ["-x", deb, unpacked], { timeoutMs: 300_000 });
    const [release] = await readdir(join(unpacked, "lib/modules"));
    if (!release) throw new Error(`${name} holds no /lib/modules/<release>`);

    await makeGuestDir(root, "boot");
    for (const file of [`vmlinuz-${release}`, `config-${release}`]) {
      await placeInGuest(root, `boot/${file}`, join(unpacked, "boot", file));
    }
    const modules = await makeGuestDir(root, "lib/modules");
    await rm(join(modules, release), { recursive: true, force: true });
    await runProgram("cp", ["-a", join(unpacked, "lib/modules", release), modules], { timeoutMs: 300_000 });

    const initramfs = join(work, "initramfs");
    await buildInitramfs(
      initramfs,
      join(unpacked, "lib/modules", release),
      options.busybox ?? "/bin/busybox",
    );
    const initrdName = `initrd.img-${release}`;
    await packCpio(initramfs, join(work, initrdName));
    await placeInGuest(root, `boot/${initrdName}`, join(work, initrdName));
    return {
      release,
      kernel: `/boot/vmlinuz-${release}`,
      initrd: `/boot/${initrdName}`,
      packageName: name,
      version,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Copies a host file to a guest path, replacing whatever the guest had there (a link is replaced, not followed). */
async function placeInGuest(root: string, guestPath: string, source: string): Promise<void> {
  const host = await resolveInGuest(root, guestPath);
  await rm(host, { force: true });
  await copyFile(source, host, constants.COPYFILE_EXCL);
}

async function buildInitramfs(root: string, modulesDir: string, busybox: string): Promise<void> {
  for (const dir of ["bin", "proc", "sys", "dev", "newroot", "lib/modules"]) {
    await mkdir(join(root, dir), { recursive: true });
  }
  await copyFile(busybox, join(root, "bin/busybox"));
  await chmod(join(root, "bin/busybox"), 0o755);
  await writeFile(join(root, "init"), INIT_SCRIPT, { mode: 0o755 });

  const files = new Map<string, string>();
  for (const file of await walk(join(modulesDir, "kernel"))) {
    const base = file.slice(file.lastIndexOf("/") + 1);
    if (base.endsWith(".ko")) files.set(base.slice(0, -3).replaceAll("-", "_"), file);
  }
  // A module that is not in the package is built in (ext4 is, in Debian's cloud kernel).
  const wanted = INITRAMFS_MODULES.filter((m) => files.has(m));
  const deps = new Map<string, string[]>();
  const collect = async (name: string): Promise<void> => {
    if (deps.has(name)) return;
    const file = files.get(name);
    const direct = file ? moduleDependencies(await readFile(file)) : [];
    deps.set(name, direct);
    for (const dep of direct) await collect(dep);
  };
  for (const name of wanted) await collect(name);
  const order = moduleLoadOrder(wanted, (n) => deps.get(n) ?? []).filter((n) => files.has(n));
  for (const name of order) await copyFile(files.get(name)!, join(root, "lib/modules", `${name}.ko`));
  await writeFile(join(root, "lib/modules/load-order"), `${order.join("\n")}\n`);
}

async function packCpio(root: string, output: string): Promise<void> {
  const entries = (await walk(root, true)).map((p) => relative(root, p)).sort();
  const cpio = `${output}.cpio`;
  await runProgram("cpio", ["--create", "--format=newc", "--owner=0:0", "--quiet", `--file=${cpio}`], {
    cwd: root,
    input: `.\n${entries.join("\n")}\n`,
    timeoutMs: 60_000,
  });
  await writeFile(output, gzipSync(await readFile(cpio), { level: 6 }));
  await rm(cpio);
}

async function walk(dir: string, includeDirs = false): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (includeDirs) out.push(path);
      out.push(...(await walk(path, includeDirs)));
    } else {
      out.push(path);
    }
  }
  return out;
}
