import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { recordAudit } from "../base/audit.js";
import { systemActor } from "../base/context.js";

/**
 * Audits something a peer did or had done to it without a user behind it (a peering recorded,
 * an offer received, a request refused): actor `federation`, resource the peer, in the provider
 * account's audit log, inside the caller's transaction when given one.
 */
export async function auditPeerEvent(
  db: Kysely<Schema>,
  peerId: string,
  action: string,
  details: Record<string, unknown>,
): Promise<void> {
  const provider = await db
    .selectFrom("accounts")
    .select(["id", "path"])
    .where("kind", "=", "provider")
    .executeTakeFirstOrThrow();
  await recordAudit(db, systemActor("federation"), {
    action,
    resourceType: "federation_peer",
    resourceId: peerId,
    accountId: provider.id,
    accountPath: provider.path,
    details,
  });
}
