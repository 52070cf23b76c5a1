import { randomBytes } from "node:crypto";
import { InvalidInputError } from "@layerboom/core";
import type { Schema, UserTokensTable } from "@layerboom/db";
import type { Kysely } from "kysely";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "../base/secrets.js";

/** What a mailed token is for; each purpose has its own lifetime. */
export type UserTokenPurpose = UserTokensTable["purpose"];

/** A verification link stays valid for a day: long enough to find the mail the next morning. */
export const VERIFY_EMAIL_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** A reset link is a password: it lives for an hour. */
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;

const LIFETIME_MS: Record<UserTokenPurpose, number> = {
  "verify-email": VERIFY_EMAIL_LIFETIME_MS,
  "password-reset": PASSWORD_RESET_LIFETIME_MS,
};

const ID_PREFIX = "utk";

const WHAT: Record<UserTokenPurpose, { link: string; again: string }> = {
  "verify-email": {
    link: "verification link",
    again: "Sign up again with the same address to get a new link.",
  },
  "password-reset": {
    link: "password reset link",
    again: "Ask for a new one with POST /password-reset (or the portal's 'forgot password').",
  },
};

/**
 * Issues a one-time token for a user, replacing any unused one of the same purpose, so
 * only the newest mail works. Returns the token to mail; the database keeps only its hash.
 */
export async function issueUserToken(
  db: Kysely<Schema>,
  userId: string,
  purpose: UserTokenPurpose,
  now = new Date(),
): Promise<string> {
  await db
    .updateTable("user_tokens")
    .set({ used_at: now })
    .where("user_id", "=", userId)
    .where("purpose", "=", purpose)
    .where("used_at", "is", null)
    .execute();
  const issued = issueSecret(`${ID_PREFIX}_${randomBytes(10).toString("hex")}`);
  await db
    .insertInto("user_tokens")
    .values({
      id: issued.id,
      user_id: userId,
      purpose,
      secret_hash: issued.secretHash,
      expires_at: new Date(now.getTime() + LIFETIME_MS[purpose]),
    })
    .execute();
  return issued.token;
}

/**
 * Marks a token used and returns its user id, or throws InvalidInputError (field `token`)
 * saying whether it was unknown, already used or expired. Call inside the transaction that
 * acts on it: the conditional update makes concurrent uses of one token fail but one.
 */
export async function consumeUserToken(
  db: Kysely<Schema>,
  presented: string,
  purpose: UserTokenPurpose,
  now = new Date(),
): Promise<string> {
  const what = WHAT[purpose];
  const invalid = new InvalidInputError(
    "token",
    `This ${what.link} is not valid: copy the whole link from the mail. ${what.again}`,
  );
  const parsed = parseToken(presented, ID_PREFIX);
  if (!parsed) throw invalid;
  const row = await db
    .selectFrom("user_tokens")
    .select(["user_id", "purpose", "secret_hash", "expires_at", "used_at"])
    .where("id", "=", parsed.id)
    .executeTakeFirst();
  if (!row || !digestsEqual(sha256Hex(parsed.secret), row.secret_hash) || row.purpose !== purpose)
    throw invalid;
  if (row.used_at)
    throw new InvalidInputError(
      "token",
      `This ${what.link} was already used, or a newer one replaced it. ${what.again}`,
    );
  if (row.expires_at <= now)
    throw new InvalidInputError("token", `This ${what.link} has expired. ${what.again}`);
  const claimed = await db
    .updateTable("user_tokens")
    .set({ used_at: now })
    .where("id", "=", parsed.id)
    .where("used_at", "is", null)
    .returning("user_id")
    .executeTakeFirst();
  if (!claimed)
    throw new InvalidInputError(
      "token",
      `This ${what.link} was already used, or a newer one replaced it. ${what.again}`,
    );
  return claimed.user_id;
}
