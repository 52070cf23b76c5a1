import { requireProviderAdmin } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { ServiceContext } from "../base/context.js";
import { PeerAnswerError } from "./errors.js";
import type { SecretBox } from "../base/secret-box.js";
import { getProfile, loadSigningIdentity } from "./identity.js";
import { publicKeyFromRaw } from "./keys.js";
import type { PeerClient } from "./peer-client.js";
import { getPeer } from "./peers.js";
import { claimedSeq, openUsageRecord } from "./usage-documents.js";
import type { SignedUsageRecord, UsageRecord, UsageRecordRefusal } from "./usage-documents.js";

/** A's side of usage and settlement: records received from a peer, kept by their number. */

export interface UsageReceiveDeps {
  database: Database;
  secretBox: SecretBox;
}

/** What A answers a batch: the highest contiguous number it holds, and what it refused. */
export interface UsageReceipt {
  acked_through: number;
  stored: number;
  duplicates: number;
  refused: { seq: number | null; reason: UsageRecordRefusal; message: string }[];
}

/** The highest n such that records 1..n are all held: what B need not send again. */
export async function ackedThrough(db: Kysely<Schema>, peerId: string): Promise<number> {
  const seqs = await heldSeqs(db, peerId);
  let n = 0;
  for (const s of seqs) {
    if (s !== n + 1) break;
    n = s;
  }
  return n;
}

async function heldSeqs(db: Kysely<Schema>, peerId: string): Promise<number[]> {
  const rows = await db
    .selectFrom("federation_usage_records_received")
    .select("seq")
    .where("peer_id", "=", peerId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => Number(r.seq));
}

/** The numbers missing below the highest held, as ranges. */
export function gapsIn(seqs: readonly number[]): { from: number; to: number }[] {
  const gaps: { from: number; to: number }[] = [];
  let expected = 1;
  for (const s of seqs) {
    if (s > expected) gaps.push({ from: expected, to: s - 1 });
    expected = s + 1;
  }
  return gaps;
}

function rowOf(peerId: string, signed: SignedUsageRecord, r: UsageRecord, via: "push" | "pull") {
  return {
    peer_id: peerId,
    seq: r.seq,
    remote_server_id: r.vm_uuid,
    local_server_id: r.local_server_id,
    hour_start: new Date(r.start_time),
    period: r.month,
    currency: r.currency,
    billed_ms: r.billed_ms,
    wholesale_cost_minor: r.wholesale_cost_minor,
    energy_wh: r.energy_wh,
    carbon_g: r.carbon_g,
    document: signed.document,
    signature: signed.signature,
    received_via: via,
  };
}

/**
 * Keeps a batch of a peer's records (docs/federation.md, "Usage and settlement"): each must carry
 * the peer's signature over its bytes, have the record's shape and be issued by the peer to this
 * installation. A number already held with the same bytes is a duplicate (B sends again what was
 * not acknowledged); with other bytes it is refused and flagged, and the record held stays.
 * Refused records are kept in `federation_usage_flags` for the reconciliation report.
 */
export async function receiveUsageRecords(
  deps: UsageReceiveDeps,
  peer: { id: string; fingerprint: string; public_key: string },
  records: readonly SignedUsageRecord[],
  via: "push" | "pull",
): Promise<UsageReceipt> {
  const { db } = deps.database;
  const own = await getProfile(db, deps.secretBox);
  const publicKey = publicKeyFromRaw(peer.public_key);
  if (!publicKey) throw new Error(`peer ${peer.id} has no Ed25519 key`);
  const receipt: UsageReceipt = { acked_through: 0, stored: 0, duplicates: 0, refused: [] };
  const flag = async (signed: SignedUsageRecord, reason: UsageRecordRefusal, message: string) => {
    const seq = claimedSeq(signed.document);
    receipt.refused.push({ seq, reason, message });
    await db
      .insertInto("federation_usage_flags")
      .values({
        peer_id: peer.id,
        seq,
        reason,
        document: signed.document.slice(0, 8192),
        signature: signed.signature.slice(0, 200),
      })
      .execute();
  };
  for (const signed of records) {
    const opened = openUsageRecord(signed, { fingerprint: peer.fingerprint, publicKey }, own.fingerprint);
    if ("refused" in opened) {
      await flag(signed, opened.refused, opened.message);
      continue;
    }
    const row = rowOf(peer.id, signed, opened.record, via);
    const inserted = await db
      .insertInto("federation_usage_records_received")
      .values(row)
      .onConflict((oc) => oc.columns(["peer_id", "seq"]).doNothing())
      .returning("seq")
      .executeTakeFirst();
    if (inserted) {
      receipt.stored += 1;
      continue;
    }
    const held = await db
      .selectFrom("federation_usage_records_received")
      .select(["document"])
      .where("peer_id", "=", peer.id)
      .where("seq", "=", opened.record.seq)
      .executeTakeFirstOrThrow();
    if (held.document === signed.document) receipt.duplicates += 1;
    else
      await flag(
        signed,
        "seq_conflict",
        `Record ${opened.record.seq} is already held with other content: records are immutable.`,
      );
  }
  receipt.acked_through = await ackedThrough(db, peer.id);
  return receipt;
}

/** Records per page when A asks B for records again. */
export const USAGE_PULL_PAGE = 100;

/**
 * Asks the peer for every record after the highest contiguous one held
 * (`GET /federation/v1/usage-records?after=n`, signed), page by page, and keeps them as a push
 * would: a gap left by a lost push is filled once.
 */
export async function pullUsageRecords(
  ctx: ServiceContext,
  deps: UsageReceiveDeps & { peers: PeerClient },
  peerId: string,
): Promise<UsageStatus> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "pull usage records");
  const { signing } = await loadSigningIdentity(ctx.database.db, deps.secretBox);
  let after = await ackedThrough(ctx.database.db, peer.id);
  for (let page = 0; page < 10_000; page++) {
    const answer = await deps.peers.signed(
      signing,
      peer.url,
      { method: "GET", path: `/usage-records?after=${after}` },
      peer,
    );
    if (answer.status !== 200) {
      const message = (answer.body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new PeerAnswerError(
        `${peer.name} refused the usage records (${answer.status}: ${message ?? "refused"}).`,
      );
    }
    const body = answer.body as { records?: SignedUsageRecord[] } | undefined;
    const records = Array.isArray(body?.records) ? body.records.slice(0, USAGE_PULL_PAGE) : [];
    if (records.length === 0) break;
    const receipt = await receiveUsageRecords(
      deps,
      peer,
      records.map((r) => ({ document: String(r.document), signature: String(r.signature) })),
      "pull",
    );
    const highest = Math.max(...records.map((r) => claimedSeq(String(r.document)) ?? 0));
    // A page that moves nothing forward (all refused) ends the pull rather than looping.
    if (highest <= after) break;
    after = Math.max(receipt.acked_through, highest);
  }
  return usageStatus(ctx, peer.id);
}

/** What A holds of a peer's records, and, on B, where its own records to that peer stand. */
export interface UsageStatus {
  peer_id: string;
  received: {
    records: number;
    acked_through: number;
    highest_seq: number;
    gaps: { from: number; to: number }[];
    flagged: number;
    last_received_at: Date | null;
  };
  made: { last_seq: number; acked_through: number; pushed_at: Date | null; push_error: string } | null;
}

export async function usageStatus(ctx: ServiceContext, peerId: string): Promise<UsageStatus> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "read usage records");
  const { db } = ctx.database;
  const seqs = await heldSeqs(db, peer.id);
  const last = await db
    .selectFrom("federation_usage_records_received")
    .select((eb) => eb.fn.max("received_at").as("at"))
    .where("peer_id", "=", peer.id)
    .executeTakeFirst();
  const flagged = await db
    .selectFrom("federation_usage_flags")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("peer_id", "=", peer.id)
    .executeTakeFirstOrThrow();
  const cursor = await db
    .selectFrom("federation_usage_cursors")
    .selectAll()
    .where("peer_id", "=", peer.id)
    .executeTakeFirst();
  let acked = 0;
  for (const s of seqs) {
    if (s !== acked + 1) break;
    acked = s;
  }
  return {
    peer_id: peer.id,
    received: {
      records: seqs.length,
      acked_through: acked,
      highest_seq: seqs.at(-1) ?? 0,
      gaps: gapsIn(seqs),
      flagged: Number(flagged.n),
      last_received_at: last?.at ? new Date(last.at) : null,
    },
    made: cursor
      ? {
          last_seq: Number(cursor.last_seq),
          acked_through: Number(cursor.acked_through),
          pushed_at: cursor.pushed_at,
          push_error: cursor.push_error,
        }
      : null,
  };
}
