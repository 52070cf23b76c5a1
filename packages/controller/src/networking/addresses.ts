import { InsufficientCapacityError, formatIpv4, lowestFreeAddress, parseIpv4 } from "@layerboom/core";
import type { DesiredNetwork } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { openAddonInterval } from "../metering/addons.js";

// The IPv4 addresses servers hold (docs/networking.md). Allocation and release happen inside
// the transaction that changes the server, so a crash keeps both or neither; the extra-address
// add-on's billing interval opens and closes in that same transaction.

/**
 * How long a released address stays out of circulation. The old guest keeps answering on it
 * until it reboots, and routers and neighbours cache it; a day is what most providers wait.
 */
export const ADDRESS_QUARANTINE_MS = 24 * 3_600_000;

/** Extra addresses one server may hold. */
export const MAX_EXTRA_IPV4 = 16;

/** One address a server holds, as the API shows it. */
export interface ServerIpv4 {
  address: string;
  role: "primary" | "extra";
  prefix: number;
  gateway: string;
}

/** The bridge of a site's pools, or undefined when the site has none (user-mode networking). */
export async function bridgeOfSite(trx: Kysely<Schema>, siteId: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom("ip_pools")
    .select("bridge")
    .where("site_id", "=", siteId)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
  return row?.bridge;
}

/** Addresses chosen for a server but not yet recorded. */
export interface PickedAddress {
  pool_id: string;
  address: string;
}

/**
 * Chooses `count` free addresses of a site's pools, lowest first, pool by pool, and locks the
 * pools' rows until the transaction ends, so concurrent allocations in a site take turns and
 * what was picked is still free when {@link holdAddresses} records it (the (pool, address)
 * primary key would refuse a double allocation anyway). Throws 409 (insufficient capacity,
 * `ipv4`) when the site's pools cannot supply them all, before anything was written.
 */
export async function pickAddresses(
  trx: Kysely<Schema>,
  siteId: string,
  count: number,
  now: Date,
): Promise<PickedAddress[]> {
  if (count === 0) return [];
  const pools = await trx
    .selectFrom("ip_pools")
    .selectAll()
    .where("site_id", "=", siteId)
    .orderBy("id")
    .forUpdate()
    .execute();
  const cutoff = new Date(now.getTime() - ADDRESS_QUARANTINE_MS);
  const picked: PickedAddress[] = [];
  for (const pool of pools) {
    // Addresses out of quarantine are free again: their old rows go.
    await trx
      .deleteFrom("ip_addresses")
      .where("pool_id", "=", pool.id)
      .where("released_at", "<=", cutoff)
      .execute();
    const taken = new Set(
      (await trx.selectFrom("ip_addresses").select("address").where("pool_id", "=", pool.id).execute()).map(
        (r) => parseIpv4(r.address)!,
      ),
    );
    const range = {
      first: parseIpv4(pool.first_address)!,
      last: parseIpv4(pool.last_address)!,
      gateway: parseIpv4(pool.gateway)!,
    };
    while (picked.length < count) {
      const next = lowestFreeAddress(range, taken);
      if (next === undefined) break;
      taken.add(next);
      picked.push({ pool_id: pool.id, address: formatIpv4(next) });
    }
    if (picked.length === count) break;
  }
  if (picked.length < count) {
    throw new InsufficientCapacityError(
      pools.length === 0
        ? `Site ${siteId} has no public IPv4 pool; its servers use private networking.`
        : `Site ${siteId} has no free IPv4 address left for ${count} more.`,
      ["ipv4"],
    );
  }
  return picked;
}

/** Records picked addresses as the server's; extra ones open their billing interval. */
export async function holdAddresses(
  trx: Kysely<Schema>,
  server: { id: string; account_id: string; plan_id: string },
  role: "primary" | "extra",
  picked: readonly PickedAddress[],
  now: Date,
): Promise<void> {
  if (picked.length === 0) return;
  await trx
    .insertInto("ip_addresses")
    .values(
      picked.map((p) => ({
        ...p,
        server_id: server.id,
        account_id: server.account_id,
        role,
        allocated_at: now,
        released_at: null,
      })),
    )
    .execute();
  if (role === "extra") {
    for (const p of picked) await openAddonInterval(trx, server, "ipv4", now, p.address);
  }
}

/** Releases every address a server holds (its delete is confirmed); they enter quarantine. */
export async function releaseServerAddresses(
  trx: Kysely<Schema>,
  serverId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable("ip_addresses")
    .set({ released_at: now })
    .where("server_id", "=", serverId)
    .where("released_at", "is", null)
    .execute();
}

/** The addresses some servers hold, primary first, keyed by server. */
export async function addressesOfServers(
  db: Kysely<Schema>,
  serverIds: readonly string[],
): Promise<Map<string, ServerIpv4[]>> {
  const byServer = new Map<string, ServerIpv4[]>();
  if (serverIds.length === 0) return byServer;
  const rows = await db
    .selectFrom("ip_addresses")
    .innerJoin("ip_pools", "ip_pools.id", "ip_addresses.pool_id")
    .select([
      "ip_addresses.server_id",
      "ip_addresses.address",
      "ip_addresses.role",
      "ip_pools.cidr",
      "ip_pools.gateway",
    ])
    .where("ip_addresses.server_id", "in", serverIds)
    .where("ip_addresses.released_at", "is", null)
    .orderBy("ip_addresses.server_id")
    .orderBy("ip_addresses.role", "desc")
    .orderBy(sql`ip_addresses.address::inet`)
    .execute();
  for (const r of rows) {
    const list = byServer.get(r.server_id) ?? [];
    list.push({ address: r.address, role: r.role, prefix: Number(r.cidr.split("/")[1]), gateway: r.gateway });
    byServer.set(r.server_id, list);
  }
  return byServer;
}

/** The network part of a server's desired state, or undefined for user-mode networking. */
export function desiredNetworkOf(
  tap: string,
  bridge: string | undefined,
  addresses: readonly ServerIpv4[] | undefined,
  nameservers: readonly string[],
): DesiredNetwork | undefined {
  if (!bridge || !addresses || addresses.length === 0) return undefined;
  return {
    bridge,
    tap,
    ipv4: addresses.map((a) => `${a.address}/${a.prefix}`),
    gateway4: addresses[0]!.gateway,
    nameservers: [...nameservers],
  };
}
