import type { ImageJobRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";

/**
 * Audits the image an image job made (an import or a capture), in the transaction that makes it
 * available: the runner acts for the user who queued the job, in that job's account.
 */
export async function auditImageMadeByJob(
  trx: Kysely<Schema>,
  job: Pick<ImageJobRow, "id" | "account_id" | "user_id">,
  imageId: string,
  details: Record<string, unknown>,
): Promise<void> {
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
