import type { ImageJobRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import type { JobContext } from "../jobs/job-runner.js";
import { meterImageStorage } from "../metering/image-storage.js";
import { JobFailure } from "./pipeline.js";

/**
 * What every image job (import, export, capture) does in the transaction that ends it: these
 * helpers keep the steps the same in each.
 */

/**
 * Records the image an import or a capture made, in the transaction that makes it available: its
 * storage meter starts (docs/billing.md, "Image storage"), and the audit entry shows the runner
 * acting for the user who queued the job, in that job's account.
 */
export async function recordImageMadeByJob(
  trx: Kysely<Schema>,
  job: Pick<ImageJobRow, "id" | "account_id" | "user_id">,
  imageId: string,
  details: Record<string, unknown>,
): Promise<void> {
  await meterImageStorage(trx, imageId, new Date());
  const account = await trx
    .selectFrom("accounts")
    .select("path")
    .where("id", "=", job.account_id)
    .executeTakeFirstOrThrow();
  const actor = { principal: { userId: job.user_id } } as Omit<ServiceContext, "database">;
  await recordAudit(trx, actor, {
    action: "image.create",
    resourceType: "image",
    resourceId: imageId,
    accountId: job.account_id,
    accountPath: account.path,
    details: { ...details, job_id: job.id },
  });
}

/**
 * Ends the runner's job and marks the image job succeeded with its result. When another runner
 * has taken the job over (this one's lease ran out), it fails with lease-lost and the
 * transaction rolls back, leaving the work to that runner.
 */
export async function succeedImageJob(
  trx: Kysely<Schema>,
  context: JobContext,
  jobId: string,
  outcome: {
    result: Record<string, unknown>;
    imageId?: string;
    bytes?: number;
  },
): Promise<void> {
  if (!(await context.complete(trx))) throw new JobFailure("lease-lost", "the job's lease ran out");
  await trx
    .updateTable("image_jobs")
    .set({
      state: "succeeded",
      stage: "done",
      percent: 100,
      ...(outcome.imageId !== undefined ? { image_id: outcome.imageId } : {}),
      ...(outcome.bytes !== undefined ? { bytes_done: outcome.bytes, bytes_total: outcome.bytes } : {}),
      result: JSON.stringify(outcome.result),
      lease_until: null,
      finished_at: new Date(),
      updated_at: new Date(),
    })
    .where("id", "=", jobId)
    .where("state", "=", "running")
    .execute();
}
