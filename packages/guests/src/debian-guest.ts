import {
  appendFile,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import { runProgram } from "@layerboom/sys";
import { guestCacheDir } from "./cache-dir.js";
import { acquireBuildLock, removeTree, sha256File, sha256Text } from "./build-files.js";
import { findDebianMirror } from "./debian-mirror.js";
import {
  RECIPE_VERSION,
  DEBIAN_READY_PATTERN,
  DEBIAN_DEFAULT_USER,
  DEBIAN_DEFAULT_APPEND,
  DEBIAN_GUEST_PACKAGES,
  MASKED_UNITS,
  ENABLED_UNITS,
  GUEST_FILES,
  INITRAMFS_MODULES,
} from "./debian-recipe.js";

/** Options for {@link ensureDebianGuest}. */
export interface DebianGuestOptions {
  /** Cache folder. Default `$LAYERBOOM_CACHE_DIR`, else `<repo>/.cache`. */
  cacheDir?: string;
  /** Debian mirror for debootstrap. Default: the first apt source of this host that carries {@link suite}. */
  mirror?: string;
  /** Default `bookworm` (Debian 12). */
  suite?: string;
  /** Virtual size of the root filesystem, in GiB (the image itself is sparse and compressed). */
  diskGiB?: number;
  /** Receives debootstrap's progress lines (`I: Retrieving ...`). */
  onProgress?: (line: string) => void;
}

/** Options after defaults are filled. */
export interface CompiledDebianGuestOptions {
  cacheDir: string;
  mirror?: string;
  suite: string;
  diskGiB: number;
}

/** A built debian-12 guest: Debian's cloud kernel + initramfs for direct kernel boot, and an ext4 root disk. */
export interface DebianGuest {
  /** vmlinuz from the root filesystem's /boot, for `-kernel`. */
  kernel: string;
  /** initrd.img from /boot (initramfs-tools, virtio modules only), for `-initrd`. */
  initrd: string;
  /**
   * The root filesystem as an uncompressed tarball (numeric owners, xattrs, ACLs, holes; /dev
   * left empty): the input of the image pipeline's root filesystem imports.
   */
  rootfsTar: string;
  /** qcow2 (compressed) holding one ext4 filesystem, no partition table: it is `/dev/vda`. */
  disk: string;
  diskFormat: "qcow2";
  /** Kernel command line for `-append`. */
  append: string;
  /** Matches the line printed on the serial console when cloud-init has finished. */
  readyPattern: RegExp;
  /** The account to pass as the seed's `user` and to log in as over SSH (has passwordless sudo). */
  defaultUser: string;
  /** `uname -r` of the kernel. */
  kernelRelease: string;
  /** Versions of the packages in {@link DEBIAN_GUEST_PACKAGES} as installed. */
  packages: Record<string, string>;
  mirror: string;
  suite: string;
  sha256: { kernel: string; initrd: string; disk: string };
  /** The cache key: a hash of the recipe and its inputs. */
  key: string;
  /** The folder that holds the build. */
  dir: string;
}

interface Manifest {
  key: string;
  mirror: string;
  suite: string;
  kernelRelease: string;
  packages: Record<string, string>;
  sha256: DebianGuest["sha256"];
  buildSeconds: number;
}

/** Fills defaults for {@link DebianGuestOptions}. */
export function compileDebianGuestOptions(options: DebianGuestOptions = {}): CompiledDebianGuestOptions {
  const diskGiB = options.diskGiB ?? 4;
  if (!Number.isInteger(diskGiB) || diskGiB < 2 || diskGiB > 64)
    throw new RangeError(`diskGiB must be an integer from 2 to 64, got ${diskGiB}`);
  const suite = options.suite ?? "bookworm";
  if (!/^[a-z][a-z0-9-]*$/.test(suite)) throw new RangeError(`not a Debian suite name: ${suite}`);
  if (options.mirror !== undefined && !/^(https?|file):\/\/\S+$/.test(options.mirror))
    throw new RangeError(`mirror must be an http(s) or file URL, got ${options.mirror}`);
  return {
    cacheDir: guestCacheDir(options.cacheDir),
    mirror: options.mirror,
    suite,
    diskGiB,
  };
}

const memo = new Map<string, Promise<DebianGuest>>();

/**
 * Builds the debian-12 development/test guest from Debian packages, or returns the cached
 * build: debootstrap (minbase + cloud kernel, cloud-init, systemd-networkd, OpenSSH, sudo)
 * into a temporary folder, configured for NoCloud and a short boot under TCG, packed as an
 * ext4 filesystem (`mke2fs -d`) in a compressed qcow2, with the kernel and initramfs taken
 * from its /boot for direct kernel boot. Needs root (debootstrap, chroot) and Debian's archive.
 *
 * Cached under `<cacheDir>/debian-guest/<key>`, where the key hashes the recipe and its
 * inputs (not the archive's state: bump the recipe or delete the folder to pick up updates).
 * Built in a temporary folder and renamed into place; a lock file keeps concurrent processes
 * from building the same key twice; memoised per process.
 */
export function ensureDebianGuest(options: DebianGuestOptions = {}): Promise<DebianGuest> {
  const compiled = compileDebianGuestOptions(options);
  const memoKey = JSON.stringify(compiled);
  let pending = memo.get(memoKey);
  if (!pending) {
    pending = buildDebianGuest(compiled, options.onProgress);
    memo.set(memoKey, pending);
    pending.catch(() => memo.delete(memoKey));
  }
  return pending;
}

async function buildDebianGuest(
  options: CompiledDebianGuestOptions,
  onProgress?: (line: string) => void,
): Promise<DebianGuest> {
  const mirror = options.mirror ?? (await findDebianMirror(options.suite));
  const key = sha256Text(
    JSON.stringify({
      recipe: RECIPE_VERSION,
      mirror,
      suite: options.suite,
      packages: DEBIAN_GUEST_PACKAGES,
      files: GUEST_FILES,
      initramfsModules: INITRAMFS_MODULES,
      masked: MASKED_UNITS,
      enabled: ENABLED_UNITS,
      diskGiB: options.diskGiB,
    }),
  ).slice(0, 24);
  const dir = join(options.cacheDir, "debian-guest", key);
  const existing = await readManifest(dir);
  if (existing) return describe(dir, existing);

  await mkdir(dirname(dir), { recursive: true });
  const release = await acquireBuildLock(`${dir}.lock`, async () => (await readManifest(dir)) !== undefined);
  if (!release) {
    const built = await readManifest(dir);
    if (built) return describe(dir, built);
  }
  try {
    const again = await readManifest(dir);
    if (again) return describe(dir, again);
    return describe(dir, await buildInto(dir, key, mirror, options, onProgress));
  } finally {
    await release?.();
  }
}

async function buildInto(
  dir: string,
  key: string,
  mirror: string,
  options: CompiledDebianGuestOptions,
  onProgress?: (line: string) => void,
): Promise<Manifest> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      "building the debian-12 guest needs root (debootstrap creates device nodes and runs chroot); " +
        `run as root or put a built guest in ${dir}`,
    );
  }
  const started = Date.now();
  const work = await mkdtemp(`${dir}.build-`);
  const rootfs = join(work, "rootfs");
  try {
    const debs = join(options.cacheDir, "debs", `debootstrap-${options.suite}`);
    await mkdir(debs, { recursive: true });
    await runProgram(
      "debootstrap",
      [
        "--variant=minbase",
        "--components=main",
        `--include=${DEBIAN_GUEST_PACKAGES.join(",")}`,
        `--cache-dir=${debs}`,
        options.suite,
        rootfs,
        mirror,
      ],
      {
        env: buildEnv(),
        timeoutMs: 45 * 60_000,
        onStdoutLine: onProgress,
        maxOutputBytes: 64 * 1024 * 1024,
      },
    ).catch(async (err: unknown) => {
      const log = await readFile(join(rootfs, "debootstrap/debootstrap.log"), "utf8").catch(() => "");
      const tail = log.trim().split("\n").slice(-20).join("\n");
      throw new Error(
        `debootstrap ${options.suite} from ${mirror} failed: ${(err as Error).message}${tail ? `\n${tail}` : ""}`,
        { cause: err },
      );
    });

    await configureRootfs(rootfs, key);
    const kernelRelease = await installBootFiles(rootfs, work);
    const packages = await installedVersions(rootfs);
    await writeFile(
      join(work, "packages.txt"),
      Object.entries(packages)
        .map(([name, version]) => `${name} ${version}\n`)
        .join(""),
    );
    await trimRootfs(rootfs);
    // The same tree as a root filesystem tarball, for the image pipeline's tests. /dev stays
    // empty: a guest mounts devtmpfs there, and the pipeline refuses device nodes in archives.
    await runProgram(
      "tar",
      [
        "-c",
        "-f",
        join(work, "rootfs.tar"),
        "-C",
        rootfs,
        "--numeric-owner",
        "--xattrs",
        "--xattrs-include=*",
        "--acls",
        "--sparse",
        "--exclude=./dev/*",
        ".",
      ],
      { env: buildEnv(), timeoutMs: 15 * 60_000 },
    );

    const raw = join(work, "root.raw");
    await runProgram(
      "mke2fs",
      ["-q", "-F", "-t", "ext4", "-L", "debian-root", "-d", rootfs, raw, `${options.diskGiB}G`],
      { env: buildEnv(), timeoutMs: 15 * 60_000 },
    );
    await removeTree(rootfs);
    await runProgram(
      "qemu-img",
      ["convert", "-f", "raw", "-O", "qcow2", "-c", raw, join(work, "disk.qcow2")],
      {
        timeoutMs: 15 * 60_000,
      },
    );
    await rm(raw);

    const wanted = new Set(DEBIAN_GUEST_PACKAGES);
    const manifest: Manifest = {
      key,
      mirror,
      suite: options.suite,
      kernelRelease,
      packages: Object.fromEntries(
        Object.entries(packages).filter(([name]) => wanted.has(name) || name.startsWith("linux-image-")),
      ),
      sha256: {
        kernel: await sha256File(join(work, "vmlinuz")),
        initrd: await sha256File(join(work, "initrd.img")),
        disk: await sha256File(join(work, "disk.qcow2")),
      },
      buildSeconds: Math.round((Date.now() - started) / 1000),
    };
    await writeFile(join(work, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    // Publish atomically; a concurrent builder that won the race leaves an equal build.
    await rename(work, dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
    return (await readManifest(dir)) ?? manifest;
  } finally {
    await removeTree(work);
  }
}

/** Writes the configuration, rebuilds the initramfs and sets the unit states, all inside the new root. */
async function configureRootfs(rootfs: string, key: string): Promise<void> {
  for (const [path, content] of Object.entries(GUEST_FILES)) {
    await mkdir(dirname(join(rootfs, path)), { recursive: true });
    await writeFile(join(rootfs, path), content, { mode: 0o644 });
  }
  await appendFile(join(rootfs, "etc/initramfs-tools/modules"), `${INITRAMFS_MODULES.join("\n")}\n`);
  await writeFile(join(rootfs, "etc/layerboom-guest"), `debian-12 ${key}\n`);

  // Every VM made from this image must get its own identity: host keys (cloud-init's ssh module
  // generates them), machine id (systemd generates it on first boot), and no copy of the build
  // host's resolv.conf.
  for (const name of await readdir(join(rootfs, "etc/ssh"))) {
    if (name.startsWith("ssh_host_")) await rm(join(rootfs, "etc/ssh", name));
  }
  await writeFile(join(rootfs, "etc/machine-id"), "");
  await rm(join(rootfs, "var/lib/dbus/machine-id"), { force: true });
  await mkdir(join(rootfs, "var/lib/dbus"), { recursive: true });
  await symlink("/etc/machine-id", join(rootfs, "var/lib/dbus/machine-id"));
  await rm(join(rootfs, "etc/resolv.conf"), { force: true });

  await inChroot(rootfs, "update-initramfs", ["-u", "-k", "all"]);
  await inChroot(rootfs, "systemctl", ["enable", ...ENABLED_UNITS]);
  await inChroot(rootfs, "systemctl", ["mask", ...MASKED_UNITS]);
  await inChroot(rootfs, "systemctl", ["set-default", "multi-user.target"]);
}

/** Copies the single kernel and its initramfs out of /boot; returns the kernel release. */
async function installBootFiles(rootfs: string, work: string): Promise<string> {
  const boot = join(rootfs, "boot");
  const kernels = (await readdir(boot)).filter((f) => f.startsWith("vmlinuz-"));
  const [vmlinuz] = kernels;
  if (!vmlinuz || kernels.length !== 1)
    throw new Error(`expected one /boot/vmlinuz-* in the guest, found ${kernels.join(", ") || "none"}`);
  const release = vmlinuz.slice("vmlinuz-".length);
  await copyFile(join(boot, vmlinuz), join(work, "vmlinuz"));
  await copyFile(join(boot, `initrd.img-${release}`), join(work, "initrd.img"));
  return release;
}

async function installedVersions(rootfs: string): Promise<Record<string, string>> {
  const { stdout } = await inChroot(rootfs, "dpkg-query", ["-W", "-f", "${Package} ${Version}\\n"]);
  const out: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    const [name, version] = line.trim().split(" ");
    if (name && version) out[name] = version;
  }
  return out;
}

/** Drops what debootstrap leaves behind and a guest does not need: downloaded .debs and apt lists. */
async function trimRootfs(rootfs: string): Promise<void> {
  for (const sub of ["var/cache/apt/archives", "var/lib/apt/lists"]) {
    for (const name of await readdir(join(rootfs, sub)).catch(() => [] as string[])) {
      if (name !== "partial" && name !== "lock")
        await rm(join(rootfs, sub, name), { recursive: true, force: true });
    }
  }
  for (const name of await readdir(join(rootfs, "var/cache/apt")).catch(() => [] as string[])) {
    if (name.endsWith(".bin")) await rm(join(rootfs, "var/cache/apt", name), { force: true });
  }
}

function inChroot(rootfs: string, program: string, args: string[]): ReturnType<typeof runProgram> {
  return runProgram("chroot", [rootfs, program, ...args], { env: buildEnv(), timeoutMs: 10 * 60_000 });
}

/** debootstrap and the tools it runs live in sbin; a stable locale avoids perl warnings in the chroot. */
function buildEnv(): NodeJS.ProcessEnv {
  return {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: "/root",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
    DEBIAN_FRONTEND: "noninteractive",
  };
}

function describe(dir: string, manifest: Manifest): DebianGuest {
  return {
    kernel: join(dir, "vmlinuz"),
    initrd: join(dir, "initrd.img"),
    rootfsTar: join(dir, "rootfs.tar"),
    disk: join(dir, "disk.qcow2"),
    diskFormat: "qcow2",
    append: DEBIAN_DEFAULT_APPEND,
    readyPattern: DEBIAN_READY_PATTERN,
    defaultUser: DEBIAN_DEFAULT_USER,
    kernelRelease: manifest.kernelRelease,
    packages: manifest.packages,
    mirror: manifest.mirror,
    suite: manifest.suite,
    sha256: manifest.sha256,
    key: manifest.key,
    dir,
  };
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}
