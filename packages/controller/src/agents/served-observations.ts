import type { ServerObservedState } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { enqueueJob } from "../jobs/enqueue.js";

// Servers this installation runs for a federation peer (docs/federation.md, "Remote servers"):
// what an agent observes of them is numbered here, where observations land, and pushed to the
// peer by the federation feature's job (federation/served-state-push.ts).

/** The job that pushes a peer the states it has not acknowledged. */
export const PUSH_STATES_TASK = "federation.push-server-states";

/**
 * Queues a push to a peer, in the caller's transaction. Keyed by the change, so every change
 * gets its push; one runs at a time per peer, and each sends whatever is unacknowledged then.
 */
export async function enqueueStatePush(
  db: Kysely<Schema>,
  peerId: string,
  serverId: string,
  version: number,
): Promise<void> {
  await enqueueJob(db, {
    task: PUSH_STATES_TASK,
    payload: { peer_id: peerId },
    uniqueKey: `${PUSH_STATES_TASK}:${serverId}:${version}`,
    groupKey: `${PUSH_STATES_TASK}:${peerId}`,
  });
}

/**
 * Which of these servers this installation runs for a peer: one indexed read per agent report,
 * so a host's ordinary servers cost nothing more per observation.
 */
export async function servedAmong(trx: Kysely<Schema>, serverIds: readonly string[]): Promise<Set<string>> {
  if (serverIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom("federation_served_servers")
    .select("server_id")
    .where("server_id", "in", serverIds)
    .execute();
  return new Set(rows.map((r) => r.server_id));
}

/**
 * An agent's observation of a server run for a peer (see servedAmong), before it is recorded: when it changes what a peer sees
 * (observed state or addresses) of a server run for that peer, its state_version is bumped and
 * a push queued. One statement.
 */
export async function noteServedObservation(
  trx: Kysely<Schema>,
  hostId: string,
  serverId: string,
  state: string,
  addressesJson: string | undefined,
): Promise<void> {
  const bumped = await trx
    .updateTable("federation_served_servers as f")
    .from("servers as s")
    .set((eb) => ({ state_version: eb("f.state_version", "+", 1) }))
    .where("f.server_id", "=", serverId)
    .whereRef("s.id", "=", "f.server_id")
    .where("s.host_id", "=", hostId)
    .where("s.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb("s.observed_state", "!=", state as ServerObservedState),
        ...(addressesJson === undefined
          ? []
          : [eb(sql<string>`s.addresses::text`, "!=", sql<string>`${addressesJson}::jsonb::text`)]),
      ]),
    )
    .returning(["f.peer_id", "f.state_version"])
    .executeTakeFirst();
  if (bumped) await enqueueStatePush(trx, bumped.peer_id, serverId, Number(bumped.state_version));
}
