import { newId } from "@layerboom/core";
import type { Database, ImageRow } from "@layerboom/db";
import type { BlobStore } from "../blobs/blob-store.js";

/** Files of a bootable image on this machine, to be copied into the blob store. */
export interface ImageFilesInput {
  name: string;
  os?: string;
  disk: string;
  diskFormat: "qcow2" | "raw";
  kernel?: string;
  initrd?: string;
  kernelAppend?: string;
  source?: string;
}

/**
 * Puts an image's files into the blob store (hashed there, never trusted from the caller)
 * and catalogs it as a public image of the provider. Re-running with the same files is a
 * no-op; new files under the same name replace the old entry (servers keep their image row).
 */
export async function catalogImageFromFiles(
  database: Database,
  blobs: BlobStore,
  input: ImageFilesInput,
): Promise<ImageRow> {
  const disk = await blobs.put(input.disk);
  const kernel = input.kernel ? await blobs.put(input.kernel) : undefined;
  const initrd = input.initrd ? await blobs.put(input.initrd) : undefined;
  const provider = await database.db
    .selectFrom("accounts")
    .select(["id", "path"])
    .where("kind", "=", "provider")
    .executeTakeFirstOrThrow();
  return database.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom("images")
      .selectAll()
      .where("account_id", "=", provider.id)
      .where("name", "=", input.name)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
    const same =
      current &&
      current.sha256 === disk.sha256 &&
      current.kernel_sha256 === (kernel?.sha256 ?? null) &&
      current.initrd_sha256 === (initrd?.sha256 ?? null) &&
      current.kernel_append === (input.kernelAppend ?? null) &&
      current.format === input.diskFormat;
    if (current && same) return current;
    if (current) {
      await trx
        .updateTable("images")
        .set({ status: "deleted", deleted_at: new Date() })
        .where("id", "=", current.id)
        .execute();
    }
    const id = newId("image");
    const row = await trx
      .insertInto("images")
      .values({
        id,
        account_id: provider.id,
        name: input.name,
        visibility: "public",
        os: input.os ?? "",
        format: input.diskFormat,
        status: "available",
        size_bytes: disk.sizeBytes,
        sha256: disk.sha256,
        md5: null,
        source: input.source ?? "",
        deleted_at: null,
        kernel_sha256: kernel?.sha256 ?? null,
        kernel_size_bytes: kernel?.sizeBytes ?? null,
        initrd_sha256: initrd?.sha256 ?? null,
        initrd_size_bytes: initrd?.sizeBytes ?? null,
        kernel_append: input.kernelAppend ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("audit_log")
      .values({
        id: newId("audit"),
        actor_user_id: null,
        account_id: provider.id,
        account_path: provider.path,
        action: "image.catalog",
        resource_type: "image",
        resource_id: id,
        request_id: null,
        details: JSON.stringify({ name: input.name, sha256: disk.sha256, replaced: current?.id ?? null }),
      })
      .execute();
    return row;
  });
}
