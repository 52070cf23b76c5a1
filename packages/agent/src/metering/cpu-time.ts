import { join } from "node:path";
import { CounterParseError, CounterUnreadableError } from "./errors.js";
import type { FileReader } from "./file-reader.js";
import { errnoCode, isGone, nodeFileReader } from "./file-reader.js";

/** A VM's QEMU process. */
export interface QemuProcess {
  readonly vmId: string;
  readonly pid: number;
  /** The VM's own cgroup, relative to the cgroup mount (e.g. "machine.slice/vm-42.scope"); omit to read /proc. */
  readonly cgroup?: string;
}

/** Cumulative CPU time of a QEMU process. */
export interface CpuTimeReading {
  readonly vmId: string;
  readonly pid: number;
  /** CPU time since the process started, in microseconds. */
  readonly cpuTimeUs: number;
  readonly source: "cgroup-v2" | "cgroup-v1" | "proc";
  /** True when the process (or cgroup) is gone and this is the last value seen. */
  readonly stale: boolean;
}

/** Options for VmCpuTimeReader. */
export interface VmCpuTimeReaderOptions {
  /** Filesystem root holding proc/ and sys/fs/cgroup/. */
  readonly root: string;
  readonly reader?: FileReader;
  /** USER_HZ of /proc/<pid>/stat; 100 on every mainstream Linux build. */
  readonly clockTicksPerSecond?: number;
  /**
   * Also sum /proc/<pid>/task/*\/stat and keep the larger total. The kernel's process line
   * already sums every thread, live and exited, so this only matters for /proc views that do
   * not (some container runtimes); it costs one read per thread. Default false.
   */
  readonly readTasks?: boolean;
}

/**
 * Reads QEMU CPU time: cgroup v2 `cpu.stat` usage_usec, cgroup v1 `cpuacct.usage` (ns), or the
 * utime+stime of the process and all its threads from /proc. A process that vanished yields its
 * last value (marked stale) so the interval it ran in is still counted.
 */
export class VmCpuTimeReader {
  private readonly reader: FileReader;
  private readonly usPerTick: number;
  private readonly last = new Map<string, CpuTimeReading>();

  constructor(private readonly options: VmCpuTimeReaderOptions) {
    this.reader = options.reader ?? nodeFileReader;
    this.usPerTick = 1_000_000 / (options.clockTicksPerSecond ?? 100);
  }

  async read(proc: QemuProcess): Promise<CpuTimeReading> {
    const key = `${proc.vmId}\0${proc.pid}`;
    const previous = this.last.get(key);
    let fresh: Omit<CpuTimeReading, "vmId" | "pid" | "stale"> | undefined;
    try {
      fresh = proc.cgroup === undefined ? await this.fromProc(proc.pid) : await this.fromCgroup(proc.cgroup);
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    if (fresh === undefined) {
      return {
        vmId: proc.vmId,
        pid: proc.pid,
        cpuTimeUs: previous?.cpuTimeUs ?? 0,
        source: previous?.source ?? (proc.cgroup === undefined ? "proc" : "cgroup-v2"),
        stale: true,
      };
    }
    // Summing racing threads can dip for an instant; a cumulative counter never does.
    const cpuTimeUs = Math.max(fresh.cpuTimeUs, previous?.cpuTimeUs ?? 0);
    const reading = { vmId: proc.vmId, pid: proc.pid, cpuTimeUs, source: fresh.source, stale: false };
    this.last.set(key, reading);
    return reading;
  }

  /** Drops remembered values for a VM once it is deleted. */
  forget(vmId: string): void {
    for (const key of this.last.keys()) if (key.startsWith(`${vmId}\0`)) this.last.delete(key);
  }

  private async fromCgroup(
    cgroup: string,
  ): Promise<{ cpuTimeUs: number; source: "cgroup-v2" | "cgroup-v1" }> {
    const mount = join(this.options.root, "sys/fs/cgroup");
    const v2 = join(mount, cgroup, "cpu.stat");
    const text = await this.tryRead(v2);
    if (text !== undefined) {
      const m = /^usage_usec (\d+)$/m.exec(text);
      if (m === null) throw new CounterParseError(v2, text);
      return { cpuTimeUs: Number(m[1]), source: "cgroup-v2" };
    }
    for (const controller of ["cpuacct", "cpu,cpuacct"]) {
      const v1 = join(mount, controller, cgroup, "cpuacct.usage");
      const ns = await this.tryRead(v1);
      if (ns === undefined) continue;
      if (!/^\d+$/.test(ns.trim())) throw new CounterParseError(v1, ns);
      return { cpuTimeUs: Number(BigInt(ns.trim()) / 1000n), source: "cgroup-v1" };
    }
    throw Object.assign(new Error(`no cpu accounting for cgroup ${cgroup}`), { code: "ENOENT" });
  }

  /**
   * The process line counts threads that already exited, the task lines count live threads up to
   * this instant; the larger is the best lower bound of the process's CPU time.
   */
  private async fromProc(pid: number): Promise<{ cpuTimeUs: number; source: "proc" }> {
    const dir = join(this.options.root, "proc", String(pid));
    const processTicks = await this.statTicks(join(dir, "stat"));
    if (processTicks === undefined)
      throw Object.assign(new Error(`process ${pid} is gone`), { code: "ESRCH" });
    if (!this.options.readTasks) return { cpuTimeUs: processTicks * this.usPerTick, source: "proc" };
    let taskTicks = 0;
    let tasks: string[] = [];
    try {
      tasks = await this.reader.list(join(dir, "task"));
    } catch (err) {
      if (!isGone(err)) throw new CounterUnreadableError(join(dir, "task"), errnoCode(err) ?? "EIO");
    }
    for (const tid of tasks) taskTicks += (await this.statTicks(join(dir, "task", tid, "stat"))) ?? 0;
    return { cpuTimeUs: Math.max(processTicks, taskTicks) * this.usPerTick, source: "proc" };
  }

  /** utime + stime in ticks from a stat file, or undefined when the task is gone. */
  private async statTicks(path: string): Promise<number | undefined> {
    const text = await this.tryRead(path);
    if (text === undefined) return undefined;
    // comm (field 2) may hold spaces and parentheses; fields after the last ")" are fixed.
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    if (!Number.isSafeInteger(utime) || !Number.isSafeInteger(stime)) throw new CounterParseError(path, text);
    return utime + stime;
  }

  private async tryRead(path: string): Promise<string | undefined> {
    try {
      return await this.reader.readText(path);
    } catch (err) {
      if (isGone(err)) return undefined;
      throw new CounterUnreadableError(path, errnoCode(err) ?? "EIO");
    }
  }
}
