import { EnergyRangeError, InvalidAttributionInputError } from "./errors.js";
import type { PueMilli } from "./pue.js";
import { pueMilli } from "./pue.js";
import { divRoundHalfEven } from "./rounding.js";

/** One VM's usage over the interval being attributed. */
export interface VmUsage {
  readonly vmId: string;
  /** CPU time the VM's QEMU process used during the interval, in microseconds. */
  readonly cpuTimeUs: number;
  /** vCPUs the VM reserves on the host. */
  readonly vcpus: number;
  /** How long the VM existed during the interval, in microseconds (0..intervalUs); partial for VMs that started or stopped. */
  readonly presentUs: number;
}

/** Everything needed to split one host's energy over one interval. */
export interface AttributionInput {
  /** Interval length in microseconds (> 0). */
  readonly intervalUs: number;
  /** Measured (or modelled) IT energy of the host during the interval, in microjoules. */
  readonly hostEnergyUj: number;
  /** Estimated idle energy for the interval (idle watts × interval), in microjoules. */
  readonly idleEnergyUj: number;
  /** Logical CPUs of the host: the denominator of each VM's reserved share of idle energy. */
  readonly hostCpus: number;
  /**
   * CPU time the whole host was busy during the interval, in microseconds (/proc/stat user,
   * nice, system, irq, softirq and steal, summed over CPUs). The VMs' CPU time is part of it.
   * Absent (samples from agents before issue 14): active energy is split over the VMs' CPU
   * time only, as before, and the result says so with `vmCpuOnly`.
   */
  readonly hostBusyUs?: number;
  readonly pue: PueMilli;
  readonly vms: readonly VmUsage[];
}

/** A VM's share of facility energy. */
export interface VmEnergy {
  readonly vmId: string;
  readonly energyUj: number;
  /**
   * The part of energyUj that is the VM's share of active energy (split by CPU time), PUE
   * included, rounded down. Informational: the parts that must add up are the energyUj.
   */
  readonly activeEnergyUj: number;
}

/**
 * The split of facility energy. `vms` follows the input order.
 * Invariant: sum(vms.energyUj) + unallocatedUj === facilityEnergyUj.
 */
export interface Attribution {
  /** round_half_even(hostEnergyUj × PUE): the whole being split. */
  readonly facilityEnergyUj: number;
  readonly vms: readonly VmEnergy[];
  /**
   * Energy no VM is charged for: idle energy of unreserved cores, plus `hostOverheadUj`.
   * Sum(vms.energyUj) + unallocatedUj === facilityEnergyUj.
   */
  readonly unallocatedUj: number;
  /**
   * The part of unallocatedUj that is active energy no VM's CPU time accounts for: the host's
   * own work (agent, kernel, backups, any non-VM process), PUE included.
   */
  readonly hostOverheadUj: number;
  /** True when the input had no host busy time, so active energy was split over the VMs' CPU time only (the old rule). */
  readonly vmCpuOnly: boolean;
}

/**
 * Splits a host's energy over one interval between its VMs (the rule in docs/energy.md):
 * active energy (host − idle, floored at 0) by each VM's share of the host's busy CPU time,
 * max(host busy, Σ VM CPU time), the rest being host overhead; idle energy by reserved
 * vCPU-time share of host CPU-time; PUE scales every part. Results are integer microjoules
 * apportioned by largest remainder, so parts add up exactly to the rounded facility total.
 */
export function attributeEnergy(input: AttributionInput): Attribution {
  validate(input);
  const host = BigInt(input.hostEnergyUj);
  const idle = host < BigInt(input.idleEnergyUj) ? host : BigInt(input.idleEnergyUj);
  const active = host - idle;
  const facility = divRoundHalfEven(host * BigInt(input.pue), 1000n);
  if (facility > BigInt(Number.MAX_SAFE_INTEGER)) throw new EnergyRangeError("facilityEnergyUj", facility);

  const cpu = input.vms.map((vm) => BigInt(vm.cpuTimeUs));
  const reserved = input.vms.map((vm) => BigInt(vm.vcpus) * BigInt(vm.presentUs));
  const totalCpu = cpu.reduce((a, b) => a + b, 0n);
  const totalReserved = reserved.reduce((a, b) => a + b, 0n);
  const capacity = BigInt(input.hostCpus) * BigInt(input.intervalUs);
  // Overcommitted hosts reserve more than exist; then reservations share idle energy pro rata.
  const idleDen = totalReserved > capacity ? totalReserved : capacity;
  const vmCpuOnly = input.hostBusyUs === undefined;
  // Per-process and per-host counters tick separately, so Σc may exceed the host's busy time
  // by a tick or two; the larger of the two keeps every share at most its CPU time's worth.
  const busy = input.hostBusyUs === undefined ? totalCpu : BigInt(input.hostBusyUs);
  const busyOrVms = busy > totalCpu ? busy : totalCpu;
  const cpuDen = busyOrVms === 0n ? 1n : busyOrVms;

  // Every part is an exact fraction of host energy with denominator cpuDen × idleDen.
  const vmParts = input.vms.map((_, i) => active * cpu[i]! * idleDen + idle * reserved[i]! * cpuDen);
  const whole = host * cpuDen * idleDen;
  const overheadPart = active * (cpuDen - totalCpu) * idleDen;
  const unallocatedPart = whole - vmParts.reduce((a, b) => a + b, 0n) - overheadPart;

  const shares = apportion(facility, [...vmParts, overheadPart, unallocatedPart], whole, [
    ...input.vms.map((vm) => vm.vmId),
    undefined,
    undefined,
  ]);
  const overhead = shares[input.vms.length]!;
  return {
    facilityEnergyUj: Number(facility),
    vms: input.vms.map((vm, i) => ({
      vmId: vm.vmId,
      energyUj: Number(shares[i]!),
      // Floored, so it never exceeds energyUj (which is at least the floor of the whole share).
      activeEnergyUj: whole === 0n ? 0 : Number((active * cpu[i]! * idleDen * facility) / whole),
    })),
    unallocatedUj: Number(overhead + shares[input.vms.length + 1]!),
    hostOverheadUj: Number(overhead),
    vmCpuOnly,
  };
}

/**
 * Largest-remainder (Hamilton) apportionment of `total` units by weights summing to `weightSum`.
 * Ties in remainder go to the lexically smaller VM id, then the parties without an id (host
 * overhead, unallocated) in their order, so the result does not depend on VM input order.
 */
function apportion(
  total: bigint,
  weights: readonly bigint[],
  weightSum: bigint,
  ids: readonly (string | undefined)[],
): bigint[] {
  if (weightSum === 0n) return weights.map(() => 0n);
  const exact = weights.map((w) => w * total);
  const result = exact.map((e) => e / weightSum);
  let left = total - result.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = exact[a]! % weightSum;
      const rb = exact[b]! % weightSum;
      if (ra !== rb) return ra > rb ? -1 : 1;
      const ia = ids[a];
      const ib = ids[b];
      if (ia === undefined && ib === undefined) return a - b;
      if (ia === undefined) return 1;
      if (ib === undefined) return -1;
      return ia < ib ? -1 : ia > ib ? 1 : 0;
    });
  for (const i of order) {
    if (left === 0n) break;
    result[i]! += 1n;
    left -= 1n;
  }
  return result;
}

/**
 * CPU time a VM used between two readings of its QEMU counter, in microseconds.
 * A counter that went down means the QEMU process was replaced (restart): the new process
 * started from zero, so all of its time falls after the previous reading. Never negative.
 * Pass `previousUs = 0` for a VM that appeared during the interval.
 */
export function cpuTimeDeltaUs(previousUs: number, currentUs: number): number {
  return currentUs >= previousUs ? currentUs - previousUs : currentUs;
}

function validate(input: AttributionInput): void {
  const nonNegative = (field: string, value: number, vmId?: string): void => {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidAttributionInputError(
        field,
        `must be a non-negative safe integer, got ${value}`,
        vmId,
      );
    }
  };
  nonNegative("intervalUs", input.intervalUs);
  if (input.intervalUs === 0) throw new InvalidAttributionInputError("intervalUs", "must be > 0");
  nonNegative("hostEnergyUj", input.hostEnergyUj);
  nonNegative("idleEnergyUj", input.idleEnergyUj);
  nonNegative("hostCpus", input.hostCpus);
  if (input.hostCpus === 0) throw new InvalidAttributionInputError("hostCpus", "must be > 0");
  if (input.hostBusyUs !== undefined) nonNegative("hostBusyUs", input.hostBusyUs);
  pueMilli(input.pue);
  const seen = new Set<string>();
  for (const vm of input.vms) {
    if (seen.has(vm.vmId)) throw new InvalidAttributionInputError("vmId", "duplicated", vm.vmId);
    seen.add(vm.vmId);
    nonNegative("cpuTimeUs", vm.cpuTimeUs, vm.vmId);
    nonNegative("vcpus", vm.vcpus, vm.vmId);
    nonNegative("presentUs", vm.presentUs, vm.vmId);
    if (vm.presentUs > input.intervalUs) {
      throw new InvalidAttributionInputError("presentUs", "exceeds intervalUs", vm.vmId);
    }
  }
}
