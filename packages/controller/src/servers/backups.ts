import { ConflictError, NotFoundError, newId } from "@layerboom/core";
import type { BackupRow, Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { crashPoint } from "../base/crash-points.js";
import { closeAddonIntervals, openAddonInterval } from "../metering/addons.js";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { touchServer } from "../base/servers-in-scope.js";
import { getServer } from "./servers.js";
import type { ServerView } from "./servers.js";

// Backups of a server's disk (docs/backups.md). The API writes desired state only: which
// backups a server should have and which restore it asked for. The host's agent takes,
// deletes and restores them, and reports the files it has.

/** Scheduled backups kept per server; older ones are deleted. */
export const SCHEDULED_BACKUPS_KEPT = 7;
/** How often a server with backups on gets a scheduled backup. */
export const SCHEDULED_BACKUP_INTERVAL_MS = 24 * 3_600_000;

export type BackupView = BackupRow;

async function serverFor(ctx: ServiceContext, serverId: string): Promise<ServerView> {
  const server = await getServer(ctx, serverId);
  if (server.desired_state === "deleted") throw new ConflictError(`Server ${serverId} is being deleted.`);
  return server;
}

/** The server's backups, newest first; another tenant's server is not found. */
export async function listBackups(ctx: ServiceContext, serverId: string): Promise<BackupView[]> {
  const server = await getServer(ctx, serverId);
  return ctx.database.db
    .selectFrom("backups")
    .selectAll()
    .where("server_id", "=", server.id)
    .orderBy("id", "desc")
    .execute();
}

async function findBackup(ctx: ServiceContext, server: ServerView, backupId: string): Promise<BackupView> {
  const row = await ctx.database.db
    .selectFrom("backups")
    .selectAll()
    .where("id", "=", backupId)
    .where("server_id", "=", server.id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("backup", backupId);
  return row;
}

/**
 * Turns the backups add-on on or off. The add-on interval that bills it opens or closes in
 * the same transaction, so a crash keeps both or neither. Turning it off keeps the backups
 * already taken (they can still be restored or deleted); no new scheduled ones are taken.
 */
export async function setBackupsEnabled(
  ctx: ServiceContext,
  serverId: string,
  enabled: boolean,
): Promise<ServerView> {
  const server = await serverFor(ctx, serverId);
  const account = await getAccount(ctx, server.account_id);
  await ctx.database.db.transaction().execute(async (trx) => {
    // The row lock serialises concurrent toggles, so the interval opens or closes once.
    const current = await trx
      .selectFrom("servers")
      .select(["backups_enabled", "plan_id", "account_id", "desired_state"])
      .where("id", "=", server.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.desired_state === "deleted") throw new ConflictError(`Server ${serverId} is being deleted.`);
    if (current.backups_enabled === enabled) return;
    const now = new Date();
    await trx
      .updateTable("servers")
      .set({ backups_enabled: enabled, updated_at: now })
      .where("id", "=", server.id)
      .execute();
    crashPoint("backups-toggled-before-addon");
    if (enabled) await openAddonInterval(trx, { id: server.id, ...current }, "backups", now);
    else await closeAddonIntervals(trx, server.id, now);
    await recordAudit(trx, ctx, {
      action: enabled ? "server.backups.enable" : "server.backups.disable",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
    });
  });
  return getServer(ctx, server.id);
}

/** Inserts a pending backup and wakes the host; the caller holds the server's row lock. */
async function insertBackup(
  trx: Kysely<Schema>,
  server: { id: string; account_id: string; host_id: string },
  kind: "manual" | "scheduled",
  now: Date,
): Promise<BackupRow> {
  const row = await trx
    .insertInto("backups")
    .values({
      id: newId("backup", now.getTime()),
      server_id: server.id,
      account_id: server.account_id,
      host_id: server.host_id,
      kind,
      requested_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await touchServer(trx, server.id, now);
  return row;
}

/** Asks for a backup now. Refused while another backup of the server is still pending. */
export async function createBackup(ctx: ServiceContext, serverId: string): Promise<BackupView> {
  const server = await serverFor(ctx, serverId);
  const account = await getAccount(ctx, server.account_id);
  const hostId = server.host_id;
  if (hostId === null) throw new ConflictError(`Server ${serverId} has no host yet; nothing to back up.`);
  const row = await ctx.database.db.transaction().execute(async (trx) => {
    await trx.selectFrom("servers").select("id").where("id", "=", server.id).forUpdate().execute();
    const pending = await trx
      .selectFrom("backups")
      .select("id")
      .where("server_id", "=", server.id)
      .where("state", "=", "pending")
      .executeTakeFirst();
    if (pending)
      throw new ConflictError(
        `Backup ${pending.id} of server ${serverId} is still being taken; wait for it.`,
        {
          backup_id: pending.id,
        },
      );
    const backup = await insertBackup(trx, { ...server, host_id: hostId }, "manual", new Date());
    await recordAudit(trx, ctx, {
      action: "server.backup.create",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
      details: { backup_id: backup.id },
    });
    return backup;
  });
  ctx.hostChanged?.(hostId);
  return row;
}

/** Marks a backup for deletion; the row goes once the agent reports the file gone. */
export async function deleteBackup(
  ctx: ServiceContext,
  serverId: string,
  backupId: string,
): Promise<BackupView> {
  const server = await getServer(ctx, serverId);
  const account = await getAccount(ctx, server.account_id);
  const backup = await findBackup(ctx, server, backupId);
  const row = await ctx.database.db.transaction().execute(async (trx) => {
    const now = new Date();
    const updated = await trx
      .updateTable("backups")
      .set({ state: "deleting" })
      .where("id", "=", backup.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await touchServer(trx, server.id, now);
    await recordAudit(trx, ctx, {
      action: "server.backup.delete",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
      details: { backup_id: backup.id },
    });
    return updated;
  });
  if (server.host_id) ctx.hostChanged?.(server.host_id);
  return row;
}

/**
 * Asks the agent to replace the server's disk with a copy of an available backup: it stops
 * the VM, restores, and starts it again if it should run. Level-triggered like reboots: a
 * bumped `restore_seq` is applied once.
 */
export async function restoreBackup(
  ctx: ServiceContext,
  serverId: string,
  backupId: string,
): Promise<ServerView> {
  const server = await serverFor(ctx, serverId);
  const account = await getAccount(ctx, server.account_id);
  const backup = await findBackup(ctx, server, backupId);
  if (backup.state !== "available")
    throw new ConflictError(
      `Backup ${backupId} is ${backup.state}; only an available backup can be restored.`,
      {
        field: "backup_id",
      },
    );
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("servers")
      .set((eb) => ({
        restore_seq: eb("restore_seq", "+", 1),
        restore_backup_id: backup.id,
        generation: eb("generation", "+", 1),
        updated_at: new Date(),
      }))
      .where("id", "=", server.id)
      .execute();
    await recordAudit(trx, ctx, {
      action: "server.restore",
      resourceType: "server",
      resourceId: server.id,
      accountId: account.id,
      accountPath: account.path,
      details: { backup_id: backup.id },
    });
  });
  if (server.host_id) ctx.hostChanged?.(server.host_id);
  return getServer(ctx, server.id);
}

/**
 * The backup schedule, run periodically by every controller: each server with backups on
 * whose newest scheduled backup is older than a day gets a new one, and scheduled backups
 * beyond the newest {@link SCHEDULED_BACKUPS_KEPT} are marked for deletion. Each server is
 * handled under its row lock, so replicas running this at once request one backup, not two.
 * Returns the hosts whose desired set changed.
 */
export async function runBackupSchedule(
  database: Database,
  now: Date,
  options: { intervalMs?: number; keep?: number } = {},
): Promise<{ requested: string[]; pruned: string[]; hosts: string[] }> {
  const intervalMs = options.intervalMs ?? SCHEDULED_BACKUP_INTERVAL_MS;
  const keep = options.keep ?? SCHEDULED_BACKUPS_KEPT;
  const servers = await database.db
    .selectFrom("servers")
    .select("id")
    .where("backups_enabled", "=", true)
    .where("deleted_at", "is", null)
    .where("desired_state", "!=", "deleted")
    .where("host_id", "is not", null)
    .orderBy("id")
    .execute();
  const requested: string[] = [];
  const pruned: string[] = [];
  const hosts = new Set<string>();
  for (const { id } of servers) {
    await database.db.transaction().execute(async (trx) => {
      const server = await trx
        .selectFrom("servers")
        .select(["id", "account_id", "host_id", "backups_enabled", "desired_state"])
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!server?.host_id || !server.backups_enabled || server.desired_state === "deleted") return;
      const scheduled = await trx
        .selectFrom("backups")
        .select(["id", "state", "requested_at"])
        .where("server_id", "=", id)
        .where("kind", "=", "scheduled")
        .where("state", "!=", "deleting")
        .orderBy("requested_at", "desc")
        .orderBy("id", "desc")
        .execute();
      const newest = scheduled[0];
      let kept = scheduled;
      const pending = await trx
        .selectFrom("backups")
        .select("id")
        .where("server_id", "=", id)
        .where("state", "=", "pending")
        .executeTakeFirst();
      if (!pending && (!newest || now.getTime() - newest.requested_at.getTime() >= intervalMs)) {
        const backup = await insertBackup(trx, { ...server, host_id: server.host_id }, "scheduled", now);
        requested.push(backup.id);
        kept = [{ id: backup.id, state: "pending", requested_at: now }, ...scheduled];
        hosts.add(server.host_id);
      }
      const old = kept.slice(keep).map((b) => b.id);
      if (old.length > 0) {
        await trx.updateTable("backups").set({ state: "deleting" }).where("id", "in", old).execute();
        await touchServer(trx, id, now);
        pruned.push(...old);
        hosts.add(server.host_id);
      }
    });
  }
  return { requested, pruned, hosts: [...hosts] };
}
