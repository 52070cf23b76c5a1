import { newId } from "@layerboom/core";
import type { ImageStorageInterval } from "@layerboom/core";
import type { Database, ImageRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/**
 * Image storage intervals are written like usage intervals: in the transaction that makes an
 * image available (an import, a capture, a copy sharing another image's files) and in the one
 * that deletes it, so a crash keeps the change and its meter together or neither, and no hour is
 * counted twice. One open interval per image (a partial unique index). Public catalogue images
 * are the provider's offer, not an account's storage: they have no meter.
 */
export async function openImageStorageInterval(
  trx: Kysely<Schema>,
  image: Pick<ImageRow, "id" | "account_id" | "size_bytes" | "visibility" | "status">,
  at: Date,
): Promise<void> {
  if (image.visibility === "public" || image.status !== "available" || image.size_bytes === null) return;
  await trx
    .insertInto("image_storage_intervals")
    .values({
      id: newId("imageStorageInterval", at.getTime()),
      image_id: image.id,
      account_id: image.account_id,
      size_bytes: image.size_bytes,
      started_at: at,
      ended_at: null,
    })
    .execute();
}

/** Starts the meter of an image the transaction just made available, as read back in it. */
export async function meterImageStorage(trx: Kysely<Schema>, imageId: string, at: Date): Promise<void> {
  const image = await trx
    .selectFrom("images")
    .select(["id", "account_id", "size_bytes", "visibility", "status"])
    .where("id", "=", imageId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (image) await openImageStorageInterval(trx, image, at);
}

/** Stops an image's meter at `at` (a delete). Idempotent: nothing open, nothing done. */
export async function closeImageStorageInterval(
  trx: Kysely<Schema>,
  imageId: string,
  at: Date,
): Promise<void> {
  await trx
    .updateTable("image_storage_intervals")
    .set({ ended_at: at })
    .where("image_id", "=", imageId)
    .where("ended_at", "is", null)
    .execute();
}

/** What some accounts stored at any time in [fromMs, toMs), keyed by account: one query. */
export async function imageStorageByAccount(
  database: Database,
  accountIds: readonly string[],
  fromMs: number,
  toMs: number,
): Promise<Map<string, ImageStorageInterval[]>> {
  const byAccount = new Map<string, ImageStorageInterval[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  const rows = await database.db
    .selectFrom("image_storage_intervals")
    .select(["account_id", "image_id", "size_bytes", "started_at", "ended_at"])
    .where("account_id", "in", accountIds)
    .where("started_at", "<", new Date(toMs))
    .where((eb) => eb.or([eb("ended_at", "is", null), eb("ended_at", ">", new Date(fromMs))]))
    .execute();
  for (const r of rows)
    byAccount.get(r.account_id)?.push({
      imageId: r.image_id,
      bytes: Number(r.size_bytes),
      startMs: r.started_at.getTime(),
      endMs: r.ended_at?.getTime() ?? null,
    });
  return byAccount;
}
