import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentMessage, EnergySample } from "@layerboom/core";
import { afterEach, describe, expect, it } from "vitest";
import { findPowerProfile } from "../metering/power-profiles.js";
import type { PowerSource } from "../metering/power-source.js";
import type { TapCounterSource } from "../network/tap-transfer.js";
import type { TapCounters } from "../network/taps.js";
import { silentLogger } from "../qemu/logger.js";
import { EnergyMeter, type MeteredProcess } from "./energy-meter.js";

/** A fake power source: 1 J per read, so samples are always taken. */
const fakePowerSource: PowerSource = {
  kind: "model",
  read: async () => ({
    kind: "model",
    estimated: true,
    energyMicrojoules: 1_000_000,
    intervalMs: 1,
    atMs: Date.now(),
  }),
};

/** A fake tap counter source the test edits between samples. */
function fakeTapCounters(): TapCounterSource & { taps: Map<string, TapCounters> } {
  const taps = new Map<string, TapCounters>();
  return { taps, list: () => [...taps.keys()], read: (tap) => taps.get(tap) };
}

const TAP = "lb0123456789abc";
/** This test process stands in for the QEMUs: the meter only reads its CPU time. */
const processes: MeteredProcess[] = [
  { vmId: "srv-bridged", pid: process.pid, vcpus: 1, tap: TAP },
  { vmId: "srv-usermode", pid: process.pid, vcpus: 1 },
];

async function openMeter(taps: TapCounterSource, transferStateFile: string, samples: EnergySample[]) {
  return EnergyMeter.open({
    hostId: "host_test",
    profile: findPowerProfile("generic-1s-entry"),
    processes: async () => processes,
    send: (m: AgentMessage) => {
      if (m.type === "energy") samples.push(...m.samples);
      return true;
    },
    logger: silentLogger,
    source: fakePowerSource,
    taps,
    transferStateFile,
  });
}

describe("EnergyMeter transfer counters", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("adds tap deltas to bridged VMs only, and a restarted agent charges the gap once", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-meter-"));
    const stateFile = join(dir, "tap-counters.json");
    const fake = fakeTapCounters();
    fake.taps.set(TAP, { ifindex: 7, rxBytes: 1_000_000, txBytes: 2_000_000 });

    const samples: EnergySample[] = [];
    const first = await openMeter(fake, stateFile, samples);
    fake.taps.set(TAP, { ifindex: 7, rxBytes: 1_030_000, txBytes: 2_001_000 });
    await first.sampleOnce();
    const vms = samples[0]!.vms;
    // The counters before the first agent started are never charged: baselines first.
    expect(vms.find((v) => v.vm_id === "srv-bridged")).toMatchObject({
      net_out_bytes: 30_000,
      net_in_bytes: 1_000,
    });
    expect(vms.find((v) => v.vm_id === "srv-usermode")).not.toHaveProperty("net_out_bytes");
    await first.stop();

    // The agent is down while the guest sends 5000 bytes; the new agent charges them once.
    fake.taps.set(TAP, { ifindex: 7, rxBytes: 1_035_000, txBytes: 2_001_000 });
    const again: EnergySample[] = [];
    const second = await openMeter(fake, stateFile, again);
    await second.sampleOnce();
    fake.taps.set(TAP, { ifindex: 7, rxBytes: 1_035_100, txBytes: 2_001_000 });
    await second.sampleOnce();
    expect(again.map((s) => s.vms.find((v) => v.vm_id === "srv-bridged")?.net_out_bytes)).toEqual([
      5_000, 100,
    ]);
    await second.stop();
  });
});

describe("EnergyMeter host busy time", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A /proc/stat cpu line: user nice system idle iowait irq softirq steal guest guest_nice, in ticks. */
  const statLine = (f: number[]) => `cpu  ${f.join(" ")}\ncpu0 ${f.join(" ")}\n`;

  it("sends the host's busy CPU time between samples: user, nice, system, irq, softirq, steal; never idle or iowait", async () => {
    dir = await mkdtemp(join(tmpdir(), "lb-meter-busy-"));
    await mkdir(join(dir, "proc/sys/kernel/random"), { recursive: true });
    await writeFile(join(dir, "proc/sys/kernel/random/boot_id"), "b00t\n");
    await writeFile(join(dir, "proc/stat"), statLine([100, 10, 50, 1000, 20, 5, 5, 0, 40, 0]));
    const samples: EnergySample[] = [];
    const meter = await EnergyMeter.open({
      hostId: "host_test",
      root: dir,
      profile: findPowerProfile("generic-1s-entry"),
      processes: async () => [],
      send: (m: AgentMessage) => {
        if (m.type === "energy") samples.push(...m.samples);
        return true;
      },
      logger: silentLogger,
      source: fakePowerSource,
      taps: fakeTapCounters(),
    });
    // +7 user, +1 nice, +2 system, +1 irq, +1 softirq, +3 steal = 15 ticks busy; idle and iowait and guest ignored.
    await writeFile(join(dir, "proc/stat"), statLine([107, 11, 52, 1900, 80, 6, 6, 3, 45, 0]));
    await meter.sampleOnce();
    expect(samples[0]!.host_busy_us).toBe(15 * 10_000);

    // An unreadable /proc/stat leaves the field out: the controller then splits over the VMs alone.
    await rm(join(dir, "proc/stat"));
    await meter.sampleOnce();
    await writeFile(join(dir, "proc/stat"), statLine([200, 11, 52, 1900, 80, 6, 6, 3, 45, 0]));
    await meter.sampleOnce();
    expect(samples[1]).not.toHaveProperty("host_busy_us");
    expect(samples[2]).not.toHaveProperty("host_busy_us");
    await meter.sampleOnce();
    expect(samples[3]!.host_busy_us).toBe(0);
    await meter.stop();
  });
});
