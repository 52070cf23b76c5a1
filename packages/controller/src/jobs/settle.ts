import type { Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";

/**
 * Which claim of a job a worker holds. Every write after the claim is fenced by all three:
 * once a lease has run out and another worker (or this one, later) claimed the job again, the
 * old claim's writes match no row and change nothing.
 */
export interface HeldClaim {
  id: number;
  workerId: string;
  attempts: number;
}

function held(db: Kysely<Schema>, claim: HeldClaim) {
  return db
    .updateTable("jobs")
    .where("id", "=", claim.id)
    .where("locked_by", "=", claim.workerId)
    .where("attempts", "=", claim.attempts)
    .where("state", "=", "running");
}

async function changed(query: { executeTakeFirst(): Promise<{ numUpdatedRows: bigint }> }): Promise<boolean> {
  return Number((await query.executeTakeFirst()).numUpdatedRows) === 1;
}

/** Pushes the lease forward; false when the claim is no longer held (the worker should stop). */
export function renewLease(db: Kysely<Schema>, claim: HeldClaim, leaseMs: number): Promise<boolean> {
  return changed(
    held(db, claim).set({ locked_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval` }),
  );
}

/** Marks the job succeeded; false when the claim was lost. Call it with a handler's transaction to finish atomically with its work. */
export function completeJob(db: Kysely<Schema>, claim: HeldClaim): Promise<boolean> {
  return changed(
    held(db, claim).set({
      state: "succeeded",
      locked_by: null,
      locked_until: null,
      finished_at: sql<Date>`now()`,
    }),
  );
}

/** Queues the job again after `delayMs`, recording why this attempt failed. */
export function retryJob(
  db: Kysely<Schema>,
  claim: HeldClaim,
  delayMs: number,
  error: string,
): Promise<boolean> {
  return changed(
    held(db, claim).set({
      state: "queued",
      run_at: sql<Date>`now() + ${`${Math.max(0, Math.round(delayMs))} milliseconds`}::interval`,
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 4000),
    }),
  );
}

/** Ends the job as failed for good, with the error that ended it. */
export function failJob(db: Kysely<Schema>, claim: HeldClaim, error: string): Promise<boolean> {
  return changed(
    held(db, claim).set({
      state: "failed",
      locked_by: null,
      locked_until: null,
      last_error: error.slice(0, 4000),
      finished_at: sql<Date>`now()`,
    }),
  );
}

/** Gives an interrupted attempt back (graceful stop): due again at once, the attempt not counted. */
export function releaseJob(db: Kysely<Schema>, claim: HeldClaim): Promise<boolean> {
  return changed(
    held(db, claim).set({
      state: "queued",
      run_at: sql<Date>`now()`,
      attempts: claim.attempts - 1,
      locked_by: null,
      locked_until: null,
    }),
  );
}

/** Deletes finished jobs: succeeded ones after `succeededMs`, failed ones (kept to be read) after `failedMs`. */
export async function purgeFinishedJobs(
  db: Kysely<Schema>,
  options: { succeededMs: number; failedMs: number },
): Promise<number> {
  const result = await db
    .deleteFrom("jobs")
    .where((eb) =>
      eb.or([
        eb.and([
          eb("state", "=", "succeeded"),
          eb("finished_at", "<", sql<Date>`now() - ${`${options.succeededMs} milliseconds`}::interval`),
        ]),
        eb.and([
          eb("state", "=", "failed"),
          eb("finished_at", "<", sql<Date>`now() - ${`${options.failedMs} milliseconds`}::interval`),
        ]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
