import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

// Resellers sell partner sites at their own prices (docs/federation.md, "Resale of partner sites").
// This reads who sells to an account and at what price; partner-prices.ts is where a reseller sets
// them, partner-offers.ts where the catalogue and the quote apply them.

/** Who sells partner sites to an account: the provider itself, or a reseller under it. */
export type PartnerSeller = { kind: "provider" } | { kind: "reseller"; resellerId: string };

/**
 * The seller of partner sites to the caller's account, or null where it is sold none: the
 * provider's admins and its own customers buy from the provider, a reseller's customers from
 * their reseller; a reseller's admins buy none themselves (they price them: GET /partner-prices).
 */
export async function partnerSellerOf(
  db: Kysely<Schema>,
  principal: { accountKind: string; accountPath: string },
): Promise<PartnerSeller | null> {
  if (principal.accountKind === "provider") return { kind: "provider" };
  if (principal.accountKind !== "customer") return null;
  const ancestors = principal.accountPath.split("/").filter(Boolean);
  const parentId = ancestors[ancestors.length - 2];
  if (!parentId) return null;
  const parent = await db.selectFrom("accounts").select("kind").where("id", "=", parentId).executeTakeFirst();
  if (parent?.kind === "provider") return { kind: "provider" };
  if (parent?.kind === "reseller") return { kind: "reseller", resellerId: parentId };
  return null;
}

/** A reseller's price on a partner plan, as set (in the offer's currency at the time). */
export interface ResalePrice {
  offerId: string;
  planId: string;
  currency: string;
  hourlyMinor: number;
  monthlyCapMinor: number;
}

/** A reseller's prices on partner plans, keyed `offerId planId`; of one offer only when given. */
export async function resalePricesOf(
  db: Kysely<Schema>,
  resellerId: string,
  offerId?: string,
): Promise<Map<string, ResalePrice>> {
  let q = db.selectFrom("reseller_partner_prices").selectAll().where("account_id", "=", resellerId);
  if (offerId !== undefined) q = q.where("offer_id", "=", offerId);
  const rows = await q.execute();
  return new Map(
    rows.map((r) => [
      resaleKey(r.offer_id, r.plan_id),
      {
        offerId: r.offer_id,
        planId: r.plan_id,
        currency: r.currency,
        hourlyMinor: Number(r.hourly_price_minor),
        monthlyCapMinor: Number(r.monthly_cap_minor),
      },
    ]),
  );
}

export function resaleKey(offerId: string, planId: string): string {
  return `${offerId} ${planId}`;
}

/**
 * The reseller's price for a plan of an offer in `currency`, or null: never set (the plan is not
 * sold to its customers, as they would otherwise pay its cost), or set in a currency the offer no
 * longer uses (sold again once the reseller sets it in the new one).
 */
export function resalePriceFor(
  prices: ReadonlyMap<string, ResalePrice>,
  offerId: string,
  planId: string,
  currency: string,
): ResalePrice | null {
  const price = prices.get(resaleKey(offerId, planId));
  return price && price.currency === currency ? price : null;
}
