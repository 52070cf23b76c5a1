import { newId, requireAdmin } from "@layerboom/core";
import { escapeLike } from "@layerboom/db";
import type { AuditLogRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { Actor, Page, PageRequest, ServiceContext } from "./context.js";
import { toPage } from "./context.js";

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string;
  /** The account the change belongs to (whose subtree may read it). */
  accountId: string;
  accountPath: string;
  details?: Record<string, unknown>;
}

/** Appends one audit entry, in the caller's transaction so the change and its record commit together. */
export async function recordAudit(db: Kysely<Schema>, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAuditMany(db, actor, [entry]);
}

/** Appends many audit entries with one statement (a month close writes thousands). */
export async function recordAuditMany(
  db: Kysely<Schema>,
  actor: Actor,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("audit_log")
    .values(
      entries.map((entry) => ({
        id: newId("audit"),
        actor_user_id: "system" in actor ? null : actor.principal.userId,
        account_id: entry.accountId,
        account_path: entry.accountPath,
        action: entry.action,
        resource_type: entry.resourceType,
        resource_id: entry.resourceId,
        request_id: "system" in actor ? null : (actor.requestId ?? null),
        details: JSON.stringify(
          "system" in actor ? { ...entry.details, system: actor.system } : (entry.details ?? {}),
        ),
      })),
    )
    .execute();
}

export interface AuditFilter {
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  actorUserId?: string | undefined;
}

/** Admins read the audit log of their own subtree, newest first. */
export async function listAudit(
  ctx: ServiceContext,
  filter: AuditFilter,
  page: PageRequest,
): Promise<Page<AuditLogRow>> {
  requireAdmin(ctx.principal, "read the audit log");
  let q = ctx.database.db
    .selectFrom("audit_log")
    .selectAll()
    .where("account_path", "like", `${escapeLike(ctx.principal.accountPath)}%`);
  if (filter.action) q = q.where("action", "=", filter.action);
  if (filter.resourceType) q = q.where("resource_type", "=", filter.resourceType);
  if (filter.resourceId) q = q.where("resource_id", "=", filter.resourceId);
  if (filter.actorUserId) q = q.where("actor_user_id", "=", filter.actorUserId);
  if (page.after) q = q.where("id", "<", page.after);
  const rows = await q
    .orderBy("id", "desc")
    .limit(page.limit + 1)
    .execute();
  return toPage(rows, page.limit);
}
