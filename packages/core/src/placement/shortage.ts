import type { PlacementResource, ResourceAmounts } from "./capacity.js";
import { PLACEMENT_RESOURCES } from "./capacity.js";

/** Why no host was found, from the first filter that left nothing. */
export type PlacementShortageReason =
  "no-host-in-site" | "no-host-up" | "all-hosts-avoided" | "insufficient-capacity";

/** The numbers behind a shortage, for logs and API error details. */
export interface PlacementShortageDetails {
  readonly siteId: string;
  readonly requested: ResourceAmounts;
  /** Hosts of the site that are not removed. */
  readonly hostsInSite: number;
  readonly hostsUp: number;
  /** Up hosts skipped for anti-affinity. */
  readonly hostsAvoided: number;
  /**
   * The most of each resource free on any eligible host (up, in the site, not avoided),
   * floored at 0; the maxima may come from different hosts. Absent when no host was eligible.
   */
  readonly largestFree?: ResourceAmounts;
}

/** Why a server cannot be placed, in a form the API can answer 409 with. */
export interface PlacementShortage {
  readonly reason: PlacementShortageReason;
  /**
   * Resources that no eligible host has enough of, in the order cores, memory, disk.
   * Empty when no host was eligible, and when each resource fits somewhere but no single
   * host has all of them; the message says which.
   */
  readonly short: readonly PlacementResource[];
  /** One or two sentences for a person, naming the site, the request and what is short. */
  readonly message: string;
  readonly details: PlacementShortageDetails;
}

/** Host counts per state in the site, used to explain why nothing was eligible. */
export interface SiteHostCounts {
  readonly inSite: number;
  readonly up: number;
  readonly down: number;
  readonly pending: number;
  readonly avoided: number;
}

const UNITS: Record<PlacementResource, string> = { cores: "vCPU", memory: "MiB", disk: "GiB" };

function amount(resource: PlacementResource, value: number): string {
  return `${value} ${UNITS[resource]}`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

function describeRequest(request: ResourceAmounts): string {
  return PLACEMENT_RESOURCES.map(({ resource, field }) => amount(resource, request[field])).join(" / ");
}

/** The shortage when some filter before the capacity check left no host. */
export function noEligibleHost(
  siteId: string,
  request: ResourceAmounts,
  counts: SiteHostCounts,
): PlacementShortage {
  const head = `No host in site ${siteId} can take ${describeRequest(request)}`;
  let reason: PlacementShortageReason;
  let why: string;
  if (counts.inSite === 0) {
    reason = "no-host-in-site";
    why = "the site has no hosts";
  } else if (counts.up === 0) {
    reason = "no-host-up";
    const states = [
      counts.down > 0 ? `${counts.down} down` : "",
      counts.pending > 0 ? `${counts.pending} pending` : "",
    ].filter(Boolean);
    why = `${counts.inSite === 1 ? "its only host is not up" : `none of its ${counts.inSite} hosts is up`} (${states.join(", ")})`;
  } else {
    reason = "all-hosts-avoided";
    why =
      counts.up === 1
        ? "its only up host is excluded by anti-affinity"
        : `all ${counts.up} of its up hosts are excluded by anti-affinity`;
  }
  return {
    reason,
    short: [],
    message: `${head}: ${why}.`,
    details: {
      siteId,
      requested: pick(request),
      hostsInSite: counts.inSite,
      hostsUp: counts.up,
      hostsAvoided: counts.avoided,
    },
  };
}

/**
 * The shortage when eligible hosts exist but none has room. `free` is each eligible
 * host's free capacity; it must not be empty.
 */
export function insufficientCapacity(
  siteId: string,
  request: ResourceAmounts,
  counts: SiteHostCounts,
  free: readonly ResourceAmounts[],
): PlacementShortage {
  const largest = (field: keyof ResourceAmounts) => Math.max(0, ...free.map((f) => f[field]));
  const largestFree: ResourceAmounts = {
    vcpus: largest("vcpus"),
    memoryMiB: largest("memoryMiB"),
    diskGiB: largest("diskGiB"),
  };
  const shortOnes = PLACEMENT_RESOURCES.filter(({ field }) => largestFree[field] < request[field]);
  const head = `No host in site ${siteId} has room for ${describeRequest(request)}`;
  const why =
    shortOnes.length > 0
      ? `short of ${listing(shortOnes.map(({ resource, field }) => `${resource} (largest free ${amount(resource, largestFree[field])})`))}`
      : `each resource is free on some host, but no single host has all of them (largest free ${PLACEMENT_RESOURCES.map(
          ({ resource, field }) => amount(resource, largestFree[field]),
        ).join(", ")}, on different hosts)`;
  const avoided =
    counts.avoided > 0
      ? ` ${plural(counts.avoided, "up host", "up hosts")} excluded by anti-affinity ${counts.avoided === 1 ? "was" : "were"} not considered.`
      : "";
  return {
    reason: "insufficient-capacity",
    short: shortOnes.map((r) => r.resource),
    message: `${head}: ${why}.${avoided}`,
    details: {
      siteId,
      requested: pick(request),
      hostsInSite: counts.inSite,
      hostsUp: counts.up,
      hostsAvoided: counts.avoided,
      largestFree,
    },
  };
}

function pick(request: ResourceAmounts): ResourceAmounts {
  return { vcpus: request.vcpus, memoryMiB: request.memoryMiB, diskGiB: request.diskGiB };
}
