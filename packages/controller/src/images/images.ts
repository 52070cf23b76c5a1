import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireAdmin,
} from "@layerboom/core";
import type { Principal } from "@layerboom/core";
import type { ImageRow } from "@layerboom/db";
import { escapeLike } from "@layerboom/db";
import { sql } from "kysely";
import type { ExpressionBuilder } from "kysely";
import type { Schema } from "@layerboom/db";
import { lockAccountQuotas, quotasOf, requireRoom, usageOf } from "./quotas.js";
import type { ImageQuotas } from "./quotas.js";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { mustReference } from "../base/references.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { closeImageStorageInterval, openImageStorageInterval } from "../metering/image-storage.js";

/**
 * An image is visible when it is public, owned inside the caller's subtree, or shared
 * ("subtree") by an account above the caller.
 */
function imageVisibleTo(principal: Principal) {
  return (eb: ExpressionBuilder<Schema, "images" | "accounts">) =>
    eb.or([
      eb("images.visibility", "=", "public"),
      eb("accounts.path", "like", `${escapeLike(principal.accountPath)}%`),
      eb.and([
        eb("images.visibility", "=", "subtree"),
        // The caller sits below the owner: the owner's path is a prefix of the caller's.
        sql<boolean>`starts_with(${principal.accountPath}::text, ${eb.ref("accounts.path")})`,
      ]),
    ]);
}

function visibleImages(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("images")
    .innerJoin("accounts", "accounts.id", "images.account_id")
    .selectAll("images")
    .where("images.deleted_at", "is", null)
    .where(imageVisibleTo(ctx.principal));
}

export async function getImage(ctx: ServiceContext, id: string): Promise<ImageRow> {
  const row = await visibleImages(ctx).where("images.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("image", id);
  return row;
}

export async function listImages(
  ctx: ServiceContext,
  filter: { name?: string | undefined; visibility?: ImageRow["visibility"] | undefined },
  page: PageRequest,
): Promise<Page<ImageRow>> {
  let q = visibleImages(ctx);
  if (filter.name) q = q.where("images.name", "=", filter.name);
  if (filter.visibility) q = q.where("images.visibility", "=", filter.visibility);
  if (page.after) q = q.where("images.id", ">", page.after);
  return toPage(
    await q
      .orderBy("images.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export interface ImageInput {
  name: string;
  account_id?: string | undefined;
  visibility: ImageRow["visibility"];
  os?: string | undefined;
  arch?: string | undefined;
  format?: string | undefined;
  source?: string | undefined;
  /**
   * An image the caller can already use (its own, a public one, or one shared down to it):
   * the new record points at the same files. This is the only way a record gets content
   * here; a client never names a blob by its hash (issue 12).
   */
  from_image_id?: string | undefined;
}

/**
 * Registers an image record: without content (a placeholder the pipeline never filled), or
 * sharing the files of an image the caller can use. Disk content only ever comes from the
 * platform's own work for the account: an import, an export, a capture.
 */
export async function createImage(
  ctx: ServiceContext,
  input: ImageInput,
  quotaDefaults: ImageQuotas,
): Promise<ImageRow> {
  requireAdmin(ctx.principal, "register images");
  if (input.visibility === "public" && ctx.principal.role !== "provider-admin") {
    throw new ForbiddenError("Only a provider admin may publish public images.");
  }
  const account = await getAccount(ctx, input.account_id ?? ctx.principal.accountId);
  const from = input.from_image_id
    ? await mustReference("from_image_id", () => getImage(ctx, input.from_image_id ?? ""))
    : undefined;
  if (from && from.status !== "available")
    throw new InvalidInputError(
      "from_image_id",
      `Image ${from.id} is ${from.status}; only available images share.`,
    );
  const id = newId("image");
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      await lockAccountQuotas(trx, account.id);
      const quotas = await quotasOf(trx, account.id, quotaDefaults);
      const usage = await usageOf(trx, account.id);
      requireRoom(quotas, usage, "images", 1, "another image");
      if (from?.size_bytes) requireRoom(quotas, usage, "image_bytes", from.size_bytes, "this image");
      const row = await trx
        .insertInto("images")
        .values({
          id,
          account_id: account.id,
          name: input.name,
          visibility: input.visibility,
          os: input.os ?? from?.os ?? "",
          arch: input.arch ?? from?.arch ?? "x86_64",
          format: from?.format ?? input.format ?? "qcow2",
          size_bytes: from?.size_bytes ?? null,
          sha256: from?.sha256 ?? null,
          md5: from?.md5 ?? null,
          source: input.source ?? (from ? `image:${from.id}` : ""),
          ...(from
            ? {
                kernel_sha256: from.kernel_sha256,
                kernel_size_bytes: from.kernel_size_bytes,
                initrd_sha256: from.initrd_sha256,
                initrd_size_bytes: from.initrd_size_bytes,
                kernel_append: from.kernel_append,
                pipeline: JSON.stringify([{ step: "share", from_image_id: from.id }]),
              }
            : {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // A copy sharing another image's files holds its bytes against this account's storage too.
      await openImageStorageInterval(trx, row, new Date());
      await recordAudit(trx, ctx, {
        action: "image.create",
        resourceType: "image",
        resourceId: id,
        accountId: account.id,
        accountPath: account.path,
        details: {
          name: input.name,
          visibility: input.visibility,
          ...(from ? { from_image_id: from.id } : {}),
        },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`An image named "${input.name}" already exists.`, { field: "name" });
    throw err;
  }
}

/** Soft-deletes an image owned inside the caller's subtree; servers already using it keep their disks. */
export async function deleteImage(ctx: ServiceContext, id: string): Promise<void> {
  requireAdmin(ctx.principal, "delete images");
  const image = await getImage(ctx, id);
  const owner = await getAccount(ctx, image.account_id).catch(() => undefined);
  // A shared image from above is visible but not ours to delete: same answer as not existing.
  if (!owner) throw new NotFoundError("image", id);
  const now = new Date();
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("images")
      .set({ status: "deleted", deleted_at: now })
      .where("id", "=", id)
      .execute();
    await closeImageStorageInterval(trx, id, now);
    await recordAudit(trx, ctx, {
      action: "image.delete",
      resourceType: "image",
      resourceId: id,
      accountId: owner.id,
      accountPath: owner.path,
    });
  });
}
