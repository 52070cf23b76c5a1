import { ForbiddenError, InvalidInputError, requireAdmin } from "@layerboom/core";
import type { PlanRow, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";

/** One plan in a price list: the provider's (wholesale) price and, for a reseller, its own. */
export interface PriceView {
  plan_id: string;
  plan_name: string;
  currency: string;
  active: boolean;
  wholesale_hourly_minor: number;
  wholesale_monthly_cap_minor: number;
  /** The reseller's retail price; null where it set none (its customers then pay the wholesale price). */
  retail_hourly_minor: number | null;
  retail_monthly_cap_minor: number | null;
}

export interface RetailPriceInput {
  plan_id: string;
  hourly_price_minor: number;
  monthly_cap_minor: number;
}

function requirePriceReader(ctx: ServiceContext): void {
  requireAdmin(ctx.principal, "read price lists");
  if (ctx.principal.accountKind === "customer")
    throw new ForbiddenError("Customers see their prices in GET /plans.");
}

/** The provider's plans, each with the caller's retail price when the caller is a reseller. */
export async function listPrices(ctx: ServiceContext): Promise<PriceView[]> {
  requirePriceReader(ctx);
  const { db } = ctx.database;
  const isReseller = ctx.principal.accountKind === "reseller";
  let q = db.selectFrom("plans").selectAll().orderBy("id");
  if (isReseller) q = q.where("active", "=", true);
  const plans = await q.execute();
  const retail = isReseller
    ? await db
        .selectFrom("reseller_prices")
        .selectAll()
        .where("account_id", "=", ctx.principal.accountId)
        .execute()
    : [];
  return plans.map((p) => {
    const own = retail.find((r) => r.plan_id === p.id);
    return {
      plan_id: p.id,
      plan_name: p.name,
      currency: p.currency,
      active: p.active,
      wholesale_hourly_minor: Number(p.hourly_price_minor),
      wholesale_monthly_cap_minor: Number(p.monthly_cap_minor),
      retail_hourly_minor: own ? Number(own.hourly_price_minor) : null,
      retail_monthly_cap_minor: own ? Number(own.monthly_cap_minor) : null,
    };
  });
}

/**
 * Sets a reseller's retail prices: each listed plan gets the given price, each plan in
 * `remove` goes back to the wholesale price. Other plans keep theirs.
 */
export async function setPrices(
  ctx: ServiceContext,
  input: { prices: RetailPriceInput[]; remove?: string[] | undefined },
): Promise<PriceView[]> {
  requireAdmin(ctx.principal, "set retail prices");
  if (ctx.principal.accountKind !== "reseller")
    throw new ForbiddenError(
      "Only a reseller sets retail prices; the provider's prices are its plans (PATCH /plans/{id}).",
    );
  const { db } = ctx.database;
  const plans = await db.selectFrom("plans").select(["id", "active"]).execute();
  const seen = new Set<string>();
  input.prices.forEach((p, i) => {
    const field = `prices[${i}]`;
    if (!plans.some((plan) => plan.id === p.plan_id && plan.active))
      throw new InvalidInputError(`${field}.plan_id`, `There is no plan ${p.plan_id} on sale.`);
    if (seen.has(p.plan_id))
      throw new InvalidInputError(`${field}.plan_id`, `Plan ${p.plan_id} is listed twice.`);
    seen.add(p.plan_id);
    for (const key of ["hourly_price_minor", "monthly_cap_minor"] as const)
      if (!Number.isSafeInteger(p[key]) || p[key] < 0)
        throw new InvalidInputError(
          `${field}.${key}`,
          `${key} is a whole number of minor units (cents), 0 or more.`,
        );
    if (p.monthly_cap_minor < p.hourly_price_minor)
      throw new InvalidInputError(
        `${field}.monthly_cap_minor`,
        "The monthly cap cannot be lower than the hourly price.",
      );
  });
  const remove = input.remove ?? [];
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    if (remove.length > 0)
      await trx
        .deleteFrom("reseller_prices")
        .where("account_id", "=", ctx.principal.accountId)
        .where("plan_id", "in", remove)
        .execute();
    for (const p of input.prices)
      await trx
        .insertInto("reseller_prices")
        .values({ account_id: ctx.principal.accountId, ...p, updated_at: now })
        .onConflict((oc) =>
          oc.columns(["account_id", "plan_id"]).doUpdateSet({
            hourly_price_minor: p.hourly_price_minor,
            monthly_cap_minor: p.monthly_cap_minor,
            updated_at: now,
          }),
        )
        .execute();
    await recordAudit(trx, ctx, {
      action: "prices.update",
      resourceType: "price-list",
      resourceId: ctx.principal.accountId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { prices: input.prices, remove },
    });
  });
  return listPrices(ctx);
}

/**
 * Plans as a customer sees them: at its reseller's retail prices where the reseller set them
 * (never the wholesale price behind them), else at the provider's. Others see plans unchanged.
 */
export async function plansAtRetail<
  T extends Pick<PlanRow, "id" | "hourly_price_minor" | "monthly_cap_minor">,
>(db: Kysely<Schema>, principal: { accountKind: string; accountPath: string }, plans: T[]): Promise<T[]> {
  if (principal.accountKind !== "customer" || plans.length === 0) return plans;
  const ancestors = principal.accountPath.split("/").filter(Boolean);
  const parentId = ancestors[ancestors.length - 2];
  if (!parentId) return plans;
  const retail = await db
    .selectFrom("reseller_prices")
    .selectAll()
    .where("account_id", "=", parentId)
    .where(
      "plan_id",
      "in",
      plans.map((p) => p.id),
    )
    .execute();
  return plans.map((p) => {
    const own = retail.find((r) => r.plan_id === p.id);
    return own
      ? {
          ...p,
          hourly_price_minor: Number(own.hourly_price_minor),
          monthly_cap_minor: Number(own.monthly_cap_minor),
        }
      : p;
  });
}
