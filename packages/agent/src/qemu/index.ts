export { QemuDriver } from "./qemu-driver.js";
export { compileQemuDriverOptions } from "./qemu-driver-options.js";
export type { QemuDriverOptions, CompiledQemuDriverOptions } from "./qemu-driver-options.js";
export type {
  Driver,
  DriverEvents,
  VmObservation,
  VmState,
  VmEvent,
  VmEventType,
  VmProcess,
  StopResult,
  BackupFile,
  CaptureFile,
  TakenCapture,
} from "./driver.js";
export { compileVmSpec, vmSpecHash, macForServer } from "./vm-spec.js";
export type { VmSpec, CompiledVmSpec, KernelBoot, Accelerator, VmNetwork } from "./vm-spec.js";
export { vmPaths } from "./vm-paths.js";
export type { VmPaths } from "./vm-paths.js";
export { buildQemuArgs, escapeOptionValue } from "./qemu-args.js";
export type { QemuLaunch } from "./qemu-args.js";
export { QmpClient, compileQmpClientOptions } from "./qmp-client.js";
export type { QmpClientOptions, CompiledQmpClientOptions, QmpEvent, QmpGreeting } from "./qmp-client.js";
export { SerialConsole } from "./serial-console.js";
export type { SerialConsoleOptions } from "./serial-console.js";
export { ByteRing } from "./ring-buffer.js";
export { spawnQemu, isQemuServing, readPidfile, waitForProcessExit } from "./qemu-process.js";
export type { Logger } from "./logger.js";
export { silentLogger } from "./logger.js";
export {
  QmpCommandError,
  QmpTimeoutError,
  QmpConnectionClosedError,
  QmpProtocolError,
  VmNotFoundError,
  VmNotRunningError,
  VmStartError,
  VmSpecError,
  VmStopError,
} from "./errors.js";
