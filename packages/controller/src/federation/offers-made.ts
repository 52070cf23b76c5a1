import { ConflictError, InvalidInputError, newId, requireProviderAdmin } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import type { ServiceContext } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { sitesEnergyNow } from "../energy/energy-now.js";
import { ProfileNotConfiguredError } from "./errors.js";
import { loadSigningIdentity } from "./identity.js";
import { MAX_OFFER_DOCUMENT_BYTES, OFFER_DOCUMENT_TYPE, signOffer } from "./offer-documents.js";
import type { OfferDocument, SignedOffer } from "./offer-documents.js";
import type { PeerClient } from "./peer-client.js";
import { getPeer } from "./peers.js";
import type { PeerView } from "./peers.js";

/** What a provider admin offers a peer: which sites and plans, at which wholesale prices. */
export interface OfferInput {
  currency: string;
  site_ids: string[];
  plans: { plan_id: string; hourly_price_minor: number; monthly_cap_minor: number }[];
  /** The most servers the peer may run here at once; null or absent for no limit. */
  max_servers?: number | null | undefined;
}

/** An offer made to a peer, as its admin sees it: the current version's document and the last push. */
export interface OfferMadeView {
  id: string;
  peer_id: string;
  current_version: number;
  pushed_version: number;
  pushed_at: Date | null;
  push_error: string;
  updated_at: Date;
  offer: OfferDocument;
}

export interface OfferDeps {
  secretBox: SecretBox;
  peers: PeerClient;
}

function requireActive(peer: PeerView): void {
  if (peer.state !== "active")
    throw new ConflictError(`${peer.name} is ${peer.state}: offers go to active peers only.`, {
      reason: "peer_not_active",
      state: peer.state,
    });
}

/** The sites and plans named, each checked: they exist here (and the plans are on sale), once each. */
async function offeredParts(db: Kysely<Schema>, input: OfferInput) {
  const [sites, plans, energy] = await Promise.all([
    input.site_ids.length === 0
      ? []
      : db.selectFrom("sites").selectAll().where("id", "in", input.site_ids).execute(),
    input.plans.length === 0
      ? []
      : db
          .selectFrom("plans")
          .selectAll()
          .where(
            "id",
            "in",
            input.plans.map((p) => p.plan_id),
          )
          .execute(),
    sitesEnergyNow(db, new Date(), { averages: false }),
  ]);
  const asOf = new Date().toISOString();
  const offeredSites = input.site_ids.map((id, i) => {
    const site = sites.find((s) => s.id === id);
    if (!site) throw new InvalidInputError(`site_ids[${i}]`, `There is no site ${id}.`);
    if (input.site_ids.indexOf(id) !== i)
      throw new InvalidInputError(`site_ids[${i}]`, `Site ${id} is listed twice.`);
    const now = energy.find((e) => e.site_id === id);
    return {
      id: site.id,
      name: site.name,
      country_code: site.country_code,
      region_code: site.region_code,
      jurisdiction: site.jurisdiction,
      time_zone: site.time_zone,
      energy: {
        currency: now?.currency ?? input.currency,
        price_now_per_mwh_minor: now?.price_now_per_mwh_minor ?? null,
        carbon_g_per_kwh_now: now?.carbon_g_per_kwh_now ?? null,
        as_of: asOf,
      },
    };
  });
  const offeredPlans = input.plans.map((p, i) => {
    const plan = plans.find((row) => row.id === p.plan_id && row.active);
    if (!plan) throw new InvalidInputError(`plans[${i}].plan_id`, `There is no plan ${p.plan_id} on sale.`);
    if (input.plans.findIndex((q) => q.plan_id === p.plan_id) !== i)
      throw new InvalidInputError(`plans[${i}].plan_id`, `Plan ${p.plan_id} is listed twice.`);
    if (p.monthly_cap_minor < p.hourly_price_minor)
      throw new InvalidInputError(
        `plans[${i}].monthly_cap_minor`,
        `The monthly cap (${p.monthly_cap_minor}) cannot be lower than the hourly price (${p.hourly_price_minor}).`,
      );
    return {
      id: plan.id,
      name: plan.name,
      vcpus: plan.vcpus,
      memory_mib: plan.memory_mib,
      disk_gib: plan.disk_gib,
      transfer_gib: plan.transfer_gib,
      wholesale_hourly_minor: p.hourly_price_minor,
      wholesale_monthly_cap_minor: p.monthly_cap_minor,
    };
  });
  return { sites: offeredSites, plans: offeredPlans };
}

async function offerMadeRow(db: Kysely<Schema>, peerId: string) {
  return db.selectFrom("federation_offers_made").selectAll().where("peer_id", "=", peerId).executeTakeFirst();
}

/** The current version of the offer made to a peer, signed; undefined when it has none. */
export async function currentOfferFor(db: Kysely<Schema>, peerId: string): Promise<SignedOffer | undefined> {
  return db
    .selectFrom("federation_offers_made as o")
    .innerJoin("federation_offer_made_versions as v", (join) =>
      join.onRef("v.offer_id", "=", "o.id").onRef("v.version", "=", "o.current_version"),
    )
    .select(["v.document", "v.signature"])
    .where("o.peer_id", "=", peerId)
    .executeTakeFirst();
}

/** The offer made to a peer, in its current version. */
export async function getOfferMade(ctx: ServiceContext, peerId: string): Promise<OfferMadeView> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "read offers");
  const [row, current] = await Promise.all([
    offerMadeRow(ctx.database.db, peer.id),
    currentOfferFor(ctx.database.db, peer.id),
  ]);
  if (!row || !current)
    throw new ConflictError(
      `No offer has been made to ${peer.name} yet: layerboom federation offers define.`,
      {
        reason: "no_offer",
      },
    );
  return {
    id: row.id,
    peer_id: row.peer_id,
    current_version: row.current_version,
    pushed_version: row.pushed_version,
    pushed_at: row.pushed_at,
    push_error: row.push_error,
    updated_at: row.updated_at,
    offer: JSON.parse(current.document) as OfferDocument,
  };
}

/**
 * Makes a new version of the offer to a peer (the first makes the offer): the document is built
 * from the sites and plans as they are now, signed with this installation's key and kept
 * unchanged; then it is pushed. A push that fails is recorded, not thrown: the peer's next pull
 * recovers it, or the admin pushes again.
 */
export async function defineOffer(
  ctx: ServiceContext,
  deps: OfferDeps,
  peerId: string,
  input: OfferInput,
): Promise<OfferMadeView> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "make offers");
  requireActive(peer);
  const { db } = ctx.database;
  const parts = await offeredParts(db, input);
  const { profile, signing } = await loadSigningIdentity(db, deps.secretBox);
  if (!profile.url) throw new ProfileNotConfiguredError("making offers");
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("federation_offers_made")
      .values({ id: newId("federationOfferMade"), peer_id: peer.id })
      .onConflict((oc) => oc.column("peer_id").doNothing())
      .execute();
    // Locked, so two admins saving at once make two versions, one after the other.
    const offer = await trx
      .selectFrom("federation_offers_made")
      .selectAll()
      .where("peer_id", "=", peer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const version = offer.current_version + 1;
    const document: OfferDocument = {
      type: OFFER_DOCUMENT_TYPE,
      offer_id: offer.id,
      version,
      issued_at: new Date().toISOString(),
      issuer: profile.fingerprint,
      audience: peer.fingerprint,
      currency: input.currency,
      capacity: input.max_servers ? { max_servers: input.max_servers } : null,
      ...parts,
    };
    const signed = signOffer(signing, document);
    // A version the peer would refuse for its size is never made.
    if (Buffer.byteLength(signed.document) > MAX_OFFER_DOCUMENT_BYTES)
      throw new InvalidInputError(
        "site_ids",
        `This offer's document would be ${Buffer.byteLength(signed.document)} bytes; peers accept ${MAX_OFFER_DOCUMENT_BYTES} at most: offer fewer sites or plans.`,
      );
    await trx
      .insertInto("federation_offer_made_versions")
      .values({ offer_id: offer.id, version, ...signed, created_by: ctx.principal.userId })
      .execute();
    await trx
      .updateTable("federation_offers_made")
      .set({ current_version: version, updated_at: new Date() })
      .where("id", "=", offer.id)
      .execute();
    await recordAudit(trx, ctx, {
      action: "federation.offer.define",
      resourceType: "federation_peer",
      resourceId: peer.id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: {
        offer_id: offer.id,
        version,
        currency: input.currency,
        site_ids: input.site_ids,
        plans: input.plans,
      },
    });
  });
  return pushOffer(ctx, deps, peer.id);
}

/** What a refusal answer says, for the admin: its status, and its message when it has one. */
function refusalText(status: number, body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  return `${status}: ${typeof error?.message === "string" ? error.message.slice(0, 500) : "refused"}`;
}

/**
 * Pushes the current version to the peer (POST /federation/v1/offers, signed). Accepted, or
 * refused because the peer already holds it or a newer one (it pulled first), both count as pushed.
 */
export async function pushOffer(
  ctx: ServiceContext,
  deps: OfferDeps,
  peerId: string,
): Promise<OfferMadeView> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "push offers");
  requireActive(peer);
  const { db } = ctx.database;
  const current = await currentOfferFor(db, peer.id);
  const row = await offerMadeRow(db, peer.id);
  if (!current || !row) return getOfferMade(ctx, peer.id);
  const version = row.current_version;
  const { signing } = await loadSigningIdentity(db, deps.secretBox);
  let error = "";
  try {
    const answer = await deps.peers.signed(
      signing,
      peer.url,
      { method: "POST", path: "/offers", body: current },
      peer,
    );
    const details = (answer.body as { error?: { details?: { reason?: unknown; held_version?: unknown } } })
      ?.error?.details;
    const held =
      answer.status === 409 && details?.reason === "offer_version_not_newer"
        ? details.held_version
        : undefined;
    if (!(answer.status === 200 || (typeof held === "number" && held >= version)))
      error = refusalText(answer.status, answer.body);
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  const now = new Date();
  // A push that lost a race with a newer one's never moves pushed_version back.
  await (
    error === ""
      ? db
          .updateTable("federation_offers_made")
          .set({ pushed_version: version, pushed_at: now, push_error: "", updated_at: now })
          .where("id", "=", row.id)
          .where("pushed_version", "<=", version)
      : db
          .updateTable("federation_offers_made")
          .set({ push_error: error, updated_at: now })
          .where("id", "=", row.id)
  ).execute();
  return getOfferMade(ctx, peer.id);
}
