import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  childKindsOf,
  childPath,
  newId,
  requireAdmin,
} from "@layerboom/core";
import type { AccountKind } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { AccountRow } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { refuseServersOutside, residencyChange } from "./residency.js";

/** An account the caller may see, or NotFoundError (also for other tenants' accounts). */
export async function getAccount(ctx: ServiceContext, id: string): Promise<AccountRow> {
  const row = await ctx.database.db
    .selectFrom("accounts")
    .selectAll()
    .where("id", "=", id)
    .where(accountInSubtree(ctx.principal.accountPath))
    .executeTakeFirst();
  if (!row) throw new NotFoundError("account", id);
  return row;
}

export interface AccountFilter {
  kind?: AccountKind | undefined;
  parentId?: string | undefined;
}

export async function listAccounts(
  ctx: ServiceContext,
  filter: AccountFilter,
  page: PageRequest,
): Promise<Page<AccountRow>> {
  let q = ctx.database.db
    .selectFrom("accounts")
    .selectAll()
    .where(accountInSubtree(ctx.principal.accountPath));
  if (filter.kind) q = q.where("kind", "=", filter.kind);
  if (filter.parentId) q = q.where("parent_id", "=", filter.parentId);
  if (page.after) q = q.where("id", ">", page.after);
  return toPage(
    await q
      .orderBy("id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export interface CreateAccountInput {
  kind: AccountKind;
  name: string;
  slug?: string | undefined;
  parentId?: string | undefined;
  /** ISO 3166 codes its servers must stay in (docs/placement.md); customers only. */
  requiredJurisdictions?: string[] | undefined;
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

/** Creates a reseller or customer inside the caller's subtree. */
export async function createAccount(ctx: ServiceContext, input: CreateAccountInput): Promise<AccountRow> {
  requireAdmin(ctx.principal, "create accounts");
  const parent = await getAccount(ctx, input.parentId ?? ctx.principal.accountId);
  if (!childKindsOf(parent.kind).includes(input.kind)) {
    if (ctx.principal.accountKind === "customer")
      throw new ForbiddenError("A customer account cannot create accounts.");
    throw new InvalidInputError(
      "kind",
      `A ${input.kind} account cannot be created under a ${parent.kind} account.`,
    );
  }
  const id = newId("account");
  const required =
    input.requiredJurisdictions === undefined
      ? []
      : residencyChange(
          ctx.principal,
          { id, kind: input.kind, required_jurisdictions: [] },
          input.requiredJurisdictions,
        );
  const slug = input.slug ?? (slugify(input.name) || id);
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("accounts")
        .values({
          id,
          kind: input.kind,
          parent_id: parent.id,
          path: childPath(parent.path, id),
          name: input.name,
          slug,
          required_jurisdictions: JSON.stringify(required),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "account.create",
        resourceType: "account",
        resourceId: id,
        accountId: id,
        accountPath: row.path,
        details: {
          kind: input.kind,
          name: input.name,
          parent_id: parent.id,
          ...(required.length > 0 ? { required_jurisdictions: required } : {}),
        },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`An account with slug "${slug}" already exists.`, { field: "slug" });
    throw err;
  }
}

export interface AccountPatch {
  name?: string | undefined;
  /** Replaces the account's required jurisdictions; [] clears them (docs/placement.md). */
  required_jurisdictions?: string[] | undefined;
}

/** Renames an account, or changes its required jurisdictions (refused while a server breaks them). */
export async function updateAccount(
  ctx: ServiceContext,
  id: string,
  patch: AccountPatch,
): Promise<AccountRow> {
  requireAdmin(ctx.principal, "change accounts");
  const current = await getAccount(ctx, id);
  const required =
    patch.required_jurisdictions === undefined
      ? undefined
      : residencyChange(ctx.principal, current, patch.required_jurisdictions);
  return ctx.database.db.transaction().execute(async (trx) => {
    if (required !== undefined) await refuseServersOutside(trx, id, required);
    const row = await trx
      .updateTable("accounts")
      .set({
        name: patch.name ?? current.name,
        ...(required !== undefined ? { required_jurisdictions: JSON.stringify(required) } : {}),
      })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: "account.update",
      resourceType: "account",
      resourceId: id,
      accountId: id,
      accountPath: row.path,
      details: {
        name: patch.name,
        ...(required !== undefined
          ? {
              required_jurisdictions: required,
              previous_required_jurisdictions: current.required_jurisdictions,
            }
          : {}),
      },
    });
    return row;
  });
}
