import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  checkIpv4Pool,
  formatIpv4,
  newId,
  parseIpv4,
  poolSize,
  rangesOverlap,
  requireProviderAdmin,
} from "@layerboom/core";
import type { Ipv4PoolInput } from "@layerboom/core";
import type { IpPoolRow } from "@layerboom/db";
import { sql } from "kysely";
import { recordAudit } from "../base/audit.js";
import { getSite } from "../catalog/catalog.js";
import type { ServiceContext } from "../base/context.js";

// A site's IPv4 pools (docs/networking.md). Only the provider's admins see and change them:
// customers see the addresses their servers hold, not the provider's address plan.

/** Linux interface names: at most 15 characters, no slash or space. */
const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

export interface IpPoolInput extends Ipv4PoolInput {
  bridge: string;
}

/** A pool with how many of its addresses are held now. */
export type IpPoolView = IpPoolRow & { size: number; in_use: number };

function poolQuery(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("ip_pools")
    .selectAll("ip_pools")
    .select(
      sql<number>`(SELECT count(*)::int FROM ip_addresses a WHERE a.pool_id = ip_pools.id AND a.released_at IS NULL)`.as(
        "in_use",
      ),
    );
}

function view(row: IpPoolRow & { in_use: number }): IpPoolView {
  const pool = {
    first: parseIpv4(row.first_address)!,
    last: parseIpv4(row.last_address)!,
    gateway: parseIpv4(row.gateway)!,
  };
  return { ...row, size: poolSize(pool), in_use: Number(row.in_use) };
}

export async function listIpPools(ctx: ServiceContext, siteId: string): Promise<IpPoolView[]> {
  requireProviderAdmin(ctx.principal, "see IPv4 pools");
  const site = await getSite(ctx, siteId);
  const rows = await poolQuery(ctx).where("site_id", "=", site.id).orderBy("id").execute();
  return rows.map(view);
}

/**
 * Adds a pool to a site. Every pool of a site names the same bridge (placement requires it on
 * the host), and no two pools anywhere hand out the same address.
 */
export async function createIpPool(
  ctx: ServiceContext,
  siteId: string,
  input: IpPoolInput,
): Promise<IpPoolView> {
  requireProviderAdmin(ctx.principal, "add IPv4 pools");
  const site = await getSite(ctx, siteId);
  const checked = checkIpv4Pool(input);
  if (!BRIDGE_NAME.test(input.bridge)) {
    throw new InvalidInputError(
      "bridge",
      `"${input.bridge}" is not a Linux bridge name (1 to 15 of A-Z a-z 0-9 _ . -).`,
    );
  }
  const id = newId("ipPool");
  await ctx.database.db.transaction().execute(async (trx) => {
    // Pools are few; one lock on the site's row serialises concurrent adds for the overlap check.
    await trx.selectFrom("sites").select("id").where("id", "=", site.id).forUpdate().execute();
    for (const other of await trx.selectFrom("ip_pools").selectAll().execute()) {
      const range = { first: parseIpv4(other.first_address)!, last: parseIpv4(other.last_address)! };
      if (rangesOverlap(range, checked)) {
        throw new ConflictError(
          `The range overlaps pool ${other.id} (${other.first_address} to ${other.last_address}).`,
          { field: "first_address" },
        );
      }
      if (other.site_id === site.id && other.bridge !== input.bridge) {
        throw new ConflictError(
          `Site ${site.id}'s pools are on bridge ${other.bridge}; every pool of a site uses the same bridge.`,
          { field: "bridge" },
        );
      }
    }
    await trx
      .insertInto("ip_pools")
      .values({
        id,
        site_id: site.id,
        cidr: checked.cidr,
        gateway: formatIpv4(checked.gateway),
        first_address: formatIpv4(checked.first),
        last_address: formatIpv4(checked.last),
        bridge: input.bridge,
        nameservers: JSON.stringify(checked.nameservers),
      })
      .execute();
    await recordAudit(trx, ctx, {
      action: "ip_pool.create",
      resourceType: "ip_pool",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: {
        site_id: site.id,
        cidr: checked.cidr,
        first: formatIpv4(checked.first),
        last: formatIpv4(checked.last),
      },
    });
  });
  return getIpPool(ctx, id);
}

/** Pools are the provider's address plan: to everyone else they do not exist. */
export async function getIpPool(ctx: ServiceContext, id: string): Promise<IpPoolView> {
  if (ctx.principal.role !== "provider-admin") throw new NotFoundError("ip_pool", id);
  const row = await poolQuery(ctx).where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("ip_pool", id);
  return view(row);
}

/** Removes a pool none of whose addresses is held (released ones in quarantine go with it). */
export async function deleteIpPool(ctx: ServiceContext, id: string): Promise<IpPoolView> {
  const pool = await getIpPool(ctx, id);
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx.selectFrom("ip_pools").select("id").where("id", "=", id).forUpdate().execute();
    const held = await trx
      .selectFrom("ip_addresses")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("pool_id", "=", id)
      .where("released_at", "is", null)
      .executeTakeFirstOrThrow();
    if (Number(held.n) > 0) {
      throw new ConflictError(
        `Pool ${id} still has ${held.n} address(es) held by servers; delete or move them first.`,
      );
    }
    await trx.deleteFrom("ip_addresses").where("pool_id", "=", id).execute();
    await trx.deleteFrom("ip_pools").where("id", "=", id).execute();
    await recordAudit(trx, ctx, {
      action: "ip_pool.delete",
      resourceType: "ip_pool",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { site_id: pool.site_id, cidr: pool.cidr },
    });
  });
  return pool;
}
