import { ConflictError, NotFoundError, newId, parseSshPublicKey } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { SshKeyRow } from "@layerboom/db";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";

function visibleKeys(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("ssh_keys")
    .innerJoin("accounts", "accounts.id", "ssh_keys.account_id")
    .selectAll("ssh_keys")
    .where(accountInSubtree(ctx.principal.accountPath));
}

export async function getSshKey(ctx: ServiceContext, id: string): Promise<SshKeyRow> {
  const row = await visibleKeys(ctx).where("ssh_keys.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("ssh_key", id);
  return row;
}

export async function listSshKeys(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined },
  page: PageRequest,
): Promise<Page<SshKeyRow>> {
  let q = visibleKeys(ctx);
  if (filter.accountId) q = q.where("ssh_keys.account_id", "=", filter.accountId);
  if (page.after) q = q.where("ssh_keys.id", ">", page.after);
  return toPage(
    await q
      .orderBy("ssh_keys.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export async function createSshKey(
  ctx: ServiceContext,
  input: { name: string; public_key: string; account_id?: string | undefined },
): Promise<SshKeyRow> {
  const parsed = parseSshPublicKey(input.public_key);
  const account = await getAccount(ctx, input.account_id ?? ctx.principal.accountId);
  const id = newId("sshKey");
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("ssh_keys")
        .values({
          id,
          account_id: account.id,
          user_id: ctx.principal.userId,
          name: input.name,
          public_key: parsed.normalized,
          fingerprint: parsed.fingerprint,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "ssh_key.create",
        resourceType: "ssh_key",
        resourceId: id,
        accountId: account.id,
        accountPath: account.path,
        details: { name: input.name, fingerprint: parsed.fingerprint },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`This key (${parsed.fingerprint}) is already registered on this account.`, {
        field: "public_key",
      });
    }
    throw err;
  }
}

export async function deleteSshKey(ctx: ServiceContext, id: string): Promise<void> {
  const key = await getSshKey(ctx, id);
  const account = await getAccount(ctx, key.account_id);
  await ctx.database.db.transaction().execute(async (trx) => {
    // Servers keep the key they booted with; we only forget the association.
    await trx.deleteFrom("server_ssh_keys").where("ssh_key_id", "=", id).execute();
    await trx.deleteFrom("ssh_keys").where("id", "=", id).execute();
    await recordAudit(trx, ctx, {
      action: "ssh_key.delete",
      resourceType: "ssh_key",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
    });
  });
}
