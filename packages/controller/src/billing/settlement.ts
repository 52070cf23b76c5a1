import { ConflictError, HOUR_MS, taxLines } from "@layerboom/core";
import type { InvoiceLine, TaxRate } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { InvoiceToIssue } from "./issue.js";

/**
 * B's month close for a peer (docs/federation.md, "Usage and settlement"): the account that
 * represents the peer is invoiced the sum of the month's usage records, per server at the
 * wholesale price they carry, never at the plans' prices; the normal close leaves it out.
 */

/** The peer each of these accounts represents, if any. */
export async function representedPeers(
  db: Kysely<Schema>,
  accountIds: readonly string[],
): Promise<Map<string, { peerId: string; peerName: string }>> {
  if (accountIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("federation_peers")
    .select(["id", "name", "represented_by_account_id"])
    .where("represented_by_account_id", "in", accountIds)
    .execute();
  return new Map(rows.map((r) => [r.represented_by_account_id!, { peerId: r.id, peerName: r.name }]));
}

/** What the record documents add up to per server: read from the signed bytes B keeps. */
interface ServerRecords {
  serverId: string;
  /** B's plan for it: revenue by plan counts the wholesale there. */
  planId: string;
  localServerId: string;
  records: number;
  firstSeq: number;
  lastSeq: number;
  billedMs: number;
  amountMinor: number;
  hourlyMinor: number;
  monthlyCapMinor: number;
}

/** A peer's records of a period, summed per server, with their energy: what its invoice bills. */
export async function settlementMonth(db: Kysely<Schema>, peerId: string, period: string) {
  const rows = await db
    .selectFrom("federation_usage_records_made as r")
    .innerJoin("servers as s", "s.id", "r.server_id")
    .select(["r.seq", "r.server_id", "r.currency", "r.wholesale_cost_minor", "r.document", "s.plan_id"])
    .where("r.peer_id", "=", peerId)
    .where("r.period", "=", period)
    .orderBy("r.seq")
    .execute();
  const servers = new Map<string, ServerRecords>();
  const currencies = new Set<string>();
  let wh = 0;
  let carbonG: number | null = 0;
  for (const r of rows) {
    const doc = JSON.parse(r.document) as {
      local_server_id: string;
      billed_ms: number;
      energy_wh: number;
      carbon_g: number | null;
      wholesale_hourly_minor: number;
      wholesale_monthly_cap_minor: number;
    };
    currencies.add(r.currency);
    wh += doc.energy_wh;
    carbonG = carbonG === null || doc.carbon_g === null ? null : carbonG + doc.carbon_g;
    const s = servers.get(r.server_id) ?? {
      serverId: r.server_id,
      planId: r.plan_id,
      localServerId: doc.local_server_id,
      records: 0,
      firstSeq: Number(r.seq),
      lastSeq: Number(r.seq),
      billedMs: 0,
      amountMinor: 0,
      hourlyMinor: doc.wholesale_hourly_minor,
      monthlyCapMinor: doc.wholesale_monthly_cap_minor,
    };
    s.records += 1;
    s.lastSeq = Number(r.seq);
    s.billedMs += doc.billed_ms;
    s.amountMinor += Number(r.wholesale_cost_minor);
    servers.set(r.server_id, s);
  }
  return { servers: [...servers.values()], currencies: [...currencies].sort(), wh, carbonG };
}

function hoursText(ms: number): string {
  const hours = ms / HOUR_MS;
  return Number.isInteger(hours) ? `${hours} h` : `${hours.toFixed(4)} h`;
}

/**
 * The invoice of a peer's month: one line per server (the sum of its records), the records'
 * energy and carbon on the energy line (for information: B's energy is in its wholesale price),
 * and the representative account's taxes. Undefined when the month has no record.
 */
export async function settlementInvoice(
  db: Kysely<Schema>,
  to: { issuerAccountId: string; accountId: string; peerId: string; peerName: string; period: string },
  taxRates: readonly TaxRate[],
): Promise<InvoiceToIssue | undefined> {
  const month = await settlementMonth(db, to.peerId, to.period);
  if (month.servers.length === 0) return undefined;
  const [currency, other] = month.currencies;
  if (!currency || other)
    throw new ConflictError(
      `The usage records of ${to.peerName} for ${to.period} are in ${month.currencies.join(" and ")}: an invoice is in one currency.`,
      { field: "period", account_id: to.accountId },
    );
  const lines: InvoiceLine[] = month.servers.map((s) => ({
    kind: "usage",
    description: `Server ${s.serverId} run for ${to.peerName} (${s.localServerId}): ${s.records} hourly records, ${s.firstSeq}-${s.lastSeq}`,
    quantity: hoursText(s.billedMs),
    amountMinor: s.amountMinor,
    serverId: s.serverId,
    planId: s.planId,
    details: {
      federation: true,
      peer_id: to.peerId,
      local_server_id: s.localServerId,
      records: s.records,
      first_seq: s.firstSeq,
      last_seq: s.lastSeq,
      billed_ms: s.billedMs,
      wholesale_hourly_minor: s.hourlyMinor,
      wholesale_monthly_cap_minor: s.monthlyCapMinor,
    },
  }));
  const kwh = month.wh / 1000;
  const carbonKg = month.carbonG === null ? null : month.carbonG / 1000;
  lines.push({
    kind: "energy",
    description: `Energy of the servers run for ${to.peerName}: ${kwh.toFixed(3)} kWh${carbonKg === null ? "" : `, ${carbonKg.toFixed(3)} kg CO2e`} (in the wholesale price, not charged)`,
    quantity: `${kwh.toFixed(3)} kWh`,
    amountMinor: 0,
    serverId: null,
    planId: null,
    details: { kwh, carbon_kg: carbonKg, billed: false, federation: true },
  });
  const subtotalMinor = lines.reduce((a, l) => a + l.amountMinor, 0);
  const taxes = taxLines(subtotalMinor, taxRates);
  const taxMinor = taxes.reduce((a, t) => a + t.amountMinor, 0);
  return {
    issuerAccountId: to.issuerAccountId,
    accountId: to.accountId,
    period: to.period,
    currency,
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
    lines: [
      ...lines,
      ...taxes.map((t): InvoiceLine => ({
        kind: "tax",
        description: `${t.name} ${(t.rateMicros / 10_000).toFixed(3).replace(/\.?0+$/, "")}%`,
        quantity: "",
        amountMinor: t.amountMinor,
        serverId: null,
        planId: null,
        details: { rate_micros: t.rateMicros },
      })),
    ],
    audit: { federation_settlement: true, peer_id: to.peerId },
  };
}
