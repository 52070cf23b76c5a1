import { randomBytes } from "node:crypto";
import { AuthenticationError } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import type { SecretBox } from "../base/secret-box.js";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "../base/secrets.js";
import { useCode } from "./two-factor.js";

// The step between a correct password and a correct second factor (docs/security.md,
// "Accounts, sessions and two-factor"): a short-lived, single-use login token, never a session.

/** How long the step between a correct password and a correct code stays open. */
export const PENDING_LOGIN_LIFETIME_MS = 5 * 60 * 1000;
/** Wrong codes one pending login takes before it is spent (the per-user throttle counts too). */
const PENDING_LOGIN_ATTEMPTS = 5;
const PENDING_PREFIX = "plg";

export interface PendingLogin {
  login_token: string;
  expires_at: Date;
}

/** What a pending login turns into once the code is right. */
export type PendingPurpose =
  { kind: "session" } | { kind: "token"; tokenName: string; tokenExpiresAt: Date | null };

/** Opens the step after a correct password: a short-lived, single-use login token, not a session. */
export async function openPendingLogin(
  database: Database,
  userId: string,
  purpose: PendingPurpose,
): Promise<PendingLogin> {
  // The user's finished or lapsed login tokens are of no use to anyone: they go here.
  await database.db
    .deleteFrom("pending_logins")
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("used_at", "is not", null), eb("expires_at", "<", new Date())]))
    .execute();
  const issued = issueSecret(`${PENDING_PREFIX}_${randomBytes(10).toString("hex")}`);
  const expiresAt = new Date(Date.now() + PENDING_LOGIN_LIFETIME_MS);
  await database.db
    .insertInto("pending_logins")
    .values({
      id: issued.id,
      user_id: userId,
      secret_hash: issued.secretHash,
      purpose: purpose.kind,
      token_name: purpose.kind === "token" ? purpose.tokenName : null,
      token_expires_at: purpose.kind === "token" ? purpose.tokenExpiresAt : null,
      expires_at: expiresAt,
    })
    .execute();
  return { login_token: issued.token, expires_at: expiresAt };
}

const LOGIN_STEP_OVER =
  "This login step has expired or was already used: log in again with your email and password.";

/**
 * Finishes a login with the second factor. The login token works once and for a few minutes;
 * each wrong code spends one of its attempts and counts against the user's code throttle.
 */
export async function completePendingLogin(
  database: Database,
  box: SecretBox,
  loginToken: string,
  code: string,
  kind: PendingPurpose["kind"],
): Promise<{ userId: string; purpose: PendingPurpose }> {
  const parsed = parseToken(loginToken, PENDING_PREFIX);
  const over = new AuthenticationError(LOGIN_STEP_OVER, { field: "login_token" });
  if (!parsed) throw over;
  const row = await database.db
    .selectFrom("pending_logins")
    .innerJoin("users", "users.id", "pending_logins.user_id")
    .select([
      "pending_logins.user_id",
      "pending_logins.secret_hash",
      "pending_logins.purpose",
      "pending_logins.token_name",
      "pending_logins.token_expires_at",
      "pending_logins.expires_at",
      "pending_logins.used_at",
      "users.disabled_at",
    ])
    .where("pending_logins.id", "=", parsed.id)
    .executeTakeFirst();
  if (
    !row ||
    !digestsEqual(sha256Hex(parsed.secret), row.secret_hash) ||
    row.used_at ||
    row.disabled_at ||
    row.expires_at <= new Date() ||
    row.purpose !== kind
  )
    throw over;
  try {
    await useCode(database, box, row.user_id, code, (m) => new AuthenticationError(m, { field: "code" }));
  } catch (err) {
    if (err instanceof AuthenticationError) {
      await database.db
        .updateTable("pending_logins")
        .set((eb) => ({
          attempts: eb("attempts", "+", 1),
          used_at: eb
            .case()
            .when("attempts", ">=", PENDING_LOGIN_ATTEMPTS - 1)
            .then(new Date())
            .else(eb.ref("used_at"))
            .end(),
        }))
        .where("id", "=", parsed.id)
        .execute();
    }
    throw err;
  }
  const claimed = await database.db
    .updateTable("pending_logins")
    .set({ used_at: new Date() })
    .where("id", "=", parsed.id)
    .where("used_at", "is", null)
    .returning("id")
    .executeTakeFirst();
  if (!claimed) throw over;
  const purpose: PendingPurpose =
    row.purpose === "token"
      ? { kind: "token", tokenName: row.token_name ?? "cli", tokenExpiresAt: row.token_expires_at }
      : { kind: "session" };
  return { userId: row.user_id, purpose };
}
