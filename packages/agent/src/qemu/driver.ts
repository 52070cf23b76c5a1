import type { SerialConsole } from "./serial-console.js";
import type { Accelerator, VmSpec } from "./vm-spec.js";

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

/** The events a {@link Driver} emits. */
export interface DriverEvents {
  vm: [VmEvent];
}

/** A backup file of a server on this host. `complete: false` is a half-written one (a crash mid-backup). */
export interface BackupFile {
  backupId: string;
  path: string;
  sizeBytes: number;
  complete: boolean;
  /** Set by a take that copied: whether the VM ran (a live copy over QMP). */
  live?: boolean;
}

/** A capture's copy of a server's disk on this host (docs/images.md, "Capture"). */
export interface CaptureFile {
  captureId: string;
  path: string;
  sizeBytes: number;
  /** False: half-written, as a crash mid-copy leaves it. */
  complete: boolean;
}

/** A copy just taken, and how: with `qemu-img convert` (stopped VM) or `blockdev-backup` (running). */
export interface TakenCapture extends CaptureFile {
  method: "qemu-img-convert" | "blockdev-backup";
}

/** How {@link Driver.ensureStopped} stopped a VM. */
export interface StopResult {
  serverId: string;
  how: "already-stopped" | "acpi" | "quit" | "kill";
}

/** A live VM process, as the energy meter and the tap sweep need it. */
export interface VmProcess {
  vmId: string;
  pid: number;
  /** The vCPUs it was given; an orphan with no spec counts as one. */
  vcpus: number;
  /** Its tap, for a bridged VM. */
  tap?: string;
}

/**
 * The hypervisor as the agent daemon sees it: exactly what the reconciler, the console relay
 * and the agent's start and stop call. {@link QemuDriver} is the real one; tests use
 * `FakeDriver` (daemon/fake-driver.test-helpers.ts). Every operation is idempotent, so the
 * reconciler may call them level-triggered, as often as it likes.
 */
export interface Driver {
  /** `vm` events: a VM started, was paused or reset, panicked, exited... */
  on(event: "vm", listener: (event: VmEvent) => void): this;
  /** Finds the VMs an earlier agent left running; once at agent start, before reconciling. */
  rediscover(): Promise<VmObservation[]>;
  /** Every VM on the host: those with a spec, and orphans (`known: false`). */
  list(): Promise<VmObservation[]>;
  /** Live VM processes, cheaply (the energy meter calls it every second). */
  processes(): Promise<VmProcess[]>;
  /** One VM (`stopped`, `known: false` for one this host has never seen). */
  inspect(serverId: string): Promise<VmObservation>;
  /** Makes the VM run; a running VM is left alone even if its spec changed. */
  ensureRunning(spec: VmSpec): Promise<VmObservation>;
  /** Makes the VM stop: ACPI within `gracefulTimeoutMs` (0: none), then harder. */
  ensureStopped(serverId: string, options?: { gracefulTimeoutMs?: number }): Promise<StopResult>;
  /** Resets a running VM; throws VmNotRunningError when it is not running. */
  reboot(serverId: string): Promise<void>;
  /** Kills the VM and deletes everything of it, backups included. */
  destroy(serverId: string): Promise<void>;
  /** The VM's serial console; throws VmNotRunningError when it is not running. */
  console(serverId: string): Promise<SerialConsole>;
  /** The server's backup files, complete and half-written. */
  listBackups(serverId: string): Promise<BackupFile[]>;
  /** Takes a backup of the server's disk (kept if it exists already). */
  takeBackup(serverId: string, backupId: string): Promise<BackupFile>;
  /** Deletes a backup, complete or half-written. */
  removeBackup(serverId: string, backupId: string): Promise<void>;
  /** Replaces a stopped VM's disk with a copy of a backup, as an overlay on `base`. */
  restoreBackup(
    serverId: string,
    backupId: string,
    base: { path: string; format: "qcow2" | "raw" },
  ): Promise<void>;
  /** The server's capture copies, complete and half-written. */
  listCaptures(serverId: string): Promise<CaptureFile[]>;
  /**
   * Copies the server's disk into a standalone qcow2 for a capture: live over QMP when the VM
   * runs, with `qemu-img convert` when it is stopped. An existing copy is taken again.
   */
  takeCapture(serverId: string, captureId: string): Promise<TakenCapture>;
  /** Deletes a capture copy, complete or half-written. */
  removeCapture(serverId: string, captureId: string): Promise<void>;
  /** Detaches from every VM on agent shutdown; the VMs keep running. */
  close(): Promise<void>;
}
