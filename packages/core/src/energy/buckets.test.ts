import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EnergySample } from "../agent-protocol/messages.js";
import { attributeEnergy } from "./attribution.js";
import { ENERGY_BUCKET_MS, bucketEnergySamples, splitAcrossBuckets } from "./buckets.js";
import { pueMilli } from "./pue.js";

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const T0 = Date.UTC(2026, 10, 29, 12, 0, 0);

const sampleArb: fc.Arbitrary<EnergySample> = fc
  .record({
    seq: fc.integer({ min: 1, max: 1000 }),
    startOffsetMs: fc.integer({ min: 0, max: 3 * ENERGY_BUCKET_MS }),
    lengthMs: fc.integer({ min: 1, max: 2 * ENERGY_BUCKET_MS }),
    host_energy_uj: fc.nat({ max: 500_000_000_000 }),
    idle_energy_uj: fc.nat({ max: 500_000_000_000 }),
    host_cpus: fc.integer({ min: 1, max: 64 }),
    estimated: fc.boolean(),
    hostBusyUs: fc.option(fc.nat({ max: 2 * ENERGY_BUCKET_MS * 1000 * 8 }), { nil: undefined }),
    vmIds: fc.uniqueArray(fc.constantFrom("srv-a", "srv-b", "srv-c", "srv-orphan"), { maxLength: 4 }),
  })
  .chain((s) =>
    fc
      .array(
        fc.record({
          cpu_time_us: fc.nat({ max: s.lengthMs * 1000 * 4 }),
          vcpus: fc.integer({ min: 1, max: 8 }),
          present_us: fc.nat({ max: s.lengthMs * 1000 }),
        }),
        { minLength: s.vmIds.length, maxLength: s.vmIds.length },
      )
      .map((usages) => ({
        seq: s.seq,
        start_ms: T0 + s.startOffsetMs,
        end_ms: T0 + s.startOffsetMs + s.lengthMs,
        source: "model" as const,
        estimated: s.estimated,
        host_energy_uj: s.host_energy_uj,
        idle_energy_uj: s.idle_energy_uj,
        host_cpus: s.host_cpus,
        ...(s.hostBusyUs === undefined ? {} : { host_busy_us: s.hostBusyUs }),
        vms: usages.map((u, i) => ({ vm_id: s.vmIds[i]!, ...u })),
      })),
  );

const owners: Record<string, string> = { "srv-a": "srv_a", "srv-b": "srv_b", "srv-c": "srv_c" };

describe("splitAcrossBuckets", () => {
  it("keeps an interval inside one bucket whole", () => {
    expect(splitAcrossBuckets(T0 + 1000, T0 + 2000, ENERGY_BUCKET_MS, 77)).toEqual([
      { bucketStartMs: T0, amount: 77 },
    ]);
  });

  it("splits across a boundary in proportion to the overlap", () => {
    const b = T0 + ENERGY_BUCKET_MS;
    expect(splitAcrossBuckets(b - 1000, b + 3000, ENERGY_BUCKET_MS, 400)).toEqual([
      { bucketStartMs: T0, amount: 100 },
      { bucketStartMs: b, amount: 300 },
    ]);
  });

  it("gives integer shares that add up exactly, none negative", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * ENERGY_BUCKET_MS }),
        fc.integer({ min: 1, max: 5 * ENERGY_BUCKET_MS }),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        (offset, length, amount) => {
          const shares = splitAcrossBuckets(T0 + offset, T0 + offset + length, ENERGY_BUCKET_MS, amount);
          expect(shares.every((s) => Number.isSafeInteger(s.amount) && s.amount >= 0)).toBe(true);
          expect(shares.reduce((a, s) => a + BigInt(s.amount), 0n)).toBe(BigInt(amount));
          expect(shares.every((s) => s.bucketStartMs % ENERGY_BUCKET_MS === 0)).toBe(true);
        },
      ),
    );
  });
});

describe("bucketEnergySamples", () => {
  it("conserves energy: per bucket allocated + unallocated = facility, allocated = Σ servers; totals = attribution", () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { maxLength: 6 }),
        fc.integer({ min: 1000, max: 2500 }),
        (samples, pue) => {
          const out = bucketEnergySamples(samples, { pue: pueMilli(pue), ownerOf: (vm) => owners[vm] });
          for (const h of out.hosts) {
            expect(h.allocatedUj + h.unallocatedUj).toBe(h.facilityEnergyUj);
            const servers = out.servers.filter((s) => s.bucketStartMs === h.bucketStartMs);
            expect(sum(servers.map((s) => s.energyUj))).toBe(h.allocatedUj);
          }
          const accepted = samples.filter((s) => !out.refused.some((r) => r.seq === s.seq));
          const facility = sum(
            accepted.map(
              (s) =>
                attributeEnergy({
                  intervalUs: (s.end_ms - s.start_ms) * 1000,
                  hostEnergyUj: s.host_energy_uj,
                  idleEnergyUj: s.idle_energy_uj,
                  hostCpus: s.host_cpus,
                  pue: pueMilli(pue),
                  vms: [],
                }).facilityEnergyUj,
            ),
          );
          expect(sum(out.hosts.map((h) => h.facilityEnergyUj))).toBe(facility);
          expect(sum(out.hosts.map((h) => h.itEnergyUj))).toBe(sum(accepted.map((s) => s.host_energy_uj)));
          for (const h of out.hosts) expect(h.hostOverheadUj).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it("leaves an orphan VM's share unallocated instead of charging it to anyone", () => {
    const sample: EnergySample = {
      seq: 1,
      start_ms: T0,
      end_ms: T0 + 10_000,
      source: "model",
      estimated: true,
      host_energy_uj: 1_000_000,
      idle_energy_uj: 0,
      host_cpus: 2,
      vms: [
        { vm_id: "srv-a", cpu_time_us: 1_000_000, vcpus: 1, present_us: 10_000_000 },
        { vm_id: "srv-orphan", cpu_time_us: 3_000_000, vcpus: 1, present_us: 10_000_000 },
      ],
    };
    const out = bucketEnergySamples([sample], { pue: pueMilli(1500), ownerOf: (vm) => owners[vm] });
    expect(out.servers).toEqual([
      expect.objectContaining({
        serverId: "srv_a",
        energyUj: 375_000,
        cpuTimeUs: 1_000_000,
        lastPowerMw: 38,
      }),
    ]);
    expect(out.hosts).toEqual([
      expect.objectContaining({
        itEnergyUj: 1_000_000,
        facilityEnergyUj: 1_500_000,
        allocatedUj: 375_000,
        unallocatedUj: 1_125_000,
        estimated: true,
        lastPowerMw: 150,
      }),
    ]);
  });

  it("keeps the host's own work as overhead inside unallocated, and marks samples without busy time", () => {
    const sample: EnergySample = {
      seq: 1,
      start_ms: T0,
      end_ms: T0 + 10_000,
      source: "rapl",
      estimated: false,
      host_energy_uj: 1_000_000,
      idle_energy_uj: 0,
      host_cpus: 2,
      host_busy_us: 4_000_000,
      vms: [{ vm_id: "srv-a", cpu_time_us: 1_000_000, vcpus: 1, present_us: 10_000_000 }],
    };
    const out = bucketEnergySamples([sample], { pue: pueMilli(1000), ownerOf: (vm) => owners[vm] });
    expect(out.servers).toEqual([expect.objectContaining({ energyUj: 250_000, vmCpuOnly: false })]);
    expect(out.hosts).toEqual([
      expect.objectContaining({ allocatedUj: 250_000, unallocatedUj: 750_000, hostOverheadUj: 750_000 }),
    ]);
    const { host_busy_us: _, ...old } = sample;
    const legacy = bucketEnergySamples([old], { pue: pueMilli(1000), ownerOf: (vm) => owners[vm] });
    expect(legacy.servers).toEqual([expect.objectContaining({ energyUj: 1_000_000, vmCpuOnly: true })]);
    expect(legacy.hosts).toEqual([expect.objectContaining({ hostOverheadUj: 0, vmCpuOnly: true })]);
  });

  it("refuses a sample whose figures are impossible, naming it, and adds nothing for it", () => {
    const bad: EnergySample = {
      seq: 9,
      start_ms: T0,
      end_ms: T0 + 1000,
      source: "rapl",
      estimated: false,
      host_energy_uj: 5,
      idle_energy_uj: 0,
      host_cpus: 1,
      vms: [{ vm_id: "srv-a", cpu_time_us: 0, vcpus: 1, present_us: 2_000_000 }],
    };
    const backwards: EnergySample = { ...bad, seq: 10, end_ms: T0, vms: [] };
    const out = bucketEnergySamples([bad, backwards], { pue: pueMilli(1000), ownerOf: (vm) => owners[vm] });
    expect(out.hosts).toEqual([]);
    expect(out.servers).toEqual([]);
    expect(out.refused.map((r) => r.seq)).toEqual([9, 10]);
    expect(out.refused[0]!.reason).toMatch(/present/i);
    expect(out.refused[1]!.reason).toMatch(/end_ms/);
  });
});
