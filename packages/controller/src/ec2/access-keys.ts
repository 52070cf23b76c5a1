import { randomBytes } from "node:crypto";
import { ForbiddenError, NotFoundError, isTokenScope, normaliseScopes, scopesCover } from "@layerboom/core";
import type { Principal, TokenScope } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { withKnownScopes } from "../identity/tokens.js";
import { authFailure } from "./errors.js";
import { SigningKey } from "./sigv4.js";

/** An access key as listed: never its secret. */
export interface AccessKeyView {
  id: string;
  name: string;
  scopes: TokenScope[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** A new key: the only time its secret is shown. */
export type NewAccessKey = AccessKeyView & { secret_access_key: string };

const COLUMNS = ["id", "name", "scopes", "created_at", "last_used_at", "revoked_at"] as const;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** `AKIA` and 16 base32 characters: how AWS spells an access key id, so tools that check the shape accept it. */
function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  return `AKIA${[...bytes].map((b) => BASE32[b % 32]).join("")}`;
}

/** The caller's keys, newest last. Keys are personal: nobody else lists them. */
export async function listAccessKeys(ctx: ServiceContext, page: PageRequest): Promise<Page<AccessKeyView>> {
  let q = ctx.database.db
    .selectFrom("ec2_access_keys")
    .select(COLUMNS)
    .where("user_id", "=", ctx.principal.userId);
  if (page.after) q = q.where("id", ">", page.after);
  const rows = await q
    .orderBy("id")
    .limit(page.limit + 1)
    .execute();
  return toPage(rows.map(withKnownScopes), page.limit);
}

/**
 * Issues a key for the caller, acting with the caller's role within `scopes`. A caller that is
 * a token may only hand out what it holds. The secret is sealed, bound to the key id.
 */
export async function createAccessKey(
  ctx: ServiceContext,
  secretBox: SecretBox,
  name: string,
  scopes: readonly TokenScope[] = ["full"],
): Promise<NewAccessKey> {
  const held = ctx.principal.scopes;
  if (held && !scopesCover(held, scopes))
    throw new ForbiddenError(
      `This API token (${held.join(", ")}) may not create an access key with wider scopes (${scopes.join(", ")}).`,
      { field: "scopes" },
    );
  const id = newAccessKeyId();
  // 30 random bytes: 40 base64 characters, the length of an AWS secret access key.
  const secret = randomBytes(30).toString("base64");
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("ec2_access_keys")
      .values({
        id,
        user_id: ctx.principal.userId,
        name,
        secret_sealed: secretBox.seal(secret, id),
        scopes: JSON.stringify(normaliseScopes(scopes)),
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "ec2_access_key.create",
      resourceType: "ec2_access_key",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { name, scopes: row.scopes },
    });
    return { ...withKnownScopes(row), secret_access_key: secret };
  });
}

export async function revokeAccessKey(ctx: ServiceContext, id: string): Promise<AccessKeyView> {
  const revoked = await ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("ec2_access_keys")
      .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(new Date())) }))
      .where("id", "=", id)
      .where("user_id", "=", ctx.principal.userId)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) throw new NotFoundError("ec2_access_key", id);
    await recordAudit(trx, ctx, {
      action: "ec2_access_key.revoke",
      resourceType: "ec2_access_key",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
    });
    return row;
  });
  accessKeyCacheOf(ctx.database).clear();
  return withKnownScopes(revoked);
}

/** What a verified key stands for: the principal it acts as, and the secret its signatures use. */
export interface AccessKeyHolder {
  principal: Principal;
  /** The secret's SigV4 signing key, derived once per day, region and service. */
  signingKey: SigningKey;
}

interface CacheEntry {
  holder: AccessKeyHolder;
  until: number;
}

/**
 * Key id → holder for 2 seconds, as the bearer-token path caches principals: a SigV4 request
 * would otherwise pay a database round trip and an AES-GCM open before its real work. A revoke
 * on this controller clears it; other replicas honour a revocation within the TTL.
 */
class AccessKeyCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(
    private readonly ttlMs = 2_000,
    private readonly maxEntries = 10_000,
  ) {}
  get(id: string, now = Date.now()): AccessKeyHolder | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.until > now) return entry.holder;
    if (entry) this.entries.delete(id);
    return undefined;
  }
  set(id: string, holder: AccessKeyHolder, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(id, { holder, until: now + this.ttlMs });
  }
  clear(): void {
    this.entries.clear();
  }
}

const caches = new WeakMap<Database, AccessKeyCache>();

function accessKeyCacheOf(database: Database): AccessKeyCache {
  let cache = caches.get(database);
  if (!cache) {
    cache = new AccessKeyCache();
    caches.set(database, cache);
  }
  return cache;
}

const LAST_USED_GRANULARITY_MS = 60_000;
const UNKNOWN_KEY =
  "AWS was not able to validate the provided access credentials: the access key is unknown or revoked.";

/** The holder of an access key, or AuthFailure for an unknown, revoked or disabled one. */
export async function accessKeyHolder(
  database: Database,
  secretBox: SecretBox,
  id: string,
): Promise<AccessKeyHolder> {
  const cache = accessKeyCacheOf(database);
  const cached = cache.get(id);
  if (cached) return cached;
  const row = await database.db
    .selectFrom("ec2_access_keys")
    .innerJoin("users", "users.id", "ec2_access_keys.user_id")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select([
      "ec2_access_keys.secret_sealed",
      "ec2_access_keys.revoked_at",
      "ec2_access_keys.last_used_at",
      "ec2_access_keys.scopes",
      "users.id as user_id",
      "users.role",
      "users.disabled_at",
      "accounts.id as account_id",
      "accounts.kind",
      "accounts.path",
    ])
    .where("ec2_access_keys.id", "=", id)
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) throw authFailure(UNKNOWN_KEY);
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_GRANULARITY_MS) {
    await database.db
      .updateTable("ec2_access_keys")
      .set({ last_used_at: new Date(now) })
      .where("id", "=", id)
      .execute();
  }
  const holder: AccessKeyHolder = {
    principal: {
      userId: row.user_id,
      role: row.role,
      accountId: row.account_id,
      accountKind: row.kind,
      accountPath: row.path,
      scopes: row.scopes.filter(isTokenScope),
    },
    signingKey: new SigningKey(secretBox.open(row.secret_sealed, id)),
  };
  cache.set(id, holder, now);
  return holder;
}
