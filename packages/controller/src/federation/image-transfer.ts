import { ConflictError, InvalidInputError, NotFoundError, newId } from "@layerboom/core";
import type { Database, ImageJobSpec, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { SecretBox } from "../base/secret-box.js";
import { recordAudit } from "../base/audit.js";
import { systemActor } from "../base/context.js";
import { enqueueJob } from "../jobs/enqueue.js";
import { RUN_TASK } from "../images/jobs.js";
import type { ImageJobsConfig } from "../images/jobs.js";
import { lockAccountQuotas, quotasOf, requireRoom, usageOf } from "../images/quotas.js";
import { PeerAnswerError, ProfileNotConfiguredError } from "./errors.js";
import { loadSigningIdentity } from "./identity.js";
import { IMAGE_BLOB_KEY_PURPOSE, IMAGE_BLOB_TOKEN_SECONDS, imageBlobToken } from "./image-blob-tokens.js";
import { PROTOCOL_PREFIX, allowanceFor } from "./peer-client.js";
import type { PeerClient } from "./peer-client.js";
import type { PeerRow } from "./peers.js";
import { representativeAccount } from "./representative-account.js";

/** Where an image a peer sent stands at B (docs/federation.md "Remote servers: the protocol"). */
export interface PeerImageState {
  state: "available" | "importing" | "failed";
  error?: string;
}

/** B's answer to `POST` and `GET /federation/v1/images`. */
export interface ServedImageAnswer extends PeerImageState {
  sha256: string;
}

/** The path an image's blob is served at on A, for the token. */
export function imageBlobPath(token: string): string {
  return `${PROTOCOL_PREFIX}/image-blobs/${token}`;
}

// ---------------------------------------------------------------------------------------------
// A's side: send an image to the peer that will run a server from it.

/** What A needs to send an image: its database, key (to sign and to MAC) and the peer client. */
export interface ImageSendDeps {
  database: Database;
  secretBox: SecretBox;
  peers: PeerClient;
}

/** The peer an image is sent to: its id (named in the token), address and answering key. */
export type ImageRecipient = Pick<PeerRow, "id" | "url" | "fingerprint" | "public_key">;

function answerOf(status: number, body: unknown, peerUrl: string, sha256: string): ServedImageAnswer {
  const b = body as Partial<ServedImageAnswer> | undefined;
  if (b?.sha256 !== sha256 || (b.state !== "available" && b.state !== "importing" && b.state !== "failed"))
    throw new PeerAnswerError(`${peerUrl} answered ${status} for image ${sha256} without its state.`);
  return {
    sha256,
    state: b.state,
    ...(typeof b.error === "string" ? { error: b.error.slice(0, 1000) } : {}),
  };
}

function refusal(status: number, body: unknown, peerUrl: string): PeerAnswerError {
  const message = (body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return new PeerAnswerError(
    `${peerUrl} answered ${status}${typeof message === "string" ? `: ${message.slice(0, 300)}` : ""}.`,
  );
}

/**
 * A's side: makes sure the peer holds `image` (one of A's available disk images), and says where
 * it stands there. It asks first (`GET /images/{sha256}`); only when the peer does not know the
 * image (or, with `retryFailed`, its import failed) does it send it (`POST /images`) with a URL
 * of A's for the blob that only this peer may fetch, for an hour. The peer imports it through
 * its own pipeline, once per SHA-256, so calling again sends nothing new: a create job calls it
 * until the state is `available`. Throws PeerAnswerError when the peer cannot be reached or
 * refuses.
 */
export async function ensureImageAtPeer(
  deps: ImageSendDeps,
  peer: ImageRecipient,
  image: { id: string },
  options: { retryFailed?: boolean; now?: Date } = {},
): Promise<PeerImageState> {
  const row = await deps.database.db
    .selectFrom("images")
    .select(["id", "name", "status", "sha256", "size_bytes", "kernel_sha256", "deleted_at"])
    .where("id", "=", image.id)
    .executeTakeFirst();
  if (!row || row.deleted_at !== null) throw new NotFoundError("image", image.id);
  if (row.status !== "available" || !row.sha256 || row.size_bytes === null)
    throw new ConflictError(`Image ${row.id} is ${row.status}; only available images travel.`);
  // The peer's import pipeline takes a disk; a kernel booted beside it would not go with it.
  if (row.kernel_sha256 !== null)
    throw new ConflictError(
      `Image ${row.id} boots a kernel of its own; only disk images travel to a partner.`,
    );
  const sha256 = row.sha256;
  const { profile, signing } = await loadSigningIdentity(deps.database.db, deps.secretBox);
  if (!profile.url) throw new ProfileNotConfiguredError("sending images to peers");

  const asked = await deps.peers.signed(
    signing,
    peer.url,
    { method: "GET", path: `/images/${sha256}` },
    peer,
  );
  if (asked.status === 200) {
    const known = answerOf(asked.status, asked.body, peer.url, sha256);
    if (known.state !== "failed" || !options.retryFailed) return stateOnly(known);
  } else if (asked.status !== 404) throw refusal(asked.status, asked.body, peer.url);

  const now = options.now ?? new Date();
  const token = imageBlobToken(deps.secretBox.derivedKey(IMAGE_BLOB_KEY_PURPOSE), {
    imageId: row.id,
    peerId: peer.id,
    expiresAt: Math.floor(now.getTime() / 1000) + IMAGE_BLOB_TOKEN_SECONDS,
  });
  const sent = await deps.peers.signed(
    signing,
    peer.url,
    {
      method: "POST",
      path: "/images",
      body: {
        sha256,
        size_bytes: row.size_bytes,
        name: row.name,
        url: `${profile.url}${imageBlobPath(token)}`,
      },
    },
    peer,
  );
  if (sent.status < 200 || sent.status > 299) throw refusal(sent.status, sent.body, peer.url);
  return stateOnly(answerOf(sent.status, sent.body, peer.url, sha256));
}

function stateOnly(answer: ServedImageAnswer): PeerImageState {
  return { state: answer.state, ...(answer.error ? { error: answer.error } : {}) };
}

// ---------------------------------------------------------------------------------------------
// B's side: import what a peer sends, once per SHA-256, into the account that represents it.

/** What B needs to import a peer's image: the image jobs' folder and limits, and a wake-up. */
export interface ImageReceiveDeps {
  database: Database;
  imageJobs: ImageJobsConfig;
  /** Wakes the job runner after an import is queued. */
  jobQueued?: () => void;
}

/** A peer's `POST /federation/v1/images` body, as its schema let it through. */
export interface SentImage {
  sha256: string;
  size_bytes: number;
  name: string;
  url: string;
}

async function stateOf(
  db: Kysely<Schema>,
  peerId: string,
  sha256: string,
  lock = false,
): Promise<(ServedImageAnswer & { jobId: string | null }) | undefined> {
  let q = db
    .selectFrom("federation_served_images as s")
    .leftJoin("image_jobs as j", "j.id", "s.job_id")
    .leftJoin("images as i", "i.id", "s.image_id")
    .select([
      "s.job_id",
      "s.image_id",
      "j.state as job_state",
      "j.error as job_error",
      "i.status as image_status",
      "i.deleted_at as image_deleted_at",
    ])
    .where("s.peer_id", "=", peerId)
    .where("s.sha256", "=", sha256);
  if (lock) q = q.forUpdate("s");
  const row = await q.executeTakeFirst();
  if (!row) return undefined;
  const base = { sha256, jobId: row.job_id };
  if (row.image_id !== null) {
    if (row.image_status === "available" && row.image_deleted_at === null)
      return { ...base, state: "available" };
    return { ...base, state: "failed", error: "the image imported from it was deleted here" };
  }
  if (row.job_state === "failed")
    return { ...base, state: "failed", error: row.job_error?.message ?? "the import failed" };
  return { ...base, state: "importing" };
}

/** B's side: where an image a peer sent stands here, or undefined when it never sent it. */
export async function servedImageState(
  database: Database,
  peer: Pick<PeerRow, "id">,
  sha256: string,
): Promise<ServedImageAnswer | undefined> {
  const found = await stateOf(database.db, peer.id, sha256);
  return (
    found && { sha256: found.sha256, state: found.state, ...(found.error ? { error: found.error } : {}) }
  );
}

/** The image's name here: the peer's, made unique in its account by the digest. */
function servedImageName(name: string, sha256: string): string {
  const printable = [...name].filter((c) => c >= " " && c !== "\u007f").join("");
  return `${printable.slice(0, 80)}-${sha256.slice(0, 12)}`;
}

/**
 * B's side: a peer sent an image. Unknown here, it is imported from the peer's URL through this
 * installation's own pipeline (fetch through the outbound guard with the peer's allowance only,
 * inspector, conversion) into the peer's representative account, and the downloaded file must
 * have the SHA-256 the peer named; already sent, nothing new starts unless its import failed. The
 * (peer, SHA-256) row is claimed in the transaction that queues the job, so two racing sends
 * queue one import. The URL must be on the peer's own origin: 422 naming `url` otherwise.
 */
export async function receivePeerImage(
  deps: ImageReceiveDeps,
  peer: PeerRow,
  sent: SentImage,
): Promise<ServedImageAnswer> {
  const sha256 = sent.sha256.toLowerCase();
  let url: URL;
  try {
    url = new URL(sent.url);
  } catch {
    throw new InvalidInputError("url", "url is not an absolute URL");
  }
  const origin = new URL(peer.url);
  if (url.protocol !== origin.protocol || url.host !== origin.host || url.username || url.password)
    throw new InvalidInputError("url", `url must be on your own address (${origin.origin}), not ${url.host}`);
  if (sent.size_bytes > deps.imageJobs.limits.maxSourceBytes)
    throw new InvalidInputError(
      "size_bytes",
      `the image is larger than the ${deps.imageJobs.limits.maxSourceBytes}-byte cap on imports here`,
    );

  const known = await servedImageState(deps.database, peer, sha256);
  if (known && known.state !== "failed") return known;

  const account = await representativeAccount(deps.database, peer);
  const jobId = newId("job");
  const spec: ImageJobSpec = {
    name: servedImageName(sent.name, sha256),
    visibility: "private",
    source: { kind: "url", url: url.href },
    expected_sha256: sha256,
    fetch_allow: [allowanceFor(peer.url)],
    federation_peer_id: peer.id,
  };
  const queued = await deps.database.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto("federation_served_images")
      .values({ peer_id: peer.id, sha256, image_id: null, job_id: jobId })
      .onConflict((oc) => oc.columns(["peer_id", "sha256"]).doNothing())
      .returning("sha256")
      .executeTakeFirst();
    if (!claimed) {
      // Sent before (or by a racing request): a failed import starts again, anything else stands.
      const current = await stateOf(trx, peer.id, sha256, true);
      if (!current || current.state !== "failed") return false;
      await trx
        .updateTable("federation_served_images")
        .set({ job_id: jobId, image_id: null })
        .where("peer_id", "=", peer.id)
        .where("sha256", "=", sha256)
        .execute();
    }
    await lockAccountQuotas(trx, account.id);
    const quotas = await quotasOf(trx, account.id, deps.imageJobs.limits.quotas);
    const usage = await usageOf(trx, account.id);
    requireRoom(quotas, usage, "image_jobs", 1, "another import job");
    requireRoom(quotas, usage, "images", 1, "another image");
    requireRoom(quotas, usage, "image_bytes", sent.size_bytes, `this image (${sent.size_bytes} bytes)`);
    await trx
      .insertInto("image_jobs")
      .values({
        id: jobId,
        account_id: account.id,
        user_id: null,
        kind: "import",
        spec: JSON.stringify(spec),
        bytes_total: sent.size_bytes,
        image_id: null,
        result: null,
        error: null,
        lease_until: null,
        finished_at: null,
        started_at: null,
      })
      .execute();
    await enqueueJob(trx, {
      task: RUN_TASK,
      payload: { image_job_id: jobId },
      uniqueKey: `${RUN_TASK}:${jobId}`,
      groupKey: account.id,
      groupLimit: quotas.image_jobs_running,
    });
    await recordAudit(trx, systemActor("federation"), {
      action: "image.import.queue",
      resourceType: "image_job",
      resourceId: jobId,
      accountId: account.id,
      accountPath: account.path,
      details: { name: spec.name, url: url.href, peer_id: peer.id, sha256 },
    });
    return true;
  });
  if (queued) deps.jobQueued?.();
  return (await servedImageState(deps.database, peer, sha256)) ?? { sha256, state: "importing" };
}
