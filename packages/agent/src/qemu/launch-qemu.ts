import { mkdir } from "node:fs/promises";
import { VmStartError } from "./errors.js";
import type { Logger } from "./logger.js";
import { buildQemuArgs } from "./qemu-args.js";
import { spawnQemu, waitForProcessExit } from "./qemu-process.js";
import { exists, qemuLogTail, retireRuntime, writeRuntimeRecord } from "./runtime-files.js";
import type { VmConnections } from "./vm-connections.js";
import { type Accelerator, type CompiledVmSpec, vmSpecHash } from "./vm-spec.js";
import type { VmPaths } from "./vm-paths.js";

/** What {@link launchQemu} needs from the driver. */
export interface LaunchQemuOptions {
  qemuBinary: string;
  accel: Accelerator;
  /** Time from spawn until QMP answers. */
  startTimeoutMs: number;
  logger: Logger;
  connections: VmConnections;
  /** Called once the guest runs, before launchQemu resolves. */
  onStarted: (pid: number) => void;
}

/**
 * Starts one QEMU for a VM whose files are ready: spawns it paused, waits for its QMP socket,
 * writes `runtime.json`, attaches QMP and the serial console, then `cont`. On any failure the
 * QEMU is killed, its runtime folder retired, and a VmStartError carries the end of qemu.log.
 */
export async function launchQemu(
  spec: CompiledVmSpec,
  paths: VmPaths,
  sshHostPort: number | undefined,
  options: LaunchQemuOptions,
): Promise<void> {
  await mkdir(paths.runDir, { recursive: true, mode: 0o700 });
  const args = buildQemuArgs(spec, paths, {
    accel: options.accel,
    ...(sshHostPort !== undefined ? { sshHostPort } : {}),
    withSeed: spec.seed !== undefined,
  });
  options.logger.info({ serverId: spec.serverId, args }, "starting QEMU");
  const child = spawnQemu(options.qemuBinary, args, paths.log);
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  try {
    const deadline = Date.now() + options.startTimeoutMs;
    for (;;) {
      if (exited) throw new Error("QEMU exited during start-up");
      if (await exists(paths.qmpSocket)) break;
      if (Date.now() > deadline)
        throw new Error(`QMP socket did not appear within ${options.startTimeoutMs} ms`);
      await sleep(5);
    }
    await writeRuntimeRecord(paths, {
      pid: child.pid,
      accel: options.accel,
      ...(sshHostPort !== undefined ? { sshHostPort } : {}),
      specHash: vmSpecHash(spec),
      startedAt: new Date().toISOString(),
    });
    const handle = await options.connections.attach(spec.serverId, child.pid);
    if (!handle.console) throw new Error("serial console did not connect");
    await handle.qmp.execute("cont");
    options.onStarted(child.pid);
  } catch (err) {
    try {
      process.kill(child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
    await waitForProcessExit(child.pid, 5_000);
    await options.connections.detach(spec.serverId, child.pid);
    const logTail = await qemuLogTail(paths);
    await retireRuntime(paths, child.pid);
    throw new VmStartError(spec.serverId, logTail, err);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
