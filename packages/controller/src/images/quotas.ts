import { QuotaExceededError, requireProviderAdmin } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely, Transaction } from "kysely";
import { sql } from "kysely";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";

/** What one account may hold and run at once in the image pipeline (docs/security.md). */
export interface ImageQuotas {
  /** Images owned (not deleted), imports queued or running included. */
  images: number;
  /** Bytes of the account's images (not deleted), as stored in the blob store. */
  image_bytes: number;
  /** Image jobs queued or running at once. */
  image_jobs: number;
  /** Image jobs running at once, over every runner: the rest of a busy account's jobs wait. */
  image_jobs_running: number;
  /** Uploads streaming at once. */
  uploads: number;
}

export type QuotaName = keyof ImageQuotas;
export const QUOTA_NAMES: readonly QuotaName[] = [
  "images",
  "image_bytes",
  "image_jobs",
  "image_jobs_running",
  "uploads",
];

/** Defaults for an account without overrides: generous for a VPS customer, small next to a data volume. */
export const DEFAULT_IMAGE_QUOTAS: ImageQuotas = {
  images: 50,
  image_bytes: 256 * 1024 ** 3,
  image_jobs: 10,
  image_jobs_running: 1,
  uploads: 2,
};

type Db = Kysely<Schema> | Transaction<Schema>;

/** The quotas in force for an account: its overrides over the defaults. */
export async function quotasOf(db: Db, accountId: string, defaults: ImageQuotas): Promise<ImageQuotas> {
  const row = await db
    .selectFrom("image_quotas")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  const quotas = { ...defaults };
  for (const name of QUOTA_NAMES) {
    const value = row?.[name];
    if (value !== null && value !== undefined) quotas[name] = value;
  }
  return quotas;
}

/** How much of each quota an account uses now. */
export async function usageOf(db: Db, accountId: string): Promise<ImageQuotas> {
  const images = await db
    .selectFrom("images")
    .select([
      sql<number>`count(*)::int`.as("count"),
      sql<number>`coalesce(sum(size_bytes), 0)::bigint`.as("bytes"),
    ])
    .where("account_id", "=", accountId)
    .where("deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  const jobs = await db
    .selectFrom("image_jobs")
    .select([
      sql<number>`count(*)::int`.as("open"),
      sql<number>`(count(*) FILTER (WHERE kind = 'import'))::int`.as("imports"),
      sql<number>`(count(*) FILTER (WHERE state = 'running' AND lease_until >= now()))::int`.as("running"),
    ])
    .where("account_id", "=", accountId)
    .where("state", "in", ["queued", "running"])
    .executeTakeFirstOrThrow();
  const uploads = await db
    .selectFrom("image_uploads")
    .select(sql<number>`count(*)::int`.as("count"))
    .where("account_id", "=", accountId)
    .where("lease_until", ">=", sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return {
    images: Number(images.count) + Number(jobs.imports),
    image_bytes: Number(images.bytes),
    image_jobs: Number(jobs.open),
    image_jobs_running: Number(jobs.running),
    uploads: Number(uploads.count),
  };
}

/**
 * Serialises quota decisions of one account: concurrent requests would otherwise each see
 * room for one more. Takes the account row's lock for the rest of the transaction.
 */
export async function lockAccountQuotas(trx: Transaction<Schema>, accountId: string): Promise<void> {
  await sql`SELECT id FROM accounts WHERE id = ${accountId} FOR UPDATE`.execute(trx);
}

/** Throws QuotaExceededError naming the quota when `adding` more would pass it. */
export function requireRoom(
  quotas: ImageQuotas,
  usage: ImageQuotas,
  quota: QuotaName,
  adding: number,
  what: string,
): void {
  const limit = quotas[quota];
  const used = usage[quota];
  if (used + adding > limit) {
    throw new QuotaExceededError(
      quota,
      limit,
      used,
      `The account's ${quota} quota is ${limit}${quota === "image_bytes" ? " bytes" : ""} and ${used} ${
        quota === "image_bytes" ? "bytes are" : "are"
      } in use: ${what} would pass it.`,
    );
  }
}

/** An account's image quotas and what it uses of them, for the API. */
export interface ImageQuotasView {
  account_id: string;
  /** The limits in force (overrides over the controller's defaults). */
  limits: ImageQuotas;
  /** The account's own overrides; null where the default applies. */
  overrides: { [K in QuotaName]: number | null };
  usage: ImageQuotas;
}

/** Quotas of an account in the caller's subtree (another tenant's account is not found). */
export async function getImageQuotas(
  ctx: ServiceContext,
  accountId: string,
  defaults: ImageQuotas,
): Promise<ImageQuotasView> {
  const account = await getAccount(ctx, accountId);
  const db = ctx.database.db;
  const row = await db
    .selectFrom("image_quotas")
    .selectAll()
    .where("account_id", "=", account.id)
    .executeTakeFirst();
  const overrides = Object.fromEntries(QUOTA_NAMES.map((n) => [n, row?.[n] ?? null])) as {
    [K in QuotaName]: number | null;
  };
  return {
    account_id: account.id,
    limits: await quotasOf(db, account.id, defaults),
    overrides,
    usage: await usageOf(db, account.id),
  };
}

/**
 * Sets or clears (null) an account's overrides. Provider admins only: a reseller selling
 * bigger image plans asks its provider, whose volume it is.
 */
export async function setImageQuotas(
  ctx: ServiceContext,
  accountId: string,
  changes: Partial<{ [K in QuotaName]: number | null }>,
  defaults: ImageQuotas,
): Promise<ImageQuotasView> {
  const account = await getAccount(ctx, accountId);
  requireProviderAdmin(ctx.principal, "set image quotas");
  const values = Object.fromEntries(
    QUOTA_NAMES.filter((n) => changes[n] !== undefined).map((n) => [n, changes[n]]),
  );
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("image_quotas")
      .values({ account_id: account.id, ...values })
      .onConflict((oc) => oc.column("account_id").doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
    await recordAudit(trx, ctx, {
      action: "account.image_quotas.update",
      resourceType: "account",
      resourceId: account.id,
      accountId: account.id,
      accountPath: account.path,
      details: values,
    });
  });
  return getImageQuotas(ctx, account.id, defaults);
}

/** Upload leases run this long past their last renewal; a dead controller's upload stops counting after it. */
export const UPLOAD_LEASE_MS = 2 * 60_000;

/**
 * Counts an upload against the `uploads` quota for as long as it streams: a row whose lease
 * the caller renews (`renew`) and removes when the upload ends (`release`).
 */
export async function claimUploadSlot(
  db: Kysely<Schema>,
  /** The job the upload will become. */
  id: string,
  accountId: string,
  defaults: ImageQuotas,
): Promise<{ renew(): Promise<void>; release(): Promise<void> }> {
  await db.transaction().execute(async (trx) => {
    await lockAccountQuotas(trx, accountId);
    const [quotas, usage] = [await quotasOf(trx, accountId, defaults), await usageOf(trx, accountId)];
    requireRoom(quotas, usage, "uploads", 1, "another upload at once");
    requireRoom(quotas, usage, "image_jobs", 1, "another image job");
    requireRoom(quotas, usage, "images", 1, "another image");
    // Bytes are only known once the disk is converted; here the account must not be full already.
    requireRoom(quotas, usage, "image_bytes", 1, "another image");
    await trx
      .insertInto("image_uploads")
      .values({ id, account_id: accountId, lease_until: new Date(Date.now() + UPLOAD_LEASE_MS) })
      .execute();
  });
  return {
    renew: async () => {
      await db
        .updateTable("image_uploads")
        .set({ lease_until: new Date(Date.now() + UPLOAD_LEASE_MS) })
        .where("id", "=", id)
        .execute();
    },
    release: async () => {
      await db.deleteFrom("image_uploads").where("id", "=", id).execute();
    },
  };
}
