import type { AddressInterval, BillingMonth, ServerTransferTotal, UsageInterval } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";

/** One account's intervals in the shape core's pure billing functions take. */
export interface AccountIntervals {
  /** When each server ran on its plan (`usage_intervals`). */
  usage: UsageInterval[];
  /** When the backups add-on was on (`addon_intervals` of kind backups). */
  backups: UsageInterval[];
  /** When each extra address was held (`addon_intervals` of kind ipv4, the address in `ref`). */
  ipv4: AddressInterval[];
}

/**
 * What some accounts' servers ran, had backups for or held extra addresses for at any time in
 * [fromMs, toMs), keyed by account: one query per table, whatever the number of accounts.
 */
export async function intervalsByAccount(
  database: Database,
  accountIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, AccountIntervals>> {
  const byAccount = new Map<string, AccountIntervals>(
    accountIds.map((id) => [id, { usage: [], backups: [], ipv4: [] }]),
  );
  if (accountIds.length === 0) return byAccount;
  const usage = await database.db
    .selectFrom("usage_intervals")
    .select(["account_id", "server_id", "plan_id", "started_at", "ended_at"])
    .where("account_id", "in", accountIds)
    .where("started_at", "<", new Date(toMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]))
    .execute();
  const addons = await database.db
    .selectFrom("addon_intervals")
    .select(["account_id", "server_id", "plan_id", "kind", "ref", "started_at", "ended_at"])
    .where("account_id", "in", accountIds)
    .where("started_at", "<", new Date(toMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]))
    .execute();
  const interval = (row: (typeof usage)[number]): UsageInterval => ({
    serverId: row.server_id,
    planId: row.plan_id,
    startMs: row.started_at.getTime(),
    endMs: row.ended_at?.getTime() ?? null,
  });
  for (const row of usage) byAccount.get(row.account_id)?.usage.push(interval(row));
  for (const row of addons) {
    const of = byAccount.get(row.account_id);
    if (row.kind === "ipv4") of?.ipv4.push({ ...interval(row), address: row.ref });
    else of?.backups.push(interval(row));
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
