import {
  AuthenticationError,
  ForbiddenError,
  InvalidInputError,
  isTokenScope,
  newId,
  normaliseScopes,
} from "@layerboom/core";
import type { Principal, TokenScope } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./passwords.js";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "../base/secrets.js";
import { principalCacheOf } from "./principal-cache.js";
import { assertLoginAllowed, recordLoginFailure, recordLoginSuccess } from "./throttle.js";
import { twoFactorStateFrom, twoFactorStateOf } from "./two-factor-state.js";
import type { TwoFactorState } from "./two-factor-state.js";

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

const INVALID_LOGIN = "The email or password is wrong.";

/**
 * Checks a password login, throttled per email and source address, per address, and per
 * email (identity/throttle.ts). `address` is request.ip: the client's, behind a trusted proxy.
 * Returns the user id and what the second factor asks of the login.
 */
export async function checkPassword(
  database: Database,
  email: string,
  password: string,
  address: string,
): Promise<{ userId: string; twoFactor: TwoFactorState }> {
  const source = { email, address };
  await assertLoginAllowed(database, source);
  const user = await database.db
    .selectFrom("users")
    .select(["id", "password_hash", "disabled_at", "email_verified_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash, password);
  if (!user || !ok || user.disabled_at) {
    await recordLoginFailure(database, source);
    throw new AuthenticationError(INVALID_LOGIN);
  }
  await recordLoginSuccess(database, source);
  // Only after the password matched, so this cannot be used to probe which addresses signed up.
  if (!user.email_verified_at)
    throw new AuthenticationError(
      "Confirm your email address first: open the link we mailed you at signup. To get a new link, sign up again with the same address.",
    );
  return { userId: user.id, twoFactor: await twoFactorStateOf(database.db, user.id) };
}

export interface NewApiToken {
  id: string;
  name: string;
  token: string;
  created_at: Date;
  expires_at: Date | null;
  scopes: TokenScope[];
}

/** Issues a bearer token for a user. The secret exists only in the return value. */
export async function issueApiToken(
  database: Database,
  userId: string,
  name: string,
  expiresAt: Date | null,
  scopes: readonly TokenScope[] = ["full"],
): Promise<NewApiToken> {
  if (expiresAt && expiresAt <= new Date())
    throw new InvalidInputError("expires_at", "expires_at must be in the future.");
  const issued = issueSecret(newId("token"));
  const row = await database.db
    .insertInto("api_tokens")
    .values({
      id: issued.id,
      user_id: userId,
      name,
      secret_hash: issued.secretHash,
      expires_at: expiresAt,
      scopes: JSON.stringify(normaliseScopes(scopes)),
    })
    .returning(["id", "name", "created_at", "expires_at", "scopes"])
    .executeTakeFirstOrThrow();
  return { ...row, scopes: row.scopes.filter(isTokenScope), token: `lb_${issued.token}` };
}

export interface NewSession {
  id: string;
  cookie: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function openSession(database: Database, userId: string): Promise<NewSession> {
  const issued = issueSecret(newId("session"));
  const csrf = issueSecret(issued.id);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await database.db
    .insertInto("sessions")
    .values({
      id: issued.id,
      user_id: userId,
      secret_hash: issued.secretHash,
      csrf_hash: csrf.secretHash,
      expires_at: expiresAt,
    })
    .execute();
  return {
    id: issued.id,
    cookie: issued.token,
    csrfToken: csrf.token.slice(issued.id.length + 1),
    expiresAt,
  };
}

export async function closeSession(database: Database, sessionId: string): Promise<void> {
  await database.db
    .updateTable("sessions")
    .set({ revoked_at: new Date() })
    .where("id", "=", sessionId)
    .execute();
}

async function principalForUser(database: Database, userId: string): Promise<Principal> {
  const row = await database.db
    .selectFrom("users")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select([
      "users.id",
      "users.role",
      "users.disabled_at",
      "accounts.id as account_id",
      "accounts.kind",
      "accounts.path",
    ])
    .where("users.id", "=", userId)
    .executeTakeFirst();
  if (!row || row.disabled_at) throw new AuthenticationError("This user is disabled.");
  return {
    userId: row.id,
    role: row.role,
    accountId: row.account_id,
    accountKind: row.kind,
    accountPath: row.path,
  };
}

const LAST_USED_GRANULARITY_MS = 60_000;

const BAD_TOKEN = "The API token is invalid, expired or revoked. Run `layerboom login` to get a new one.";

/** Resolves a bearer token to its principal, or throws AuthenticationError. */
export async function authenticateToken(database: Database, presented: string): Promise<Principal> {
  const parsed = presented.startsWith("lb_") ? parseToken(presented.slice(3), "tok") : undefined;
  if (!parsed) throw new AuthenticationError(BAD_TOKEN);
  const secretHash = sha256Hex(parsed.secret);
  const cacheKey = `${parsed.id}.${secretHash}`;
  const cache = principalCacheOf(database);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const row = await database.db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select([
      "api_tokens.secret_hash",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "api_tokens.scopes",
      "users.id as user_id",
      "users.role",
      "users.disabled_at",
      "accounts.id as account_id",
      "accounts.kind",
      "accounts.path",
    ])
    .where("api_tokens.id", "=", parsed.id)
    .executeTakeFirst();
  if (
    !row ||
    !digestsEqual(secretHash, row.secret_hash) ||
    row.revoked_at ||
    row.disabled_at ||
    (row.expires_at && row.expires_at <= new Date())
  ) {
    throw new AuthenticationError(BAD_TOKEN);
  }
  // Record use at most once a minute per token: useful to spot stale tokens, cheap on hot paths.
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_GRANULARITY_MS) {
    await database.db
      .updateTable("api_tokens")
      .set({ last_used_at: new Date(now) })
      .where("id", "=", parsed.id)
      .execute();
  }
  const principal: Principal = {
    userId: row.user_id,
    role: row.role,
    accountId: row.account_id,
    accountKind: row.kind,
    accountPath: row.path,
    // An unknown scope (a newer controller's, during a rolling upgrade) grants nothing here.
    scopes: row.scopes.filter(isTokenScope),
  };
  cache.set(cacheKey, principal, row.expires_at);
  return principal;
}

/** Resolves a session cookie; with `csrfToken` given, also checks it (state-changing requests). */
export async function authenticateSession(
  database: Database,
  cookie: string,
  csrfToken: string | undefined,
  requireCsrf: boolean,
): Promise<{ principal: Principal; sessionId: string; twoFactor: TwoFactorState }> {
  const parsed = parseToken(cookie, "ses");
  if (!parsed) throw new AuthenticationError("Your session is invalid. Log in again.");
  // The two-factor state comes along in the same query: a session of a user who must enrol
  // reaches only the enrolment routes (identity/authenticate.ts).
  const row = await database.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .leftJoin("user_two_factor", "user_two_factor.user_id", "sessions.user_id")
    .leftJoin("two_factor_policies", "two_factor_policies.account_id", "users.account_id")
    .select([
      "sessions.user_id",
      "sessions.secret_hash",
      "sessions.csrf_hash",
      "sessions.expires_at",
      "sessions.revoked_at",
      "user_two_factor.enabled_at as two_factor_enabled_at",
      "two_factor_policies.required as two_factor_required",
    ])
    .where("sessions.id", "=", parsed.id)
    .executeTakeFirst();
  if (
    !row ||
    !digestsEqual(sha256Hex(parsed.secret), row.secret_hash) ||
    row.revoked_at ||
    row.expires_at <= new Date()
  ) {
    throw new AuthenticationError("Your session has expired. Log in again.");
  }
  if (requireCsrf && !(csrfToken && digestsEqual(sha256Hex(csrfToken), row.csrf_hash))) {
    throw new ForbiddenError("Missing or wrong X-CSRF-Token header for a state-changing request.");
  }
  return {
    principal: await principalForUser(database, row.user_id),
    sessionId: parsed.id,
    twoFactor: twoFactorStateFrom(row.two_factor_enabled_at, row.two_factor_required),
  };
}

/** What a password change ended: the user's other sessions and all its API tokens. */
export interface RevokedCredentials {
  sessions_revoked: number;
  tokens_revoked: number;
}

/**
 * Ends every session of a user but `keepSessionId`, and every API token, inside the caller's
 * transaction. After a password change (own or reset), whoever held the old password must
 * not keep a way in. Clear the principal cache after the commit.
 */
export async function revokeCredentials(
  db: Kysely<Schema>,
  userId: string,
  keepSessionId?: string,
  now = new Date(),
): Promise<RevokedCredentials> {
  const tokens = await db
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  let sessions = db
    .updateTable("sessions")
    .set({ revoked_at: now })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null);
  if (keepSessionId) sessions = sessions.where("id", "!=", keepSessionId);
  const ended = await sessions.executeTakeFirst();
  await db.deleteFrom("pending_logins").where("user_id", "=", userId).where("used_at", "is", null).execute();
  return { sessions_revoked: Number(ended.numUpdatedRows), tokens_revoked: Number(tokens.numUpdatedRows) };
}

/** Validates a new password against our minimum, then hashes it. */
export async function newPasswordHash(password: string, field = "password"): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(field, `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  return hashPassword(password);
}
