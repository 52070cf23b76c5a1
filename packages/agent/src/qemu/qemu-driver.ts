import { EventEmitter } from "node:events";
import {
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { convertBackupToOverlay, convertOverlayToBackup, createBackupTarget } from "../disks/backup-files.js";
import { ensureOverlay, removeOverlay } from "../disks/overlay.js";
import { imageInfo } from "../disks/qemu-img.js";
import { applyTapFilter } from "../network/tap-filter.js";
import { deleteTap, ensureTap } from "../network/taps.js";
import { removeNocloudSeed, writeNocloudSeed } from "../seed/nocloud-seed.js";
import { VmNotRunningError, VmSpecError, VmStartError, VmStopError } from "./errors.js";
import { pickFreePort, portIsFree } from "./free-port.js";
import { type Logger, silentLogger } from "./logger.js";
import { buildQemuArgs, escapeOptionValue } from "./qemu-args.js";
import { connectWhenListening } from "./connect-when-listening.js";
import { isQemuServing, processAlive, readPidfile, spawnQemu, waitForProcessExit } from "./qemu-process.js";
import { QmpClient, type QmpClientOptions, type QmpEvent } from "./qmp-client.js";
import { SerialConsole } from "./serial-console.js";
import { type Accelerator, type CompiledVmSpec, compileVmSpec, type VmSpec, vmSpecHash } from "./vm-spec.js";
import { MAX_SOCKET_PATH, type VmPaths, vmPaths } from "./vm-paths.js";

/** Options for {@link QemuDriver}. */
export interface QemuDriverOptions {
  /** Runtime folders (pidfile, sockets, log). Default `/run/layerboom/vms`. */
  runDir?: string;
  /** Server disks and seeds. Default `/var/lib/layerboom/vms`. */
  dataDir?: string;
  /**
   * Backups of server disks, `<backupDir>/<serverId>/<backupId>.qcow2`. Default: `backups`
   * beside `dataDir` (`/var/lib/layerboom/backups`; the agent's `<state-dir>/backups`).
   */
  backupDir?: string;
  /** Longest a live backup job may run before it is cancelled. Default 6 h. */
  backupTimeoutMs?: number;
  /** Default `qemu-system-x86_64`. */
  qemuBinary?: string;
  /** From the accelerator probe ({@link selectAccelerator}). Default `tcg`. */
  accel?: Accelerator;
  /** Time from spawn until QMP answers. Default 30 s. */
  startTimeoutMs?: number;
  /** How long a guest gets to power off after ACPI powerdown before `quit`. Default 60 s. */
  gracefulStopTimeoutMs?: number;
  qmp?: QmpClientOptions;
  /** Serial scrollback per VM. Default 256 KiB. */
  scrollbackBytes?: number;
  logger?: Logger;
}

/** Options after defaults are filled. */
export interface CompiledQemuDriverOptions {
  runDir: string;
  dataDir: string;
  backupDir: string;
  backupTimeoutMs: number;
  qemuBinary: string;
  accel: Accelerator;
  startTimeoutMs: number;
  gracefulStopTimeoutMs: number;
  qmp: QmpClientOptions;
  scrollbackBytes: number;
  logger: Logger;
}

/** Fills defaults for {@link QemuDriverOptions} and validates them. */
export function compileQemuDriverOptions(options: QemuDriverOptions = {}): CompiledQemuDriverOptions {
  const compiled: CompiledQemuDriverOptions = {
    runDir: resolve(options.runDir ?? "/run/layerboom/vms"),
    dataDir: resolve(options.dataDir ?? "/var/lib/layerboom/vms"),
    backupDir: resolve(
      options.backupDir ?? join(dirname(resolve(options.dataDir ?? "/var/lib/layerboom/vms")), "backups"),
    ),
    backupTimeoutMs: options.backupTimeoutMs ?? 6 * 3_600_000,
    qemuBinary: options.qemuBinary ?? "qemu-system-x86_64",
    accel: options.accel ?? "tcg",
    startTimeoutMs: options.startTimeoutMs ?? 30_000,
    gracefulStopTimeoutMs: options.gracefulStopTimeoutMs ?? 60_000,
    qmp: options.qmp ?? {},
    scrollbackBytes: options.scrollbackBytes ?? 256 * 1024,
    logger: options.logger ?? silentLogger,
  };
  if (compiled.accel !== "kvm" && compiled.accel !== "tcg")
    throw new VmSpecError(undefined, `accel must be kvm or tcg`);
  // Leave room for "/<63-char server id>/serial.sock" within sun_path.
  if (compiled.runDir.length + 1 + 63 + "/serial.sock".length > MAX_SOCKET_PATH) {
    throw new VmSpecError(undefined, `runDir ${compiled.runDir} is too long for Unix socket paths`);
  }
  return compiled;
}

/** Observed state of a VM. `crashed`: QEMU runs but the guest panicked or hit an internal error. */
export type VmState = "running" | "paused" | "crashed" | "stopped";

/** What the driver observes about one VM, for the reconciler to report. */
export interface VmObservation {
  serverId: string;
  state: VmState;
  /** QEMU's own run state from `query-status` (running, paused, prelaunch, guest-panicked, ...). */
  qmpStatus?: string;
  pid?: number;
  /** Host port on 127.0.0.1 forwarded to the guest's port 22. */
  sshHostPort?: number;
  accel?: Accelerator;
  /** {@link vmSpecHash} of the spec the running instance was started with. */
  runningSpecHash?: string;
  /** False for an orphan: a QEMU in runDir this host has no spec for. */
  known: boolean;
  startedAt?: string;
}

/** Typed VM events, from QMP events and from QEMU exiting. */
export type VmEventType =
  "started" | "shutdown" | "paused" | "resumed" | "reset" | "powerdown" | "panicked" | "exited";

/** A VM event for the reconciler to report upstream. */
export interface VmEvent {
  serverId: string;
  type: VmEventType;
  at: Date;
  /** The QMP event's data (SHUTDOWN's `guest`/`reason`, GUEST_PANICKED's `info`, ...). */
  data?: Record<string, unknown>;
}

/** A backup file of a server on this host. `complete: false` is a half-written one (a crash mid-backup). */
export interface BackupFile {
  backupId: string;
  path: string;
  sizeBytes: number;
  complete: boolean;
}

/** How {@link QemuDriver.ensureStopped} stopped a VM. */
export interface StopResult {
  serverId: string;
  how: "already-stopped" | "acpi" | "quit" | "kill";
}

interface SpecRecord {
  spec: VmSpec;
  /** Absent for a bridged VM (no SSH forward). */
  sshHostPort?: number;
  macAddress: string;
}

interface RuntimeRecord {
  pid: number;
  accel: Accelerator;
  sshHostPort?: number;
  specHash: string;
  startedAt: string;
}

interface VmHandle {
  serverId: string;
  pid: number;
  paths: VmPaths;
  qmp: QmpClient;
  console: SerialConsole | undefined;
  /** Set once the exit has been handled, so it is reported once. */
  gone: boolean;
}

interface QemuDriverEvents {
  vm: [VmEvent];
}

const QMP_EVENTS: Record<string, VmEventType> = {
  SHUTDOWN: "shutdown",
  STOP: "paused",
  RESUME: "resumed",
  RESET: "reset",
  POWERDOWN: "powerdown",
  GUEST_PANICKED: "panicked",
};

const SERVER_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Backup ids name files: `bkp_<base32>` from the controller, nothing that could leave the folder. */
const BACKUP_ID = /^[a-z][a-z0-9_]{0,63}$/;
const BACKUP_SUFFIX = ".qcow2";
const PARTIAL_SUFFIX = ".qcow2.partial";

/** Largest serial log kept in a runtime folder before it is cut (see capSerialLog). */
const SERIAL_LOG_CAP_BYTES = 4 * 1024 * 1024;
/** How often a graceful stop presses the power button again while the guest has not acted on it. */
const POWER_BUTTON_REPEAT_MS = 10_000;

/**
 * Runs VMs as detached QEMU processes driven over QMP. Every operation is idempotent and
 * serialised per server, so the reconciler can call them level-triggered, as often as it
 * likes. QEMU outlives the agent; a new driver finds running VMs again from their runtime
 * folders ({@link rediscover}). Emits `vm` events ({@link VmEvent}).
 */
export class QemuDriver extends EventEmitter<QemuDriverEvents> {
  readonly options: CompiledQemuDriverOptions;
  private readonly handles = new Map<string, VmHandle>();
  private readonly attaching = new Map<string, Promise<VmHandle>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  /** The filter last applied per tap (`mac addresses`), so an unchanged one is not rewritten every pass. */
  private readonly tapFilters = new Map<string, string>();
  private closed = false;

  constructor(options: QemuDriverOptions = {}) {
    super();
    this.options = compileQemuDriverOptions(options);
  }

  /** File locations of a VM. */
  paths(serverId: string): VmPaths {
    return vmPaths(this.options.runDir, this.options.dataDir, serverId);
  }

  /**
   * Finds the VMs left running by an earlier agent, attaches QMP and the serial console to
   * each, and returns what it sees. Call once at agent start, before reconciling.
   */
  async rediscover(): Promise<VmObservation[]> {
    return this.list();
  }

  /** Observed state of every VM on this host: those with a spec, and orphans in runDir. */
  async list(): Promise<VmObservation[]> {
    const ids = new Set<string>();
    for (const root of [this.options.runDir, this.options.dataDir]) {
      for (const name of await readdir(root).catch(() => [] as string[]))
        if (SERVER_ID.test(name)) ids.add(name);
    }
    return Promise.all([...ids].sort().map((id) => this.inspect(id)));
  }

  /**
   * The live QEMU process of every VM on this host with the vCPUs it was given and its tap (a
   * bridged VM), found without talking QMP, so the energy meter can call it every second. An
   * orphan with no spec counts as one vCPU.
   */
  async processes(): Promise<{ vmId: string; pid: number; vcpus: number; tap?: string }[]> {
    const names = await readdir(this.options.runDir).catch(() => [] as string[]);
    const found = await Promise.all(
      names
        .filter((name) => SERVER_ID.test(name))
        .map(async (vmId) => {
          const paths = this.paths(vmId);
          const pid = await this.livePid(paths);
          if (pid === undefined) return undefined;
          const record = await readJson<SpecRecord>(paths.specFile);
          const tap = record?.spec.network?.tap;
          return { vmId, pid, vcpus: record?.spec.vcpus ?? 1, ...(tap ? { tap } : {}) };
        }),
    );
    return found.filter((p) => p !== undefined).sort((a, b) => a.vmId.localeCompare(b.vmId));
  }

  /** Observed state of one VM (`stopped`, `known: false` for one this host has never seen). */
  async inspect(serverId: string): Promise<VmObservation> {
    const paths = this.paths(serverId);
    const record = await readJson<SpecRecord>(paths.specFile);
    const runtime = await readJson<RuntimeRecord>(paths.runtimeFile);
    const pid = await this.livePid(paths);
    const base = {
      serverId,
      known: record !== undefined,
      // A bridged VM has no forward; a port recorded before it was bridged means nothing now.
      sshHostPort: record?.spec.network ? undefined : (runtime?.sshHostPort ?? record?.sshHostPort),
    };
    if (pid === undefined) return { ...base, state: "stopped" };
    await this.capSerialLog(paths);
    let qmpStatus: string | undefined;
    try {
      const handle = await this.attach(serverId, pid);
      qmpStatus = (await handle.qmp.execute<{ status: string }>("query-status")).status;
    } catch (err) {
      this.options.logger.warn({ serverId, err }, "cannot query a running VM over QMP");
    }
    return {
      ...base,
      state: stateOf(qmpStatus),
      qmpStatus,
      pid,
      accel: runtime?.accel,
      runningSpecHash: runtime?.specHash,
      startedAt: runtime?.startedAt,
    };
  }

  /**
   * Makes the VM run: creates its overlay (grown to the plan size), seed and tap (a bridged
   * VM) if needed, starts QEMU paused, attaches QMP and the console, then `cont`. A VM already
   * running is left alone (a paused one is resumed), even if its spec changed: compare
   * {@link VmObservation.runningSpecHash} with {@link vmSpecHash} and stop it first to apply.
   * Only its seed is brought up to date, in place, so changed static addresses apply at the
   * guest's next boot (see {@link writeNocloudSeed}'s `inPlace`).
   */
  async ensureRunning(spec: VmSpec): Promise<VmObservation> {
    const compiled = compileVmSpec(spec);
    await this.withLock(compiled.serverId, async () => {
      const paths = this.paths(compiled.serverId);
      const pid = await this.livePid(paths);
      if (pid !== undefined) {
        const handle = await this.attach(compiled.serverId, pid);
        const { status } = await handle.qmp.execute<{ status: string }>("query-status");
        if (status === "prelaunch" || status === "paused") await handle.qmp.execute("cont");
        await this.refreshSeed(compiled, paths);
        await this.ensureTapFilter(compiled);
        return;
      }
      await this.retireRuntime(paths, undefined);
      await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
      const recorded = await readJson<SpecRecord>(paths.specFile);
      // Independent files: make them side by side (they are on the path to a first boot).
      await Promise.all([
        ensureOverlay({
          path: paths.overlay,
          backingFile: compiled.disk.baseImage,
          backingFormat: compiled.disk.baseFormat,
          sizeBytes: compiled.disk.sizeBytes,
        }),
        compiled.seed
          ? writeNocloudSeed({ ...compiled.seed, macAddress: compiled.macAddress }, paths.seedIso)
          : removeNocloudSeed(paths.seedIso),
      ]);

      if (compiled.network) {
        // Recorded first, so a destroy after a crash right after this still finds the tap.
        const record: SpecRecord = { spec, macAddress: compiled.macAddress };
        await writeFile(paths.specFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
        await ensureTap(compiled.network.tap, compiled.network.bridge);
        // Before QEMU opens the tap: the guest's first frame is already filtered.
        await this.ensureTapFilter(compiled, true);
        await this.launch(compiled, paths, undefined);
        return;
      }
      for (let attempt = 0; ; attempt++) {
        const port =
          compiled.sshHostPort ??
          (attempt === 0 && recorded?.sshHostPort !== undefined && (await portIsFree(recorded.sshHostPort))
            ? recorded.sshHostPort
            : await pickFreePort());
        const record: SpecRecord = { spec, sshHostPort: port, macAddress: compiled.macAddress };
        await writeFile(paths.specFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
        try {
          await this.launch(compiled, paths, port);
          return;
        } catch (err) {
          // Another process may take the port between our check and QEMU's bind; pick another.
          const portRace = err instanceof VmStartError && /host forwarding/i.test(err.logTail);
          if (!portRace || compiled.sshHostPort !== undefined || attempt >= 2) throw err;
          this.options.logger.warn(
            { serverId: compiled.serverId, port },
            "SSH forward port taken; retrying with another",
          );
        }
      }
    });
    return this.inspect(compiled.serverId);
  }

  /**
   * Makes the VM stop: ACPI powerdown and up to `gracefulTimeoutMs` for the guest to power off,
   * then QMP `quit`, then SIGKILL as the last resort. A VM that is not running is fine.
   */
  async ensureStopped(serverId: string, options: { gracefulTimeoutMs?: number } = {}): Promise<StopResult> {
    const grace = options.gracefulTimeoutMs ?? this.options.gracefulStopTimeoutMs;
    return this.withLock(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await this.livePid(paths);
      if (pid === undefined) {
        await this.retireRuntime(paths, undefined);
        return { serverId, how: "already-stopped" as const };
      }
      const handle = await this.attach(serverId, pid).catch((err: unknown) => {
        this.options.logger.warn({ serverId, err }, "no QMP to stop VM gracefully");
        return undefined;
      });
      let how: StopResult["how"] | undefined;
      if (handle && grace > 0) {
        const status = await handle.qmp.execute<{ status: string }>("query-status").catch(() => undefined);
        // A paused guest cannot see the power button; go straight to quit.
        if (status?.status === "running") {
          // A guest still booting (no ACPI listener yet) ignores a press, so press again every
          // few seconds within the grace; a guest already shutting down ignores the extra presses.
          const deadline = Date.now() + grace;
          while (!how && Date.now() < deadline) {
            await handle.qmp.execute("system_powerdown").catch(() => undefined);
            const slice = Math.min(POWER_BUTTON_REPEAT_MS, deadline - Date.now());
            if (await waitForProcessExit(pid, Math.max(slice, 0))) how = "acpi";
          }
        }
      }
      if (!how && handle) {
        await handle.qmp.execute("quit", undefined, { timeoutMs: 5_000 }).catch(() => undefined);
        if (await waitForProcessExit(pid, 5_000)) how = "quit";
      }
      if (!how) how = await this.kill(serverId, paths, pid);
      this.markGone(serverId, pid, { reason: `stopped-by-agent-${how}` });
      await this.retireRuntime(paths, pid);
      return { serverId, how };
    });
  }

  /** Resets the VM (QMP `system_reset`, like pressing the reset button). */
  async reboot(serverId: string): Promise<void> {
    await this.withLock(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await this.livePid(paths);
      if (pid === undefined) throw new VmNotRunningError(serverId, "reboot");
      const handle = await this.attach(serverId, pid);
      await handle.qmp.execute("system_reset");
    });
  }

  /**
   * Kills the VM at once and deletes everything of it: runtime folder, tap, overlay, seed.
   * Idempotent. The tap goes after QEMU (it must not vanish under a running guest) and before
   * the data folder, whose vm.json names it: a crash in between repeats the destroy.
   */
  async destroy(serverId: string): Promise<void> {
    if (!SERVER_ID.test(serverId)) throw new VmSpecError(serverId, "not a server id");
    await this.withLock(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await this.livePid(paths);
      if (pid !== undefined) {
        const handle = this.handles.get(serverId);
        let exited = false;
        if (handle) {
          await handle.qmp.execute("quit", undefined, { timeoutMs: 2_000 }).catch(() => undefined);
          exited = await waitForProcessExit(pid, 3_000);
        }
        if (!exited) await this.kill(serverId, paths, pid);
        this.markGone(serverId, pid, { reason: "destroyed" });
      }
      const tap = (await readJson<SpecRecord>(paths.specFile))?.spec.network?.tap;
      if (tap) {
        await deleteTap(tap);
        this.tapFilters.delete(tap);
      }
      await rm(paths.runDir, { recursive: true, force: true });
      // Backups before the data folder: while that folder exists the VM is still found (and destroyed again).
      await rm(this.backupFolder(serverId), { recursive: true, force: true });
      await removeOverlay(paths.overlay);
      await removeNocloudSeed(paths.seedIso);
      await rm(paths.dataDir, { recursive: true, force: true });
    });
  }

  /** The VM's serial console (attached since boot, with scrollback). */
  async console(serverId: string): Promise<SerialConsole> {
    const pid = await this.livePid(this.paths(serverId));
    if (pid === undefined) throw new VmNotRunningError(serverId, "open the console of");
    const handle = await this.attach(serverId, pid);
    if (!handle.console || handle.console.closed) {
      handle.console = await SerialConsole.connect(handle.paths.serialSocket, {
        scrollbackBytes: this.options.scrollbackBytes,
        earlierOutput: await readTail(handle.paths.serialLog, this.options.scrollbackBytes),
      });
    }
    return handle.console;
  }

  /** The folder of a server's backups. */
  backupFolder(serverId: string): string {
    if (!SERVER_ID.test(serverId)) throw new VmSpecError(serverId, "not a server id");
    return join(this.options.backupDir, serverId);
  }

  /** Where a complete backup lives. */
  backupPath(serverId: string, backupId: string): string {
    if (!BACKUP_ID.test(backupId)) throw new VmSpecError(serverId, `"${backupId}" is not a backup id`);
    return join(this.backupFolder(serverId), `${backupId}${BACKUP_SUFFIX}`);
  }

  /** The server's backup files, complete and half-written. */
  async listBackups(serverId: string): Promise<BackupFile[]> {
    const dir = this.backupFolder(serverId);
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
  async takeBackup(serverId: string, backupId: string): Promise<BackupFile> {
    const final = this.backupPath(serverId, backupId);
    return this.withLock(serverId, async () => {
      const done = await stat(final).catch(() => undefined);
      if (done) return { backupId, path: final, sizeBytes: done.size, complete: true };
      const paths = this.paths(serverId);
      const partial = `${final.slice(0, -BACKUP_SUFFIX.length)}${PARTIAL_SUFFIX}`;
      await mkdir(this.backupFolder(serverId), { recursive: true, mode: 0o700 });
      const pid = await this.livePid(paths);
      if (pid !== undefined) {
        const handle = await this.attach(serverId, pid);
        await this.clearBackupJob(handle.qmp, backupId);
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
      await syncFile(this.backupFolder(serverId));
      const { size } = await stat(final);
      this.options.logger.info(
        { serverId, backupId, sizeBytes: size, live: pid !== undefined },
        "backup taken",
      );
      return { backupId, path: final, sizeBytes: size, complete: true };
    });
  }

  /** Deletes a backup (complete or half-written, and its job in QEMU if one still runs). Idempotent. */
  async removeBackup(serverId: string, backupId: string): Promise<void> {
    const final = this.backupPath(serverId, backupId);
    await this.withLock(serverId, async () => {
      const pid = await this.livePid(this.paths(serverId));
      if (pid !== undefined) {
        const handle = await this.attach(serverId, pid).catch(() => undefined);
        if (handle) await this.clearBackupJob(handle.qmp, backupId).catch(() => undefined);
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
  async restoreBackup(
    serverId: string,
    backupId: string,
    base: { path: string; format: "qcow2" | "raw" },
  ): Promise<void> {
    const backup = this.backupPath(serverId, backupId);
    await this.withLock(serverId, async () => {
      const paths = this.paths(serverId);
      if ((await this.livePid(paths)) !== undefined)
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
  private async clearBackupJob(qmp: QmpClient, backupId: string): Promise<void> {
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

  /** Runs a QMP command on a running VM (for callers with needs beyond this API). */
  async qmp<T = unknown>(serverId: string, command: string, args?: Record<string, unknown>): Promise<T> {
    const pid = await this.livePid(this.paths(serverId));
    if (pid === undefined) throw new VmNotRunningError(serverId, `run ${command} on`);
    const handle = await this.attach(serverId, pid);
    return handle.qmp.execute<T>(command, args);
  }

  /** Detaches from every VM (QMP and consoles); the VMs keep running. */
  async close(): Promise<void> {
    this.closed = true;
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const handle of handles) {
      handle.gone = true;
      handle.console?.close();
      await handle.qmp.close();
    }
  }

  /**
   * Pins a bridged VM's tap to its MAC and its desired addresses (the seed's `network.ipv4`;
   * none: no IPv4 passes). Rewritten when they changed since this driver last wrote them, or
   * always with `force` (before QEMU starts: the table may have been changed behind our back).
   * The filter narrows at once when an address is released; an added one passes at once, and
   * the guest uses it from its next boot.
   */
  private async ensureTapFilter(spec: CompiledVmSpec, force = false): Promise<void> {
    if (!spec.network) return;
    const { tap } = spec.network;
    const addresses = spec.seed?.network?.ipv4 ?? [];
    const key = `${spec.macAddress} ${addresses.join(",")}`;
    if (!force && this.tapFilters.get(tap) === key) return;
    this.tapFilters.delete(tap);
    await applyTapFilter(tap, spec.macAddress, addresses);
    this.tapFilters.set(tap, key);
    this.options.logger.info({ serverId: spec.serverId, tap, addresses }, "anti-spoofing filter applied");
  }

  /**
   * Rewrites a running VM's seed when its content changed (new static addresses). In place,
   * because QEMU holds the file open: the guest reads the new seed at its next boot.
   */
  private async refreshSeed(spec: CompiledVmSpec, paths: VmPaths): Promise<void> {
    if (!spec.seed) return;
    const written = await writeNocloudSeed({ ...spec.seed, macAddress: spec.macAddress }, paths.seedIso, {
      inPlace: true,
    });
    if (written.written) {
      this.options.logger.info(
        { serverId: spec.serverId, inPlace: written.inPlace },
        written.inPlace
          ? "seed of a running VM rewritten; the guest applies it at its next boot"
          : "seed of a running VM replaced; it applies when QEMU next starts",
      );
    }
  }

  private async launch(spec: CompiledVmSpec, paths: VmPaths, sshHostPort: number | undefined): Promise<void> {
    await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
    const args = buildQemuArgs(spec, paths, {
      accel: this.options.accel,
      ...(sshHostPort !== undefined ? { sshHostPort } : {}),
      withSeed: spec.seed !== undefined,
    });
    this.options.logger.info({ serverId: spec.serverId, args }, "starting QEMU");
    const child = spawnQemu(this.options.qemuBinary, args, paths.log);
    let exited = false;
    void child.exited.then(() => {
      exited = true;
    });
    try {
      const deadline = Date.now() + this.options.startTimeoutMs;
      for (;;) {
        if (exited) throw new Error("QEMU exited during start-up");
        if (await exists(paths.qmpSocket)) break;
        if (Date.now() > deadline)
          throw new Error(`QMP socket did not appear within ${this.options.startTimeoutMs} ms`);
        await sleep(5);
      }
      const runtime: RuntimeRecord = {
        pid: child.pid,
        accel: this.options.accel,
        ...(sshHostPort !== undefined ? { sshHostPort } : {}),
        specHash: vmSpecHash(spec),
        startedAt: new Date().toISOString(),
      };
      await writeFile(paths.runtimeFile, `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
      const handle = await this.attach(spec.serverId, child.pid);
      if (!handle.console) throw new Error("serial console did not connect");
      await handle.qmp.execute("cont");
      this.emitVm({ serverId: spec.serverId, type: "started", at: new Date(), data: { pid: child.pid } });
    } catch (err) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
      await waitForProcessExit(child.pid, 5_000);
      const handle = this.handles.get(spec.serverId);
      if (handle?.pid === child.pid) {
        handle.gone = true;
        this.handles.delete(spec.serverId);
        handle.console?.close();
        await handle.qmp.close();
      }
      const logTail = (await readFile(paths.log, "utf8").catch(() => ""))
        .trim()
        .split("\n")
        .slice(-10)
        .join("\n");
      await this.retireRuntime(paths, child.pid);
      throw new VmStartError(spec.serverId, logTail, err);
    }
  }

  private attach(serverId: string, pid: number): Promise<VmHandle> {
    const existing = this.handles.get(serverId);
    if (existing && existing.pid === pid && !existing.qmp.closed) return Promise.resolve(existing);
    const pending = this.attaching.get(serverId);
    if (pending) return pending;
    const attaching = this.connect(serverId, pid).finally(() => this.attaching.delete(serverId));
    this.attaching.set(serverId, attaching);
    return attaching;
  }

  private async connect(serverId: string, pid: number): Promise<VmHandle> {
    const paths = this.paths(serverId);
    // The socket files exist before QEMU listens on them; wait out that gap while QEMU lives.
    const listening = { timeoutMs: this.options.startTimeoutMs, stillRunning: () => processAlive(pid) };
    const qmp = await connectWhenListening(
      paths.qmpSocket,
      () => QmpClient.connect(paths.qmpSocket, this.options.qmp),
      listening,
    );
    let console: SerialConsole | undefined;
    try {
      const earlierOutput = await readTail(paths.serialLog, this.options.scrollbackBytes);
      console = await connectWhenListening(
        paths.serialSocket,
        () =>
          SerialConsole.connect(paths.serialSocket, {
            scrollbackBytes: this.options.scrollbackBytes,
            earlierOutput,
          }),
        listening,
      );
    } catch (err) {
      this.options.logger.warn({ serverId, err }, "serial console unavailable");
    }
    const handle: VmHandle = { serverId, pid, paths, qmp, console, gone: false };
    qmp.on("event", (e: QmpEvent) => {
      const type = QMP_EVENTS[e.event];
      if (type)
        this.emitVm({ serverId, type, at: new Date(e.timestampMs), data: { ...e.data, qmpEvent: e.event } });
    });
    qmp.on("close", (error) => {
      // Closed by us (close(), detach) is not an exit; a lost socket means QEMU went away.
      if (error && !handle.gone) void this.onQemuGone(handle);
    });
    const previous = this.handles.get(serverId);
    if (previous && previous !== handle) {
      previous.gone = true;
      previous.console?.close();
      await previous.qmp.close();
    }
    this.handles.set(serverId, handle);
    return handle;
  }

  private async onQemuGone(handle: VmHandle): Promise<void> {
    try {
      await this.withLock(handle.serverId, async () => {
        if (handle.gone) return;
        if (!(await waitForProcessExit(handle.pid, 5_000))) {
          this.options.logger.warn(
            { serverId: handle.serverId, pid: handle.pid },
            "QMP closed but QEMU still runs",
          );
          if (this.handles.get(handle.serverId) === handle) this.handles.delete(handle.serverId);
          return;
        }
        this.markGone(handle.serverId, handle.pid, { reason: "qemu-exited" });
        await this.retireRuntime(handle.paths, handle.pid);
      });
    } catch (err) {
      this.options.logger.error({ serverId: handle.serverId, err }, "handling QEMU exit failed");
    }
  }

  /** Drops the handle of an exited QEMU and reports `exited` once. */
  private markGone(serverId: string, pid: number, data: Record<string, unknown>): void {
    const handle = this.handles.get(serverId);
    if (handle && handle.pid === pid) {
      this.handles.delete(serverId);
      const wasGone = handle.gone;
      handle.gone = true;
      handle.console?.close();
      void handle.qmp.close();
      if (wasGone) return;
    }
    this.emitVm({ serverId, type: "exited", at: new Date(), data: { pid, ...data } });
  }

  private async kill(serverId: string, paths: VmPaths, pid: number): Promise<"kill"> {
    if (await isQemuServing(pid, qmpArg(paths))) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Exited between the check and the kill.
      }
    }
    if (!(await waitForProcessExit(pid, 5_000))) throw new VmStopError(serverId, pid);
    return "kill";
  }

  /** The pid of this VM's QEMU if it is alive and really ours; never a stale pidfile's. */
  private async livePid(paths: VmPaths): Promise<number | undefined> {
    const candidates = new Set<number>();
    const fromPidfile = await readPidfile(paths.pidfile);
    if (fromPidfile !== undefined) candidates.add(fromPidfile);
    const runtime = await readJson<RuntimeRecord>(paths.runtimeFile);
    if (runtime?.pid) candidates.add(runtime.pid);
    for (const pid of candidates) if (await isQemuServing(pid, qmpArg(paths))) return pid;
    return undefined;
  }

  /** Removes a runtime folder whose QEMU is gone, keeping its log as last-qemu.log. */
  private async retireRuntime(paths: VmPaths, expectedPid: number | undefined): Promise<void> {
    const runtime = await readJson<RuntimeRecord>(paths.runtimeFile);
    // A newer instance may already own the folder; leave it alone.
    if (expectedPid !== undefined && runtime && runtime.pid !== expectedPid) return;
    if ((await this.livePid(paths)) !== undefined) return;
    if (await exists(paths.dataDir)) await copyFile(paths.log, paths.lastLog).catch(() => undefined);
    await rm(paths.runDir, { recursive: true, force: true });
  }

  /**
   * QEMU appends every byte of serial output to serial.log in the runtime folder (tmpfs on
   * a real host); a chatty guest must not fill it. Past the cap the log is cut to nothing:
   * QEMU writes with O_APPEND and carries on at the new end, and the live scrollback is
   * still in memory.
   */
  private async capSerialLog(paths: VmPaths): Promise<void> {
    const size = await stat(paths.serialLog).then(
      (s) => s.size,
      () => 0,
    );
    if (size > SERIAL_LOG_CAP_BYTES) await truncate(paths.serialLog, 0).catch(() => undefined);
  }

  private emitVm(event: VmEvent): void {
    if (this.closed) return;
    this.options.logger.info({ ...event }, `VM ${event.type}`);
    this.emit("vm", event);
  }

  private withLock<T>(serverId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(serverId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(serverId, tail);
    void tail.then(() => {
      if (this.locks.get(serverId) === tail) this.locks.delete(serverId);
    });
    return run;
  }
}

/** The disk's `-drive id` (qemu-args.ts), the source of live backups. */
const DISK_DEVICE = "disk0";

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

function stateOf(qmpStatus: string | undefined): VmState {
  switch (qmpStatus) {
    case "running":
    case undefined:
      return "running";
    case "guest-panicked":
    case "internal-error":
    case "io-error":
      return "crashed";
    case "shutdown":
      return "stopped";
    default:
      return "paused";
  }
}

/** The exact `-qmp` value the driver passes, used to recognise its QEMU in /proc. */
function qmpArg(paths: VmPaths): string {
  return `unix:${escapeOptionValue(paths.qmpSocket)},server=on,wait=off`;
}

/** The last `bytes` of a file (empty when it does not exist). */
async function readTail(path: string, bytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, "r");
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer;
  } catch {
    return Buffer.alloc(0);
  } finally {
    await handle?.close();
  }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
