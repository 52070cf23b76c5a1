import type { Database } from "@layerboom/db";
import type { SecretBox } from "../base/secret-box.js";
import type { JobRunner } from "../jobs/job-runner.js";
import { loadSigningIdentity } from "./identity.js";
import type { PeerClient } from "./peer-client.js";
import { makeUsageRecords, usageRecordsAfter } from "./usage-records-made.js";

/** Records per push request: well under the protocol's 64 KiB body (a record is under 1.2 KiB). */
export const USAGE_PUSH_BATCH = 40;

export interface UsagePushDeps {
  database: Database;
  secretBox: SecretBox;
  peers: PeerClient;
}

/** Where B's records for a peer stand after a run. */
export interface UsagePushResult {
  peer_id: string;
  made: number;
  last_seq: number;
  acked_through: number;
  push_error: string;
}

function refusalText(status: number, body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  return `${status}: ${typeof error?.message === "string" ? error.message.slice(0, 500) : "refused"}`;
}

/**
 * Sends a peer every record above what it acknowledged, in order and in batches
 * (`POST /federation/v1/usage-records`), moving `acked_through` to what the peer answers. A
 * failure is recorded, not thrown: the next run sends the same records again, and the peer can
 * also ask for them (`GET /federation/v1/usage-records?after=`).
 */
export async function pushUsageRecords(deps: UsagePushDeps, peerId: string): Promise<UsagePushResult> {
  const { db } = deps.database;
  const peer = await db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", peerId)
    .executeTakeFirstOrThrow();
  const cursor = await db
    .selectFrom("federation_usage_cursors")
    .selectAll()
    .where("peer_id", "=", peerId)
    .executeTakeFirst();
  let acked = Number(cursor?.acked_through ?? 0);
  const lastSeq = Number(cursor?.last_seq ?? 0);
  let error = "";
  if (peer.state !== "active")
    error = `${peer.name} is ${peer.state}: usage records go to active peers only.`;
  const { signing } = await loadSigningIdentity(db, deps.secretBox);
  while (error === "" && acked < lastSeq) {
    const batch = await usageRecordsAfter(db, peerId, acked, USAGE_PUSH_BATCH);
    if (batch.length === 0) break;
    try {
      const answer = await deps.peers.signed(
        signing,
        peer.url,
        {
          method: "POST",
          path: "/usage-records",
          body: { records: batch.map((r) => ({ document: r.document, signature: r.signature })) },
        },
        peer,
      );
      const through = (answer.body as { acked_through?: unknown } | undefined)?.acked_through;
      if (answer.status !== 200 || typeof through !== "number") {
        error = refusalText(answer.status, answer.body);
        break;
      }
      // The peer may hold more than this batch (it pulled them), never more than was made.
      const next = Math.min(Math.max(acked, through), lastSeq);
      if (next <= acked) {
        error = `The peer acknowledged through ${through}, not past ${acked}: it holds a gap it does not fill.`;
        break;
      }
      acked = next;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
  }
  const now = new Date();
  await db
    .insertInto("federation_usage_cursors")
    .values({ peer_id: peerId })
    .onConflict((oc) => oc.column("peer_id").doNothing())
    .execute();
  await db
    .updateTable("federation_usage_cursors")
    .set({
      // Never moves back, whatever a concurrent run wrote.
      acked_through: (eb) => eb.fn("greatest", [eb.ref("acked_through"), eb.val(acked)]),
      push_error: error,
      ...(error === "" ? { pushed_at: now } : {}),
      updated_at: now,
    })
    .where("peer_id", "=", peerId)
    .execute();
  return { peer_id: peerId, made: 0, last_seq: lastSeq, acked_through: acked, push_error: error };
}

/**
 * The hourly job on B: for every active peer it serves, make the records of the hours closed
 * since the last run and push what the peer has not acknowledged.
 */
export async function runUsageSettlement(
  deps: UsagePushDeps,
  nowMs = Date.now(),
  onlyPeerId?: string,
): Promise<UsagePushResult[]> {
  let query = deps.database.db
    .selectFrom("federation_peers")
    .select("id")
    .where("state", "=", "active")
    .where("represented_by_account_id", "is not", null);
  if (onlyPeerId) query = query.where("id", "=", onlyPeerId);
  const results: UsagePushResult[] = [];
  for (const { id } of await query.orderBy("id").execute()) {
    const made = await makeUsageRecords(deps.database, deps.secretBox, id, nowMs);
    results.push({ ...(await pushUsageRecords(deps, id)), made: made.made });
  }
  return results;
}

/** How often B makes and pushes records: a closed hour reaches the peer within this of its end. */
export const USAGE_SETTLEMENT_EVERY_MS = 15 * 60_000;

/** The name of the recurring job that makes and pushes usage records (docs/jobs.md). */
export const USAGE_SETTLEMENT_TASK = "federation.usage-records";

/** Declares the recurring usage-records job on a job runner. */
export function scheduleUsageSettlement(runner: JobRunner, deps: UsagePushDeps): void {
  runner.define(USAGE_SETTLEMENT_TASK, {
    run: async (_payload, context) => {
      for (const r of await runUsageSettlement(deps))
        if (r.push_error)
          context.log.warn({ peer_id: r.peer_id, error: r.push_error }, "usage records not pushed");
    },
    // The next run sends the same records again: a retry would only overlap it.
    maxAttempts: 1,
  });
  runner.schedule({
    name: USAGE_SETTLEMENT_TASK,
    task: USAGE_SETTLEMENT_TASK,
    everyMs: USAGE_SETTLEMENT_EVERY_MS,
  });
}
