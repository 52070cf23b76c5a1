import type { Schema } from "@layerboom/db";
import { NotFoundError } from "@layerboom/core";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { enqueueStatePush } from "../agents/served-observations.js";
import type { PeerRow } from "./peers.js";

// What a peer hears of the servers this installation runs for it (docs/federation.md, "Remote
// servers: the protocol"): the contract's `State`, read for answers, lists and pushes, and the
// state_version that orders them.

/** A served server's state as the peer hears of it (the contract's `State`). */
export interface ServedServerState {
  id: string;
  idempotency_key: string;
  name: string;
  site_id: string;
  plan_id: string;
  desired_state: string;
  state: string;
  addresses: { kind: string; address: string }[];
  state_version: number;
  updated_at: string;
}

/** Deleted servers stay in the peer's list this long, so a peer that was away still hears of them. */
const DELETED_LISTED_MS = 7 * 24 * 3_600_000;

function statesQuery(db: Kysely<Schema>) {
  return db
    .selectFrom("federation_served_servers as f")
    .innerJoin("servers as s", "s.id", "f.server_id")
    .select([
      "s.id",
      "f.idempotency_key",
      "f.peer_id",
      "s.name",
      "s.site_id",
      "s.plan_id",
      "s.desired_state",
      "s.observed_state",
      "s.addresses",
      "s.deleted_at",
      "f.state_version",
      "f.pushed_version",
    ])
    .select(sql<Date>`greatest(s.updated_at, coalesce(s.observed_at, s.updated_at))`.as("changed_at"))
    .select(
      sql<string[]>`coalesce((SELECT array_agg(a.address::text ORDER BY a.role DESC, a.address::inet)
        FROM ip_addresses a WHERE a.server_id = s.id AND a.released_at IS NULL), '{}')`.as("public_ipv4"),
    );
}

type StateRow = Awaited<ReturnType<ReturnType<typeof statesQuery>["execute"]>>[number];

function stateOf(row: StateRow): ServedServerState {
  const observed = (Array.isArray(row.addresses) ? row.addresses : []) as {
    kind?: unknown;
    address?: unknown;
  }[];
  return {
    id: row.id,
    idempotency_key: row.idempotency_key,
    name: row.name,
    site_id: row.site_id,
    plan_id: row.plan_id,
    desired_state: row.desired_state,
    state: row.deleted_at !== null ? "deleted" : row.observed_state,
    addresses: [
      ...row.public_ipv4.map((address) => ({ kind: "ipv4", address })),
      ...observed.flatMap((a) =>
        typeof a.kind === "string" && typeof a.address === "string"
          ? [{ kind: a.kind, address: a.address }]
          : [],
      ),
    ],
    state_version: Number(row.state_version),
    updated_at: new Date(row.changed_at).toISOString(),
  };
}

/** A peer's served server, or 404 as for an unknown id (also for another peer's server). */
export async function getServedServer(
  db: Kysely<Schema>,
  peer: PeerRow,
  id: string,
): Promise<ServedServerState> {
  const row = await statesQuery(db)
    .where("f.peer_id", "=", peer.id)
    .where("s.id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("server", id);
  return stateOf(row);
}

/** A page of a peer's served servers by id, deleted ones for a week. */
export async function listServedServers(
  db: Kysely<Schema>,
  peer: PeerRow,
  page: { after?: string | undefined; limit: number },
): Promise<{ items: ServedServerState[]; next: string | null }> {
  let q = statesQuery(db)
    .where("f.peer_id", "=", peer.id)
    .where((eb) =>
      eb.or([
        eb("s.deleted_at", "is", null),
        eb("s.deleted_at", ">", new Date(Date.now() - DELETED_LISTED_MS)),
      ]),
    );
  if (page.after) q = q.where("s.id", ">", page.after);
  const rows = await q
    .orderBy("s.id")
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map(stateOf);
  return { items, next: rows.length > page.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The states not yet acknowledged by a peer, oldest server first. */
export async function unpushedStates(db: Kysely<Schema>, peerId: string, limit: number) {
  const rows = await statesQuery(db)
    .where("f.peer_id", "=", peerId)
    .whereRef("f.pushed_version", "<", "f.state_version")
    .orderBy("s.id")
    .limit(limit)
    .execute();
  return rows.map(stateOf);
}

/**
 * Bumps a served server's state_version (a change its peer should hear of) and queues a push.
 * For any other server it is one indexed UPDATE that matches nothing.
 */
export async function bumpServedState(db: Kysely<Schema>, serverId: string): Promise<void> {
  const bumped = await db
    .updateTable("federation_served_servers")
    .set((eb) => ({ state_version: eb("state_version", "+", 1) }))
    .where("server_id", "=", serverId)
    .returning(["peer_id", "state_version"])
    .executeTakeFirst();
  if (bumped) await enqueueStatePush(db, bumped.peer_id, serverId, Number(bumped.state_version));
}
