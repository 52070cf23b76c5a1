import { ConflictError, ForbiddenError, InvalidInputError, requireAdmin } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { verifyPassword } from "./passwords.js";
import { principalCacheOf } from "./principal-cache.js";
import type { SecretBox } from "../base/secret-box.js";
import { sha256Hex } from "../base/secrets.js";
import { twoFactorStateOf } from "./two-factor-state.js";
import { assertCodeAllowed, clearCodeFailures, recordCodeFailure } from "./throttle.js";
import {
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  normaliseTotpCode,
  otpauthUri,
  stepOfCode,
} from "./totp.js";
import { mailIdentityOf, servingAccountId } from "../branding/brands.js";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { getUser } from "./users.js";

export interface TwoFactorStatus {
  enabled: boolean;
  enabled_at: Date | null;
  /** An enrolment was started and waits for its first code. */
  enrolment_pending: boolean;
  recovery_codes_left: number;
  /** The user's account requires two-factor login. */
  required_by_account: boolean;
}

export async function twoFactorStatus(ctx: ServiceContext): Promise<TwoFactorStatus> {
  const userId = ctx.principal.userId;
  const row = await ctx.database.db
    .selectFrom("users")
    .leftJoin("user_two_factor", "user_two_factor.user_id", "users.id")
    .leftJoin("two_factor_policies", "two_factor_policies.account_id", "users.account_id")
    .select(["user_two_factor.enabled_at", "user_two_factor.created_at", "two_factor_policies.required"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  const left = await ctx.database.db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("used_at", "is", null)
    .executeTakeFirstOrThrow();
  return {
    enabled: row.enabled_at !== null,
    enabled_at: row.enabled_at,
    enrolment_pending: row.created_at !== null && row.enabled_at === null,
    recovery_codes_left: row.enabled_at ? Number(left.n) : 0,
    required_by_account: row.required ?? false,
  };
}

/**
 * Starts (or restarts) enrolment: a new secret, sealed at rest, shown once here as base32 and
 * as an otpauth:// URI. Nothing changes for logins until a first code confirms it.
 */
export async function startEnrolment(
  ctx: ServiceContext,
  box: SecretBox,
): Promise<{ secret: string; otpauth_uri: string }> {
  const userId = ctx.principal.userId;
  const user = await getUser(ctx, userId);
  const existing = await ctx.database.db
    .selectFrom("user_two_factor")
    .select("enabled_at")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (existing?.enabled_at)
    throw new ConflictError("Two-factor login is already on. Turn it off first to move it to a new device.");
  const secret = newTotpSecret();
  const sealed = box.seal(secret, userId);
  await ctx.database.db
    .insertInto("user_two_factor")
    .values({ user_id: userId, secret_sealed: sealed, enabled_at: null, last_step: null })
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({ secret_sealed: sealed, enabled_at: null, last_step: null }),
    )
    .execute();
  const brand = await mailIdentityOf(
    ctx.database.db,
    await servingAccountId(ctx.database.db, user.account_id),
  );
  return { secret, otpauth_uri: otpauthUri(secret, brand.name, user.email) };
}

/** What accepted a code: the authenticator app or a recovery code. */
type CodeKind = "totp" | "recovery";

/**
 * Checks a code for a user and uses it up: a TOTP code's step is recorded (the same code,
 * or an older one, never works again), a recovery code is marked used. Wrong codes count
 * against the user's code throttle; `wrong` makes the error the caller wants.
 */
export async function useCode(
  database: Database,
  box: SecretBox,
  userId: string,
  presented: string,
  wrong: (message: string) => Error,
  options: { enrolling?: boolean } = {},
): Promise<CodeKind> {
  await assertCodeAllowed(database, userId);
  const row = await database.db
    .selectFrom("user_two_factor")
    .select(["secret_sealed", "enabled_at"])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  const usable = row && (options.enrolling ? row.enabled_at === null : row.enabled_at !== null);
  if (!usable)
    throw new ConflictError(
      options.enrolling
        ? "No enrolment is waiting for a code: start one with POST /me/two-factor/enrolment."
        : "Two-factor login is not on for this user.",
    );
  const totp = normaliseTotpCode(presented);
  if (totp) {
    const step = stepOfCode(box.open(row.secret_sealed, userId), totp);
    if (step !== undefined) {
      const claimed = await database.db
        .updateTable("user_two_factor")
        .set({ last_step: step })
        .where("user_id", "=", userId)
        .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
        .returningAll()
        .executeTakeFirst();
      if (claimed) {
        await clearCodeFailures(database, userId);
        return "totp";
      }
      await recordCodeFailure(database, userId);
      throw wrong("This code was already used. Wait for the next one in your authenticator app.");
    }
  } else if (!options.enrolling) {
    const recovery = normaliseRecoveryCode(presented);
    if (recovery) {
      const used = await database.db
        .updateTable("recovery_codes")
        .set({ used_at: new Date() })
        .where("user_id", "=", userId)
        .where("code_hash", "=", sha256Hex(recovery))
        .where("used_at", "is", null)
        .returning("user_id")
        .executeTakeFirst();
      if (used) {
        await clearCodeFailures(database, userId);
        return "recovery";
      }
    }
  }
  await recordCodeFailure(database, userId);
  throw wrong(
    options.enrolling
      ? "The code is wrong. Enter the 6-digit code your authenticator app shows now."
      : "The code is wrong: enter the 6-digit code from your authenticator app, or an unused recovery code.",
  );
}

async function replaceRecoveryCodes(db: Kysely<Schema>, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  await db
    .insertInto("recovery_codes")
    .values(
      codes.map((code) => ({ user_id: userId, code_hash: sha256Hex(normaliseRecoveryCode(code) ?? code) })),
    )
    .execute();
  return codes;
}

async function auditSelf(
  db: Kysely<Schema>,
  ctx: ServiceContext,
  userId: string,
  action: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const user = await db
    .selectFrom("users")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select(["accounts.id", "accounts.path"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  await recordAudit(db, ctx, {
    action,
    resourceType: "user",
    resourceId: userId,
    accountId: user.id,
    accountPath: user.path,
    details,
  });
}

/**
 * Confirms enrolment with a first code: two-factor is on from now, ten recovery codes are
 * shown once, and every other session of the user ends (whoever else held the password
 * and a session must now pass the second factor too).
 */
export async function confirmEnrolment(
  ctx: ServiceContext,
  box: SecretBox,
  code: string,
  currentSessionId: string | undefined,
): Promise<{ recovery_codes: string[]; sessions_revoked: number }> {
  const userId = ctx.principal.userId;
  await useCode(ctx.database, box, userId, code, (m) => new InvalidInputError("code", m), {
    enrolling: true,
  });
  const result = await ctx.database.db.transaction().execute(async (trx) => {
    const now = new Date();
    const enabled = await trx
      .updateTable("user_two_factor")
      .set({ enabled_at: now })
      .where("user_id", "=", userId)
      .where("enabled_at", "is", null)
      .returning("user_id")
      .executeTakeFirst();
    if (!enabled) throw new ConflictError("Two-factor login is already on.");
    const recovery_codes = await replaceRecoveryCodes(trx, userId);
    let revoke = trx
      .updateTable("sessions")
      .set({ revoked_at: now })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null);
    if (currentSessionId) revoke = revoke.where("id", "!=", currentSessionId);
    const revoked = await revoke.executeTakeFirst();
    await auditSelf(trx, ctx, userId, "user.two_factor_enable");
    return { recovery_codes, sessions_revoked: Number(revoked.numUpdatedRows) };
  });
  return result;
}

/** Turns two-factor off for oneself: needs a current code (or recovery code) or the password. */
export async function disableTwoFactor(
  ctx: ServiceContext,
  box: SecretBox,
  proof: { code?: string | undefined; password?: string | undefined },
): Promise<void> {
  const userId = ctx.principal.userId;
  if (proof.code === undefined && proof.password === undefined)
    throw new InvalidInputError("code", "Give a current code from your authenticator app, or your password.");
  if (proof.code !== undefined) {
    await useCode(ctx.database, box, userId, proof.code, (m) => new InvalidInputError("code", m));
  } else {
    await assertCodeAllowed(ctx.database, userId);
    const user = await ctx.database.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();
    if (!(await verifyPassword(user.password_hash, proof.password ?? ""))) {
      await recordCodeFailure(ctx.database, userId);
      throw new InvalidInputError("password", "The password is wrong.");
    }
  }
  await removeTwoFactor(ctx, userId, "user.two_factor_disable");
}

async function removeTwoFactor(ctx: ServiceContext, userId: string, action: string): Promise<void> {
  await ctx.database.db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("user_two_factor").where("user_id", "=", userId).executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0)
      throw new ConflictError("Two-factor login is not on for this user.");
    await trx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
    await trx.deleteFrom("pending_logins").where("user_id", "=", userId).execute();
    await auditSelf(trx, ctx, userId, action);
  });
  principalCacheOf(ctx.database).clear();
}

/**
 * An admin turns two-factor off for a user of their subtree who lost the device and the
 * recovery codes. Not for oneself (that needs a code or the password, above).
 */
export async function resetUserTwoFactor(ctx: ServiceContext, userId: string): Promise<void> {
  const user = await getUser(ctx, userId);
  requireAdmin(ctx.principal, "turn off other users' two-factor login");
  if (user.id === ctx.principal.userId)
    throw new InvalidInputError("id", "Turn off your own two-factor login with DELETE /me/two-factor.");
  await removeTwoFactor(ctx, userId, "user.two_factor_reset");
}

/** New recovery codes (the old ones stop working); needs a current code. */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  box: SecretBox,
  code: string,
): Promise<{ recovery_codes: string[] }> {
  const userId = ctx.principal.userId;
  await useCode(ctx.database, box, userId, code, (m) => new InvalidInputError("code", m));
  return ctx.database.db.transaction().execute(async (trx) => {
    const recovery_codes = await replaceRecoveryCodes(trx, userId);
    await auditSelf(trx, ctx, userId, "user.recovery_codes_regenerate");
    return { recovery_codes };
  });
}

export interface TwoFactorPolicy {
  account_id: string;
  required: boolean;
}

export async function getTwoFactorPolicy(ctx: ServiceContext, accountId: string): Promise<TwoFactorPolicy> {
  const account = await getAccount(ctx, accountId);
  const row = await ctx.database.db
    .selectFrom("two_factor_policies")
    .select("required")
    .where("account_id", "=", account.id)
    .executeTakeFirst();
  return { account_id: account.id, required: row?.required ?? false };
}

/**
 * An account admin requires (or stops requiring) two-factor login for every user of the
 * account. Users without it then reach only the enrolment routes until they enrol. An admin
 * of the account must have it on first, so the switch cannot shut its own author out.
 */
export async function setTwoFactorRequired(
  ctx: ServiceContext,
  accountId: string,
  required: boolean,
): Promise<TwoFactorPolicy> {
  const account = await getAccount(ctx, accountId);
  requireAdmin(ctx.principal, "change an account's two-factor policy");
  if (required && account.id === ctx.principal.accountId) {
    const own = await twoFactorStateOf(ctx.database.db, ctx.principal.userId);
    if (own !== "on")
      throw new ConflictError(
        "Turn on two-factor login for yourself first (Account → Two-factor login), then require it for the account.",
        { field: "required" },
      );
  }
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("two_factor_policies")
      .values({ account_id: account.id, required, changed_at: new Date() })
      .onConflict((oc) => oc.column("account_id").doUpdateSet({ required, changed_at: new Date() }))
      .execute();
    await recordAudit(trx, ctx, {
      action: "account.two_factor_policy",
      resourceType: "account",
      resourceId: account.id,
      accountId: account.id,
      accountPath: account.path,
      details: { required },
    });
  });
  return { account_id: account.id, required };
}

/** The refusal a user who must enrol gets everywhere but the enrolment routes. */
export function enrolmentRequiredError(): ForbiddenError {
  return new ForbiddenError(
    "Your account requires two-factor login. Turn it on first (Account → Two-factor login in the portal, or POST /me/two-factor/enrolment).",
    { reason: "two_factor_enrolment_required" },
  );
}
