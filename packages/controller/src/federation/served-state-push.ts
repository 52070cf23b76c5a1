import type { Database } from "@layerboom/db";
import type { SecretBox } from "../base/secret-box.js";
import { PeerAnswerError } from "./errors.js";
import { loadSigningIdentity } from "./identity.js";
import type { PeerClient } from "./peer-client.js";
import { unpushedStates } from "./served-server-states.js";

/** What calls to peers from background work need. */
export interface PeerCallDeps {
  database: Database;
  secretBox: SecretBox;
  peers: PeerClient;
}

const PUSH_BATCH = 100;

/**
 * Pushes a peer every state it has not acknowledged (`POST /federation/v1/server-states`, signed),
 * a hundred at a time, and records what it acknowledged. Throws when the peer cannot be reached
 * or refuses, so the job retries; the 30-second schedule catches whatever is left.
 */
export async function pushServerStates(deps: PeerCallDeps, peerId: string): Promise<number> {
  const { db } = deps.database;
  const peer = await db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", peerId)
    .executeTakeFirst();
  // Only active peers are told anything; a resumed peer hears it all then.
  if (!peer || peer.state !== "active") return 0;
  const { signing } = await loadSigningIdentity(db, deps.secretBox);
  let pushed = 0;
  for (;;) {
    const states = await unpushedStates(db, peer.id, PUSH_BATCH);
    if (states.length === 0) return pushed;
    const answer = await deps.peers.signed(
      signing,
      peer.url,
      { method: "POST", path: "/server-states", body: { servers: states } },
      peer,
    );
    if (answer.status !== 200)
      throw new PeerAnswerError(`${peer.name} answered ${answer.status} to pushed server states.`);
    // Acknowledged: each row up to the version sent (a newer bump meanwhile stays unpushed).
    for (const s of states)
      await db
        .updateTable("federation_served_servers")
        .set({ pushed_version: s.state_version })
        .where("server_id", "=", s.id)
        .where("pushed_version", "<", s.state_version)
        .execute();
    pushed += states.length;
    if (states.length < PUSH_BATCH) return pushed;
  }
}

/** The safety net: every active peer with unacknowledged states is pushed them. */
export async function pushAllServerStates(deps: PeerCallDeps): Promise<void> {
  const peers = await deps.database.db
    .selectFrom("federation_served_servers as f")
    .innerJoin("federation_peers as p", "p.id", "f.peer_id")
    .select("f.peer_id")
    .distinct()
    .whereRef("f.pushed_version", "<", "f.state_version")
    .where("p.state", "=", "active")
    .execute();
  const failures: string[] = [];
  for (const { peer_id: peerId } of peers)
    await pushServerStates(deps, peerId).catch((err: unknown) =>
      failures.push(`${peerId}: ${err instanceof Error ? err.message : String(err)}`),
    );
  if (failures.length > 0) throw new Error(`pushes failed: ${failures.join("; ")}`);
}
