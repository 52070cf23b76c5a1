import type { UsageInterval } from "@layerboom/core";
import type { Database } from "@layerboom/db";

/**
 * What some accounts' servers ran (`usage_intervals`) or had the backups add-on on
 * (`addon_intervals` of kind backups) at any time in [fromMs, toMs), keyed by account, in the
 * shape core's pure billing functions take.
 */
export async function intervalsByAccount(
  database: Database,
  table: "usage_intervals" | "addon_intervals",
  accountIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, UsageInterval[]>> {
  const byAccount = new Map<string, UsageInterval[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  let q = database.db
    .selectFrom(table)
    .select(["account_id", "server_id", "plan_id", "started_at", "ended_at"])
    .where("account_id", "in", accountIds)
    .where("started_at", "<", new Date(toMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]));
  if (table === "addon_intervals") q = q.where("kind", "=", "backups");
  for (const row of await q.execute()) {
    byAccount.get(row.account_id)?.push({
      serverId: row.server_id,
      planId: row.plan_id,
      startMs: row.started_at.getTime(),
      endMs: row.ended_at?.getTime() ?? null,
    });
  }
  return byAccount;
}
