import { principalCacheOf } from "./principal-cache.js";
import { verifyPassword } from "./passwords.js";
import { assertCodeAllowed, clearCodeFailures, clearEmailLocks, recordCodeFailure } from "./throttle.js";
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireAdmin,
  requireProviderAdmin,
  rolesForAccountKind,
} from "@layerboom/core";
import type { Role } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import { newPasswordHash, revokeCredentials } from "./auth.js";
import type { RevokedCredentials } from "./auth.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";

/** A user as the API shows it: never with its password hash. */
export interface UserView {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: Date;
  disabled_at: Date | null;
}

const USER_COLUMNS = [
  "users.id",
  "users.account_id",
  "users.email",
  "users.name",
  "users.role",
  "users.created_at",
  "users.disabled_at",
] as const;

function visibleUsers(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("users")
    .innerJoin("accounts", "accounts.id", "users.account_id")
    .select(USER_COLUMNS)
    .where(accountInSubtree(ctx.principal.accountPath));
}

export async function getUser(ctx: ServiceContext, id: string): Promise<UserView> {
  const row = await visibleUsers(ctx).where("users.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("user", id);
  return row;
}

export async function listUsers(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined; email?: string | undefined },
  page: PageRequest,
): Promise<Page<UserView>> {
  let q = visibleUsers(ctx);
  if (filter.accountId) q = q.where("users.account_id", "=", filter.accountId);
  if (filter.email)
    q = q.where((eb) => eb(eb.fn("lower", ["users.email"]), "=", filter.email?.toLowerCase() ?? ""));
  if (page.after) q = q.where("users.id", ">", page.after);
  return toPage(
    await q
      .orderBy("users.id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export interface CreateUserInput {
  accountId?: string | undefined;
  email: string;
  name?: string | undefined;
  role: Role;
  password?: string | undefined;
}

/** The answer for an email that is taken (only the provider's admins, who see every user, get it). */
export const EMAIL_TAKEN = "This email address cannot be used for a new user: choose another address.";

/** Inserts a user row; shared by the API and the first-admin bootstrap. */
export async function insertUser(
  db: Kysely<Schema>,
  values: { accountId: string; email: string; name: string; role: Role; passwordHash: string | null },
): Promise<UserView> {
  try {
    return await db
      .insertInto("users")
      .values({
        id: newId("user"),
        account_id: values.accountId,
        email: values.email,
        name: values.name,
        role: values.role,
        password_hash: values.passwordHash,
      })
      .returning(["id", "account_id", "email", "name", "role", "created_at", "disabled_at"])
      .executeTakeFirstOrThrow();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(EMAIL_TAKEN, { field: "email" });
    throw err;
  }
}

/**
 * Creates a user directly, with a password or none (they then set one by password reset).
 * Only the provider's admins may: they see every user anyway, so a 409 for a taken address
 * tells them nothing new. Everyone else invites (identity/invitations.ts), which never says
 * whether an address is taken.
 */
export async function createUser(ctx: ServiceContext, input: CreateUserInput): Promise<UserView> {
  requireAdmin(ctx.principal, "create users");
  if (ctx.principal.role !== "provider-admin")
    throw new ForbiddenError(
      "Only the provider's admins create users directly: invite the user with POST /invitations, and they choose their own password.",
    );
  const account = await getAccount(ctx, input.accountId ?? ctx.principal.accountId);
  const allowed = rolesForAccountKind(account.kind);
  if (!allowed.includes(input.role)) {
    throw new InvalidInputError(
      "role",
      `A ${account.kind} account's users may have the roles: ${allowed.join(", ")}.`,
    );
  }
  const passwordHash = input.password === undefined ? null : await newPasswordHash(input.password);
  return insertUserAudited(ctx, account, input, passwordHash);
}

async function insertUserAudited(
  ctx: ServiceContext,
  account: { id: string; path: string },
  input: CreateUserInput,
  passwordHash: string | null,
): Promise<UserView> {
  return ctx.database.db.transaction().execute(async (trx) => {
    const user = await insertUser(trx, {
      accountId: account.id,
      email: input.email,
      name: input.name ?? "",
      role: input.role,
      passwordHash,
    });
    await recordAudit(trx, ctx, {
      action: "user.create",
      resourceType: "user",
      resourceId: user.id,
      accountId: account.id,
      accountPath: account.path,
      details: { email: user.email, role: user.role },
    });
    return user;
  });
}

export interface UpdateUserInput {
  name?: string | undefined;
  role?: Role | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
  /** Needed to change one's own password: a session left open must not be enough. */
  currentPassword?: string | undefined;
}

/** A user after a change; a password change also says which credentials it ended. */
export type UpdatedUser = UserView & Partial<RevokedCredentials>;

/**
 * Changes a user. A new password ends every API token of the user and every session but
 * `currentSessionId` (the caller's own, when changing one's own password in the portal).
 */
export async function updateUser(
  ctx: ServiceContext,
  id: string,
  input: UpdateUserInput,
  currentSessionId?: string,
): Promise<UpdatedUser> {
  const self = id === ctx.principal.userId;
  // Anyone may change their own name and password; roles and disabling are for admins.
  if (!self || input.role !== undefined || input.disabled !== undefined)
    requireAdmin(ctx.principal, "change other users");
  const user = await getUser(ctx, id);
  const account = await getAccount(ctx, user.account_id);
  if (input.role && !rolesForAccountKind(account.kind).includes(input.role)) {
    throw new InvalidInputError("role", `Role ${input.role} does not fit a ${account.kind} account.`);
  }
  if (self && input.disabled) throw new InvalidInputError("disabled", "You cannot disable yourself.");
  if (self && input.password !== undefined) await checkCurrentPassword(ctx, input.currentPassword);
  const passwordHash = input.password === undefined ? undefined : await newPasswordHash(input.password);
  const updated = await ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("users")
      .set({
        name: input.name ?? user.name,
        role: input.role ?? user.role,
        disabled_at: input.disabled === undefined ? user.disabled_at : input.disabled ? new Date() : null,
        ...(passwordHash ? { password_hash: passwordHash } : {}),
      })
      .where("id", "=", id)
      .returning(["id", "account_id", "email", "name", "role", "created_at", "disabled_at"])
      .executeTakeFirstOrThrow();
    let revoked: RevokedCredentials | undefined;
    if (input.disabled) await revokeCredentials(trx, id);
    else if (passwordHash) revoked = await revokeCredentials(trx, id, self ? currentSessionId : undefined);
    await recordAudit(trx, ctx, {
      action: "user.update",
      resourceType: "user",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
      details: {
        name: input.name,
        role: input.role,
        disabled: input.disabled,
        password_changed: passwordHash !== undefined,
        ...revoked,
      },
    });
    return { ...row, ...revoked };
  });
  // Role and disabled state live in cached principals: drop them.
  principalCacheOf(ctx.database).clear();
  return updated;
}

async function checkCurrentPassword(ctx: ServiceContext, presented: string | undefined): Promise<void> {
  if (presented === undefined)
    throw new InvalidInputError("current_password", "Give your current password to choose a new one.");
  // Wrong guesses count against the same per-user throttle as wrong two-factor codes.
  await assertCodeAllowed(ctx.database, ctx.principal.userId);
  const row = await ctx.database.db
    .selectFrom("users")
    .select("password_hash")
    .where("id", "=", ctx.principal.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(row.password_hash, presented))) {
    await recordCodeFailure(ctx.database, ctx.principal.userId);
    throw new InvalidInputError("current_password", "The current password is wrong.");
  }
  await clearCodeFailures(ctx.database, ctx.principal.userId);
}

/**
 * Lifts the login locks on a user's email, from every address, and its wrong-code lock: the
 * provider admin's answer to someone keeping an account locked out. Users outside the
 * caller's subtree are not found, as everywhere.
 */
export async function unlockUser(ctx: ServiceContext, id: string): Promise<UserView> {
  const user = await getUser(ctx, id);
  requireProviderAdmin(ctx.principal, "lift login locks");
  await clearEmailLocks(ctx.database, user.email);
  await clearCodeFailures(ctx.database, user.id);
  const account = await getAccount(ctx, user.account_id);
  await recordAudit(ctx.database.db, ctx, {
    action: "user.unlock",
    resourceType: "user",
    resourceId: user.id,
    accountId: account.id,
    accountPath: account.path,
  });
  return user;
}
