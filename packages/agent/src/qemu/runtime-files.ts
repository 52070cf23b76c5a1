/**
 * The files through which a VM outlives the agent: `vm.json` in its data folder, and the
 * runtime folder (pidfile, sockets, logs, `runtime.json`) that exists while its QEMU runs. A
 * new agent finds its VMs again from these alone.
 */
import { copyFile, open, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { escapeOptionValue } from "./qemu-args.js";
import { isQemuServing, readPidfile } from "./qemu-process.js";
import type { Accelerator, VmSpec } from "./vm-spec.js";
import type { VmPaths } from "./vm-paths.js";

/** `vm.json`: the last spec the driver was given, the SSH port it chose, the MAC. */
export interface SpecRecord {
  spec: VmSpec;
  /** Absent for a bridged VM (no SSH forward). */
  sshHostPort?: number;
  macAddress: string;
}

/** `runtime.json`: what the running instance was started with. */
export interface RuntimeRecord {
  pid: number;
  accel: Accelerator;
  sshHostPort?: number;
  specHash: string;
  startedAt: string;
}

/** Largest serial log kept in a runtime folder before it is cut (see capSerialLog). */
const SERIAL_LOG_CAP_BYTES = 4 * 1024 * 1024;

/** The VM's `vm.json`, or undefined when there is none (never started) or it is unreadable. */
export function readSpecRecord(paths: VmPaths): Promise<SpecRecord | undefined> {
  return readJson<SpecRecord>(paths.specFile);
}

/** The running instance's `runtime.json`, or undefined. */
export function readRuntimeRecord(paths: VmPaths): Promise<RuntimeRecord | undefined> {
  return readJson<RuntimeRecord>(paths.runtimeFile);
}

/** Writes `vm.json` (owner-only: it holds the seed's keys). */
export async function writeSpecRecord(paths: VmPaths, record: SpecRecord): Promise<void> {
  await writeFile(paths.specFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Writes `runtime.json`. */
export async function writeRuntimeRecord(paths: VmPaths, record: RuntimeRecord): Promise<void> {
  await writeFile(paths.runtimeFile, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** The pid of this VM's QEMU if it is alive and really ours; never a stale pidfile's. */
export async function livePid(paths: VmPaths): Promise<number | undefined> {
  const candidates = new Set<number>();
  const fromPidfile = await readPidfile(paths.pidfile);
  if (fromPidfile !== undefined) candidates.add(fromPidfile);
  const runtime = await readRuntimeRecord(paths);
  if (runtime?.pid) candidates.add(runtime.pid);
  for (const pid of candidates) if (await isQemuServing(pid, qmpArg(paths))) return pid;
  return undefined;
}

/** Removes a runtime folder whose QEMU is gone, keeping its log as last-qemu.log. */
export async function retireRuntime(paths: VmPaths, expectedPid: number | undefined): Promise<void> {
  const runtime = await readRuntimeRecord(paths);
  // A newer instance may already own the folder; leave it alone.
  if (expectedPid !== undefined && runtime && runtime.pid !== expectedPid) return;
  if ((await livePid(paths)) !== undefined) return;
  if (await exists(paths.dataDir)) await copyFile(paths.log, paths.lastLog).catch(() => undefined);
  await rm(paths.runDir, { recursive: true, force: true });
}

/**
 * QEMU appends every byte of serial output to serial.log in the runtime folder (tmpfs on
 * a real host); a chatty guest must not fill it. Past the cap the log is cut to nothing:
 * QEMU writes with O_APPEND and carries on at the new end, and the live scrollback is
 * still in memory.
 */
export async function capSerialLog(paths: VmPaths): Promise<void> {
  const size = await stat(paths.serialLog).then(
    (s) => s.size,
    () => 0,
  );
  if (size > SERIAL_LOG_CAP_BYTES) await truncate(paths.serialLog, 0).catch(() => undefined);
}

/** The last ten lines of qemu.log, for the error of a QEMU that would not start. */
export async function qemuLogTail(paths: VmPaths): Promise<string> {
  return (await readFile(paths.log, "utf8").catch(() => "")).trim().split("\n").slice(-10).join("\n");
}

/** The exact `-qmp` value the driver passes, used to recognise its QEMU in /proc. */
export function qmpArg(paths: VmPaths): string {
  return `unix:${escapeOptionValue(paths.qmpSocket)},server=on,wait=off`;
}

/** The last `bytes` of a file (empty when it does not exist). */
export async function readTail(path: string, bytes: number): Promise<Buffer> {
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

/** Whether a file or folder exists. */
export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as T;
  } catch {
    return undefined;
  }
}
