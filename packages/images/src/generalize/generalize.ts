import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProgramError, runProgram } from "@layerboom/sys";
import { Debugfs, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, SAFE_NAME, safePath } from "./debugfs.js";
import type { DebugfsEntry } from "./debugfs.js";
import { findRootFilesystem } from "./find-root.js";

/** What one generalisation step did: `done` changed something, `unchanged` found nothing to do. */
export interface GeneralizeStep {
  step: "cloud-init" | "ssh-host-keys" | "machine-id" | "root-password";
  outcome: "done" | "unchanged" | "skipped";
  detail: string;
  /** Paths removed or emptied inside the image. */
  paths?: string[];
}

/** The outcome of {@link generalizeRawDisk}, recorded on the captured image. */
export interface GeneralizeResult {
  /** False when the root filesystem is not one we edit: the disk is left as captured. */
  generalized: boolean;
  filesystem?: "ext2" | "ext3" | "ext4";
  partition?: number;
  /** Why it was not generalised. */
  reason?: string;
  steps: GeneralizeStep[];
}

/** Past this many entries under one removed tree we stop: a tree that size is not cloud-init's state. */
const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 24;

const typeOf = (e: DebugfsEntry) => e.mode & S_IFMT;

/**
 * Generalises a captured server's disk for reuse as an image (docs/images.md, "Capture"), in
 * user space on a raw copy, never mounting it: a tenant's filesystem may be crafted to attack
 * the kernel that mounts it, and its symlinks would redirect our writes. The journal is replayed
 * by `e2fsck -E journal_only` (a live capture is crash-consistent), then `debugfs -w` edits the
 * root filesystem: cloud-init's per-instance state goes (so a new instance id runs it again), the
 * SSH host keys go, `/etc/machine-id` is emptied, and root's password stays (or becomes) locked.
 * debugfs's `rm` removes a link, never what it points to, and every directory on a path is
 * checked to be a real directory before anything under it is touched. Only ext2/3/4 are edited;
 * any other root filesystem is reported and left as captured.
 */
export async function generalizeRawDisk(rawPath: string): Promise<GeneralizeResult> {
  const root = await findRootFilesystem(rawPath);
  if (!root.found) return { generalized: false, reason: root.reason, steps: [] };
  const where = { filesystem: root.filesystem, ...(root.partition ? { partition: root.partition } : {}) };
  const device = root.offsetBytes > 0 ? `${rawPath}?offset=${root.offsetBytes}` : rawPath;
  try {
    await runProgram("e2fsck", ["-E", "journal_only", "-y", device], {
      timeoutMs: 300_000,
      limits: { cpuSeconds: 300, addressSpaceBytes: 2 * 1024 ** 3 },
    });
  } catch (err) {
    // 1: the journal was replayed (a fix); anything above is a filesystem we should not edit.
    if (!(err instanceof ProgramError && err.exitCode === 1)) {
      const why = err instanceof Error ? err.message : String(err);
      return {
        generalized: false,
        ...where,
        reason: `e2fsck could not replay the journal: ${why}`,
        steps: [],
      };
    }
  }
  const fs = new Debugfs(rawPath, root.offsetBytes, true);
  const scratch = await mkdtemp(join(tmpdir(), "layerboom-generalize-"));
  try {
    const plans = [
      await planCloudInit(fs),
      await planSshHostKeys(fs),
      await planMachineId(fs),
      await planRootPassword(fs, scratch),
    ];
    const commands = plans.flatMap((p) => p.commands);
    if (commands.length > 0) await fs.run(commands);
    const steps: GeneralizeStep[] = [];
    for (const plan of plans) steps.push(await plan.verify());
    return { generalized: true, ...where, steps };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Plan {
  commands: string[];
  /** Checks the image after the commands ran and says what the step did. */
  verify(): Promise<GeneralizeStep>;
}

/** The entry at an absolute path, when every directory above it is a real directory. */
async function lookup(fs: Debugfs, path: string): Promise<DebugfsEntry | "missing" | "not-a-directory"> {
  const parts = path.split("/").slice(1);
  let dir = "";
  for (let i = 0; i < parts.length; i++) {
    const entries = await fs.list(dir || "/");
    const entry = entries?.find((e) => e.name === parts[i]);
    if (!entry) return "missing";
    if (i === parts.length - 1) return entry;
    if (typeOf(entry) !== S_IFDIR) return "not-a-directory";
    dir = `${dir}/${parts[i]}`;
  }
  return "missing";
}

/** Commands that remove `path` (an entry of type `entry`) and everything below it, children first. */
async function removeTree(
  fs: Debugfs,
  path: string,
  entry: DebugfsEntry,
  out: { commands: string[]; skipped: string[]; count: number },
  depth = 0,
): Promise<void> {
  if (++out.count > MAX_ENTRIES) throw new Error(`more than ${MAX_ENTRIES} entries under ${path}`);
  if (typeOf(entry) !== S_IFDIR) {
    out.commands.push(`rm ${path}`);
    return;
  }
  if (depth > MAX_DEPTH) throw new Error(`${path} is nested more than ${MAX_DEPTH} levels deep`);
  for (const child of (await fs.list(path)) ?? []) {
    if (!SAFE_NAME.test(child.name)) {
      out.skipped.push(`${path}/${JSON.stringify(child.name)}`);
      continue;
    }
    await removeTree(fs, `${path}/${child.name}`, child, out, depth + 1);
  }
  out.commands.push(`rmdir ${path}`);
}

const CLOUD_STATE = ["instance", "instances", "data"];

async function planCloudInit(fs: Debugfs): Promise<Plan> {
  const base = "/var/lib/cloud";
  const found = await lookup(fs, base);
  const out = { commands: [] as string[], skipped: [] as string[], count: 0 };
  const targets: string[] = [];
  if (found !== "missing" && found !== "not-a-directory" && typeOf(found) === S_IFDIR) {
    for (const entry of (await fs.list(base)) ?? []) {
      if (!CLOUD_STATE.includes(entry.name)) continue;
      targets.push(`${base}/${entry.name}`);
      await removeTree(fs, `${base}/${entry.name}`, entry, out);
    }
  }
  return {
    commands: out.commands,
    async verify() {
      if (found === "missing")
        return {
          step: "cloud-init",
          outcome: "unchanged",
          detail: `no ${base}: cloud-init has not run; a new instance id runs it`,
        };
      if (found === "not-a-directory" || typeOf(found) !== S_IFDIR)
        return { step: "cloud-init", outcome: "skipped", detail: `${base} is not a directory` };
      const left = ((await fs.list(base)) ?? []).filter((e) => CLOUD_STATE.includes(e.name));
      if (left.length > 0)
        return {
          step: "cloud-init",
          outcome: "skipped",
          detail: `could not remove ${left.map((e) => `${base}/${e.name}`).join(", ")}${
            out.skipped.length ? ` (names not touched: ${out.skipped.slice(0, 5).join(", ")})` : ""
          }`,
        };
      return {
        step: "cloud-init",
        outcome: targets.length > 0 ? "done" : "unchanged",
        detail:
          targets.length > 0
            ? "per-instance state removed: cloud-init runs again under the new server's instance id"
            : "no per-instance state: cloud-init runs under the new server's instance id",
        paths: targets,
      };
    },
  };
}

async function planSshHostKeys(fs: Debugfs): Promise<Plan> {
  const dir = "/etc/ssh";
  const found = await lookup(fs, dir);
  const keys =
    found !== "missing" && found !== "not-a-directory" && typeOf(found) === S_IFDIR
      ? ((await fs.list(dir)) ?? []).filter(
          (e) =>
            e.name.startsWith("ssh_host_") &&
            SAFE_NAME.test(e.name) &&
            (typeOf(e) === S_IFREG || typeOf(e) === S_IFLNK),
        )
      : [];
  const paths = keys.map((k) => `${dir}/${k.name}`);
  return {
    commands: paths.map((p) => `rm ${p}`),
    async verify() {
      if (found === "missing" || found === "not-a-directory" || typeOf(found) !== S_IFDIR)
        return { step: "ssh-host-keys", outcome: "unchanged", detail: `no ${dir} directory` };
      const left = ((await fs.list(dir)) ?? []).filter((e) => e.name.startsWith("ssh_host_"));
      if (left.length > 0)
        return {
          step: "ssh-host-keys",
          outcome: "skipped",
          detail: `left in place: ${left.map((e) => JSON.stringify(e.name)).join(", ")}`,
        };
      return {
        step: "ssh-host-keys",
        outcome: paths.length > 0 ? "done" : "unchanged",
        detail:
          paths.length > 0
            ? "host keys removed: the new server generates its own"
            : "no host keys: the new server generates its own",
        paths,
      };
    },
  };
}

async function planMachineId(fs: Debugfs): Promise<Plan> {
  const path = "/etc/machine-id";
  const found = await lookup(fs, path);
  const regular = typeof found === "object" && typeOf(found) === S_IFREG;
  return {
    // Emptied in place (its blocks freed, size 0), keeping its inode, owner and mode: systemd
    // writes a new id at the next boot and treats it as a first boot.
    commands: regular && found.size > 0 ? [`punch ${path} 0`, `sif ${path} size 0`] : [],
    async verify() {
      if (found === "missing")
        return { step: "machine-id", outcome: "unchanged", detail: `no ${path}: systemd creates one` };
      if (!regular)
        return { step: "machine-id", outcome: "skipped", detail: `${path} is not a regular file` };
      const now = await lookup(fs, path);
      if (typeof now !== "object" || now.size !== 0)
        return { step: "machine-id", outcome: "skipped", detail: `${path} could not be emptied` };
      return {
        step: "machine-id",
        outcome: found.size > 0 ? "done" : "unchanged",
        detail: "emptied: the new server gets its own machine id at first boot",
        paths: [path],
      };
    },
  };
}

/** Root's password field is locked when it starts with `!` or `*` (and is not empty). */
function rootLocked(shadow: string): boolean | undefined {
  const line = shadow.split("\n").find((l) => l.startsWith("root:"));
  if (!line) return undefined;
  const field = line.split(":")[1] ?? "";
  return field.startsWith("!") || field.startsWith("*");
}

async function planRootPassword(fs: Debugfs, scratch: string): Promise<Plan> {
  const path = "/etc/shadow";
  const found = await lookup(fs, path);
  const regular = typeof found === "object" && typeOf(found) === S_IFREG && found.size < 1024 ** 2;
  const shadow = regular ? await fs.cat(path) : "";
  const locked = regular ? rootLocked(shadow) : undefined;
  const commands: string[] = [];
  if (regular && locked === false) {
    // Prepending `!` locks the password and keeps the hash, as `passwd -l` does.
    const lockedShadow = shadow
      .split("\n")
      .map((l) => (l.startsWith("root:") ? `root:!${l.slice("root:".length)}` : l))
      .join("\n");
    const source = join(scratch, "shadow");
    if (!safePath(source)) throw new Error("the scratch folder's path cannot be given to debugfs");
    await writeFile(source, lockedShadow, { mode: 0o600 });
    commands.push(
      `rm ${path}`,
      `write ${source} ${path}`,
      `sif ${path} mode 0${found.mode.toString(8)}`,
      `sif ${path} uid ${found.uid}`,
      `sif ${path} gid ${found.gid}`,
    );
  }
  return {
    commands,
    async verify() {
      if (!regular || locked === undefined)
        return { step: "root-password", outcome: "skipped", detail: `${path} has no root entry we can read` };
      if (locked)
        return { step: "root-password", outcome: "unchanged", detail: "root's password was already locked" };
      const now = rootLocked(await fs.cat(path));
      if (now !== true)
        return { step: "root-password", outcome: "skipped", detail: "could not lock root's password" };
      return {
        step: "root-password",
        outcome: "done",
        detail: "root's password locked (`!` before its hash)",
        paths: [path],
      };
    },
  };
}
