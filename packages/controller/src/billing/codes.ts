import { ConflictError, InvalidInputError, NotFoundError, newId, requireAdmin } from "@layerboom/core";
import type { DiscountCodeRow } from "@layerboom/db";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";

/** A new discount code, as an issuer (the provider, or a reseller) defines it. */
export interface CodeInput {
  code: string;
  kind: "percent" | "amount";
  /** Basis points for `percent` (5000 = 50%); minor units per month for `amount`. */
  value: number;
  scope: "first-server" | "all-servers" | "plans";
  plan_ids?: string[] | undefined;
  duration_months: number;
  expires_at?: string | undefined;
  max_redemptions?: number | undefined;
}

function issuerOf(ctx: ServiceContext): string {
  if (ctx.principal.accountKind === "customer") {
    throw new InvalidInputError("account", "Only a provider or a reseller issues discount codes.");
  }
  return ctx.principal.accountId;
}

export async function createCode(ctx: ServiceContext, input: CodeInput): Promise<DiscountCodeRow> {
  requireAdmin(ctx.principal, "create discount codes");
  const issuer = issuerOf(ctx);
  const code = input.code.toUpperCase();
  if (!/^[A-Z0-9_-]{2,32}$/.test(code))
    throw new InvalidInputError("code", "A code is 2 to 32 letters, digits, - or _.");
  if (input.kind === "percent" && (input.value < 1 || input.value > 10_000))
    throw new InvalidInputError("value", "A percentage is in basis points, 1 to 10000 (5000 is 50%).");
  if (input.scope === "plans" && (input.plan_ids ?? []).length === 0)
    throw new InvalidInputError("plan_ids", "A code for given plans names at least one plan.");
  if (input.scope !== "plans" && (input.plan_ids ?? []).length > 0)
    throw new InvalidInputError("plan_ids", "plan_ids only go with scope `plans`.");
  if (input.plan_ids?.length) {
    const found = await ctx.database.db
      .selectFrom("plans")
      .select("id")
      .where("id", "in", input.plan_ids)
      .execute();
    const missing = input.plan_ids.filter((p) => !found.some((f) => f.id === p));
    if (missing.length > 0) throw new InvalidInputError("plan_ids", `Unknown plan ${missing.join(", ")}.`);
  }
  const expires = input.expires_at === undefined ? null : new Date(input.expires_at);
  if (expires && Number.isNaN(expires.getTime()))
    throw new InvalidInputError("expires_at", "expires_at is an ISO 8601 time.");
  const account = await getAccount(ctx, issuer);
  try {
    return await ctx.database.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("discount_codes")
        .values({
          id: newId("discountCode"),
          issuer_account_id: issuer,
          code,
          kind: input.kind,
          value: input.value,
          scope: input.scope,
          plan_ids: JSON.stringify(input.plan_ids ?? []),
          duration_months: input.duration_months,
          expires_at: expires,
          max_redemptions: input.max_redemptions ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, ctx, {
        action: "code.create",
        resourceType: "discount_code",
        resourceId: row.id,
        accountId: account.id,
        accountPath: account.path,
        details: { code, kind: input.kind, value: input.value, scope: input.scope },
      });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`A code ${code} already exists.`, { field: "code" });
    throw err;
  }
}

/** The codes an issuer defined (its own; a customer sees none). */
export async function listCodes(ctx: ServiceContext): Promise<DiscountCodeRow[]> {
  requireAdmin(ctx.principal, "list discount codes");
  return ctx.database.db
    .selectFrom("discount_codes")
    .selectAll()
    .where("issuer_account_id", "=", issuerOf(ctx))
    .orderBy("created_at")
    .execute();
}

/**
 * Redeems a code for the caller's customer account. The code must come from the account's
 * issuer (its parent), be unexpired, not used up, and not redeemed by this account before.
 * A first-server code binds to the account's first server created after redemption.
 */
export async function redeemCode(
  ctx: ServiceContext,
  input: { code: string; plan_id?: string | undefined },
  now = new Date(),
): Promise<{ code: string; redeemed_at: Date; terms: Record<string, unknown> }> {
  if (ctx.principal.accountKind !== "customer")
    throw new InvalidInputError("code", "Codes are redeemed by customer accounts.");
  const account = await getAccount(ctx, ctx.principal.accountId);
  const code = input.code.trim().toUpperCase();
  return ctx.database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("discount_codes")
      .selectAll()
      .where("issuer_account_id", "=", account.parent_id ?? "")
      .where("code", "=", code)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFoundError("discount_code", code);
    if (row.expires_at && row.expires_at.getTime() <= now.getTime())
      throw new ConflictError(`Code ${code} expired on ${row.expires_at.toISOString().slice(0, 10)}.`, {
        field: "code",
      });
    if (row.max_redemptions !== null && row.redemptions >= row.max_redemptions)
      throw new ConflictError(`Code ${code} has been used up (${row.max_redemptions} redemptions).`, {
        field: "code",
      });
    if (row.scope === "plans" && input.plan_id !== undefined && !row.plan_ids.includes(input.plan_id))
      throw new ConflictError(`Code ${code} is not valid for plan ${input.plan_id}.`, { field: "plan_id" });
    const already = await trx
      .selectFrom("code_redemptions")
      .select("id")
      .where("code_id", "=", row.id)
      .where("account_id", "=", account.id)
      .executeTakeFirst();
    if (already) throw new ConflictError(`Your account has already redeemed ${code}.`, { field: "code" });
    await trx
      .insertInto("code_redemptions")
      .values({
        id: newId("redemption"),
        code_id: row.id,
        account_id: account.id,
        redeemed_at: now,
        first_server_id: null,
      })
      .execute();
    await trx
      .updateTable("discount_codes")
      .set((eb) => ({ redemptions: eb("redemptions", "+", 1) }))
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      action: "code.redeem",
      resourceType: "discount_code",
      resourceId: row.id,
      accountId: account.id,
      accountPath: account.path,
      details: { code },
    });
    return {
      code,
      redeemed_at: now,
      terms: {
        kind: row.kind,
        value: Number(row.value),
        scope: row.scope,
        plan_ids: row.plan_ids,
        duration_months: row.duration_months,
      },
    };
  });
}
