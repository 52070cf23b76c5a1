import { ForbiddenError, InvalidInputError, requireAdmin } from "@layerboom/core";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { loadPartnerOffers, pricePartnerPlan } from "./partner-offers.js";
import { resalePriceFor, resalePricesOf } from "./partner-resale.js";

// A reseller's price list for partners' plans (docs/federation.md, "Resale of partner sites"): the
// same shape as its price list for the provider's plans (catalog/prices.ts), a fixed price per
// plan, hourly and a monthly cap; the provider's retail price is the reseller's cost.

/** One plan of a partner's offer, as a reseller prices it. */
export interface PartnerPriceView {
  offer_id: string;
  operated_by: string;
  plan_id: string;
  plan_name: string;
  currency: string;
  /** The provider's retail price: what the reseller pays. Null where the provider cannot price it. */
  cost_hourly_minor: number | null;
  cost_monthly_cap_minor: number | null;
  /** The reseller's price; null where it set none (or in another currency): not sold to its customers. */
  retail_hourly_minor: number | null;
  retail_monthly_cap_minor: number | null;
}

export interface PartnerPriceInput {
  offer_id: string;
  plan_id: string;
  hourly_price_minor: number;
  monthly_cap_minor: number;
}

function requireReseller(ctx: ServiceContext, what: string): void {
  requireAdmin(ctx.principal, what);
  if (ctx.principal.accountKind !== "reseller")
    throw new ForbiddenError(
      "Only a reseller prices partner plans; the provider sets its markup (PUT /federation/offers/{id}/markup).",
    );
}

/** The plans of active peers' current offers, each with the reseller's cost and its price. */
export async function listPartnerPrices(ctx: ServiceContext): Promise<PartnerPriceView[]> {
  requireReseller(ctx, "read partner prices");
  const { db } = ctx.database;
  const offers = await loadPartnerOffers(db, { activePeersOnly: true });
  const own = await resalePricesOf(db, ctx.principal.accountId);
  return offers.flatMap((offer) =>
    offer.document.plans.map((plan) => {
      const { retail: cost } = pricePartnerPlan(offer, plan);
      const price = resalePriceFor(own, offer.id, plan.id, offer.document.currency);
      return {
        offer_id: offer.id,
        operated_by: offer.peer.name,
        plan_id: plan.id,
        plan_name: plan.name,
        currency: offer.document.currency,
        cost_hourly_minor: cost?.hourlyMinor ?? null,
        cost_monthly_cap_minor: cost?.monthlyCapMinor ?? null,
        retail_hourly_minor: price?.hourlyMinor ?? null,
        retail_monthly_cap_minor: price?.monthlyCapMinor ?? null,
      };
    }),
  );
}

/**
 * Sets a reseller's prices on partner plans: each listed plan gets the given price (in its offer's
 * current currency), each plan in `remove` is no longer sold to its customers. Others keep theirs.
 * A price below the cost is allowed, as on the provider's plans: the reseller's own choice.
 */
export async function setPartnerPrices(
  ctx: ServiceContext,
  input: { prices: PartnerPriceInput[]; remove?: { offer_id: string; plan_id: string }[] | undefined },
): Promise<PartnerPriceView[]> {
  requireReseller(ctx, "set partner prices");
  const { db } = ctx.database;
  const offers = await loadPartnerOffers(db, { activePeersOnly: true });
  const seen = new Set<string>();
  const currencies = input.prices.map((p, i) => {
    const field = `prices[${i}]`;
    const offer = offers.find((o) => o.id === p.offer_id);
    if (!offer)
      throw new InvalidInputError(`${field}.offer_id`, `There is no partner offer ${p.offer_id} on sale.`);
    if (!offer.document.plans.some((plan) => plan.id === p.plan_id))
      throw new InvalidInputError(
        `${field}.plan_id`,
        `Partner offer ${p.offer_id} has no plan ${p.plan_id}.`,
      );
    const key = `${p.offer_id} ${p.plan_id}`;
    if (seen.has(key))
      throw new InvalidInputError(`${field}.plan_id`, `Plan ${p.plan_id} of ${p.offer_id} is listed twice.`);
    seen.add(key);
    for (const name of ["hourly_price_minor", "monthly_cap_minor"] as const)
      if (!Number.isSafeInteger(p[name]) || p[name] < 0)
        throw new InvalidInputError(
          `${field}.${name}`,
          `${name} is a whole number of minor units (cents), 0 or more.`,
        );
    if (p.monthly_cap_minor < p.hourly_price_minor)
      throw new InvalidInputError(
        `${field}.monthly_cap_minor`,
        "The monthly cap cannot be lower than the hourly price.",
      );
    return offer.document.currency;
  });
  const remove = input.remove ?? [];
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    for (const r of remove)
      await trx
        .deleteFrom("reseller_partner_prices")
        .where("account_id", "=", ctx.principal.accountId)
        .where("offer_id", "=", r.offer_id)
        .where("plan_id", "=", r.plan_id)
        .execute();
    for (const [i, p] of input.prices.entries()) {
      const values = {
        currency: currencies[i]!,
        hourly_price_minor: p.hourly_price_minor,
        monthly_cap_minor: p.monthly_cap_minor,
        updated_at: now,
      };
      await trx
        .insertInto("reseller_partner_prices")
        .values({ account_id: ctx.principal.accountId, offer_id: p.offer_id, plan_id: p.plan_id, ...values })
        .onConflict((oc) => oc.columns(["account_id", "offer_id", "plan_id"]).doUpdateSet(values))
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: "partner_prices.update",
      resourceType: "price-list",
      resourceId: ctx.principal.accountId,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { prices: input.prices, remove },
    });
  });
  return listPartnerPrices(ctx);
}
