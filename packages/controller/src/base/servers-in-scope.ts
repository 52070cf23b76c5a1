import { NotFoundError } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { ServiceContext } from "./context.js";

/** What features below servers/ need of a server: which it is, whose, and where it runs. */
export interface ServerInScope {
  id: string;
  account_id: string;
  site_id: string;
  host_id: string | null;
  plan_id: string;
}

/**
 * A server the caller may see, by the same tenancy rule as servers/ (the account in the
 * caller's subtree), or NotFoundError exactly as for an id that does not exist. Features the
 * servers feature itself builds on (networking, energy) use this instead of importing it, so
 * the folder graph keeps one direction (docs/architecture.md).
 */
export async function serverInScope(ctx: ServiceContext, id: string): Promise<ServerInScope> {
  const row = await ctx.database.db
    .selectFrom("servers")
    .innerJoin("accounts", "accounts.id", "servers.account_id")
    .select(["servers.id", "servers.account_id", "servers.site_id", "servers.host_id", "servers.plan_id"])
    .where("servers.id", "=", id)
    .where(accountInSubtree(ctx.principal.accountPath))
    .executeTakeFirst();
  if (!row) throw new NotFoundError("server", id);
  return row;
}

/** Bumps a server's generation, so its agent's next observation answers the change. */
export async function touchServer(trx: Kysely<Schema>, serverId: string, now: Date): Promise<void> {
  await trx
    .updateTable("servers")
    .set((eb) => ({ generation: eb("generation", "+", 1), updated_at: now }))
    .where("id", "=", serverId)
    .execute();
}
