import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  newId,
  requireProviderAdmin,
} from "@layerboom/core";
import type { Principal } from "@layerboom/core";
import type { FederationPeerState, Schema } from "@layerboom/db";
import type { Kysely, Selectable } from "kysely";
import type { FederationPeersTable } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import type { FederationProfile } from "./identity.js";

export type PeerRow = Selectable<FederationPeersTable>;

/** A peer as the REST API shows it. */
export interface PeerView {
  id: string;
  name: string;
  url: string;
  public_key: string;
  fingerprint: string;
  jurisdictions: string[];
  contact: string;
  state: FederationPeerState;
  origin: "invited" | "joined";
  approved_at: Date | null;
  last_seen_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = [
  "id",
  "name",
  "url",
  "public_key",
  "fingerprint",
  "jurisdictions",
  "contact",
  "state",
  "origin",
  "approved_at",
  "last_seen_at",
  "created_at",
  "updated_at",
] as const;

/** Peers are the provider's business: to anyone else a peer does not exist. */
function requirePeerReader(principal: Principal, id: string): void {
  if (principal.role !== "provider-admin") throw new NotFoundError("federation peer", id);
}

/** The peer whose key is `fingerprint`, in any state. */
export async function findPeerByFingerprint(
  db: Kysely<Schema>,
  fingerprint: string,
): Promise<PeerRow | undefined> {
  return db
    .selectFrom("federation_peers")
    .selectAll()
    .where("fingerprint", "=", fingerprint)
    .executeTakeFirst();
}

/**
 * Records a peer, pending, from its profile. A key that is already an active, suspended or
 * revoked peer here is a conflict. A key that is still pending is peering again (the other side
 * failed to record its half, or its admin redeemed a new invitation): its record is refreshed
 * from the new profile, with the same id, so nothing is duplicated and the peering can finish.
 */
export async function recordPeer(
  db: Kysely<Schema>,
  profile: FederationProfile & { url: string },
  origin: "invited" | "joined",
  invitationId: string | null,
): Promise<PeerView> {
  const known = await findPeerByFingerprint(db, profile.fingerprint);
  if (known?.state === "pending")
    return db
      .updateTable("federation_peers")
      .set({
        name: profile.name,
        url: profile.url,
        jurisdictions: JSON.stringify(profile.jurisdictions),
        contact: profile.contact,
        origin,
        ...(invitationId ? { invitation_id: invitationId } : {}),
        updated_at: new Date(),
      })
      .where("id", "=", known.id)
      .where("state", "=", "pending")
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
  if (known)
    throw new ConflictError(
      known.state === "revoked"
        ? `The installation with key ${profile.fingerprint} was revoked here; it cannot peer again.`
        : `The installation with key ${profile.fingerprint} is already a peer here (${known.name}, ${known.state}).`,
      { reason: "already_peered", peer_state: known.state },
    );
  // A second peering with the same key racing this one finds the unique index instead.
  return db
    .insertInto("federation_peers")
    .values({
      id: newId("federationPeer"),
      name: profile.name,
      url: profile.url,
      public_key: profile.public_key,
      fingerprint: profile.fingerprint,
      jurisdictions: JSON.stringify(profile.jurisdictions),
      contact: profile.contact,
      origin,
      invitation_id: invitationId,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
    .catch((err: unknown) => {
      if (isUniqueViolation(err))
        throw new ConflictError(`The installation with key ${profile.fingerprint} is already a peer here.`, {
          reason: "already_peered",
        });
      throw err;
    });
}

/** The provider's peers, oldest first. */
export async function listPeers(ctx: ServiceContext, page: PageRequest): Promise<Page<PeerView>> {
  requireProviderAdmin(ctx.principal, "list federation peers");
  let q = ctx.database.db.selectFrom("federation_peers").select(COLUMNS);
  if (page.after) q = q.where("id", ">", page.after);
  return toPage(
    await q
      .orderBy("id")
      .limit(page.limit + 1)
      .execute(),
    page.limit,
  );
}

export async function getPeer(ctx: ServiceContext, id: string): Promise<PeerView> {
  requirePeerReader(ctx.principal, id);
  const row = await ctx.database.db
    .selectFrom("federation_peers")
    .select(COLUMNS)
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) throw new NotFoundError("federation peer", id);
  return row;
}

/** The states each change may start from. */
const FROM: Record<"approve" | "suspend" | "revoke", readonly FederationPeerState[]> = {
  approve: ["pending", "suspended"],
  suspend: ["pending", "active"],
  revoke: ["pending", "active", "suspended"],
};
const TO = { approve: "active", suspend: "suspended", revoke: "revoked" } as const;

/**
 * Moves a peer to `active`, `suspended` or `revoked`. Approval must quote the peer's key
 * fingerprint, as read to the admin by the other side: that comparison is what makes the
 * key trusted. Revocation is final. Repeating a change that is already in effect is a no-op.
 */
export async function changePeerState(
  ctx: ServiceContext,
  id: string,
  change: "approve" | "suspend" | "revoke",
  confirmedFingerprint?: string,
): Promise<PeerView> {
  requirePeerReader(ctx.principal, id);
  requireProviderAdmin(ctx.principal, `${change} federation peers`);
  return ctx.database.db.transaction().execute(async (trx) => {
    const peer = await trx
      .selectFrom("federation_peers")
      .select(COLUMNS)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst();
    if (!peer) throw new NotFoundError("federation peer", id);
    if (change === "approve" && confirmedFingerprint !== peer.fingerprint)
      throw new InvalidInputError(
        "fingerprint",
        `The fingerprint given does not match this peer's key (${peer.fingerprint}): compare it with the one ${peer.name}'s admin reads from their side before approving.`,
      );
    if (peer.state === TO[change]) return peer;
    if (!FROM[change].includes(peer.state))
      throw new ConflictError(`A ${peer.state} peer cannot be ${TO[change]}.`, { state: peer.state });
    const now = new Date();
    const row = await trx
      .updateTable("federation_peers")
      .set({
        state: TO[change],
        updated_at: now,
        ...(change === "approve" ? { approved_at: now, approved_by: ctx.principal.userId } : {}),
      })
      .where("id", "=", id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: `federation.peer.${change}`,
      resourceType: "federation_peer",
      resourceId: id,
      accountId: ctx.principal.accountId,
      accountPath: ctx.principal.accountPath,
      details: { fingerprint: peer.fingerprint, from: peer.state, to: TO[change] },
    });
    return row;
  });
}

/** Notes when a peer last made an accepted signed request. */
export async function touchPeer(db: Kysely<Schema>, id: string, at: Date): Promise<void> {
  await db.updateTable("federation_peers").set({ last_seen_at: at }).where("id", "=", id).execute();
}
