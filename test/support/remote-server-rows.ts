import { randomBytes } from "node:crypto";
import { newId } from "@layerboom/core";
import type { Database } from "@layerboom/db";

/**
 * A customer's server at a partner's site as A's database holds it, without a partner: a
 * suspended peer (so no job or schedule calls it), its offer version and the `remote_servers`
 * row, as the console relay test makes them. For tests that only need a page to show one (the
 * every-page test); what the rows mean is tested between two installations.
 */
export async function insertRemoteServerRow(
  c: { database: Database },
  options: { accountId: string; imageId: string; name: string },
): Promise<string> {
  const db = c.database.db;
  const peerId = newId("federationPeer");
  const key = randomBytes(32).toString("base64url");
  await db
    .insertInto("federation_peers")
    .values({
      id: peerId,
      name: "Partner for pages",
      url: "https://partner.example",
      public_key: key,
      fingerprint: `sha256:${randomBytes(32).toString("base64url")}`,
      origin: "joined",
      state: "suspended",
    })
    .execute();
  const offerId = newId("federationOfferReceived");
  const versionId = newId("federationOfferVersion");
  await db
    .insertInto("federation_offers_received")
    .values({ id: offerId, peer_id: peerId, remote_offer_id: "offer_pages", current_version: 1 })
    .execute();
  await db
    .insertInto("federation_offer_received_versions")
    .values({
      id: versionId,
      offer_id: offerId,
      version: 1,
      document: "{}",
      signature: "test-setup",
      key_id: "test-setup",
      received_via: "push",
    })
    .execute();
  const id = newId("remoteServer");
  await db
    .insertInto("remote_servers")
    .values({
      id,
      account_id: options.accountId,
      name: options.name,
      peer_id: peerId,
      offer_version_id: versionId,
      remote_site_id: "site_partner",
      remote_plan_id: "plan_partner",
      image_id: options.imageId,
      currency: "CAD",
      retail_hourly_minor: 15,
      retail_monthly_cap_minor: 7500,
      wholesale_hourly_minor: 12,
      wholesale_monthly_cap_minor: 6000,
      desired_state: "running",
      // Never answered (so no console to relay): shown as unknown, with the last error.
      remote_server_id: null,
      remote_state: "creating",
      last_seen_at: null,
      last_error: "the partner did not answer",
      deleted_at: null,
    })
    .execute();
  return id;
}
