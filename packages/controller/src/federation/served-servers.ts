import { createHash } from "node:crypto";
import {
  InvalidInputError,
  assertResidency,
  isValidServerName,
  newId,
  parseSshPublicKey,
} from "@layerboom/core";
import type { PowerAction, Principal } from "@layerboom/core";
import type { Database, Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import type { ServiceContext } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { deleteServer, insertServer, prepareServerCreate, serverAction } from "../servers/servers.js";
import { RemoteCreateRefusedError } from "./errors.js";
import type { OfferDocument } from "./offer-documents.js";
import { currentOfferFor } from "./offers-made.js";
import type { PeerRow } from "./peers.js";
import { crashPoint } from "../base/crash-points.js";
import { representativeAccount } from "./representative-account.js";
import { bumpServedState, getServedServer } from "./served-server-states.js";
import type { ServedServerState } from "./served-server-states.js";

// B's half of remote servers (docs/federation.md, "Remote servers: the protocol"): the servers
// this installation runs for a peer, in the account that represents the peer, under the same
// placement, capacity and isolation as any customer's.

/** A create as a peer sends it. */
export interface ServedCreateInput {
  idempotency_key: string;
  offer_id: string;
  offer_version: number;
  site_id: string;
  plan_id: string;
  name: string;
  image_sha256: string;
  ssh_public_keys: string[];
  user_data_base64?: string | undefined;
  required_jurisdictions: string[];
}

export interface ServedDeps {
  database: Database;
  hostChanged?: ((hostId: string) => void) | undefined;
}

/**
 * SHA-256 of the create's parameters in a fixed order: the same idempotency key with other
 * parameters is a mismatch, not a retry.
 */
export function createDigest(input: ServedCreateInput): string {
  const canonical = JSON.stringify([
    input.idempotency_key,
    input.offer_id,
    input.offer_version,
    input.site_id,
    input.plan_id,
    input.name,
    input.image_sha256,
    input.ssh_public_keys,
    input.user_data_base64 ?? null,
    [...input.required_jurisdictions].sort(),
  ]);
  return createHash("sha256").update(canonical).digest("hex");
}

async function providerAccount(db: Kysely<Schema>) {
  return db
    .selectFrom("accounts")
    .select(["id", "path"])
    .where("kind", "=", "provider")
    .executeTakeFirstOrThrow();
}

/**
 * Who acts here for a peer: the provider's own authority (the peer's servers are the provider's
 * business), named after the peer in the audit log.
 */
async function peerContext(deps: ServedDeps, peer: PeerRow): Promise<ServiceContext> {
  const provider = await providerAccount(deps.database.db);
  const principal: Principal = {
    userId: `federation:${peer.id}`,
    accountId: provider.id,
    accountKind: "provider",
    accountPath: provider.path,
    role: "provider-admin",
  };
  return { database: deps.database, principal, hostChanged: deps.hostChanged };
}

/** The sent public keys, registered in the peer's account (once per fingerprint); their ids. */
async function registerSshKeys(db: Kysely<Schema>, accountId: string, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const parsed = keys.map((k, i) => {
    try {
      return parseSshPublicKey(k);
    } catch (err) {
      throw new InvalidInputError(
        `ssh_public_keys[${i}]`,
        err instanceof Error ? err.message : "Not an SSH public key.",
      );
    }
  });
  await db
    .insertInto("ssh_keys")
    .values(
      parsed.map((p) => ({
        id: newId("sshKey"),
        account_id: accountId,
        user_id: null,
        name: `federation ${p.fingerprint}`.slice(0, 100),
        public_key: p.normalized,
        fingerprint: p.fingerprint,
      })),
    )
    .onConflict((oc) => oc.columns(["account_id", "fingerprint"]).doNothing())
    .execute();
  const rows = await db
    .selectFrom("ssh_keys")
    .select("id")
    .where("account_id", "=", accountId)
    .where(
      "fingerprint",
      "in",
      parsed.map((p) => p.fingerprint),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** The offer version, site and plan a create names, checked against the current offer made to the peer. */
async function offeredFor(db: Kysely<Schema>, peer: PeerRow, input: ServedCreateInput) {
  const current = await currentOfferFor(db, peer.id);
  const document = current ? (JSON.parse(current.document) as OfferDocument) : undefined;
  if (!document || document.offer_id !== input.offer_id || document.version !== input.offer_version)
    throw new RemoteCreateRefusedError(
      "offer_version_stale",
      document
        ? `The offer's current version is ${document.version} (offer ${document.offer_id}): pull it and quote again.`
        : "This installation offers you nothing now.",
      { current_version: document?.version ?? null },
    );
  const site = document.sites.find((s) => s.id === input.site_id);
  if (!site)
    throw new RemoteCreateRefusedError("not_offered", `Site ${input.site_id} is not in the offer.`, {
      field: "site_id",
    });
  const plan = document.plans.find((p) => p.id === input.plan_id);
  if (!plan)
    throw new RemoteCreateRefusedError("not_offered", `Plan ${input.plan_id} is not in the offer.`, {
      field: "plan_id",
    });
  return { document, plan };
}

async function existingCreate(db: Kysely<Schema>, peer: PeerRow, key: string) {
  return db
    .selectFrom("federation_served_servers")
    .select(["server_id", "request_digest"])
    .where("peer_id", "=", peer.id)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
}

/** The same key again: the same server (200) when the parameters match, or a mismatch. */
async function replayed(
  db: Kysely<Schema>,
  peer: PeerRow,
  input: ServedCreateInput,
  digest: string,
): Promise<ServedServerState | undefined> {
  const existing = await existingCreate(db, peer, input.idempotency_key);
  if (!existing) return undefined;
  if (existing.request_digest !== digest)
    throw new RemoteCreateRefusedError(
      "idempotency_mismatch",
      `The key ${input.idempotency_key} was already used for a create with other parameters.`,
      { field: "idempotency_key" },
    );
  return getServedServer(db, peer, existing.server_id);
}

/** B's name for the server: the peer's, made unique in the peer's one account by the key's tail. */
function servedName(input: ServedCreateInput): string {
  const tail = input.idempotency_key
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(-8);
  return `${input.name.slice(0, 54)}-${tail}`;
}

/**
 * A peer's create, checked in the contract's order (offer version, site and plan, residency,
 * image, the offer's capacity, then placement), and written with its idempotency key in one
 * transaction. `created` is false when the key was already used with the same parameters.
 */
export async function createServedServer(
  deps: ServedDeps,
  peer: PeerRow,
  input: ServedCreateInput,
): Promise<{ created: boolean; server: ServedServerState }> {
  const { db } = deps.database;
  if (!isValidServerName(input.name))
    throw new InvalidInputError(
      "name",
      "A server name is a hostname: lowercase letters, digits and hyphens.",
    );
  const digest = createDigest(input);
  const again = await replayed(db, peer, input, digest);
  if (again) return { created: false, server: again };
  const { document, plan } = await offeredFor(db, peer, input);
  const site = await db
    .selectFrom("sites")
    .select(["id", "jurisdiction"])
    .where("id", "=", input.site_id)
    .executeTakeFirst();
  if (!site)
    throw new RemoteCreateRefusedError("not_offered", `Site ${input.site_id} is no longer here.`, {
      field: "site_id",
    });
  assertResidency(input.required_jurisdictions, site);
  const image = await db
    .selectFrom("federation_served_images as fi")
    .innerJoin("images as i", "i.id", "fi.image_id")
    .select(["i.id"])
    .where("fi.peer_id", "=", peer.id)
    .where("fi.sha256", "=", input.image_sha256)
    .where("i.status", "=", "available")
    .executeTakeFirst();
  if (!image)
    throw new RemoteCreateRefusedError(
      "image_not_ready",
      `The image ${input.image_sha256} is not available here yet: send it first (POST /federation/v1/images).`,
      { field: "image_sha256" },
    );
  const account = await representativeAccount(deps.database, peer);
  const keyIds = await registerSshKeys(db, account.id, input.ssh_public_keys);
  const ctx = await peerContext(deps, peer);
  const prepared = await prepareServerCreate(ctx, {
    account_id: account.id,
    site_id: input.site_id,
    plan_id: input.plan_id,
    image_id: image.id,
    ssh_key_ids: keyIds,
    user_data_base64: input.user_data_base64,
  });
  const serverId = newId("server");
  try {
    const row = await db.transaction().execute(async (trx) => {
      // One create of this peer at a time: the capacity count below cannot be passed by a race.
      await trx.selectFrom("federation_peers").select("id").where("id", "=", peer.id).forUpdate().execute();
      const max = document.capacity?.max_servers;
      if (max !== undefined) {
        const { live } = await trx
          .selectFrom("federation_served_servers as f")
          .innerJoin("servers as s", "s.id", "f.server_id")
          .select((eb) => eb.fn.countAll<string>().as("live"))
          .where("f.peer_id", "=", peer.id)
          .where("s.deleted_at", "is", null)
          .where("s.desired_state", "!=", "deleted")
          .executeTakeFirstOrThrow();
        if (Number(live) >= max)
          throw new RemoteCreateRefusedError(
            "offer_capacity",
            `The offer allows ${max} servers at once and you run ${Number(live)}.`,
            { max_servers: max },
          );
      }
      const server = await insertServer(trx, ctx, prepared, { id: serverId, name: servedName(input) });
      await trx
        .insertInto("federation_served_servers")
        .values({
          server_id: server.id,
          peer_id: peer.id,
          idempotency_key: input.idempotency_key,
          request_digest: digest,
          offer_version: document.version,
          currency: document.currency,
          wholesale_hourly_minor: plan.wholesale_hourly_minor,
          wholesale_monthly_cap_minor: plan.wholesale_monthly_cap_minor,
        })
        .execute();
      // Killed here, nothing of the create is kept; the peer's retry with the same key makes it.
      crashPoint("served-create-before-commit");
      return server;
    });
    if (row.host_id) deps.hostChanged?.(row.host_id);
    return { created: true, server: await getServedServer(db, peer, row.id) };
  } catch (err) {
    // The same key raced in from a retry: the one that committed is the answer.
    if (isUniqueViolation(err)) {
      const winner = await replayed(db, peer, input, digest);
      if (winner) return { created: false, server: winner };
    }
    throw err;
  }
}

/** Stop, start or reboot a peer's server through the same rules as the REST API's. */
export async function servedServerAction(
  deps: ServedDeps,
  peer: PeerRow,
  id: string,
  action: PowerAction,
): Promise<ServedServerState> {
  await getServedServer(deps.database.db, peer, id);
  await serverAction(await peerContext(deps, peer), id, action);
  await bumpServedState(deps.database.db, id);
  return getServedServer(deps.database.db, peer, id);
}

/** Deletes a peer's server (desired `deleted`); asking again answers its state. */
export async function deleteServedServer(
  deps: ServedDeps,
  peer: PeerRow,
  id: string,
): Promise<ServedServerState> {
  const current = await getServedServer(deps.database.db, peer, id);
  if (current.desired_state === "deleted") return current;
  await deleteServer(await peerContext(deps, peer), id);
  await bumpServedState(deps.database.db, id);
  return getServedServer(deps.database.db, peer, id);
}
