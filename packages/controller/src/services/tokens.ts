import { principalCacheOf } from "../auth/principal-cache.js";
import { NotFoundError } from "@layerboom/core";
import { recordAudit } from "./audit.js";
import { issueApiToken } from "./auth.js";
import type { NewApiToken } from "./auth.js";
import type { Page, PageRequest, ServiceContext } from "./context.js";
import { toPage } from "./context.js";

export interface TokenView {
  id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const TOKEN_COLUMNS = ["id", "name", "created_at", "expires_at", "revoked_at", "last_used_at"] as const;

/** Users manage their own tokens; nobody else sees them. */
export async function listTokens(ctx: ServiceContext, page: PageRequest): Promise<Page<TokenView>> {
  let q = ctx.database.db
    .selectFrom("api_tokens")
    .select(TOKEN_COLUMNS)
    .where("user_id", "=", ctx.principal.userId);
  if (page.after) q = q.where("id", ">", page.after);
  return toPage(
    await q
      .orderBy("id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export async function createToken(
  ctx: ServiceContext,
  name: string,
  expiresAt: Date | null,
): Promise<NewApiToken> {
  const token = await issueApiToken(ctx.database, ctx.principal.userId, name, expiresAt);
  await recordAudit(ctx.database.db, ctx, {
    action: "token.create",
    resourceType: "token",
    resourceId: token.id,
    accountId: ctx.principal.accountId,
    accountPath: ctx.principal.accountPath,
    details: { name },
  });
  return token;
}

export async function revokeToken(ctx: ServiceContext, id: string): Promise<TokenView> {
  const revoked = await ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("api_tokens")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(new Date())) }))
      .where("id", "=", id)
      .where("user_id", "=", ctx.principal.userId)
      .returning(TOKEN_COLUMNS)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("token", id);
    await recordAudit(trx, ctx, {
      action: "token.revoke",
      resourceType: "token",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
    });
    return row;
  });
  // A cached principal must not outlive its token here (other replicas: within the cache TTL).
  principalCacheOf(ctx.database).clear();
  return revoked;
}
