import type { JobRow, Schema } from "@layerboom/db";
import { sql } from "kysely";
import type { Kysely } from "kysely";

/** A row a claim may take: queued and due, or running under a lease that has run out (its worker died). */
const CLAIMABLE = sql`((j.state = 'queued' AND j.run_at <= now()) OR (j.state = 'running' AND j.locked_until < now()))`;

/**
 * Which of these tasks have a job to claim now. Most polls find none: one read without
 * parameters, no write and no lock, instead of a claim per task. Tasks this runner does not
 * run are left out after the read, which keeps the statement the same for every poll.
 */
export async function dueTasks(db: Kysely<Schema>, tasks: readonly string[]): Promise<string[]> {
  if (tasks.length === 0) return [];
  const rows = await sql<{ task: string }>`
    SELECT task FROM jobs WHERE state = 'queued' AND run_at <= now()
    UNION
    SELECT task FROM jobs WHERE state = 'running' AND locked_until < now()`.execute(db);
  const wanted = new Set(tasks);
  return rows.rows.map((r) => r.task).filter((t) => wanted.has(t));
}

/** What {@link claimJobs} needs to know. */
export interface ClaimRequest {
  task: string;
  workerId: string;
  leaseMs: number;
  limit: number;
}

/**
 * Claims up to `limit` jobs of a task: marks them running under this worker's lease and counts
 * the attempt. SKIP LOCKED lets replicas claim side by side without waiting on each other's
 * rows. Jobs with a group go fairly: the group whose latest job started longest ago first
 * (never-started groups before all), and a group already running its `group_limit` is skipped
 * (a claim that takes more than one grouped job could pass the limit: claim those one at a time).
 * Order within a group, and for jobs without one: run_at, then id.
 */
export async function claimJobs(db: Kysely<Schema>, request: ClaimRequest): Promise<JobRow[]> {
  const { task, workerId, leaseMs, limit } = request;
  const result = await sql<JobRow>`
    UPDATE jobs
       SET state = 'running', attempts = attempts + 1, locked_by = ${workerId},
           locked_until = now() + ${`${leaseMs} milliseconds`}::interval, started_at = now()
     WHERE id IN (
       SELECT j.id FROM jobs j
        WHERE j.task = ${task} AND ${CLAIMABLE}
          AND (j.group_key IS NULL
               OR (SELECT count(*) FROM jobs r
                    WHERE r.group_key = j.group_key AND r.state = 'running'
                      AND r.locked_until >= now()) < j.group_limit)
        ORDER BY CASE WHEN j.group_key IS NULL THEN NULL
                      ELSE (SELECT max(s.started_at) FROM jobs s WHERE s.group_key = j.group_key) END
                 ASC NULLS FIRST,
                 j.run_at, j.id
        FOR UPDATE OF j SKIP LOCKED
        LIMIT ${limit})
    RETURNING *`.execute(db);
  return result.rows;
}
