import { setTimeout as sleep } from "node:timers/promises";
import { stat } from "node:fs/promises";
import { QuotaExceededError } from "@layerboom/core";
import type { Database, ImageJobRow, ImagePipelineStep } from "@layerboom/db";
import { convertImage, generalizeRawDisk } from "@layerboom/images";
import { recordImageMadeByJob, succeedImageJob } from "./job-ending.js";
import type { BlobStore } from "../blobs/blob-store.js";
import { sha256OfFile } from "../blobs/blob-store.js";
import { pathInside } from "../blobs/path-inside.js";
import type { JobContext } from "../jobs/job-runner.js";
import { capturedFile } from "./captures.js";
import { JobFailure } from "./pipeline.js";
import type { StageReporter } from "./pipeline.js";
import { lockAccountQuotas, quotasOf, requireRoom, usageOf } from "./quotas.js";
import type { CompiledImageJobLimits } from "./settings.js";

/** What the capture stage of the runner needs. */
export interface CaptureJobDeps {
  database: Database;
  blobs: BlobStore;
  limits: CompiledImageJobLimits;
  /** How often the job looks whether the agent's upload has arrived. Default 1 s. */
  pollMs?: number;
  /** How long the agent has to copy and upload the disk. Default 6 h, as a backup. */
  copyTimeoutMs?: number;
}

/**
 * A capture job, claimed by the image runner: waits for the host's copy of the disk to arrive
 * (`copy`), converts it to a sparse raw file under the pipeline's limits (the inspector and
 * `qemu-img info` check it first, as any upload), generalises it (`generalize`), converts it
 * back to qcow2, hashes it into the blob store, and makes the pending image available with its
 * pipeline steps in the transaction that ends the job. A crash at any point reruns the job from
 * the copy already uploaded; a failure leaves neither files nor an available image.
 */
export async function runCaptureJob(
  deps: CaptureJobDeps,
  job: ImageJobRow,
  dir: string,
  report: StageReporter,
  context: JobContext,
): Promise<void> {
  const imageId = job.spec.image_id ?? "";
  const capture = await waitForUpload(deps, job, report, context);
  const captured = capturedFile(deps.blobs.dir, job.id);
  const size = (await stat(captured).catch(() => undefined))?.size;
  if (size !== capture.size_bytes)
    throw new JobFailure("capture-upload", "the uploaded copy of the disk is missing or incomplete");

  report("verify", 0, size);
  const raw = pathInside(dir, "generalize.raw");
  const expanded = await convertImage(
    {
      source: captured,
      sourceFormat: "qcow2",
      output: raw,
      outputFormat: "raw",
      onProgress: (p) => report("verify", p.bytesDone, p.totalBytes),
    },
    { maxVirtualSize: deps.limits.maxVirtualSize },
  );
  report("generalize", 0, undefined);
  // A filesystem debugfs cannot read through (corrupt, or crafted to be) fails the capture with
  // its own check rather than becoming an image that says it was generalised when it was not.
  const generalized = await generalizeRawDisk(raw).catch((err: unknown) => {
    throw new JobFailure(
      "generalize",
      `the disk could not be generalised: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
  report("convert", 0, undefined);
  const converted = await convertImage(
    {
      source: raw,
      sourceFormat: "raw",
      output: pathInside(dir, "disk.qcow2"),
      outputFormat: "qcow2",
      onProgress: (p) => report("convert", p.bytesDone, p.totalBytes),
    },
    { maxVirtualSize: deps.limits.maxVirtualSize },
  );
  report("checksum", 0, converted.output.fileSize);
  const blob = await deps.blobs.adopt(converted.output.path, await sha256OfFile(converted.output.path));
  const steps: ImagePipelineStep[] = [
    {
      step: "capture",
      server_id: job.spec.server_id,
      method: capture.method,
      sha256: capture.sha256,
      ...(job.spec.description ? { description: job.spec.description } : {}),
    },
    { step: "inspect", format: "qcow2", virtual_size: expanded.output.virtualSize },
    generalized.generalized
      ? {
          step: "generalize",
          filesystem: generalized.filesystem,
          ...(generalized.partition ? { partition: generalized.partition } : {}),
          applied: generalized.steps,
        }
      : { step: "generalize", skipped: generalized.reason, applied: [] },
    { step: "convert", from: "raw", to: "qcow2" },
    { step: "checksum", sha256: blob.sha256 },
  ];

  report("catalog", 0, undefined);
  await deps.database.db.transaction().execute(async (trx) => {
    await lockAccountQuotas(trx, job.account_id);
    const quotas = await quotasOf(trx, job.account_id, deps.limits.quotas);
    const usage = await usageOf(trx, job.account_id);
    try {
      // The pending image is counted already; only its bytes are new.
      requireRoom(quotas, usage, "image_bytes", blob.sizeBytes, `this image (${blob.sizeBytes} bytes)`);
    } catch (err) {
      if (err instanceof QuotaExceededError)
        throw new JobFailure(`quota-${err.quota.replace(/_/g, "-")}`, err.message);
      throw err;
    }
    const made = await trx
      .updateTable("images")
      .set({
        status: "available",
        size_bytes: blob.sizeBytes,
        sha256: blob.sha256,
        pipeline: JSON.stringify(steps),
      })
      .where("id", "=", imageId)
      .where("status", "=", "pending")
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    if (Number(made.numUpdatedRows) !== 1)
      throw new JobFailure("image-unavailable", `image ${imageId} is no longer pending`);
    await recordImageMadeByJob(trx, job, imageId, {
      name: job.spec.name,
      source: `capture:${job.spec.server_id}`,
    });
    await succeedImageJob(trx, context, job.id, {
      result: {
        method: capture.method,
        generalized: generalized.generalized,
        ...(generalized.reason ? { not_generalized: generalized.reason } : {}),
        virtual_size: expanded.output.virtualSize,
        sha256: blob.sha256,
      },
    });
  });
}

/** The agent's part: waits until its copy is stored (or it failed, or the server went). */
async function waitForUpload(
  deps: CaptureJobDeps,
  job: ImageJobRow,
  report: StageReporter,
  context: JobContext,
): Promise<{ method: string; sha256: string; size_bytes: number }> {
  const deadline = Date.now() + (deps.copyTimeoutMs ?? 6 * 3_600_000);
  report("copy", 0, undefined);
  for (;;) {
    const row = await deps.database.db
      .selectFrom("image_captures")
      .innerJoin("servers", "servers.id", "image_captures.server_id")
      .select([
        "image_captures.state",
        "image_captures.method",
        "image_captures.sha256",
        "image_captures.size_bytes",
        "image_captures.error",
        "servers.deleted_at",
        "servers.desired_state",
      ])
      .where("image_captures.job_id", "=", job.id)
      .executeTakeFirst();
    if (!row) throw new JobFailure("capture-missing", "the capture has no host record");
    if (row.state === "uploaded" && row.method && row.sha256 && row.size_bytes !== null)
      return { method: row.method, sha256: row.sha256, size_bytes: row.size_bytes };
    if (row.state === "failed")
      throw new JobFailure(
        "capture-copy",
        `the host could not copy the disk: ${row.error ?? "unknown error"}`,
      );
    if (row.deleted_at !== null || row.desired_state === "deleted")
      throw new JobFailure("server-deleted", "the server was deleted before its disk was copied");
    if (Date.now() > deadline)
      throw new JobFailure("capture-timeout", "the host did not upload the copy of the disk in time");
    if (context.signal.aborted) throw new JobFailure("stopped", "the controller is stopping");
    await sleep(deps.pollMs ?? 1_000, undefined, { signal: context.signal }).catch(() => undefined);
  }
}
