import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { QuotaExceededError, newId } from "@layerboom/core";
import type { Database, ImageJobRow, ImagePipelineStep } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import type { BlobStore } from "../blobs/blob-store.js";
import { leavesReserve } from "../blobs/free-space.js";
import { pathInside } from "../blobs/path-inside.js";
import { recordImageMadeByJob, succeedImageJob } from "./job-ending.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { OutboundGuard } from "../outbound/guard.js";
import type { JobContext, TaskDefinition } from "../jobs/job-runner.js";
import { jobDir, jobsDir } from "./jobs.js";
import type { ImageJobsConfig } from "./jobs.js";
import { JobFailure, asJobFailure, runExportPipeline, runImportPipeline } from "./pipeline.js";
import { runCaptureJob } from "./capture-job.js";
import { abandonCapture } from "./captures.js";
import { lockAccountQuotas, quotasOf, requireRoom, usageOf } from "./quotas.js";
import { compileImageJobLimits } from "./settings.js";
import type { ImageJobLimits } from "./settings.js";

/** Options for {@link ImageJobRunner}. */
export interface ImageJobRunnerOptions {
  database: Database;
  blobs: BlobStore;
  logger: FastifyBaseLogger;
  /** How soon a queued job is noticed when nothing wakes the job runner: it polls at least this often. Default 1 s. */
  pollMs?: number;
  /** A claimed job is someone else's to retry once its lease runs out. Default 60 s. */
  leaseMs?: number;
  /** Attempts before a job fails for good (a job that kills its runner every time). Default 3. */
  maxAttempts?: number;
  /** Caps, the free-space reserve and the default quotas (settings.ts). */
  limits?: ImageJobLimits;
  /** Where URL imports may be fetched from. Default: public addresses only. */
  outbound?: OutboundGuard;
  /**
   * Jobs this controller runs at once. Default 2: with the default of one running job per
   * account, one account's backlog leaves a runner free for everyone else's.
   */
  concurrency?: number;
  /** Awaited after a job is claimed and before it runs (tests make one account's jobs slow with it). */
  beforeJob?: (job: ImageJobRow) => Promise<void>;
}

/**
 * Runs image jobs. Each image job is queued with an `image-jobs.run` job (jobs.ts) in the
 * transaction that inserts it; the controller's job runner claims those under a lease, renewed
 * while the job runs, so replicas share the queue and a controller that dies leaves its job to
 * any replica, which runs it again from its first stage (docs/jobs.md). An import writes its
 * image row in the same transaction that marks both the image job and its runner job
 * succeeded, so a failed or interrupted job never leaves a half-registered image.
 *
 * The queue is fair across accounts: the runner jobs carry the account as their group, so the
 * next job belongs to the account whose latest job started longest ago (never-started accounts
 * first), and an account at its `image_jobs_running` quota is skipped, so one account's twenty
 * slow jobs wait behind another account's single import instead of in front of it.
 */
export class ImageJobRunner {
  /** Where files go and the limits in force, compiled once; the routes share them. */
  readonly config: ImageJobsConfig;

  constructor(private readonly options: ImageJobRunnerOptions) {
    this.config = { blobDir: options.blobs.dir, limits: compileImageJobLimits(options.limits) };
    const concurrency = options.concurrency ?? 2;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  /** The job runner's task for image jobs. */
  task(): TaskDefinition<{ image_job_id: string }> {
    return {
      run: (payload, context) => this.run(payload.image_job_id, context),
      concurrency: this.options.concurrency ?? 2,
      grouped: true,
      leaseMs: this.leaseMs,
      maxAttempts: this.options.maxAttempts ?? 3,
      gaveUp: async (job, reason) => {
        const id = (job.payload as { image_job_id?: string }).image_job_id ?? "";
        await rm(jobDir(this.options.blobs.dir, id), { recursive: true, force: true });
        await this.markFailed(
          id,
          new JobFailure("attempts", `the job was interrupted ${job.attempts - 1} times; giving up`),
          job.attempts - 1,
        );
        this.options.logger.warn({ jobId: id, reason }, "image job given up");
      },
    };
  }

  /** Runs one image job, claimed by the job runner. */
  async run(imageJobId: string, context: JobContext): Promise<void> {
    const job = await this.options.database.db
      .updateTable("image_jobs")
      .set({
        state: "running",
        attempts: context.attempt,
        started_at: new Date(),
        lease_until: new Date(Date.now() + this.leaseMs),
        updated_at: new Date(),
      })
      .where("id", "=", imageJobId)
      .where("state", "in", ["queued", "running"])
      .returningAll()
      .executeTakeFirst();
    // Finished by an earlier run that died before its runner job was marked done.
    if (!job) return;
    const log = this.options.logger.child({ jobId: job.id, kind: job.kind, accountId: job.account_id });
    const dir = jobDir(this.options.blobs.dir, job.id);
    await mkdir(dir, { recursive: true });
    await this.clearScratch(dir, job);
    let lastWrite = 0;
    let reported = { stage: "queued", done: 0, total: undefined as number | undefined };
    const write = async () => {
      const { stage, done, total } = reported;
      const percent = total && total > 0 ? Math.min(99, Math.floor((done / total) * 100)) : 0;
      await this.options.database.db
        .updateTable("image_jobs")
        .set({
          stage,
          bytes_done: Math.round(done),
          bytes_total: total === undefined ? null : Math.round(total),
          percent,
          // Counted as running (the image_jobs_running quota's usage) while this is in the future.
          lease_until: new Date(Date.now() + this.leaseMs),
          updated_at: new Date(),
        })
        .where("id", "=", job.id)
        .where("state", "=", "running")
        .execute();
    };
    const renew = setInterval(() => void write().catch(() => undefined), this.leaseMs / 3);
    const report = (stage: string, done: number, total: number | undefined) => {
      const changed = stage !== reported.stage;
      reported = { stage, done, total };
      if (changed || Date.now() - lastWrite > 500) {
        lastWrite = Date.now();
        void write().catch((err: unknown) => log.warn({ err }, "cannot record job progress"));
      }
    };
    try {
      await this.options.beforeJob?.(job);
      await this.requireFreeSpace(job, dir);
      if (job.kind === "import") await this.finishImport(job, dir, report, context);
      else if (job.kind === "capture") {
        await runCaptureJob(
          { database: this.options.database, blobs: this.options.blobs, limits: this.config.limits },
          job,
          dir,
          report,
          context,
        );
        await rm(dir, { recursive: true, force: true });
      } else await this.finishExport(job, dir, report, context);
      log.info("image job succeeded");
    } catch (err) {
      const failure = asJobFailure(err);
      // Another controller took the job over: its folder and its outcome are that one's now.
      if (failure.check === "lease-lost") throw failure;
      log.warn({ check: failure.check, err: failure.message }, "image job failed");
      // The folder goes before the job reads as failed, so whoever sees "failed" finds nothing
      // left behind (a crash in between leaves a stray folder, which the start-up sweep removes).
      await rm(dir, { recursive: true, force: true });
      await this.markFailed(job.id, failure);
    } finally {
      clearInterval(renew);
    }
  }

  private async markFailed(id: string, failure: JobFailure, attempts?: number): Promise<void> {
    // Tenants see the message: the controller's own paths are none of their business.
    const message = failure.message.split(this.options.blobs.dir).join("<image store>");
    await this.options.database.db.transaction().execute(async (trx) => {
      const failed = await trx
        .updateTable("image_jobs")
        .set({
          state: "failed",
          error: JSON.stringify({ check: failure.check, message }),
          lease_until: null,
          finished_at: new Date(),
          updated_at: new Date(),
          ...(attempts !== undefined ? { attempts } : {}),
        })
        .where("id", "=", id)
        .where("state", "in", ["queued", "running"])
        .executeTakeFirst();
      // A capture's pending image and host copy end with the job (captures.ts).
      if (Number(failed.numUpdatedRows) > 0) await abandonCapture(trx, id, message);
    });
  }

  /**
   * Refuses to start writing when the blob volume would fall below its reserve: an import
   * needs about its source again, an export about its image's size.
   */
  private async requireFreeSpace(job: ImageJobRow, dir: string): Promise<void> {
    let needed = 0;
    if (job.kind === "import") {
      needed = (await stat(pathInside(dir, "source")).catch(() => undefined))?.size ?? 0;
    } else if (job.kind === "capture") {
      // Not known before the host's copy arrives; the upload itself keeps the reserve (capture-upload.ts).
      needed = 0;
    } else {
      const image = await this.options.database.db
        .selectFrom("images")
        .select("size_bytes")
        .where("id", "=", job.spec.image_id ?? "")
        .executeTakeFirst();
      needed = image?.size_bytes ?? 0;
    }
    if (!(await leavesReserve(this.options.blobs.dir, needed, this.config.limits.freeSpaceReserveBytes)))
      throw new JobFailure(
        "free-space-reserve",
        "the image store is below its free-space reserve; the job was not started, try again later",
      );
  }

  /** A retried job starts over: everything but an uploaded source is removed. */
  private async clearScratch(dir: string, job: ImageJobRow): Promise<void> {
    const keep =
      job.kind === "import" && job.spec.source?.kind === "upload" ? new Set(["source"]) : new Set<string>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      // A capture keeps the host's copy, and an upload of it that may be streaming in now.
      if (job.kind === "capture" && (name === "captured.qcow2" || name.endsWith(".partial"))) continue;
      if (!keep.has(name)) await rm(pathInside(dir, name), { recursive: true, force: true });
    }
  }

  private async finishImport(
    job: ImageJobRow,
    dir: string,
    report: (stage: string, done: number, total: number | undefined) => void,
    context: JobContext,
  ): Promise<void> {
    const spec = job.spec;
    const kernelCacheDir = pathInside(this.options.blobs.dir, ".boot-kit");
    await mkdir(kernelCacheDir, { recursive: true });
    // A peer's image is fetched from the peer's own address, allowed by the peering (the job was
    // queued by the federation protocol, never by a tenant), on top of the provider's rules.
    const outbound = spec.fetch_allow?.length
      ? (this.options.outbound ?? new OutboundGuard()).allowing(spec.fetch_allow)
      : this.options.outbound;
    const out = await runImportPipeline(spec, dir, report, this.config.limits, kernelCacheDir, outbound);
    report("catalog", 0, undefined);
    const blob = await this.options.blobs.adopt(out.disk, out.diskSha256);
    const source =
      spec.source?.kind === "url" ? spec.source.url : `upload:${spec.source?.filename ?? "file"}`;
    const steps: ImagePipelineStep[] = [
      { step: spec.source?.kind === "url" ? "fetch" : "upload", source },
      {
        step: "verify",
        sha256: out.sourceSha256,
        md5: out.sourceMd5,
        published: Boolean(spec.expected_sha256 ?? spec.expected_md5),
      },
      ...(out.bootable
        ? [
            {
              step: "make-bootable",
              from: out.bootable.from,
              kernel: out.bootable.kernelRelease,
              root_uuid: out.bootable.rootUuid,
              applied: out.bootable.steps,
            },
          ]
        : []),
      { step: "inspect", format: out.sourceFormat, virtual_size: out.virtualSize },
      { step: "convert", from: out.sourceFormat, to: "qcow2" },
      { step: "checksum", sha256: blob.sha256 },
    ];
    const imageId = newId("image");
    try {
      await this.options.database.db.transaction().execute(async (trx) => {
        // The quotas are checked again with the real size, under the account's lock, in the
        // transaction that registers the image: a job that would pass them registers nothing.
        await lockAccountQuotas(trx, job.account_id);
        const quotas = await quotasOf(trx, job.account_id, this.config.limits.quotas);
        const usage = await usageOf(trx, job.account_id);
        try {
          // This job is counted among the account's imports in flight, so `images` needs no room.
          requireRoom(quotas, usage, "images", 0, "this image");
          requireRoom(quotas, usage, "image_bytes", blob.sizeBytes, `this image (${blob.sizeBytes} bytes)`);
        } catch (err) {
          if (err instanceof QuotaExceededError)
            throw new JobFailure(`quota-${err.quota.replace(/_/g, "-")}`, err.message);
          throw err;
        }
        await trx
          .insertInto("images")
          .values({
            id: imageId,
            account_id: job.account_id,
            name: spec.name ?? job.id,
            visibility: spec.visibility ?? "private",
            os: spec.os ?? "",
            format: "qcow2",
            status: "available",
            size_bytes: blob.sizeBytes,
            sha256: blob.sha256,
            // md5 of the file as imported, for catalogs that publish md5 (see pipeline.ts).
            md5: out.sourceMd5,
            source,
            deleted_at: null,
            kernel_sha256: null,
            kernel_size_bytes: null,
            initrd_sha256: null,
            initrd_size_bytes: null,
            kernel_append: null,
            pipeline: JSON.stringify(steps),
          })
          .execute();
        // An image a federation peer sent (federation/image-transfer.ts): its record names the
        // image in the same transaction, so the peer's create finds it as soon as it exists.
        if (spec.federation_peer_id)
          await trx
            .updateTable("federation_served_images")
            .set({ image_id: imageId })
            .where("job_id", "=", job.id)
            .execute();
        await recordImageMadeByJob(trx, job, imageId, {
          name: spec.name,
          visibility: spec.visibility,
          source,
        });
        // Another runner took the job over (our lease ran out): let it register the image.
        await succeedImageJob(trx, context, job.id, {
          imageId,
          result: {
            virtual_size: out.virtualSize,
            source_format: out.sourceFormat,
            sha256: blob.sha256,
            source_sha256: out.sourceSha256,
            source_md5: out.sourceMd5,
          },
        });
      });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new JobFailure("name-taken", `an image named ${spec.name} already exists`);
      throw err;
    }
    await rm(dir, { recursive: true, force: true });
  }

  private async finishExport(
    job: ImageJobRow,
    dir: string,
    report: (stage: string, done: number, total: number | undefined) => void,
    context: JobContext,
  ): Promise<void> {
    const image = await this.options.database.db
      .selectFrom("images")
      .select(["id", "name", "sha256", "format", "status"])
      .where("id", "=", job.spec.image_id ?? "")
      .executeTakeFirst();
    const blob = image?.sha256 ? await this.options.blobs.get(image.sha256) : undefined;
    if (!image || image.status !== "available" || !blob) {
      throw new JobFailure(
        "image-unavailable",
        `image ${job.spec.image_id ?? ""} is not available to export`,
      );
    }
    const out = await runExportPipeline(
      { path: blob.path, format: image.format, name: image.name },
      job.spec.format ?? "qcow2",
      dir,
      report,
      this.config.limits,
    );
    await this.options.database.db.transaction().execute(async (trx) => {
      // No path in the result: the file is export.<format> in the job's folder (jobs.ts exportFile).
      await succeedImageJob(trx, context, job.id, {
        bytes: out.bytes,
        result: { filename: out.filename, bytes: out.bytes, sha256: out.sha256 },
      });
    });
  }

  /** Removes job folders whose job row never committed (an upload cut off by a crash), after an hour. */
  async sweepStrays(olderThanMs = 3_600_000): Promise<number> {
    const root = jobsDir(this.options.blobs.dir);
    // Only folders named like our job ids are ours to remove.
    const ours = /^job_[0-9a-z]{26}$/;
    let removed = 0;
    for (const name of await readdir(root).catch(() => [] as string[])) {
      if (!ours.test(name)) continue;
      const info = await stat(pathInside(root, name)).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < olderThanMs) continue;
      const row = await this.options.database.db
        .selectFrom("image_jobs")
        .select("state")
        .where("id", "=", name)
        .executeTakeFirst();
      if (!row || (row.state === "succeeded" && Date.now() - info.mtimeMs > 24 * 3_600_000)) {
        await rm(pathInside(root, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}
