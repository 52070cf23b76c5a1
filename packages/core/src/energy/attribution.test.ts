import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AttributionInput, VmUsage } from "./attribution.js";
import { attributeEnergy, cpuTimeDeltaUs } from "./attribution.js";
import { InvalidAttributionInputError, InvalidPueError } from "./errors.js";
import { parsePue, pueMilli } from "./pue.js";

const INTERVAL = 60_000_000;

const vmArb = (intervalUs: number): fc.Arbitrary<Omit<VmUsage, "vmId">> =>
  fc.record({
    cpuTimeUs: fc.oneof(fc.constant(0), fc.nat({ max: 16 * intervalUs })),
    vcpus: fc.integer({ min: 0, max: 16 }),
    presentUs: fc.oneof(fc.constant(intervalUs), fc.nat({ max: intervalUs })),
  });

const inputArb: fc.Arbitrary<AttributionInput> = fc
  .record({
    intervalUs: fc.integer({ min: 1, max: 3_600_000_000 }),
    hostEnergyUj: fc.oneof(fc.constant(0), fc.nat({ max: 2_000_000_000_000 })),
    idleEnergyUj: fc.oneof(fc.constant(0), fc.nat({ max: 2_000_000_000_000 })),
    hostCpus: fc.integer({ min: 1, max: 256 }),
    pue: fc.integer({ min: 1000, max: 3000 }).map(pueMilli),
  })
  .chain((base) =>
    fc
      .tuple(
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), vmArb(base.intervalUs)), {
          maxLength: 12,
          selector: ([id]) => id,
        }),
        // Absent (an old agent), independent of the VMs' time, or their time plus the host's own.
        fc.oneof(
          fc.constant(undefined),
          fc.nat({ max: 16 * base.intervalUs }),
          fc.nat({ max: 4 * base.intervalUs }).map((own) => -own - 1),
        ),
      )
      .map(([vms, busy]) => {
        const usage = vms.map(([vmId, u]) => ({ vmId, ...u }));
        const vmCpu = sum(usage.map((v) => v.cpuTimeUs));
        const hostBusyUs = busy === undefined ? undefined : busy >= 0 ? busy : vmCpu - busy - 1;
        return { ...base, ...(hostBusyUs === undefined ? {} : { hostBusyUs }), vms: usage };
      }),
  );

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function exactFacility(input: AttributionInput): number {
  const product = BigInt(input.hostEnergyUj) * BigInt(input.pue);
  const q = product / 1000n;
  const r = product % 1000n;
  return Number(r > 500n || (r === 500n && q % 2n === 1n) ? q + 1n : q);
}

describe("attributeEnergy", () => {
  it("splits active energy by CPU time and idle by reserved vCPUs, PUE on top", () => {
    const r = attributeEnergy({
      intervalUs: INTERVAL,
      hostEnergyUj: 10_000_000,
      idleEnergyUj: 4_000_000,
      hostCpus: 8,
      pue: parsePue("1.5"),
      vms: [
        { vmId: "a", cpuTimeUs: 3_000_000, vcpus: 2, presentUs: INTERVAL },
        { vmId: "b", cpuTimeUs: 1_000_000, vcpus: 2, presentUs: INTERVAL / 2 },
      ],
    });
    // active 6 J: a 4.5, b 1.5. idle 4 J: a 2/8 → 1, b 2/8·½ → 0.5, unallocated 2.5. ×1.5
    expect(r).toEqual({
      facilityEnergyUj: 15_000_000,
      vms: [
        { vmId: "a", energyUj: 8_250_000, activeEnergyUj: 6_750_000 },
        { vmId: "b", energyUj: 3_000_000, activeEnergyUj: 2_250_000 },
      ],
      unallocatedUj: 3_750_000,
      hostOverheadUj: 0,
      vmCpuOnly: true,
    });
  });

  it("splits active energy by the host's busy CPU time: the host's own work stays unallocated as overhead", () => {
    // The case: a nano VM at a shell prompt on a host busy with its own work.
    const r = attributeEnergy({
      intervalUs: INTERVAL,
      hostEnergyUj: 10_000_000,
      idleEnergyUj: 4_000_000,
      hostCpus: 8,
      hostBusyUs: 12_000_000,
      pue: parsePue("1.5"),
      vms: [
        { vmId: "a", cpuTimeUs: 3_000_000, vcpus: 2, presentUs: INTERVAL },
        { vmId: "b", cpuTimeUs: 1_000_000, vcpus: 2, presentUs: INTERVAL / 2 },
      ],
    });
    // active 6 J over 12 s busy: a 3/12 → 1.5, b 1/12 → 0.5, overhead 8/12 → 4. idle as before. ×1.5
    expect(r).toEqual({
      facilityEnergyUj: 15_000_000,
      vms: [
        { vmId: "a", energyUj: 3_750_000, activeEnergyUj: 2_250_000 },
        { vmId: "b", energyUj: 1_500_000, activeEnergyUj: 750_000 },
      ],
      unallocatedUj: 9_750_000,
      hostOverheadUj: 6_000_000,
      vmCpuOnly: false,
    });
  });

  it("uses the VMs' CPU time when it exceeds the host's busy time (counters tick apart)", () => {
    const r = attributeEnergy({
      intervalUs: INTERVAL,
      hostEnergyUj: 1_000_000,
      idleEnergyUj: 0,
      hostCpus: 1,
      hostBusyUs: 900,
      pue: pueMilli(1000),
      vms: [{ vmId: "a", cpuTimeUs: 1_000, vcpus: 1, presentUs: INTERVAL }],
    });
    expect(r.vms[0]!.energyUj).toBe(1_000_000);
    expect(r.hostOverheadUj).toBe(0);
  });

  it("leaves active energy unallocated when no VM used CPU, and an all-idle host splits only idle", () => {
    const r = attributeEnergy({
      intervalUs: INTERVAL,
      hostEnergyUj: 5_000_000,
      idleEnergyUj: 9_000_000,
      hostCpus: 4,
      pue: pueMilli(1000),
      vms: [{ vmId: "a", cpuTimeUs: 0, vcpus: 1, presentUs: INTERVAL }],
    });
    expect(r.vms[0]!.energyUj).toBe(1_250_000);
    expect(r.unallocatedUj).toBe(3_750_000);
  });

  it("shares idle energy pro rata when reservations exceed the host (overcommit)", () => {
    const r = attributeEnergy({
      intervalUs: INTERVAL,
      hostEnergyUj: 3_000_000,
      idleEnergyUj: 3_000_000,
      hostCpus: 2,
      pue: pueMilli(1000),
      vms: ["a", "b", "c"].map((vmId) => ({ vmId, cpuTimeUs: 0, vcpus: 2, presentUs: INTERVAL })),
    });
    expect(r.vms.map((v) => v.energyUj)).toEqual([1_000_000, 1_000_000, 1_000_000]);
    expect(r.unallocatedUj).toBe(0);
  });

  it("breaks remainder ties by VM id, not input order", () => {
    const vms = ["b", "a", "c"].map((vmId) => ({ vmId, cpuTimeUs: 1, vcpus: 0, presentUs: 0 }));
    const base = { intervalUs: 1, hostEnergyUj: 2, idleEnergyUj: 0, hostCpus: 1, pue: pueMilli(1000) };
    const r = attributeEnergy({ ...base, vms });
    expect(Object.fromEntries(r.vms.map((v) => [v.vmId, v.energyUj]))).toEqual({ a: 1, b: 1, c: 0 });
  });

  it("rejects bad input with a typed error naming the field and VM", () => {
    const base = { intervalUs: 10, hostEnergyUj: 1, idleEnergyUj: 0, hostCpus: 1, pue: pueMilli(1000) };
    const bad = (vm: Partial<VmUsage>) =>
      attributeEnergy({ ...base, vms: [{ vmId: "x", cpuTimeUs: 0, vcpus: 1, presentUs: 10, ...vm }] });
    expect(() => bad({ cpuTimeUs: -1 })).toThrow(InvalidAttributionInputError);
    expect(() => bad({ presentUs: 11 })).toThrow(/VM x \(presentUs\)/);
    expect(() => bad({ cpuTimeUs: 0.5 })).toThrow(InvalidAttributionInputError);
    expect(() => attributeEnergy({ ...base, hostBusyUs: -1, vms: [] })).toThrow(/hostBusyUs/);
    expect(() => attributeEnergy({ ...base, pue: 999 as never, vms: [] })).toThrow(InvalidPueError);
  });

  it("conserves energy exactly: sum(VMs) + unallocated == round(host × PUE)", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = attributeEnergy(input);
        expect(r.facilityEnergyUj).toBe(exactFacility(input));
        expect(sum(r.vms.map((v) => v.energyUj)) + r.unallocatedUj).toBe(r.facilityEnergyUj);
      }),
      { numRuns: 500 },
    );
  });

  it("never yields negative or non-integer energy", () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = attributeEnergy(input);
        for (const v of [...r.vms.map((x) => x.energyUj), r.unallocatedUj, r.hostOverheadUj]) {
          expect(Number.isSafeInteger(v) && v >= 0).toBe(true);
        }
        expect(r.hostOverheadUj).toBeLessThanOrEqual(r.unallocatedUj);
        expect(r.vmCpuOnly).toBe(input.hostBusyUs === undefined);
        // A VM's active part is a non-negative integer inside its whole share.
        for (const v of r.vms) {
          expect(Number.isSafeInteger(v.activeEnergyUj) && v.activeEnergyUj >= 0).toBe(true);
          expect(v.activeEnergyUj).toBeLessThanOrEqual(v.energyUj);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is monotone: more CPU time for one VM never gives it less energy", () => {
    fc.assert(
      fc.property(
        inputArb.filter((i) => i.vms.length > 0),
        fc.nat(),
        fc.nat({ max: 100_000_000 }),
        (input, pick, extra) => {
          const k = pick % input.vms.length;
          const more = {
            ...input,
            vms: input.vms.map((vm, i) => (i === k ? { ...vm, cpuTimeUs: vm.cpuTimeUs + extra } : vm)),
          };
          expect(attributeEnergy(more).vms[k]!.energyUj).toBeGreaterThanOrEqual(
            attributeEnergy(input).vms[k]!.energyUj,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it("never grows a VM's share when another process on the host, or another VM, gets busier", () => {
    fc.assert(
      fc.property(
        inputArb.filter((i) => i.vms.length > 0),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 100_000_000 }),
        (input, pick, other, extra) => {
          const k = pick % input.vms.length;
          const j = other % input.vms.length;
          const busy = input.hostBusyUs ?? sum(input.vms.map((v) => v.cpuTimeUs));
          // A non-VM process: only the host's busy time grows.
          const hostBusier = { ...input, hostBusyUs: busy + extra };
          // Another VM: its CPU time grows, and the host's busy time with it.
          const vmBusier = {
            ...input,
            hostBusyUs: Math.max(busy, sum(input.vms.map((v) => v.cpuTimeUs))) + extra,
            vms: input.vms.map((vm, i) =>
              i === j && j !== k ? { ...vm, cpuTimeUs: vm.cpuTimeUs + extra } : vm,
            ),
          };
          const before = attributeEnergy({ ...input, hostBusyUs: busy }).vms[k]!;
          for (const after of [attributeEnergy(hostBusier).vms[k]!, attributeEnergy(vmBusier).vms[k]!]) {
            // The exact share never grows (activeEnergyUj is its floor); the whole, apportioned
            // by largest remainder, may take one leftover µJ it did not have before, never more.
            expect(after.activeEnergyUj).toBeLessThanOrEqual(before.activeEnergyUj);
            expect(after.energyUj).toBeLessThanOrEqual(before.energyUj + 1);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("charges the host's own work as overhead: at least its exact share of active energy, rounded down", () => {
    fc.assert(
      fc.property(inputArb, fc.nat({ max: 1_000_000_000 }), (input, own) => {
        const vmCpu = sum(input.vms.map((v) => v.cpuTimeUs));
        const hostBusyUs = vmCpu + own;
        const r = attributeEnergy({ ...input, hostBusyUs });
        if (hostBusyUs === 0) return;
        const host = BigInt(input.hostEnergyUj);
        const idle = BigInt(Math.min(input.hostEnergyUj, input.idleEnergyUj));
        const exactOwn =
          ((host - idle) * BigInt(own) * BigInt(r.facilityEnergyUj)) / (BigInt(hostBusyUs) * host || 1n);
        expect(BigInt(r.hostOverheadUj)).toBeGreaterThanOrEqual(exactOwn);
      }),
      { numRuns: 500 },
    );
  });

  it("conserves energy over sequences of intervals where VMs start, stop and restart", () => {
    const eventArb = fc.record({
      vm: fc.nat({ max: 4 }),
      kind: fc.constantFrom<"start" | "stop" | "restart" | "run">("start", "stop", "restart", "run"),
      at: fc.nat({ max: 1_000_000 }),
      cpu: fc.nat({ max: 4_000_000 }),
    });
    const intervalArb = fc.record({
      host: fc.nat({ max: 500_000_000 }),
      idle: fc.nat({ max: 300_000_000 }),
      events: fc.array(eventArb, { maxLength: 6 }),
    });
    fc.assert(
      fc.property(
        fc.array(intervalArb, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1000, max: 2500 }),
        (intervals, pue) => {
          const intervalUs = 1_000_000;
          // Cumulative QEMU CPU counters as the agent would read them; undefined = not running.
          const counters = new Map<number, number>();
          const lastRead = new Map<number, number>();
          let facilityTotal = 0;
          let attributedTotal = 0;
          for (const iv of intervals) {
            const present = new Map<number, number>();
            for (const vm of counters.keys()) present.set(vm, intervalUs);
            for (const e of iv.events) {
              const running = counters.has(e.vm);
              if (e.kind === "start" && !running) {
                counters.set(e.vm, e.cpu);
                lastRead.set(e.vm, 0);
                present.set(e.vm, intervalUs - e.at);
              } else if (e.kind === "stop" && running) {
                // The meter keeps a vanished process's last value, so its counted part stays.
                counters.delete(e.vm);
                present.set(e.vm, Math.min(present.get(e.vm) ?? 0, e.at));
              } else if (e.kind === "restart" && running) {
                counters.set(e.vm, e.cpu);
              } else if (running) {
                counters.set(e.vm, counters.get(e.vm)! + e.cpu);
              }
            }
            const vms: VmUsage[] = [...present.entries()].map(([vm, presentUs]) => {
              const current = counters.get(vm) ?? lastRead.get(vm) ?? 0;
              const delta = cpuTimeDeltaUs(lastRead.get(vm) ?? 0, current);
              if (counters.has(vm)) lastRead.set(vm, current);
              else lastRead.delete(vm);
              return { vmId: `vm${vm}`, cpuTimeUs: delta, vcpus: 1 + vm, presentUs };
            });
            const r = attributeEnergy({
              intervalUs,
              hostEnergyUj: iv.host,
              idleEnergyUj: iv.idle,
              hostCpus: 8,
              pue: pueMilli(pue),
              vms,
            });
            for (const v of r.vms) expect(v.energyUj).toBeGreaterThanOrEqual(0);
            facilityTotal += r.facilityEnergyUj;
            attributedTotal += sum(r.vms.map((v) => v.energyUj)) + r.unallocatedUj;
          }
          expect(attributedTotal).toBe(facilityTotal);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("cpuTimeDeltaUs", () => {
  it("is the difference normally, and the new counter after a restart", () => {
    expect(cpuTimeDeltaUs(100, 250)).toBe(150);
    expect(cpuTimeDeltaUs(500, 20)).toBe(20);
    expect(cpuTimeDeltaUs(500, 500)).toBe(0);
  });
});

describe("parsePue", () => {
  it("parses decimals exactly and refuses values below 1", () => {
    expect(parsePue("1.35")).toBe(1350);
    expect(parsePue(1.2)).toBe(1200);
    expect(parsePue("1")).toBe(1000);
    for (const bad of ["0.99", "-1.2", "1.2345", "abc", "", "1e3"]) {
      expect(() => parsePue(bad)).toThrow(InvalidPueError);
    }
    expect(() => parsePue(-2)).toThrow(InvalidPueError);
    expect(() => pueMilli(999)).toThrow(InvalidPueError);
  });
});
