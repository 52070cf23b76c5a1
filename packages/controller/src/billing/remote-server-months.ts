import type { RemoteServerMonth } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";

/**
 * A's side (docs/federation.md, "Usage and settlement"): each customer's servers at partners'
 * sites with the partner's usage records of `period` summed, in one query for a batch of
 * customers. Only records of the partner that runs the server count: a peer cannot bill another
 * peer's server. The month is the partner's (the record's `month`), as on its invoice to A.
 * A reseller's customer's server carries the provider's price too (`resellerCost`), for the
 * reseller's wholesale invoice.
 */
export async function remoteServerMonths(
  database: Database,
  accountIds: readonly string[],
  period: string,
): Promise<Map<string, RemoteServerMonth[]>> {
  const out = new Map<string, RemoteServerMonth[]>();
  if (accountIds.length === 0) return out;
  const { rows } = await sql<{
    id: string;
    account_id: string;
    name: string;
    peer_name: string;
    currency: string;
    retail_hourly_minor: string;
    retail_monthly_cap_minor: string;
    reseller_cost_hourly_minor: string | null;
    reseller_cost_monthly_cap_minor: string | null;
    records: string;
    billed_ms: string;
    energy_wh: number;
    carbon_g: number | null;
    with_carbon: string;
  }>`
    SELECT rs.id, rs.account_id, rs.name, p.name AS peer_name, rs.currency,
           rs.retail_hourly_minor, rs.retail_monthly_cap_minor,
           rs.reseller_cost_hourly_minor, rs.reseller_cost_monthly_cap_minor,
           count(*) AS records, sum(r.billed_ms) AS billed_ms, sum(r.energy_wh) AS energy_wh,
           sum(r.carbon_g) AS carbon_g, count(r.carbon_g) AS with_carbon
    FROM remote_servers rs
    JOIN federation_peers p ON p.id = rs.peer_id
    JOIN federation_usage_records_received r ON r.local_server_id = rs.id AND r.peer_id = rs.peer_id
    WHERE rs.account_id = ANY(${[...accountIds]}::text[]) AND r.period = ${period}
    GROUP BY rs.id, rs.account_id, rs.name, p.name, rs.currency, rs.retail_hourly_minor, rs.retail_monthly_cap_minor,
             rs.reseller_cost_hourly_minor, rs.reseller_cost_monthly_cap_minor
    ORDER BY rs.id`.execute(database.db);
  for (const r of rows) {
    const list = out.get(r.account_id) ?? [];
    list.push({
      remoteServerId: r.id,
      name: r.name,
      peerName: r.peer_name,
      currency: r.currency,
      retail: {
        hourlyMinor: Number(r.retail_hourly_minor),
        monthlyCapMinor: Number(r.retail_monthly_cap_minor),
      },
      resellerCost:
        r.reseller_cost_hourly_minor === null || r.reseller_cost_monthly_cap_minor === null
          ? null
          : {
              hourlyMinor: Number(r.reseller_cost_hourly_minor),
              monthlyCapMinor: Number(r.reseller_cost_monthly_cap_minor),
            },
      records: Number(r.records),
      billedMs: Number(r.billed_ms),
      energyWh: Number(r.energy_wh),
      carbonG: Number(r.with_carbon) === Number(r.records) ? Number(r.carbon_g ?? 0) : null,
    });
    out.set(r.account_id, list);
  }
  return out;
}
