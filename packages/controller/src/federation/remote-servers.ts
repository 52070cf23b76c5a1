import { ConflictError, InvalidInputError, NotFoundError, isValidServerName, newId } from "@layerboom/core";
import type { PowerAction } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import type { RemoteServersTable, Schema } from "@layerboom/db";
import type { Kysely, Selectable } from "kysely";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import { listPartnerSites, quotePartnerPlan } from "../catalog/partner-offers.js";
import { getImage } from "../images/images.js";
import { mustReference } from "../base/references.js";
import { MAX_USER_DATA_BYTES } from "../servers/servers.js";
import { enqueueRemoteServerJob } from "./remote-server-queue.js";

// A's half of remote servers (docs/federation.md, "A's mirror"): a customer's server at a
// partner's site, as this installation shows it. The partner runs it; jobs tell the partner
// what the customer asked (remote-server-jobs.ts), and the partner's states land here.

export type RemoteServerRow = Selectable<RemoteServersTable>;

/** How long the partner may be silent before its server's state is shown as unknown. */
export const REMOTE_SILENCE_MS = 2 * 60_000;

/** A remote server as the customer sees it: A's prices, B's state (or `unknown`), never wholesale. */
export interface RemoteServerView {
  id: string;
  account_id: string;
  name: string;
  peer_id: string;
  operated_by: string;
  site_id: string;
  plan_id: string;
  image_id: string;
  currency: string;
  hourly_price_minor: number;
  monthly_cap_minor: number;
  desired_state: string;
  /** The partner's observed state; `unknown` while it is silent or the last call failed. */
  state: string;
  /** What the partner last said, even while `state` is unknown. */
  remote_state: string;
  addresses: { kind: string; address: string }[];
  remote_server_id: string | null;
  last_seen_at: Date | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The state shown: the partner's word, unless it has been silent two minutes or the last call failed. */
export function shownState(row: RemoteServerRow, now = Date.now()): string {
  if (row.remote_state === "deleted" || row.remote_state === "failed") return row.remote_state;
  const heard = (row.last_seen_at ?? row.created_at).getTime();
  if (row.last_error !== null || now - heard > REMOTE_SILENCE_MS) return "unknown";
  return row.remote_state;
}

function viewOf(row: RemoteServerRow & { operated_by: string }, now = Date.now()): RemoteServerView {
  const addresses = (Array.isArray(row.remote_addresses) ? row.remote_addresses : []) as {
    kind: string;
    address: string;
  }[];
  return {
    id: row.id,
    account_id: row.account_id,
    name: row.name,
    peer_id: row.peer_id,
    operated_by: row.operated_by,
    site_id: row.remote_site_id,
    plan_id: row.remote_plan_id,
    image_id: row.image_id,
    currency: row.currency,
    hourly_price_minor: Number(row.retail_hourly_minor),
    monthly_cap_minor: Number(row.retail_monthly_cap_minor),
    desired_state: row.desired_state,
    state: shownState(row, now),
    remote_state: row.remote_state,
    addresses,
    remote_server_id: row.remote_server_id,
    last_seen_at: row.last_seen_at,
    last_error: row.last_error,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function visibleRemoteServers(ctx: ServiceContext) {
  return ctx.database.db
    .selectFrom("remote_servers")
    .innerJoin("accounts", "accounts.id", "remote_servers.account_id")
    .innerJoin("federation_peers as p", "p.id", "remote_servers.peer_id")
    .selectAll("remote_servers")
    .select("p.name as operated_by")
    .where("remote_servers.deleted_at", "is", null)
    .where(accountInSubtree(ctx.principal.accountPath));
}

/** A remote server the caller may see; another tenant's is not found, as an unknown id is. */
export async function getRemoteServer(ctx: ServiceContext, id: string): Promise<RemoteServerView> {
  const row = await visibleRemoteServers(ctx).where("remote_servers.id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError("remote server", id);
  return viewOf(row);
}

export async function listRemoteServers(
  ctx: ServiceContext,
  filter: { accountId?: string | undefined },
  page: PageRequest,
): Promise<Page<RemoteServerView>> {
  let q = visibleRemoteServers(ctx);
  if (filter.accountId) q = q.where("remote_servers.account_id", "=", filter.accountId);
  if (page.after) q = q.where("remote_servers.id", ">", page.after);
  const rows = await q
    .orderBy("remote_servers.id")
    .limit(page.limit + 1)
    .execute();
  const now = Date.now();
  return toPage(
    rows.map((r) => viewOf(r, now)),
    page.limit,
  );
}

export interface CreateRemoteServerInput {
  name: string;
  /** A partner site's id, as GET /partner-sites lists it. */
  site_id: string;
  /** The partner's plan id at that site. */
  plan_id: string;
  /** This installation's image: it travels to the partner first. */
  image_id: string;
  ssh_key_ids?: string[] | undefined;
  account_id?: string | undefined;
  user_data_base64?: string | undefined;
}

/**
 * Records a server at a partner's site, priced now by quotePartnerPlan (residency included) and
 * pinned to that offer version, and queues the durable create that sends it to the partner, in
 * one transaction. The row's id is the create's idempotency key at the partner.
 */
export async function createRemoteServer(
  ctx: ServiceContext,
  input: CreateRemoteServerInput,
): Promise<RemoteServerView> {
  if (!isValidServerName(input.name))
    throw new InvalidInputError(
      "name",
      "A server name is a hostname: lowercase letters, digits and hyphens, at most 63.",
    );
  const account = await getAccount(ctx, input.account_id ?? ctx.principal.accountId);
  if (account.kind !== "customer")
    throw new InvalidInputError(
      "account_id",
      "Servers belong to customer accounts; give the customer's account_id.",
    );
  const { db } = ctx.database;
  const site = (
    await listPartnerSites(
      db,
      { accountId: account.id, accountKind: account.kind, accountPath: account.path },
      {},
    )
  ).find((s) => s.id === input.site_id);
  if (!site)
    throw new InvalidInputError("site_id", `There is no partner site ${input.site_id} for this account.`);
  const quote = await quotePartnerPlan(db, {
    offerId: site.offer_id,
    siteId: site.id,
    planId: input.plan_id,
    accountId: account.id,
  }).catch((err: unknown) => {
    if (err instanceof NotFoundError && err.resource === "partner plan")
      throw new InvalidInputError("plan_id", `The partner offers no plan ${input.plan_id} at ${site.name}.`);
    throw err;
  });
  const image = await mustReference("image_id", () => getImage(ctx, input.image_id));
  if (image.status !== "available" || !image.sha256)
    throw new InvalidInputError("image_id", `Image ${image.id} is ${image.status}.`);
  const keyIds = [...new Set(input.ssh_key_ids ?? [])];
  const keys =
    keyIds.length === 0
      ? []
      : await db
          .selectFrom("ssh_keys")
          .select(["id", "public_key"])
          .where("account_id", "=", account.id)
          .where("id", "in", keyIds)
          .execute();
  const missing = keyIds.filter((k) => !keys.some((r) => r.id === k));
  if (missing.length > 0)
    throw new InvalidInputError(
      "ssh_key_ids",
      `Unknown SSH key ${missing.join(", ")} for account ${account.id}.`,
    );
  const userData = input.user_data_base64;
  if (userData !== undefined && Buffer.from(userData, "base64").length > MAX_USER_DATA_BYTES)
    throw new InvalidInputError("user_data", `User data is at most ${MAX_USER_DATA_BYTES} bytes.`);
  const offer = await db
    .selectFrom("federation_offers_received")
    .select("peer_id")
    .where("id", "=", site.offer_id)
    .executeTakeFirstOrThrow();
  const id = newId("remoteServer");
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("remote_servers")
        .values({
          id,
          account_id: account.id,
          name: input.name,
          peer_id: offer.peer_id,
          offer_version_id: quote.offer_version_id,
          remote_site_id: site.id,
          remote_plan_id: input.plan_id,
          image_id: image.id,
          currency: quote.currency,
          retail_hourly_minor: quote.hourly_price_minor,
          retail_monthly_cap_minor: quote.monthly_cap_minor,
          wholesale_hourly_minor: quote.wholesale_hourly_minor,
          wholesale_monthly_cap_minor: quote.wholesale_monthly_cap_minor,
          // A reseller's customer pays the reseller's price (retail_*); the reseller pays these.
          reseller_id: quote.reseller?.id ?? null,
          reseller_cost_hourly_minor: quote.reseller?.cost_hourly_minor ?? null,
          reseller_cost_monthly_cap_minor: quote.reseller?.cost_monthly_cap_minor ?? null,
          desired_state: "running",
        })
        .execute();
      // The keys and user-data travel with the job: the partner's digest covers them, so every
      // retry must send the same ones.
      await enqueueRemoteServerJob(trx, id, {
        op: "create",
        ssh_public_keys: keyIds.map((k) => keys.find((r) => r.id === k)!.public_key),
        ...(userData !== undefined ? { user_data_base64: userData } : {}),
      });
      await recordAudit(trx, ctx, {
        action: "remote_server.create",
        resourceType: "remote_server",
        resourceId: id,
        accountId: account.id,
        accountPath: account.path,
        details: {
          name: input.name,
          peer_id: offer.peer_id,
          site_id: site.id,
          plan_id: input.plan_id,
          image_id: image.id,
          offer_version_id: quote.offer_version_id,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`A remote server named "${input.name}" already exists in this account.`, {
        field: "name",
      });
    throw err;
  }
  return getRemoteServer(ctx, id);
}

const DESIRED_BY_ACTION: Record<PowerAction, "running" | "stopped"> = {
  start: "running",
  stop: "stopped",
  reboot: "running",
};

/** Records a power action and queues it for the partner; it runs once, when the partner is reachable. */
export async function remoteServerAction(
  ctx: ServiceContext,
  id: string,
  action: PowerAction,
): Promise<RemoteServerView> {
  const current = await getRemoteServer(ctx, id);
  if (current.remote_state === "failed")
    throw new ConflictError("The partner refused to create this server: delete it.", { reason: "failed" });
  if (action === "reboot" && current.desired_state === "stopped")
    throw new ConflictError("The server is stopped: start it instead.", { reason: "stopped" });
  await recordRemoteChange(ctx, current, action, DESIRED_BY_ACTION[action]);
  return getRemoteServer(ctx, id);
}

/** Marks a remote server for deletion and queues the delete at the partner. */
export async function deleteRemoteServer(ctx: ServiceContext, id: string): Promise<RemoteServerView> {
  const current = await getRemoteServer(ctx, id);
  await recordRemoteChange(ctx, current, "delete", "deleted");
  return getRemoteServer(ctx, id);
}

async function recordRemoteChange(
  ctx: ServiceContext,
  current: RemoteServerView,
  action: PowerAction | "delete",
  desired: "running" | "stopped" | "deleted",
): Promise<void> {
  const account = await getAccount(ctx, current.account_id);
  await ctx.database.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("remote_servers")
      .set({ desired_state: desired, updated_at: new Date() })
      .where("id", "=", current.id)
      .where("desired_state", "!=", "deleted")
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0)
      throw new ConflictError("The server is being deleted.", { reason: "deleted" });
    await enqueueRemoteServerJob(trx, current.id, {
      op: action === "delete" ? "delete" : action === "reboot" ? "reboot" : "power",
    });
    await recordAudit(trx, ctx, {
      action: `remote_server.${action}`,
      resourceType: "remote_server",
      resourceId: current.id,
      accountId: account.id,
      accountPath: account.path,
    });
  });
}

/** A partner's State as received, checked for the parts this installation uses. */
export interface ReceivedState {
  id: string;
  state: string;
  addresses: { kind: string; address: string }[];
  state_version: number;
}

/** The states in a partner's message that have the shape of one; others are skipped. */
export function receivedStates(value: unknown): ReceivedState[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v): ReceivedState[] => {
    const s = v as Record<string, unknown> | null;
    if (
      typeof s !== "object" ||
      s === null ||
      typeof s["id"] !== "string" ||
      typeof s["state"] !== "string" ||
      s["state"].length > 40 ||
      !Number.isSafeInteger(s["state_version"]) ||
      !Array.isArray(s["addresses"])
    )
      return [];
    const addresses = (s["addresses"] as unknown[]).slice(0, 64).flatMap((a) => {
      const x = a as Record<string, unknown> | null;
      return typeof x === "object" &&
        x !== null &&
        typeof x["kind"] === "string" &&
        typeof x["address"] === "string"
        ? [{ kind: x["kind"].slice(0, 20), address: x["address"].slice(0, 64) }]
        : [];
    });
    return [{ id: s["id"], state: s["state"], addresses, state_version: s["state_version"] as number }];
  });
}

/**
 * Applies a partner's states to the servers of its own that it holds (`remote_server_id` and the
 * peer match): a newer state_version replaces what is held, an older or equal one only says the
 * partner was heard. A `deleted` state ends the server here. Returns how many were applied.
 */
export async function applyRemoteStates(
  db: Kysely<Schema>,
  peerId: string,
  states: readonly ReceivedState[],
  now = new Date(),
): Promise<number> {
  let applied = 0;
  for (const s of states) {
    const updated = await db
      .updateTable("remote_servers")
      .set({
        remote_state: s.state,
        remote_addresses: JSON.stringify(s.addresses),
        remote_state_version: s.state_version,
        last_seen_at: now,
        last_error: null,
        updated_at: now,
        ...(s.state === "deleted" ? { deleted_at: now } : {}),
      })
      .where("peer_id", "=", peerId)
      .where("remote_server_id", "=", s.id)
      .where("remote_state_version", "<", s.state_version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) applied += 1;
    else
      await db
        .updateTable("remote_servers")
        .set({ last_seen_at: now, last_error: null })
        .where("peer_id", "=", peerId)
        .where("remote_server_id", "=", s.id)
        .execute();
  }
  return applied;
}
