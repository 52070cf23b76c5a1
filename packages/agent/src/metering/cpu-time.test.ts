import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VmCpuTimeReader } from "./cpu-time.js";
import { CounterUnreadableError } from "./errors.js";
import type { FixtureRoot } from "./fixture.test-helpers.js";
import { fixtureRoot } from "./fixture.test-helpers.js";

/** A /proc/<pid>/stat line; comm deliberately holds spaces and parentheses. */
const statLine = (pid: number, utime: number, stime: number): string =>
  `${pid} (qemu-system-x86 (vm) x) S 1 ${pid} ${pid} 0 -1 4194560 1000 0 0 0 ${utime} ${stime} 0 0 20 0 4 0 100 1 1`;

describe("VmCpuTimeReader", () => {
  let fx: FixtureRoot;
  beforeEach(async () => {
    fx = await fixtureRoot();
  });
  afterEach(async () => fx.dispose());

  async function qemu(
    pid: number,
    processTicks: [number, number],
    threads: [number, number][],
  ): Promise<void> {
    await fx.write(`proc/${pid}/stat`, statLine(pid, ...processTicks));
    for (const [i, t] of threads.entries())
      await fx.write(`proc/${pid}/task/${pid + i}/stat`, statLine(pid + i, ...t));
  }

  it("reads the process line, which the kernel sums over every thread", async () => {
    await qemu(4242, [400, 32], [[1, 0]]);
    const r = await new VmCpuTimeReader({ root: fx.root }).read({ vmId: "vm-1", pid: 4242 });
    expect(r).toEqual({ vmId: "vm-1", pid: 4242, cpuTimeUs: 4_320_000, source: "proc", stale: false });
  });

  it("with readTasks, sums utime+stime of every thread, in microseconds at 100 Hz", async () => {
    await qemu(
      4242,
      [0, 0],
      [
        [100, 20],
        [300, 5],
        [7, 0],
      ],
    );
    const r = await new VmCpuTimeReader({ root: fx.root, readTasks: true }).read({ vmId: "vm-1", pid: 4242 });
    expect(r).toEqual({ vmId: "vm-1", pid: 4242, cpuTimeUs: 4_320_000, source: "proc", stale: false });
  });

  it("keeps the time of exited threads, which only the process line still counts", async () => {
    await qemu(10, [500, 100], [[50, 0]]);
    expect(
      (await new VmCpuTimeReader({ root: fx.root, readTasks: true }).read({ vmId: "v", pid: 10 })).cpuTimeUs,
    ).toBe(6_000_000);
  });

  it("yields the last value, marked stale, when the process disappears", async () => {
    const reader = new VmCpuTimeReader({ root: fx.root, clockTicksPerSecond: 250 });
    await qemu(77, [250, 250], []);
    expect((await reader.read({ vmId: "v", pid: 77 })).cpuTimeUs).toBe(2_000_000);
    await fx.remove("proc/77");
    expect(await reader.read({ vmId: "v", pid: 77 })).toMatchObject({ cpuTimeUs: 2_000_000, stale: true });
    expect(await reader.read({ vmId: "never-seen", pid: 78 })).toMatchObject({ cpuTimeUs: 0, stale: true });
  });

  it("reads cgroup v2 cpu.stat and cgroup v1 cpuacct.usage", async () => {
    await fx.write(
      "sys/fs/cgroup/machine.slice/vm-a.scope/cpu.stat",
      "usage_usec 123456\nuser_usec 100000\nsystem_usec 23456",
    );
    await fx.write("sys/fs/cgroup/cpu,cpuacct/machine/vm-b/cpuacct.usage", "987654321");
    const reader = new VmCpuTimeReader({ root: fx.root });
    expect(await reader.read({ vmId: "a", pid: 1, cgroup: "machine.slice/vm-a.scope" })).toMatchObject({
      cpuTimeUs: 123_456,
      source: "cgroup-v2",
    });
    expect(await reader.read({ vmId: "b", pid: 2, cgroup: "machine/vm-b" })).toMatchObject({
      cpuTimeUs: 987_654,
      source: "cgroup-v1",
    });
    await fx.remove("sys/fs/cgroup/machine.slice/vm-a.scope");
    expect(await reader.read({ vmId: "a", pid: 1, cgroup: "machine.slice/vm-a.scope" })).toMatchObject({
      cpuTimeUs: 123_456,
      stale: true,
    });
  });

  it("raises a typed error for a counter that exists but cannot be read", async () => {
    await fx.mkdir("sys/fs/cgroup/vm-c/cpu.stat");
    await expect(
      new VmCpuTimeReader({ root: fx.root }).read({ vmId: "c", pid: 3, cgroup: "vm-c" }),
    ).rejects.toBeInstanceOf(CounterUnreadableError);
  });

  it("counts every thread of a real multi-threaded process from its process line alone", async () => {
    const spin = "for(;;){}";
    const child = spawn(
      process.execPath,
      [
        "-e",
        `const { Worker } = require("node:worker_threads"); new Worker(${JSON.stringify(spin)}, { eval: true }); ${spin}`,
      ],
      { stdio: "ignore" },
    );
    try {
      await sleep(1500);
      const processLine = await new VmCpuTimeReader({ root: "/" }).read({ vmId: "mt", pid: child.pid! });
      const tasks = await new VmCpuTimeReader({ root: "/", readTasks: true }).read({
        vmId: "mt",
        pid: child.pid!,
      });
      // Both threads spin; the process line holds them all (within the few ms between the reads).
      expect(processLine.cpuTimeUs).toBeGreaterThan(0);
      expect(processLine.cpuTimeUs).toBeGreaterThanOrEqual(tasks.cpuTimeUs - 50_000);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("sees a real busy child process's CPU time grow in /proc/<pid>/stat", async () => {
    const child = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    try {
      const reader = new VmCpuTimeReader({ root: "/" });
      const vm = { vmId: "real", pid: child.pid! };
      await sleep(300);
      const first = await reader.read(vm);
      expect(first).toMatchObject({ source: "proc", stale: false });
      // The spin loop's CPU time grows by 200 ms. On two cores kept busy by other work it gets
      // only a share of each second, so this waits for the growth rather than timing a second.
      let second = await reader.read(vm);
      for (const deadline = Date.now() + 15_000; second.cpuTimeUs - first.cpuTimeUs <= 200_000;) {
        if (Date.now() > deadline) break;
        await sleep(100);
        second = await reader.read(vm);
      }
      expect(second.cpuTimeUs - first.cpuTimeUs).toBeGreaterThan(200_000);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      const gone = await reader.read(vm);
      expect(gone).toMatchObject({ stale: true });
      expect(gone.cpuTimeUs).toBeGreaterThanOrEqual(second.cpuTimeUs);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
