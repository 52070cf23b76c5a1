import { EventEmitter } from "node:events";
import { mkdir, readdir, rm } from "node:fs/promises";
import { ensureOverlay, removeOverlay } from "../disks/overlay.js";
import { deleteTap, ensureTap } from "../network/taps.js";
import { removeNocloudSeed, writeNocloudSeed } from "../seed/nocloud-seed.js";
import type {
  BackupFile,
  CaptureFile,
  TakenCapture,
  Driver,
  DriverEvents,
  StopResult,
  VmEvent,
  VmObservation,
  VmProcess,
  VmState,
} from "./driver.js";
import { VmNotRunningError, VmSpecError, VmStartError } from "./errors.js";
import { pickFreePort, portIsFree } from "./free-port.js";
import { launchQemu } from "./launch-qemu.js";
import { QemuBackups } from "./qemu-backups.js";
import {
  type CompiledQemuDriverOptions,
  compileQemuDriverOptions,
  type QemuDriverOptions,
} from "./qemu-driver-options.js";
import { waitForProcessExit } from "./qemu-process.js";
import {
  capSerialLog,
  livePid,
  readRuntimeRecord,
  readSpecRecord,
  retireRuntime,
  type SpecRecord,
  writeSpecRecord,
} from "./runtime-files.js";
import type { SerialConsole } from "./serial-console.js";
import { ServerLocks } from "./server-locks.js";
import { killQemu, stopQemu } from "./stop-qemu.js";
import { TapFilters } from "./tap-filters.js";
import { VmConnections, type VmHandle } from "./vm-connections.js";
import { type CompiledVmSpec, compileVmSpec, type VmSpec } from "./vm-spec.js";
import { SERVER_ID, type VmPaths, vmPaths } from "./vm-paths.js";

/**
 * Runs VMs as detached QEMU processes driven over QMP. Every operation is idempotent and
 * serialised per server, so the reconciler can call them level-triggered, as often as it
 * likes. QEMU outlives the agent; a new driver finds running VMs again from their runtime
 * folders ({@link rediscover}). Emits `vm` events ({@link VmEvent}).
 */
export class QemuDriver extends EventEmitter<DriverEvents> implements Driver {
  readonly options: CompiledQemuDriverOptions;
  private readonly locks = new ServerLocks();
  private readonly connections: VmConnections;
  private readonly backups: QemuBackups;
  private readonly captures: QemuBackups;
  private readonly tapFilters: TapFilters;
  private closed = false;

  constructor(options: QemuDriverOptions = {}) {
    super();
    this.options = compileQemuDriverOptions(options);
    const paths = (serverId: string): VmPaths => this.paths(serverId);
    this.connections = new VmConnections({
      paths,
      startTimeoutMs: this.options.startTimeoutMs,
      qmp: this.options.qmp,
      scrollbackBytes: this.options.scrollbackBytes,
      logger: this.options.logger,
      onEvent: (event) => this.emitVm(event),
      onLost: (handle) => void this.onQemuGone(handle),
    });
    this.tapFilters = new TapFilters(this.options.logger);
    this.backups = new QemuBackups({
      backupDir: this.options.backupDir,
      backupTimeoutMs: this.options.backupTimeoutMs,
      logger: this.options.logger,
      paths,
      locks: this.locks,
      connections: this.connections,
    });
    // A capture's copy is taken exactly as a backup is, into a folder of its own.
    this.captures = new QemuBackups({
      backupDir: this.options.captureDir,
      backupTimeoutMs: this.options.backupTimeoutMs,
      logger: this.options.logger,
      paths,
      locks: this.locks,
      connections: this.connections,
    });
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
  async processes(): Promise<VmProcess[]> {
    const names = await readdir(this.options.runDir).catch(() => [] as string[]);
    const found = await Promise.all(
      names
        .filter((name) => SERVER_ID.test(name))
        .map(async (vmId) => {
          const paths = this.paths(vmId);
          const pid = await livePid(paths);
          if (pid === undefined) return undefined;
          const record = await readSpecRecord(paths);
          const tap = record?.spec.network?.tap;
          return { vmId, pid, vcpus: record?.spec.vcpus ?? 1, ...(tap ? { tap } : {}) };
        }),
    );
    return found.filter((p) => p !== undefined).sort((a, b) => a.vmId.localeCompare(b.vmId));
  }

  /** Observed state of one VM (`stopped`, `known: false` for one this host has never seen). */
  async inspect(serverId: string): Promise<VmObservation> {
    const paths = this.paths(serverId);
    const record = await readSpecRecord(paths);
    const runtime = await readRuntimeRecord(paths);
    const pid = await livePid(paths);
    const base = {
      serverId,
      known: record !== undefined,
      // A bridged VM has no forward; a port recorded before it was bridged means nothing now.
      sshHostPort: record?.spec.network ? undefined : (runtime?.sshHostPort ?? record?.sshHostPort),
    };
    if (pid === undefined) return { ...base, state: "stopped" };
    await capSerialLog(paths);
    let qmpStatus: string | undefined;
    try {
      const handle = await this.connections.attach(serverId, pid);
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
    await this.locks.run(compiled.serverId, async () => {
      const paths = this.paths(compiled.serverId);
      const pid = await livePid(paths);
      if (pid !== undefined) {
        const handle = await this.connections.attach(compiled.serverId, pid);
        const { status } = await handle.qmp.execute<{ status: string }>("query-status");
        if (status === "prelaunch" || status === "paused") await handle.qmp.execute("cont");
        await this.refreshSeed(compiled, paths);
        await this.tapFilters.ensure(compiled);
        return;
      }
      await retireRuntime(paths, undefined);
      await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
      const recorded = await readSpecRecord(paths);
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
        await writeSpecRecord(paths, record);
        await ensureTap(compiled.network.tap, compiled.network.bridge);
        // Before QEMU opens the tap: the guest's first frame is already filtered.
        await this.tapFilters.ensure(compiled, true);
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
        await writeSpecRecord(paths, record);
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
    return this.locks.run(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await livePid(paths);
      if (pid === undefined) {
        await retireRuntime(paths, undefined);
        return { serverId, how: "already-stopped" as const };
      }
      const handle = await this.connections.attach(serverId, pid).catch((err: unknown) => {
        this.options.logger.warn({ serverId, err }, "no QMP to stop VM gracefully");
        return undefined;
      });
      const how = await stopQemu(serverId, paths, pid, handle?.qmp, grace);
      this.markGone(serverId, pid, { reason: `stopped-by-agent-${how}` });
      await retireRuntime(paths, pid);
      return { serverId, how };
    });
  }

  /** Resets the VM (QMP `system_reset`, like pressing the reset button). */
  async reboot(serverId: string): Promise<void> {
    await this.locks.run(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await livePid(paths);
      if (pid === undefined) throw new VmNotRunningError(serverId, "reboot");
      const handle = await this.connections.attach(serverId, pid);
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
    await this.locks.run(serverId, async () => {
      const paths = this.paths(serverId);
      const pid = await livePid(paths);
      if (pid !== undefined) {
        const handle = this.connections.get(serverId);
        let exited = false;
        if (handle) {
          await handle.qmp.execute("quit", undefined, { timeoutMs: 2_000 }).catch(() => undefined);
          exited = await waitForProcessExit(pid, 3_000);
        }
        if (!exited) await killQemu(serverId, paths, pid);
        this.markGone(serverId, pid, { reason: "destroyed" });
      }
      const tap = (await readSpecRecord(paths))?.spec.network?.tap;
      if (tap) {
        await deleteTap(tap);
        this.tapFilters.forget(tap);
      }
      await rm(paths.runDir, { recursive: true, force: true });
      // Backups before the data folder: while that folder exists the VM is still found (and destroyed again).
      await rm(this.backupFolder(serverId), { recursive: true, force: true });
      await rm(this.captures.folder(serverId), { recursive: true, force: true });
      await removeOverlay(paths.overlay);
      await removeNocloudSeed(paths.seedIso);
      await rm(paths.dataDir, { recursive: true, force: true });
    });
  }

  /** The VM's serial console (attached since boot, with scrollback). */
  async console(serverId: string): Promise<SerialConsole> {
    const pid = await livePid(this.paths(serverId));
    if (pid === undefined) throw new VmNotRunningError(serverId, "open the console of");
    return this.connections.console(serverId, pid);
  }

  /** The folder of a server's backups. */
  backupFolder(serverId: string): string {
    return this.backups.folder(serverId);
  }

  /** Where a complete backup lives. */
  backupPath(serverId: string, backupId: string): string {
    return this.backups.path(serverId, backupId);
  }

  /** The server's backup files, complete and half-written. */
  listBackups(serverId: string): Promise<BackupFile[]> {
    return this.backups.list(serverId);
  }

  /** Takes a backup of the server's disk; see {@link QemuBackups.take}. */
  takeBackup(serverId: string, backupId: string): Promise<BackupFile> {
    return this.backups.take(serverId, backupId);
  }

  /** Deletes a backup (complete or half-written, and its job in QEMU if one still runs). Idempotent. */
  removeBackup(serverId: string, backupId: string): Promise<void> {
    return this.backups.remove(serverId, backupId);
  }

  /** The server's capture copies, complete and half-written. */
  async listCaptures(serverId: string): Promise<CaptureFile[]> {
    return (await this.captures.list(serverId)).map(({ backupId, ...file }) => ({
      captureId: backupId,
      ...file,
    }));
  }

  /**
   * Copies the server's disk for a capture, as a backup is taken (live over QMP, or with
   * qemu-img when stopped); a copy left from before is taken again, so its method is known.
   */
  async takeCapture(serverId: string, captureId: string): Promise<TakenCapture> {
    await this.captures.remove(serverId, captureId);
    const { backupId, live, ...file } = await this.captures.take(serverId, captureId);
    return { captureId: backupId, ...file, method: live ? "blockdev-backup" : "qemu-img-convert" };
  }

  /** Deletes a capture copy (complete or half-written, and its job in QEMU if one still runs). */
  removeCapture(serverId: string, captureId: string): Promise<void> {
    return this.captures.remove(serverId, captureId);
  }

  /** Replaces a stopped VM's disk with a copy of a backup; see {@link QemuBackups.restore}. */
  restoreBackup(
    serverId: string,
    backupId: string,
    base: { path: string; format: "qcow2" | "raw" },
  ): Promise<void> {
    return this.backups.restore(serverId, backupId, base);
  }

  /** Runs a QMP command on a running VM (for callers with needs beyond this API). */
  async qmp<T = unknown>(serverId: string, command: string, args?: Record<string, unknown>): Promise<T> {
    const pid = await livePid(this.paths(serverId));
    if (pid === undefined) throw new VmNotRunningError(serverId, `run ${command} on`);
    const handle = await this.connections.attach(serverId, pid);
    return handle.qmp.execute<T>(command, args);
  }

  /** Detaches from every VM (QMP and consoles); the VMs keep running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.connections.closeAll();
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

  private launch(spec: CompiledVmSpec, paths: VmPaths, sshHostPort: number | undefined): Promise<void> {
    return launchQemu(spec, paths, sshHostPort, {
      qemuBinary: this.options.qemuBinary,
      accel: this.options.accel,
      startTimeoutMs: this.options.startTimeoutMs,
      logger: this.options.logger,
      connections: this.connections,
      onStarted: (pid) =>
        this.emitVm({ serverId: spec.serverId, type: "started", at: new Date(), data: { pid } }),
    });
  }

  private async onQemuGone(handle: VmHandle): Promise<void> {
    try {
      await this.locks.run(handle.serverId, async () => {
        if (handle.gone) return;
        if (!(await waitForProcessExit(handle.pid, 5_000))) {
          this.options.logger.warn(
            { serverId: handle.serverId, pid: handle.pid },
            "QMP closed but QEMU still runs",
          );
          this.connections.forget(handle);
          return;
        }
        this.markGone(handle.serverId, handle.pid, { reason: "qemu-exited" });
        await retireRuntime(handle.paths, handle.pid);
      });
    } catch (err) {
      this.options.logger.error({ serverId: handle.serverId, err }, "handling QEMU exit failed");
    }
  }

  /** Drops the handle of an exited QEMU and reports `exited` once. */
  private markGone(serverId: string, pid: number, data: Record<string, unknown>): void {
    if (!this.connections.forgetExited(serverId, pid)) return;
    this.emitVm({ serverId, type: "exited", at: new Date(), data: { pid, ...data } });
  }

  private emitVm(event: VmEvent): void {
    if (this.closed) return;
    this.options.logger.info({ ...event }, `VM ${event.type}`);
    this.emit("vm", event);
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
