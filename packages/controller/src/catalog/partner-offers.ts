import {
  InvalidInputError,
  NotFoundError,
  assertResidency,
  markupForPlan,
  residencyAllows,
  retailPrice,
} from "@layerboom/core";
import type { Markup, ScopedMarkup } from "@layerboom/core";
import type { FederationPeerState, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { requiredJurisdictionsOf } from "../accounts/residency.js";
import { partnerSellerOf, resalePriceFor, resalePricesOf } from "./partner-resale.js";
import type { ResalePrice } from "./partner-resale.js";

// Partner sites: what peers offer this installation (docs/federation.md, "Offers"), as its own
// catalogue sells them. The federation feature receives and checks the offers; this reads the
// versions it kept and prices them with the provider's markups.

/** The parts of a received offer document (federation/offer-documents.ts) the catalogue reads. */
export interface PartnerOfferDocument {
  offer_id: string;
  version: number;
  issued_at: string;
  currency: string;
  capacity: { max_servers: number } | null;
  sites: {
    id: string;
    name: string;
    country_code: string;
    region_code: string;
    jurisdiction: string;
    time_zone: string;
    energy: {
      currency: string;
      price_now_per_mwh_minor: number | null;
      carbon_g_per_kwh_now: number | null;
      as_of: string;
    };
  }[];
  plans: {
    id: string;
    name: string;
    vcpus: number;
    memory_mib: number;
    disk_gib: number;
    transfer_gib: number;
    wholesale_hourly_minor: number;
    wholesale_monthly_cap_minor: number;
  }[];
}

/** A peer's offer in its current version, with the markups set on it here. */
export interface PartnerOffer {
  /** This installation's id for the offer received. */
  id: string;
  peer: { id: string; name: string; state: FederationPeerState };
  /** The current version's id: what a server started now pins its price to. */
  version_id: string;
  version: number;
  received_at: Date;
  received_via: "push" | "pull";
  document: PartnerOfferDocument;
  markups: ScopedMarkup[];
}

/** A markup as stored: a whole-offer row has plan_id ''. */
export function markupOfRow(row: {
  plan_id: string;
  kind: "percent" | "fixed";
  basis_points: number | null;
  hourly_minor: number | null;
  monthly_cap_minor: number | null;
  currency: string | null;
}): ScopedMarkup {
  const markup: Markup =
    row.kind === "percent"
      ? { kind: "percent", basisPoints: row.basis_points ?? 0 }
      : {
          kind: "fixed",
          hourlyMinor: Number(row.hourly_minor),
          monthlyCapMinor: Number(row.monthly_cap_minor),
          currency: row.currency ?? "",
        };
  return { planId: row.plan_id === "" ? null : row.plan_id, markup };
}

/**
 * The offers received, each in its current version with its markups: all of them, or one. With
 * `activePeersOnly`, a suspended, revoked or pending peer's offers are left out: they are not sold.
 */
export async function loadPartnerOffers(
  db: Kysely<Schema>,
  filter: { offerId?: string; activePeersOnly: boolean },
): Promise<PartnerOffer[]> {
  let q = db
    .selectFrom("federation_offers_received as o")
    .innerJoin("federation_peers as p", "p.id", "o.peer_id")
    .innerJoin("federation_offer_received_versions as v", (join) =>
      join.onRef("v.offer_id", "=", "o.id").onRef("v.version", "=", "o.current_version"),
    )
    .select([
      "o.id",
      "p.id as peer_id",
      "p.name as peer_name",
      "p.state as peer_state",
      "v.id as version_id",
      "v.version",
      "v.received_at",
      "v.received_via",
      "v.document",
    ]);
  if (filter.offerId !== undefined) q = q.where("o.id", "=", filter.offerId);
  if (filter.activePeersOnly) q = q.where("p.state", "=", "active");
  const rows = await q.orderBy("o.id").execute();
  if (rows.length === 0) return [];
  const markups = await db
    .selectFrom("federation_offer_markups")
    .selectAll()
    .where(
      "offer_id",
      "in",
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    id: r.id,
    peer: { id: r.peer_id, name: r.peer_name, state: r.peer_state },
    version_id: r.version_id,
    version: r.version,
    received_at: r.received_at,
    received_via: r.received_via,
    // Checked field by field when it was received (federation/offer-documents.ts), then kept as is.
    document: JSON.parse(r.document) as PartnerOfferDocument,
    markups: markups.filter((m) => m.offer_id === r.id).map(markupOfRow),
  }));
}

/** A partner's plan at this installation's retail price; null with the reason where it cannot be priced. */
export interface PricedPartnerPlan {
  markup: Markup | null;
  retail: { hourlyMinor: number; monthlyCapMinor: number } | null;
  problem: string | null;
}

export function pricePartnerPlan(
  offer: PartnerOffer,
  plan: PartnerOfferDocument["plans"][number],
): PricedPartnerPlan {
  const markup = markupForPlan(plan.id, offer.markups);
  try {
    const retail = retailPrice(
      {
        hourlyMinor: plan.wholesale_hourly_minor,
        monthlyCapMinor: plan.wholesale_monthly_cap_minor,
        currency: offer.document.currency,
      },
      markup,
    );
    return { markup, retail, problem: null };
  } catch (err) {
    if (err instanceof InvalidInputError) return { markup, retail: null, problem: err.message };
    throw err;
  }
}

/** A partner site as the catalogue lists it: operated by a peer, sold at this installation's prices. */
export interface PartnerSiteView {
  id: string;
  name: string;
  country_code: string;
  region_code: string;
  jurisdiction: string;
  time_zone: string;
  operated_by: string;
  offer_id: string;
  offer_version_id: string;
  energy: PartnerOfferDocument["sites"][number]["energy"];
  plans: {
    id: string;
    name: string;
    vcpus: number;
    memory_mib: number;
    disk_gib: number;
    transfer_gib: number;
    hourly_price_minor: number;
    monthly_cap_minor: number;
    currency: string;
  }[];
}

/**
 * Every partner site the caller may buy at, by id; a site's plans are those that can be priced.
 * An account with required jurisdictions sees only partner sites within them, judged by the
 * label the partner's offer gives the site (docs/placement.md, "Data residency"); the partner
 * checks again at placement.
 */
export async function listPartnerSites(
  db: Kysely<Schema>,
  principal: { accountId: string; accountKind: string; accountPath: string },
  filter: { countryCode?: string | undefined; jurisdiction?: string | undefined },
): Promise<PartnerSiteView[]> {
  const seller = await partnerSellerOf(db, principal);
  if (!seller) return [];
  // A reseller's customers see its prices, never the provider's (the reseller's cost) or the
  // wholesale; a plan it has not priced is not sold to them.
  const resale = seller.kind === "reseller" ? await resalePricesOf(db, seller.resellerId) : null;
  const required = await requiredJurisdictionsOf(db, principal.accountId);
  const offers = await loadPartnerOffers(db, { activePeersOnly: true });
  const sites: PartnerSiteView[] = [];
  for (const offer of offers) {
    const plans = offer.document.plans.flatMap((plan) => {
      const retail = sellingPrice(offer, plan, resale);
      if (!retail) return [];
      return [
        {
          id: plan.id,
          name: plan.name,
          vcpus: plan.vcpus,
          memory_mib: plan.memory_mib,
          disk_gib: plan.disk_gib,
          transfer_gib: plan.transfer_gib,
          hourly_price_minor: retail.hourlyMinor,
          monthly_cap_minor: retail.monthlyCapMinor,
          currency: offer.document.currency,
        },
      ];
    });
    // A reseller that prices none of an offer's plans does not sell its sites.
    if (plans.length === 0 && resale) continue;
    for (const site of offer.document.sites) {
      if (filter.countryCode && site.country_code !== filter.countryCode) continue;
      if (filter.jurisdiction && site.jurisdiction !== filter.jurisdiction) continue;
      if (!residencyAllows(required, site.jurisdiction)) continue;
      sites.push({
        id: site.id,
        name: site.name,
        country_code: site.country_code,
        region_code: site.region_code,
        jurisdiction: site.jurisdiction,
        time_zone: site.time_zone,
        operated_by: offer.peer.name,
        offer_id: offer.id,
        offer_version_id: offer.version_id,
        energy: site.energy,
        plans,
      });
    }
  }
  return sites.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.offer_id < b.offer_id ? -1 : 1));
}

/**
 * What the buyer pays for a plan: the provider's retail price, or with a reseller's prices, the
 * reseller's own where it set one in the offer's currency and the provider can price the plan
 * (the reseller's cost). Null: not sold.
 */
function sellingPrice(
  offer: PartnerOffer,
  plan: PartnerOfferDocument["plans"][number],
  resale: ReadonlyMap<string, ResalePrice> | null,
): { hourlyMinor: number; monthlyCapMinor: number } | null {
  const { retail } = pricePartnerPlan(offer, plan);
  if (!retail || !resale) return retail;
  return resalePriceFor(resale, offer.id, plan.id, offer.document.currency);
}

/**
 * The price a server created now at a partner site would start with, and the offer version it
 * pins (remote creation, the next slice, keeps both): a later version or markup changes new
 * servers only. Not found, as for an unknown id, when the peer is not active or the offer no
 * longer has that site or plan. With `accountId`, a site outside that account's required
 * jurisdictions is refused (ResidencyViolationError, 422), as a local site is; and for a
 * reseller's customer the price is the reseller's (`reseller` holds the provider's price, its
 * cost), a plan it has not priced not found.
 */
export async function quotePartnerPlan(
  db: Kysely<Schema>,
  input: { offerId: string; siteId: string; planId: string; accountId?: string },
): Promise<{
  offer_version_id: string;
  version: number;
  currency: string;
  wholesale_hourly_minor: number;
  wholesale_monthly_cap_minor: number;
  hourly_price_minor: number;
  monthly_cap_minor: number;
  reseller: { id: string; cost_hourly_minor: number; cost_monthly_cap_minor: number } | null;
}> {
  const [offer] = await loadPartnerOffers(db, { offerId: input.offerId, activePeersOnly: true });
  if (!offer) throw new NotFoundError("partner offer", input.offerId);
  const site = offer.document.sites.find((s) => s.id === input.siteId);
  if (!site) throw new NotFoundError("partner site", input.siteId);
  if (input.accountId !== undefined)
    assertResidency(await requiredJurisdictionsOf(db, input.accountId), site);
  const plan = offer.document.plans.find((p) => p.id === input.planId);
  if (!plan) throw new NotFoundError("partner plan", input.planId);
  const { retail, problem } = pricePartnerPlan(offer, plan);
  if (!retail) throw new InvalidInputError("plan_id", problem ?? "This plan cannot be priced.");
  const seller = input.accountId === undefined ? null : await sellerOfAccount(db, input.accountId);
  if (seller?.kind === "reseller") {
    const resale = resalePriceFor(
      await resalePricesOf(db, seller.resellerId, offer.id),
      offer.id,
      plan.id,
      offer.document.currency,
    );
    if (!resale) throw new NotFoundError("partner plan", input.planId);
    return {
      offer_version_id: offer.version_id,
      version: offer.version,
      currency: offer.document.currency,
      wholesale_hourly_minor: plan.wholesale_hourly_minor,
      wholesale_monthly_cap_minor: plan.wholesale_monthly_cap_minor,
      hourly_price_minor: resale.hourlyMinor,
      monthly_cap_minor: resale.monthlyCapMinor,
      reseller: {
        id: seller.resellerId,
        cost_hourly_minor: retail.hourlyMinor,
        cost_monthly_cap_minor: retail.monthlyCapMinor,
      },
    };
  }
  return {
    offer_version_id: offer.version_id,
    version: offer.version,
    currency: offer.document.currency,
    wholesale_hourly_minor: plan.wholesale_hourly_minor,
    wholesale_monthly_cap_minor: plan.wholesale_monthly_cap_minor,
    hourly_price_minor: retail.hourlyMinor,
    monthly_cap_minor: retail.monthlyCapMinor,
    reseller: null,
  };
}

async function sellerOfAccount(db: Kysely<Schema>, accountId: string) {
  const account = await db
    .selectFrom("accounts")
    .select(["kind", "path"])
    .where("id", "=", accountId)
    .executeTakeFirst();
  return account ? partnerSellerOf(db, { accountKind: account.kind, accountPath: account.path }) : null;
}
