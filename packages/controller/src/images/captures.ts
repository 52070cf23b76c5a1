import { ConflictError, NotFoundError, newId } from "@layerboom/core";
import type { ImageJobSpec, Schema } from "@layerboom/db";
import { accountInSubtree } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { enqueueJob } from "../jobs/enqueue.js";
import { pathInside } from "../blobs/path-inside.js";
import { RUN_TASK, getImageJob, jobDir } from "./jobs.js";
import type { ImageJobView, ImageJobsConfig } from "./jobs.js";
import { lockAccountQuotas, quotasOf, requireRoom, usageOf } from "./quotas.js";

/** What a capture is asked to produce: a private image of the server's account. */
export interface CaptureRequest {
  /** The image's name: text only, never part of a path. */
  name: string;
  description?: string | undefined;
}

/** The uploaded copy of the disk in the capture job's folder (a name of ours). */
export function capturedFile(blobDir: string, jobId: string): string {
  return pathInside(jobDir(blobDir, jobId), "captured.qcow2");
}

/**
 * Captures a server's disk into a new private image of the server's account (docs/images.md,
 * "Capture"). In one transaction: the image row (`pending`, so its name is taken and it counts
 * against the `images` quota), the `capture` image job, the host's part (`image_captures`,
 * which puts the capture in the host's desired set) and the runner job. The agent copies the
 * disk and uploads it; the job verifies and generalises the copy and makes the image available.
 * Another tenant's server is not found, exactly as a missing one.
 */
export async function captureServer(
  ctx: ServiceContext,
  config: ImageJobsConfig,
  serverId: string,
  input: CaptureRequest,
): Promise<ImageJobView> {
  const server = await ctx.database.db
    .selectFrom("servers")
    .innerJoin("accounts", "accounts.id", "servers.account_id")
    .innerJoin("images", "images.id", "servers.image_id")
    .select([
      "servers.id",
      "servers.name",
      "servers.account_id",
      "servers.host_id",
      "servers.desired_state",
      "accounts.path as account_path",
      "images.os",
      "images.kernel_sha256",
      "images.kernel_size_bytes",
      "images.initrd_sha256",
      "images.initrd_size_bytes",
      "images.kernel_append",
    ])
    .where("servers.id", "=", serverId)
    .where("servers.deleted_at", "is", null)
    .where(accountInSubtree(ctx.principal.accountPath))
    .executeTakeFirst();
  if (!server) throw new NotFoundError("server", serverId);
  const hostId = server.host_id;
  if (hostId === null)
    throw new ConflictError(`Server ${serverId} has no host yet; there is no disk to capture.`);
  if (server.desired_state === "deleted")
    throw new ConflictError(`Server ${serverId} is being deleted; its disk cannot be captured.`);
  const jobId = newId("job");
  const imageId = newId("image");
  const spec: ImageJobSpec = {
    name: input.name,
    visibility: "private",
    server_id: server.id,
    image_id: imageId,
    ...(input.description ? { description: input.description } : {}),
  };
  try {
    await ctx.database.db.transaction().execute(async (trx) => {
      await lockAccountQuotas(trx, server.account_id);
      const quotas = await quotasOf(trx, server.account_id, config.limits.quotas);
      const usage = await usageOf(trx, server.account_id);
      requireRoom(quotas, usage, "image_jobs", 1, "another capture job");
      requireRoom(quotas, usage, "images", 1, "another image");
      requireRoom(quotas, usage, "image_bytes", 1, "another image");
      await trx
        .insertInto("images")
        .values({
          id: imageId,
          account_id: server.account_id,
          name: input.name,
          visibility: "private",
          os: server.os,
          format: "qcow2",
          status: "pending",
          size_bytes: null,
          sha256: null,
          md5: null,
          source: `capture:${server.id}`,
          deleted_at: null,
          // A server booted directly from a kernel and initrd (the tiny guest, Xen-style imports)
          // needs them to boot from its disk again: the image keeps the source image's.
          kernel_sha256: server.kernel_sha256,
          kernel_size_bytes: server.kernel_size_bytes,
          initrd_sha256: server.initrd_sha256,
          initrd_size_bytes: server.initrd_size_bytes,
          kernel_append: server.kernel_append,
          pipeline: "[]",
        })
        .execute();
      await trx
        .insertInto("image_jobs")
        .values({
          id: jobId,
          account_id: server.account_id,
          user_id: ctx.principal.userId,
          kind: "capture",
          spec: JSON.stringify(spec),
          bytes_total: null,
          image_id: imageId,
          result: null,
          error: null,
          lease_until: null,
          finished_at: null,
          started_at: null,
        })
        .execute();
      await trx
        .insertInto("image_captures")
        .values({ job_id: jobId, server_id: server.id, host_id: hostId })
        .execute();
      await trx
        .updateTable("servers")
        .set((eb) => ({ generation: eb("generation", "+", 1), updated_at: new Date() }))
        .where("id", "=", server.id)
        .execute();
      await enqueueJob(trx, {
        task: RUN_TASK,
        payload: { image_job_id: jobId },
        uniqueKey: `${RUN_TASK}:${jobId}`,
        groupKey: server.account_id,
        groupLimit: quotas.image_jobs_running,
      });
      await recordAudit(trx, ctx, {
        action: "server.capture",
        resourceType: "server",
        resourceId: server.id,
        accountId: server.account_id,
        accountPath: server.account_path,
        details: { name: input.name, image_id: imageId, job_id: jobId },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`An image named ${input.name} already exists.`, { field: "name" });
    throw err;
  }
  ctx.hostChanged?.(hostId);
  return getImageJob(ctx, jobId);
}

/**
 * Ends a capture that failed or was given up, in the transaction that fails its job: the host
 * stops copying (the capture leaves its desired set), and the pending image is marked failed
 * and deleted, so its name is free again and nothing half-registered remains.
 */
export async function abandonCapture(trx: Kysely<Schema>, jobId: string, error: string): Promise<void> {
  await trx
    .updateTable("image_captures")
    .set({ state: "failed", error: error.slice(0, 2000), updated_at: new Date() })
    .where("job_id", "=", jobId)
    .where("state", "in", ["copying", "uploaded"])
    .execute();
  const job = await trx
    .selectFrom("image_jobs")
    .select(["kind", "image_id"])
    .where("id", "=", jobId)
    .executeTakeFirst();
  if (job?.kind !== "capture" || !job.image_id) return;
  await trx
    .updateTable("images")
    .set({ status: "failed", deleted_at: new Date() })
    .where("id", "=", job.image_id)
    .where("status", "=", "pending")
    .execute();
}
