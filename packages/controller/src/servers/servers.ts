import {
  ConflictError,
  InsufficientCapacityError,
  InvalidInputError,
  NotFoundError,
  decideServerAction,
  isValidServerName,
  newId,
} from "@layerboom/core";
import type { DesiredState, PowerAction, ServerObservedState } from "@layerboom/core";
import { accountInSubtree } from "@layerboom/db";
import { accountSuspended } from "../metering/suspension.js";
import { crashPoint } from "../base/crash-points.js";
import { enqueueWebhookEvent } from "../webhooks/outbox.js";
import { serverEvent } from "../webhooks/payloads.js";
import { closeAddonIntervals, openAddonInterval } from "../metering/addons.js";
import { bindFirstServerDiscounts, closeUsageInterval, openUsageInterval } from "../metering/usage.js";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { AccountRow, ImageRow, PlanRow, Schema, ServerRow } from "@layerboom/db";
import { getAccount } from "../accounts/accounts.js";
import { recordAudit } from "../base/audit.js";
import type { Page, PageRequest, ServiceContext } from "../base/context.js";
import { toPage } from "../base/context.js";
import { getImage } from "../images/images.js";
import { getPlan } from "../catalog/catalog.js";
import { allocateHost } from "../hosts/placement.js";
import { sitesToTry } from "./site-choice.js";
import { mustReference } from "../base/references.js";
import { isUniqueViolation } from "../base/sql-errors.js";
import {
  MAX_EXTRA_IPV4,
  bridgeOfSite,
  holdAddresses,
  pickAddresses,
  releaseServerAddresses,
} from "../networking/addresses.js";
import type { PickedAddress } from "../networking/addresses.js";

/**
 * A server as the API shows it, with the ids of the SSH keys it was created with; `addresses`
 * lists its public IPv4 addresses (primary first) before what the agent observed.
 */
export type ServerView = ServerRow & { ssh_key_ids: string[] };

type PublicAddress = { kind: "ipv4"; address: string; role: "primary" | "extra"; prefix: number };

/** A row read with its public addresses: they go in front of the observed ones. */
function publicFirst(row: ServerView & { public_addresses: PublicAddress[] }): ServerView {
  const { public_addresses: publicAddresses, ...server } = row;
  return publicAddresses.length === 0
    ? server
    : { ...server, addresses: [...publicAddresses, ...server.addresses] };
}

function visibleServers(ctx: ServiceContext) {
  return (
    ctx.database.db
      .selectFrom("servers")
      .innerJoin("accounts", "accounts.id", "servers.account_id")
      .selectAll("servers")
      // One round trip per read: the key ids come along as an array.
      .select(
        sql<
          string[]
        >`coalesce((SELECT array_agg(k.ssh_key_id ORDER BY k.ssh_key_id) FROM server_ssh_keys k WHERE k.server_id = servers.id), '{}')`.as(
          "ssh_key_ids",
        ),
      )
      // And its public addresses, primary first (docs/networking.md).
      .select(
        sql<PublicAddress[]>`coalesce((
          SELECT json_agg(json_build_object('kind', 'ipv4', 'address', a.address, 'role', a.role,
                                            'prefix', split_part(p.cidr, '/', 2)::int)
                          ORDER BY a.role DESC, a.address::inet)
          FROM ip_addresses a JOIN ip_pools p ON p.id = a.pool_id
          WHERE a.server_id = servers.id AND a.released_at IS NULL), '[]')`.as("public_addresses"),
      )
      .where("servers.deleted_at", "is", null)
      .where(accountInSubtree(ctx.principal.accountPath))
  );
}

async function findServer(ctx: ServiceContext, id: string): Promise<ServerView> {
  // The hottest read of the API: a prepared statement on PostgreSQL.
  const [row] = await ctx.database.prepared(visibleServers(ctx).where("servers.id", "=", id).compile());
  if (!row) throw new NotFoundError("server", id);
  return publicFirst(row);
}

export async function getServer(ctx: ServiceContext, id: string): Promise<ServerView> {
  return findServer(ctx, id);
}

export interface ServerFilter {
  accountId?: string | undefined;
  siteId?: string | undefined;
  hostId?: string | undefined;
  desiredState?: DesiredState | undefined;
  observedState?: ServerObservedState | undefined;
  name?: string | undefined;
}

export async function listServers(
  ctx: ServiceContext,
  filter: ServerFilter,
  page: PageRequest,
): Promise<Page<ServerView>> {
  let q = visibleServers(ctx);
  if (filter.accountId) q = q.where("servers.account_id", "=", filter.accountId);
  if (filter.siteId) q = q.where("servers.site_id", "=", filter.siteId);
  if (filter.hostId) q = q.where("servers.host_id", "=", filter.hostId);
  if (filter.desiredState) q = q.where("servers.desired_state", "=", filter.desiredState);
  if (filter.observedState) q = q.where("servers.observed_state", "=", filter.observedState);
  if (filter.name) q = q.where("servers.name", "=", filter.name);
  if (page.after) q = q.where("servers.id", ">", page.after);
  return toPage(
    (
      await q
        .orderBy("servers.id")
        .limit(page.limit + 1)
        .execute()
    ).map(publicFirst),
    page.limit,
  );
}

export interface CreateServerInput {
  name: string;
  /** Omitted: the best site for energy price and carbon among those that opted in (docs/energy.md). */
  site_id?: string | undefined;
  plan_id: string;
  image_id: string;
  ssh_key_ids?: string[] | undefined;
  account_id?: string | undefined;
  /** Daily backups from the start: the add-on is billed from the server's creation. */
  backups_enabled?: boolean | undefined;
  /** Public addresses besides the primary one (the extra-IPv4 add-on, docs/networking.md). */
  extra_ipv4?: number | undefined;
  /** Custom user-data for cloud-init, base64; at most 16 KiB decoded. Never logged. */
  user_data_base64?: string | undefined;
}

/** EC2's limit on user-data, decoded; ours too (docs/ec2.md). */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** What a create checked before its transaction: the account, the sites to try, plan, image and keys. */
export interface PreparedServerCreate {
  account: AccountRow;
  /** The sites to try, in order: the one asked for, or every energy-ranked site. */
  siteIds: string[];
  siteChosenByEnergy: boolean;
  plan: PlanRow;
  image: ImageRow;
  keyIds: string[];
  extraIpv4: number;
  backupsEnabled: boolean;
  userDataBase64: string | undefined;
}

/** Validates a create, refusing it (naming the field) before anything is written. */
export async function prepareServerCreate(
  ctx: ServiceContext,
  input: Omit<CreateServerInput, "name">,
): Promise<PreparedServerCreate> {
  const account = await getAccount(ctx, input.account_id ?? ctx.principal.accountId);
  if (account.kind !== "customer") {
    throw new InvalidInputError(
      "account_id",
      "Servers belong to customer accounts; give the customer's account_id.",
    );
  }
  const siteIds = await sitesToTry(ctx, account, input.site_id);
  const plan = await mustReference("plan_id", () => getPlan(ctx, input.plan_id));
  const image = await mustReference("image_id", () => getImage(ctx, input.image_id));
  if (image.status !== "available")
    throw new InvalidInputError("image_id", `Image ${image.id} is ${image.status}.`);
  const keyIds = [...new Set(input.ssh_key_ids ?? [])];
  if (keyIds.length > 0) {
    const keys = await ctx.database.db
      .selectFrom("ssh_keys")
      .select("id")
      .where("account_id", "=", account.id)
      .where("id", "in", keyIds)
      .execute();
    const missing = keyIds.filter((k) => !keys.some((r) => r.id === k));
    if (missing.length > 0) {
      throw new InvalidInputError(
        "ssh_key_ids",
        `Unknown SSH key ${missing.join(", ")} for account ${account.id}.`,
      );
    }
  }
  const extraIpv4 = input.extra_ipv4 ?? 0;
  if (!Number.isInteger(extraIpv4) || extraIpv4 < 0 || extraIpv4 > MAX_EXTRA_IPV4)
    throw new InvalidInputError("extra_ipv4", `Between 0 and ${MAX_EXTRA_IPV4} extra addresses.`);
  const userData = input.user_data_base64;
  if (userData !== undefined && Buffer.from(userData, "base64").length > MAX_USER_DATA_BYTES)
    throw new InvalidInputError("user_data", `User data is at most ${MAX_USER_DATA_BYTES} bytes.`);
  return {
    account,
    siteIds,
    siteChosenByEnergy: input.site_id === undefined,
    plan,
    image,
    keyIds,
    extraIpv4,
    backupsEnabled: input.backups_enabled ?? false,
    userDataBase64: userData,
  };
}

/** What one new server is called: its id and name, and for the EC2 API its EC2 ids. */
export interface NewServerNames {
  id: string;
  name: string;
  ec2Id?: string | undefined;
  ec2ReservationId?: string | undefined;
}

/**
 * Places and writes one prepared server inside the caller's transaction: the first site in
 * order with room (and addresses) takes it. Throws InsufficientCapacityError before writing
 * anything when none has room, so a caller creating several may stop there.
 */
export async function insertServer(
  trx: Kysely<Schema>,
  ctx: ServiceContext,
  prepared: PreparedServerCreate,
  names: NewServerNames,
): Promise<ServerRow> {
  const { account, plan, image, keyIds, extraIpv4 } = prepared;
  const need = { vcpus: plan.vcpus, memoryMiB: plan.memory_mib, diskGiB: plan.disk_gib };
  const now = new Date();
  // Read again, and held, in this transaction: a requirement tightened meanwhile waits for this
  // create to commit and then sees its server, or this create waits and places by the new one.
  const { required_jurisdictions: requiredJurisdictions } = await trx
    .selectFrom("accounts")
    .select("required_jurisdictions")
    .where("id", "=", account.id)
    .forShare()
    .executeTakeFirstOrThrow();
  // The first site in order with room (and addresses) takes it; only the last site's shortage is reported.
  let placed: { siteId: string; hostId: string; addresses: PickedAddress[] } | undefined;
  for (const [i, siteId] of prepared.siteIds.entries()) {
    try {
      // A site with a pool gives every server a public address on its bridge (docs/networking.md).
      const bridge = await bridgeOfSite(trx, siteId);
      const addresses = bridge || extraIpv4 > 0 ? await pickAddresses(trx, siteId, 1 + extraIpv4, now) : [];
      placed = {
        siteId,
        hostId: await allocateHost(trx, siteId, need, { bridge, requiredJurisdictions }),
        addresses,
      };
      break;
    } catch (err) {
      if (!(err instanceof InsufficientCapacityError) || i === prepared.siteIds.length - 1) throw err;
    }
  }
  const { siteId, hostId, addresses } = placed!;
  const id = names.id;
  const server = await trx
    .insertInto("servers")
    .values({
      id,
      account_id: account.id,
      name: names.name,
      site_id: siteId,
      plan_id: plan.id,
      image_id: image.id,
      host_id: hostId,
      desired_state: "running",
      observed_state: "provisioning",
      backups_enabled: prepared.backupsEnabled,
      ...(names.ec2Id ? { ec2_id: names.ec2Id } : {}),
      ec2_reservation_id: names.ec2ReservationId ?? null,
      user_data_base64: prepared.userDataBase64 ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await holdAddresses(trx, server, "primary", addresses.slice(0, 1), server.created_at);
  await holdAddresses(trx, server, "extra", addresses.slice(1), server.created_at);
  crashPoint("server-created-before-usage");
  await openUsageInterval(trx, server, server.created_at);
  if (server.backups_enabled) await openAddonInterval(trx, server, "backups", server.created_at);
  await enqueueWebhookEvent(trx, {
    accountId: account.id,
    type: "server.created",
    payload: serverEvent(server),
  });
  await bindFirstServerDiscounts(trx, account.id, id);
  if (keyIds.length > 0) {
    await trx
      .insertInto("server_ssh_keys")
      .values(keyIds.map((k) => ({ server_id: id, ssh_key_id: k })))
      .execute();
  }
  await recordAudit(trx, ctx, {
    action: "server.create",
    resourceType: "server",
    resourceId: id,
    accountId: account.id,
    accountPath: account.path,
    details: {
      name: names.name,
      site_id: siteId,
      plan_id: plan.id,
      image_id: image.id,
      ...(prepared.siteChosenByEnergy ? { placed_by: "energy" } : {}),
      // Its size only: user-data may hold secrets, and the audit log is read by many.
      ...(prepared.userDataBase64 !== undefined
        ? { user_data_bytes: Buffer.from(prepared.userDataBase64, "base64").length }
        : {}),
    },
  });
  return server;
}

/** Records a new server with desired state `running`. Placement and the agent make it real. */
export async function createServer(ctx: ServiceContext, input: CreateServerInput): Promise<ServerView> {
  if (!isValidServerName(input.name)) {
    throw new InvalidInputError(
      "name",
      "A server name is a hostname: lowercase letters, digits and hyphens, at most 63.",
    );
  }
  const prepared = await prepareServerCreate(ctx, input);
  const id = newId("server");
  try {
    const row = await ctx.database.db
      .transaction()
      .execute(async (trx) => insertServer(trx, ctx, prepared, { id, name: input.name }));
    crashPoint("server-created-after-commit");
    if (row.host_id) ctx.hostChanged?.(row.host_id);
    // Read back as every read shows it: keys and public addresses included.
    return await findServer(ctx, row.id);
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ConflictError(`A server named "${input.name}" already exists in this account.`, {
        field: "name",
      });
    }
    throw err;
  }
}

/** Changes desired state for a power action, or records a reboot request; core's rules decide. */
export async function serverAction(
  ctx: ServiceContext,
  id: string,
  action: PowerAction,
): Promise<ServerView> {
  const current = await findServer(ctx, id);
  const account = await getAccount(ctx, current.account_id);
  const decision = decideServerAction(action, current, {
    suspended: await accountSuspended(ctx.database.db, current.account_id),
  });
  if (!decision.allowed) throw new ConflictError(decision.message, { reason: decision.reason });
  await ctx.database.db.transaction().execute(async (trx) => {
    await trx
      .updateTable("servers")
      .set((eb) => ({
        desired_state: decision.desired_state,
        generation: eb("generation", "+", 1),
        reboot_seq: decision.reboot ? eb("reboot_seq", "+", 1) : eb.ref("reboot_seq"),
        updated_at: new Date(),
      }))
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .execute();
    await recordAudit(trx, ctx, {
      action: `server.${action}`,
      resourceType: "server",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
    });
  });
  if (current.host_id) ctx.hostChanged?.(current.host_id);
  return getServer(ctx, id);
}

/**
 * Marks a server for deletion. The row stays (desired `deleted`) until the agent reports
 * its disk gone, so a crash between the two cannot leave an orphan disk behind.
 */
export async function deleteServer(ctx: ServiceContext, id: string): Promise<ServerView> {
  const current = await findServer(ctx, id);
  const account = await getAccount(ctx, current.account_id);
  const decision = decideServerAction("delete", current, {
    suspended: await accountSuspended(ctx.database.db, current.account_id),
  });
  if (!decision.allowed) throw new ConflictError(decision.message, { reason: decision.reason });
  await ctx.database.db.transaction().execute(async (trx) => {
    const now = new Date();
    await trx
      .updateTable("servers")
      .set((eb) => ({
        desired_state: decision.desired_state,
        generation: eb("generation", "+", 1),
        updated_at: now,
      }))
      .where("id", "=", id)
      .execute();
    crashPoint("server-deleted-before-usage");
    // Billing stops when the customer deletes, not when the agent gets round to it.
    await closeUsageInterval(trx, id, now);
    crashPoint("server-deleted-before-addon");
    // Add-ons stop with it; the agent deletes the backup files with the disk.
    await closeAddonIntervals(trx, id, now);
    await trx
      .updateTable("backups")
      .set({ state: "deleting" })
      .where("server_id", "=", id)
      .where("state", "!=", "deleting")
      .execute();
    await enqueueWebhookEvent(trx, {
      accountId: account.id,
      type: "server.deleted",
      payload: serverEvent(current),
    });
    // Without a host nothing exists on any machine, so the delete is complete now.
    if (current.host_id === null) {
      await trx
        .updateTable("servers")
        .set({ observed_state: "deleted", deleted_at: new Date() })
        .where("id", "=", id)
        .execute();
      await trx.deleteFrom("backups").where("server_id", "=", id).execute();
      await releaseServerAddresses(trx, id, now);
    }
    await recordAudit(trx, ctx, {
      action: "server.delete",
      resourceType: "server",
      resourceId: id,
      accountId: account.id,
      accountPath: account.path,
    });
  });
  if (current.host_id) ctx.hostChanged?.(current.host_id);
  const row = await ctx.database.db
    .selectFrom("servers")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return { ...row, ssh_key_ids: current.ssh_key_ids };
}
