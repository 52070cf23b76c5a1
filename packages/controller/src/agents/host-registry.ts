import { AuthenticationError } from "@layerboom/core";
import type { DesiredServer, HostFacts, OrphanReport, ServerObservation } from "@layerboom/core";
import { tapForServer } from "@layerboom/core";
import { addressesOfServers, desiredNetworkOf, releaseServerAddresses } from "../networking/addresses.js";
import type { BackupObservation } from "@layerboom/core";
import type { Database, HostRow, Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";
import { digestsEqual, issueSecret, parseToken, sha256Hex } from "../base/secrets.js";
import { HOST_CREDENTIAL_PREFIX, JOIN_TOKEN_PREFIX } from "../hosts/hosts.js";
import { recordCaptureFailures, wantedCaptures } from "./captures.js";
import { noteServedObservation, servedAmong } from "./served-observations.js";

// The agent side of the host records. Agents are not users: they hold a host credential,
// act only on their own host's rows, and never see another host's servers.

function parsePrefixed(token: string, prefix: string): { id: string; secret: string } | undefined {
  return token.startsWith(prefix) ? parseToken(token.slice(prefix.length), "host") : undefined;
}

/**
 * Exchanges a one-time join token for a host credential. The token is consumed in the same
 * statement that checks it, so two agents racing with one token cannot both join.
 */
export async function joinHost(
  database: Database,
  joinToken: string,
): Promise<{ hostId: string; credential: string }> {
  const parsed = parsePrefixed(joinToken, JOIN_TOKEN_PREFIX);
  if (!parsed)
    throw new AuthenticationError(
      "Malformed join token; copy it exactly as `layerboom hosts add` printed it.",
    );
  const credential = issueSecret(parsed.id);
  const hash = sha256Hex(parsed.secret);
  const row = await database.db
    .selectFrom("hosts")
    .select(["id", "join_token_hash", "join_expires_at", "state"])
    .where("id", "=", parsed.id)
    .executeTakeFirst();
  const valid =
    row?.join_token_hash != null &&
    digestsEqual(row.join_token_hash, hash) &&
    row.state !== "removed" &&
    (row.join_expires_at === null || row.join_expires_at.getTime() > Date.now());
  if (!valid)
    throw new AuthenticationError(
      "This join token is unknown, used or expired; run `layerboom hosts add` again.",
    );
  const updated = await database.db
    .updateTable("hosts")
    .set({ join_token_hash: null, join_expires_at: null, credential_hash: credential.secretHash })
    .where("id", "=", parsed.id)
    .where("join_token_hash", "=", hash)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1)
    throw new AuthenticationError("This join token was just used by another agent.");
  return { hostId: parsed.id, credential: `${HOST_CREDENTIAL_PREFIX}${credential.token}` };
}

/** The host a credential belongs to; refused once the host is removed. */
export async function authenticateHost(database: Database, credential: string): Promise<HostRow> {
  const parsed = parsePrefixed(credential, HOST_CREDENTIAL_PREFIX);
  if (!parsed) throw new AuthenticationError("Missing or malformed host credential.");
  const row = await database.db
    .selectFrom("hosts")
    .selectAll()
    .where("id", "=", parsed.id)
    .executeTakeFirst();
  if (
    !row?.credential_hash ||
    row.state === "removed" ||
    !digestsEqual(row.credential_hash, sha256Hex(parsed.secret))
  ) {
    throw new AuthenticationError("This host credential is not valid (the host may have been removed).");
  }
  return row;
}

/** Records what a connecting agent says about its host and marks the host up. */
export async function recordHello(database: Database, hostId: string, facts: HostFacts): Promise<void> {
  // The frame was validated against the agent message schema (non-negative integers) on arrival.
  const now = new Date();
  await database.db
    .updateTable("hosts")
    .set({
      state: "up",
      hostname: facts.hostname.slice(0, 255),
      agent_version: facts.agent_version.slice(0, 64),
      accelerator: facts.accelerator,
      cpu_cores: facts.cores,
      memory_mib: facts.memory_mib,
      disk_gib: facts.disk_gib,
      bridges: JSON.stringify(facts.bridges ?? []),
      connected_at: now,
      last_heartbeat_at: now,
    })
    .where("id", "=", hostId)
    .where("state", "!=", "removed")
    .execute();
}

export async function recordHeartbeat(database: Database, hostId: string): Promise<void> {
  await database.db
    .updateTable("hosts")
    .set({ last_heartbeat_at: new Date(), state: "up" })
    .where("id", "=", hostId)
    .where("state", "in", ["up", "down"])
    .execute();
}

/** Marks hosts down whose agent has been silent for `silenceMs`; returns their ids. */
export async function markSilentHostsDown(database: Database, silenceMs: number): Promise<string[]> {
  const rows = await database.db
    .updateTable("hosts")
    .set({ state: "down" })
    .where("state", "=", "up")
    .where("last_heartbeat_at", "<", new Date(Date.now() - silenceMs))
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The full desired set of a host: every server placed on it that is not yet confirmed
 * deleted, with what the agent needs to build it. Level-triggered: the agent converges to
 * exactly this, and anything of ours on the host outside it is an orphan.
 */
export async function desiredServersForHost(database: Database, hostId: string): Promise<DesiredServer[]> {
  const rows = await database.db
    .selectFrom("servers")
    .innerJoin("plans", "plans.id", "servers.plan_id")
    .innerJoin("images", "images.id", "servers.image_id")
    .select([
      "servers.id",
      "servers.name",
      "servers.generation",
      "servers.desired_state",
      "servers.reboot_seq",
      "servers.restore_seq",
      "servers.restore_backup_id",
      "servers.site_id",
      "servers.user_data_base64",
      "plans.vcpus",
      "plans.memory_mib",
      "plans.disk_gib",
      "images.id as image_id",
      "images.format",
      "images.sha256",
      "images.size_bytes",
      "images.kernel_sha256",
      "images.kernel_size_bytes",
      "images.initrd_sha256",
      "images.initrd_size_bytes",
      "images.kernel_append",
    ])
    .select(
      sql<
        string[]
      >`coalesce((SELECT array_agg(k.public_key ORDER BY k.id) FROM server_ssh_keys sk JOIN ssh_keys k ON k.id = sk.ssh_key_id WHERE sk.server_id = servers.id), '{}')`.as(
        "ssh_keys",
      ),
    )
    .where("servers.host_id", "=", hostId)
    .where("servers.deleted_at", "is", null)
    .orderBy("servers.id")
    .execute();
  // The backups each server should keep: requested or complete; failed and deleting ones are not wanted.
  const wanted = new Map<string, string[]>();
  for (const b of await database.db
    .selectFrom("backups")
    .select(["id", "server_id"])
    .where("host_id", "=", hostId)
    .where("state", "in", ["pending", "available"])
    .orderBy("id")
    .execute()) {
    const list = wanted.get(b.server_id) ?? [];
    list.push(b.id);
    wanted.set(b.server_id, list);
  }
  const captures = await wantedCaptures(database, hostId);
  const addresses = await addressesOfServers(
    database.db,
    rows.map((r) => r.id),
  );
  const pools = new Map<string, { bridge: string; nameservers: string[] }>();
  for (const p of await database.db
    .selectFrom("ip_pools")
    .select(["site_id", "bridge", "nameservers"])
    .where("site_id", "in", [...new Set(rows.map((r) => r.site_id)), ""])
    .orderBy("id", "desc")
    .execute())
    pools.set(p.site_id, { bridge: p.bridge, nameservers: p.nameservers });
  return rows.map((r) => {
    const pool = pools.get(r.site_id);
    const network = desiredNetworkOf(
      tapForServer(r.id),
      pool?.bridge,
      addresses.get(r.id),
      pool?.nameservers ?? [],
    );
    const server: DesiredServer = {
      server_id: r.id,
      generation: r.generation,
      desired_state: r.desired_state,
      reboot_seq: r.reboot_seq,
      backups: r.desired_state === "deleted" ? [] : (wanted.get(r.id) ?? []),
      ...(r.restore_seq > 0 && r.restore_backup_id
        ? { restore: { backup_id: r.restore_backup_id, seq: r.restore_seq } }
        : {}),
      vcpus: r.vcpus,
      memory_mib: r.memory_mib,
      disk_gib: r.disk_gib,
      hostname: r.name,
      ssh_authorized_keys: r.ssh_keys,
      image: {
        id: r.image_id,
        disk: {
          sha256: r.sha256 ?? "",
          size_bytes: r.size_bytes ?? 0,
          format: r.format === "raw" ? "raw" : "qcow2",
        },
      },
    };
    if (r.kernel_sha256)
      server.image.kernel = { sha256: r.kernel_sha256, size_bytes: r.kernel_size_bytes ?? 0 };
    if (r.initrd_sha256)
      server.image.initrd = { sha256: r.initrd_sha256, size_bytes: r.initrd_size_bytes ?? 0 };
    if (r.kernel_append !== null) server.image.kernel_append = r.kernel_append;
    if (network) server.network = network;
    if (r.user_data_base64 !== null) server.user_data_base64 = r.user_data_base64;
    const capturing = r.desired_state === "deleted" ? undefined : captures.get(r.id);
    if (capturing) server.captures = capturing;
    return server;
  });
}

/**
 * Applies an agent's observations to the servers of its host. An observation for a server
 * on another host is ignored. `deleted` for a server whose desired state is `deleted`
 * completes the delete: only now, with the disk gone, does the row leave the desired set.
 * The hub has checked them against the protocol's schema, so every state is an ObservedState.
 */
export async function recordObservations(
  database: Database,
  hostId: string,
  observations: readonly ServerObservation[],
  orphans?: readonly OrphanReport[],
): Promise<void> {
  const now = new Date();
  await database.db.transaction().execute(async (trx) => {
    const served = await servedAmong(
      trx,
      observations.map((o) => o.server_id),
    );
    for (const o of observations) {
      const addresses =
        o.ssh_host_port !== undefined
          ? [{ kind: "ssh-forward", address: "127.0.0.1", port: o.ssh_host_port }]
          : undefined;
      // A server run for a peer: a change the peer should hear of is numbered and pushed.
      if (served.has(o.server_id))
        await noteServedObservation(
          trx,
          hostId,
          o.server_id,
          o.state,
          addresses && JSON.stringify(addresses),
        );
      let q = trx
        .updateTable("servers")
        .set({
          observed_state: o.state,
          observed_at: now,
          observed_generation: o.generation,
          observed_error: o.error ?? null,
          ...(addresses ? { addresses: JSON.stringify(addresses) } : {}),
          ...(o.state === "deleted" ? { deleted_at: now, addresses: "[]" } : {}),
        })
        .where("id", "=", o.server_id)
        .where("host_id", "=", hostId)
        .where("deleted_at", "is", null);
      if (o.state === "deleted") q = q.where("desired_state", "=", "deleted");
      const updated = await q.executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      if (o.state === "deleted") {
        // The agent removed the server's backups with its disk, and its tap: its addresses
        // go into quarantine.
        await trx.deleteFrom("backups").where("server_id", "=", o.server_id).execute();
        await releaseServerAddresses(trx, o.server_id, now);
      } else {
        if (o.backups) await recordBackupObservations(trx, hostId, o.server_id, o.backups, now);
        if (o.captures) await recordCaptureFailures(trx, hostId, o.server_id, o.captures);
      }
    }
    if (orphans) {
      await trx
        .updateTable("hosts")
        .set({ orphans: JSON.stringify(orphans.slice(0, 1000)) })
        .where("id", "=", hostId)
        .execute();
    }
  });
}

/**
 * Applies what the agent reports of one server's backup files: a pending backup it lists as
 * complete becomes available (or failed, with the agent's error); a backup being deleted that
 * it no longer lists is gone, so its row goes.
 */
async function recordBackupObservations(
  trx: Kysely<Schema>,
  hostId: string,
  serverId: string,
  present: readonly BackupObservation[],
  now: Date,
): Promise<void> {
  const rows = await trx
    .selectFrom("backups")
    .select(["id", "state"])
    .where("server_id", "=", serverId)
    .where("host_id", "=", hostId)
    .where("state", "in", ["pending", "deleting"])
    .execute();
  const seen = new Map(present.map((b) => [b.backup_id, b]));
  for (const row of rows) {
    const found = seen.get(row.id);
    if (row.state === "deleting") {
      if (!found)
        await trx.deleteFrom("backups").where("id", "=", row.id).where("state", "=", "deleting").execute();
      continue;
    }
    if (!found) continue;
    await trx
      .updateTable("backups")
      .set({
        state: found.state,
        size_bytes: found.size_bytes,
        completed_at: now,
        error: found.state === "failed" ? (found.error ?? "the backup failed").slice(0, 2000) : null,
      })
      .where("id", "=", row.id)
      .where("state", "=", "pending")
      .execute();
  }
}
