import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireAdmin,
  requireProviderAdmin,
} from "@layerboom/core";
import { recordAudit } from "../services/audit.js";
import type { ImageJobRow, ImageJobSpec } from "@layerboom/db";
import { accountInSubtree } from "@layerboom/db";
import { PASSWORD_HASH } from "@layerboom/images";
import { getImage } from "../services/images.js";
import type { Page, PageRequest, ServiceContext } from "../services/context.js";
import { toPage } from "../services/context.js";
import { checkFetchUrl, FetchRefusedError } from "./fetch-url.js";
import { SourceDigests } from "./source-digests.js";

/** A job as the API shows it. */
export type ImageJobView = Omit<ImageJobRow, "lease_until">;

/** Where job folders live: beside the blob store, on the same (shared) storage. */
export function jobsDir(blobDir: string): string {
  return join(blobDir, ".image-jobs");
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

async function insertJob(ctx: ServiceContext, id: string, kind: "import" | "export", spec: ImageJobSpec) {
  await ctx.database.db.transaction().execute(async (trx) => {
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
      })
      .execute();
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
  blobDir: string,
  input: ImportRequest & { url: string },
): Promise<ImageJobView> {
  try {
    checkFetchUrl(input.url);
  } catch (err) {
    if (err instanceof FetchRefusedError) throw new InvalidInputError("url", err.message);
    throw err;
  }
  const spec = { ...(await importSpec(ctx, input)), source: { kind: "url" as const, url: input.url } };
  const id = newId("job");
  await mkdir(join(jobsDir(blobDir), id), { recursive: true });
  return insertJob(ctx, id, "import", spec);
}

/**
 * Streams an upload into the job's folder (never into memory), capped at `maxBytes`, and
 * queues the import only once every byte is on disk. A broken upload leaves nothing.
 */
export async function importFromUpload(
  ctx: ServiceContext,
  blobDir: string,
  input: ImportRequest & { filename?: string | undefined },
  body: Readable,
  maxBytes: number,
): Promise<ImageJobView> {
  const spec = {
    ...(await importSpec(ctx, input)),
    source: { kind: "upload" as const, ...(input.filename ? { filename: input.filename } : {}) },
  };
  const id = newId("job");
  const dir = join(jobsDir(blobDir), id);
  await mkdir(dir, { recursive: true });
  let received = 0;
  const digests = new SourceDigests();
  try {
    await pipeline(
      body,
      new Transform({
        transform(chunk: Buffer, _enc, callback) {
          received += chunk.length;
          if (received > maxBytes) {
            callback(new InvalidInputError("body", `the upload is larger than the ${maxBytes}-byte cap`));
            return;
          }
          digests.update(chunk);
          callback(null, chunk);
        },
      }),
      createWriteStream(join(dir, "source")),
    );
    if (received === 0) throw new InvalidInputError("body", "the upload is empty");
    await digests.save(dir);
    return await insertJob(ctx, id, "import", spec);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof InvalidInputError) throw err;
    throw new InvalidInputError("body", `the upload broke off after ${received} bytes`);
  }
}

/** Queues an export of a catalog image to a format another hypervisor loads. */
export async function exportImageJob(
  ctx: ServiceContext,
  blobDir: string,
  imageId: string,
  format: NonNullable<ImageJobSpec["format"]>,
): Promise<ImageJobView> {
  const image = await getImage(ctx, imageId);
  requireAdmin(ctx.principal, "export images");
  if (image.status !== "available" || !image.sha256) {
    throw new ConflictError(`Image ${image.id} is ${image.status}; only available images export.`);
  }
  const id = newId("job");
  await mkdir(join(jobsDir(blobDir), id), { recursive: true });
  return insertJob(ctx, id, "export", { image_id: image.id, format, name: image.name });
}

/** The finished export's file, for download. */
export async function exportDownload(
  ctx: ServiceContext,
  jobId: string,
): Promise<{ path: string; filename: string; bytes: number }> {
  const job = await getImageJob(ctx, jobId);
  const result = job.result as { path?: string; filename?: string } | null;
  if (job.kind !== "export" || job.state !== "succeeded" || !result?.path || !result.filename) {
    throw new ConflictError(`Job ${job.id} has no finished export to download (state ${job.state}).`);
  }
  const info = await stat(result.path).catch(() => undefined);
  if (!info) throw new ConflictError(`The export of job ${job.id} has been cleaned up; export again.`);
  return { path: result.path, filename: result.filename, bytes: info.size };
}
