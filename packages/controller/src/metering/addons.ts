import { newId } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/**
 * Add-on intervals (the backups add-on) are written like usage intervals: in the transaction
 * that turns the add-on on or off or deletes the server, so billing and the change commit
 * together. A partial unique index allows one open interval per server and kind.
 */
export async function openAddonInterval(
  trx: Kysely<Schema>,
  server: { id: string; account_id: string; plan_id: string },
  kind: "backups" | "ipv4",
  at: Date,
  /** What the interval is for when a server can have several of the kind: the address, for ipv4. */
  ref = "",
): Promise<void> {
  await trx
    .insertInto("addon_intervals")
    .values({
      id: newId("addonInterval", at.getTime()),
      server_id: server.id,
      account_id: server.account_id,
      plan_id: server.plan_id,
      kind,
      ref,
      started_at: at,
      ended_at: null,
    })
    .execute();
}

/** Ends a server's open add-on intervals at `at`. Idempotent. */
export async function closeAddonIntervals(trx: Kysely<Schema>, serverId: string, at: Date): Promise<void> {
  await trx
    .updateTable("addon_intervals")
    .set({ ended_at: at })
    .where("server_id", "=", serverId)
    .where("ended_at", "is", null)
    .execute();
}

/** Ends one open add-on interval of a server (an extra address given back) at `at`. Idempotent. */
export async function closeAddonInterval(
  trx: Kysely<Schema>,
  serverId: string,
  kind: "backups" | "ipv4",
  ref: string,
  at: Date,
): Promise<void> {
  await trx
    .updateTable("addon_intervals")
    .set({ ended_at: at })
    .where("server_id", "=", serverId)
    .where("kind", "=", kind)
    .where("ref", "=", ref)
    .where("ended_at", "is", null)
    .execute();
}
