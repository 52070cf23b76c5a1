import { ConflictError, InvalidInputError, NotFoundError, parseIpv4 } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { closeAddonInterval } from "../metering/addons.js";
import { getAccount } from "../accounts/accounts.js";
import { MAX_EXTRA_IPV4, addressesOfServers, holdAddresses, pickAddresses } from "./addresses.js";
import type { ServerIpv4 } from "./addresses.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { serverInScope, touchServer } from "../base/servers-in-scope.js";

// A customer adds or gives back an extra address of an existing server (the extra-IPv4
// add-on). Kept apart from addresses.ts, which the server service uses to allocate at create,
// so that the two services do not import each other.

/** What adding or releasing an address answers. */
export interface AddressChange {
  address: string;
  role: "extra";
  /** The guest configures a changed list at its next boot (docs/networking.md). */
  applies_on_reboot: true;
  addresses: ServerIpv4[];
}

async function lockLiveServer(trx: Kysely<Schema>, serverId: string) {
  const row = await trx
    .selectFrom("servers")
    .select(["id", "account_id", "site_id", "plan_id", "desired_state", "host_id"])
    .where("id", "=", serverId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError("server", serverId);
  if (row.desired_state === "deleted") throw new ConflictError(`Server ${serverId} is being deleted.`);
  return row;
}

/** Gives a server one more public address (the extra-IPv4 add-on, billed from now). */
export async function addExtraIpv4(ctx: ServiceContext, serverId: string): Promise<AddressChange> {
  const visible = await serverInScope(ctx, serverId);
  const account = await getAccount(ctx, visible.account_id);
  const now = new Date();
  const address = await ctx.database.db.transaction().execute(async (trx) => {
    const server = await lockLiveServer(trx, visible.id);
    const held = await addressesOfServers(trx, [server.id]);
    const extras = (held.get(server.id) ?? []).filter((a) => a.role === "extra").length;
    if (extras >= MAX_EXTRA_IPV4) {
      throw new ConflictError(
        `Server ${server.id} already has ${extras} extra addresses, the most one server may have.`,
      );
    }
    if ((held.get(server.id) ?? []).length === 0) {
      throw new ConflictError(
        `Server ${server.id} uses private networking (site ${server.site_id} has no public IPv4 pool), so it cannot have extra addresses.`,
      );
    }
    const picked = await pickAddresses(trx, server.site_id, 1, now);
    await holdAddresses(trx, server, "extra", picked, now);
    const given = picked[0]!.address;
    await touchServer(trx, server.id, now);
    await recordAudit(trx, ctx, {
      action: "server.ipv4.add",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
      details: { address: given },
    });
    return given;
  });
  if (visible.host_id) ctx.hostChanged?.(visible.host_id);
  const addresses = (await addressesOfServers(ctx.database.db, [visible.id])).get(visible.id) ?? [];
  return { address, role: "extra", applies_on_reboot: true, addresses };
}

/** Gives an extra address back: billing stops now, and the address goes into quarantine. */
export async function releaseExtraIpv4(
  ctx: ServiceContext,
  serverId: string,
  address: string,
): Promise<AddressChange> {
  if (parseIpv4(address) === undefined)
    throw new InvalidInputError("address", `"${address}" is not an IPv4 address.`);
  const visible = await serverInScope(ctx, serverId);
  const account = await getAccount(ctx, visible.account_id);
  const now = new Date();
  await ctx.database.db.transaction().execute(async (trx) => {
    const server = await lockLiveServer(trx, visible.id);
    const row = await trx
      .selectFrom("ip_addresses")
      .select(["role", "pool_id"])
      .where("server_id", "=", server.id)
      .where("address", "=", address)
      .where("released_at", "is", null)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("ipv4_address", address);
    if (row.role === "primary") {
      throw new ConflictError(
        `${address} is server ${server.id}'s primary address; it stays until the server is deleted.`,
      );
    }
    await trx
      .updateTable("ip_addresses")
      .set({ released_at: now })
      .where("pool_id", "=", row.pool_id)
      .where("address", "=", address)
      .execute();
    await closeAddonInterval(trx, server.id, "ipv4", address, now);
    await touchServer(trx, server.id, now);
    await recordAudit(trx, ctx, {
      action: "server.ipv4.release",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
      details: { address },
    });
  });
  if (visible.host_id) ctx.hostChanged?.(visible.host_id);
  const addresses = (await addressesOfServers(ctx.database.db, [visible.id])).get(visible.id) ?? [];
  return { address, role: "extra", applies_on_reboot: true, addresses };
}
