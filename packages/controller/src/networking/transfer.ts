import { InvalidInputError, billingMonth, transferMonthCharges } from "@layerboom/core";
import { serverInScope } from "../base/servers-in-scope.js";
import type { ServiceContext } from "../base/context.js";

// What a server sent and received through its tap (docs/networking.md), for the customer.

const DEFAULT_ZONE = "America/Toronto";

export interface ServerTransferView {
  server_id: string;
  month: string;
  out_bytes: number;
  in_bytes: number;
  allowance_bytes: number;
  overage_bytes: number;
  overage_minor: number;
  currency: string;
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
  const server = await serverInScope(ctx, serverId);
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

  // The allowance, prorated by the time the server existed in the month so far, by the
  // invoice's own rule (core's transferMonthCharges), so the page and the bill agree.
  const intervals = await db
    .selectFrom("usage_intervals")
    .select(["started_at", "ended_at"])
    .where("server_id", "=", server.id)
    .where("started_at", "<", new Date(month.endMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(month.startMs))]))
    .execute();
  const plan = await db
    .selectFrom("plans")
    .select(["transfer_gib", "transfer_overage_minor_per_gib", "currency"])
    .where("id", "=", server.plan_id)
    .executeTakeFirstOrThrow();
  const list = [...days.values()];
  const outBytes = list.reduce((a, d) => a + d.out_bytes, 0);
  const inBytes = list.reduce((a, d) => a + d.in_bytes, 0);
  const [charge] = transferMonthCharges(
    [{ serverId: server.id, planId: server.plan_id, outBytes: BigInt(outBytes), inBytes: BigInt(inBytes) }],
    intervals.map((i) => ({
      serverId: server.id,
      planId: server.plan_id,
      startMs: i.started_at.getTime(),
      endMs: i.ended_at?.getTime() ?? null,
    })),
    new Map([
      [
        server.plan_id,
        { transferGib: plan.transfer_gib, transferOverageMinorPerGib: plan.transfer_overage_minor_per_gib },
      ],
    ]),
    month,
    now.getTime(),
  );
  return {
    server_id: server.id,
    month: month.period,
    out_bytes: outBytes,
    in_bytes: inBytes,
    allowance_bytes: charge!.allowanceBytes,
    overage_bytes: charge!.overageBytes,
    overage_minor: charge!.amountMinor,
    currency: plan.currency,
    days: list,
  };
}
