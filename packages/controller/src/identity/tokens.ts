import { principalCacheOf } from "./principal-cache.js";
import { ForbiddenError, NotFoundError, isTokenScope, scopesCover } from "@layerboom/core";
import type { TokenScope } from "@layerboom/core";
import { recordAudit } from "../base/audit.js";
import { issueApiToken } from "./auth.js";
import type { NewApiToken } from "./auth.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";

export interface TokenView {
  id: string;
  name: string;
  scopes: TokenScope[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const TOKEN_COLUMNS = [
  "id",
  "name",
  "scopes",
  "created_at",
  "expires_at",
  "revoked_at",
  "last_used_at",
] as const;

/** A stored credential as the API shows it: only the scopes this version knows (tokens, EC2 access keys). */
export function withKnownScopes<T extends { scopes: string[] }>(row: T): T & { scopes: TokenScope[] } {
  return { ...row, scopes: row.scopes.filter(isTokenScope) };
}

/** Users manage their own tokens; nobody else sees them. */
export async function listTokens(ctx: ServiceContext, page: PageRequest): Promise<Page<TokenView>> {
  let q = ctx.database.db
    .selectFrom("api_tokens")
    .select(TOKEN_COLUMNS)
    .where("user_id", "=", ctx.principal.userId);
  if (page.after) q = q.where("id", ">", page.after);
  const rows = await q
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(withKnownScopes), page.limit);
}

/**
 * Issues a token for the caller. A caller that is itself a token may only hand out what it
 * holds: a read-only token cannot mint a full one.
 */
export async function createToken(
  ctx: ServiceContext,
  name: string,
  expiresAt: Date | null,
  scopes: readonly TokenScope[] = ["full"],
): Promise<NewApiToken> {
  const held = ctx.principal.scopes;
  if (held && !scopesCover(held, scopes))
    throw new ForbiddenError(
      `This API token (${held.join(", ")}) may not create a token with wider scopes (${scopes.join(", ")}).`,
      { field: "scopes" },
    );
  const token = await issueApiToken(ctx.database, ctx.principal.userId, name, expiresAt, scopes);
  await recordAudit(ctx.database.db, ctx, {
    action: "token.create",
    resourceType: "token",
    resourceId: token.id,
    accountId: ctx.principal.accountId,
    accountPath: ctx.principal.accountPath,
    details: { name, scopes: token.scopes },
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
  return withKnownScopes(revoked);
}
