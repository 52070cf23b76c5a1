import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { convertBackupToOverlay, convertOverlayToBackup, createBackupTarget } from "../disks/backup-files.js";
import { imageInfo } from "../disks/qemu-img.js";
import type { BackupFile } from "./driver.js";
import { VmNotRunningError, VmSpecError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { QmpClient, QmpEvent } from "./qmp-client.js";
import { exists, livePid } from "./runtime-files.js";
import type { ServerLocks } from "./server-locks.js";
import type { VmConnections } from "./vm-connections.js";
import { SERVER_ID, type VmPaths } from "./vm-paths.js";

/** Options for {@link QemuBackups}. */
export interface QemuBackupsOptions {
  /** `<backupDir>/<serverId>/<backupId>.qcow2`. */
  backupDir: string;
  /** Longest a live backup job may run before it is cancelled. */
  backupTimeoutMs: number;
  logger: Logger;
  paths: (serverId: string) => VmPaths;
  /** The driver's per-server locks: a backup never overlaps a start, stop or destroy of its VM. */
  locks: ServerLocks;
  /** The driver's QMP connections, for live backups of running VMs. */
  connections: VmConnections;
}

/** Backup ids name files: `bkp_<base32>` from the controller, nothing that could leave the folder. */
const BACKUP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const BACKUP_SUFFIX = ".qcow2";
const PARTIAL_SUFFIX = ".qcow2.partial";
/** The disk's `-drive id` (qemu-args.ts), the source of live backups. */
const DISK_DEVICE = "disk0";

/**
 * Backups of server disks (docs/backups.md): standalone qcow2 files beside the VMs, taken live
 * over QMP from a running VM or with `qemu-img` from a stopped one, and restored as a new
 * overlay. The QEMU driver's backup methods are these.
 */
export class QemuBackups {
  constructor(private readonly options: QemuBackupsOptions) {}

  /** The folder of a server's backups. */
  folder(serverId: string): string {
    if (!SERVER_ID.test(serverId)) throw new VmSpecError(serverId, "not a server id");
    return join(this.options.backupDir, serverId);
  }

  /** Where a complete backup lives. */
  path(serverId: string, backupId: string): string {
    if (!BACKUP_ID.test(backupId)) throw new VmSpecError(serverId, `"${backupId}" is not a backup id`);
    return join(this.folder(serverId), `${backupId}${BACKUP_SUFFIX}`);
  }

  /** The server's backup files, complete and half-written. */
  async list(serverId: string): Promise<BackupFile[]> {
    const dir = this.folder(serverId);
    const files: BackupFile[] = [];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const complete = name.endsWith(BACKUP_SUFFIX);
      const backupId = complete
        ? name.slice(0, -BACKUP_SUFFIX.length)
        : name.endsWith(PARTIAL_SUFFIX)
          ? name.slice(0, -PARTIAL_SUFFIX.length)
          : undefined;
      if (backupId === undefined || !BACKUP_ID.test(backupId)) continue;
      const path = join(dir, name);
      const size = await stat(path).then(
        (st) => st.size,
        () => undefined,
      );
      if (size !== undefined) files.push({ backupId, path, sizeBytes: size, complete });
    }
    return files.sort((a, b) => a.backupId.localeCompare(b.backupId));
  }

  /**
   * Takes a backup of the server's disk into `<backupDir>/<server>/<backup>.qcow2`: a standalone
   * qcow2 holding the whole disk (base image included). A running VM is copied live over QMP
   * (`blockdev-add` of a fresh target, `blockdev-backup` sync=full, BLOCK_JOB_COMPLETED,
   * `blockdev-del`); a stopped one with `qemu-img convert`. The file is written under a
   * `.partial` name and renamed when complete, so a crash never leaves a half backup that looks
   * whole; a half one found later (and any job or node a killed agent left in QEMU) is removed
   * and the backup taken again. Idempotent: an existing complete backup is kept.
   */
  async take(serverId: string, backupId: string): Promise<BackupFile> {
    const final = this.path(serverId, backupId);
    return this.options.locks.run(serverId, async () => {
      const done = await stat(final).catch(() => undefined);
      if (done) return { backupId, path: final, sizeBytes: done.size, complete: true };
      const paths = this.options.paths(serverId);
      const partial = `${final.slice(0, -BACKUP_SUFFIX.length)}${PARTIAL_SUFFIX}`;
      await mkdir(this.folder(serverId), { recursive: true, mode: 0o700 });
      const pid = await livePid(paths);
      if (pid !== undefined) {
        const handle = await this.options.connections.attach(serverId, pid);
        await this.clearJob(handle.qmp, backupId);
        await rm(partial, { force: true });
        try {
          await this.liveBackup(handle.qmp, paths, backupId, partial);
        } catch (err) {
          await rm(partial, { force: true });
          throw err;
        }
      } else {
        if (!(await exists(paths.overlay)))
          throw new VmNotRunningError(serverId, "back up (it has no disk yet)");
        await rm(partial, { force: true });
        try {
          await convertOverlayToBackup(paths.overlay, partial);
        } catch (err) {
          await rm(partial, { force: true });
          throw err;
        }
      }
      await syncFile(partial);
      await rename(partial, final);
      await syncFile(this.folder(serverId));
      const { size } = await stat(final);
      this.options.logger.info(
        { serverId, backupId, sizeBytes: size, live: pid !== undefined },
        "backup taken",
      );
      return { backupId, path: final, sizeBytes: size, complete: true, live: pid !== undefined };
    });
  }

  /** Deletes a backup (complete or half-written, and its job in QEMU if one still runs). Idempotent. */
  async remove(serverId: string, backupId: string): Promise<void> {
    const final = this.path(serverId, backupId);
    await this.options.locks.run(serverId, async () => {
      const pid = await livePid(this.options.paths(serverId));
      if (pid !== undefined) {
        const handle = await this.options.connections.attach(serverId, pid).catch(() => undefined);
        if (handle) await this.clearJob(handle.qmp, backupId).catch(() => undefined);
      }
      await rm(`${final.slice(0, -BACKUP_SUFFIX.length)}${PARTIAL_SUFFIX}`, { force: true });
      await rm(final, { force: true });
    });
  }

  /**
   * Replaces a stopped VM's disk with a copy of a backup, written as a new overlay on `base`
   * (only what differs from the base image is stored) under a temporary name, then renamed
   * over the old disk: a crash leaves either the old disk or the restored one.
   */
  async restore(
    serverId: string,
    backupId: string,
    base: { path: string; format: "qcow2" | "raw" },
  ): Promise<void> {
    const backup = this.path(serverId, backupId);
    await this.options.locks.run(serverId, async () => {
      const paths = this.options.paths(serverId);
      if ((await livePid(paths)) !== undefined)
        throw new VmSpecError(serverId, "stop the VM before restoring its disk");
      if (!(await exists(backup))) throw new VmSpecError(serverId, `backup ${backupId} is not on this host`);
      await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
      const tmp = `${paths.overlay}.restoring`;
      await rm(tmp, { force: true });
      try {
        await convertBackupToOverlay(backup, tmp, resolve(base.path), base.format);
        await syncFile(tmp);
        await rename(tmp, paths.overlay);
      } finally {
        await rm(tmp, { force: true });
      }
      this.options.logger.info({ serverId, backupId }, "disk restored from backup");
    });
  }

  /** The QMP side of a live backup into the (absent) file `target`. */
  private async liveBackup(qmp: QmpClient, paths: VmPaths, backupId: string, target: string): Promise<void> {
    const { node, job } = backupNames(backupId);
    const { virtualSizeBytes } = await imageInfo(paths.overlay, "qcow2");
    await createBackupTarget(target, virtualSizeBytes);
    await qmp.execute("blockdev-add", {
      driver: "qcow2",
      "node-name": node,
      file: { driver: "file", filename: target },
    });
    try {
      const finished = watchJob(qmp, job, this.options.backupTimeoutMs);
      try {
        await qmp.execute("blockdev-backup", {
          "job-id": job,
          device: DISK_DEVICE,
          target: node,
          sync: "full",
        });
      } catch (err) {
        finished.cancel();
        throw err;
      }
      let event: QmpEvent;
      try {
        event = await finished.promise;
      } catch (err) {
        await qmp.execute("block-job-cancel", { device: job, force: true }).catch(() => undefined);
        throw err;
      }
      if (event.event !== "BLOCK_JOB_COMPLETED") throw new Error(`backup job ${job} was cancelled`);
      const error = (event.data as { error?: unknown } | undefined)?.error;
      if (typeof error === "string") throw new Error(`backup job ${job} failed: ${error}`);
    } finally {
      await qmp
        .execute("blockdev-del", { "node-name": node })
        .catch((err: unknown) =>
          this.options.logger.warn({ err, node }, "blockdev-del of a backup target failed"),
        );
    }
  }

  /** Cancels a backup job and removes its target node left by an earlier (killed) agent. */
  private async clearJob(qmp: QmpClient, backupId: string): Promise<void> {
    const { node, job } = backupNames(backupId);
    const jobs = await qmp.execute<{ device: string; status?: string }[]>("query-block-jobs");
    const running = jobs.find((j) => j.device === job);
    if (running?.status === "concluded") {
      await qmp.execute("job-dismiss", { id: job }).catch(() => undefined);
    } else if (running) {
      const over = watchJob(qmp, job, 30_000);
      await qmp.execute("block-job-cancel", { device: job, force: true }).catch(() => undefined);
      await over.promise.catch(() => undefined);
      await qmp.execute("job-dismiss", { id: job }).catch(() => undefined);
    }
    const nodes = await qmp.execute<{ "node-name"?: string }[]>("query-named-block-nodes", { flat: true });
    if (nodes.some((n) => n["node-name"] === node)) await qmp.execute("blockdev-del", { "node-name": node });
  }
}

/** Node and job names of a backup: QEMU caps node names at 31 characters. */
function backupNames(backupId: string): { node: string; job: string } {
  const name = `bk-${backupId.replace(/^[a-z]+_/, "").slice(-26)}`;
  return { node: name, job: name };
}

/** The end of a block job (completed or cancelled); `cancel` stops listening. */
function watchJob(
  qmp: QmpClient,
  job: string,
  timeoutMs: number,
): { promise: Promise<QmpEvent>; cancel: () => void } {
  let cancel = (): void => undefined;
  const promise = new Promise<QmpEvent>((resolvePromise, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer);
      qmp.off("event", onEvent);
      qmp.off("close", onClose);
    };
    const onEvent = (e: QmpEvent): void => {
      if (e.event !== "BLOCK_JOB_COMPLETED" && e.event !== "BLOCK_JOB_CANCELLED") return;
      if ((e.data as { device?: unknown } | undefined)?.device !== job) return;
      cleanup();
      resolvePromise(e);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error(`QEMU went away during backup job ${job}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`backup job ${job} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
    qmp.on("event", onEvent);
    qmp.on("close", onClose);
    cancel = () => {
      cleanup();
      resolvePromise({ event: "CANCELLED_BY_CALLER", data: {}, timestampMs: Date.now() });
    };
  });
  return { promise, cancel };
}

/** fsync a file or folder, so a rename after it is durable. */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
