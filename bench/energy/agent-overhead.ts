// bench/energy agent overhead: the CPU the agent's energy meter uses per sampling interval
// with 100 metered processes, against a bare reader of the same /proc files.
//   npm run bench:energy:agent                 (100 processes, 1 s sampling, 30 intervals)
//   BENCH_PROCESSES=50 BENCH_INTERVALS=60 npm run bench:energy:agent
// Real processes: each is a shell busy loop standing in for a QEMU. Both sides read the
// same processes in the same run, interleaved interval by interval, and we print the ratio.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { EnergyMeter, findPowerProfile, silentLogger } from "@layerboom/agent";

const PROCESSES = Number(process.env["BENCH_PROCESSES"] ?? 100);
const INTERVALS = Number(process.env["BENCH_INTERVALS"] ?? 30);
const INTERVAL_MS = 1000;

/** CPU time this process used while `work` ran, in microseconds. */
async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return used.user + used.system;
}

/** The floor: read /proc/stat and every process's utime+stime from /proc/<pid>/stat, nothing else. */
async function bareRead(pids: number[]): Promise<number> {
  let total = 0;
  readFileSync("/proc/stat", "utf8");
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    total += Number(f[11]) + Number(f[12]);
  }
  return total;
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  for (let i = 0; i < PROCESSES; i++) {
    children.push(spawn("sh", ["-c", "while :; do :; done"], { stdio: "ignore" }));
  }
  try {
    const processes = children.map((c, i) => ({
      vmId: `srv-${String(i).padStart(26, "0")}`,
      pid: c.pid!,
      vcpus: 1,
    }));
    let frames = 0;
    const meter = await EnergyMeter.open({
      hostId: "bench",
      profile: findPowerProfile("generic-2s-1u"),
      processes: async () => processes,
      send: (m) => {
        if (m.type === "energy") {
          frames++;
          JSON.stringify(m); // what the link would do with it
          meter.acknowledged(m.boot_id, m.samples[m.samples.length - 1]!.seq);
        }
        return true;
      },
      logger: silentLogger,
      intervalMs: INTERVAL_MS,
    });
    const meterUs: number[] = [];
    const bareUs: number[] = [];
    for (let i = 0; i < INTERVALS; i++) {
      await new Promise((r) => setTimeout(r, INTERVAL_MS / 2));
      bareUs.push(await cpuOf(() => bareRead(processes.map((p) => p.pid))));
      await new Promise((r) => setTimeout(r, INTERVAL_MS / 2));
      meterUs.push(await cpuOf(() => meter.sampleOnce()));
    }
    await meter.stop();
    const p50m = percentile(meterUs, 0.5);
    const p50b = percentile(bareUs, 0.5);
    const mean = meterUs.reduce((a, b) => a + b, 0) / meterUs.length;
    console.log(
      `energy meter, ${PROCESSES} busy processes, ${INTERVALS} intervals of ${INTERVAL_MS} ms (${frames} frames sent)`,
    );
    console.log(
      `  meter: p50 ${(p50m / 1000).toFixed(2)} ms CPU per interval, p90 ${(percentile(meterUs, 0.9) / 1000).toFixed(2)} ms, mean ${(mean / 1000).toFixed(2)} ms`,
    );
    console.log(`  bare /proc reader: p50 ${(p50b / 1000).toFixed(2)} ms CPU per interval`);
    console.log(
      `  share of one core at ${INTERVAL_MS} ms sampling: ${((mean / (INTERVAL_MS * 1000)) * 100).toFixed(3)} % (target < 1 %)`,
    );
    console.log(`  ratio meter/bare (p50): ${(p50m / p50b).toFixed(2)}`);
  } finally {
    for (const c of children) c.kill("SIGKILL");
  }
}

await main();
