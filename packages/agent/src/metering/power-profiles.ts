import { UnknownPowerProfileError } from "./errors.js";

/**
 * Whole-server power at the 11 SPECpower_ssj2008 load levels (0 % = active idle, 10 %, …, 100 %).
 * Edit or extend the table for your hardware; measured numbers always beat these.
 */
export interface PowerProfile {
  readonly id: string;
  readonly description: string;
  /** Watts at 0 %, 10 %, …, 100 % CPU utilisation (11 values, non-decreasing). */
  readonly wattsAtLoad: readonly number[];
}

/**
 * Generic profiles. APPROXIMATIONS: rounded shapes typical of published SPECpower results for each
 * class of machine, not measurements of any product. Energy from them is reported as an estimate.
 */
export const GENERIC_POWER_PROFILES: readonly PowerProfile[] = [
  {
    id: "generic-mini-pc",
    description: "Approximation: mini PC / homelab node, 4–8 cores, one SSD",
    wattsAtLoad: [12, 20, 25, 29, 33, 37, 41, 46, 51, 57, 65],
  },
  {
    id: "generic-1s-entry",
    description: "Approximation: single-socket entry server, 8–16 cores, 2–4 drives",
    wattsAtLoad: [45, 60, 70, 79, 88, 97, 107, 118, 130, 143, 155],
  },
  {
    id: "generic-2s-1u",
    description: "Approximation: dual-socket 1U mainstream server, 2 × 16–32 cores",
    wattsAtLoad: [110, 150, 175, 200, 225, 250, 275, 300, 325, 355, 380],
  },
  {
    id: "generic-2s-high-core",
    description: "Approximation: dual-socket high-core-count server, 2 × 64 cores or more",
    wattsAtLoad: [200, 290, 345, 400, 455, 510, 560, 610, 660, 705, 750],
  },
  {
    id: "generic-1s-arm",
    description: "Approximation: single-socket Arm server, 64–128 cores",
    wattsAtLoad: [90, 120, 140, 160, 180, 200, 220, 240, 260, 280, 300],
  },
];

/** Looks a profile up by id in a table (the generic one by default). */
export function findPowerProfile(
  id: string,
  table: readonly PowerProfile[] = GENERIC_POWER_PROFILES,
): PowerProfile {
  const p = table.find((x) => x.id === id);
  if (p === undefined) throw new UnknownPowerProfileError(id);
  return p;
}

/** Piecewise-linear power in watts at a utilisation in [0, 1]. */
export function wattsAt(profile: PowerProfile, utilisation: number): number {
  const points = profile.wattsAtLoad;
  const u = Math.min(1, Math.max(0, utilisation)) * (points.length - 1);
  const i = Math.min(points.length - 2, Math.floor(u));
  const lo = points[i] ?? 0;
  const hi = points[i + 1] ?? lo;
  return lo + (hi - lo) * (u - i);
}

/** Idle energy of a profile over an interval, in integer µJ: the attribution rule's idle estimate. */
export function idleEnergyMicrojoules(profile: PowerProfile, intervalMs: number): number {
  return Math.round((profile.wattsAtLoad[0] ?? 0) * intervalMs * 1000);
}
