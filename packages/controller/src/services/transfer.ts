import { InvalidInputError, billingMonth } from "@layerboom/core";
import { getServer } from "./servers.js";
import type { ServiceContext } from "./context.js";

// What a server sent and received through its tap (docs/networking.md), for the customer.

const DEFAULT_ZONE = "America/Toronto";
const GIB = 2 ** 30;

export interface ServerTransferView {
  server_id: string;
  month: string;
  out_bytes: number;
  in_bytes: number;
  allowance_bytes: number;
  days: { date: string; out_bytes: number; in_bytes: number }[];
}

/** `YYYY-MM-DD` of an instant in a zone. */
function localDate(ms: number, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(ms);
}

/**
 * A server's transfer in one month of its account's billing time zone (default: this month),
 * per day, with the allowance its plan gives for the time it existed in the month.
 */
export async function getServerTransfer(
  ctx: ServiceContext,
  serverId: string,
  period?: string,
  now = new Date(),
): Promise<ServerTransferView> {
  const server = await getServer(ctx, serverId);
  const { db } = ctx.database;
  const profile = await db
    .selectFrom("billing_profiles")
    .select("time_zone")
    .where("account_id", "=", server.account_id)
    .executeTakeFirst();
  const zone = profile?.time_zone ?? DEFAULT_ZONE;
  const month = billingMonth(period ?? localDate(now.getTime(), zone).slice(0, 7), zone);
  if (month.startMs > now.getTime()) throw new InvalidInputError("month", `${month.period} has not begun.`);

  const hours = await db
    .selectFrom("server_transfer")
    .select(["hour_start", "out_bytes", "in_bytes"])
    .where("server_id", "=", server.id)
    .where("hour_start", ">=", new Date(month.startMs))
    .where("hour_start", "<", new Date(month.endMs))
    .orderBy("hour_start")
    .execute();
  const days = new Map<string, { date: string; out_bytes: number; in_bytes: number }>();
  for (const h of hours) {
    const date = localDate(h.hour_start.getTime(), zone);
    const day = days.get(date) ?? { date, out_bytes: 0, in_bytes: 0 };
    day.out_bytes += Number(h.out_bytes);
    day.in_bytes += Number(h.in_bytes);
    days.set(date, day);
  }

  // The allowance is prorated by the time the server existed inside the month (so far).
  const intervals = await db
    .selectFrom("usage_intervals")
    .select(["started_at", "ended_at"])
    .where("server_id", "=", server.id)
    .where("started_at", "<", new Date(month.endMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(month.startMs))]))
    .execute();
  const untilMs = Math.min(month.endMs, now.getTime());
  const existedMs = intervals.reduce((sum, i) => {
    const from = Math.max(i.started_at.getTime(), month.startMs);
    const to = Math.min(i.ended_at?.getTime() ?? untilMs, untilMs);
    return sum + Math.max(0, to - from);
  }, 0);
  const plan = await db
    .selectFrom("plans")
    .select("transfer_gib")
    .where("id", "=", server.plan_id)
    .executeTakeFirstOrThrow();
  const share = Math.min(1, existedMs / (month.endMs - month.startMs));
  const list = [...days.values()];
  return {
    server_id: server.id,
    month: month.period,
    out_bytes: list.reduce((a, d) => a + d.out_bytes, 0),
    in_bytes: list.reduce((a, d) => a + d.in_bytes, 0),
    allowance_bytes: Math.floor(plan.transfer_gib * GIB * share),
    days: list,
  };
}
