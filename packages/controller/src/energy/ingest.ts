import type { EnergySample, HostBucketDelta, ServerBucketDelta } from "@layerboom/core";
import { bucketEnergySamples, pueMilli, serverIdForVm } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { sql } from "kysely";

const HOUR_MS = 3_600_000;

/** One server's bytes through its tap in one hour. */
export interface TransferDelta {
  serverId: string;
  hourStartMs: number;
  outBytes: number;
  inBytes: number;
}

/**
 * Sums the samples' per-VM byte counts by server and by the hour each sample ends in (samples
 * are seconds long, so at most one sample's bytes land in the neighbouring hour). VMs that are
 * not this host's servers, and VMs without a tap, add nothing.
 */
export function transferByServerHour(
  samples: readonly EnergySample[],
  ownerOf: (vmId: string) => string | undefined,
): TransferDelta[] {
  const sums = new Map<string, TransferDelta>();
  for (const sample of samples) {
    const hourStartMs = Math.floor(sample.end_ms / HOUR_MS) * HOUR_MS;
    for (const vm of sample.vms) {
      const outBytes = vm.net_out_bytes ?? 0;
      const inBytes = vm.net_in_bytes ?? 0;
      if (outBytes === 0 && inBytes === 0) continue;
      const serverId = ownerOf(vm.vm_id);
      if (serverId === undefined) continue;
      const key = `${serverId} ${hourStartMs}`;
      const sum = sums.get(key) ?? { serverId, hourStartMs, outBytes: 0, inBytes: 0 };
      sum.outBytes += outBytes;
      sum.inBytes += inBytes;
      sums.set(key, sum);
    }
  }
  return [...sums.values()];
}

/** What one `energy` frame did. */
export interface IngestResult {
  /** Every sample of the boot id up to here is stored: the agent may forget them. */
  ackSeq: number;
  /** Samples applied now (resent ones already applied are skipped). */
  applied: EnergySample[];
  servers: ServerBucketDelta[];
  hosts: HostBucketDelta[];
  /** Samples the attribution rule refused; they are acknowledged and add nothing. */
  refused: { seq: number; reason: string }[];
}

/**
 * Applies a batch of a host's energy samples exactly once: in one transaction it locks the
 * (host, boot id) cursor, skips every sample at or below it, attributes the rest with the
 * site's PUE, adds them to the server and host buckets, and moves the cursor. A resent batch
 * therefore adds nothing, and a crash in the middle adds nothing either.
 */
export async function ingestEnergySamples(
  database: Database,
  hostId: string,
  bootId: string,
  dropped: number,
  samples: readonly EnergySample[],
): Promise<IngestResult> {
  return database.db.transaction().execute(async (trx) => {
    // One round trip creates or locks the cursor and reads it (ON CONFLICT DO UPDATE takes the row lock).
    const cursor = await trx
      .insertInto("energy_cursors")
      .values({ host_id: hostId, boot_id: bootId, last_seq: 0 })
      .onConflict((oc) =>
        oc.columns(["host_id", "boot_id"]).doUpdateSet({ last_seq: sql`energy_cursors.last_seq` }),
      )
      .returning("last_seq")
      .executeTakeFirstOrThrow();
    const fresh = samples.filter((s) => s.seq > cursor.last_seq).sort((a, b) => a.seq - b.seq);
    if (fresh.length === 0)
      return { ackSeq: cursor.last_seq, applied: [], servers: [], hosts: [], refused: [] };

    // And one more reads the site's PUE and which of the sampled VMs are this host's servers.
    const vmServers = [
      ...new Set(fresh.flatMap((s) => s.vms.map((vm) => serverIdForVm(vm.vm_id) ?? ""))),
    ].filter(Boolean);
    const lookup = await sql<{ pue_milli: number | null; owned: string[] }>`
      SELECT (SELECT e.pue_milli FROM hosts h JOIN site_energy_settings e ON e.site_id = h.site_id
              WHERE h.id = ${hostId}) AS pue_milli,
             array(SELECT id FROM servers WHERE host_id = ${hostId} AND id = ANY(${vmServers}::text[])) AS owned`.execute(
      trx,
    );
    const site = { pue_milli: lookup.rows[0]?.pue_milli ?? null };
    const owned = new Set(lookup.rows[0]?.owned ?? []);
    const ownerOf = (vmId: string) => {
      const serverId = serverIdForVm(vmId);
      return serverId !== undefined && owned.has(serverId) ? serverId : undefined;
    };
    const bucketed = bucketEnergySamples(fresh, { pue: pueMilli(site.pue_milli ?? 1000), ownerOf });

    if (bucketed.servers.length > 0) {
      // One array parameter per column (unnest), not one parameter per cell: a host's 50
      // servers are one short statement for Postgres to parse, whatever the batch size.
      const d = bucketed.servers;
      await sql`
        INSERT INTO server_energy (server_id, bucket_start, bucket_seconds, host_id, energy_uj, active_energy_uj,
                                   cpu_time_us, estimated, vm_cpu_only, last_power_mw, last_sample_at)
        SELECT server_id, to_timestamp(start_ms / 1000.0), 300, ${hostId}, energy_uj, active_energy_uj,
               cpu_time_us, estimated, vm_cpu_only, last_power_mw, to_timestamp(last_ms / 1000.0)
        FROM unnest(${d.map((x) => x.serverId)}::text[], ${d.map((x) => x.bucketStartMs)}::bigint[],
                    ${d.map((x) => x.energyUj)}::bigint[], ${d.map((x) => x.activeEnergyUj)}::bigint[],
                    ${d.map((x) => x.cpuTimeUs)}::bigint[], ${d.map((x) => x.estimated)}::boolean[],
                    ${d.map((x) => x.vmCpuOnly)}::boolean[],
                    ${d.map((x) => x.lastPowerMw)}::bigint[], ${d.map((x) => x.lastSampleAtMs)}::bigint[])
             AS t(server_id, start_ms, energy_uj, active_energy_uj, cpu_time_us, estimated, vm_cpu_only,
                  last_power_mw, last_ms)
        ON CONFLICT (server_id, bucket_start) DO UPDATE SET
          energy_uj = server_energy.energy_uj + excluded.energy_uj,
          active_energy_uj = server_energy.active_energy_uj + excluded.active_energy_uj,
          cpu_time_us = server_energy.cpu_time_us + excluded.cpu_time_us,
          estimated = server_energy.estimated OR excluded.estimated,
          vm_cpu_only = server_energy.vm_cpu_only OR excluded.vm_cpu_only,
          last_power_mw = CASE WHEN excluded.last_sample_at >= server_energy.last_sample_at
                          THEN excluded.last_power_mw ELSE server_energy.last_power_mw END,
          last_sample_at = greatest(server_energy.last_sample_at, excluded.last_sample_at)`.execute(trx);
    }
    if (bucketed.hosts.length > 0) {
      await trx
        .insertInto("host_energy")
        .values(
          bucketed.hosts.map((d) => ({
            host_id: hostId,
            bucket_start: new Date(d.bucketStartMs),
            bucket_seconds: 300 as const,
            it_energy_uj: d.itEnergyUj,
            facility_energy_uj: d.facilityEnergyUj,
            allocated_uj: d.allocatedUj,
            unallocated_uj: d.unallocatedUj,
            host_overhead_uj: d.hostOverheadUj,
            vm_cpu_only: d.vmCpuOnly,
            source_kind: d.source,
            estimated: d.estimated,
            last_power_mw: d.lastPowerMw,
            last_sample_at: new Date(d.lastSampleAtMs),
          })),
        )
        .onConflict((oc) =>
          oc.columns(["host_id", "bucket_start"]).doUpdateSet({
            it_energy_uj: sql`host_energy.it_energy_uj + excluded.it_energy_uj`,
            facility_energy_uj: sql`host_energy.facility_energy_uj + excluded.facility_energy_uj`,
            allocated_uj: sql`host_energy.allocated_uj + excluded.allocated_uj`,
            unallocated_uj: sql`host_energy.unallocated_uj + excluded.unallocated_uj`,
            host_overhead_uj: sql`host_energy.host_overhead_uj + excluded.host_overhead_uj`,
            vm_cpu_only: sql`host_energy.vm_cpu_only OR excluded.vm_cpu_only`,
            source_kind: sql`excluded.source_kind`,
            estimated: sql`host_energy.estimated OR excluded.estimated`,
            last_power_mw: sql`CASE WHEN excluded.last_sample_at >= host_energy.last_sample_at
              THEN excluded.last_power_mw ELSE host_energy.last_power_mw END`,
            last_sample_at: sql`greatest(host_energy.last_sample_at, excluded.last_sample_at)`,
          }),
        )
        .execute();
    }
    const transfer = transferByServerHour(fresh, ownerOf);
    if (transfer.length > 0) {
      await sql`
        INSERT INTO server_transfer (server_id, hour_start, host_id, out_bytes, in_bytes)
        SELECT server_id, to_timestamp(hour_ms / 1000.0), ${hostId}, out_bytes, in_bytes
        FROM unnest(${transfer.map((t) => t.serverId)}::text[], ${transfer.map((t) => t.hourStartMs)}::bigint[],
                    ${transfer.map((t) => t.outBytes)}::bigint[], ${transfer.map((t) => t.inBytes)}::bigint[])
             AS t(server_id, hour_ms, out_bytes, in_bytes)
        ON CONFLICT (server_id, hour_start) DO UPDATE SET
          out_bytes = server_transfer.out_bytes + excluded.out_bytes,
          in_bytes = server_transfer.in_bytes + excluded.in_bytes`.execute(trx);
    }
    const ackSeq = fresh[fresh.length - 1]!.seq;
    await trx
      .updateTable("energy_cursors")
      .set({ last_seq: ackSeq, dropped, updated_at: new Date() })
      .where("host_id", "=", hostId)
      .where("boot_id", "=", bootId)
      .execute();
    return {
      ackSeq,
      applied: fresh,
      servers: bucketed.servers,
      hosts: bucketed.hosts,
      refused: bucketed.refused,
    };
  });
}
