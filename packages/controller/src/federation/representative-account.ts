import { childPath, newId } from "@layerboom/core";
import type { Database } from "@layerboom/db";
import { recordAudit } from "../base/audit.js";
import { systemActor } from "../base/context.js";

/** The representative account of a peer, as its servers and images here need it. */
export interface RepresentativeAccount {
  id: string;
  path: string;
}

/**
 * B's side: the customer account that holds what this installation runs for a peer (its images
 * and servers, docs/federation.md "Remote servers"), made at the first need (the first image the
 * peer sends, or its first create), under the provider account and named after the peer. Made
 * once: the peer's row is locked while it is looked up and, when missing, made and recorded, so
 * two first requests racing make one account.
 */
export async function representativeAccount(
  database: Database,
  peer: { id: string },
): Promise<RepresentativeAccount> {
  return database.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("federation_peers")
      .select(["id", "name", "represented_by_account_id"])
      .where("id", "=", peer.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (row.represented_by_account_id) {
      return trx
        .selectFrom("accounts")
        .select(["id", "path"])
        .where("id", "=", row.represented_by_account_id)
        .executeTakeFirstOrThrow();
    }
    const provider = await trx
      .selectFrom("accounts")
      .select(["id", "path"])
      .where("kind", "=", "provider")
      .executeTakeFirstOrThrow();
    const id = newId("account");
    const account = await trx
      .insertInto("accounts")
      .values({
        id,
        kind: "customer",
        parent_id: provider.id,
        path: childPath(provider.path, id),
        name: `Federation peer ${row.name}`.slice(0, 200),
        // The peer's id is unique and stable; its name is neither.
        slug: `federation-${row.id.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        required_jurisdictions: "[]",
      })
      .returning(["id", "path"])
      .executeTakeFirstOrThrow();
    await trx
      .updateTable("federation_peers")
      .set({ represented_by_account_id: account.id, updated_at: new Date() })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, systemActor("federation"), {
      action: "account.create",
      resourceType: "account",
      resourceId: account.id,
      accountId: account.id,
      accountPath: account.path,
      details: { kind: "customer", name: `Federation peer ${row.name}`, represents_peer_id: row.id },
    });
    return account;
  });
}
