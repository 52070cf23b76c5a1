import {
  chmod,
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  utimes,
  writeFile,
} from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { runProgram } from "@layerboom/sys";
import { ensureDeb, moduleDependencies, moduleLoadOrder, resolveKernelPackage } from "@layerboom/images";
import {
  TINY_BANNER_SCRIPT,
  TINY_INIT_SCRIPT,
  TINY_POWER_BUTTON_SCRIPT,
  TINY_READY_PATTERN,
  TINY_REQUIRED_APPLETS,
  TINY_UDHCPC_SCRIPT,
  TINY_WANTED_MODULES,
} from "./tiny-init.js";
import { guestCacheDir } from "./cache-dir.js";
import { sha256File, sha256Text } from "./build-files.js";

/** Bumped whenever the build recipe changes in a way the inputs below do not capture. */
const RECIPE_VERSION = 4;

/** Fixed mtime for archived files, so that the same inputs give the same initramfs bytes. */
const EPOCH = new Date(0);

/** Options for {@link ensureTinyGuest}. */
export interface TinyGuestOptions {
  /** Cache folder. Default `$LAYERBOOM_CACHE_DIR`, else `<repo>/.cache`. */
  cacheDir?: string;
  /** Debian meta-package that names the kernel. */
  kernelMetaPackage?: string;
  /** The static busybox binary copied into the initramfs. */
  busybox?: string;
  /** Size of the ext4 data-disk image, in MiB. */
  diskMiB?: number;
}

/** Options after defaults are filled. */
export interface CompiledTinyGuestOptions {
  cacheDir: string;
  kernelMetaPackage: string;
  busybox: string;
  diskMiB: number;
}

/** A built tiny guest: Debian's cloud kernel, a busybox initramfs and a small ext4 data disk. */
export interface TinyGuest {
  /** bzImage for `-kernel`. */
  kernel: string;
  /** gzip'd newc cpio for `-initrd`. */
  initrd: string;
  /** Raw ext4 image for a root-disk-style base image; /init counts boots on it. */
  disk: string;
  /** Its format, always named explicitly to qemu. */
  diskFormat: "raw";
  /** Kernel command line to pass with `-append`; add `layerboom.busy=N` etc. as needed. */
  append: string;
  /** Matches the readiness line on the serial console. */
  readyPattern: RegExp;
  kernelPackage: string;
  kernelPackageVersion: string;
  sha256: { kernel: string; initrd: string; disk: string };
  /** The cache key: a hash of every input. */
  key: string;
  /** The folder that holds the build. */
  dir: string;
}

interface Manifest {
  kernelPackage: string;
  kernelPackageVersion: string;
  sha256: TinyGuest["sha256"];
  key: string;
}

/** Fills defaults for {@link TinyGuestOptions}. */
export function compileTinyGuestOptions(options: TinyGuestOptions = {}): CompiledTinyGuestOptions {
  const diskMiB = options.diskMiB ?? 32;
  if (!Number.isInteger(diskMiB) || diskMiB < 8)
    throw new RangeError(`diskMiB must be an integer >= 8, got ${diskMiB}`);
  return {
    cacheDir: guestCacheDir(options.cacheDir),
    kernelMetaPackage: options.kernelMetaPackage ?? "linux-image-cloud-amd64",
    busybox: options.busybox ?? "/bin/busybox",
    diskMiB,
  };
}

/** The default kernel command line: serial console, quiet, reboot at once on panic. */
export const TINY_DEFAULT_APPEND = "console=ttyS0 quiet panic=-1";

const memo = new Map<string, Promise<TinyGuest>>();

/**
 * Builds the tiny test guest from Debian packages, or returns the cached build. The kernel
 * .deb is downloaded with apt-get (never installed on the host) and unpacked with dpkg-deb;
 * the initramfs holds the host's busybox-static, the virtio/isofs/ACPI-button modules and
 * an /init that prints a readiness line. Builds are cached under `<cacheDir>/tiny-guest/<key>`,
 * where the key hashes every input, and memoised per process.
 */
export function ensureTinyGuest(options: TinyGuestOptions = {}): Promise<TinyGuest> {
  const compiled = compileTinyGuestOptions(options);
  const memoKey = JSON.stringify(compiled);
  let pending = memo.get(memoKey);
  if (!pending) {
    pending = buildTinyGuest(compiled);
    memo.set(memoKey, pending);
    pending.catch(() => memo.delete(memoKey));
  }
  return pending;
}

async function buildTinyGuest(options: CompiledTinyGuestOptions): Promise<TinyGuest> {
  const { name: kernelPackage, version } = await resolveKernelPackage(options.kernelMetaPackage);
  const deb = await ensureDeb(options.cacheDir, kernelPackage, version);
  const key = sha256Text(
    JSON.stringify({
      recipe: RECIPE_VERSION,
      deb: await sha256File(deb),
      busybox: await sha256File(options.busybox),
      init: [TINY_INIT_SCRIPT, TINY_POWER_BUTTON_SCRIPT, TINY_UDHCPC_SCRIPT, TINY_BANNER_SCRIPT],
      modules: TINY_WANTED_MODULES,
      diskMiB: options.diskMiB,
    }),
  ).slice(0, 24);
  const dir = join(options.cacheDir, "tiny-guest", key);
  const existing = await readManifest(dir);
  if (existing) return describe(dir, existing);

  await mkdir(dirname(dir), { recursive: true });
  const work = await mkdtemp(`${dir}.build-`);
  try {
    const unpacked = join(work, "deb");
    await runProgram("dpkg-deb", ["-x", deb, unpacked], { timeoutMs: 120_000 });
    const bootFiles = await readdir(join(unpacked, "boot"));
    const vmlinuz = bootFiles.find((f) => f.startsWith("vmlinuz-"));
    if (!vmlinuz) throw new Error(`${kernelPackage} ${version} holds no /boot/vmlinuz-*`);
    await copyFile(join(unpacked, "boot", vmlinuz), join(work, "vmlinuz"));

    const root = join(work, "root");
    await stageInitramfs(root, unpacked, options.busybox);
    await packInitramfs(root, join(work, "initrd.img"));
    await makeDataDisk(join(work, "disk.raw"), options.diskMiB);
    await rm(unpacked, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true });

    const manifest: Manifest = {
      kernelPackage,
      kernelPackageVersion: version,
      key,
      sha256: {
        kernel: await sha256File(join(work, "vmlinuz")),
        initrd: await sha256File(join(work, "initrd.img")),
        disk: await sha256File(join(work, "disk.raw")),
      },
    };
    await writeFile(join(work, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    // Publish atomically; a concurrent builder that won the race leaves an equal build.
    await rename(work, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
    return describe(dir, (await readManifest(dir)) ?? manifest);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function describe(dir: string, manifest: Manifest): TinyGuest {
  return {
    kernel: join(dir, "vmlinuz"),
    initrd: join(dir, "initrd.img"),
    disk: join(dir, "disk.raw"),
    diskFormat: "raw",
    append: TINY_DEFAULT_APPEND,
    readyPattern: TINY_READY_PATTERN,
    kernelPackage: manifest.kernelPackage,
    kernelPackageVersion: manifest.kernelPackageVersion,
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

/** Fails the build, naming them, when the busybox binary lacks applets the guest needs. */
async function checkBusyboxApplets(busybox: string): Promise<void> {
  const { stdout } = await runProgram(busybox, ["--list"], { timeoutMs: 10_000 });
  const have = new Set(stdout.split("\n").map((l) => l.trim()));
  const missing = TINY_REQUIRED_APPLETS.filter((a) => !have.has(a));
  if (missing.length > 0)
    throw new Error(`${busybox} lacks the applets ${missing.join(", ")}; install busybox-static`);
}

async function stageInitramfs(root: string, unpackedDeb: string, busybox: string): Promise<void> {
  for (const d of [
    "bin",
    "etc/acpi/PWRF",
    "proc",
    "sys",
    "dev",
    "tmp",
    "run",
    "mnt/seed",
    "mnt/disk",
    "lib/modules",
  ]) {
    await mkdir(join(root, d), { recursive: true });
  }
  await checkBusyboxApplets(busybox);
  await copyFile(busybox, join(root, "bin/busybox"));
  await chmod(join(root, "bin/busybox"), 0o755);
  const scripts: [string, string][] = [
    ["init", TINY_INIT_SCRIPT],
    // busybox acpid maps the PWRF event to the action file PWRF/00000080 in its config folder.
    ["etc/acpi/PWRF/00000080", TINY_POWER_BUTTON_SCRIPT],
    ["etc/udhcpc.script", TINY_UDHCPC_SCRIPT],
    ["etc/banner", TINY_BANNER_SCRIPT],
  ];
  for (const [path, text] of scripts) await writeFile(join(root, path), text, { mode: 0o755 });

  const modulesRoot = join(unpackedDeb, "lib/modules");
  const [release] = await readdir(modulesRoot);
  if (!release) throw new Error("kernel package holds no /lib/modules/<release>");
  const files = new Map<string, string>();
  for (const file of await walk(join(modulesRoot, release, "kernel"))) {
    const base = file.slice(file.lastIndexOf("/") + 1);
    if (base.endsWith(".ko")) files.set(base.slice(0, -3).replaceAll("-", "_"), file);
  }
  const deps = new Map<string, string[]>();
  for (const name of TINY_WANTED_MODULES) await collectDeps(name, files, deps);
  const order = moduleLoadOrder(TINY_WANTED_MODULES, (n) => deps.get(n) ?? []);
  for (const name of order) await copyFile(files.get(name) ?? "", join(root, "lib/modules", `${name}.ko`));
  await writeFile(join(root, "lib/modules/load-order"), `${order.join("\n")}\n`);
}

async function collectDeps(
  name: string,
  files: Map<string, string>,
  deps: Map<string, string[]>,
): Promise<void> {
  if (deps.has(name)) return;
  const file = files.get(name);
  if (!file) throw new Error(`kernel module ${name} is not in the kernel package (built in, or renamed?)`);
  const direct = moduleDependencies(await readFile(file));
  deps.set(name, direct);
  for (const dep of direct) await collectDeps(dep, files, deps);
}

async function packInitramfs(root: string, output: string): Promise<void> {
  const entries = (await walk(root, true)).map((p) => relative(root, p)).sort();
  for (const entry of entries) await utimes(join(root, entry), EPOCH, EPOCH);
  await utimes(root, EPOCH, EPOCH);
  const cpio = `${output}.cpio`;
  await runProgram(
    "cpio",
    ["--create", "--format=newc", "--owner=0:0", "--reproducible", "--quiet", `--file=${cpio}`],
    {
      cwd: root,
      input: `.\n${entries.join("\n")}\n`,
      timeoutMs: 60_000,
    },
  );
  await writeFile(output, gzipSync(await readFile(cpio), { level: 9 }));
  await rm(cpio);
}

/** An ext4 image with a marker file; /init mounts it and keeps a boot counter on it. */
async function makeDataDisk(output: string, sizeMiB: number): Promise<void> {
  const content = join(dirname(output), "disk-content");
  await mkdir(content, { recursive: true });
  await writeFile(join(content, "layerboom-tiny"), "tiny guest data disk\n");
  await utimes(join(content, "layerboom-tiny"), EPOCH, EPOCH);
  await utimes(content, EPOCH, EPOCH);
  await runProgram(
    "mke2fs",
    [
      "-q",
      "-F",
      "-t",
      "ext4",
      "-L",
      "tiny",
      "-U",
      "5f0c1e2a-7d4b-4c3e-9a1f-000000000001",
      "-E",
      "root_owner=0:0,hash_seed=5f0c1e2a-7d4b-4c3e-9a1f-000000000002",
      "-d",
      content,
      output,
      `${sizeMiB}M`,
    ],
    // E2FSPROGS_FAKE_TIME pins timestamps, so the image is the same bytes every build.
    { env: { ...process.env, E2FSPROGS_FAKE_TIME: "1", MKE2FS_DETERMINISTIC: "1" }, timeoutMs: 60_000 },
  );
  await rm(content, { recursive: true, force: true });
}

async function walk(dir: string, includeDirs = false): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (includeDirs) out.push(path);
      out.push(...(await walk(path, includeDirs)));
    } else out.push(path);
  }
  return out;
}
