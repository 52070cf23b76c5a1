import { InvalidHostCapacityError, InvalidPlacementRequestError } from "./errors.js";
import type { PlacementPolicy } from "./policy.js";
import { assertPlacementPolicy } from "./policy.js";

/** Life-cycle state of a host, as stored; only `up` hosts take new servers. */
export type HostState = "pending" | "up" | "down" | "removed";

/** The resources placement accounts for, as named in shortages and API errors. */
export type PlacementResource = "cores" | "memory" | "disk";

/** Amounts of the placed resources: vCPUs, memory in MiB, disk in GiB. */
export interface ResourceAmounts {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
}

/** One host as placement sees it: what it reported, and what its non-deleted servers reserve. */
export interface HostCapacity {
  readonly hostId: string;
  readonly siteId: string;
  /** The site's jurisdiction label ("CA-QC"); absent or empty when the site has none. */
  readonly jurisdiction?: string;
  readonly state: HostState;
  /** Physical cores the host reported. */
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** Reservations of the host's servers that are not deleted, and how many there are. */
  readonly used: ResourceAmounts & { readonly servers: number };
}

/** Whether a server fits on a host, and if not, which resources are short. */
export interface FitResult {
  readonly fits: boolean;
  /** In the fixed order cores, memory, disk; empty when it fits. */
  readonly short: PlacementResource[];
}

const HOST_STATES: readonly HostState[] = ["pending", "up", "down", "removed"];

/** The resources in the order shortages list them, with the request field each is measured by. */
export const PLACEMENT_RESOURCES: readonly {
  readonly resource: PlacementResource;
  readonly field: keyof ResourceAmounts;
}[] = [
  { resource: "cores", field: "vcpus" },
  { resource: "memory", field: "memoryMiB" },
  { resource: "disk", field: "diskGiB" },
];

/**
 * Scales by an overcommit ratio and rounds down. Rounding the product to 15 significant
 * digits first undoes binary noise such as 100 * 0.57 = 56.99999999999999, which would
 * otherwise cost a host a whole unit.
 */
function scaled(amount: number, ratio: number): number {
  return Math.floor(Number((amount * ratio).toPrecision(15)));
}

/**
 * What a host can still sell under a policy: its overcommitted capacity less its
 * reservations. Negative when a stricter policy leaves it overcommitted.
 */
export function freeCapacity(host: HostCapacity, policy: PlacementPolicy): ResourceAmounts {
  assertHostCapacity(host);
  assertPlacementPolicy(policy);
  return unsafeFreeCapacity(host, policy);
}

/** freeCapacity without validation, for callers that validated already. */
export function unsafeFreeCapacity(host: HostCapacity, policy: PlacementPolicy): ResourceAmounts {
  const sellableMemory = Math.max(0, host.memoryMiB - policy.reservedMemoryMiB);
  return {
    vcpus: scaled(host.cores, policy.cpuOvercommit) - host.used.vcpus,
    memoryMiB: scaled(sellableMemory, policy.memoryOvercommit) - host.used.memoryMiB,
    diskGiB: scaled(host.diskGiB, policy.diskOvercommit) - host.used.diskGiB,
  };
}

/**
 * Whether `request` fits in the free capacity of `host`. Looks at resources only, not at
 * the host's state or site: the controller calls it again on the locked host row inside
 * its allocation transaction, where it checks the state itself.
 */
export function fitsOn(host: HostCapacity, request: ResourceAmounts, policy: PlacementPolicy): FitResult {
  assertHostCapacity(host);
  assertResourceRequest(request);
  assertPlacementPolicy(policy);
  return shortOn(unsafeFreeCapacity(host, policy), request);
}

/** Compares free capacity with a request. */
export function shortOn(free: ResourceAmounts, request: ResourceAmounts): FitResult {
  const short = PLACEMENT_RESOURCES.filter(({ field }) => free[field] < request[field]).map(
    (r) => r.resource,
  );
  return { fits: short.length === 0, short };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/** Throws InvalidHostCapacityError unless the host row is well formed. */
export function assertHostCapacity(host: HostCapacity): void {
  const id: unknown = host.hostId;
  if (typeof id !== "string" || id === "") {
    throw new InvalidHostCapacityError(String(id), "hostId", "must be a non-empty string");
  }
  if (typeof host.siteId !== "string" || host.siteId === "") {
    throw new InvalidHostCapacityError(id, "siteId", "must be a non-empty string");
  }
  if (host.jurisdiction !== undefined && typeof host.jurisdiction !== "string") {
    throw new InvalidHostCapacityError(id, "jurisdiction", "must be a string when given");
  }
  if (!HOST_STATES.includes(host.state)) {
    throw new InvalidHostCapacityError(id, "state", `must be one of ${HOST_STATES.join(", ")}`);
  }
  for (const field of ["cores", "memoryMiB", "diskGiB"] as const) {
    if (!isCount(host[field]))
      throw new InvalidHostCapacityError(id, field, "must be a non-negative integer");
  }
  if (typeof host.used !== "object" || host.used === null) {
    throw new InvalidHostCapacityError(id, "used", "must be an object");
  }
  for (const field of ["vcpus", "memoryMiB", "diskGiB", "servers"] as const) {
    if (!isCount(host.used[field])) {
      throw new InvalidHostCapacityError(id, `used.${field}`, "must be a non-negative integer");
    }
  }
}

/** Throws InvalidPlacementRequestError unless every amount is a positive integer. */
export function assertResourceRequest(request: ResourceAmounts): void {
  for (const { field } of PLACEMENT_RESOURCES) {
    const value = request[field];
    if (!(Number.isSafeInteger(value) && value > 0)) {
      throw new InvalidPlacementRequestError(field, `must be a positive integer, got ${String(value)}`);
    }
  }
}
