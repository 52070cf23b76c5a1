import { normaliseLowerIsBetter } from "../energy/weighers.js";
import type { HostCapacity, ResourceAmounts } from "./capacity.js";
import { assertHostCapacity, assertResourceRequest, shortOn, unsafeFreeCapacity } from "./capacity.js";
import {
  InvalidHostCapacityError,
  InvalidPlacementPolicyError,
  InvalidPlacementRequestError,
} from "./errors.js";
import { ResidencyViolationError, isJurisdictionCode, residencyAllows } from "../residency/residency.js";
import type { PlacementPolicy } from "./policy.js";
import { assertPlacementPolicy } from "./policy.js";
import type { PlacementShortage, SiteHostCounts } from "./shortage.js";
import { insufficientCapacity, noEligibleHost } from "./shortage.js";

/** `spread` balances load across hosts; `pack` fills the fullest host that still fits. */
export type PlacementStrategy = "spread" | "pack";

/** What a new server needs, and where. */
export interface PlacementRequest extends ResourceAmounts {
  readonly siteId: string;
  /** Default `spread`. */
  readonly strategy?: PlacementStrategy;
  /** Hosts the server must not land on, such as those of its anti-affinity group. */
  readonly avoidHostIds?: readonly string[];
  /**
   * The account's required jurisdictions (docs/placement.md): the site's hosts must lie
   * within one of them. Empty or absent: no requirement.
   */
  readonly requiredJurisdictions?: readonly string[];
}

/** Hooks for weighers beyond the strategy. */
export interface PlacementOptions {
  /**
   * Extra scores by host id, lower is better, added to the strategy's score (which lies in
   * [0, 1]); for example an energy weigher's output re-keyed by host. A host missing from
   * the map adds 0. Scores must be finite.
   */
  readonly extraScores?: ReadonlyMap<string, number>;
}

/**
 * Candidate hosts best first, or why there is none. The caller locks each candidate in
 * turn and re-checks it with fitsOn, since the capacity it was ranked on may be stale.
 */
export type PlacementResult =
  | { readonly ok: true; readonly ranked: HostCapacity[] }
  | { readonly ok: false; readonly shortage: PlacementShortage };

const STRATEGIES: readonly PlacementStrategy[] = ["spread", "pack"];

/**
 * Placement v1. Filters the hosts by site, state `up`, anti-affinity and fit, in that
 * order, then ranks the rest by the strategy's memory weigher plus any extra scores. Ties
 * go to fewer servers (spread) or more servers (pack), then to the smaller host id, so
 * the ranking depends only on the set of hosts, not their order. Host ids must be unique.
 * A site outside the request's required jurisdictions is refused outright with
 * ResidencyViolationError, never reported as a shortage: no capacity would make it allowed.
 */
export function placeServer(
  hosts: readonly HostCapacity[],
  request: PlacementRequest,
  policy: PlacementPolicy,
  options: PlacementOptions = {},
): PlacementResult {
  assertPlacementRequest(request);
  assertPlacementPolicy(policy);
  const seen = new Set<string>();
  for (const host of hosts) {
    assertHostCapacity(host);
    if (seen.has(host.hostId)) {
      throw new InvalidHostCapacityError(host.hostId, "hostId", "appears more than once");
    }
    seen.add(host.hostId);
  }
  const extra = options.extraScores ?? new Map<string, number>();
  for (const [hostId, score] of extra) {
    if (!Number.isFinite(score)) {
      throw new InvalidPlacementPolicyError(`extraScores[${hostId}]`, score, "must be finite");
    }
  }

  const inSite = hosts.filter((h) => h.siteId === request.siteId && h.state !== "removed");
  const required = request.requiredJurisdictions ?? [];
  const outside = inSite.find((h) => !residencyAllows(required, h.jurisdiction));
  if (outside) throw new ResidencyViolationError(required, request.siteId, outside.jurisdiction ?? "");
  const up = inSite.filter((h) => h.state === "up");
  const avoid = new Set(request.avoidHostIds ?? []);
  const eligible = up.filter((h) => !avoid.has(h.hostId));
  const counts: SiteHostCounts = {
    inSite: inSite.length,
    up: up.length,
    down: inSite.filter((h) => h.state === "down").length,
    pending: inSite.filter((h) => h.state === "pending").length,
    avoided: up.length - eligible.length,
  };
  if (eligible.length === 0) return { ok: false, shortage: noEligibleHost(request.siteId, request, counts) };

  const free = new Map(eligible.map((h) => [h.hostId, unsafeFreeCapacity(h, policy)]));
  const freeOf = (h: HostCapacity) => free.get(h.hostId)!;
  const fitting = eligible.filter((h) => shortOn(freeOf(h), request).fits);
  if (fitting.length === 0) {
    return { ok: false, shortage: insufficientCapacity(request.siteId, request, counts, [...free.values()]) };
  }

  const spread = (request.strategy ?? "spread") === "spread";
  const memoryScores = normaliseLowerIsBetter(
    new Map(fitting.map((h) => [h.hostId, spread ? -freeOf(h).memoryMiB : freeOf(h).memoryMiB])),
  );
  const score = new Map(
    fitting.map((h) => [h.hostId, memoryScores.get(h.hostId)! + (extra.get(h.hostId) ?? 0)]),
  );
  const ranked = [...fitting].sort(
    (a, b) =>
      score.get(a.hostId)! - score.get(b.hostId)! ||
      (spread ? a.used.servers - b.used.servers : b.used.servers - a.used.servers) ||
      (a.hostId < b.hostId ? -1 : a.hostId > b.hostId ? 1 : 0),
  );
  return { ok: true, ranked };
}

function assertPlacementRequest(request: PlacementRequest): void {
  if (typeof request.siteId !== "string" || request.siteId === "") {
    throw new InvalidPlacementRequestError("siteId", "must be a non-empty string");
  }
  assertResourceRequest(request);
  if (request.strategy !== undefined && !STRATEGIES.includes(request.strategy)) {
    throw new InvalidPlacementRequestError("strategy", `must be one of ${STRATEGIES.join(", ")}`);
  }
  const avoid: unknown = request.avoidHostIds;
  if (avoid !== undefined && !(Array.isArray(avoid) && avoid.every((id) => typeof id === "string"))) {
    throw new InvalidPlacementRequestError("avoidHostIds", "must be an array of host ids");
  }
  const required: unknown = request.requiredJurisdictions;
  if (required !== undefined && !(Array.isArray(required) && required.every(isJurisdictionCode))) {
    throw new InvalidPlacementRequestError("requiredJurisdictions", "must be an array of ISO 3166 codes");
  }
}
