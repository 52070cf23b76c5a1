import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  ConflictError,
  DomainError,
  InsufficientStorageError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireAdmin,
  requireProviderAdmin,
} from "@layerboom/core";
import { recordAudit } from "../base/audit.js";
import { enqueueJob } from "../jobs/enqueue.js";
import type { ImageJobRow, ImageJobSpec } from "@layerboom/db";
import { accountInSubtree } from "@layerboom/db";
import { PASSWORD_HASH } from "@layerboom/images";
import { leavesReserve } from "../blobs/free-space.js";
import { pathInside } from "../blobs/path-inside.js";
import { getImage } from "./images.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { checkFetchUrl, FetchRefusedError } from "./fetch-url.js";
import { claimUploadSlot, lockAccountQuotas, quotasOf, requireRoom, usageOf } from "./quotas.js";
import type { CompiledImageJobLimits } from "./settings.js";
import { SourceDigests } from "./source-digests.js";

/** The job runner's task that runs one image job (runner.ts). */
export const RUN_TASK = "image-jobs.run";

/** A job as the API shows it. */
export type ImageJobView = Omit<ImageJobRow, "lease_until" | "started_at">;

/** Where job folders live: beside the blob store, on the same (shared) storage. */
export function jobsDir(blobDir: string): string {
  return pathInside(blobDir, ".image-jobs");
}

/** A job's own folder, named by the job's generated id. */
export function jobDir(blobDir: string, jobId: string): string {
  return pathInside(jobsDir(blobDir), jobId);
}

/**
 * The finished export's file in its job folder. The name is fixed by the format, never taken
 * from the image's name (issue 12: `../../../../x` wrote outside the folder).
 */
export function exportFile(
  blobDir: string,
  jobId: string,
  format: NonNullable<ImageJobSpec["format"]>,
): string {
  return pathInside(jobDir(blobDir, jobId), `export.${format}`);
}

/** What image jobs on this controller need to know: where files go and the limits in force. */
export interface ImageJobsConfig {
  blobDir: string;
  limits: CompiledImageJobLimits;
}

function visibleJobs(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("image_jobs")
    .innerJoin("accounts", "accounts.id", "image_jobs.account_id")
    .select([
      "image_jobs.id",
      "image_jobs.account_id",
      "image_jobs.user_id",
      "image_jobs.kind",
      "image_jobs.state",
      "image_jobs.stage",
      "image_jobs.bytes_done",
      "image_jobs.bytes_total",
      "image_jobs.percent",
      "image_jobs.spec",
      "image_jobs.image_id",
      "image_jobs.result",
      "image_jobs.error",
      "image_jobs.attempts",
      "image_jobs.created_at",
      "image_jobs.updated_at",
      "image_jobs.finished_at",
    ])
    .where(accountInSubtree(ctx.principal.accountPath));
}

export async function getImageJob(ctx: ServiceContext, id: string): Promise<ImageJobView> {
  const row = await visibleJobs(ctx).where("image_jobs.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("image job", id);
  return row;
}

export async function listImageJobs(ctx: ServiceContext, page: PageRequest): Promise<Page<ImageJobView>> {
  let q = visibleJobs(ctx);
  if (page.after) q = q.where("image_jobs.id", ">", page.after);
  return toPage(
    await q
      .orderBy("image_jobs.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

/** What an import is asked to produce. */
export interface ImportRequest {
  name: string;
  visibility?: "private" | "subtree" | "public" | undefined;
  os?: string | undefined;
  format?: string | undefined;
  sha256?: string | undefined;
  md5?: string | undefined;
  root_password_hash?: string | undefined;
}

const HEX = { sha256: /^[0-9a-fA-F]{64}$/, md5: /^[0-9a-fA-F]{32}$/ };

async function importSpec(ctx: ServiceContext, input: ImportRequest): Promise<ImageJobSpec> {
  requireAdmin(ctx.principal, "import images");
  const visibility = input.visibility ?? "private";
  if (visibility === "public") requireProviderAdmin(ctx.principal, "publish a public image");
  if (input.sha256 !== undefined && !HEX.sha256.test(input.sha256))
    throw new InvalidInputError("sha256", "sha256 must be 64 hex digits");
  if (input.md5 !== undefined && !HEX.md5.test(input.md5))
    throw new InvalidInputError("md5", "md5 must be 32 hex digits");
  if (input.root_password_hash !== undefined && !PASSWORD_HASH.test(input.root_password_hash))
    throw new InvalidInputError(
      "root_password_hash",
      "root_password_hash must be a crypt(3) hash ($y$, $6$, $5$ or $2b$...), never a password",
    );
  const taken = await ctx.database.db
    .selectFrom("images")
    .select("id")
    .where("account_id", "=", ctx.principal.accountId)
    .where("name", "=", input.name)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (taken) throw new ConflictError(`An image named ${input.name} already exists.`, { field: "name" });
  return {
    name: input.name,
    visibility,
    ...(input.os ? { os: input.os } : {}),
    ...(input.format ? { declared_format: input.format } : {}),
    ...(input.sha256 ? { expected_sha256: input.sha256.toLowerCase() } : {}),
    ...(input.md5 ? { expected_md5: input.md5.toLowerCase() } : {}),
    ...(input.root_password_hash ? { root_password_hash: input.root_password_hash } : {}),
  };
}

async function insertJob(
  ctx: ServiceContext,
  config: ImageJobsConfig,
  id: string,
  kind: "import" | "export",
  spec: ImageJobSpec,
) {
  const accountId = ctx.principal.accountId;
  await ctx.database.db.transaction().execute(async (trx) => {
    await lockAccountQuotas(trx, accountId);
    const quotas = await quotasOf(trx, accountId, config.limits.quotas);
    const usage = await usageOf(trx, accountId);
    requireRoom(quotas, usage, "image_jobs", 1, `another ${kind} job`);
    if (kind === "import") {
      requireRoom(quotas, usage, "images", 1, "another image");
      requireRoom(quotas, usage, "image_bytes", 1, "another image");
    }
    await trx
      .insertInto("image_jobs")
      .values({
        id,
        account_id: ctx.principal.accountId,
        user_id: ctx.principal.userId,
        kind,
        spec: JSON.stringify(spec),
        bytes_total: null,
        image_id: spec.image_id ?? null,
        result: null,
        error: null,
        lease_until: null,
        finished_at: null,
        started_at: null,
      })
      .execute();
    // The job runner runs it (runner.ts); the account's jobs are one group, so that no account
    // runs more than its image_jobs_running at once and accounts take turns.
    await enqueueJob(trx, {
      task: RUN_TASK,
      payload: { image_job_id: id },
      uniqueKey: `${RUN_TASK}:${id}`,
      groupKey: accountId,
      groupLimit: quotas.image_jobs_running,
    });
    await recordAudit(trx, ctx, {
      action: `image.${kind}.queue`,
      resourceType: "image_job",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: {
        ...(spec.name ? { name: spec.name } : {}),
        ...(spec.source?.kind === "url" ? { url: spec.source.url } : {}),
        ...(spec.image_id ? { image_id: spec.image_id, format: spec.format } : {}),
      },
    });
  });
  return getImageJob(ctx, id);
}

/** Queues an import from an http(s) URL; the controller downloads it. */
export async function importFromUrl(
  ctx: ServiceContext,
  config: ImageJobsConfig,
  input: ImportRequest & { url: string },
): Promise<ImageJobView> {
  try {
    checkFetchUrl(input.url);
  } catch (err) {
    if (err instanceof FetchRefusedError) throw new InvalidInputError("url", err.message);
    throw err;
  }
  const spec = { ...(await importSpec(ctx, input)), source: { kind: "url" as const, url: input.url } };
  // The runner makes the job's folder when it starts: a refused job leaves nothing on disk.
  return insertJob(ctx, config, newId("job"), "import", spec);
}

/** How often an upload re-checks the free-space reserve and renews its quota lease. */
const UPLOAD_CHECK_BYTES = 64 * 1024 * 1024;
const UPLOAD_RENEW_MS = 30_000;

/**
 * Streams an upload into the job's folder (never into memory), capped at the source limit,
 * and queues the import only once every byte is on disk. It counts against the `uploads`
 * quota while it streams, and stops when the volume would fall below its free-space reserve.
 * A refused or broken upload leaves nothing.
 */
export async function importFromUpload(
  ctx: ServiceContext,
  config: ImageJobsConfig,
  input: ImportRequest & { filename?: string | undefined },
  body: Readable,
  /** The Content-Length the client announced, if any: refused at once when it cannot fit. */
  announcedBytes?: number,
): Promise<ImageJobView> {
  const { blobDir, limits } = config;
  const spec = {
    ...(await importSpec(ctx, input)),
    source: { kind: "upload" as const, ...(input.filename ? { filename: input.filename } : {}) },
  };
  if (announcedBytes !== undefined && announcedBytes > limits.maxSourceBytes)
    throw new InvalidInputError("body", `the upload is larger than the ${limits.maxSourceBytes}-byte cap`);
  if (!(await leavesReserve(blobDir, announcedBytes ?? 0, limits.freeSpaceReserveBytes)))
    throw new InsufficientStorageError("The image store is below its free-space reserve; try again later.");
  const id = newId("job");
  const slot = await claimUploadSlot(ctx.database.db, id, ctx.principal.accountId, limits.quotas);
  const dir = jobDir(blobDir, id);
  let received = 0;
  let checkedAt = 0;
  let renewedAt = Date.now();
  const digests = new SourceDigests();
  try {
    await mkdir(dir, { recursive: true });
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _enc, callback) {
          received += chunk.length;
          if (received > limits.maxSourceBytes) {
            callback(
              new InvalidInputError(
                "body",
                `the upload is larger than the ${limits.maxSourceBytes}-byte cap`,
              ),
            );
            return;
          }
          digests.update(chunk);
          const chores: Promise<unknown>[] = [];
          if (Date.now() - renewedAt > UPLOAD_RENEW_MS) {
            renewedAt = Date.now();
            chores.push(slot.renew());
          }
          if (received - checkedAt >= UPLOAD_CHECK_BYTES) {
            checkedAt = received;
            chores.push(
              leavesReserve(blobDir, 0, limits.freeSpaceReserveBytes).then((ok) => {
                if (!ok)
                  throw new InsufficientStorageError(
                    "The image store fell below its free-space reserve during the upload; try again later.",
                  );
              }),
            );
          }
          if (chores.length === 0) callback(null, chunk);
          else
            Promise.all(chores).then(
              () => callback(null, chunk),
              (err: unknown) => callback(err as Error),
            );
        },
      }),
      createWriteStream(pathInside(dir, "source")),
    );
    if (received === 0) throw new InvalidInputError("body", "the upload is empty");
    await digests.save(dir);
    return await insertJob(ctx, config, id, "import", spec);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof DomainError) throw err;
    throw new InvalidInputError("body", `the upload broke off after ${received} bytes`);
  } finally {
    await slot.release();
  }
}

/** Queues an export of a catalog image to a format another hypervisor loads. */
export async function exportImageJob(
  ctx: ServiceContext,
  config: ImageJobsConfig,
  imageId: string,
  format: NonNullable<ImageJobSpec["format"]>,
): Promise<ImageJobView> {
  const image = await getImage(ctx, imageId);
  requireAdmin(ctx.principal, "export images");
  if (image.status !== "available" || !image.sha256) {
    throw new ConflictError(`Image ${image.id} is ${image.status}; only available images export.`);
  }
  return insertJob(ctx, config, newId("job"), "export", { image_id: image.id, format, name: image.name });
}

/** The finished export's file, for download; `filename` is the user's text, for Content-Disposition only. */
export async function exportDownload(
  ctx: ServiceContext,
  blobDir: string,
  jobId: string,
): Promise<{ path: string; filename: string; bytes: number }> {
  const job = await getImageJob(ctx, jobId);
  const result = job.result as { filename?: string } | null;
  const format = job.spec.format;
  if (job.kind !== "export" || job.state !== "succeeded" || !result?.filename || !format) {
    throw new ConflictError(`Job ${job.id} has no finished export to download (state ${job.state}).`);
  }
  const path = exportFile(blobDir, job.id, format);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ConflictError(`The export of job ${job.id} has been cleaned up; export again.`);
  return { path, filename: result.filename, bytes: info.size };
}
