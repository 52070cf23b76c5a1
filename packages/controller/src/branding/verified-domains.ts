import { newId } from "@layerboom/core";
import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { portalDomainOfHost } from "./domain-name.js";
import type { ReservedDomains } from "./domain-name.js";

// What verified claims decide outside the claim flow (claims.ts): the brand and the parent
// account a request's Host gets, and the start-up sweep of names the provider reserved since.

/** The account whose verified portal domain a request's Host is; undefined for any other host. */
export async function portalDomainOwner(
  db: Kysely<Schema>,
  host: string,
): Promise<{ accountId: string; kind: "provider" | "reseller" | "customer" } | undefined> {
  const domain = portalDomainOfHost(host);
  if (domain === undefined) return undefined;
  const row = await db
    .selectFrom("portal_domain_claims as c")
    .innerJoin("accounts as a", "a.id", "c.account_id")
    .select(["a.id", "a.kind"])
    .where("c.domain", "=", domain)
    .where("c.status", "=", "verified")
    .executeTakeFirst();
  return row ? { accountId: row.id, kind: row.kind } : undefined;
}

/** An account's verified portal domain, or null. */
export async function verifiedPortalDomainOf(db: Kysely<Schema>, accountId: string): Promise<string | null> {
  const row = await db
    .selectFrom("portal_domain_claims")
    .select("domain")
    .where("account_id", "=", accountId)
    .where("status", "=", "verified")
    .executeTakeFirst();
  return row?.domain ?? null;
}

/**
 * Releases resellers' claims on names the provider has reserved since they were made (run at
 * start-up, when the reserved list may have changed). Names the provider assigned under a
 * reserved domain stay; the reserved names themselves never do.
 */
export async function releaseNewlyReservedClaims(
  db: Kysely<Schema>,
  reserved: ReservedDomains,
): Promise<string[]> {
  const rows = await db
    .selectFrom("portal_domain_claims as c")
    .innerJoin("accounts as a", "a.id", "c.account_id")
    .select(["c.id", "c.domain", "c.method", "c.account_id", "a.path"])
    .where("a.kind", "!=", "provider")
    .execute();
  const released: string[] = [];
  for (const row of rows) {
    try {
      reserved.assertClaimable(row.domain, row.method === "assigned");
      continue;
    } catch {
      // Reserved: fall through and release it.
    }
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom("portal_domain_claims").where("id", "=", row.id).execute();
      await trx
        .insertInto("audit_log")
        .values({
          id: newId("audit"),
          actor_user_id: null,
          account_id: row.account_id,
          account_path: row.path,
          action: "portal_domain.release",
          resource_type: "portal_domain",
          resource_id: row.id,
          request_id: null,
          details: JSON.stringify({ domain: row.domain, reason: "reserved by the provider's configuration" }),
        })
        .execute();
    });
    released.push(row.domain);
  }
  return released;
}
