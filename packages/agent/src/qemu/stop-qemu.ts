import type { StopResult } from "./driver.js";
import { VmStopError } from "./errors.js";
import { isQemuServing, waitForProcessExit } from "./qemu-process.js";
import type { QmpClient } from "./qmp-client.js";
import { qmpArg } from "./runtime-files.js";
import type { VmPaths } from "./vm-paths.js";

/** How often a graceful stop presses the power button again while the guest has not acted on it. */
const POWER_BUTTON_REPEAT_MS = 10_000;

/**
 * Stops the running QEMU `pid`, each way harder than the last: ACPI powerdown and up to
 * `graceMs` for the guest to power off (0, a paused guest or no QMP: skipped), then QMP `quit`,
 * then SIGKILL. Resolves with the way that worked; throws VmStopError when even SIGKILL did not.
 */
export async function stopQemu(
  serverId: string,
  paths: VmPaths,
  pid: number,
  qmp: QmpClient | undefined,
  graceMs: number,
): Promise<Exclude<StopResult["how"], "already-stopped">> {
  if (qmp && graceMs > 0) {
    const status = await qmp.execute<{ status: string }>("query-status").catch(() => undefined);
    // A paused guest cannot see the power button; go straight to quit.
    if (status?.status === "running") {
      // A guest still booting (no ACPI listener yet) ignores a press, so press again every
      // few seconds within the grace; a guest already shutting down ignores the extra presses.
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline) {
        await qmp.execute("system_powerdown").catch(() => undefined);
        const slice = Math.min(POWER_BUTTON_REPEAT_MS, deadline - Date.now());
        if (await waitForProcessExit(pid, Math.max(slice, 0))) return "acpi";
      }
    }
  }
  if (qmp) {
    await qmp.execute("quit", undefined, { timeoutMs: 5_000 }).catch(() => undefined);
    if (await waitForProcessExit(pid, 5_000)) return "quit";
  }
  return killQemu(serverId, paths, pid);
}

/** SIGKILL for the VM's QEMU (only if `pid` still is it), and waits until it is gone. */
export async function killQemu(serverId: string, paths: VmPaths, pid: number): Promise<"kill"> {
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
