import type { Schema } from "@layerboom/db";
import type { Kysely } from "kysely";

/** What to run, and when. */
export interface NewJob {
  task: string;
  payload?: unknown;
  /** Not before then; default now. */
  runAt?: Date;
  /** A second job with the same key is not enqueued while the first one's row exists. */
  uniqueKey?: string;
  /** Claimed fairly against other groups' jobs of the task, at most `groupLimit` at once. */
  groupKey?: string;
  groupLimit?: number;
  /** Default: the task's. */
  maxAttempts?: number;
}

function row(job: NewJob) {
  return {
    task: job.task,
    payload: JSON.stringify(job.payload ?? {}),
    unique_key: job.uniqueKey ?? null,
    group_key: job.groupKey ?? null,
    group_limit: job.groupKey ? (job.groupLimit ?? 1) : null,
    max_attempts: job.maxAttempts ?? null,
    ...(job.runAt ? { run_at: job.runAt } : {}),
  };
}

/**
 * Enqueues a job. Call it with the transaction of the change that calls for the work, so the
 * job commits with the change or vanishes with its rollback. Returns the job's id, or
 * undefined when a job with the same unique key exists.
 */
export async function enqueueJob(db: Kysely<Schema>, job: NewJob): Promise<number | undefined> {
  const inserted = await db
    .insertInto("jobs")
    .values(row(job))
    .onConflict((oc) => oc.column("unique_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return inserted?.id;
}

/** Enqueues many jobs (a month close's webhook deliveries), a thousand rows per statement. Same rules as {@link enqueueJob}. */
export async function enqueueJobs(db: Kysely<Schema>, jobs: readonly NewJob[]): Promise<number> {
  let count = 0;
  for (let i = 0; i < jobs.length; i += 1000) {
    const inserted = await db
      .insertInto("jobs")
      .values(jobs.slice(i, i + 1000).map(row))
      .onConflict((oc) => oc.column("unique_key").doNothing())
      .returning("id")
      .execute();
    count += inserted.length;
  }
  return count;
}
