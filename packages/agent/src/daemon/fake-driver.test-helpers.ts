import { EventEmitter } from "node:events";
import type {
  BackupFile,
  CaptureFile,
  Driver,
  DriverEvents,
  StopResult,
  TakenCapture,
  VmEventType,
  VmObservation,
  VmProcess,
  VmState,
} from "../qemu/driver.js";
import { VmNotRunningError, VmSpecError } from "../qemu/errors.js";
import type { SerialConsole } from "../qemu/serial-console.js";
import { compileVmSpec, type VmSpec, vmSpecHash } from "../qemu/vm-spec.js";

/** A {@link Driver} operation, as the fake records and scripts it. */
export type FakeDriverMethod = Exclude<keyof Driver, "on">;

/** One call the fake received, in order. */
export interface FakeDriverCall {
  method: FakeDriverMethod;
  /** The VM it was about (absent for list, processes, rediscover, close). */
  serverId?: string;
  /** Every argument after the server id. */
  args: unknown[];
}

/** A backup file the fake holds. */
export interface FakeBackup {
  sizeBytes: number;
  /** False: half-written, as a crash mid-backup leaves it. */
  complete: boolean;
}

/** A VM as the fake keeps it. Tests read it, and may change it to set a scene. */
export interface FakeVm {
  serverId: string;
  state: VmState;
  qmpStatus?: string;
  /** Set while QEMU "runs" (any state but stopped). */
  pid?: number;
  /** The last spec it was given; absent for an orphan the host has no spec for. */
  spec?: VmSpec;
  sshHostPort?: number;
  runningSpecHash?: string;
  startedAt?: string;
  /** Whether it has a disk (it was started once, or was found with one). */
  hasDisk: boolean;
  backups: Map<string, FakeBackup>;
  /** Fresh starts of QEMU, resets excluded. */
  boots: number;
  /** `reboot` calls that reset it. */
  resets: number;
  /** The backup its disk was last restored from. */
  restoredFrom?: string;
}

/**
 * What a scripted call does: an Error is thrown before the call changes anything (a VM that
 * fails to start, a backup that fails); a function runs after the call's normal effect and may
 * change the VM (a VM that starts but comes up paused).
 */
export type FakeOutcome = Error | ((vm: FakeVm) => void);

/**
 * A fake {@link Driver} for unit tests of the reconciler and the daemon: VMs are records in
 * memory that change as the real driver's would, every call is recorded, outcomes can be
 * scripted per call, and tests can make a guest crash or power off. Never for product code.
 */
export class FakeDriver extends EventEmitter<DriverEvents> implements Driver {
  /** Every call, in order. */
  readonly calls: FakeDriverCall[] = [];
  readonly vms = new Map<string, FakeVm>();
  /** Consoles {@link console} hands out, by server; without one it throws. */
  readonly consoles = new Map<string, SerialConsole>();
  /** Size of each backup {@link takeBackup} makes. */
  backupSizeBytes = 1024 * 1024;
  closed = false;
  private readonly scripted = new Map<string, FakeOutcome[]>();
  private nextPid = 4000;
  private nextPort = 42000;

  /** Adds a VM as an earlier agent (or a crash) left it: stopped with a disk unless told otherwise. */
  addVm(serverId: string, init: Partial<Omit<FakeVm, "serverId">> = {}): FakeVm {
    const running = init.state !== undefined && init.state !== "stopped";
    const vm: FakeVm = {
      serverId,
      state: "stopped",
      hasDisk: true,
      backups: new Map(),
      boots: 0,
      resets: 0,
      ...(running
        ? {
            pid: this.nextPid++,
            qmpStatus: init.state === "crashed" ? "guest-panicked" : init.state,
            startedAt: new Date().toISOString(),
          }
        : {}),
      ...(running && init.spec ? { runningSpecHash: vmSpecHash(init.spec) } : {}),
      ...init,
    };
    this.vms.set(serverId, vm);
    return vm;
  }

  /** The VM, which must exist. */
  vm(serverId: string): FakeVm {
    const vm = this.vms.get(serverId);
    if (!vm) throw new Error(`FakeDriver has no VM ${serverId}`);
    return vm;
  }

  /** The next `times` calls of `method` for `serverId` have `outcome`. */
  script(method: FakeDriverMethod, serverId: string, outcome: FakeOutcome, times = 1): void {
    const key = `${method} ${serverId}`;
    const queue = this.scripted.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(outcome);
    this.scripted.set(key, queue);
  }

  /** The calls of `method` (for `serverId`, when given). */
  callsOf(method: FakeDriverMethod, serverId?: string): FakeDriverCall[] {
    return this.calls.filter(
      (c) => c.method === method && (serverId === undefined || c.serverId === serverId),
    );
  }

  /** The guest panics (pvpanic): QEMU stays, the VM reads as crashed, `panicked` is emitted. */
  crash(serverId: string, qmpStatus = "guest-panicked"): void {
    const vm = this.vm(serverId);
    vm.state = "crashed";
    vm.qmpStatus = qmpStatus;
    this.emitVm(serverId, "panicked");
  }

  /** The guest powers itself off (or QEMU dies): the VM is stopped, `exited` is emitted. */
  powerOff(serverId: string): void {
    const vm = this.vm(serverId);
    const pid = vm.pid;
    this.halt(vm);
    this.emitVm(serverId, "exited", { pid, reason: "qemu-exited" });
  }

  /** Emits a `vm` event as the real driver would (after close, nothing). */
  emitVm(serverId: string, type: VmEventType, data?: Record<string, unknown>): void {
    if (this.closed) return;
    this.emit("vm", { serverId, type, at: new Date(), ...(data ? { data } : {}) });
  }

  async rediscover(): Promise<VmObservation[]> {
    this.record("rediscover", undefined, []);
    return this.observeAll();
  }

  async list(): Promise<VmObservation[]> {
    this.record("list", undefined, []);
    return this.observeAll();
  }

  async processes(): Promise<VmProcess[]> {
    this.record("processes", undefined, []);
    return [...this.vms.values()]
      .filter((vm) => vm.pid !== undefined)
      .sort((a, b) => a.serverId.localeCompare(b.serverId))
      .map((vm) => ({
        vmId: vm.serverId,
        pid: vm.pid ?? 0,
        vcpus: vm.spec?.vcpus ?? 1,
        ...(vm.spec?.network ? { tap: vm.spec.network.tap } : {}),
      }));
  }

  async inspect(serverId: string): Promise<VmObservation> {
    this.record("inspect", serverId, []);
    return this.observe(serverId);
  }

  async ensureRunning(spec: VmSpec): Promise<VmObservation> {
    const outcome = this.record("ensureRunning", spec.serverId, [spec]);
    const compiled = compileVmSpec(spec);
    const vm = this.vms.get(compiled.serverId) ?? this.addVm(compiled.serverId, { hasDisk: false });
    vm.spec = spec;
    vm.hasDisk = true;
    if (vm.state === "paused") {
      vm.state = "running";
      vm.qmpStatus = "running";
      this.emitVm(vm.serverId, "resumed");
    } else if (vm.state === "stopped") {
      vm.state = "running";
      vm.qmpStatus = "running";
      vm.pid = this.nextPid++;
      vm.runningSpecHash = vmSpecHash(spec);
      vm.startedAt = new Date().toISOString();
      if (spec.network) delete vm.sshHostPort;
      else vm.sshHostPort = spec.sshHostPort ?? vm.sshHostPort ?? this.nextPort++;
      vm.boots++;
      this.emitVm(vm.serverId, "started", { pid: vm.pid });
    }
    outcome?.(vm);
    return this.observe(vm.serverId);
  }

  async ensureStopped(serverId: string, options: { gracefulTimeoutMs?: number } = {}): Promise<StopResult> {
    const outcome = this.record("ensureStopped", serverId, [options]);
    const vm = this.vms.get(serverId);
    if (!vm || vm.state === "stopped") return { serverId, how: "already-stopped" };
    const grace = options.gracefulTimeoutMs ?? 60_000;
    const how = grace > 0 && vm.state === "running" ? "acpi" : "quit";
    const pid = vm.pid;
    this.halt(vm);
    this.emitVm(serverId, "exited", { pid, reason: `stopped-by-agent-${how}` });
    outcome?.(vm);
    return { serverId, how };
  }

  async reboot(serverId: string): Promise<void> {
    const outcome = this.record("reboot", serverId, []);
    const vm = this.vms.get(serverId);
    if (!vm || vm.state === "stopped") throw new VmNotRunningError(serverId, "reboot");
    vm.resets++;
    this.emitVm(serverId, "reset");
    outcome?.(vm);
  }

  async destroy(serverId: string): Promise<void> {
    this.record("destroy", serverId, []);
    const vm = this.vms.get(serverId);
    if (!vm) return;
    this.vms.delete(serverId);
    if (vm.pid !== undefined) this.emitVm(serverId, "exited", { pid: vm.pid, reason: "destroyed" });
  }

  async console(serverId: string): Promise<SerialConsole> {
    this.record("console", serverId, []);
    const vm = this.vms.get(serverId);
    if (!vm || vm.state === "stopped") throw new VmNotRunningError(serverId, "open the console of");
    const console = this.consoles.get(serverId);
    if (!console) throw new Error(`FakeDriver has no console for ${serverId}; put one in consoles`);
    return console;
  }

  async listBackups(serverId: string): Promise<BackupFile[]> {
    this.record("listBackups", serverId, []);
    const backups = this.vms.get(serverId)?.backups ?? new Map<string, FakeBackup>();
    return [...backups]
      .map(([backupId, b]) => this.backupFile(serverId, backupId, b))
      .sort((a, b) => a.backupId.localeCompare(b.backupId));
  }

  async takeBackup(serverId: string, backupId: string): Promise<BackupFile> {
    const outcome = this.record("takeBackup", serverId, [backupId]);
    const vm = this.vms.get(serverId);
    if (!vm?.hasDisk) throw new VmNotRunningError(serverId, "back up (it has no disk yet)");
    const existing = vm.backups.get(backupId);
    if (existing?.complete) return this.backupFile(serverId, backupId, existing);
    const backup = { sizeBytes: this.backupSizeBytes, complete: true };
    vm.backups.set(backupId, backup);
    outcome?.(vm);
    return this.backupFile(serverId, backupId, backup);
  }

  async removeBackup(serverId: string, backupId: string): Promise<void> {
    const outcome = this.record("removeBackup", serverId, [backupId]);
    const vm = this.vms.get(serverId);
    vm?.backups.delete(backupId);
    if (vm) outcome?.(vm);
  }

  async restoreBackup(
    serverId: string,
    backupId: string,
    base: { path: string; format: "qcow2" | "raw" },
  ): Promise<void> {
    const outcome = this.record("restoreBackup", serverId, [backupId, base]);
    const vm = this.vms.get(serverId);
    if (vm && vm.state !== "stopped")
      throw new VmSpecError(serverId, "stop the VM before restoring its disk");
    if (!vm?.backups.get(backupId)?.complete)
      throw new VmSpecError(serverId, `backup ${backupId} is not on this host`);
    vm.restoredFrom = backupId;
    outcome?.(vm);
  }

  /** Capture copies the fake holds, by `<server> <capture>`. */
  readonly captures = new Map<string, CaptureFile>();

  async listCaptures(serverId: string): Promise<CaptureFile[]> {
    this.record("listCaptures", serverId, []);
    return [...this.captures.values()]
      .filter((c) => c.path.startsWith(`/fake/captures/${serverId}/`))
      .sort((a, b) => a.captureId.localeCompare(b.captureId));
  }

  async takeCapture(serverId: string, captureId: string): Promise<TakenCapture> {
    const outcome = this.record("takeCapture", serverId, [captureId]);
    const vm = this.vms.get(serverId);
    if (!vm?.hasDisk) throw new VmNotRunningError(serverId, "capture (it has no disk yet)");
    const file = {
      captureId,
      path: `/fake/captures/${serverId}/${captureId}.qcow2`,
      sizeBytes: this.backupSizeBytes,
      complete: true,
    };
    this.captures.set(`${serverId} ${captureId}`, file);
    outcome?.(vm);
    return { ...file, method: vm.state === "stopped" ? "qemu-img-convert" : "blockdev-backup" };
  }

  async removeCapture(serverId: string, captureId: string): Promise<void> {
    this.record("removeCapture", serverId, [captureId]);
    this.captures.delete(`${serverId} ${captureId}`);
  }

  async close(): Promise<void> {
    this.record("close", undefined, []);
    this.closed = true;
  }

  /** Records a call; throws its scripted error, or returns its scripted follow-up. */
  private record(
    method: FakeDriverMethod,
    serverId: string | undefined,
    args: unknown[],
  ): ((vm: FakeVm) => void) | undefined {
    this.calls.push({ method, ...(serverId !== undefined ? { serverId } : {}), args });
    if (serverId === undefined) return undefined;
    const outcome = this.scripted.get(`${method} ${serverId}`)?.shift();
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  private halt(vm: FakeVm): void {
    vm.state = "stopped";
    delete vm.pid;
    delete vm.qmpStatus;
    delete vm.runningSpecHash;
    delete vm.startedAt;
  }

  private observe(serverId: string): VmObservation {
    const vm = this.vms.get(serverId);
    if (!vm) return { serverId, state: "stopped", known: false };
    const base = {
      serverId,
      known: vm.spec !== undefined,
      ...(vm.sshHostPort !== undefined ? { sshHostPort: vm.sshHostPort } : {}),
    };
    if (vm.state === "stopped") return { ...base, state: "stopped" };
    return {
      ...base,
      state: vm.state,
      accel: "tcg",
      ...(vm.qmpStatus !== undefined ? { qmpStatus: vm.qmpStatus } : {}),
      ...(vm.pid !== undefined ? { pid: vm.pid } : {}),
      ...(vm.runningSpecHash !== undefined ? { runningSpecHash: vm.runningSpecHash } : {}),
      ...(vm.startedAt !== undefined ? { startedAt: vm.startedAt } : {}),
    };
  }

  private observeAll(): VmObservation[] {
    return [...this.vms.keys()].sort().map((id) => this.observe(id));
  }

  private backupFile(serverId: string, backupId: string, backup: FakeBackup): BackupFile {
    const suffix = backup.complete ? ".qcow2" : ".qcow2.partial";
    return {
      backupId,
      path: `/fake/backups/${serverId}/${backupId}${suffix}`,
      sizeBytes: backup.sizeBytes,
      complete: backup.complete,
    };
  }
}
