import { ConflictError, NotFoundError, newId, requireProviderAdmin } from "@layerboom/core";
import type { Database, HostRow } from "@layerboom/db";
import { sql } from "kysely";
import { issueSecret } from "../base/secrets.js";
import { recordAudit } from "../base/audit.js";
import { getSite } from "../catalog/catalog.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { mustReference } from "../base/references.js";
import { isUniqueViolation } from "../base/sql-errors.js";

/** Join tokens and host credentials carry distinct prefixes so one is never mistaken for the other. */
export const JOIN_TOKEN_PREFIX = "lbj_";
export const HOST_CREDENTIAL_PREFIX = "lbh_";

/** How long a join token stays valid. */
export const JOIN_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

/** A host as the API shows it: its record without secrets, plus what is reserved on it. */
export type HostView = Omit<HostRow, "join_token_hash" | "credential_hash"> & {
  used_vcpus: number;
  used_memory_mib: number;
  used_disk_gib: number;
  server_count: number;
};

function visibleHosts(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("hosts")
    .select([
      "hosts.id",
      "hosts.site_id",
      "hosts.name",
      "hosts.state",
      "hosts.accelerator",
      "hosts.cpu_cores",
      "hosts.memory_mib",
      "hosts.disk_gib",
      "hosts.join_expires_at",
      "hosts.last_heartbeat_at",
      "hosts.created_at",
      "hosts.removed_at",
      "hosts.hostname",
      "hosts.agent_version",
      "hosts.connected_at",
      "hosts.orphans",
      "hosts.bridges",
    ])
    .select(
      sql<{ vcpus: number; memory_mib: number; disk_gib: number; servers: number }>`(
        SELECT json_build_object(
          'vcpus', coalesce(sum(p.vcpus), 0), 'memory_mib', coalesce(sum(p.memory_mib), 0),
          'disk_gib', coalesce(sum(p.disk_gib), 0), 'servers', count(*))
        FROM servers s JOIN plans p ON p.id = s.plan_id
        WHERE s.host_id = hosts.id AND s.deleted_at IS NULL)`.as("used"),
    )
    .where("hosts.state", "!=", "removed");
}

function toView(
  row: Awaited<ReturnType<ReturnType<typeof visibleHosts>["executeTakeFirstOrThrow"]>>,
): HostView {
  const { used, ...host } = row;
  return {
    ...host,
    used_vcpus: Number(used.vcpus),
    used_memory_mib: Number(used.memory_mib),
    used_disk_gib: Number(used.disk_gib),
    server_count: Number(used.servers),
  };
}

/** Hosts are the provider's machines; to everyone else they do not exist. */
export async function getHost(ctx: ServiceContext, id: string): Promise<HostView> {
  if (ctx.principal.role !== "provider-admin") throw new NotFoundError("host", id);
  const row = await visibleHosts(ctx).where("hosts.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("host", id);
  return toView(row);
}

export async function listHosts(
  ctx: ServiceContext,
  filter: { siteId?: string | undefined; state?: string | undefined },
  page: PageRequest,
): Promise<Page<HostView>> {
  requireProviderAdmin(ctx.principal, "list hosts");
  let q = visibleHosts(ctx);
  if (filter.siteId) q = q.where("hosts.site_id", "=", filter.siteId);
  if (filter.state) q = q.where("hosts.state", "=", filter.state as HostRow["state"]);
  if (page.after) q = q.where("hosts.id", ">", page.after);
  const page_ = toPage(
    await q
      .orderBy("hosts.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
  return { items: page_.items.map(toView), nextAfter: page_.nextAfter };
}

/** A new host record and the one-time token its agent joins with. */
export interface AddedHost {
  host: HostView;
  join_token: string;
}

/** Adds a host in `pending` state and issues its one-time join token (shown once). */
export async function addHost(
  ctx: ServiceContext,
  input: { name: string; site_id: string },
): Promise<AddedHost> {
  requireProviderAdmin(ctx.principal, "add hosts");
  await mustReference("site_id", () => getSite(ctx, input.site_id));
  const id = newId("host");
  const join = issueSecret(id);
  try {
    await ctx.database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("hosts")
        .values({
          id,
          site_id: input.site_id,
          name: input.name,
          accelerator: null,
          join_token_hash: join.secretHash,
          join_expires_at: new Date(Date.now() + JOIN_TOKEN_TTL_MS),
          credential_hash: null,
          last_heartbeat_at: null,
          removed_at: null,
          connected_at: null,
        })
        .execute();
      await recordAudit(trx, ctx, {
        action: "host.add",
        resourceType: "host",
        resourceId: id,
        accountId: ctx.principal.accountId,
        accountPath: ctx.principal.accountPath,
        details: { name: input.name, site_id: input.site_id },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`A host named "${input.name}" already exists.`, { field: "name" });
    throw err;
  }
  return { host: await getHost(ctx, id), join_token: `${JOIN_TOKEN_PREFIX}${join.token}` };
}

/**
 * Removes a host: its credential stops working at once. A host that still carries servers
 * cannot be removed; delete or move them first.
 */
export async function removeHost(ctx: ServiceContext, id: string): Promise<HostView> {
  const host = await getHost(ctx, id);
  if (host.server_count > 0) {
    throw new ConflictError(`Host ${id} still carries ${host.server_count} server(s); delete them first.`, {
      server_count: host.server_count,
    });
  }
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("hosts")
      .set({ state: "removed", removed_at: new Date(), credential_hash: null, join_token_hash: null })
      .where("id", "=", id)
      .execute();
    await recordAudit(trx, ctx, {
      action: "host.remove",
      resourceType: "host",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
    });
  });
  ctx.hostChanged?.(id);
  return { ...host, state: "removed", removed_at: new Date() };
}

/**
 * For `layerboom up`: the host record of this very machine in the named site. Returns a
 * fresh join token while the host has not joined yet, and none once it has a credential.
 */
export async function ensureLocalHost(
  database: Database,
  input: { name: string; siteName: string },
): Promise<{ hostId: string; joinToken?: string }> {
  const site = await database.db
    .selectFrom("sites")
    .select("id")
    .where("name", "=", input.siteName)
    .executeTakeFirstOrThrow();
  const existing = await database.db
    .selectFrom("hosts")
    .select(["id", "credential_hash"])
    .where("name", "=", input.name)
    .where("state", "!=", "removed")
    .executeTakeFirst();
  if (existing?.credential_hash) return { hostId: existing.id };
  const id = existing?.id ?? newId("host");
  const join = issueSecret(id);
  const values = {
    join_token_hash: join.secretHash,
    join_expires_at: new Date(Date.now() + JOIN_TOKEN_TTL_MS),
  };
  if (existing) await database.db.updateTable("hosts").set(values).where("id", "=", id).execute();
  else {
    await database.db
      .insertInto("hosts")
      .values({
        id,
        site_id: site.id,
        name: input.name,
        accelerator: null,
        credential_hash: null,
        last_heartbeat_at: null,
        removed_at: null,
        connected_at: null,
        ...values,
      })
      .execute();
  }
  return { hostId: id, joinToken: `${JOIN_TOKEN_PREFIX}${join.token}` };
}
