import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireProviderAdmin,
} from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import { auditPeerEvent } from "./peer-audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import type { SecretBox } from "../base/secret-box.js";
import { loadPartnerOffers, pricePartnerPlan } from "../catalog/partner-offers.js";
import type { PartnerOffer, PartnerOfferDocument } from "../catalog/partner-offers.js";
import { getProfile, loadSigningIdentity } from "./identity.js";
import { publicKeyFromRaw } from "./keys.js";
import { openOffer } from "./offer-documents.js";
import type { SignedOffer } from "./offer-documents.js";
import type { OfferDeps } from "./offers-made.js";
import { getPeer } from "./peers.js";
import type { PeerRow } from "./peers.js";

/** What accepting an offer version answers: the version kept, and this installation's ids for it. */
export interface OfferReceipt {
  offer_id: string;
  version: number;
  version_id: string;
}

/** The body of a push (or a pull's answer): a signed offer, checked for its shape only. */
export function signedOfferOf(body: unknown): SignedOffer {
  const b = body as { document?: unknown; signature?: unknown } | undefined;
  if (typeof b?.document !== "string")
    throw new InvalidInputError("document", "The offer's document is missing.");
  if (typeof b.signature !== "string")
    throw new InvalidInputError("signature", "The offer's signature is missing.");
  return { document: b.document, signature: b.signature };
}

/** The refusal of a version that is not newer than the one held: a replay, or a stale copy. */
export class OfferVersionNotNewerError extends ConflictError {
  constructor(
    readonly version: number,
    readonly heldVersion: number,
  ) {
    super(
      `This installation already holds version ${heldVersion} of this offer; version ${version} is not newer (a replay or a stale copy).`,
      { reason: "offer_version_not_newer", version, held_version: heldVersion },
    );
  }
}

/**
 * Accepts a version of a peer's offer (pushed by the peer, or pulled from it): the signature is
 * the peer's over the document's bytes, the document is for this installation, and its version
 * is newer than the one held. The version is kept as received, with its signature, and becomes
 * current; older versions stay, for the servers that started under them.
 */
export async function receiveOffer(
  deps: { database: Database; secretBox: SecretBox },
  peer: PeerRow,
  offer: SignedOffer,
  via: "push" | "pull",
): Promise<OfferReceipt> {
  const { db } = deps.database;
  const publicKey = publicKeyFromRaw(peer.public_key);
  if (!publicKey) throw new InvalidInputError("signature", "The peer's recorded key is not an Ed25519 key.");
  const own = await getProfile(db, deps.secretBox);
  const document = openOffer(offer, { fingerprint: peer.fingerprint, publicKey }, own.fingerprint);
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto("federation_offers_received")
      .values({
        id: newId("federationOfferReceived"),
        peer_id: peer.id,
        remote_offer_id: document.offer_id,
        current_version: document.version,
      })
      .onConflict((oc) => oc.column("peer_id").doNothing())
      .execute();
    // Locked: a push and a pull racing keep one version each, in order.
    const held = await trx
      .selectFrom("federation_offers_received")
      .selectAll()
      .where("peer_id", "=", peer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (held.remote_offer_id !== document.offer_id)
      throw new ConflictError(
        `The peer's offer is ${held.remote_offer_id} here; it sent another offer (${document.offer_id}).`,
        { reason: "offer_id_changed" },
      );
    const kept = await trx
      .selectFrom("federation_offer_received_versions")
      .select("id")
      .where("offer_id", "=", held.id)
      .where("version", "=", held.current_version)
      .executeTakeFirst();
    // A row just inserted holds this version without having it yet; any other is compared.
    if (kept && document.version <= held.current_version)
      throw new OfferVersionNotNewerError(document.version, held.current_version);
    const versionId = newId("federationOfferVersion");
    await trx
      .insertInto("federation_offer_received_versions")
      .values({
        id: versionId,
        offer_id: held.id,
        version: document.version,
        document: offer.document,
        signature: offer.signature,
        key_id: peer.fingerprint,
        received_via: via,
      })
      .execute();
    await trx
      .updateTable("federation_offers_received")
      .set({ current_version: document.version, updated_at: new Date() })
      .where("id", "=", held.id)
      .execute();
    await auditPeerEvent(trx, peer.id, "federation.offer.receive", {
      offer_id: held.id,
      version: document.version,
      version_id: versionId,
      via,
    });
    return { offer_id: held.id, version: document.version, version_id: versionId };
  });
}

/** A received offer's plan as the provider's admin sees it: wholesale, markup and retail. */
export type ReceivedOfferPlanView = PartnerOfferDocument["plans"][number] & {
  markup:
    | { kind: "percent"; basis_points: number }
    | { kind: "fixed"; hourly_minor: number; monthly_cap_minor: number; currency: string }
    | null;
  retail_hourly_minor: number | null;
  retail_monthly_cap_minor: number | null;
  /** Why there is no retail price (a fixed markup in a currency the offer no longer uses). */
  problem: string | null;
};

/** A received offer in its current version. */
export interface ReceivedOfferView {
  id: string;
  peer: PartnerOffer["peer"];
  version: number;
  version_id: string;
  received_at: Date;
  received_via: "push" | "pull";
  issued_at: string;
  currency: string;
  capacity: PartnerOfferDocument["capacity"];
  sites: PartnerOfferDocument["sites"];
  plans: ReceivedOfferPlanView[];
  /** Whether customers are sold it now: only while the peer is active. */
  on_sale: boolean;
}

function toView(offer: PartnerOffer): ReceivedOfferView {
  return {
    id: offer.id,
    peer: offer.peer,
    version: offer.version,
    version_id: offer.version_id,
    received_at: offer.received_at,
    received_via: offer.received_via,
    issued_at: offer.document.issued_at,
    currency: offer.document.currency,
    capacity: offer.document.capacity,
    sites: offer.document.sites,
    plans: offer.document.plans.map((plan) => {
      const { markup, retail, problem } = pricePartnerPlan(offer, plan);
      return {
        ...plan,
        markup:
          markup === null
            ? null
            : markup.kind === "percent"
              ? { kind: "percent", basis_points: markup.basisPoints }
              : {
                  kind: "fixed",
                  hourly_minor: markup.hourlyMinor,
                  monthly_cap_minor: markup.monthlyCapMinor,
                  currency: markup.currency,
                },
        retail_hourly_minor: retail?.hourlyMinor ?? null,
        retail_monthly_cap_minor: retail?.monthlyCapMinor ?? null,
        problem,
      };
    }),
    on_sale: offer.peer.state === "active",
  };
}

/** The offers received from peers, in any state, each in its current version. */
export async function listReceivedOffers(
  ctx: ServiceContext,
  page: PageRequest,
): Promise<Page<ReceivedOfferView>> {
  requireProviderAdmin(ctx.principal, "list partner offers");
  const offers = (await loadPartnerOffers(ctx.database.db, { activePeersOnly: false })).filter(
    (o) => page.after === undefined || o.id > page.after,
  );
  return toPage(offers.slice(0, page.limit + 1).map(toView), page.limit);
}

/** One offer received; to anyone but a provider admin it does not exist. */
export async function getReceivedOffer(ctx: ServiceContext, id: string): Promise<ReceivedOfferView> {
  if (ctx.principal.role !== "provider-admin") throw new NotFoundError("partner offer", id);
  const [offer] = await loadPartnerOffers(ctx.database.db, { offerId: id, activePeersOnly: false });
  if (!offer) throw new NotFoundError("partner offer", id);
  return toView(offer);
}

/**
 * Pulls a peer's current offer (a signed GET /federation/v1/offers): what a missed push is
 * recovered by. A version already held is no change; an older one is refused.
 */
export async function pullOffer(
  ctx: ServiceContext,
  deps: OfferDeps & { database: Database },
  peerId: string,
): Promise<ReceivedOfferView> {
  const peer = await getPeer(ctx, peerId);
  requireProviderAdmin(ctx.principal, "pull offers");
  if (peer.state !== "active")
    throw new ConflictError(`${peer.name} is ${peer.state}: offers are pulled from active peers only.`, {
      reason: "peer_not_active",
      state: peer.state,
    });
  const { signing } = await loadSigningIdentity(ctx.database.db, deps.secretBox);
  const answer = await deps.peers.signed(signing, peer.url, { method: "GET", path: "/offers" }, peer);
  if (answer.status === 404)
    throw new ConflictError(`${peer.name} offers nothing to this installation yet.`, { reason: "no_offer" });
  if (answer.status !== 200)
    throw new ConflictError(`${peer.url} refused the pull (status ${answer.status}).`, {
      reason: "peer_refused",
      peer_status: answer.status,
    });
  const row = await ctx.database.db
    .selectFrom("federation_peers")
    .selectAll()
    .where("id", "=", peer.id)
    .executeTakeFirstOrThrow();
  const receipt = await receiveOffer(deps, row, signedOfferOf(answer.body), "pull").catch((err: unknown) => {
    if (err instanceof OfferVersionNotNewerError && err.version === err.heldVersion) return undefined;
    throw err;
  });
  const offerId =
    receipt?.offer_id ??
    (
      await ctx.database.db
        .selectFrom("federation_offers_received")
        .select("id")
        .where("peer_id", "=", peer.id)
        .executeTakeFirstOrThrow()
    ).id;
  if (receipt)
    await recordAudit(ctx.database.db, ctx, {
      action: "federation.offer.pull",
      resourceType: "federation_peer",
      resourceId: peer.id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { ...receipt },
    });
  return getReceivedOffer(ctx, offerId);
}
