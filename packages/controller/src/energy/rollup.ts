import { HOUR_MS } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";

/** Five-minute buckets are kept this long, then rolled up into hours. */
export const FINE_BUCKET_RETENTION_MS = 7 * 24 * HOUR_MS;

/**
 * Rolls five-minute buckets that start before `before` (floored to the hour) into hourly
 * buckets, for servers and hosts, in one transaction: the sums are moved, never copied, so
 * totals over any span that covers whole hours are unchanged. An advisory lock keeps two
 * controller replicas from rolling the same rows up at once. Returns the rows rolled up.
 */
export async function rollupEnergy(
  database: Database,
  before: Date,
): Promise<{ servers: number; hosts: number }> {
  const cutoff = new Date(Math.floor(before.getTime() / HOUR_MS) * HOUR_MS);
  return database.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('layerboom.energy.rollup'))`.execute(trx);
    const servers = await sql<{ n: number }>`
      WITH moved AS (
        DELETE FROM server_energy WHERE bucket_seconds = 300 AND bucket_start < ${cutoff}
        RETURNING *
      ), hourly AS (
        SELECT server_id, date_trunc('hour', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket_start,
               min(host_id) AS host_id, sum(energy_uj)::bigint AS energy_uj, sum(active_energy_uj)::bigint AS active_energy_uj,
               sum(cpu_time_us)::bigint AS cpu_time_us,
               bool_or(estimated) AS estimated, bool_or(vm_cpu_only) AS vm_cpu_only,
               (array_agg(last_power_mw ORDER BY last_sample_at DESC))[1] AS last_power_mw,
               max(last_sample_at) AS last_sample_at, count(*) AS n
        FROM moved GROUP BY 1, 2
      ), stored AS (
        INSERT INTO server_energy (server_id, bucket_start, bucket_seconds, host_id, energy_uj, active_energy_uj, cpu_time_us,
                                   estimated, vm_cpu_only, last_power_mw, last_sample_at)
        SELECT server_id, bucket_start, 3600, host_id, energy_uj, active_energy_uj, cpu_time_us, estimated, vm_cpu_only,
               last_power_mw, last_sample_at
        FROM hourly
        ON CONFLICT (server_id, bucket_start) DO UPDATE SET
          bucket_seconds = 3600,
          energy_uj = server_energy.energy_uj + excluded.energy_uj,
          active_energy_uj = server_energy.active_energy_uj + excluded.active_energy_uj,
          cpu_time_us = server_energy.cpu_time_us + excluded.cpu_time_us,
          estimated = server_energy.estimated OR excluded.estimated,
          vm_cpu_only = server_energy.vm_cpu_only OR excluded.vm_cpu_only,
          last_power_mw = excluded.last_power_mw,
          last_sample_at = greatest(server_energy.last_sample_at, excluded.last_sample_at)
        RETURNING 1
      )
      SELECT coalesce(sum(n), 0)::int AS n FROM hourly`.execute(trx);
    const hosts = await sql<{ n: number }>`
      WITH moved AS (
        DELETE FROM host_energy WHERE bucket_seconds = 300 AND bucket_start < ${cutoff}
        RETURNING *
      ), hourly AS (
        SELECT host_id, date_trunc('hour', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket_start,
               sum(it_energy_uj)::bigint AS it_energy_uj, sum(facility_energy_uj)::bigint AS facility_energy_uj,
               sum(allocated_uj)::bigint AS allocated_uj, sum(unallocated_uj)::bigint AS unallocated_uj,
               sum(host_overhead_uj)::bigint AS host_overhead_uj, bool_or(vm_cpu_only) AS vm_cpu_only,
               (array_agg(source_kind ORDER BY last_sample_at DESC))[1] AS source_kind,
               bool_or(estimated) AS estimated,
               (array_agg(last_power_mw ORDER BY last_sample_at DESC))[1] AS last_power_mw,
               max(last_sample_at) AS last_sample_at, count(*) AS n
        FROM moved GROUP BY 1, 2
      ), stored AS (
        INSERT INTO host_energy (host_id, bucket_start, bucket_seconds, it_energy_uj, facility_energy_uj,
                                 allocated_uj, unallocated_uj, host_overhead_uj, vm_cpu_only, source_kind, estimated,
                                 last_power_mw, last_sample_at)
        SELECT host_id, bucket_start, 3600, it_energy_uj, facility_energy_uj, allocated_uj, unallocated_uj,
               host_overhead_uj, vm_cpu_only, source_kind, estimated, last_power_mw, last_sample_at
        FROM hourly
        ON CONFLICT (host_id, bucket_start) DO UPDATE SET
          bucket_seconds = 3600,
          it_energy_uj = host_energy.it_energy_uj + excluded.it_energy_uj,
          facility_energy_uj = host_energy.facility_energy_uj + excluded.facility_energy_uj,
          allocated_uj = host_energy.allocated_uj + excluded.allocated_uj,
          unallocated_uj = host_energy.unallocated_uj + excluded.unallocated_uj,
          host_overhead_uj = host_energy.host_overhead_uj + excluded.host_overhead_uj,
          vm_cpu_only = host_energy.vm_cpu_only OR excluded.vm_cpu_only,
          estimated = host_energy.estimated OR excluded.estimated,
          last_power_mw = excluded.last_power_mw,
          last_sample_at = greatest(host_energy.last_sample_at, excluded.last_sample_at)
        RETURNING 1
      )
      SELECT coalesce(sum(n), 0)::int AS n FROM hourly`.execute(trx);
    return { servers: servers.rows[0]?.n ?? 0, hosts: hosts.rows[0]?.n ?? 0 };
  });
}
