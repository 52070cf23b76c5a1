import { ConflictError, InvalidInputError, childPath, newId } from "@layerboom/core";
import type { Principal } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { principalCacheOf } from "./principal-cache.js";
import { clearEmailLocks } from "./throttle.js";
import { mailIdentityOf } from "../branding/brands.js";
import { portalDomainOwner } from "../branding/verified-domains.js";
import type { MailIdentity } from "../branding/brands.js";
import { brandOfAccount, linkTo, sendLater, throttleMailTo } from "./mail-out.js";
import type { MailOut } from "./mail-out.js";
import { recordAudit } from "../base/audit.js";
import { newPasswordHash, revokeCredentials } from "./auth.js";
import type { RevokedCredentials } from "./auth.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { consumeUserToken, issueUserToken } from "./user-tokens.js";

/** What the public (unauthenticated) signup and reset flows need: there is no caller principal. */
export interface PublicContext extends MailOut {
  database: Database;
  requestId?: string | undefined;
}

export interface SignupInput {
  email: string;
  password: string;
  name?: string | undefined;
  accountName: string;
  mailingList?: boolean | undefined;
  /** Slug of the reseller to sign up under; when absent, the reseller whose portal domain this is, else the provider. */
  reseller?: string | undefined;
  /** The host name the signup arrived on (a reseller's own portal domain signs up under that reseller). */
  portalDomain?: string | undefined;
}

/** The brand a user's mail comes from: the reseller or provider serving the user's account. */
async function brandOfUser(ctx: PublicContext, accountId: string): Promise<MailIdentity> {
  return brandOfAccount(ctx.database, accountId);
}

function slugOf(name: string, id: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32);
  // A random tail keeps public signups from colliding with, or probing for, existing slugs.
  return `${base || "customer"}-${id.slice(-8)}`;
}

async function parentFor(db: Kysely<Schema>, reseller: string | undefined, portalDomain: string | undefined) {
  const q = db.selectFrom("accounts").select(["id", "path"]);
  if (!reseller && portalDomain) {
    // Only a verified portal domain (docs/security.md, "Portal domains") makes a signup the reseller's.
    const owner = await portalDomainOwner(db, portalDomain);
    if (owner?.kind === "reseller") return q.where("id", "=", owner.accountId).executeTakeFirstOrThrow();
  }
  const parent = reseller
    ? await q.where("kind", "=", "reseller").where("slug", "=", reseller).executeTakeFirst()
    : await q.where("kind", "=", "provider").executeTakeFirst();
  if (!parent && reseller) throw new InvalidInputError("reseller", `No reseller has the slug "${reseller}".`);
  if (!parent) throw new ConflictError("Signup is not open yet: this controller has no provider account.");
  return parent;
}

function verificationMail(to: string, brand: MailIdentity, link: string) {
  return {
    to,
    ...(brand.from ? { from: brand.from } : {}),
    subject: `Confirm your email address for ${brand.name}`,
    text: [
      `Welcome to ${brand.name}.`,
      "",
      "Open this link within 24 hours to confirm your address and activate your account:",
      "",
      link,
      "",
      "If you did not sign up, ignore this mail: nothing happens without the link.",
    ].join("\n"),
  };
}

/**
 * Creates a customer account and its unverified customer-admin, and mails a verification
 * link. For an address that already has a user it does the same amount of work and returns
 * the same way, but mails the owner instead: the response must not reveal who has an account.
 */
export async function signUp(ctx: PublicContext, input: SignupInput): Promise<void> {
  const passwordHash = await newPasswordHash(input.password);
  await throttleMailTo(ctx.database, "signup", input.email);
  const parent = await parentFor(ctx.database.db, input.reseller, input.portalDomain);
  const existing = await ctx.database.db
    .selectFrom("users")
    .select(["id", "account_id", "email", "email_verified_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email.toLowerCase()))
    .executeTakeFirst();
  if (existing) return mailExistingOwner(ctx, existing);

  const accountId = newId("account");
  const userId = newId("user");
  const accountPath = childPath(parent.path, accountId);
  let token: string;
  try {
    token = await ctx.database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("accounts")
        .values({
          id: accountId,
          kind: "customer",
          parent_id: parent.id,
          path: accountPath,
          name: input.accountName,
          slug: slugOf(input.accountName, accountId),
        })
        .execute();
      const now = new Date();
      await trx
        .insertInto("users")
        .values({
          id: userId,
          account_id: accountId,
          email: input.email,
          name: input.name ?? "",
          role: "customer-admin",
          password_hash: passwordHash,
          email_verified_at: null,
          mailing_list_opt_in: input.mailingList ?? false,
          mailing_list_changed_at: input.mailingList ? now : null,
        })
        .execute();
      const actor: Principal = {
        userId,
        role: "customer-admin",
        accountId,
        accountKind: "customer",
        accountPath,
      };
      await recordAudit(
        trx,
        { principal: actor, requestId: ctx.requestId },
        {
          action: "account.signup",
          resourceType: "account",
          resourceId: accountId,
          accountId,
          accountPath,
          details: { email: input.email, parent_id: parent.id, mailing_list: input.mailingList ?? false },
        },
      );
      return issueUserToken(trx, userId, "verify-email", now);
    });
  } catch (err) {
    // Two signups for one new address at once: the loser is a duplicate like any other.
    if (!isUniqueViolation(err)) throw err;
    const winner = await ctx.database.db
      .selectFrom("users")
      .select(["id", "account_id", "email", "email_verified_at"])
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", input.email.toLowerCase()))
      .executeTakeFirst();
    if (!winner) throw err;
    return mailExistingOwner(ctx, winner);
  }
  const brand = await mailIdentityOf(ctx.database.db, parent.id);
  sendLater(ctx, verificationMail(input.email, brand, linkTo(ctx, brand, "verify-email", token)));
}

async function mailExistingOwner(
  ctx: PublicContext,
  user: { id: string; account_id: string; email: string; email_verified_at: Date | null },
): Promise<void> {
  const brand = await brandOfUser(ctx, user.account_id);
  if (!user.email_verified_at) {
    // The owner never verified: signing up again is how they get a fresh link.
    const token = await issueUserToken(ctx.database.db, user.id, "verify-email");
    sendLater(ctx, verificationMail(user.email, brand, linkTo(ctx, brand, "verify-email", token)));
    return;
  }
  sendLater(ctx, {
    to: user.email,
    ...(brand.from ? { from: brand.from } : {}),
    subject: "Someone tried to sign up with your address",
    text: [
      `Someone (maybe you) tried to create a new ${brand.name} account with this email address,`,
      "which already has an account. Nothing was changed and no account was created.",
      "",
      "If it was you: log in with your existing account. If you forgot your password,",
      "request a reset and we will mail you a link.",
      "",
      "If it was not you, you can ignore this mail.",
    ].join("\n"),
  });
}

/** Confirms an address with the mailed token; from then on the user can log in. */
export async function verifyEmail(ctx: PublicContext, token: string): Promise<void> {
  await ctx.database.db.transaction().execute(async (trx) => {
    const userId = await consumeUserToken(trx, token, "verify-email");
    const user = await trx
      .updateTable("users")
      .set({ email_verified_at: new Date() })
      .where("id", "=", userId)
      .returning(["account_id"])
      .executeTakeFirstOrThrow();
    await auditAsUser(trx, ctx, userId, user.account_id, "user.verify_email", {});
  });
}

/**
 * Mails a reset link when the address has a user; otherwise does nothing, visibly the same:
 * the same answer, and the mail leaves after it. The few queries the known address costs
 * more cannot be timed usefully, since each address gets five requests an hour.
 */
export async function requestPasswordReset(ctx: PublicContext, email: string): Promise<void> {
  await throttleMailTo(ctx.database, "reset", email);
  const user = await ctx.database.db
    .selectFrom("users")
    .select(["id", "account_id", "email", "disabled_at"])
    .where((eb) => eb(eb.fn("lower", ["email"]), "=", email.toLowerCase()))
    .executeTakeFirst();
  if (!user || user.disabled_at) return;
  const token = await issueUserToken(ctx.database.db, user.id, "password-reset");
  const brand = await brandOfUser(ctx, user.account_id);
  sendLater(ctx, {
    to: user.email,
    ...(brand.from ? { from: brand.from } : {}),
    subject: `Reset your ${brand.name} password`,
    text: [
      `Someone (hopefully you) asked to reset the password of your ${brand.name} account.`,
      "",
      "Open this link within 1 hour to choose a new password:",
      "",
      linkTo(ctx, brand, "reset-password", token),
      "",
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ].join("\n"),
  });
}

/**
 * Sets a new password with a mailed reset token, and logs the user out everywhere (every
 * session and API token): whoever held the old password must not keep a way in. It also
 * lifts the login locks on the address, and opening the link proves the address.
 */
export async function resetPassword(
  ctx: PublicContext,
  token: string,
  password: string,
): Promise<RevokedCredentials> {
  const passwordHash = await newPasswordHash(password);
  const revoked = await ctx.database.db.transaction().execute(async (trx) => {
    const userId = await consumeUserToken(trx, token, "password-reset");
    const now = new Date();
    const user = await trx
      .updateTable("users")
      .set((eb) => ({
        password_hash: passwordHash,
        email_verified_at: eb.fn.coalesce("email_verified_at", eb.val(now)),
      }))
      .where("id", "=", userId)
      .returning(["account_id", "email"])
      .executeTakeFirstOrThrow();
    const ended = await revokeCredentials(trx, userId, undefined, now);
    await auditAsUser(trx, ctx, userId, user.account_id, "user.password_reset", { ...ended });
    return { ...ended, email: user.email };
  });
  await clearEmailLocks(ctx.database, revoked.email);
  principalCacheOf(ctx.database).clear();
  return { sessions_revoked: revoked.sessions_revoked, tokens_revoked: revoked.tokens_revoked };
}

async function auditAsUser(
  trx: Kysely<Schema>,
  ctx: PublicContext,
  userId: string,
  accountId: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  const row = await trx
    .selectFrom("users")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select(["users.role", "accounts.kind", "accounts.path"])
    .where("users.id", "=", userId)
    .executeTakeFirstOrThrow();
  const principal: Principal = {
    userId,
    role: row.role,
    accountId,
    accountKind: row.kind,
    accountPath: row.path,
  };
  await recordAudit(
    trx,
    { principal, requestId: ctx.requestId },
    { action, resourceType: "user", resourceId: userId, accountId, accountPath: row.path, details },
  );
}
