import { desiredStatesAllowing } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { recordAudit } from "../base/audit.js";
import { systemActor } from "../base/context.js";
import { enqueueWebhookEvent } from "../webhooks/outbox.js";
import { serverEvent } from "../webhooks/payloads.js";

const SWEEP = systemActor("suspension-sweep");

/** Whether an account's servers are held stopped for an unpaid invoice. */
export async function accountSuspended(db: Kysely<Schema>, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom("billing_profiles")
    .select("suspended_at")
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  return Boolean(row?.suspended_at);
}

/**
 * Suspends every customer with an invoice unpaid past its due date plus the issuer's grace
 * days: the account is marked, and its servers are stopped (never deleted), each remembering
 * the state it returns to on payment. Returns the accounts suspended now and the hosts to wake.
 */
export async function enforceSuspensions(
  database: Database,
  now: Date,
): Promise<{ suspended: string[]; hosts: string[] }> {
  const overdue = await database.db
    .selectFrom("invoices")
    .leftJoin("billing_settings", "billing_settings.account_id", "invoices.issuer_account_id")
    .leftJoin("billing_profiles", "billing_profiles.account_id", "invoices.account_id")
    .select("invoices.account_id")
    .distinct()
    .where("invoices.status", "=", "issued")
    .where("invoices.amount_due_minor", ">", 0)
    .where("billing_profiles.suspended_at", "is", null)
    .where(
      sql<boolean>`invoices.due_at + make_interval(days => coalesce(billing_settings.grace_days, 7)) < ${now}`,
    )
    .execute();
  const suspended: string[] = [];
  const hosts = new Set<string>();
  for (const { account_id: accountId } of overdue) {
    await database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("billing_profiles")
        .values({ account_id: accountId, suspended_at: now, tax_region: null, updated_at: now })
        .onConflict((oc) => oc.column("account_id").doUpdateSet({ suspended_at: now, updated_at: now }))
        .execute();
      const servers = await trx
        .updateTable("servers")
        .set((eb) => ({
          suspended_from_state: eb.ref("desired_state") as never,
          desired_state: "stopped",
          generation: eb("generation", "+", 1),
          updated_at: now,
        }))
        .where("account_id", "=", accountId)
        .where("desired_state", "in", desiredStatesAllowing("suspend"))
        .where("suspended_from_state", "is", null)
        .returning(["id", "name", "account_id", "plan_id", "site_id", "host_id"])
        .execute();
      for (const s of servers) {
        if (s.host_id) hosts.add(s.host_id);
        await enqueueWebhookEvent(trx, { accountId, type: "server.suspended", payload: serverEvent(s) });
      }
      const account = await trx
        .selectFrom("accounts")
        .select("path")
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow();
      await recordAudit(trx, SWEEP, {
        action: "account.suspend",
        resourceType: "account",
        resourceId: accountId,
        accountId,
        accountPath: account.path,
        details: { reason: "unpaid invoice past its grace period", servers: servers.map((s) => s.id) },
      });
    });
    suspended.push(accountId);
  }
  return { suspended, hosts: [...hosts] };
}

/**
 * Lifts a suspension once the account owes nothing overdue: its servers go back to the state
 * they had. Runs in the payment's transaction. Returns the hosts to wake.
 */
export async function unsuspendIfSettled(
  trx: Kysely<Schema>,
  accountId: string,
  now: Date,
  actor: Parameters<typeof recordAudit>[1],
): Promise<string[]> {
  const profile = await trx
    .selectFrom("billing_profiles")
    .select("suspended_at")
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  if (!profile?.suspended_at) return [];
  const owing = await trx
    .selectFrom("invoices")
    .select("id")
    .where("account_id", "=", accountId)
    .where("status", "=", "issued")
    .where("amount_due_minor", ">", 0)
    .where("due_at", "<", now)
    .executeTakeFirst();
  if (owing) return [];
  await trx
    .updateTable("billing_profiles")
    .set({ suspended_at: null, updated_at: now })
    .where("account_id", "=", accountId)
    .execute();
  const servers = await trx
    .updateTable("servers")
    .set((eb) => ({
      desired_state: eb.fn.coalesce("suspended_from_state", sql.lit("stopped")) as never,
      suspended_from_state: null,
      generation: eb("generation", "+", 1),
      updated_at: now,
    }))
    .where("account_id", "=", accountId)
    .where("suspended_from_state", "is not", null)
    .where("desired_state", "<>", "deleted")
    .returning(["id", "name", "account_id", "plan_id", "site_id", "host_id"])
    .execute();
  for (const s of servers) {
    await enqueueWebhookEvent(trx, { accountId, type: "server.unsuspended", payload: serverEvent(s) });
  }
  const account = await trx
    .selectFrom("accounts")
    .select("path")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  await recordAudit(trx, actor, {
    action: "account.unsuspend",
    resourceType: "account",
    resourceId: accountId,
    accountId,
    accountPath: account.path,
    details: { servers: servers.map((s) => s.id) },
  });
  return servers.map((s) => s.host_id).filter((h): h is string => h !== null);
}
