import { DomainError } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { requiredJurisdictionsOf } from "../accounts/residency.js";
import { enqueueJob } from "../jobs/enqueue.js";
import type { TaskDefinition } from "../jobs/job-runner.js";
import { PeerAnswerError } from "./errors.js";
import { loadSigningIdentity } from "./identity.js";
import type { PeerAnswer } from "./peer-client.js";
import type { PeerRow } from "./peers.js";
import type { RemoteServerJob } from "./remote-server-queue.js";
import { applyRemoteStates, receivedStates } from "./remote-servers.js";
import type { RemoteServerRow } from "./remote-servers.js";
import type { PeerCallDeps } from "./served-state-push.js";
import { crashPoint } from "../base/crash-points.js";

/** What the image step answers (helper "image-console"'s image-transfer.ts): the image's state at the peer. */
export interface ImageAtPeer {
  state: "importing" | "available" | "failed";
  error?: string | undefined;
}

/**
 * Sends a customer's image to a peer, or says how far it is: called by the create before it
 * sends the create, until the image is `available` there (docs/federation.md, "The image travels
 * first"). Without one, the create is sent as is and the peer's `image_not_ready` retries it.
 */
export type EnsureImageAtPeer = (peer: PeerRow, imageId: string) => Promise<ImageAtPeer>;

export interface RemoteServerJobDeps extends PeerCallDeps {
  ensureImageAtPeer?: EnsureImageAtPeer | undefined;
}

/** Re-reads every server a peer holds for this installation (GET /servers), once a minute. */
export const REREAD_TASK = "federation.reread-remote-servers";

/** A call that did not get the partner's word: the job retries it. */
class PartnerUnreachableError extends Error {}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function refusalOf(answer: PeerAnswer): { code: string; message: string } {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return {
    code: typeof error?.code === "string" ? error.code : String(answer.status),
    message: typeof error?.message === "string" ? error.message.slice(0, 500) : `refused (${answer.status})`,
  };
}

async function markUnreachable(db: Kysely<Schema>, id: string, message: string): Promise<void> {
  await db
    .updateTable("remote_servers")
    .set({ last_error: message.slice(0, 1000), updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

/**
 * One signed call about a remote server. An answer from the partner (any status below 500)
 * counts as hearing from it; no answer, or a 5xx, records the failure on the row (the API then
 * shows `unknown`) and throws, so the job retries. Hearing again after a failure re-reads the
 * partner's other servers.
 */
async function callPartner(
  deps: RemoteServerJobDeps,
  row: RemoteServerRow,
  request: { method: "GET" | "POST"; path: string; body?: unknown },
): Promise<PeerAnswer> {
  const { db } = deps.database;
  const peer = await db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", row.peer_id)
    .executeTakeFirstOrThrow();
  if (peer.state !== "active") {
    await markUnreachable(db, row.id, `The peering with ${peer.name} is ${peer.state}.`);
    throw new PartnerUnreachableError(`peer ${peer.id} is ${peer.state}`);
  }
  const { signing } = await loadSigningIdentity(db, deps.secretBox);
  let answer: PeerAnswer;
  try {
    answer = await deps.peers.signed(signing, peer.url, request, peer);
  } catch (err) {
    await markUnreachable(db, row.id, `${peer.name} could not be reached: ${errorText(err)}`);
    throw new PartnerUnreachableError(errorText(err));
  }
  if (answer.status >= 500) {
    await markUnreachable(db, row.id, `${peer.name} answered ${answer.status}.`);
    throw new PartnerUnreachableError(`${peer.name} answered ${answer.status}`);
  }
  const now = new Date();
  await db
    .updateTable("remote_servers")
    .set({ last_seen_at: now, last_error: null })
    .where("id", "=", row.id)
    .execute();
  if (row.last_error !== null) await enqueueReread(db, peer.id, now);
  return answer;
}

/** Queues a re-read of one peer, at most one per peer and minute. */
export async function enqueueReread(db: Kysely<Schema>, peerId: string, now = new Date()): Promise<void> {
  await enqueueJob(db, {
    task: REREAD_TASK,
    payload: { peer_id: peerId },
    uniqueKey: `${REREAD_TASK}:${peerId}:${Math.floor(now.getTime() / 60_000)}`,
  });
}

async function applyAnswer(db: Kysely<Schema>, row: RemoteServerRow, answer: PeerAnswer): Promise<void> {
  const server = (answer.body as { server?: unknown } | undefined)?.server;
  await applyRemoteStates(db, row.peer_id, receivedStates([server]));
}

/** A create the partner refused for good: the server failed, with the partner's reason. */
async function markRefused(db: Kysely<Schema>, id: string, answer: PeerAnswer): Promise<void> {
  const { code, message } = refusalOf(answer);
  await db
    .updateTable("remote_servers")
    .set({ remote_state: "failed", last_error: `${code}: ${message}`, updated_at: new Date() })
    .where("id", "=", id)
    .execute();
}

async function create(
  deps: RemoteServerJobDeps,
  row: RemoteServerRow,
  job: Extract<RemoteServerJob, { op: "create" }>,
): Promise<void> {
  const { db } = deps.database;
  if (row.remote_server_id !== null || row.remote_state === "failed") return;
  const peer = await db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", row.peer_id)
    .executeTakeFirstOrThrow();
  if (deps.ensureImageAtPeer) {
    let image: ImageAtPeer;
    try {
      image = await deps.ensureImageAtPeer(peer, row.image_id);
    } catch (err) {
      // Not reached, or refused by the peer: try again later. An image that cannot travel at
      // all (deleted, booting a kernel of its own) fails the create.
      if (err instanceof PeerAnswerError || !(err instanceof DomainError)) {
        await markUnreachable(db, row.id, `The image could not be sent to ${peer.name}: ${errorText(err)}`);
        throw err;
      }
      image = { state: "failed", error: err.message };
    }
    if (image.state === "failed") {
      await db
        .updateTable("remote_servers")
        .set({
          remote_state: "failed",
          last_error: `image: ${image.error ?? "the partner could not import it"}`,
        })
        .where("id", "=", row.id)
        .execute();
      return;
    }
    if (image.state !== "available") throw new Error("the image is still importing at the partner");
  }
  const [version, image, required] = await Promise.all([
    db
      .selectFrom("federation_offer_received_versions")
      .select(["document", "version"])
      .where("id", "=", row.offer_version_id)
      .executeTakeFirstOrThrow(),
    db.selectFrom("images").select("sha256").where("id", "=", row.image_id).executeTakeFirstOrThrow(),
    requiredJurisdictionsOf(db, row.account_id),
  ]);
  const answer = await callPartner(deps, row, {
    method: "POST",
    path: "/servers",
    body: {
      idempotency_key: row.id,
      offer_id: (JSON.parse(version.document) as { offer_id: string }).offer_id,
      offer_version: version.version,
      site_id: row.remote_site_id,
      plan_id: row.remote_plan_id,
      name: row.name,
      image_sha256: image.sha256 ?? "",
      ssh_public_keys: job.ssh_public_keys,
      ...(job.user_data_base64 !== undefined ? { user_data_base64: job.user_data_base64 } : {}),
      required_jurisdictions: required,
    },
  });
  if (answer.status === 200 || answer.status === 201) {
    // Killed here, the partner holds a server this installation has not recorded: the job runs
    // again once its lease runs out and the same idempotency key answers the same server.
    crashPoint("remote-create-answered");
    const server = (answer.body as { server?: { id?: unknown } } | undefined)?.server;
    if (typeof server?.id !== "string") throw new Error("the partner's answer names no server");
    await db
      .updateTable("remote_servers")
      .set({ remote_server_id: server.id })
      .where("id", "=", row.id)
      .where("remote_server_id", "is", null)
      .execute();
    await applyAnswer(db, row, answer);
    return;
  }
  // The image is on its way: ask again later.
  if (answer.status === 409 && refusalOf(answer).code === "image_not_ready")
    throw new Error("the partner does not have the image yet");
  await markRefused(db, row.id, answer);
}

/** Waits for the create to have answered before anything else is sent (throws to retry). */
function requireCreated(row: RemoteServerRow): string {
  if (row.remote_server_id === null) throw new Error("the create has not been answered yet");
  return row.remote_server_id;
}

async function power(deps: RemoteServerJobDeps, row: RemoteServerRow, reboot: boolean): Promise<void> {
  if (row.remote_state === "failed" || row.desired_state === "deleted") return;
  if (reboot && row.desired_state !== "running") return;
  const remoteId = requireCreated(row);
  // The power state wanted now, not when the job was queued: a stop and a start queued while the
  // partner was away end as the customer last asked.
  const action = reboot ? "reboot" : row.desired_state === "running" ? "start" : "stop";
  const answer = await callPartner(deps, row, {
    method: "POST",
    path: `/servers/${encodeURIComponent(remoteId)}/actions`,
    body: { action },
  });
  if (answer.status === 200) await applyAnswer(deps.database.db, row, answer);
  // A 409 is the partner saying the server already is so (or cannot be now): nothing to repeat.
}

async function remove(deps: RemoteServerJobDeps, row: RemoteServerRow): Promise<void> {
  const { db } = deps.database;
  if (row.remote_state === "failed" && row.remote_server_id === null) {
    const now = new Date();
    await db
      .updateTable("remote_servers")
      .set({ remote_state: "deleted", deleted_at: now, updated_at: now })
      .where("id", "=", row.id)
      .execute();
    return;
  }
  const remoteId = requireCreated(row);
  const answer = await callPartner(deps, row, {
    method: "POST",
    path: `/servers/${encodeURIComponent(remoteId)}/delete`,
    body: {},
  });
  if (answer.status === 200) await applyAnswer(db, row, answer);
  else if (answer.status === 404) {
    // The partner holds no such server (any more): it is gone.
    const now = new Date();
    await db
      .updateTable("remote_servers")
      .set({ remote_state: "deleted", deleted_at: now, updated_at: now })
      .where("id", "=", row.id)
      .execute();
  }
}

/** The remote server job: retried with backoff while the partner cannot be reached. */
export function remoteServerTask(
  deps: RemoteServerJobDeps,
): TaskDefinition<RemoteServerJob & { remote_server_id: string }> {
  return {
    run: async (payload) => {
      const row = await deps.database.db
        .selectFrom("remote_servers")
        .selectAll()
        .where("id", "=", payload.remote_server_id)
        .executeTakeFirst();
      if (!row || row.deleted_at !== null) return;
      switch (payload.op) {
        case "create":
          return create(deps, row, payload);
        case "power":
          return power(deps, row, false);
        case "reboot":
          return power(deps, row, true);
        case "delete":
          return remove(deps, row);
      }
    },
    grouped: true,
    // A controller killed mid-call hands the job on within 20 s, not the default minute: the
    // customer is waiting for that server (the call is idempotent, so running it twice is safe).
    leaseMs: 20_000,
    // A partner away for days still gets what was asked when it is back.
    maxAttempts: 10_000,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
  };
}

/**
 * Re-reads every server a peer holds for this installation (`GET /servers`, page by page) and
 * applies the newer states. A failure marks the peer's live servers (shown `unknown`).
 */
export async function rereadPeer(deps: PeerCallDeps, peerId: string): Promise<void> {
  const { db } = deps.database;
  const peer = await db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", peerId)
    .executeTakeFirst();
  if (!peer || peer.state !== "active") return;
  const { signing } = await loadSigningIdentity(db, deps.secretBox);
  let after: string | null = null;
  try {
    for (let page = 0; page < 1_000; page++) {
      const path: string = `/servers${after ? `?after=${encodeURIComponent(after)}` : ""}`;
      const answer = await deps.peers.signed(signing, peer.url, { method: "GET", path }, peer);
      if (answer.status !== 200) throw new Error(`${peer.name} answered ${answer.status}`);
      const body = answer.body as { items?: unknown; next?: unknown };
      await applyRemoteStates(db, peer.id, receivedStates(body.items));
      after = typeof body.next === "string" ? body.next : null;
      if (after === null) break;
    }
  } catch (err) {
    await db
      .updateTable("remote_servers")
      .set({ last_error: `${peer.name} could not be read: ${errorText(err)}`.slice(0, 1000) })
      .where("peer_id", "=", peer.id)
      .where("deleted_at", "is", null)
      .execute();
    throw err;
  }
}

/** Every active peer holding live servers for this installation is re-read. */
export async function rereadAllPeers(deps: PeerCallDeps): Promise<void> {
  const peers = await deps.database.db
    .selectFrom("remote_servers as r")
    .innerJoin("federation_peers as p", "p.id", "r.peer_id")
    .select("r.peer_id")
    .distinct()
    .where("r.deleted_at", "is", null)
    .where("r.remote_server_id", "is not", null)
    .where("p.state", "=", "active")
    .execute();
  const failures: string[] = [];
  for (const { peer_id: peerId } of peers)
    await rereadPeer(deps, peerId).catch((err: unknown) => failures.push(`${peerId}: ${errorText(err)}`));
  if (failures.length > 0) throw new Error(`re-reads failed: ${failures.join("; ")}`);
}
