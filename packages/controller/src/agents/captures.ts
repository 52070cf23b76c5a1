import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConflictError, InsufficientStorageError, InvalidInputError, NotFoundError } from "@layerboom/core";
import type { CaptureObservation, CaptureUpload } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { leavesReserve } from "../blobs/free-space.js";
import { pathInside } from "../blobs/path-inside.js";
import { capturedFile } from "../images/captures.js";
import { jobDir } from "../images/jobs.js";
import type { ImageJobsConfig } from "../images/jobs.js";

/**
 * The captures each server of a host should take now (docs/images.md, "Capture"): those the
 * host has not uploaded yet, of jobs still queued or running. A capture leaves the list when
 * its upload is stored or it failed, and the agent then deletes any copy it still has.
 */
export async function wantedCaptures(database: Database, hostId: string): Promise<Map<string, string[]>> {
  const wanted = new Map<string, string[]>();
  for (const c of await database.db
    .selectFrom("image_captures")
    .innerJoin("image_jobs", "image_jobs.id", "image_captures.job_id")
    .select(["image_captures.job_id", "image_captures.server_id"])
    .where("image_captures.host_id", "=", hostId)
    .where("image_captures.state", "=", "copying")
    .where("image_jobs.state", "in", ["queued", "running"])
    .orderBy("image_captures.job_id")
    .execute()) {
    const list = wanted.get(c.server_id) ?? [];
    list.push(c.job_id);
    wanted.set(c.server_id, list);
  }
  return wanted;
}

/** The agent could not copy or upload these captures: the job fails with its error (capture-job.ts). */
export async function recordCaptureFailures(
  trx: Kysely<Schema>,
  hostId: string,
  serverId: string,
  failures: readonly CaptureObservation[],
): Promise<void> {
  for (const f of failures) {
    await trx
      .updateTable("image_captures")
      .set({ state: "failed", error: f.error.slice(0, 2000), updated_at: new Date() })
      .where("job_id", "=", f.capture_id)
      .where("host_id", "=", hostId)
      .where("server_id", "=", serverId)
      .where("state", "=", "copying")
      .execute();
  }
}

/** qcow2 metadata on top of the disk's own size: L1/L2 and refcount tables, with room. */
const QCOW2_OVERHEAD = (bytes: number) => Math.ceil(bytes * 0.02) + 64 * 1024 ** 2;

/**
 * Stores a host's upload of a captured disk as `captured.qcow2` in the capture job's folder:
 * only the host the capture was asked of may send it, only while it is wanted, at most the
 * server's disk size plus qcow2 metadata, never below the blob volume's free-space reserve.
 * It arrives under a temporary name and is renamed once whole and matching the size and sha256
 * the agent announced; the capture is marked uploaded only then.
 */
export async function receiveCapture(
  database: Database,
  config: ImageJobsConfig,
  hostId: string,
  captureId: string,
  upload: CaptureUpload,
  body: Readable,
): Promise<void> {
  const capture = await database.db
    .selectFrom("image_captures")
    .innerJoin("image_jobs", "image_jobs.id", "image_captures.job_id")
    .innerJoin("servers", "servers.id", "image_captures.server_id")
    .innerJoin("plans", "plans.id", "servers.plan_id")
    .select(["image_captures.job_id", "image_captures.state", "plans.disk_gib"])
    .where("image_captures.job_id", "=", captureId)
    .where("image_captures.host_id", "=", hostId)
    .where("image_jobs.state", "in", ["queued", "running"])
    .executeTakeFirst();
  // Another host's capture and one that does not exist look the same.
  if (!capture) throw new NotFoundError("capture", captureId);
  if (capture.state !== "copying") throw new ConflictError(`Capture ${captureId} is ${capture.state}.`);
  const cap = capture.disk_gib * 1024 ** 3 + QCOW2_OVERHEAD(capture.disk_gib * 1024 ** 3);
  if (upload.size_bytes > cap)
    throw new InvalidInputError(
      "size_bytes",
      `a copy of a ${capture.disk_gib} GiB disk cannot be ${upload.size_bytes} bytes`,
    );
  if (!(await leavesReserve(config.blobDir, upload.size_bytes, config.limits.freeSpaceReserveBytes)))
    throw new InsufficientStorageError("The image store is below its free-space reserve; try again later.");
  const dir = jobDir(config.blobDir, captureId);
  await mkdir(dir, { recursive: true });
  const partial = pathInside(dir, `upload-${randomBytes(6).toString("hex")}.partial`);
  const hash = createHash("sha256");
  let received = 0;
  try {
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _enc, callback) {
          received += chunk.length;
          if (received > upload.size_bytes) {
            callback(new InvalidInputError("body", `more than the announced ${upload.size_bytes} bytes`));
            return;
          }
          hash.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(partial, { mode: 0o600 }),
    );
    const sha256 = hash.digest("hex");
    if (received !== upload.size_bytes || sha256 !== upload.sha256)
      throw new InvalidInputError(
        "body",
        `the copy arrived as ${received} bytes with sha256 ${sha256}, not the announced ${upload.size_bytes} bytes ${upload.sha256}`,
      );
    const handle = await open(partial, "r");
    await handle.sync().finally(() => handle.close());
    await rename(partial, capturedFile(config.blobDir, captureId));
    const stored = await database.db
      .updateTable("image_captures")
      .set({
        state: "uploaded",
        method: upload.method,
        size_bytes: received,
        sha256,
        updated_at: new Date(),
      })
      .where("job_id", "=", captureId)
      .where("state", "=", "copying")
      .executeTakeFirst();
    if (Number(stored.numUpdatedRows) === 0) {
      await rm(capturedFile(config.blobDir, captureId), { force: true });
      throw new ConflictError(`Capture ${captureId} ended while its copy was arriving.`);
    }
  } finally {
    await rm(partial, { force: true });
    // A job that ended meanwhile has had its folder removed: do not leave a new one behind.
    const job = await database.db
      .selectFrom("image_jobs")
      .select("state")
      .where("id", "=", captureId)
      .executeTakeFirst();
    if (job?.state !== "queued" && job?.state !== "running") await rm(dir, { recursive: true, force: true });
  }
}
