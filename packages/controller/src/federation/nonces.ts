import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/**
 * Remembers a signature's nonce for its key until `expiresAt`, when the signature's `created`
 * has left the accepted window and a replay would be refused as stale anyway. One indexed
 * insert: false when the pair was already there, that is, the request is a replay.
 */
export async function rememberNonce(
  db: Kysely<Schema>,
  fingerprint: string,
  nonce: string,
  expiresAt: Date,
): Promise<boolean> {
  const inserted = await db
    .insertInto("federation_nonces")
    .values({ fingerprint, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(["fingerprint", "nonce"]).doNothing())
    .returning("nonce")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Deletes nonces whose window has passed; returns how many. */
export async function sweepNonces(db: Kysely<Schema>, now: Date = new Date()): Promise<number> {
  const result = await db.deleteFrom("federation_nonces").where("expires_at", "<", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
