import { dirname, join, resolve } from "node:path";
import { VmSpecError } from "./errors.js";
import { type Logger, silentLogger } from "./logger.js";
import type { QmpClientOptions } from "./qmp-client.js";
import type { Accelerator } from "./vm-spec.js";
import { MAX_SOCKET_PATH } from "./vm-paths.js";

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
  /**
   * Copies of server disks for captures (docs/images.md, "Capture"),
   * `<captureDir>/<serverId>/<captureId>.qcow2`, kept only until uploaded. Default: `<backupDir>/.captures`.
   */
  captureDir?: string;
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
  captureDir: string;
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
  const backupDir = resolve(
    options.backupDir ?? join(dirname(resolve(options.dataDir ?? "/var/lib/layerboom/vms")), "backups"),
  );
  const compiled: CompiledQemuDriverOptions = {
    runDir: resolve(options.runDir ?? "/run/layerboom/vms"),
    dataDir: resolve(options.dataDir ?? "/var/lib/layerboom/vms"),
    backupDir,
    // A dot name no server id can have, beside the servers' backup folders.
    captureDir: resolve(options.captureDir ?? join(backupDir, ".captures")),
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
