import {
  DEFAULT_PLACEMENT_POLICY,
  InsufficientCapacityError,
  PlacementShortageError,
  fitsOn,
  placeServer,
} from "@layerboom/core";
import type { HostCapacity, PlacementPolicy, ResourceAmounts } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { sql } from "kysely";

/** The capacity index of a site (or one host): what each host reported and what its servers reserve. */
async function capacityOf(
  db: Kysely<Schema>,
  where: { siteId: string } | { hostId: string },
  bridge?: string,
): Promise<HostCapacity[]> {
  let q = db
    .selectFrom("hosts")
    .leftJoin("servers", (join) =>
      join.onRef("servers.host_id", "=", "hosts.id").on("servers.deleted_at", "is", null),
    )
    .leftJoin("plans", "plans.id", "servers.plan_id")
    .innerJoin("sites", "sites.id", "hosts.site_id")
    .select([
      "hosts.id",
      "hosts.site_id",
      "sites.jurisdiction",
      "hosts.state",
      "hosts.cpu_cores",
      "hosts.memory_mib",
      "hosts.disk_gib",
      sql<string>`coalesce(sum(plans.vcpus), 0)`.as("used_vcpus"),
      sql<string>`coalesce(sum(plans.memory_mib), 0)`.as("used_memory_mib"),
      sql<string>`coalesce(sum(plans.disk_gib), 0)`.as("used_disk_gib"),
      sql<string>`count(servers.id)`.as("used_servers"),
    ])
    .where("hosts.state", "!=", "removed")
    .groupBy(["hosts.id", "sites.jurisdiction"]);
  q =
    "siteId" in where ? q.where("hosts.site_id", "=", where.siteId) : q.where("hosts.id", "=", where.hostId);
  // A server with a public address needs a host whose agent offers the pool's bridge.
  if (bridge !== undefined) q = q.where(sql<boolean>`hosts.bridges @> ${JSON.stringify([bridge])}::jsonb`);
  const rows = await q.execute();
  return rows.map((r) => ({
    hostId: r.id,
    siteId: r.site_id,
    jurisdiction: r.jurisdiction,
    state: r.state,
    cores: r.cpu_cores,
    memoryMiB: r.memory_mib,
    diskGiB: r.disk_gib,
    used: {
      vcpus: Number(r.used_vcpus),
      memoryMiB: Number(r.used_memory_mib),
      diskGiB: Number(r.used_disk_gib),
      servers: Number(r.used_servers),
    },
  }));
}

/** What constrains an allocation besides the site and the plan's size. */
export interface AllocationOptions {
  policy?: PlacementPolicy | undefined;
  /** The bridge the server's public address lives on; only hosts offering it qualify. */
  bridge?: string | undefined;
  /** The account's required jurisdictions, as read in this transaction (docs/placement.md). */
  requiredJurisdictions?: readonly string[] | undefined;
}

/**
 * Chooses a host for a new server inside the caller's transaction, so that the server row
 * inserted next commits together with the choice. Ranking reads a possibly stale index;
 * each candidate is then locked (`FOR UPDATE` on its host row, which every allocator on
 * that host takes) and re-checked against reservations committed meanwhile. Concurrent
 * creates racing for the last slot therefore serialise on the row, and the losers see the
 * winner's server and get a 409 that names what is short. A site outside the account's
 * required jurisdictions is refused by core's placeServer (ResidencyViolationError, 422).
 */
export async function allocateHost(
  trx: Kysely<Schema>,
  siteId: string,
  need: ResourceAmounts,
  options: AllocationOptions = {},
): Promise<string> {
  const { policy = DEFAULT_PLACEMENT_POLICY, bridge, requiredJurisdictions } = options;
  for (let attempt = 0; attempt < 3; attempt++) {
    const hosts = await capacityOf(trx, { siteId }, bridge);
    if (bridge !== undefined && hosts.length === 0) {
      throw new InsufficientCapacityError(
        `No host of site ${siteId} offers bridge ${bridge}, which the site's IPv4 pool needs (layerboom agent --bridge ${bridge}).`,
        ["hosts"],
      );
    }
    const result = placeServer(hosts, { siteId, ...need, requiredJurisdictions }, policy);
    if (!result.ok) throw new PlacementShortageError(result.shortage);
    for (const candidate of result.ranked) {
      await trx.selectFrom("hosts").select("id").where("id", "=", candidate.hostId).forUpdate().execute();
      const [fresh] = await capacityOf(trx, { hostId: candidate.hostId }, bridge);
      if (fresh?.state === "up" && fitsOn(fresh, need, policy).fits) return candidate.hostId;
    }
    // Every candidate filled up while we ranked them; rank again on what is committed now.
  }
  throw new InsufficientCapacityError(`Hosts in site ${siteId} keep filling up; try again.`, ["hosts"]);
}
