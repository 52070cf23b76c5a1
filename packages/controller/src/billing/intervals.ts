import type { BillingMonth, ServerTransferTotal, UsageInterval } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";

/** An interval as core's pure billing functions take it, with what it is for (an address, for ipv4). */
export type BilledInterval = UsageInterval & { ref: string };

/**
 * What some accounts' servers ran (`usage_intervals`) or had an add-on for (`addon_intervals`
 * of `kind`: backups on, an extra address held) at any time in [fromMs, toMs), keyed by
 * account, in the shape core's pure billing functions take. `ref` is the add-on's subject (the
 * address of an ipv4 interval), empty for usage and backups.
 */
export async function intervalsByAccount(
  database: Database,
  table: "usage_intervals" | "addon_intervals",
  accountIds: readonly string[],
  fromMs: number,
  toMs: number,
  kind: "backups" | "ipv4" = "backups",
): Promise<Map<string, BilledInterval[]>> {
  const byAccount = new Map<string, BilledInterval[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  const rows =
    table === "addon_intervals"
      ? await database.db
          .selectFrom("addon_intervals")
          .select(["account_id", "server_id", "plan_id", "started_at", "ended_at", "ref"])
          .where("kind", "=", kind)
          .where("account_id", "in", accountIds)
          .where("started_at", "<", new Date(toMs))
          .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]))
          .execute()
      : (
          await database.db
            .selectFrom("usage_intervals")
            .select(["account_id", "server_id", "plan_id", "started_at", "ended_at"])
            .where("account_id", "in", accountIds)
            .where("started_at", "<", new Date(toMs))
            .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]))
            .execute()
        ).map((r) => ({ ...r, ref: "" }));
  for (const row of rows) {
    byAccount.get(row.account_id)?.push({
      serverId: row.server_id,
      planId: row.plan_id,
      startMs: row.started_at.getTime(),
      endMs: row.ended_at?.getTime() ?? null,
      ref: row.ref,
    });
  }
  return byAccount;
}

/**
 * Bytes each server of some accounts sent and received (`server_transfer`) in each account's
 * billing month: the hours that start inside [start, end) of that month in the account's zone,
 * summed in the database, with one query per distinct month (customers in one zone share it).
 * The plan is the server's: servers do not change plans.
 */
export async function transferByAccount(
  database: Database,
  months: ReadonlyMap<string, BillingMonth>,
): Promise<Map<string, ServerTransferTotal[]>> {
  const byAccount = new Map<string, ServerTransferTotal[]>([...months.keys()].map((id) => [id, []]));
  const byWindow = new Map<string, { month: BillingMonth; accountIds: string[] }>();
  for (const [accountId, month] of months) {
    const key = `${month.startMs}:${month.endMs}`;
    const group = byWindow.get(key) ?? { month, accountIds: [] };
    group.accountIds.push(accountId);
    byWindow.set(key, group);
  }
  for (const { month, accountIds } of byWindow.values()) {
    // Per server, a range scan of server_transfer's primary key (server_id, hour_start): the
    // batch's few thousand servers are found by account, and only their hours are read.
    const { rows } = await sql<{
      account_id: string;
      id: string;
      plan_id: string;
      out_bytes: string;
      in_bytes: string;
    }>`
      SELECT s.account_id, s.id, s.plan_id, t.out_bytes, t.in_bytes
      FROM servers s
      CROSS JOIN LATERAL (
        -- Sums of bigint are numeric: read them as text and keep them exact in BigInt.
        SELECT sum(x.out_bytes)::text AS out_bytes, sum(x.in_bytes)::text AS in_bytes
        FROM server_transfer x
        WHERE x.server_id = s.id AND x.hour_start >= ${new Date(month.startMs)} AND x.hour_start < ${new Date(month.endMs)}
      ) t
      WHERE s.account_id = ANY(${accountIds}::text[]) AND t.out_bytes IS NOT NULL`.execute(database.db);
    for (const r of rows) {
      byAccount.get(r.account_id)?.push({
        serverId: r.id,
        planId: r.plan_id,
        outBytes: BigInt(r.out_bytes),
        inBytes: BigInt(r.in_bytes),
      });
    }
  }
  return byAccount;
}
