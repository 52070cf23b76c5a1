import { newId } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/**
 * Usage intervals are written in the transaction that changes the server, so a crash can
 * never separate a lifecycle change from its usage record: both commit, or neither.
 * At most one interval per server is open (a partial unique index enforces it).
 */
export async function openUsageInterval(
  trx: Kysely<Schema>,
  server: { id: string; account_id: string; plan_id: string },
  at: Date,
): Promise<void> {
  await trx
    .insertInto("usage_intervals")
    .values({
      id: newId("usageInterval", at.getTime()),
      server_id: server.id,
      account_id: server.account_id,
      plan_id: server.plan_id,
      started_at: at,
      ended_at: null,
    })
    .execute();
}

/** Ends a server's open interval at `at` (a delete). Idempotent: nothing open, nothing done. */
export async function closeUsageInterval(trx: Kysely<Schema>, serverId: string, at: Date): Promise<void> {
  await trx
    .updateTable("usage_intervals")
    .set({ ended_at: at })
    .where("server_id", "=", serverId)
    .where("ended_at", "is", null)
    .execute();
}

/** Binds a first-server discount the account redeemed to this server, if none is bound yet. */
export async function bindFirstServerDiscounts(
  trx: Kysely<Schema>,
  accountId: string,
  serverId: string,
): Promise<void> {
  await trx
    .updateTable("code_redemptions")
    .set({ first_server_id: serverId })
    .where("account_id", "=", accountId)
    .where("first_server_id", "is", null)
    .where("code_id", "in", (q) =>
      q.selectFrom("discount_codes").select("id").where("scope", "=", "first-server"),
    )
    .execute();
}
