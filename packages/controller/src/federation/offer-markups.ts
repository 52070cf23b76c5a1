import { InvalidInputError, checkMarkup, requireProviderAdmin } from "@layerboom/core";
import type { Markup } from "@layerboom/core";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import { getReceivedOffer } from "./offers-received.js";
import type { ReceivedOfferView } from "./offers-received.js";

/** A markup as an admin sets it: a percentage in basis points, or fixed amounts per hour and month. */
export interface MarkupInput {
  /** One of the offer's plans; absent for the whole offer. */
  plan_id?: string | undefined;
  basis_points?: number | undefined;
  hourly_minor?: number | undefined;
  monthly_cap_minor?: number | undefined;
}

function markupOf(input: MarkupInput, currency: string): Markup {
  const fixed = input.hourly_minor !== undefined || input.monthly_cap_minor !== undefined;
  if (input.basis_points !== undefined && fixed)
    throw new InvalidInputError(
      "basis_points",
      "Give a percentage (basis_points) or fixed amounts, not both.",
    );
  if (input.basis_points !== undefined) return { kind: "percent", basisPoints: input.basis_points };
  if (input.hourly_minor === undefined || input.monthly_cap_minor === undefined)
    throw new InvalidInputError(
      input.hourly_minor === undefined ? "hourly_minor" : "monthly_cap_minor",
      "A markup is basis_points (2500 = 25 %), or both hourly_minor and monthly_cap_minor in the offer's currency.",
    );
  return {
    kind: "fixed",
    hourlyMinor: input.hourly_minor,
    monthlyCapMinor: input.monthly_cap_minor,
    currency,
  };
}

/**
 * Sets the markup on a received offer, for the whole offer or one of its plans (which wins). A
 * fixed markup is in the offer's currency as it is now. Applies to servers created from now on.
 */
export async function setMarkup(
  ctx: ServiceContext,
  offerId: string,
  input: MarkupInput,
): Promise<ReceivedOfferView> {
  const offer = await getReceivedOffer(ctx, offerId);
  requireProviderAdmin(ctx.principal, "set markups");
  if (input.plan_id !== undefined && !offer.plans.some((p) => p.id === input.plan_id))
    throw new InvalidInputError("plan_id", `The offer has no plan ${input.plan_id}.`);
  const markup = markupOf(input, offer.currency);
  checkMarkup(markup);
  const planId = input.plan_id ?? "";
  const row =
    markup.kind === "percent"
      ? {
          kind: markup.kind,
          basis_points: markup.basisPoints,
          hourly_minor: null,
          monthly_cap_minor: null,
          currency: null,
        }
      : {
          kind: markup.kind,
          basis_points: null,
          hourly_minor: markup.hourlyMinor,
          monthly_cap_minor: markup.monthlyCapMinor,
          currency: markup.currency,
        };
  const now = new Date();
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("federation_offer_markups")
      .values({ offer_id: offer.id, plan_id: planId, ...row, updated_at: now })
      .onConflict((oc) => oc.columns(["offer_id", "plan_id"]).doUpdateSet({ ...row, updated_at: now }))
      .execute();
    await recordAudit(trx, ctx, {
      action: "federation.offer.markup",
      resourceType: "federation_peer",
      resourceId: offer.peer.id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { offer_id: offer.id, plan_id: input.plan_id ?? null, ...row },
    });
  });
  return getReceivedOffer(ctx, offer.id);
}

/** Removes a markup (the plan's, or the offer-wide one): the plan then takes the offer's, or none. */
export async function removeMarkup(
  ctx: ServiceContext,
  offerId: string,
  planId: string | undefined,
): Promise<ReceivedOfferView> {
  const offer = await getReceivedOffer(ctx, offerId);
  requireProviderAdmin(ctx.principal, "remove markups");
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("federation_offer_markups")
      .where("offer_id", "=", offer.id)
      .where("plan_id", "=", planId ?? "")
      .execute();
    await recordAudit(trx, ctx, {
      action: "federation.offer.markup.remove",
      resourceType: "federation_peer",
      resourceId: offer.peer.id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { offer_id: offer.id, plan_id: planId ?? null },
    });
  });
  return getReceivedOffer(ctx, offer.id);
}
