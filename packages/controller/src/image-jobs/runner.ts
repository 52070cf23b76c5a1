import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { newId } from "@layerboom/core";
import type { Database, ImageJobRow, ImagePipelineStep } from "@layerboom/db";
import type { FastifyBaseLogger } from "fastify";
import { sql } from "kysely";
import type { BlobStore } from "../blobs/blob-store.js";
import { recordAudit } from "../services/audit.js";
import type { ServiceContext } from "../services/context.js";
import { isUniqueViolation } from "../services/sql-errors.js";
import { jobsDir } from "./jobs.js";
import type { PipelineLimits } from "./pipeline.js";
import type { OutboundGuard } from "../outbound/guard.js";
import {
  DEFAULT_PIPELINE_LIMITS,
  JobFailure,
  asJobFailure,
  runExportPipeline,
  runImportPipeline,
} from "./pipeline.js";

/** Options for {@link ImageJobRunner}. */
export interface ImageJobRunnerOptions {
  database: Database;
  blobs: BlobStore;
  logger: FastifyBaseLogger;
  /** How often to look for work. Default 1 s. */
  pollMs?: number;
  /** A claimed job is someone else's to retry once its lease runs out. Default 60 s. */
  leaseMs?: number;
  /** Attempts before a job fails for good (a job that kills its runner every time). Default 3. */
  maxAttempts?: number;
  limits?: PipelineLimits;
  /** Where URL imports may be fetched from. Default: public addresses only. */
  outbound?: OutboundGuard;
}

/**
 * Runs image jobs, one at a time per controller. A job is claimed with a lease (SKIP LOCKED,
 * so replicas share the queue) that is renewed while it runs; if the controller dies, the
 * lease runs out and any replica runs the job again from its first stage. An import writes
 * its image row in the same transaction that marks the job succeeded, so a failed or
 * interrupted job never leaves a half-registered image.
 */
export class ImageJobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ImageJobRunnerOptions) {}

  private get leaseMs(): number {
    return this.options.leaseMs ?? 60_000;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.runAvailable(), this.options.pollMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Runs queued jobs until none is left (also what the poll timer calls). */
  runAvailable(): Promise<void> {
    this.running ??= (async () => {
      try {
        while (!this.stopped && (await this.runOne())) {
          /* next */
        }
      } catch (err) {
        this.options.logger.error({ err }, "image job runner failed; it polls again");
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Claims and runs one job; false when there was none. */
  async runOne(): Promise<boolean> {
    const job = await this.claim();
    if (!job) return false;
    const log = this.options.logger.child({ jobId: job.id, kind: job.kind });
    const dir = join(jobsDir(this.options.blobs.dir), job.id);
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
      if ((job.attempts ?? 1) > (this.options.maxAttempts ?? 3)) {
        throw new JobFailure("attempts", `the job was interrupted ${job.attempts - 1} times; giving up`);
      }
      if (job.kind === "import") await this.finishImport(job, dir, report);
      else await this.finishExport(job, dir, report);
      log.info("image job succeeded");
    } catch (err) {
      const failure = asJobFailure(err);
      log.warn({ check: failure.check, err: failure.message }, "image job failed");
      await this.options.database.db
        .updateTable("image_jobs")
        .set({
          state: "failed",
          error: JSON.stringify({ check: failure.check, message: failure.message }),
          lease_until: null,
          finished_at: new Date(),
          updated_at: new Date(),
        })
        .where("id", "=", job.id)
        .execute();
      await rm(dir, { recursive: true, force: true });
    } finally {
      clearInterval(renew);
    }
    return true;
  }

  private async claim(): Promise<ImageJobRow | undefined> {
    // Most polls find nothing: a plain read first keeps them from writing or locking anything.
    const runnable = await this.options.database.db
      .selectFrom("image_jobs")
      .select("id")
      .where((eb) =>
        eb.or([
          eb("state", "=", "queued"),
          eb.and([eb("state", "=", "running"), eb("lease_until", "<", new Date())]),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    if (!runnable) return undefined;
    const result = await sql<ImageJobRow>`
      UPDATE image_jobs
         SET state = 'running', attempts = attempts + 1, updated_at = now(),
             lease_until = now() + ${`${this.leaseMs} milliseconds`}::interval
       WHERE id = (SELECT id FROM image_jobs
                    WHERE state = 'queued' OR (state = 'running' AND lease_until < now())
                    ORDER BY created_at
                    FOR UPDATE SKIP LOCKED
                    LIMIT 1)
      RETURNING *`.execute(this.options.database.db);
    return result.rows[0];
  }

  /** A retried job starts over: everything but an uploaded source is removed. */
  private async clearScratch(dir: string, job: ImageJobRow): Promise<void> {
    const keep =
      job.kind === "import" && job.spec.source?.kind === "upload" ? new Set(["source"]) : new Set<string>();
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!keep.has(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }

  private async finishImport(
    job: ImageJobRow,
    dir: string,
    report: (stage: string, done: number, total: number | undefined) => void,
  ): Promise<void> {
    const spec = job.spec;
    const kernelCacheDir = join(this.options.blobs.dir, ".boot-kit");
    await mkdir(kernelCacheDir, { recursive: true });
    const out = await runImportPipeline(
      spec,
      dir,
      report,
      this.options.limits ?? DEFAULT_PIPELINE_LIMITS,
      kernelCacheDir,
      this.options.outbound,
    );
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
        const account = await trx
          .selectFrom("accounts")
          .select("path")
          .where("id", "=", job.account_id)
          .executeTakeFirstOrThrow();
        // The runner acts for the user who queued the job.
        const actor = { principal: { userId: job.user_id } } as Omit<ServiceContext, "database">;
        await recordAudit(trx, actor, {
          action: "image.create",
          resourceType: "image",
          resourceId: imageId,
          accountId: job.account_id,
          accountPath: account.path,
          details: { name: spec.name, visibility: spec.visibility, source, job_id: job.id },
        });
        const done = await trx
          .updateTable("image_jobs")
          .set({
            state: "succeeded",
            stage: "done",
            percent: 100,
            image_id: imageId,
            result: JSON.stringify({
              virtual_size: out.virtualSize,
              source_format: out.sourceFormat,
              sha256: blob.sha256,
              source_sha256: out.sourceSha256,
              source_md5: out.sourceMd5,
            }),
            lease_until: null,
            finished_at: new Date(),
            updated_at: new Date(),
          })
          .where("id", "=", job.id)
          .where("state", "=", "running")
          .executeTakeFirst();
        // Another runner took the job over (our lease ran out): let it register the image.
        if (Number(done.numUpdatedRows) !== 1) throw new JobFailure("lease-lost", "the job's lease ran out");
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
    );
    await this.options.database.db
      .updateTable("image_jobs")
      .set({
        state: "succeeded",
        stage: "done",
        percent: 100,
        bytes_done: out.bytes,
        bytes_total: out.bytes,
        result: JSON.stringify({
          path: out.path,
          filename: out.filename,
          bytes: out.bytes,
          sha256: out.sha256,
        }),
        lease_until: null,
        finished_at: new Date(),
        updated_at: new Date(),
      })
      .where("id", "=", job.id)
      .where("state", "=", "running")
      .execute();
  }

  /** Removes job folders whose job row never committed (an upload cut off by a crash), after an hour. */
  async sweepStrays(olderThanMs = 3_600_000): Promise<number> {
    const root = jobsDir(this.options.blobs.dir);
    let removed = 0;
    for (const name of await readdir(root).catch(() => [] as string[])) {
      const info = await stat(join(root, name)).catch(() => undefined);
      if (!info || Date.now() - info.mtimeMs < olderThanMs) continue;
      const row = await this.options.database.db
        .selectFrom("image_jobs")
        .select("state")
        .where("id", "=", name)
        .executeTakeFirst();
      if (!row || (row.state === "succeeded" && Date.now() - info.mtimeMs > 24 * 3_600_000)) {
        await rm(join(root, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}
