import { principalCacheOf } from "../auth/principal-cache.js";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireAdmin,
  rolesForAccountKind,
} from "@layerboom/core";
import type { Role } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { getAccount } from "./accounts.js";
import { recordAudit } from "./audit.js";
import { newPasswordHash } from "./auth.js";
import type { Page, PageRequest, ServiceContext } from "./context.js";
import { toPage } from "./context.js";
import { isUniqueViolation } from "./sql-errors.js";

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
    if (isUniqueViolation(err))
      throw new ConflictError("A user with this email already exists.", { field: "email" });
    throw err;
  }
}

export async function createUser(ctx: ServiceContext, input: CreateUserInput): Promise<UserView> {
  requireAdmin(ctx.principal, "create users");
  const account = await getAccount(ctx, input.accountId ?? ctx.principal.accountId);
  const allowed = rolesForAccountKind(account.kind);
  if (!allowed.includes(input.role)) {
    throw new InvalidInputError(
      "role",
      `A ${account.kind} account's users may have the roles: ${allowed.join(", ")}.`,
    );
  }
  const passwordHash = input.password === undefined ? null : await newPasswordHash(input.password);
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
}

export async function updateUser(ctx: ServiceContext, id: string, input: UpdateUserInput): Promise<UserView> {
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
    if (input.disabled) {
      await trx
        .updateTable("api_tokens")
        .set({ revoked_at: new Date() })
        .where("user_id", "=", id)
        .where("revoked_at", "is", null)
        .execute();
      await trx
        .updateTable("sessions")
        .set({ revoked_at: new Date() })
        .where("user_id", "=", id)
        .where("revoked_at", "is", null)
        .execute();
    }
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
      },
    });
    return row;
  });
  // Role and disabled state live in cached principals: drop them.
  principalCacheOf(ctx.database).clear();
  return updated;
}
