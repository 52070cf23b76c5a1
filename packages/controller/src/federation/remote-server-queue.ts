import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";
import { enqueueJob } from "../jobs/enqueue.js";

/** The durable job that tells a partner what a remote server's customer asked (remote-server-jobs.ts). */
export const REMOTE_SERVER_TASK = "federation.remote-server";

/**
 * What one job does: the create (with the keys and user-data it sends, fixed for every retry),
 * the power state the customer wants now, a reboot, or the delete.
 */
export type RemoteServerJob =
  | { op: "create"; ssh_public_keys: string[]; user_data_base64?: string }
  | { op: "power" }
  | { op: "reboot" }
  | { op: "delete" };

/**
 * Queues a job for a remote server, in the caller's transaction. Jobs of one server run one at
 * a time (its group), so an operation asked while the partner is down runs once it is back.
 */
export async function enqueueRemoteServerJob(
  db: Kysely<Schema>,
  remoteServerId: string,
  job: RemoteServerJob,
): Promise<void> {
  await enqueueJob(db, {
    task: REMOTE_SERVER_TASK,
    payload: { remote_server_id: remoteServerId, ...job },
    ...(job.op === "create" ? { uniqueKey: `${REMOTE_SERVER_TASK}:create:${remoteServerId}` } : {}),
    groupKey: `${REMOTE_SERVER_TASK}:${remoteServerId}`,
  });
}
