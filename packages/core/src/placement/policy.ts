import { InvalidPlacementPolicyError } from "./errors.js";

/** Placement settings as configured; anything left out takes its default. */
export interface PlacementPolicyOptions {
  /** vCPUs sold per physical core. Default 4. */
  readonly cpuOvercommit?: number;
  /** Guest memory sold per MiB of host memory left after the reserve. Default 1. */
  readonly memoryOvercommit?: number;
  /** Guest disk sold per GiB of host disk. Default 1. */
  readonly diskOvercommit?: number;
  /** Host memory kept for the host itself and QEMU overhead, never sold. Default 0. */
  readonly reservedMemoryMiB?: number;
}

/** A complete, validated placement policy, from compilePlacementPolicy. */
export interface PlacementPolicy {
  readonly cpuOvercommit: number;
  readonly memoryOvercommit: number;
  readonly diskOvercommit: number;
  readonly reservedMemoryMiB: number;
}

/** Fills defaults and validates, once at start-up: ratios must be finite and positive, the reserve a non-negative integer. */
export function compilePlacementPolicy(options: PlacementPolicyOptions = {}): PlacementPolicy {
  return assertPlacementPolicy({
    cpuOvercommit: options.cpuOvercommit ?? 4,
    memoryOvercommit: options.memoryOvercommit ?? 1,
    diskOvercommit: options.diskOvercommit ?? 1,
    reservedMemoryMiB: options.reservedMemoryMiB ?? 0,
  });
}

/** The policy used when nothing is configured: 4 vCPUs per core, no memory or disk overcommit, no reserve. */
export const DEFAULT_PLACEMENT_POLICY: PlacementPolicy = Object.freeze(compilePlacementPolicy());

/**
 * Checks a policy that may have been built by hand rather than compiled; cheap enough to
 * run on every placement.
 */
export function assertPlacementPolicy(policy: PlacementPolicy): PlacementPolicy {
  for (const field of ["cpuOvercommit", "memoryOvercommit", "diskOvercommit"] as const) {
    const value = policy[field];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new InvalidPlacementPolicyError(field, value, "must be a finite number greater than 0");
    }
  }
  const reserve = policy.reservedMemoryMiB;
  if (!Number.isSafeInteger(reserve) || reserve < 0) {
    throw new InvalidPlacementPolicyError("reservedMemoryMiB", reserve, "must be a non-negative integer");
  }
  return policy;
}
