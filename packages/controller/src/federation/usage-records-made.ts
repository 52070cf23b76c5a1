import { HOUR_MS, billingMonth, coveredMs, hourCharge, periodAt } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { SecretBox } from "../base/secret-box.js";
import { DEFAULT_BILLING_ZONE } from "../billing/customer-months.js";
import { priceBuckets } from "../energy/reports.js";
import { sitePricing } from "../energy/site-energy.js";
import { loadSigningIdentity } from "./identity.js";
import type { SigningIdentity } from "./message-signatures.js";
import { USAGE_RECORD_TYPE, signUsageRecord } from "./usage-documents.js";
import type { UsageRecord } from "./usage-documents.js";

/**
 * B's side of usage and settlement (docs/federation.md, "Usage and settlement"): one signed record
 * per served server and closed hour it existed in, numbered per peer without gaps, never changed.
 */

/** What B knows of a served server when it makes its records. */
interface ServedServer {
  serverId: string;
  localServerId: string;
  siteId: string;
  siteName: string;
  imageId: string;
  vcpus: number;
  memoryMib: number;
  diskGib: number;
  hourRounding: "up" | "none";
  currency: string;
  wholesaleHourlyMinor: number;
  wholesaleMonthlyCapMinor: number;
  addresses: { kind: string }[];
}

async function servedServers(db: Kysely<Schema>, peerId: string): Promise<ServedServer[]> {
  const rows = await db
    .selectFrom("federation_served_servers as f")
    .innerJoin("servers as s", "s.id", "f.server_id")
    .innerJoin("plans as p", "p.id", "s.plan_id")
    .innerJoin("sites as t", "t.id", "s.site_id")
    .select([
      "s.id",
      "f.idempotency_key",
      "s.site_id",
      "t.name as site_name",
      "s.image_id",
      "p.vcpus",
      "p.memory_mib",
      "p.disk_gib",
      "p.hour_rounding",
      "f.currency",
      "f.wholesale_hourly_minor",
      "f.wholesale_monthly_cap_minor",
      "s.addresses",
    ])
    .where("f.peer_id", "=", peerId)
    .orderBy("s.id")
    .execute();
  return rows.map((r) => ({
    serverId: r.id,
    localServerId: r.idempotency_key,
    siteId: r.site_id,
    siteName: r.site_name,
    imageId: r.image_id,
    vcpus: r.vcpus,
    memoryMib: r.memory_mib,
    diskGib: r.disk_gib,
    hourRounding: r.hour_rounding,
    currency: r.currency,
    wholesaleHourlyMinor: Number(r.wholesale_hourly_minor),
    wholesaleMonthlyCapMinor: Number(r.wholesale_monthly_cap_minor),
    addresses: r.addresses,
  }));
}

/** A server's meters per hour in [fromMs, toMs): energy (µJ), CPU time (µs), carbon (mg), transfer. */
async function hourlyMeters(database: Database, server: ServedServer, fromMs: number, toMs: number) {
  const energy = await database.db
    .selectFrom("server_energy")
    .select(["bucket_start", "bucket_seconds", "energy_uj", "cpu_time_us"])
    .where("server_id", "=", server.serverId)
    .where("bucket_start", ">=", new Date(fromMs))
    .where("bucket_start", "<", new Date(toMs))
    .execute();
  const transfer = await database.db
    .selectFrom("server_transfer")
    .select(["hour_start", "in_bytes", "out_bytes"])
    .where("server_id", "=", server.serverId)
    .where("hour_start", ">=", new Date(fromMs))
    .where("hour_start", "<", new Date(toMs))
    .execute();
  const pricing =
    energy.length > 0 ? await sitePricing({ database }, server.siteId, fromMs, toMs) : undefined;
  const hours = new Map<number, { energyUj: bigint; cpuUs: bigint; carbonMg: bigint | null }>();
  for (const b of energy) {
    const startMs = b.bucket_start.getTime();
    const hour = Math.floor(startMs / HOUR_MS) * HOUR_MS;
    const h = hours.get(hour) ?? { energyUj: 0n, cpuUs: 0n, carbonMg: 0n };
    const energyUj = BigInt(b.energy_uj);
    h.energyUj += energyUj;
    h.cpuUs += BigInt(b.cpu_time_us);
    const carbon = pricing
      ? priceBuckets([{ startMs, seconds: b.bucket_seconds, energyUj }], pricing).totals.carbon_mg
      : null;
    h.carbonMg = h.carbonMg === null || carbon === null ? null : h.carbonMg + BigInt(carbon);
    hours.set(hour, h);
  }
  const network = new Map(
    transfer.map((t) => [t.hour_start.getTime(), { in: Number(t.in_bytes), out: Number(t.out_bytes) }]),
  );
  return { energy: hours, network };
}

/** The peers this installation serves, with the account that holds their servers and its billing zone. */
async function servedPeer(db: Kysely<Schema>, peerId: string) {
  return db
    .selectFrom("federation_peers as p")
    .leftJoin("billing_profiles as b", "b.account_id", "p.represented_by_account_id")
    .select(["p.id", "p.fingerprint", "p.represented_by_account_id", "b.time_zone"])
    .where("p.id", "=", peerId)
    .executeTakeFirst();
}

/**
 * Makes the records of every closed hour up to `throughMs` (floored to the hour) that a peer's
 * served servers existed in and that have none yet, numbered after the last, in one transaction
 * holding the peer's cursor: two replicas never number the same hour twice or leave a gap. An
 * hour is closed once it has ended; a server's hour is billed as B bills its own (its usage
 * intervals, the plan's hour rounding, the month's cap: core's `hourCharge`).
 */
export async function makeUsageRecords(
  database: Database,
  secretBox: SecretBox,
  peerId: string,
  throughMs: number,
): Promise<{ made: number; lastSeq: number }> {
  const peer = await servedPeer(database.db, peerId);
  if (!peer?.represented_by_account_id) return { made: 0, lastSeq: 0 };
  const zone = peer.time_zone ?? DEFAULT_BILLING_ZONE;
  const { profile, signing } = await loadSigningIdentity(database.db, secretBox);
  const endHour = Math.floor(Math.min(throughMs, Date.now()) / HOUR_MS) * HOUR_MS;
  const servers = await servedServers(database.db, peerId);
  return database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("federation_usage_cursors")
      .values({ peer_id: peerId })
      .onConflict((oc) => oc.column("peer_id").doNothing())
      .execute();
    const cursor = await trx
      .selectFrom("federation_usage_cursors")
      .select("last_seq")
      .where("peer_id", "=", peerId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    let seq = Number(cursor.last_seq);
    const rows = [];
    for (const server of servers) {
      const records = await serverRecords(database, trx, server, zone, endHour, () => ++seq, {
        signing,
        issuer: profile.fingerprint,
        audience: peer.fingerprint,
      });
      rows.push(...records.map((r) => ({ ...r, peer_id: peerId })));
    }
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto("federation_usage_records_made")
        .values(rows.slice(i, i + 500))
        .execute();
    if (rows.length > 0)
      await trx
        .updateTable("federation_usage_cursors")
        .set({ last_seq: seq, updated_at: new Date() })
        .where("peer_id", "=", peerId)
        .execute();
    return { made: rows.length, lastSeq: seq };
  });
}

/** One server's new records, from the hour after its last record (or its first hour) to `endHour`. */
async function serverRecords(
  database: Database,
  trx: Kysely<Schema>,
  server: ServedServer,
  zone: string,
  endHour: number,
  nextSeq: () => number,
  sign: { signing: SigningIdentity; issuer: string; audience: string },
) {
  const intervals = (
    await trx
      .selectFrom("usage_intervals")
      .select(["started_at", "ended_at"])
      .where("server_id", "=", server.serverId)
      .execute()
  ).map((i) => ({ startMs: i.started_at.getTime(), endMs: i.ended_at?.getTime() ?? Infinity }));
  if (intervals.length === 0) return [];
  const last = await trx
    .selectFrom("federation_usage_records_made")
    .select((eb) => eb.fn.max("hour_start").as("hour"))
    .where("server_id", "=", server.serverId)
    .executeTakeFirst();
  const firstHour = Math.floor(Math.min(...intervals.map((i) => i.startMs)) / HOUR_MS) * HOUR_MS;
  const from = last?.hour ? new Date(last.hour).getTime() + HOUR_MS : firstHour;
  const lastEnd = Math.max(...intervals.map((i) => i.endMs));
  const to = Math.min(endHour, Math.ceil(lastEnd / HOUR_MS) * HOUR_MS);
  if (to <= from) return [];
  const meters = await hourlyMeters(database, server, from, to);
  const spans = intervals.map((i) => ({ startMs: i.startMs, endMs: Math.min(i.endMs, to) }));
  const extraIps = server.addresses.filter((a) => a.kind === "ipv4").length;
  const out = [];
  for (let hour = from; hour < to; hour += HOUR_MS) {
    const usedInHour = coveredMs(spans, hour, hour + HOUR_MS);
    if (usedInHour <= 0) continue;
    const period = periodAt(hour, zone);
    const month = billingMonth(period, zone);
    const charge = hourCharge(
      coveredMs(spans, month.startMs, hour),
      usedInHour,
      { hourlyMinor: server.wholesaleHourlyMinor, monthlyCapMinor: server.wholesaleMonthlyCapMinor },
      server.hourRounding,
    );
    const energy = meters.energy.get(hour);
    const network = meters.network.get(hour);
    const record: UsageRecord = {
      type: USAGE_RECORD_TYPE,
      issuer: sign.issuer,
      audience: sign.audience,
      seq: nextSeq(),
      vm_uuid: server.serverId,
      local_server_id: server.localServerId,
      site_id: server.siteId,
      site_name: server.siteName,
      start_time: new Date(hour).toISOString(),
      end_time: new Date(hour + HOUR_MS).toISOString(),
      wall_duration: Math.round(usedInHour / 1000),
      cpu_duration: energy ? Number(energy.cpuUs) / 1e6 : null,
      cpu_count: server.vcpus,
      memory: server.memoryMib,
      disk: server.diskGib,
      network_inbound: network?.in ?? null,
      network_outbound: network?.out ?? null,
      public_ip_count: extraIps,
      image_id: server.imageId,
      // Wh to the milliwatt-hour: 3.6e6 µJ per mWh.
      energy_wh: energy ? Number(energy.energyUj / 3_600_000n) / 1000 : 0,
      carbon_g: energy ? (energy.carbonMg === null ? null : Number(energy.carbonMg) / 1000) : 0,
      month: period,
      currency: server.currency,
      wholesale_hourly_minor: server.wholesaleHourlyMinor,
      wholesale_monthly_cap_minor: server.wholesaleMonthlyCapMinor,
      billed_ms: charge.billedMs,
      billed_ms_through: charge.billedMsThrough,
      wholesale_cost_minor: charge.amountMinor,
    };
    const signed = signUsageRecord(sign.signing, record);
    out.push({
      seq: record.seq,
      server_id: server.serverId,
      hour_start: new Date(hour),
      period,
      currency: server.currency,
      wholesale_cost_minor: charge.amountMinor,
      ...signed,
    });
  }
  return out;
}

/** The records a peer has not acknowledged, or asks for again: after `after`, in order, at most `limit`. */
export async function usageRecordsAfter(
  db: Kysely<Schema>,
  peerId: string,
  after: number,
  limit: number,
): Promise<{ seq: number; document: string; signature: string }[]> {
  const rows = await db
    .selectFrom("federation_usage_records_made")
    .select(["seq", "document", "signature"])
    .where("peer_id", "=", peerId)
    .where("seq", ">", after)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), document: r.document, signature: r.signature }));
}
